"""The only module that parses feeds (feedparser): RSS or Atom bytes → dated posts.

The post date is the item's publication date (`published`: RSS pubDate, Atom
published), never YouTube's `updated`, which moves whenever YouTube refreshes the
entry; an Atom feed without `published` falls back to `updated`. Dates feedparser
cannot read but that are common in the wild (JavaScript's Date.toString, as NixOS
news writes them) are read here. The id is the item's guid/id, else its link.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

import feedparser  # type: ignore[import-untyped]  # feedparser ships no type information

from handover.activity.store import Post

_JS_DATE = re.compile(r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})")


class FeedError(Exception):
    """The bytes are not a feed we can count posts in."""


@dataclass
class Parsed:
    title: str
    posts: list[Post] = field(default_factory=list)
    undated: int = 0  # items without a readable date
    future: int = 0  # items dated after tomorrow, not counted
    notes: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # with texts=True: each post's title and summary, tags removed


def parse(body: bytes, today: dt.date, texts: bool = False) -> Parsed:
    """The dated posts of a feed (and, with `texts`, what each says: its title and
    summary as plain text, for the watch feeds' mentions). Raises FeedError when it
    is not a feed, is broken with no item left, or has items none of which carries a date."""
    data: Any = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    entries = list(data.get("entries") or [])
    version = data.get("version") or ""
    problem = data.get("bozo_exception") if data.get("bozo") else None
    if not version and not entries:
        start = body.lstrip()[:60].decode("utf-8", "replace").replace("\n", " ")
        raise FeedError(f"not an RSS or Atom feed (it starts with {start!r})")
    if problem is not None and not entries:
        raise FeedError(f"the feed is broken and holds no item ({_short(problem)})")
    parsed = Parsed(str(data.get("feed", {}).get("title") or ""))
    if problem is not None:
        parsed.notes.append(f"the feed is not well-formed ({_short(problem)}); {len(entries)} items read anyway")
    tomorrow = today + dt.timedelta(days=1)
    for entry in entries:
        day = _date(entry)
        if day is None:
            parsed.undated += 1
            continue
        if day > tomorrow:
            parsed.future += 1
            continue
        ident = str(entry.get("id") or entry.get("link") or "")
        parsed.posts.append(Post(day, ident, str(entry.get("link") or "")))
        if texts:
            parsed.texts.append(_plain(f"{entry.get('title') or ''}\n{entry.get('summary') or ''}"))
    if entries and not parsed.posts and parsed.undated == len(entries):
        raise FeedError(f"none of its {len(entries)} items has a date, so nothing can be counted")
    if parsed.undated:
        parsed.notes.append(f"{parsed.undated} items without a date were not counted")
    if parsed.future:
        parsed.notes.append(f"{parsed.future} items dated in the future were not counted")
    return parsed


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "created_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date()
    raw = str(entry.get("published") or entry.get("updated") or "")
    match = _JS_DATE.match(raw.strip())
    if match:
        try:
            return dt.datetime.strptime(" ".join(match.groups()[:3]), "%b %d %Y").date()
        except ValueError:
            return None
    return None


_TAG = re.compile(r"<[^>]*>")


def _plain(text: str) -> str:
    """Markup out, entities read: `<b>Vélo&amp;Co</b>` → `Vélo&Co`."""
    return html.unescape(_TAG.sub(" ", text))


def _short(problem: object) -> str:
    text = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem).__name__
    return text[:120]
