"""Export files the owner downloads, read from their documented formats (see
../shared/data/activity/SOURCE): the X archive's tweets.js, Meta Business Suite's
post export (Facebook and Instagram), Instagram's and TikTok's data download, and
LinkedIn's Shares.csv. Each gives dated posts for one platform; an unknown layout
is refused with the columns or keys expected. Importing is idempotent: each source
keeps, per week, the larger count (store.record), so the same file twice, or two
overlapping exports, add nothing twice.

Only dates, ids and the account's own links are kept: no text, no names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.activity.actions import ImportResult, check_account_writable, find_account
from handover.activity.store import Post, load_activity, record, save
from handover.core.errors import HandoverError, UsageError
from handover.files.lock import kb_lock
from handover.records.model import KnowledgeBase

MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
X_PREFIX = re.compile(r"^\s*window\.YTD\.(tweets?|community_tweet)\.part\d+\s*=\s*")
META_COLUMNS = ("Post ID", "Publish time", "Permalink", "Post type")
LINKEDIN_COLUMNS = ("Date", "ShareLink")
EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


class ImportRefused(HandoverError):
    """The file is not an export we can read; nothing was changed."""


@dataclass
class Export:
    """What an importer read from a file."""

    source: str  # the name of the source in the activity file
    platform: str
    posts: list[Post] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def import_file(kb: KnowledgeBase, file: str, account_name: str | None, today: dt.date) -> ImportResult:
    """Read an export and record its posts in the account's activity."""
    path = Path(file)
    named = find_account(kb, account_name) if account_name else None
    try:
        export = read_export(path, today)
    except ImportRefused as refused:
        if named is None:
            raise
        raise ImportRefused(f"nothing imported into {named.ref}: {refused.message}", hint=refused.hint) from None
    if named is not None:
        account = named
    else:
        candidates = [r for r in kb.records["accounts"].values() if r.data.get("platform") == export.platform]
        if len(candidates) != 1:
            names = ", ".join(sorted(r.id for r in candidates)) or "none"
            raise UsageError(f"{file} is a {export.platform} export, and {len(candidates)} accounts are on {export.platform} ({names})",
                             hint="say which one with --account ID")
        account = candidates[0]
    with kb_lock(kb.root, f"import {path.name} into {account.id}"):
        activity = load_activity(kb.root, account.id, kb.display_root)
        check_account_writable(activity)
        source = activity.source(export.source)
        added = record(source, export.posts, today)
        source.extra["file"] = path.name
        written = save(kb.root, activity)
    return ImportResult(account, export.source, len(export.posts), added, export.skipped, written)


