"""The environment, read in one place: every variable handover reads, and what it means.

    HANDOVER_KB        the knowledge-base folder when none is given
    HANDOVER_TODAY     run the date-based checks as if on another day (YYYY-MM-DD)
    SOURCE_DATE_EPOCH  reproducible builds: the pack's timestamps, and the site's day
                       when neither --today nor HANDOVER_TODAY gives one
    HANDOVER_JOBS      how many processes a large build may use (default: the cores)
    HANDOVER_DEBUG     let an internal error's traceback through
    HANDOVER_OFFLINE   build the offline site (1/true/yes/on; site/mkdocs/switches.py)

Nothing here writes the environment.
"""

from __future__ import annotations

import datetime as dt
import os

from handover.core.errors import UsageError


def kb_path() -> str | None:
    return os.environ.get("HANDOVER_KB") or None


def offline() -> str | None:
    """HANDOVER_OFFLINE as written (None when unset); site/mkdocs/switches.py reads it."""
    return os.environ.get("HANDOVER_OFFLINE")


def debug() -> bool:
    return bool(os.environ.get("HANDOVER_DEBUG"))


def jobs() -> int | None:
    """HANDOVER_JOBS when it is a positive whole number, else None."""
    text = os.environ.get("HANDOVER_JOBS", "")
    return int(text) if text.isdigit() and int(text) > 0 else None


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH in seconds when set to a whole number, else None."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(text) if text.isdigit() else None


def today(value: str | None = None, *, epoch: bool = False) -> dt.date:
    """The day the date-based checks run as of: `value` (--today), else HANDOVER_TODAY,
    else (with `epoch`) SOURCE_DATE_EPOCH's day in UTC, else today. UsageError when
    the text is not a YYYY-MM-DD date."""
    text = value or os.environ.get("HANDOVER_TODAY")
    seconds = source_date_epoch()
    if not text and epoch and seconds is not None:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f'"{text}" is not a date; write YYYY-MM-DD') from None
