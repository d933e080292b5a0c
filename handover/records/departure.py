"""The departure: who leaves, what they hold, what must still be done. Computed once.

Status, the continuity check, the site, the handover pack and the checklist all ask
the same questions about a team member who leaves; this module answers them once:

- `holdings`: every record that names a team member as responsible (owner, backup,
  2FA or recovery holder, vault access, follow-up action);
- `departure_state`: gone, leaving or staying, today;
- `Departure`: a person who leaves with what they hold, split into what will have
  nobody (`no_holder`) and the vault access that must be revoked (`to_revoke`), and
  their checklist (records/checklist.py), steps stored in `departures/PERSON.yml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from handover.records.checklist import Step, checklist
from handover.records.fieldtypes import Ref
from handover.records.model import KnowledgeBase, Record

# References to team members that do not make them responsible for the record.
# (credentials.shared_with does: access to a vault entry must be handed back.)
NOT_HOLDING = {"approved_by", "successor", "interactions"}
ACCESS_ROLE = "credentials.shared_with"
# Kinds whose references to people record what happened, not who is responsible.
NOT_HELD_KINDS = {"departures"}


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


@dataclass(frozen=True)
class Held:
    """One record a person is responsible for, with every role they hold in it."""

    record: Record
    roles: tuple[str, ...]

    @property
    def access_only(self) -> bool:
        """They can only open its login: revoke that; someone else holds the rest."""
        return all(role == ACCESS_ROLE for role in self.roles)


def holdings(kb: KnowledgeBase) -> Mapping[str, list[Holding]]:
    """Team id → everything that names them as responsible (done actions excluded);
    worked out once per loaded knowledge base (KnowledgeBase.derived)."""
    found = kb.derived.get("holdings")
    if found is None:
        found = kb.derived["holdings"] = _holdings(kb)
    return cast(Mapping[str, list[Holding]], found)


def _holdings(kb: KnowledgeBase) -> dict[str, list[Holding]]:
    found: dict[str, list[Holding]] = {}
    for record in kb.all_records():
        if record.kind.folder in NOT_HELD_KINDS:
            continue
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


def group_held(items: list[Holding]) -> tuple[Held, ...]:
    """Holdings grouped by record, roles in the order met."""
    grouped: dict[str, tuple[Record, list[str]]] = {}
    for holding in items:
        _, roles = grouped.setdefault(holding.record.ref, (holding.record, []))
        if holding.role not in roles:
            roles.append(holding.role)
    return tuple(Held(record, tuple(roles)) for record, roles in grouped.values())


def departure_state(person: Record, today: dt.date, window: dt.timedelta) -> tuple[str, dt.date | None]:
    """("gone" | "leaving" | "staying", end date) for a team member today."""
    end = person.date("end")
    status = person.data.get("status")
    if status == "left" or (end is not None and end < today):
        return "gone", end
    if status == "leaving" or (end is not None and end <= today + window):
        return "leaving", end
    return "staying", end


@dataclass(frozen=True)
class Departure:
    """A team member who leaves (or has left), what they hold, and their checklist."""

    person: Record
    state: str  # "leaving" or "gone"
    end: dt.date | None
    successor: str | None
    held: tuple[Held, ...]
    steps: tuple[Step, ...]
    today: dt.date

    @property
    def no_holder(self) -> tuple[Held, ...]:
        """What will have nobody once they are gone (unless a successor takes it)."""
        return tuple(h for h in self.held if not h.access_only)

    @property
    def to_revoke(self) -> tuple[Held, ...]:
        """Logins they can open while someone else holds the account: revoke the access."""
        return tuple(h for h in self.held if h.access_only)

    @property
    def open_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.state == "todo")

    @property
    def past_last_day(self) -> bool:
        return self.end < self.today if self.end else self.state == "gone"

    @property
    def overdue_steps(self) -> tuple[Step, ...]:
        """Open steps once the last day is over: these keep status red."""
        return self.open_steps if self.past_last_day else ()


def departures(kb: KnowledgeBase, today: dt.date, held: Mapping[str, list[Holding]] | None = None) -> list[Departure]:
    """Everyone leaving, and everyone gone who still holds something or has open steps,
    sorted by id."""
    held = holdings(kb) if held is None else held
    found = []
    for _, person in sorted(kb.records["team"].items()):
        item = departure_of(kb, person, today, held)
        if item is not None and (item.state == "leaving" or item.held or item.open_steps):
            found.append(item)
    return found


def departure_of(kb: KnowledgeBase, person: Record, today: dt.date, held: Mapping[str, list[Holding]] | None = None,
                 *, always: bool = False) -> Departure | None:
    """One person's departure; None when they stay (unless `always`: what they would
    hand over, for a pack made before notice is given)."""
    held = holdings(kb) if held is None else held
    state, end = departure_state(person, today, kb.config.leaving_window)
    if state == "staying" and not always:
        return None
    items = group_held(held.get(person.id, []))
    successor = person.data.get("successor")
    stored = kb.records.get("departures", {}).get(person.id)
    # Someone who left holding nothing, with no checklist kept: a departure from before
    # checklists (its steps were never recorded); nothing to derive from.
    steps = () if state == "gone" and not items and stored is None else checklist(kb, person, items, stored)
    return Departure(person, state, end, successor if isinstance(successor, str) else None, items, steps, today)
