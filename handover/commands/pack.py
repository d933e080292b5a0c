"""HANDOVER.md: what one person (or the whole team) hands over, most urgent first.

For one person: their departure checklist (the open steps first), what will have
nobody once they leave, the vault access to revoke on accounts others hold, every
account they own or back up (where its credentials live, who holds the second factor
and reads the recovery address: references only, the pack never holds a secret),
their relationships with the last exchanges; then, as the site shows them, every open
incident with its follow-up actions, every open action, the drafts and the records to
review; how to find the response for a situation offline; their changes in git.
Dates are written as a reader of the language expects (« 18 décembre 2026 »).
Links point into the offline site shipped beside it (`site/KIND/ID.html`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from handover.commands.packtext import NONE_KEY, PACK_LABELS
from handover.commands.status import Departure, Held, StatusView
from handover.records.audience import field_visible, record_visible
from handover.records.dates import long_date
from handover.records.departure import departure_of
from handover.records.model import KnowledgeBase, Record
from handover.records.relationships import interactions, last_contact
from handover.records.values import as_date
from handover.site.pages import pulse
from handover.site.pages.context import SiteContext

LAST_EXCHANGES = 3


@dataclass
class PersonChanges:
    """A person's commits, as history gives them (or why it cannot)."""

    lines: list[str] = field(default_factory=list)
    unavailable: str | None = None


