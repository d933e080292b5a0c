"""Pulse: are the active accounts fed at their cadence? (activity/ files, see handover/activity/)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

from handover.activity.analysis import pulse_line, pulses
from handover.activity.store import FOLDER
from handover.core.errors import Problem, Severity, warning
from handover.records.fieldtypes import check_mapping
from handover.records.kinds import ACTIVITY
from handover.records.model import KnowledgeBase


def check(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    for p in pulses(kb, today):
        activity, account = p.activity, p.account
        if activity is not None:
            yield from activity.problems
            if activity.loaded is not None:
                yield from _shape(activity.display, activity.loaded, kb)
        if not p.active or not p.tracked:
            continue
        owner = f'owner "{p.owner}"' if p.owner else "no owner"
        if p.quiet and p.allowed_days is not None:
            yield account.warning(("cadence",), "W701", f"quiet: {pulse_line(p)}; its cadence {account.data.get('cadence')} allows about "
                                  f"{p.allowed_days:.0f} days without a post; {owner} must post, then record it (handover log)")
        elif p.below and p.rate4 is not None:
            yield account.warning(("cadence",), "W702", f"below cadence: {p.rate4:.1f} posts a week over the last 4 weeks for {account.data.get('cadence')}; {owner}")
        assert activity is not None
        for failing in p.failing:
            yield warning(activity.display, 1, 1, "W703", f"{account.ref}: the {failing.source} has failed for {failing.days} days (since {failing.since}): "
                          f"{failing.error}; the counts kept are from before")
        if p.stale and p.last_read:
            yield warning(activity.display, 1, 1, "W704", f"{account.ref}: activity last read {(today - p.last_read).days} days ago ({p.last_read}), too old to tell "
                          "whether it is fed; run handover pulse --fetch, import an export or handover log")
    yield from _strays(kb)


def _shape(display: str, loaded: Any, kb: KnowledgeBase) -> Iterator[Problem]:
    found: list[Problem] = []

    def report(path: tuple[Any, ...], code: str, message: str) -> None:
        line, col = loaded.mark(path)
        name = ".".join(str(p) for p in path if p != "<key>")
        text = message if message.startswith(("required field", "unknown field")) or not name else f"{name}: {message}"
        found.append(Problem(display, line, col, code, Severity.WARNING if code.startswith("W") else Severity.ERROR, text))

    check_mapping(loaded.data, ACTIVITY.all_fields_plain(), (), report, kb.config)
    yield from found
    stem = os.path.splitext(os.path.basename(display))[0]
    named = loaded.data.get("account")
    if isinstance(named, str) and named.rpartition("/")[2] != stem:
        line, col = loaded.mark(("account",))
        yield warning(display, line, col, "W705", f'this file is the activity of "{stem}" but names account "{named}"; the file name decides: fix account')


def _strays(kb: KnowledgeBase) -> Iterator[Problem]:
    """Activity files whose account does not exist (renamed or removed)."""
    try:
        entries = sorted(os.scandir(kb.root / FOLDER), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        stem, ext = os.path.splitext(entry.name)
        if entry.name.startswith(".") or ext != ".yml":
            continue
        if stem not in kb.records["accounts"]:
            yield warning(os.path.join(kb.display_root, FOLDER, entry.name), 1, 1, "W705",
                          f'activity of an account that does not exist ("accounts/{stem}"); rename the file after the account, or delete it')
