"""Mentions of the brand and its competitors in the watch feeds (handover.yml: watch),
kept in git like the accounts' activity: `activity/watch/mentions.yml`.

`handover pulse --fetch` (the daily job) reads the feeds and keeps, for each item that
names the brand or a competitor, a fingerprint of its link (or id), its day and the
names it mentions: no text, no author. The same article seen in two feeds, or in the
same feed on two days, is one item. Alert feeds keep only their latest items, so a
weekly count needs the daily readings; the report then counts what is stored, and
the same commit gives the same figures.

An item mentions a name when one of its terms appears in its title or summary, with
accents and case folded, as a whole word or phrase (`Vélonova` matches `VELONOVA,` but
not `Vélonovas`). An item counts in the ISO week of its publication date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.activity.store import FOLDER, week_key
from handover.core.errors import HandoverError, Problem
from handover.files.atomic import atomic_write
from handover.files.yamlio import dump_record, load_document
from handover.records.fold import fold
from handover.records.values import as_date
from handover.records.watch import Watched, WatchSettings

SUBFOLDER = "watch"
FILE = "mentions.yml"
KEEP = dt.timedelta(weeks=53)  # items older than this are dropped from the file (git keeps them)
WEEKS = 12  # the chart's span
HEADER = ("# Mentions of the brand and its competitors in the watch feeds (handover.yml: watch),\n"
          "# kept by handover pulse --fetch. Per item: a fingerprint of its link, its day, the names it mentions.\n")


@dataclass
class FeedState:
    """What the last readings of one watch feed gave."""

    url: str
    last_read: dt.date | None = None
    last_ok: dt.date | None = None
    failing_since: dt.date | None = None
    error: str = ""
    etag: str = ""
    last_modified: str = ""

    def as_data(self) -> dict[str, Any]:
        data = {"url": self.url, "last_read": self.last_read, "last_ok": self.last_ok, "failing_since": self.failing_since,
                "error": self.error, "etag": self.etag, "last_modified": self.last_modified}
        return {key: value for key, value in data.items() if value not in (None, "")}


@dataclass
class Mentions:
    path: Path
    display: str
    feeds: dict[str, FeedState] = field(default_factory=dict)  # by the feed's name in handover.yml
    items: dict[str, tuple[dt.date, tuple[str, ...]]] = field(default_factory=dict)  # fingerprint → day, names
    problems: list[Problem] = field(default_factory=list)

    def text(self) -> str:
        items = {key: {"date": day, "names": list(names)} for key, (day, names) in sorted(self.items.items(), key=lambda kv: (kv[1][0], kv[0]))}
        feeds = {name: state.as_data() for name, state in sorted(self.feeds.items())}
        return HEADER + dump_record({"feeds": feeds, "items": items})


def mentions_path(root: Path) -> Path:
    return root / FOLDER / SUBFOLDER / FILE


def load_mentions(root: Path, display_root: str = "") -> Mentions:
    """The stored mentions; empty when none were read yet. A malformed file keeps its
    problems and no data (fetching will not overwrite it)."""
    path = mentions_path(root)
    mentions = Mentions(path, os.path.join(display_root or str(root), FOLDER, SUBFOLDER, FILE))
    if not path.is_file():
        return mentions
    document = load_document(path, mentions.display, markdown=False)
    if document.loaded.problems or not document.loaded.ok:
        mentions.problems = list(document.loaded.problems)
        return mentions
    data = document.loaded.data
    feeds, items = data.get("feeds"), data.get("items")
    for name, spec in (feeds.items() if isinstance(feeds, dict) else []):
        if isinstance(spec, dict):
            mentions.feeds[str(name)] = FeedState(
                str(spec.get("url") or ""), as_date(spec.get("last_read")), as_date(spec.get("last_ok")),
                as_date(spec.get("failing_since")), str(spec.get("error") or ""), str(spec.get("etag") or ""),
                str(spec.get("last_modified") or ""))
    for key, spec in (items.items() if isinstance(items, dict) else []):
        day = as_date(spec.get("date")) if isinstance(spec, dict) else None
        names = spec.get("names") if isinstance(spec, dict) else None
        if day is not None and isinstance(names, list):
            mentions.items[str(key)] = (day, tuple(str(n) for n in names))
    return mentions


def save_mentions(mentions: Mentions, today: dt.date) -> None:
    """Write the file atomically (the caller holds the lock), items past KEEP left out."""
    if mentions.problems:
        raise HandoverError(f"{mentions.display}: cannot be read, so it is not overwritten",
                            hint="fix or remove the file (git has its history): " + mentions.problems[0].format_gnu())
    mentions.items = {key: value for key, value in mentions.items.items() if value[0] >= today - KEEP}
    mentions.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(mentions.path, mentions.text())


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    words = sorted({_folded(t) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w)")


def _folded(text: str) -> str:
    return fold(text).casefold()


class Matcher:
    """Which watched names a text mentions (folded, whole words)."""

    def __init__(self, watched: Iterable[Watched]) -> None:
        self._patterns = [(w.name, _pattern(w.terms)) for w in watched]

    def names(self, text: str) -> tuple[str, ...]:
        folded = _folded(text)
        return tuple(name for name, pattern in self._patterns if pattern.search(folded))


@dataclass(frozen=True)
class FeedNote:
    """A watch feed never read or failing, or the mentions file unreadable: `english`
    as the command prints it, the fields for the report to word in its language."""

    what: str  # unread, failed, unreadable
    english: str
    feed: str = ""  # the feed's name (unreadable: the file's path)
    url: str = ""
    since: dt.date | None = None  # failing since
    error: str = ""  # the reading's error (unreadable: the problem), as the reader or the parser said it


@dataclass
class Noise:
    """What the report shows of the mentions: per name, the count in each of the 12
    weeks that end with the span's last week, and in the span itself."""

    configured: bool
    weeks: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the brand first
    brand: str | None = None
    per_week: dict[str, list[int]] = field(default_factory=dict)
    in_span: dict[str, int] = field(default_factory=dict)
    problems: list[FeedNote] = field(default_factory=list)  # feeds failing or never read, a broken file

    @property
    def notes(self) -> list[str]:
        return [problem.english for problem in self.problems]


