"""`handover pulse --fetch`, second part: read the watch feeds (handover.yml: watch) and
store which items mention the brand or a competitor (activity/watch/mentions.yml).

The same reader as the accounts' feeds (http.Client: timeouts, retries, conditional
requests, the size cap; feeds.parse), downloaded a few at a time without the lock,
then merged and written under it. A failing feed keeps what earlier readings stored
and records why and since when; the report names it.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from handover.activity.feeds import FeedError, Parsed, parse
from handover.activity.http import Client, FetchError, Limits, Response
from handover.activity.mentions import FeedState, Matcher, Mentions, load_mentions, save_mentions
from handover.activity.store import short_id
from handover.files.lock import kb_lock
from handover.records.model import KnowledgeBase
from handover.records.watch import WatchFeed

DOWNLOADS = 4


@dataclass
class _Read:
    feed: WatchFeed
    response: Response | None = None
    parsed: Parsed | None = None
    error: str = ""


def fetch_watch(kb: KnowledgeBase, today: dt.date, limits: Limits | None = None) -> list[str]:
    """Read every watch feed, store the mentions; one line per feed saying what happened."""
    watch = kb.config.watch
    if not watch.feeds:
        return []
    stored = load_mentions(kb.root, kb.display_root)
    if stored.problems:
        return [f"watch feeds not read: {stored.display} cannot be read ({stored.problems[0].format_gnu()})"]
    with Client(limits) as client, ThreadPoolExecutor(max_workers=min(DOWNLOADS, len(watch.feeds))) as pool:
        reads = list(pool.map(lambda feed: _download(client, feed, stored, today), watch.feeds))
    matcher = Matcher(watch.names)
    with kb_lock(kb.root, "record the watch feeds (pulse --fetch)", wait=10):
        mentions = load_mentions(kb.root, kb.display_root)
        lines = [_merge(mentions, read, matcher, today) for read in reads]
        save_mentions(mentions, today)
    return lines


def _download(client: Client, feed: WatchFeed, stored: Mentions, today: dt.date) -> _Read:
    read = _Read(feed)
    previous = stored.feeds.get(feed.name)
    same = previous is not None and previous.url == feed.url
    try:
        read.response = client.get(feed.url, previous.etag if previous and same else "", previous.last_modified if previous and same else "")
    except FetchError as exc:
        read.error = str(exc)
        return read
    if not read.response.not_modified:
        try:
            read.parsed = parse(read.response.body, today, texts=True)
        except FeedError as exc:
            read.error = str(exc)
    return read


def _merge(mentions: Mentions, read: _Read, matcher: Matcher, today: dt.date) -> str:
    """Record one feed's reading (the caller holds the lock); the line for the user."""
    feed = read.feed
    state = mentions.feeds.get(feed.name)
    if state is None or state.url != feed.url:
        state = mentions.feeds[feed.name] = FeedState(feed.url)
    where = f'watch feed "{feed.name}" ({feed.url})'
    if read.error:
        state.failing_since = state.failing_since or today
        state.error = read.error
        return f"{where}: failed: {read.error}; the mentions already stored are kept"
    response = read.response
    assert response is not None
    state.last_read = state.last_ok = today
    state.failing_since, state.error = None, ""
    state.etag, state.last_modified = response.etag, response.last_modified
    if read.parsed is None:
        return f"{where}: not modified since the last read"
    new = 0
    for post, text in zip(read.parsed.posts, read.parsed.texts, strict=True):
        names = matcher.names(text)
        key = short_id(post.url or post.id)
        if not names or not (post.url or post.id):
            continue
        before = mentions.items.get(key)
        merged = tuple(dict.fromkeys((*before[1], *names))) if before else names
        new += before is None
        mentions.items[key] = (before[0] if before else post.date, merged)
    notes = "".join(f"; {note}" for note in read.parsed.notes)
    return f"{where}: {len(read.parsed.posts)} dated items, {new} new mentioning the brand or a competitor{notes}"
