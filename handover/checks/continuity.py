"""Continuity: nothing may be orphaned when someone leaves.

Every active account has an owner and a distinct backup who are on the team; no one
owns anything after their end date; leaving within the configured window is a
warning, on each thing they hold and once on their own record, naming all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from handover.core.errors import Problem
from handover.records.departure import Holding, departure_state, departures, holdings
from handover.records.model import KnowledgeBase, Record

departure = departure_state  # the name the checks have always used

__all__ = ["Holding", "check", "departure", "holdings"]


def check(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    team = kb.records["team"]
    window = kb.config.leaving_window
    held = holdings(kb)
    for person_id, items in held.items():
        person = team.get(person_id)
        if person is None:
            continue  # an unknown id: the reference check says so
        state, end = departure(person, today, window)
        successor = person.data.get("successor")
        for holding in items:
            yield from _holding_problem(holding, state, end, successor)
        if state == "leaving":
            yield _leaving_summary(person, end, successor, items, today)
    for person in team.values():
        yield from _successor(person, kb, today, window)
    for account in kb.records["accounts"].values():
        yield from _account(account)
    yield from _checklists(kb, today, held)


def _checklists(kb: KnowledgeBase, today: dt.date, held: Mapping[str, list[Holding]]) -> Iterator[Problem]:
    """After the last day, the open steps of a kept checklist (departures/PERSON.yml)
    are a warning on it (status exits 1 meanwhile). Without a kept checklist, what the
    person still holds is already an error on each record (E309)."""
    for item in departures(kb, today, held):
        overdue = item.overdue_steps
        stored = kb.records["departures"].get(item.person.id)
        if overdue and stored is not None:
            where = stored
            path: tuple[Any, ...] = ("steps",)
            count = len(overdue)
            yield where.warning(path, "W312", f"{item.person.id}'s last day is over and {count} checklist step{'s are' if count != 1 else ' is'} still open, first: "
                                f"{overdue[0].id}; do them and run handover checklist {item.person.id} --done STEP --by ID, or --waive STEP --why TEXT --by ID")


def _holding_problem(holding: Holding, state: str, end: dt.date | None, successor: Any) -> Iterator[Problem]:
    record, who = holding.record, holding.person
    if holding.path[-2:-1] == ("shared_with",) and state != "staying":
        when = f"left on {end}" if state == "gone" and end else "has left" if state == "gone" else f"leaves on {end}" if end else "is leaving"
        advice = f'"{who}" {when} and can still open this login: revoke the vault access and remove them from shared_with'
        yield record.error(holding.path, "E309", advice) if state == "gone" else record.warning(holding.path, "W310", advice)
        return
    if state == "gone":
        when = f"left on {end}" if end else "has left"
        yield record.error(holding.path, "E309", f'{holding.role} "{who}" {when}; name a current team member (handover transfer {who} NEW-OWNER)')
    elif state == "leaving":
        when = f"leaves on {end}" if end else "is leaving"
        next_step = f'successor "{successor}" named: run handover transfer {who} {successor}' if isinstance(successor, str) else "no successor named"
        yield record.warning(holding.path, "W310", f'{holding.role} "{who}" {when}; {next_step}')


def _leaving_summary(person: Record, end: dt.date | None, successor: Any, items: list[Holding], today: dt.date) -> Problem:
    when = f"leaves on {end} (in {(end - today).days} days)" if end else "is leaving"
    roles: dict[str, list[str]] = {}
    for holding in items:
        roles.setdefault(holding.record.ref, [])
        if holding.role not in roles[holding.record.ref]:
            roles[holding.record.ref].append(holding.role)
    listed = ", ".join(f"{ref} ({', '.join(names)})" for ref, names in roles.items())
    plan = f'successor: {successor}' if isinstance(successor, str) else "no successor named: set successor, or transfer each item"
    count = len(roles)
    return person.warning(("end",) if end else ("status",), "W311", f"{person.id} {when} and still holds {count} record{'s' if count != 1 else ''}: {listed}; {plan}")


def _successor(person: Record, kb: KnowledgeBase, today: dt.date, window: dt.timedelta) -> Iterator[Problem]:
    successor_id = person.data.get("successor")
    if not isinstance(successor_id, str):
        return
    successor = kb.resolve(successor_id, ("team",))
    if successor is None:
        return  # reported by the reference check
    if successor.id == person.id:
        yield person.error(("successor",), "E308", "a person cannot be their own successor")
    elif departure(successor, today, window)[0] != "staying":
        yield person.error(("successor",), "E308", f'successor "{successor.id}" is leaving or has left; name someone who stays')


def _account(account: Record) -> Iterator[Problem]:
    if account.data.get("status") != "active":
        return
    owner, backup = account.data.get("owner"), account.data.get("backup")
    if not owner:
        yield account.error((), "E305", "active account has no owner; add owner: <team id>")
    if not backup:
        yield account.error((), "E306", "active account has no backup; add backup: <team id> (someone other than the owner)")
    elif owner and str(backup).rpartition("/")[2] == str(owner).rpartition("/")[2]:
        yield account.error(("backup",), "E307", f'backup is the owner ("{owner}"); name a second person')
    if not account.data.get("cadence"):
        yield account.warning(("status",), "W308", "active account has no cadence; say how often it must be fed, e.g. cadence: 3/week")
