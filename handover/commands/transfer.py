"""`handover transfer FROM TO`: hand over everything a person holds, value by value.

Every reference that makes FROM responsible (owner, backup, 2FA and recovery holder,
vault access, follow-up actions, relationship owner) is rewritten to TO in place: only
those values change in the files, so `git diff` shows the handover and nothing else.
Where TO would become both owner and backup of an account, the backup goes to the
person named by `--backup`; without one, the transfer refuses and says where.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from handover.core.errors import HandoverError
from handover.files.yamlio import ValueEdit, edit_values, read_text
from handover.records.departure import Holding, holdings
from handover.records.departure import departure_state as departure
from handover.records.model import KnowledgeBase, Record


@dataclass(frozen=True)
class Change:
    record: Record
    path: tuple[object, ...]
    old: str
    new: str | None  # None: FROM is removed from a list that already names TO

    @property
    def role(self) -> str:
        return ".".join(str(p) for p in self.path if not isinstance(p, int))

    def describe(self) -> str:
        if self.new is None:
            return f"{self.record.display}: {self.role}: remove {self.old} (already lists the new holder)"
        return f"{self.record.display}: {self.role}: {self.old} → {self.new}"


@dataclass
class TransferPlan:
    source: str
    target: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the tool cannot do for you
    flagged: list[str] = field(default_factory=list)  # actions left as they are: they name TO
    texts: dict[Path, str] = field(default_factory=dict)  # file → its new text
    displays: dict[Path, str] = field(default_factory=dict)  # file → its name as problems show it

    @property
    def files(self) -> list[Path]:
        return sorted(self.texts)

    def commit_message(self) -> str:
        """`Transfer lea-martin's holdings to karim-benali`, then one line per change."""
        lines = [f"Transfer {self.source}'s holdings to {self.target}", ""]
        lines += [f"- {change.record.ref}: {change.role}: " + (f"{change.old} -> {change.new}" if change.new else f"remove {change.old}") for change in self.changes]
        return "\n".join(lines) + "\n"


def _active_member(kb: KnowledgeBase, person_id: str, today: dt.date, what: str) -> Record:
    person = kb.records["team"].get(person_id)
    if person is None:
        known = ", ".join(sorted(kb.records["team"]))
        raise HandoverError(f'{what} "{person_id}" is not a team member', hint=f"use a team id: {known}")
    state, end = departure(person, today, kb.config.leaving_window)
    if state != "staying":
        raise HandoverError(f'{what} "{person_id}" ' + (f"leaves on {end}" if state == "leaving" and end else "is leaving" if state == "leaving" else "has left"),
                            hint="hand over to someone who stays")
    return person


def plan_transfer(kb: KnowledgeBase, source: str, target: str, today: dt.date, *, kind: str | None = None, backup: str | None = None) -> TransferPlan:
    """What `transfer` would change, file by file. Raises HandoverError with every reason to refuse."""
    if source not in kb.records["team"] and source not in holdings(kb):
        raise HandoverError(f'"{source}" is not a team member and holds nothing', hint="use a team id, e.g. from handover status")
    if source == target:
        raise HandoverError("FROM and TO are the same person")
    _active_member(kb, target, today, "TO")
    if backup is not None:
        _active_member(kb, backup, today, "--backup")
        if backup in (target, source):
            raise HandoverError("--backup must be someone other than FROM and TO")
    plan = TransferPlan(source, target)
    items = [h for h in holdings(kb).get(source, []) if kind is None or h.record.kind.folder == kind]
    edits: dict[Path, tuple[Record, list[ValueEdit]]] = {}
    conflicts: list[str] = []
    target_names = _names(kb.records["team"][target])
    for holding in items:
        if holding.path[0] == "actions" and _names_target(holding, target_names):
            action_text = str(_value_at(holding.record, holding.path[:2] + ("action",)))
            plan.flagged.append(f'{holding.record.display}: action {int(holding.path[1]) + 1} "{action_text}" names {target} already: '
                                f"not reassigned; decide by hand (mark it done: true if it is done, or give it to someone else)")
            continue
        for change in _changes_for(holding, target, backup, conflicts):
            plan.changes.append(change)
            new = None if change.new is None else _keep_prefix(change.old, change.new)
            edits.setdefault(holding.record.path, (holding.record, []))[1].append(ValueEdit(change.path, new))
        if holding.path[-2:-1] == ("shared_with",):
            plan.notes.append(f"{holding.record.display}: revoke {source}'s access to the vault entry in the password manager itself")
        elif holding.path[-1:] == ("holder",):
            section = holding.record.data.get(str(holding.path[0]), {})
            device = section.get("device") if isinstance(section, dict) else None
            where = f" (now: {device})" if device else ""
            plan.notes.append(f"{holding.record.display}: move {holding.path[0]} itself to {target}{where}, then update its description")
    if conflicts:
        raise HandoverError("the transfer would leave accounts with the same owner and backup:\n  " + "\n  ".join(conflicts),
                            hint=f"name who backs them up instead: handover transfer {source} {target} --backup ID")
    for path, (record, record_edits) in edits.items():
        text, problems = read_text(path, record.display)
        if text is None:
            raise HandoverError(problems[0].format_gnu() if problems else f"{record.display}: cannot be read")
        plan.displays[path] = record.display
        plan.texts[path] = edit_values(text, record_edits, front_matter=record.kind.is_markdown, display=record.display)
    if not plan.changes:
        raise HandoverError(f'"{source}" holds nothing' + (f" in {kind}" if kind else "") + "; nothing to transfer")
    return plan


def _names(person: Record) -> set[str]:
    """How an action's text could name a person: their full name and first name, folded."""
    from handover.records.fold import fold

    name = fold(str(person.data.get("name") or person.id)).casefold()
    return {name, name.split()[0]} if name.split() else {name}


