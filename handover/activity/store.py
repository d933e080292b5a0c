"""Per-account activity kept in git: `activity/ACCOUNT.yml`, small and reviewable.

Each source (a feed, an export importer, the manual log) keeps its own posts per ISO
week, its last post and when it was last read. Sources are different views of the
same posts (parts of one export, `x-archive/part1`, are added up first), so a week
counts the most any one source saw there (a Meta export and a
manual line for the same post do not make two), and reading a source again keeps,
for each week, the larger of the old and the new count: importing the same file
twice, or a feed whose window slides or whose items change ids, adds nothing twice.
The manual log is the exception: each line is one post (the same date and link twice
is one).

No post text, no commenter, no name: counts, dates and the account's own links.
Files are written atomically, under the knowledge base's lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError, Problem
from handover.files.atomic import atomic_write
from handover.files.yamlio import Loaded, dump_record, load_document
from handover.records.values import as_date

FOLDER = "activity"
LOG = "log"
FEED = "feed"
MAX_LOG_ENTRIES = 200  # the manual log keeps its newest lines; older ones live in git
MAX_RECENT_IDS = 60

HEADER = ("# Activity of accounts/{account}, kept by handover (pulse --fetch, import, log).\n"
          "# Counts only: no post text, no names. Format: guide/format.md, section \"activity/\".\n")


def week_key(day: dt.date) -> str:
    """The ISO week of a day, as `2026-W48`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(key: str) -> dt.date | None:
    """The Monday of an ISO week key; None when the key is malformed."""
    try:
        year, week = key.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def short_id(value: str) -> str:
    """A short fingerprint of an item's id: enough to notice ids that change, nothing readable."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class Post:
    """One post as a source saw it: when (a date in UTC, or the export's local date) and its link."""

    date: dt.date
    id: str = ""
    url: str = ""


@dataclass
class Source:
    """What one source has seen of an account."""

    name: str
    weeks: dict[str, int] = field(default_factory=dict)
    last_post: dt.date | None = None
    last_url: str = ""
    last_read: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # feed state: url, etag, last_modified, failing_since, error, recent_ids; log: entries

    @property
    def posts(self) -> int:
        return sum(self.weeks.values())

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.last_read:
            data["last_read"] = self.last_read
        if self.last_post:
            data["last_post"] = {"date": self.last_post, **({"url": self.last_url} if self.last_url else {})}
        data["posts"] = self.posts
        data["weeks"] = dict(sorted(self.weeks.items()))
        for key, value in self.extra.items():
            if value not in (None, "", [], {}):
                data[key] = value
        return data


@dataclass
class Activity:
    """Everything recorded about one account's posting."""

    account: str
    sources: dict[str, Source] = field(default_factory=dict)
    path: Path | None = None
    display: str = ""
    problems: list[Problem] = field(default_factory=list)  # the file could not be read as activity
    loaded: Loaded | None = None  # the file as parsed, with positions (for the checks)

    def source(self, name: str) -> Source:
        return self.sources.setdefault(name, Source(name))

    def weeks(self) -> dict[str, int]:
        """Posts per ISO week: the most any one source saw that week. Parts of one
        source (`x-archive/part0` and `x-archive/part1`, `instagram-export/posts` and
        `instagram-export/reels`) hold different posts: they are added up first."""
        groups: dict[str, dict[str, int]] = {}
        for name, source in self.sources.items():
            group = groups.setdefault(name.split("/", 1)[0], {})
            for key, count in source.weeks.items():
                group[key] = group.get(key, 0) + count
        merged: dict[str, int] = {}
        for group in groups.values():
            for key, count in group.items():
                merged[key] = max(merged.get(key, 0), count)
        return dict(sorted(merged.items()))

    def last_post(self) -> tuple[dt.date | None, str]:
        best: tuple[dt.date | None, str] = (None, "")
        for source in self.sources.values():
            if source.last_post and (best[0] is None or source.last_post > best[0] or (source.last_post == best[0] and not best[1])):
                best = (source.last_post, source.last_url or (best[1] if source.last_post == best[0] else ""))
        return best

    def last_read(self) -> dt.date | None:
        dates = [s.last_read for s in self.sources.values() if s.last_read]
        return max(dates) if dates else None

    def first_week(self) -> str | None:
        keys = [k for s in self.sources.values() for k in s.weeks]
        return min(keys) if keys else None

    def as_data(self) -> dict[str, Any]:
        last, url = self.last_post()
        data: dict[str, Any] = {"account": self.account}
        if last:
            data["last_post"] = {"date": last, **({"url": url} if url else {})}
        data["weeks"] = self.weeks()
        data["sources"] = {name: self.sources[name].as_data() for name in sorted(self.sources)}
        return data

    def text(self) -> str:
        return HEADER.format(account=self.account) + dump_record(self.as_data())


def record(source: Source, posts: Iterable[Post], read_on: dt.date) -> int:
    """Merge what a source saw now into what it saw before: per week, the larger count.
    Returns how many posts the merge added to the source's total."""
    before = source.posts
    seen: dict[str, int] = {}
    for post in posts:
        key = week_key(post.date)
        seen[key] = seen.get(key, 0) + 1
        if source.last_post is None or post.date > source.last_post or (post.date == source.last_post and post.url and not source.last_url):
            source.last_post, source.last_url = post.date, post.url
    for key, count in seen.items():
        source.weeks[key] = max(source.weeks.get(key, 0), count)
    source.last_read = read_on
    return source.posts - before


def add_log(activity: Activity, day: dt.date, url: str, note: str, today: dt.date) -> bool:
    """One manual line: one post on `day`. The same day and link twice is one post.
    Returns False when the line was already there."""
    source = activity.source(LOG)
    entries: list[dict[str, Any]] = list(source.extra.get("entries") or [])
    for entry in entries:
        if as_date(entry.get("date")) == day and str(entry.get("url") or "") == url and (url or str(entry.get("note") or "") == note):
            source.last_read = today
            return False
    line: dict[str, Any] = {"date": day}
    if url:
        line["url"] = url
    if note:
        line["note"] = note
    entries.append(line)
    entries.sort(key=lambda e: str(e.get("date")))
    source.extra["entries"] = entries[-MAX_LOG_ENTRIES:]
    key = week_key(day)
    source.weeks[key] = source.weeks.get(key, 0) + 1
    if source.last_post is None or day >= source.last_post:
        source.last_post, source.last_url = day, url or (source.last_url if day == source.last_post else "")
    source.last_read = today
    return True


def activity_path(root: Path, account: str) -> Path:
    return root / FOLDER / f"{account}.yml"


def load_activity(root: Path, account: str, display_root: str = "") -> Activity:
    """The activity of one account; empty when nothing was recorded yet. A file that
    cannot be read as activity gives an Activity with problems and no sources."""
    path = activity_path(root, account)
    display = os.path.join(display_root or str(root), FOLDER, f"{account}.yml")
    activity = Activity(account, path=path, display=display)
    if not path.is_file():
        return activity
    document = load_document(path, display, markdown=False)
    if document.loaded.problems or not document.loaded.ok:
        activity.problems = list(document.loaded.problems)
        return activity
    activity.sources = sources_from(document.loaded.data)
    activity.loaded = document.loaded
    return activity


def sources_from(data: dict[str, Any]) -> dict[str, Source]:
    """The sources of a loaded activity file; malformed parts are skipped (the check
    reports them, see checks/pulse.py)."""
    sources: dict[str, Source] = {}
    raw = data.get("sources")
    for name, spec in (raw.items() if isinstance(raw, dict) else []):
        if not isinstance(spec, dict):
            continue
        source = Source(str(name))
        weeks = spec.get("weeks")
        for key, count in (weeks.items() if isinstance(weeks, dict) else []):
            if isinstance(key, str) and week_start(key) and isinstance(count, int) and not isinstance(count, bool) and count >= 0:
                source.weeks[key] = count
        last = spec.get("last_post")
        if isinstance(last, dict):
            source.last_post = as_date(last.get("date"))
            source.last_url = str(last.get("url") or "")
        source.last_read = as_date(spec.get("last_read"))
        for key, value in spec.items():
            if key not in ("weeks", "last_post", "last_read", "posts"):
                source.extra[str(key)] = value
        sources[source.name] = source
    return sources


def load_all(root: Path, accounts: Iterable[str], display_root: str = "") -> dict[str, Activity]:
    """The activity of every account that has a file (one directory listing, then only those files)."""
    folder = root / FOLDER
    try:
        names = {entry.name for entry in os.scandir(folder)}
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {account: load_activity(root, account, display_root) for account in accounts if f"{account}.yml" in names}


def save(root: Path, activity: Activity) -> Path:
    """Write the file atomically (the caller holds the knowledge base's lock)."""
    path = activity_path(root, activity.account)
    if activity.problems:
        raise HandoverError(f"{activity.display}: cannot be read as activity, so it is not overwritten",
                            hint="fix or remove the file (git has its history), then run the command again: " + activity.problems[0].format_gnu())
    atomic_write(path, activity.text())
    return path
