"""Freshness and personal data dates: reviews overdue, audience figures too old,
relationships silent too long, retention passed, dates in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from handover.core.errors import Problem
from handover.records.model import KnowledgeBase, Record
from handover.records.relationships import RELATIONSHIP_KINDS, interactions, last_contact, silence
from handover.records.values import as_date, parse_duration


def review_due(record: Record, kb: KnowledgeBase) -> dt.date | None:
    """When the record must next be confirmed; None if never reviewed."""
    reviewed = record.date("reviewed_on")
    if reviewed is None:
        return None
    interval = parse_duration(record.data.get("review_every", "")) or kb.config.review_every.get(record.kind.folder) or dt.timedelta(days=180)
    return reviewed + interval


def check(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    max_age = kb.config.audience_max_age
    for record in kb.all_records():
        due = review_due(record, kb)
        reviewed = record.date("reviewed_on")
        if reviewed and reviewed > today:
            yield record.warning(("reviewed_on",), "W406", f"reviewed_on {reviewed} is in the future")
        elif due and due < today:
            yield record.warning(("reviewed_on",), "W401", f"review overdue since {due} (last reviewed {reviewed}); check the record and set reviewed_on to today's date")
        for path, as_of in _audience_dates(record):
            if as_of < today - max_age:
                yield record.warning(path, "W402", f"audience figures date from {as_of}, older than {max_age.days} days; update followers and as_of")
        yield from _contact_dates(record, kb, today)
        yield from _overdue_actions(record, today)


def _overdue_actions(record: Record, today: dt.date) -> Iterator[Problem]:
    """A follow-up action past its due date and not done: lessons not applied."""
    actions = record.data.get("actions")
    for index, action in enumerate(actions if isinstance(actions, list) else []):
        if isinstance(action, dict) and not action.get("done"):
            due = as_date(action.get("due"))
            if due and due < today:
                yield record.warning(("actions", index, "due"), "W407", f"follow-up action due {due} is not done: \"{str(action.get('action', ''))[:60]}\"; do it, reschedule it, or mark it done: true")


def _audience_dates(record: Record) -> Iterator[tuple[tuple[Any, ...], dt.date]]:
    audience = record.data.get("audience")
    if not isinstance(audience, dict):
        return
    if record.kind.folder == "accounts":
        as_of = as_date(audience.get("as_of"))
        if as_of:
            yield ("audience", "as_of"), as_of
        return
    for platform, figures in audience.items():
        if isinstance(figures, dict):
            as_of = as_date(figures.get("as_of"))
            if as_of:
                yield ("audience", platform, "as_of"), as_of


def _contact_dates(record: Record, kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    written = record.date("last_contact")
    if written and written > today:
        yield record.warning(("last_contact",), "W406", f"last_contact {written} is in the future")
    for item in interactions(record):
        if item.date > today:
            yield record.warning(("interactions", item.index, "date"), "W406", f"interaction dated {item.date} is in the future")
    last = last_contact(record)
    where: tuple[Any, ...] = ("last_contact",) if last == written else ("interactions",)
    silent = silence(record, kb, today) if record.kind.folder in RELATIONSHIP_KINDS else None
    if silent is not None:
        since = f"since {silent.last}" if silent.last else "ever recorded"
        owner = f'owner "{silent.owner}" should get in touch and log it under interactions' if silent.owner else "nobody owns it: name an owner, who gets in touch"
        yield record.warning(where if silent.last else (), "W408", f"key relationship silent: no contact {since}, longer than its {silent.interval.days}-day "
                             f"stay-in-touch interval; {owner}")
    elif last and last < today - kb.config.last_contact_max_age:
        yield record.warning(where, "W404", f"no contact since {last}; renew the relationship, or record that it has ended")
    retain = record.date("retain_until")
    if retain and retain < today:
        yield record.warning(("retain_until",), "W405", f"retention date {retain} has passed; delete this personal data or justify keeping it and extend retain_until")