def _names_target(holding: Holding, names: set[str]) -> bool:
    """Does the follow-up action's text name TO ("Transmettre le dossier à Karim")?"""
    import re

    from handover.records.fold import fold

    text = fold(str(_value_at(holding.record, holding.path[:2] + ("action",)))).casefold()
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in names if len(name) > 2)


def _changes_for(holding: Holding, target: str, backup: str | None, conflicts: list[str]) -> list[Change]:
    record, path = holding.record, holding.path
    old = str(_value_at(record, path))
    if path[-2:-1] == ("shared_with",):
        listed = record.data.get("credentials", {}).get("shared_with") or []
        already = any(str(v).rpartition("/")[2] == target for v in listed)
        return [Change(record, path, old, None if already else target)]
    if record.kind.folder == "accounts" and path in (("owner",), ("backup",)):
        other_path = ("backup",) if path == ("owner",) else ("owner",)
        other = record.data.get(other_path[0])
        if isinstance(other, str) and other.rpartition("/")[2] == target:
            if backup is None:
                conflicts.append(f"{record.display}: {target} is already its {other_path[0]} and would also be its {path[0]}")
                return []
            if path == ("owner",):  # TO backed it up and now owns it: --backup backs it up
                return [Change(record, path, old, target), Change(record, other_path, other, backup)]
            return [Change(record, path, old, backup)]
    return [Change(record, path, old, target)]


def _value_at(record: Record, path: tuple[object, ...]) -> object:
    value: object = record.data
    for step in path:
        value = value[step]  # type: ignore[index]
    return value


def _keep_prefix(old: str, new: str) -> str:
    """`team/lea-martin` becomes `team/karim-benali`, `lea-martin` becomes `karim-benali`."""
    prefix = old.rpartition("/")[0]
    return f"{prefix}/{new}" if prefix else new


def apply_transfer(plan: TransferPlan, root: Path, also: dict[Path, str] | None = None) -> list[Path]:
    """Write every changed file, and `also` (the leaver's checklist), all or nothing
    (files/journal.py: a process killed halfway is finished by the next command);
    returns the files written. The caller holds the knowledge base's lock."""
    from handover.files.journal import Transaction, commit

    commit(Transaction(root, {**plan.texts, **(also or {})}))
    return [*plan.files, *(also or {})]