def read_export(path: Path, today: dt.date) -> Export:
    """Recognise the export by its content and read it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path}: not UTF-8 text (byte {exc.start}); exports from X, Meta, Instagram, TikTok and LinkedIn are UTF-8",
                            hint="import the file as the platform gave it, not re-saved by a spreadsheet") from None
    head = text.lstrip()[:200]
    reader: Callable[[Path, str], Export]
    if X_PREFIX.match(head):
        reader = _x_archive
    elif head.startswith(("{", "[")):
        reader = _json_export
    elif any(name in head for name in ('"Post ID"', "ShareLink")):
        reader = _csv_export
    else:
        raise ImportRefused(f"{path}: not an export handover knows", hint=EXPECTED)
    export = reader(path, text)
    _drop_future(export, today)
    return export


EXPECTED = ("expected one of: an X archive's data/tweets.js (window.YTD.tweets.part0 = [...]); a Meta Business Suite post export CSV "
            "(columns " + ", ".join(META_COLUMNS) + "); Instagram's posts_1.json or reels.json (creation_timestamp, media); "
            "TikTok's user_data_tiktok.json (Post > Posts > VideoList, or Video > Videos > VideoList); LinkedIn's Shares.csv (columns Date, ShareLink)")


def _drop_future(export: Export, today: dt.date) -> None:
    tomorrow = today + dt.timedelta(days=1)
    future = [p for p in export.posts if p.date > tomorrow]
    if future:
        export.posts = [p for p in export.posts if p.date <= tomorrow]
        export.skipped.append(f"{len(future)} posts dated in the future not counted")


def _load_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}): truncated or edited?",
                            hint="download the export again and import the file as it came") from None


# --- X ----------------------------------------------------------------------------

def _x_archive(path: Path, text: str) -> Export:
    body = X_PREFIX.sub("", text, count=1).rstrip().rstrip(";")
    items = _load_json(path, body)
    if not isinstance(items, list):
        raise ImportRefused(f"{path}: tweets.js should hold a list of {{\"tweet\": {{...}}}} entries", hint=EXPECTED)
    user = _x_user(path)
    part = re.search(r"\.part(\d+)", text[:200])
    export = Export(f"x-archive/part{part.group(1) if part else 0}", "x")
    retweets = 0
    for index, item in enumerate(items):
        tweet = item.get("tweet") if isinstance(item, dict) else None
        if not isinstance(tweet, dict) or not isinstance(tweet.get("created_at"), str) or not isinstance(tweet.get("id_str"), str):
            raise ImportRefused(f"{path}: entry {index + 1} is not a tweet; each entry needs tweet.created_at and tweet.id_str", hint=EXPECTED)
        if str(tweet.get("full_text", "")).startswith("RT @"):
            retweets += 1
            continue
        day = _x_date(tweet["created_at"])
        if day is None:
            raise ImportRefused(f"{path}: entry {index + 1}: created_at {tweet['created_at']!r} is not like \"Sat Feb 18 19:45:15 +0000 2023\"")
        ident = tweet["id_str"]
        export.posts.append(Post(day, ident, f"https://x.com/{user}/status/{ident}" if user else ""))
    if retweets:
        export.skipped.append(f"{retweets} retweets not counted (not the account's own posts)")
    return export


def _x_date(value: str) -> dt.date | None:
    """`Sat Feb 18 19:45:15 +0000 2023` (always UTC) → the date, without strptime's cost."""
    parts = value.split()
    if len(parts) != 6 or parts[4] != "+0000" or parts[1] not in MONTHS:
        try:
            return dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(dt.UTC).date()
        except ValueError:
            return None
    try:
        return dt.date(int(parts[5]), MONTHS[parts[1]], int(parts[2]))
    except ValueError:
        return None


def _x_user(path: Path) -> str:
    """The userName from the archive's manifest.js, beside tweets.js (links are built with it)."""
    manifest = path.parent / "manifest.js"
    try:
        text = manifest.read_text(encoding="utf-8-sig")
        data = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
        name = data["userInfo"]["userName"]
        return name if isinstance(name, str) and re.match(r"^\w{1,50}$", name) else ""
    except (OSError, IndexError, KeyError, TypeError, ValueError):
        return ""


# --- JSON: Instagram, TikTok --------------------------------------------------------

def _json_export(path: Path, text: str) -> Export:
    data = _load_json(path, text)
    if isinstance(data, dict) and ("Post" in data or "Video" in data) and ("Profile" in data or "Your Activity" in data or "Activity" in data):
        return _tiktok(path, data)
    if isinstance(data, dict) and isinstance(data.get("ig_reels_media"), list):
        return _instagram(path, data["ig_reels_media"], "reels")
    if isinstance(data, list):
        return _instagram(path, data, "posts")
    keys = ", ".join(sorted(map(str, data)))[:200] if isinstance(data, dict) else type(data).__name__
    raise ImportRefused(f"{path}: a JSON file handover does not know (top-level keys: {keys})", hint=EXPECTED)


def _instagram(path: Path, items: list[Any], part: str) -> Export:
    export = Export(f"instagram-export/{part}", "instagram")
    for index, item in enumerate(items):
        media = item.get("media") if isinstance(item, dict) else None
        stamp = item.get("creation_timestamp") if isinstance(item, dict) else None
        if stamp is None and isinstance(media, list) and media and isinstance(media[0], dict):
            stamp = media[0].get("creation_timestamp")
        if not isinstance(stamp, int) or isinstance(stamp, bool):
            raise ImportRefused(f"{path}: entry {index + 1} has no creation_timestamp; Instagram posts need creation_timestamp "
                                "(Unix seconds) at the top or in media[0]", hint=EXPECTED)
        uri = media[0].get("uri") if isinstance(media, list) and media and isinstance(media[0], dict) else ""
        export.posts.append(Post(dt.datetime.fromtimestamp(stamp, dt.UTC).date(), str(uri or stamp)))
    return export


