"""Schema: required fields, types, enums, formats, unknown fields, and the few
rules between fields of one record (dates in order, a written tier that agrees)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from typing import Any

from handover.checks.memo import CheckMemo, per_record
from handover.core.errors import Problem, Severity
from handover.records.fieldtypes import check_mapping
from handover.records.model import KnowledgeBase, Record


def check(kb: KnowledgeBase, today: dt.date, memo: CheckMemo | None = None) -> Iterator[Problem]:
    for record in kb.all_records():
        yield from per_record(memo, "schema", record, partial(_one_record, record, kb))


def _one_record(record: Record, kb: KnowledgeBase) -> Iterator[Problem]:
    """What this family finds in one record: it reads nothing else but handover.yml."""
    yield from check_record(record, kb)
    yield from _date_order(record)
    if record.kind.folder == "influencers":
        yield from _tier(record, kb)


def check_record(record: Record, kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []

    def report(path: tuple[Any, ...], code: str, message: str) -> None:
        if path in record.loaded.trapped:
            return  # the loader already said how this value was misread
        line, col = record.loaded.mark(path)
        field_name = ".".join(str(p) for p in path if p != "<key>")
        text = message if message.startswith(("required field", "unknown field")) or not field_name else f"{field_name}: {message}"
        severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
        found.append(Problem(record.display, line, col, code, severity, text))

    check_mapping(record.data, record.kind.all_fields(), (), report, kb.config)
    return found


def _date_order(record: Record) -> Iterator[Problem]:
    pairs = {"team": ("start", "end"), "incidents": ("started", "ended")}.get(record.kind.folder)
    if not pairs:
        return
    first, last = (record.date(name) for name in pairs)
    if first and last and last < first:
        yield record.error((pairs[1],), "E222", f"{pairs[1]} {last} is before {pairs[0]} {first}")


def _tier(record: Record, kb: KnowledgeBase) -> Iterator[Problem]:
    written = record.data.get("tier")
    computed = computed_tier(record, kb)
    if isinstance(written, str) and computed and written != computed:
        yield record.warning(("tier",), "W230", f'tier "{written}" disagrees with the audience, which gives "{computed}"; remove tier (it is computed) or fix the audience')


def computed_tier(record: Record, kb: KnowledgeBase) -> str | None:
    """The highest tier over the influencer's platforms, from handover.yml thresholds."""
    from handover.records.settings import TIER_NAMES

    audience = record.data.get("audience")
    if not isinstance(audience, dict):
        return None
    best: str | None = None
    for platform, figures in audience.items():
        followers = figures.get("followers") if isinstance(figures, dict) else None
        if isinstance(followers, int) and not isinstance(followers, bool):
            tier = kb.config.tier_for(str(platform), followers)
            if best is None or TIER_NAMES.index(tier) > TIER_NAMES.index(best):
                best = tier
    return best


