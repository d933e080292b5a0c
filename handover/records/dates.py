"""Dates written as a reader of the language expects: « 18 décembre 2026 », "18 December 2026"."""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
}


def long_date(day: dt.date, language: str) -> str:
    """`1er décembre 2026`, `18 décembre 2026`; `18 December 2026` in English (and any
    language without its own month names)."""
    months = MONTHS.get(language, MONTHS["en"])
    number = "1er" if language == "fr" and day.day == 1 else str(day.day)
    return f"{number} {months[day.month - 1]} {day.year}"
