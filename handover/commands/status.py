"""The continuity view: is every account fed, who is leaving with what, what is orphaned.

One computation for `handover status`, the handover pack and anything else that must
answer "what happens to the accounts when this person leaves?".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from handover.activity.analysis import Pulse, pulse_as_dict, pulse_line, pulses
from handover.checks.freshness import review_due
from handover.records.departure import Departure, Held, departure_state, departures, group_held, holdings
from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase, Record

__all__ = ["AccountLine", "Departure", "Held", "Orphan", "StatusView", "continuity_status", "format_status", "group_held", "status_as_dict"]


@dataclass(frozen=True)
class AccountLine:
    account: Record
    owner: str | None
    backup: str | None
    cadence: str | None
    status: str
    alerts: tuple[str, ...]  # e.g. 'owner "lea-martin" leaves on 2026-12-18'


@dataclass(frozen=True)
class Orphan:
    """Something whose responsible person is gone, unknown, or missing altogether."""

    record: Record
    role: str
    person: str | None  # None: nobody is named
    reason: str


@dataclass
class StatusView:
    today: dt.date
    as_of: dt.date | None = None  # a sample knowledge base's declared day (handover.yml: as_of)
    accounts: list[AccountLine] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    stale: list[tuple[dt.date, Record]] = field(default_factory=list)
    open_incidents: list[Record] = field(default_factory=list)
    drafts: list[Record] = field(default_factory=list)
    pulses: list[Pulse] = field(default_factory=list)

    @property
    def quiet(self) -> list[Pulse]:
        """Active accounts with no post for longer than their cadence allows."""
        return [p for p in self.pulses if p.active and p.quiet]

    @property
    def clean(self) -> bool:
        """Nothing orphaned, nobody leaving with something still in hand, no checklist
        step open after a person's last day, and no active account quiet."""
        return not self.orphans and not any(d.held or d.overdue_steps for d in self.departures) and not self.quiet


def continuity_status(kb: KnowledgeBase, today: dt.date) -> StatusView:
    """Everything `handover status` shows, computed once."""
    view = StatusView(today, kb.config.as_of)
    view.pulses = pulses(kb, today)
    by_account = {p.account.id: p for p in view.pulses}
    team = kb.records["team"]
    window = kb.config.leaving_window
    held = holdings(kb)
    states = {person_id: departure_state(person, today, window) for person_id, person in team.items()}
    view.departures = departures(kb, today, held)

    for person_id, items in sorted(held.items()):
        state = states.get(person_id, ("unknown", None))[0]
        if state in ("gone", "unknown"):
            reason = "not on the team" if state == "unknown" else "has left"
            view.orphans.extend(Orphan(h.record, h.role, person_id, reason) for h in items)

    for account in sorted(kb.records["accounts"].values(), key=lambda r: r.id):
        status = str(account.data.get("status", ""))
        owner, backup = _person_id(account.data.get("owner")), _person_id(account.data.get("backup"))
        alerts = []
        if status == "active":
            for role, who in (("owner", owner), ("backup", backup)):
                if who is None:
                    alerts.append(f"no {role}")
                    view.orphans.append(Orphan(account, role, None, "nobody is named"))
                elif states.get(who, ("unknown",))[0] != "staying":
                    state, end = states.get(who, ("unknown", None))
                    alerts.append(f'{role} "{who}" ' + (f"leaves on {end}" if state == "leaving" and end else "is leaving" if state == "leaving" else "is not on the team" if state == "unknown" else "has left"))
            if owner and owner == backup:
                alerts.append("owner and backup are the same person")
            pulse = by_account.get(account.id)
            if pulse and pulse.quiet:
                alerts.append(f"quiet: {pulse_line(pulse)}")
        cadence = account.data.get("cadence")
        view.accounts.append(AccountLine(account, owner, backup, str(cadence) if cadence else None, status, tuple(alerts)))

    for kind in KINDS:
        for record in kb.records[kind].values():
            due = review_due(record, kb)
            if due and due < today:
                view.stale.append((due, record))
    view.stale.sort(key=lambda item: (item[0], item[1].ref))
    view.open_incidents = sorted((r for r in kb.records["incidents"].values() if r.data.get("status") in ("open", "monitoring")), key=lambda r: r.id)
    view.drafts = sorted((r for r in kb.records["responses"].values() if r.data.get("status") == "draft"), key=lambda r: r.id)
    return view


def _person_id(value: Any) -> str | None:
    return value.rpartition("/")[2] if isinstance(value, str) and value else None


