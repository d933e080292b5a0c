"""Continuity: nothing may be orphaned when someone leaves.

Every active account has an owner and a distinct backup who are on the team; no one
owns anything after their end date; leaving within the configured window is a
warning, on each thing they hold and once on their own record, naming all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from handover.core.errors import Problem
from handover.records.fieldtypes import Ref
from handover.records.model import KnowledgeBase, Record

# References to team members that do not make them responsible for the record.
# (credentials.shared_with does: access to a vault entry must be handed back.)
NOT_HOLDING = {"approved_by", "successor"}


@dataclass(frozen=True)
class Holding:
    """A team member named as responsible somewhere: owner, backup, 2FA holder…"""

    person: str
    record: Record
    path: tuple[Any, ...]

    @property
    def role(self) -> str:
        names = [str(p) for p in self.path if not isinstance(p, int)]
        return ".".join(names)


def holdings(kb: KnowledgeBase) -> dict[str, list[Holding]]:
    """Team id → everything that names them as responsible (done actions excluded)."""
    found: dict[str, list[Holding]] = {}
    for record in kb.all_records():
        for path, value, ftype in record.references():
            if not isinstance(ftype, Ref) or ftype.kinds != ("team",) or path[0] in NOT_HOLDING or (len(path) > 1 and path[-2] in NOT_HOLDING):
                continue
            if path[0] == "actions" and _action_done(record, path):
                continue
            person = value.rpartition("/")[2]
            found.setdefault(person, []).append(Holding(person, record, path))
    return found


def _action_done(record: Record, path: tuple[Any, ...]) -> bool:
    actions = record.data.get("actions")
    try:
        return bool(actions[path[1]].get("done"))  # type: ignore[index]
    except (TypeError, IndexError, KeyError, AttributeError):
        return False


def departure(person: Record, today: dt.date, window: dt.timedelta) -> tuple[str, dt.date | None]:
    """("gone" | "leaving" | "staying", end date) for a team member today."""
    end = person.date("end")
    status = person.data.get("status")
    if status == "left" or (end is not None and end < today):
        return "gone", end
    if status == "leaving" or (end is not None and end <= today + window):
        return "leaving", end
    return "staying", end


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
