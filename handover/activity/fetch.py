"""`handover pulse --fetch`: read every account's feed and record its counts.

Feeds are downloaded and parsed without the lock (the network may be slow); each
account's file is then re-read, merged and written under the lock, atomically. A feed that fails
keeps the counts already stored and records the error and since when it fails
(W703 once it lasts); `last_read` only moves when the feed was read."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from handover.activity.feeds import FeedError, Parsed, parse
from handover.activity.http import Client, FetchError, Limits, Response
from handover.activity.store import FEED, MAX_RECENT_IDS, Activity, load_activity, record, save, short_id
from handover.files.lock import kb_lock
from handover.records.model import KnowledgeBase, Record
from handover.records.values import as_date


@dataclass
class Outcome:
    """What reading one account's feed gave."""

    account: Record
    url: str
    ok: bool
    read: int = 0  # dated items in the feed
    added: int = 0  # posts new to the stored counts
    not_modified: bool = False
    error: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        where = f"{self.account.ref}: feed {self.url}"
        if not self.ok:
            return f"{where}: failed: {self.error}; the counts already stored are kept"
        if self.not_modified:
            return f"{where}: not modified since the last read"
        return f"{where}: {self.read} dated items, {self.added} new posts" + "".join(f"; {n}" for n in self.notes)


def fetch_all(kb: KnowledgeBase, today: dt.date, limits: Limits | None = None, only: str | None = None) -> list[Outcome]:
    """Read the feed of every account that names one (or of `only`), record the counts.

    Three passes: the downloads, a few at a time (a slow server does not hold up the
    others); the parsing, spread over the cores when there are many feeds (feedparser
    is the costly part); then the records, each file written atomically under the lock."""
    accounts = [a for a in sorted(kb.records["accounts"].values(), key=lambda r: r.id)
                if isinstance(a.data.get("feed"), str) and (only is None or a.id == only)]
    if not accounts:
        return []
    stored = {a.id: load_activity(kb.root, a.id, kb.display_root) for a in accounts}
    with Client(limits) as client, ThreadPoolExecutor(max_workers=min(DOWNLOADS, len(accounts))) as pool:
        fetched = list(pool.map(lambda a: _download(client, a, stored[a.id]), accounts))
    bodies = [(index, got.response.body) for index, got in enumerate(fetched) if got.response is not None and not got.response.not_modified]
    for index, parsed in zip((i for i, _ in bodies), _parse_all([body for _, body in bodies], today), strict=True):
        if isinstance(parsed, str):
            fetched[index].error = parsed
        else:
            fetched[index].parsed = parsed
    outcomes = []
    with kb_lock(kb.root, "record the feeds (pulse --fetch)", wait=10):
        for got in fetched:
            outcomes.append(_record(kb, got, today))
    return outcomes


DOWNLOADS = 8  # feeds downloaded at once
PARSE_IN_PARALLEL = 8  # from this many feeds on, parsing is spread over the cores


@dataclass
class _Fetched:
    account: Record
    url: str
    response: Response | None = None
    parsed: Parsed | None = None
    error: str = ""


def _download(client: Client, account: Record, stored: Activity) -> _Fetched:
    url = str(account.data["feed"])
    got = _Fetched(account, url)
    if stored.problems:
        got.error = f"{stored.display} cannot be read as activity: fix it first ({stored.problems[0].message})"
        return got
    previous = stored.sources.get(FEED)
    same_url = previous is not None and previous.extra.get("url") == url
    etag = str(previous.extra.get("etag") or "") if previous and same_url else ""
    modified = str(previous.extra.get("last_modified") or "") if previous and same_url else ""
    try:
        got.response = client.get(url, etag, modified)
    except FetchError as exc:
        got.error = str(exc)
    return got


def _parse_some(run: list[tuple[bytes, dt.date]]) -> list[Parsed | str]:
    out: list[Parsed | str] = []
    for body, today in run:
        try:
            out.append(parse(body, today))
        except FeedError as exc:
            out.append(str(exc))
    return out


def _parse_all(bodies: list[bytes], today: dt.date) -> list[Parsed | str]:
    """Each body parsed (or why not), in order; in forked processes when there are many."""
    items = [(body, today) for body in bodies]
    jobs = min(_cores(), len(items) // (PARSE_IN_PARALLEL // 2)) if len(items) >= PARSE_IN_PARALLEL else 1
    if jobs <= 1:
        return _parse_some(items)
    from handover.core.forked import Forked, shards

    runs = shards(items, jobs, weight=lambda item: len(item[0]))
    return [parsed for part in Forked(_parse_some, runs).join() for parsed in part]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _record(kb: KnowledgeBase, got: _Fetched, today: dt.date) -> Outcome:
    """Merge one feed's reading into the account's activity (the caller holds the lock)."""
    account, url = got.account, got.url
    activity = load_activity(kb.root, account.id, kb.display_root)
    if activity.problems:
        return Outcome(account, url, False, error=f"{activity.display} cannot be read as activity: fix it first")
    source = activity.source(FEED)
    if source.extra.get("url") != url:
        for key in ("etag", "last_modified", "recent_ids"):
            source.extra.pop(key, None)
    source.extra["url"] = url
    outcome = Outcome(account, url, not got.error)
    if got.error:
        if as_date(source.extra.get("failing_since")) is None:
            source.extra["failing_since"] = today
        source.extra["error"] = got.error
        outcome.error = got.error
    else:
        response = got.response
        assert response is not None
        source.extra["etag"], source.extra["last_modified"] = response.etag, response.last_modified
        source.extra.pop("failing_since", None)
        source.extra.pop("error", None)
        source.extra["last_ok"] = today
        if response.not_modified:
            source.last_read = today
            outcome.not_modified = True
        else:
            parsed = got.parsed
            assert parsed is not None
            outcome.notes = list(parsed.notes)
            outcome.read = len(parsed.posts)
            ids = [short_id(p.id) for p in sorted(parsed.posts, key=lambda p: p.date, reverse=True) if p.id][:MAX_RECENT_IDS]
            before = [str(i) for i in source.extra.get("recent_ids") or []]
            if before and ids and not set(before) & set(ids) and _overlaps(source.last_post, parsed):
                outcome.notes.append("the feed changed its items' ids since the last read; posts are counted per week, so none is counted twice")
            outcome.added = record(source, parsed.posts, today)
            if not parsed.posts:
                source.last_read = today
            source.extra["recent_ids"] = ids
    save(kb.root, activity)
    return outcome


def _overlaps(last_post: dt.date | None, parsed: Parsed) -> bool:
    """The new items reach back to what was seen before: their ids should have matched."""
    return last_post is not None and any(p.date <= last_post for p in parsed.posts)
