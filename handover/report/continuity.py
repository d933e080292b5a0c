"""The continuity view: is every account fed, who is leaving with what, what is orphaned.

One computation for `handover status`, the handover pack and anything else that must
answer "what happens to the accounts when this person leaves?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from handover.activity.analysis import Pulse, pulse_line, pulses
from handover.checks.freshness import review_due
from handover.records.departure import Departure, Holding, departure_state, departures, holdings
from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase, Record


@dataclass(frozen=True)
class Alert:
    """What is wrong with who feeds an account, for each reader to word: `handover
    status` in English (`english`), the report in the knowledge base's language."""

    what: str  # nobody, leaving, unknown, gone, same, quiet
    role: str = ""  # owner, backup
    person: str | None = None  # the team member's id
    end: dt.date | None = None  # their last day, when leaving
    detail: str = ""  # quiet: pulse's line

    @property
    def english(self) -> str:
        """e.g. 'owner "lea-martin" leaves on 2026-12-18'."""
        who = f'{self.role} "{self.person}" '
        return {"nobody": f"no {self.role}", "leaving": who + (f"leaves on {self.end}" if self.end else "is leaving"),
                "unknown": who + "is not on the team", "gone": who + "has left", "same": "owner and backup are the same person",
                "quiet": f"quiet: {self.detail}"}[self.what]


@dataclass(frozen=True)
class AccountLine:
    account: Record
    owner: str | None
    backup: str | None
    cadence: str | None
    status: str
    issues: tuple[Alert, ...]

    @property
    def alerts(self) -> tuple[str, ...]:
        """The issues in English, e.g. 'owner "lea-martin" leaves on 2026-12-18'."""
        return tuple(issue.english for issue in self.issues)


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


def continuity_status(kb: KnowledgeBase, today: dt.date, *, known_pulses: list[Pulse] | None = None,
                      known_holdings: Mapping[str, list[Holding]] | None = None) -> StatusView:
    """Everything `handover status` shows, computed once. A caller that has already
    judged the accounts' pulses or listed the holdings for this kb and day (the site)
    passes them, so they are not worked out twice."""
    view = StatusView(today, kb.config.as_of)
    view.pulses = pulses(kb, today) if known_pulses is None else known_pulses
    by_account = {p.account.id: p for p in view.pulses}
    team = kb.records["team"]
    window = kb.config.leaving_window
    held = holdings(kb) if known_holdings is None else known_holdings
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
        alerts: list[Alert] = []
        if status == "active":
            for role, who in (("owner", owner), ("backup", backup)):
                if who is None:
                    alerts.append(Alert("nobody", role))
                    view.orphans.append(Orphan(account, role, None, "nobody is named"))
                elif states.get(who, ("unknown",))[0] != "staying":
                    state, end = states.get(who, ("unknown", None))
                    alerts.append(Alert(state, role, who, end if state == "leaving" else None))
            if owner and owner == backup:
                alerts.append(Alert("same"))
            pulse = by_account.get(account.id)
            if pulse and pulse.quiet:
                alerts.append(Alert("quiet", detail=pulse_line(pulse)))
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