class _Writer:
    def __init__(self, kb: KnowledgeBase, view: StatusView, audience: str) -> None:
        self.kb, self.view, self.audience = kb, view, audience
        self.site = SiteContext(kb, audience, view.today)  # names and values as the site shows them
        self.labels = self.site.labels
        self.text = PACK_LABELS.get(self.labels.language, PACK_LABELS["en"])
        self.out: list[str] = []

    def t(self, key: str, **values: Any) -> str:
        """A sentence of the pack; dates in it as the language writes them (as on the site)."""
        return self.text[key].format(**{k: self.labels.date(v) if isinstance(v, dt.date) else v for k, v in values.items()})

    def date(self, value: Any) -> str:
        day = as_date(value)
        return long_date(day, self.labels.language) if day else str(value)

    def who(self, value: Any) -> str:
        """A team member or contact by name, as a reader knows them."""
        if not isinstance(value, str) or not value:
            return "—"
        found = self.kb.resolve(value, ("team", "contacts"))
        return found.title if found is not None else value

    def visible(self, record: Record) -> bool:
        return record_visible(record, self.audience)

    def field(self, record: Record, name: str) -> Any:
        return record.data.get(name) if field_visible(record, name, self.audience) else None

    def ref(self, record: Record) -> str:
        """`Title` (kind/id) linking to its page in the shipped site."""
        # the pack's site is built offline: no directory URLs, so `kind/id.html`
        return f"[{self.site.title(record)}](site/{record.kind.folder}/{record.id}.html) (`{record.ref}`)"

    def role_names(self, roles: tuple[str, ...]) -> str:
        return ", ".join(" › ".join(self.labels[part] for part in role.split(".")) for role in roles)

    def heading(self, level: int, text: str) -> None:
        self.out.append(f"{'#' * level} {text}\n")

    def bullets(self, lines: list[str], none: str = "none_m") -> None:
        # a line already indented as a sub-item ("  - …") stays one
        self.out.append("\n".join(line if line.startswith("  - ") else f"- {line}" for line in lines) + "\n" if lines else self.t(none) + "\n")

    # --- sections ----------------------------------------------------------------

    def checklist(self, departure: Departure) -> None:
        self.heading(2, self.t("checklist"))
        steps = departure.steps
        if not steps:
            self.out.append(self.t("checklist_none") + "\n")
            return
        open_steps = departure.open_steps
        self.out.append(self.t("checklist_count", open=len(open_steps), total=len(steps), done=len(steps) - len(open_steps)) + "\n")
        if departure.overdue_steps:
            self.out.append(self.t("checklist_late") + "\n")
        self.bullets([f"☐ {s.title}" + (f" ({self.t('after_end')})" if s.after_end else "") + f" — `{s.id}`" for s in open_steps])
        self.out.append(self.t("checklist_how", person=departure.person.id) + "\n")
        closed = [s for s in steps if s.state != "todo"]
        if closed:
            self.heading(3, self.t("checklist_done"))
            lines = []
            for s in closed:
                date = self.date(s.on) if s.on else "?"
                how = self.t("step_waived", by=self.who(s.decided_by or s.by), date=date, why=s.why or "?") if s.state == "waived" else self.t("step_done", by=self.who(s.by), date=date)
                lines.append(f"{'✓' if s.state == 'done' else '–'} {s.title} — {how}")
            self.bullets(lines)

    def orphaned(self, held: tuple[Held, ...], person: str, successor: str | None) -> None:
        self.heading(2, self.t("orphaned"))
        items = [h for h in held if self.visible(h.record)]
        if successor:
            self.out.append(self.t("to_successor", successor=successor, person=person) + "\n")
            self.bullets([f"{self.ref(h.record)} — {self.role_names(h.roles)}" for h in items])
        elif items:
            self.bullets([f"**{self.ref(h.record)}** — {self.role_names(h.roles)}" for h in items])
        else:
            self.out.append(self.t("orphaned_none") + "\n")

    def revoke(self, departure: Departure) -> None:
        items = [h for h in departure.to_revoke if self.visible(h.record)]
        if not items:
            return
        self.heading(2, self.t("revoke"))
        self.out.append(self.t("revoke_intro", name=departure.person.title) + "\n")
        lines = []
        for h in items:
            credentials = self.field(h.record, "credentials")
            where = " / ".join(str(credentials[k]) for k in ("manager", "entry") if credentials.get(k)) if isinstance(credentials, dict) else ""
            lines.append(f"{self.ref(h.record)}" + (f" — {where}" if where else ""))
        self.bullets(lines)

    def accounts(self, held: list[Held]) -> None:
        self.heading(2, self.t("accounts"))
        accounts = [h for h in held if h.record.kind.folder == "accounts" and self.visible(h.record)]
        if not accounts:
            self.out.append(self.t(NONE_KEY["accounts"]) + "\n")
        for h in accounts:
            self.account(h.record, h.roles)

    def account(self, account: Record, roles: tuple[str, ...] = ()) -> None:
        data = account.data
        self.heading(3, f"{self.site.title(account)} — {self.labels.value(str(data.get('status', '')))}")
        lines = [self.ref(account)]
        if roles:
            lines.append(self.t("as_role", roles=self.role_names(roles)))
        lines.append(f"{self.t('owner').capitalize()}{self.site.colon} {self.who(data.get('owner'))} · {self.t('backup')}{self.site.colon} {self.who(data.get('backup'))}")
        cadence = self.field(account, "cadence")
        cadence_text = self.site.scalar(cadence, account.kind.all_fields()["cadence"].type) if cadence else self.t("not_fed")
        lines.append(f"{self.t('cadence')}{self.site.colon} {cadence_text}")
        credentials = self.field(account, "credentials")
        if isinstance(credentials, dict):
            where = " / ".join(str(credentials[k]) for k in ("manager", "entry") if credentials.get(k))
            shared = ", ".join(self.who(v) for v in credentials.get("shared_with") or [])
            lines.append(f"{self.t('credentials_where')}{self.site.colon} {where or self.t('no_credentials')}" + (f" ({self.t('shared_with')}{self.site.colon} {shared})" if shared else ""))
        else:
            lines.append(f"{self.t('credentials_where')}{self.site.colon} {self.t('no_credentials')}")
        for key, name, held_by in (("two_factor", "two_factor", "held_by_2fa"), ("recovery_email", "recovery", "held_by_recovery")):
            section = self.field(account, key)
            if isinstance(section, dict):
                parts = [f"{self.t(held_by)} {self.who(section['holder'])}"] if section.get("holder") else []
                parts += [f"{self.t('method')} {self.labels.value(str(section['method']))}"] if section.get("method") else []
                parts += [str(section["address"])] if section.get("address") else []
                parts += [f"{self.t('device')}{self.site.colon} {section['device']}"] if section.get("device") else []
                lines.append(f"{self.t(name)}{self.site.colon} {', '.join(parts) or '—'}")
        url = self.field(account, "url")
        if url:
            lines.append(str(url))
        found = next((p for p in self.view.pulses if p.account is account), None)
        if found is not None and pulse.shown(self.site):
            lines.append(pulse.pack_line(self.site, found))
        self.bullets(lines)

    def relationships(self, held: list[Held]) -> None:
        self.heading(2, self.t("relationships"))
        lines = []
        for h in held:
            record = h.record
            if record.kind.folder in ("contacts", "influencers") and self.visible(record):
                last = last_contact(record) if field_visible(record, "last_contact", self.audience) else None
                extra = f"{self.labels.value(str(record.data.get('stance')))}, " if record.data.get("stance") else ""
                lines.append(f"{self.ref(record)} — {extra}{self.t('last_contact')} {self.date(last) if last else self.t('never')}")
                if field_visible(record, "interactions", self.audience):
                    lines.extend(f"  - {self.date(i.date)}, {i.channel}, {self.who(i.who)} : {i.note}" if self.labels.language == "fr"
                                 else f"  - {self.date(i.date)}, {i.channel}, {self.who(i.who)}: {i.note}" for i in interactions(record)[:LAST_EXCHANGES])
        self.bullets(lines, NONE_KEY["relationships"])

    def incidents(self) -> None:
        """Every open incident, as the site lists them, with its open follow-up actions."""
        self.heading(2, self.t("incidents"))
        lines = []
        for record in self.view.open_incidents:
            if not self.visible(record):
                continue
            lines.append(f"{self.ref(record)} — {self.labels.value(str(record.data.get('status')))}, {self.t('owner_is', owner=self.who(record.data.get('owner')))}")
            lines.extend(f"  - {line}" for _, line in self.open_actions(record))
        self.bullets(lines, NONE_KEY["incidents"])

    def open_actions(self, record: Record) -> list[tuple[tuple[dt.date, str], str]]:
        """(sort key, line) for each open follow-up action of an incident."""
        actions = self.field(record, "actions")
        found: list[tuple[tuple[dt.date, str], str]] = []
        for action in actions if isinstance(actions, list) else []:
            if not isinstance(action, dict) or action.get("done"):
                continue
            due = as_date(action.get("due"))
            late = f" — {self.t('overdue')}" if due and due < self.view.today else ""
            when = f", {self.t('due', due=self.date(due))}" if due else ""
            found.append(((due or dt.date.max, record.id), f"{action.get('action', '')} ({self.who(action.get('owner'))}{when}){late}"))
        return found

    def all_actions(self) -> None:
        self.heading(2, self.t("actions_all"))
        found: list[tuple[tuple[dt.date, str], str]] = []
        for record in sorted(self.kb.records["incidents"].values(), key=lambda r: r.id):
            if self.visible(record):
                found.extend((key, f"{line} — [{self.site.title(record)}](site/incidents/{record.id}.html)") for key, line in self.open_actions(record))
        self.bullets([line for _, line in sorted(found)], NONE_KEY["actions_all"])

    def records_of(self, title: str, records: list[Record], detail: Any = None) -> None:
        self.heading(2, self.t(title))
        self.bullets([f"{self.ref(r)}" + (f" — {detail(r)}" if detail else "") for r in records if self.visible(r)], NONE_KEY.get(title, "none_m"))

    def stale(self) -> None:
        """Every record overdue for review, as the site lists them, with who keeps it."""
        by_ref = {r.ref: due for due, r in self.view.stale}
        self.records_of("stale", [r for _, r in self.view.stale],
                        lambda r: self.t("review_due", due=self.date(by_ref[r.ref])) + ", " + self.t("owner_is", owner=self.who(r.data.get("owner"))))

    def find_response(self) -> None:
        self.heading(2, self.t("find_title"))
        self.out.append(self.t("find"))

    def changes(self, changes: PersonChanges | None) -> None:
        if changes is None:
            return
        self.heading(2, self.t("changes"))
        if changes.unavailable:
            self.out.append(self.t("changes_unavailable", why=changes.unavailable) + "\n")
        else:
            self.bullets(changes.lines) if changes.lines else self.out.append(self.t("changes_none") + "\n")


