"""Values of the knowledge-base format, as Python reads them: the text patterns
(slug, e-mail, URL, phone, duration, cadence, handle, date), durations and cadences
parsed, loaded dates, a value described in a message, did-you-mean matches.

Plain functions with no field type in sight, for the many modules that read values
(activity, checks, search, commands) without checking them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
PHONE_RE = re.compile(r"^\+[1-9][0-9 .\-()]{6,22}$")
DURATION_RE = re.compile(r"^([1-9][0-9]*)([dwmy])$")
CADENCE_RE = re.compile(r"^([1-9][0-9]*)/(day|week|month|quarter|year)$")
HANDLE_RE = re.compile(r"^@?[A-Za-z0-9_.\-]{1,64}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DURATION_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
CADENCE_PER_WEEK = {"day": 7.0, "week": 1.0, "month": 12 / 52, "quarter": 4 / 52, "year": 1 / 52}


def parse_duration(text: str) -> dt.timedelta | None:
    """`90d`, `6w`, `3m` (30 days), `1y` (365 days) → timedelta; None when malformed."""
    match = DURATION_RE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    return dt.timedelta(days=int(match.group(1)) * DURATION_DAYS[match.group(2)])


def parse_cadence(text: str) -> float | None:
    """`3/week` → 3.0 posts a week (what pulse compares activity with); None when malformed."""
    match = CADENCE_RE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    return int(match.group(1)) * CADENCE_PER_WEEK[match.group(2)]


def as_date(value: Any) -> dt.date | None:
    """A loaded date, or an ISO date string, as a date; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def describe_value(value: Any) -> str:
    """How a loaded value reads in a message: its type as a user would say it."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f'"{value}"'


def close_match(word: str, candidates: Any, cutoff: float = 0.6) -> str | None:
    """The closest candidate, for did-you-mean hints. Candidates are first narrowed to
    similar lengths, so a typo among thousands of ids stays cheap."""
    from difflib import get_close_matches

    narrowed = [c for c in candidates if abs(len(c) - len(word)) <= max(2, len(word) // 3)]
    for prefix in (1, 2, 3):  # among thousands of ids, typos rarely touch the first letters
        if len(narrowed) <= 200:
            break
        narrowed = [c for c in narrowed if c[:prefix] == word[:prefix]]
    found = get_close_matches(word, narrowed, n=1, cutoff=cutoff)
    return found[0] if found else None


def normalise_handle(handle: str) -> str:
    """A handle as compared: `@CyclisteGrinch`, `cyclistegrinch` and ` @cyclisteGrinch `
    (pasted with spaces) are one account."""
    return handle.strip().lstrip("@").lower()