def _tiktok(path: Path, data: dict[str, Any]) -> Export:
    section = data.get("Post") if "Post" in data else data.get("Video")
    inner = (section or {}).get("Posts" if "Post" in data else "Videos") if isinstance(section, dict) else None
    if not isinstance(inner, dict) or "VideoList" not in inner:
        raise ImportRefused(f"{path}: a TikTok export without Post > Posts > VideoList (or Video > Videos > VideoList)", hint=EXPECTED)
    videos = inner.get("VideoList") or []  # TikTok writes null for an empty list
    profile = ((data.get("Profile") or {}).get("Profile Info") or {}).get("ProfileMap") or {}
    user = profile.get("userName") if isinstance(profile, dict) else None
    export = Export("tiktok-export", "tiktok")
    for index, video in enumerate(videos if isinstance(videos, list) else []):
        raw = video.get("Date") if isinstance(video, dict) else None
        try:
            day = dt.datetime.strptime(str(raw), "%Y-%m-%d %H:%M:%S").date()  # no zone: TikTok's own local time
        except ValueError:
            raise ImportRefused(f"{path}: video {index + 1}: Date {raw!r} is not like \"2024-12-01 18:30:00\"", hint=EXPECTED) from None
        number = re.search(r"/video/(\d+)", str(video.get("Link") or ""))
        ident = number.group(1) if number else str(raw)
        url = f"https://www.tiktok.com/@{user}/video/{ident}" if number and isinstance(user, str) and user else ""
        export.posts.append(Post(day, ident, url))
    return export


# --- CSV: Meta Business Suite, LinkedIn -------------------------------------------

def _csv_export(path: Path, text: str) -> Export:
    rows = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in rows.fieldnames or []]
    if "ShareLink" in columns:
        return _linkedin(path, rows, columns)
    missing = [c for c in META_COLUMNS if c not in columns]
    if missing:
        raise ImportRefused(f"{path}: a CSV without the columns {', '.join(missing)}; a Meta Business Suite post export has "
                            + ", ".join(META_COLUMNS) + f" (found: {', '.join(columns[:12])})", hint=EXPECTED)
    posts: dict[str, list[Post]] = {"facebook": [], "instagram": []}
    try:
        for row in rows:
            line = rows.line_num
            ident = (row.get("Post ID") or "").strip()
            if EXCEL_NUMBER.match(ident):
                raise ImportRefused(f"{path}: line {line}: Post ID {ident!r} was turned into a number by a spreadsheet, so posts cannot be told apart",
                                    hint="export again from Meta Business Suite and import the CSV as downloaded, without opening it in Excel")
            when = (row.get("Publish time") or "").strip()
            try:
                day = dt.datetime.strptime(when, "%m/%d/%Y %H:%M").date()  # no zone: the Page's local time, as Meta writes it
            except ValueError:
                raise ImportRefused(f"{path}: line {line}: Publish time {when!r} is not like \"09/08/2025 00:00\" (MM/DD/YYYY HH:MM)") from None
            platform = "instagram" if (row.get("Post type") or "").strip().startswith("IG") else "facebook"
            posts[platform].append(Post(day, ident, (row.get("Permalink") or "").strip()))
    except csv.Error as exc:
        raise ImportRefused(f"{path}: broken CSV near line {rows.line_num}: {exc}; truncated?") from None
    if posts["facebook"] and posts["instagram"]:
        raise ImportRefused(f"{path}: mixes Facebook and Instagram posts; export each account on its own from Meta Business Suite")
    platform = "instagram" if posts["instagram"] else "facebook"
    return Export("meta-export", platform, posts[platform])


def _linkedin(path: Path, rows: csv.DictReader[str], columns: list[str]) -> Export:
    missing = [c for c in LINKEDIN_COLUMNS if c not in columns]
    if missing:
        raise ImportRefused(f"{path}: a CSV without the columns {', '.join(missing)}; LinkedIn's Shares.csv has Date, ShareLink", hint=EXPECTED)
    export = Export("linkedin-export", "linkedin")
    try:
        for row in rows:
            when = (row.get("Date") or "").strip()
            try:
                day = dt.datetime.strptime(when, "%Y-%m-%d %H:%M:%S").date()  # UTC (SOURCE: the share id's timestamp agrees)
            except ValueError:
                raise ImportRefused(f"{path}: line {rows.line_num}: Date {when!r} is not like \"2025-07-01 14:33:22\"") from None
            link = (row.get("ShareLink") or "").strip()
            export.posts.append(Post(day, link, link))
    except csv.Error as exc:
        raise ImportRefused(f"{path}: broken CSV near line {rows.line_num}: {exc}; truncated?") from None
    return export
