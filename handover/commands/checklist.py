"""`handover checklist PERSON`: show a departure's checklist, tick or waive its steps.

The steps come from records/checklist.py (derived from what the person holds, merged
with `departures/PERSON.yml`). Marking a step writes the whole checklist (every
derived step, so that none is lost once a transfer moves the records) atomically;
the caller holds the knowledge base's lock (handover/files/lock.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError, UsageError
from handover.files.atomic import atomic_write
from handover.files.yamlio import dump_record
from handover.records.checklist import Step, find_step
from handover.records.departure import Departure, departure_of
from handover.records.model import KnowledgeBase, Record

HEADER = ("# Departure checklist, kept by handover (`handover checklist {person}`, `handover transfer`).\n"
          "# Steps are derived from what {person} held; state: todo, done or waived (with why and decided_by).\n")


@dataclass
class Marked:
    departure: Departure
    changed: list[Step]
    path: Path


def person_departure(kb: KnowledgeBase, person_id: str, today: dt.date) -> Departure:
    """The person's departure, even before notice is given (their checklist would be)."""
    person = kb.records["team"].get(person_id)
    if person is None:
        raise HandoverError(f'"{person_id}" is not a team member', hint="use a team id: " + ", ".join(sorted(kb.records["team"])))
    found = departure_of(kb, person, today, always=True)
    assert found is not None  # always=True
    return found


def checklist_path(kb: KnowledgeBase, person_id: str) -> Path:
    return kb.root / "departures" / f"{person_id}.yml"


def checklist_text(person: Record, steps: tuple[Step, ...] | list[Step]) -> str:
    """departures/PERSON.yml's text, every step with its state."""
    data: dict[str, Any] = {"person": person.id, "steps": [_yaml_step(s) for s in steps]}
    return HEADER.format(person=person.id) + dump_record(data)


def write_checklist(kb: KnowledgeBase, person: Record, steps: tuple[Step, ...] | list[Step]) -> Path:
    """Write departures/PERSON.yml with every step, atomically."""
    path = checklist_path(kb, person.id)
    path.parent.mkdir(exist_ok=True)
    atomic_write(path, checklist_text(person, steps))
    return path


def _yaml_step(step: Step) -> dict[str, Any]:
    data = step.as_data()
    if step.on is not None:
        data["date"] = step.on  # a YAML date, not a quoted string
    return data


def mark(kb: KnowledgeBase, person_id: str, today: dt.date, wanted: list[str], state: str, by: str,
         why: str | None = None, decided_by: str | None = None, note: str | None = None) -> Marked:
    """Mark the steps `wanted` names as done (or waived, with why and who decided), and
    write the checklist. Raises HandoverError naming the steps when one is unknown."""
    departure = person_departure(kb, person_id, today)
    if kb.resolve(by, ("team", "contacts")) is None:
        raise HandoverError(f'--by "{by}" is neither a team member nor a contact', hint="name who did it by their id, e.g. karim-benali")
    if state == "waived":
        if not why or not why.strip():
            raise UsageError("a waived step needs --why: say why it is not needed")
        decided_by = decided_by or by
        if kb.resolve(decided_by, ("team", "contacts")) is None:
            raise HandoverError(f'--decided-by "{decided_by}" is neither a team member nor a contact')
    steps = list(departure.steps)
    chosen: list[Step] = []
    for item in wanted:
        found = find_step(steps, item)
        if not found:
            raise HandoverError(f'no step "{item}" in {person_id}\'s checklist', hint="handover checklist " + person_id + " lists the step ids")
        if len(found) > 1 and (":" in item or "/" not in item):  # a record's ref alone names all its steps
            raise HandoverError(f'"{item}" names {len(found)} steps: ' + ", ".join(s.id for s in found), hint="give the whole id")
        chosen.extend(s for s in found if s not in chosen)
    changed = []
    for step in chosen:
        new = dataclasses.replace(step, state=state, by=by, on=today, why=why if state == "waived" else None,
                                  decided_by=decided_by if state == "waived" else None, note=note or step.note)
        steps[steps.index(step)] = new
        changed.append(new)
    path = write_checklist(kb, departure.person, steps)
    return Marked(dataclasses.replace(departure, steps=tuple(steps)), changed, path)


def transferred_steps(before: Departure, done_refs: set[str], done_actions: set[str], by: str, today: dt.date) -> tuple[list[Step], list[Step]]:
    """(every step, the steps ticked): the checklist as it stood before a transfer,
    with the steps the transfer does marked done."""
    steps = list(before.steps)
    ticked = []
    for index, step in enumerate(steps):
        if step.state != "todo" or not step.by_transfer:
            continue
        name = step.id.rpartition(":")[2]
        if (name == "reassign" and step.record_ref in done_refs) or (name.startswith("action-") and step.id in done_actions):
            steps[index] = dataclasses.replace(step, state="done", by=by, on=today, note="handover transfer")
            ticked.append(steps[index])
    return steps, ticked


def ticked_checklist(kb: KnowledgeBase, before: Departure, done_refs: set[str], done_actions: set[str], by: str,
                     today: dt.date) -> tuple[Path, str, list[Step]]:
    """For a transfer: the checklist file and its new text (every step derived before the
    transfer, so none is lost once the records name someone else, the steps it does
    marked done), written in the same transaction as the records; and the steps ticked."""
    steps, ticked = transferred_steps(before, done_refs, done_actions, by, today)
    return checklist_path(kb, before.person.id), checklist_text(before.person, steps), ticked


def format_checklist(departure: Departure) -> str:
    """The checklist as text, one step a line: `[x] id: title — done by X on DATE`."""
    d = departure
    out = []
    when = f"last day {d.end}" if d.end else d.state
    late = "; the last day is over" if d.past_last_day else ""
    open_count = len(d.open_steps)
    out.append(f"{d.person.id} ({d.person.title}), {when}{late}: {len(d.steps) - open_count} of {len(d.steps)} step(s) done or waived, {open_count} open")
    for step in d.steps:
        mark_ = {"done": "x", "waived": "-"}.get(step.state, " ")
        line = f"  [{mark_}] {step.id}: {step.title}"
        if step.state == "todo" and step.after_end:
            line += " (after the last day)"
        if step.state != "todo":
            line += f" — {step.state} by {step.by or '?'}" + (f" on {step.on}" if step.on else "")
            if step.why:
                line += f"; why: {step.why}" + (f" (decided by {step.decided_by})" if step.decided_by else "")
            if step.note:
                line += f"; {step.note}"
        out.append(line)
    return "\n".join(out)
