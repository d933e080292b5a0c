"""`handover status` as text and as JSON; the continuity view itself is computed in
report/continuity.py (shared with the pack, the weekly report and the site's reports).
"""

from __future__ import annotations

from typing import Any

from handover.activity.analysis import pulse_as_dict, pulse_line
from handover.records.departure import Departure, Held, group_held
from handover.records.model import Record
from handover.report.continuity import AccountLine, Orphan, StatusView, continuity_status

__all__ = ["AccountLine", "Departure", "Held", "Orphan", "StatusView", "continuity_status", "format_status", "group_held", "status_as_dict"]


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
