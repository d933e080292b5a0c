"""A departure's checklist, derived from the records and kept in `departures/PERSON.yml`.

Steps are derived from what the person holds: per account, revoke their access
(vault entry, the platform's business tools), move the second factor and change the
recovery address they hold, change the password after their last day, and name who
takes over their roles; per relationship, name who follows it and introduce them;
per open follow-up action, hand it over; per draft or other record, hand it over;
their own e-mail address and chat handle, closed.

The stored file keeps each step's state (todo, done, waived), who did it and when,
and for a waived step why and who decided. A stored step stays even once the
records no longer derive it (after a transfer, Léa holds nothing, yet the vault
access she had must still be revoked); a derived step not stored yet is `todo`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handover.records.dates import long_date
from handover.records.model import KnowledgeBase, Record
from handover.records.values import as_date

if TYPE_CHECKING:
    from handover.records.departure import Held

# Steps `handover transfer` does itself: it rewrites who holds the record or action.
BY_TRANSFER = ("reassign", "action-")

TITLES: dict[str, dict[str, str]] = {
    "fr": {
        "reassign": "{title} : nommer qui reprend ({roles})",
        "access": "{title} : retirer {name} de l'entrée « {entry} » du coffre {manager} et des outils professionnels de la plateforme (rôles sur la page, Meta Business Suite, Agorapulse…)",
        "access_no_vault": "{title} : retirer {name} des outils professionnels de la plateforme (rôles sur la page, Meta Business Suite, Agorapulse…)",
        "two-factor": "{title} : basculer la double authentification ({device}) sur l'appareil de son nouveau détenteur",
        "recovery": "{title} : remplacer l'adresse de récupération {address}, lue par {name}",
        "password": "{title} : changer le mot de passe après le dernier jour de {name}",
        "follow": "{title} : nommer qui suit la relation",
        "introduce": "{title} : présenter le successeur (message ou rendez-vous à trois)",
        "incident": "{title} : passer le suivi de l'incident",
        "action": "{title} : passer l'action « {action} »{due}",
        "due": " (échéance : {due})",
        "draft": "{title} : passer le brouillon de réponse type et le faire valider",
        "record": "{title} : nommer qui tient la fiche",
        "email": "Fermer ou rediriger l'adresse e-mail {email}",
        "chat": "Retirer {chat} des canaux de discussion de l'équipe",
        "role.owner": "responsable", "role.backup": "backup", "role.two_factor.holder": "double authentification",
        "role.recovery_email.holder": "adresse de récupération", "role.credentials.shared_with": "accès au coffre",
        "role.actions.owner": "action de suivi",
    },
    "en": {
        "reassign": "{title}: name who takes over ({roles})",
        "access": "{title}: remove {name} from the vault entry “{entry}” ({manager}) and from the platform's business tools (page roles, Meta Business Suite, Agorapulse…)",
        "access_no_vault": "{title}: remove {name} from the platform's business tools (page roles, Meta Business Suite, Agorapulse…)",
        "two-factor": "{title}: move the second factor ({device}) to its new holder's device",
        "recovery": "{title}: replace the recovery address {address}, read by {name}",
        "password": "{title}: change the password after {name}'s last day",
        "follow": "{title}: name who follows the relationship",
        "introduce": "{title}: introduce the successor (a message, or a meeting of three)",
        "incident": "{title}: hand over the incident's follow-up",
        "action": "{title}: hand over the action “{action}”{due}",
        "due": " (due {due})",
        "draft": "{title}: hand over the draft response and have it approved",
        "record": "{title}: name who keeps the record",
        "email": "Close or redirect the e-mail address {email}",
        "chat": "Remove {chat} from the team's chat channels",
        "role.owner": "owner", "role.backup": "backup", "role.two_factor.holder": "second factor",
        "role.recovery_email.holder": "recovery address", "role.credentials.shared_with": "vault access",
        "role.actions.owner": "follow-up action",
    },
}


@dataclass(frozen=True)
class Step:
    """One thing to do before (or just after) someone leaves."""

    id: str  # "accounts/tiktok-cyclesmorvan:two-factor"
    title: str
    state: str = "todo"  # todo | done | waived
    after_end: bool = False
    by: str | None = None
    on: dt.date | None = None
    why: str | None = None
    decided_by: str | None = None
    note: str | None = None
    stored: bool = False  # read from departures/PERSON.yml (else only derived)

    @property
    def by_transfer(self) -> bool:
        """`handover transfer` does this step when it moves the record."""
        return self.id.rpartition(":")[2].startswith(BY_TRANSFER)

    @property
    def record_ref(self) -> str:
        return self.id.rpartition(":")[0]

    def as_data(self) -> dict[str, Any]:
        """The step as stored in YAML (only the fields that are set)."""
        data: dict[str, Any] = {"id": self.id, "title": self.title, "state": self.state}
        if self.after_end:
            data["after_end"] = True
        for name in ("by", "on", "why", "decided_by", "note"):
            value = getattr(self, name)
            if value is not None:  # `on` is written `date`: YAML 1.1 reads the key on as true
                data["date" if name == "on" else name] = value.isoformat() if isinstance(value, dt.date) else value
        return data


class _Titles:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.language = kb.config.language if kb.config.language in TITLES else "en"
        self.text = TITLES[self.language]

    def __call__(self, key: str, **values: Any) -> str:
        return self.text[key].format(**values)

    def record_title(self, record: Record) -> str:
        if record.kind.folder == "accounts":
            platform = self.kb.config.platforms.get(str(record.data.get("platform")))
            label = platform.label if platform else str(record.data.get("platform", ""))
            return f"{label} {record.title}".strip()
        return record.title

    def roles(self, roles: tuple[str, ...]) -> str:
        return ", ".join(self.text.get(f"role.{role}", role) for role in roles)


def derive(kb: KnowledgeBase, person: Record, held: tuple[Held, ...]) -> list[Step]:
    """The steps the records call for today, all `todo`."""
    t = _Titles(kb)
    name = person.title
    steps: list[Step] = []
    for item in held:
        record, roles = item.record, item.roles
        title = t.record_title(record)
        ref = record.ref
        kind = record.kind.folder
        holder_roles = tuple(r for r in roles if r != "credentials.shared_with" and r != "actions.owner")
        if kind == "accounts":
            steps.extend(_account_steps(t, record, roles, holder_roles, title, name))
        elif kind in ("contacts", "influencers"):
            steps.append(Step(f"{ref}:reassign", t("follow", title=title)))
            steps.append(Step(f"{ref}:introduce", t("introduce", title=title)))
        else:
            if holder_roles:
                key = "incident" if kind == "incidents" else "draft" if kind == "responses" and record.data.get("status") == "draft" else "record"
                steps.append(Step(f"{ref}:reassign", t(key, title=title)))
            steps.extend(_action_steps(t, record, person.id, title))
    email, chat = person.data.get("email"), person.data.get("chat")
    if email:
        steps.append(Step(f"{person.ref}:email", t("email", email=email)))
    if chat:
        steps.append(Step(f"{person.ref}:chat", t("chat", chat=chat)))
    return steps


def _account_steps(t: _Titles, account: Record, roles: tuple[str, ...], holder_roles: tuple[str, ...], title: str, name: str) -> list[Step]:
    ref = account.ref
    steps = []
    if holder_roles:
        steps.append(Step(f"{ref}:reassign", t("reassign", title=title, roles=t.roles(holder_roles))))
    credentials = account.data.get("credentials")
    if isinstance(credentials, dict) and credentials.get("entry"):
        steps.append(Step(f"{ref}:access", t("access", title=title, name=name, entry=credentials.get("entry"), manager=credentials.get("manager", ""))))
    else:
        steps.append(Step(f"{ref}:access", t("access_no_vault", title=title, name=name)))
    if "two_factor.holder" in roles:
        section = account.data.get("two_factor") or {}
        device = section.get("device") or section.get("method") or "?"
        steps.append(Step(f"{ref}:two-factor", t("two-factor", title=title, device=device)))
    if "recovery_email.holder" in roles:
        section = account.data.get("recovery_email") or {}
        steps.append(Step(f"{ref}:recovery", t("recovery", title=title, address=section.get("address", "?"), name=name)))
    steps.append(Step(f"{ref}:password", t("password", title=title, name=name), after_end=True))
    return steps


def _action_steps(t: _Titles, record: Record, person_id: str, title: str) -> list[Step]:
    actions = record.data.get("actions")
    steps = []
    for index, action in enumerate(actions if isinstance(actions, list) else []):
        if not isinstance(action, dict) or action.get("done") or str(action.get("owner", "")).rpartition("/")[2] != person_id:
            continue
        due = as_date(action.get("due"))
        due_text = t("due", due=long_date(due, t.language)) if due else ""
        steps.append(Step(f"{record.ref}:action-{index + 1}", t("action", title=title, action=str(action.get("action", "")), due=due_text)))
    return steps


def stored_steps(stored: Record | None) -> list[Step]:
    """The steps of `departures/PERSON.yml`, as written."""
    if stored is None or not isinstance(stored.data.get("steps"), list):
        return []
    steps = []
    for item in stored.data["steps"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        text = {k: (str(item[k]) if item.get(k) is not None else None) for k in ("by", "why", "decided_by", "note")}
        state = str(item["state"]) if item.get("state") in ("todo", "done", "waived") else "todo"
        steps.append(Step(item["id"], str(item.get("title") or item["id"]), state, bool(item.get("after_end")), text["by"],
                          as_date(item.get("date")), text["why"], text["decided_by"], text["note"], stored=True))
    return steps


def checklist(kb: KnowledgeBase, person: Record, held: tuple[Held, ...], stored: Record | None) -> tuple[Step, ...]:
    """Stored steps first, in their order, then the derived ones not stored yet."""
    steps = stored_steps(stored)
    known = {s.id for s in steps}
    steps.extend(s for s in derive(kb, person, held) if s.id not in known)
    return tuple(steps)


def find_step(steps: tuple[Step, ...] | list[Step], wanted: str) -> list[Step]:
    """The steps `wanted` names: the exact id, else every id ending with it or
    starting with it (`tiktok-cyclesmorvan:two-factor`, `accounts/tiktok-cyclesmorvan`)."""
    exact = [s for s in steps if s.id == wanted]
    if exact:
        return exact
    return [s for s in steps if s.id.endswith(wanted) or s.id.startswith(wanted) or s.id.endswith("/" + wanted)]
