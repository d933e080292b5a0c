"""HANDOVER.md: what one person (or the whole team) hands over, most urgent first.

First what will be orphaned because nobody is named to take it; then every account
they own or back up, with where its credentials live and who holds the second factor
and the recovery address (references only: the pack never holds a secret); their
cadences; the relationships they own with the last contact; the open incidents they
are on; their drafts; their stale records; and their changes over their stay.
Links point into the offline site shipped beside it (`site/KIND/ID.html`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from handover.commands.status import Held, StatusView
from handover.records.audience import field_visible, record_visible
from handover.records.model import KnowledgeBase, Record
from handover.site.pages import pulse
from handover.site.pages.context import SiteContext

PACK_LABELS = {
    "en": {
        "title_person": "Handover of {name}", "title_team": "Handover pack of {community}",
        "generated": "Made on {today}{commit} by `handover export`. Open `site/index.html` for the whole knowledge base (search works offline).",
        "from_commit": ", from commit `{commit}`",
        "orphaned": "Will be orphaned: nobody is named to take it", "orphaned_none": "Nothing: every item has someone named to take it.",
        "to_successor": "Goes to {successor} (run `handover transfer {person} {successor}`)",
        "accounts": "Accounts", "as_role": "as {roles}", "credentials_where": "Credentials", "no_credentials": "not recorded",
        "two_factor": "Second factor", "recovery": "Recovery address", "cadence": "Cadence", "not_fed": "not fed on a cadence",
        "relationships": "Relationships", "last_contact": "last contact", "never": "never recorded",
        "incidents": "Open incidents", "drafts": "Drafts awaiting approval", "stale": "Records overdue for review",
        "due": "review due {due}", "changes": "Changes over the stay (git)", "changes_none": "No change recorded in git.",
        "changes_unavailable": "Not available: {why}", "none": "None.", "people": "People leaving", "orphans_all": "Orphaned now",
        "everyone": "Everyone's holdings", "holds_nothing": "holds nothing", "leaves": "leaves on {end}", "left": "has left",
        "shared_with": "vault access", "where": "where", "held_by": "held by", "method": "method", "device": "device",
        "status_line": "{state}", "owner": "owner", "backup": "backup", "page": "page",
    },
    "fr": {
        "title_person": "Passation de {name}", "title_team": "Dossier de passation de {community}",
        "generated": "Établi le {today}{commit} par `handover export`. Ouvrez `site/index.html` pour toute la base de connaissances (la recherche marche hors ligne).",
        "from_commit": ", à partir du commit `{commit}`",
        "orphaned": "Deviendra orphelin : personne n'est désigné pour le reprendre", "orphaned_none": "Rien : chaque élément a un repreneur désigné.",
        "to_successor": "Repris par {successor} (lancer `handover transfer {person} {successor}`)",
        "accounts": "Comptes", "as_role": "comme {roles}", "credentials_where": "Identifiants", "no_credentials": "non renseigné",
        "two_factor": "Double authentification", "recovery": "Adresse de récupération", "cadence": "Rythme", "not_fed": "pas de rythme de publication",
        "relationships": "Relations", "last_contact": "dernier contact", "never": "jamais renseigné",
        "incidents": "Incidents en cours", "drafts": "Brouillons à faire valider", "stale": "Fiches à relire",
        "due": "relecture due le {due}", "changes": "Changements pendant son passage (git)", "changes_none": "Aucun changement enregistré dans git.",
        "changes_unavailable": "Indisponible : {why}", "none": "Aucun.", "people": "Départs", "orphans_all": "Orphelins dès maintenant",
        "everyone": "Ce que chacun porte", "holds_nothing": "ne porte rien", "leaves": "part le {end}", "left": "est parti·e",
        "shared_with": "accès au coffre", "where": "où", "held_by": "détenu par", "method": "méthode", "device": "appareil",
        "status_line": "{state}", "owner": "propriétaire", "backup": "backup", "page": "fiche",
    },
}


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

    def bullets(self, lines: list[str]) -> None:
        self.out.append("\n".join(f"- {line}" for line in lines) + "\n" if lines else self.t("none") + "\n")

    # --- sections ----------------------------------------------------------------

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

    def accounts(self, held: list[Held]) -> None:
        self.heading(2, self.t("accounts"))
        accounts = [h for h in held if h.record.kind.folder == "accounts" and self.visible(h.record)]
        if not accounts:
            self.out.append(self.t("none") + "\n")
        for h in accounts:
            self.account(h.record, h.roles)

    def account(self, account: Record, roles: tuple[str, ...] = ()) -> None:
        data = account.data
        self.heading(3, f"{self.site.title(account)} — {self.labels.value(str(data.get('status', '')))}")
        lines = [self.ref(account)]
        if roles:
            lines.append(self.t("as_role", roles=self.role_names(roles)))
        lines.append(f"{self.t('owner')} : {data.get('owner') or '—'} · {self.t('backup')} : {data.get('backup') or '—'}")
        cadence = self.field(account, "cadence")
        cadence_text = self.site.scalar(cadence, account.kind.all_fields()["cadence"].type) if cadence else self.t("not_fed")
        lines.append(f"{self.t('cadence')} : {cadence_text}")
        credentials = self.field(account, "credentials")
        if isinstance(credentials, dict):
            where = " / ".join(str(credentials[k]) for k in ("manager", "entry") if credentials.get(k))
            shared = ", ".join(map(str, credentials.get("shared_with") or []))
            lines.append(f"{self.t('credentials_where')} : {where or self.t('no_credentials')}" + (f" ({self.t('shared_with')} : {shared})" if shared else ""))
        else:
            lines.append(f"{self.t('credentials_where')} : {self.t('no_credentials')}")
        for key, name in (("two_factor", "two_factor"), ("recovery_email", "recovery")):
            section = self.field(account, key)
            if isinstance(section, dict):
                parts = [f"{self.t('held_by')} {section['holder']}"] if section.get("holder") else []
                parts += [f"{self.t('method')} {section['method']}"] if section.get("method") else []
                parts += [str(section["address"])] if section.get("address") else []
                parts += [f"{self.t('device')} : {section['device']}"] if section.get("device") else []
                lines.append(f"{self.t(name)} : {', '.join(parts) or '—'}")
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
            if h.record.kind.folder in ("contacts", "influencers") and self.visible(h.record):
                last = self.field(h.record, "last_contact")
                extra = f"{self.labels.value(str(h.record.data.get('stance')))}, " if h.record.data.get("stance") else ""
                lines.append(f"{self.ref(h.record)} — {extra}{self.t('last_contact')} {last or self.t('never')}")
        self.bullets(lines)

    def records_of(self, title: str, records: list[Record], detail: Any = None) -> None:
        self.heading(2, self.t(title))
        self.bullets([f"{self.ref(r)}" + (f" — {detail(r)}" if detail else "") for r in records if self.visible(r)])

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
    """HANDOVER.md for one person."""
    w = _Writer(kb, view, audience)
    held = next((d.held for d in view.departures if d.person.id == person.id), None)
    if held is None:  # staying: what they hold all the same
        from handover.checks.continuity import holdings
        from handover.commands.status import group_held

        held = group_held(holdings(kb).get(person.id, []))
    w.heading(1, w.t("title_person", name=person.title))
    w.out.append(w.t("generated", today=view.today, commit=w.t("from_commit", commit=commit) if commit else "") + "\n")
    role, end = person.data.get("role"), person.date("end")
    w.out.append(" · ".join(str(x) for x in (role, w.t("leaves", end=end) if end else None) if x) + "\n")
    w.orphaned(held, person.id, successor)
    w.accounts(list(held))
    w.relationships(list(held))
    mine = {h.record.ref for h in held}
    w.records_of("incidents", [r for r in view.open_incidents if r.ref in mine], lambda r: w.labels.value(str(r.data.get("status"))))
    w.records_of("drafts", [r for r in view.drafts if r.ref in mine])
    w.records_of("stale", [r for due, r in view.stale if r.ref in mine], None)
    w.changes(changes)
    return "\n".join(w.out)


def render_team(kb: KnowledgeBase, view: StatusView, *, audience: str, commit: str | None) -> str:
    """HANDOVER.md for the whole team: orphans, departures, every account, everyone's holdings."""
    w = _Writer(kb, view, audience)
    w.heading(1, w.t("title_team", community=kb.config.community))
    w.out.append(w.t("generated", today=view.today, commit=w.t("from_commit", commit=commit) if commit else "") + "\n")
    w.heading(2, w.t("orphans_all"))
    w.bullets([f"**{w.ref(o.record)}** — {o.role} " + (f"`{o.person}` ({o.reason})" if o.person else f"({o.reason})") for o in view.orphans if w.visible(o.record)])
    w.heading(2, w.t("people"))
    lines = []
    for d in view.departures:
        when = w.t("leaves", end=d.end) if d.state == "leaving" and d.end else w.t("left")
        lines.append(f"**{d.person.title}** (`{d.person.id}`) {when} — " + (", ".join(f"{w.ref(h.record)} ({w.role_names(h.roles)})" for h in d.held if w.visible(h.record)) or w.t("holds_nothing")))
    w.bullets(lines)
    w.heading(2, w.t("accounts"))
    for line in view.accounts:
        if w.visible(line.account):
            w.account(line.account)
    w.records_of("incidents", view.open_incidents, lambda r: w.labels.value(str(r.data.get("status"))))
    w.records_of("drafts", view.drafts)
    w.records_of("stale", [r for due, r in view.stale])
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
