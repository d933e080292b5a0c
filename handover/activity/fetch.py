"""`handover pulse --fetch`: read every account's feed and record its counts.

Feeds are read without the lock (the network may be slow); each account's file is
then re-read, merged and written under the lock, atomically. A feed that fails
keeps the counts already stored and records the error and since when it fails
(W703 once it lasts); `last_read` only moves when the feed was read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from handover.activity.feeds import FeedError, Parsed, parse
from handover.activity.http import Client, FetchError, Limits, Response
from handover.activity.store import FEED, MAX_RECENT_IDS, load_activity, record, save, short_id
from handover.files.lock import kb_lock
from handover.records.fieldtypes import as_date
from handover.records.model import KnowledgeBase, Record


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
    """Read the feed of every account that names one (or of `only`), record the counts."""
    accounts = [a for a in sorted(kb.records["accounts"].values(), key=lambda r: r.id)
                if isinstance(a.data.get("feed"), str) and (only is None or a.id == only)]
    outcomes = []
    with Client(limits) as client:
        for account in accounts:
            outcomes.append(fetch_one(kb, client, account, today))
    return outcomes


def fetch_one(kb: KnowledgeBase, client: Client, account: Record, today: dt.date) -> Outcome:
    url = str(account.data["feed"])
    stored = load_activity(kb.root, account.id, kb.display_root)
    if stored.problems:
        return Outcome(account, url, False, error=f"{stored.display} cannot be read as activity: fix it first ({stored.problems[0].message})")
    previous = stored.sources.get(FEED)
    same_url = previous is not None and previous.extra.get("url") == url
    etag = str(previous.extra.get("etag") or "") if previous and same_url else ""
    modified = str(previous.extra.get("last_modified") or "") if previous and same_url else ""
    response: Response | None = None
    parsed: Parsed | None = None
    error = ""
    try:
        response = client.get(url, etag, modified)
        if not response.not_modified:
            parsed = parse(response.body, today)
    except (FetchError, FeedError) as exc:
        error = str(exc)
    with kb_lock(kb.root, f"record the feed of {account.id}", wait=10):
        activity = load_activity(kb.root, account.id, kb.display_root)
        if activity.problems:
            return Outcome(account, url, False, error=f"{activity.display} cannot be read as activity: fix it first")
        source = activity.source(FEED)
        if source.extra.get("url") != url:
            for key in ("etag", "last_modified", "recent_ids"):
                source.extra.pop(key, None)
        source.extra["url"] = url
        outcome = Outcome(account, url, not error)
        if error:
            if as_date(source.extra.get("failing_since")) is None:
                source.extra["failing_since"] = today
            source.extra["error"] = error
            outcome.error = error
        else:
            assert response is not None
            source.extra["etag"], source.extra["last_modified"] = response.etag, response.last_modified
            source.extra.pop("failing_since", None)
            source.extra.pop("error", None)
            source.extra["last_ok"] = today
            if response.not_modified:
                source.last_read = today
                outcome.not_modified = True
            else:
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