def noise(root: Path, display_root: str, watch: WatchSettings, start: dt.date, end: dt.date, stored: Mentions | None = None) -> Noise:
    """The mentions of each watched name over the 12 weeks ending with `end`'s week, and in start..end."""
    if not watch.feeds or not watch.names:
        return Noise(configured=False)
    mentions = stored if stored is not None else load_mentions(root, display_root)
    last_monday = end - dt.timedelta(days=end.weekday())
    weeks = [week_key(last_monday - dt.timedelta(weeks=n)) for n in range(WEEKS - 1, -1, -1)]
    result = Noise(True, weeks, [w.name for w in watch.names], watch.brand.name if watch.brand else None)
    result.per_week = {name: [0] * WEEKS for name in result.names}
    result.in_span = dict.fromkeys(result.names, 0)
    index = {key: i for i, key in enumerate(weeks)}
    for day, names in mentions.items.values():
        slot = index.get(week_key(day))
        for name in names:
            if name not in result.per_week:
                continue
            if slot is not None:
                result.per_week[name][slot] += 1
            if start <= day <= end:
                result.in_span[name] += 1
    result.problems = _feed_notes(mentions, watch)
    return result


def _feed_notes(mentions: Mentions, watch: WatchSettings) -> list[FeedNote]:
    if mentions.problems:
        problem = mentions.problems[0].format_gnu()
        return [FeedNote("unreadable", f"{mentions.display} cannot be read ({problem}): mentions are not counted", mentions.display, error=problem)]
    notes = []
    for feed in watch.feeds:
        state = mentions.feeds.get(feed.name)
        if state is None or (state.last_read is None and not state.error):
            notes.append(FeedNote("unread", f'watch feed "{feed.name}" has not been read yet: run handover pulse --fetch', feed.name))
        elif state.error:
            english = (f'watch feed "{feed.name}" ({feed.url}) failed on its last reading'
                       f"{f' (failing since {state.failing_since})' if state.failing_since else ''}: {state.error}; "
                       "its mentions from earlier readings are kept")
            notes.append(FeedNote("failed", english, feed.name, feed.url, state.failing_since, state.error))
    return notes