def render_person(kb: KnowledgeBase, view: StatusView, person: Record, successor: str | None, *, audience: str,
                  changes: PersonChanges | None, commit: str | None) -> str:
    """HANDOVER.md for one person: their checklist first."""
    w = _Writer(kb, view, audience)
    departure = next((d for d in view.departures if d.person.id == person.id), None)
    if departure is None:  # staying, or gone with nothing pending: what they would hand over
        departure = departure_of(kb, person, view.today, always=True)
    assert departure is not None
    held = departure.held
    w.heading(1, w.t("title_person", name=person.title))
    w.out.append(w.t("generated", today=w.date(view.today), commit=w.t("from_commit", commit=commit) if commit else "") + "\n")
    role, end = person.data.get("role"), person.date("end")
    w.out.append(" · ".join(str(x) for x in (role, w.t("leaves", end=w.date(end)) if end else None) if x) + "\n")
    w.checklist(departure)
    w.orphaned(departure.no_holder, person.id, successor)
    w.revoke(departure)
    w.accounts(list(held))
    w.relationships(list(held))
    w.incidents()
    w.all_actions()
    w.records_of("drafts", view.drafts, lambda r: w.t("owner_is", owner=w.who(r.data.get("owner"))))
    w.stale()
    w.find_response()
    w.changes(changes)
    return "\n".join(w.out)