def status_as_dict(view: StatusView) -> dict[str, Any]:
    """The view for machines (`handover status --json`)."""

    def ref(record: Record) -> dict[str, Any]:
        return {"id": record.ref, "title": record.title, "file": record.display}

    return {
        "today": view.today.isoformat(),
        "sample_as_of": view.as_of.isoformat() if view.as_of else None,
        "clean": view.clean,
        "accounts": [{**ref(a.account), "platform": a.account.data.get("platform"), "handle": a.account.data.get("handle"), "owner": a.owner,
                      "backup": a.backup, "cadence": a.cadence, "status": a.status, "alerts": list(a.alerts)} for a in view.accounts],
        "departures": [{"person": d.person.id, "name": d.person.title, "state": d.state, "end": d.end.isoformat() if d.end else None,
                        "successor": d.successor, "holds": [{**ref(h.record), "roles": list(h.roles)} for h in d.held],
                        "no_holder": [h.record.ref for h in d.no_holder], "to_revoke": [h.record.ref for h in d.to_revoke],
                        "checklist": [s.as_data() for s in d.steps], "overdue_steps": [s.id for s in d.overdue_steps]} for d in view.departures],
        "orphans": [{**ref(o.record), "role": o.role, "person": o.person, "reason": o.reason} for o in view.orphans],
        "stale": [{**ref(r), "review_due": due.isoformat()} for due, r in view.stale],
        "open_incidents": [{**ref(r), "status": r.data.get("status"), "owner": r.data.get("owner")} for r in view.open_incidents],
        "drafts": [{**ref(r), "owner": r.data.get("owner")} for r in view.drafts],
        "quiet": [pulse_as_dict(p) for p in view.quiet],
    }


def format_status(view: StatusView, limit: int = 20) -> str:
    """The view as text for the terminal, most urgent first."""
    out: list[str] = []

    shown = limit

    def section(title: str, lines: list[str], total: int | None = None, limit: int = shown) -> None:
        out.append(f"{title}:")
        out.extend(f"  {line}" for line in lines[:limit]) if lines else out.append("  none")
        hidden = (total if total is not None else len(lines)) - min(len(lines), limit)
        if hidden > 0:
            out.append(f"  … and {hidden} more (--json lists all)")
        out.append("")

    section("Quiet (active accounts not fed at their cadence)", [f"{p.account.ref}: {pulse_line(p)}, cadence {p.account.data.get('cadence')}; owner {p.owner or '-'}, backup {p.backup or '-'}"
                                                                for p in view.quiet])
    section("Orphaned (owner gone, unknown or missing)", [f"{o.record.ref}: {o.role} " + (f'"{o.person}" {o.reason}' if o.person else o.reason) for o in view.orphans])
    leaving = []
    for d in view.departures:
        if d.state == "gone" and not d.held and not d.open_steps:
            continue
        when = f"leaves on {d.end} (in {(d.end - view.today).days} days)" if d.state == "leaving" and d.end else "is leaving" if d.state == "leaving" else "has left"
        plan = f"successor: {d.successor}" if d.successor else "no successor named"
        leaving.append(f"{d.person.id} {when}; {plan}; holds {len(d.held)} record{'s' if len(d.held) != 1 else ''}")
        leaving.extend(f"    {h.record.ref} ({', '.join(h.roles)})" for h in d.held)
        open_steps = d.open_steps
        if d.steps:
            done = len(d.steps) - len(open_steps)
            late = " — last day over: status stays red until each is done or waived" if d.overdue_steps else ""
            leaving.append(f"    checklist: {done} of {len(d.steps)} step{'s' if len(d.steps) != 1 else ''} done or waived, {len(open_steps)} open{late}")
            leaving.extend(f"      [{_mark(s.state)}] {s.id}: {s.title}" + (" (after the last day)" if s.after_end and s.state == "todo" else "")
                           + (f" — {s.state} by {s.by}" + (f" on {s.on}" if s.on else "") if s.state != "todo" and s.by else "")
                           + (f"; why: {s.why}" if s.why else "") for s in d.steps)
    section("Leaving", leaving, limit=10_000)
    width = max((len(a.account.id) for a in view.accounts), default=0)
    accounts = [f"{a.account.id:<{width}}  {a.status:<8} owner {a.owner or '-'}, backup {a.backup or '-'}, cadence {a.cadence or '-'}"
                + (f"  ! {'; '.join(a.alerts)}" if a.alerts else "") for a in view.accounts]
    section("Accounts", accounts)
    section("Open incidents", [f"{r.ref} ({r.data.get('status')}, owner {r.data.get('owner') or '-'}): {r.title}" for r in view.open_incidents])
    section("Drafts awaiting approval", [f"{r.ref} (owner {r.data.get('owner') or '-'}): {r.title}" for r in view.drafts])
    section("Stale (review overdue)", [f"{r.ref}: due {due}" for due, r in view.stale])
    verdict = ("clean: nothing orphaned, nothing left in the hands of someone leaving" if view.clean
               else "not clean: see Quiet, Orphaned and Leaving above")
    sample = f" (sample knowledge base, dated {view.as_of})" if view.as_of else ""
    out.append(f"status on {view.today}{sample}: {verdict}")
    return "\n".join(out)


def _mark(state: str) -> str:
    return {"done": "x", "waived": "-"}.get(state, " ")