def render_team(kb: KnowledgeBase, view: StatusView, *, audience: str, commit: str | None) -> str:
    """HANDOVER.md for the whole team: orphans, departures, every account, every open action."""
    w = _Writer(kb, view, audience)
    w.heading(1, w.t("title_team", community=kb.config.community))
    w.out.append(w.t("generated", today=w.date(view.today), commit=w.t("from_commit", commit=commit) if commit else "") + "\n")
    w.heading(2, w.t("orphans_all"))
    w.bullets([f"**{w.ref(o.record)}** — {o.role} " + (f"`{o.person}` ({o.reason})" if o.person else f"({o.reason})") for o in view.orphans if w.visible(o.record)],
              NONE_KEY["orphans_all"])
    w.heading(2, w.t("people"))
    lines = []
    for d in view.departures:
        when = w.t("leaves", end=w.date(d.end)) if d.state == "leaving" and d.end else w.t("left")
        steps = f" — {w.t('open_steps', count=len(d.open_steps))}" if d.open_steps else ""
        lines.append(f"**{d.person.title}** (`{d.person.id}`) {when}{steps} — " + (", ".join(f"{w.ref(h.record)} ({w.role_names(h.roles)})" for h in d.held if w.visible(h.record)) or w.t("holds_nothing")))
    w.bullets(lines, NONE_KEY["people"])
    w.heading(2, w.t("accounts"))
    for line in view.accounts:
        if w.visible(line.account):
            w.account(line.account)
    w.incidents()
    w.all_actions()
    w.records_of("drafts", view.drafts, lambda r: w.t("owner_is", owner=w.who(r.data.get("owner"))))
    w.stale()
    w.find_response()
    return "\n".join(w.out)


def record_as_json(record: Record, audience: str) -> dict[str, Any]:
    """One record for data.json: the fields this audience may see, dates as ISO text."""
    from handover.records.audience import BODY, visible_data

    data: dict[str, Any] = _jsonable(visible_data(record, audience))
    if record.body is not None and field_visible(record, BODY, audience):
        data["body"] = record.body
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
