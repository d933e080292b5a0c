"""From address-book people to contact records: match, merge, create, or skip.

A person is the same as an existing contact when they share an email (case aside)
or a phone number (however written: numbers are compared in E.164 form). Then only
what the record lacks is added (a merge never overwrites: a different value is
reported, not written). Two rows of the file for one person become one record.
Everything is planned first; `apply_plan` writes it, one file at a time, atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.commands.importers import AddressBook, Issue, Person
from handover.commands.new import in_format_order
from handover.core.errors import UsageError
from handover.files.atomic import atomic_create, atomic_write
from handover.files.yamlio import dump_record, insert_fields
from handover.records.fieldtypes import Choice
from handover.records.fold import slugify
from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase
from handover.records.phones import PhoneError, international, match_key
from handover.records.values import EMAIL_RE, SLUG_RE, URL_RE

CONTACTS = KINDS["contacts"]
_DEPARTMENT_TYPE = CONTACTS.all_fields()["department"].type
DEPARTMENTS: tuple[str, ...] = _DEPARTMENT_TYPE.values if isinstance(_DEPARTMENT_TYPE, Choice) else ()
# Words of a department or organization name, in French and English, and the value they mean.
DEPARTMENT_WORDS = {
    "legal": ("legal", "juridique", "droit", "avocat", "law"),
    "customer-service": ("service client", "relation client", "customer", "support", "sav", "après-vente"),
    "press": ("presse", "press", "relations presse", "public relations"),
    "product": ("produit", "product", "r&d", "bureau d'études"),
    "hr": ("rh", "ressources humaines", "human resources", "hr"),
    "it-security": ("sécurité informatique", "security", "informatique", "dsi"),
    "marketing": ("marketing", "communication"),
    "management": ("direction", "management", "executive"),
    "logistics": ("logistique", "logistics", "livraison", "transport"),
    "finance": ("finance", "comptabilité", "accounting"),
    "media": ("journal", "rédaction", "magazine", "radio", "télévision", "media", "médias"),
    "agency": ("agence", "agency"),
}


@dataclass
class Planned:
    """What happens to one person of the file."""

    action: str  # "create", "merge" or "skip"
    line: int
    name: str
    reason: str
    ident: str | None = None  # the record created or merged into
    added: dict[str, Any] = field(default_factory=dict)  # merge: dotted field → value
    data: dict[str, Any] | None = None  # create: the whole record


@dataclass
class ImportPlan:
    book: AddressBook
    actions: list[Planned] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)  # values left out, conflicts

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a.action == action)


@dataclass
class _Target:
    """A contact as it will be after the import (existing or planned)."""

    ident: str
    channels: dict[str, Any]
    role: str | None
    planned: Planned | None = None  # a record this import creates
    merge: Planned | None = None  # the merge already planned into an existing record


@dataclass
class _Clean:
    emails: list[str]
    phones: list[tuple[str, str, str]]  # (mobile|phone, international, E.164)
    url: str


def plan_contacts(kb: KnowledgeBase, book: AddressBook, *, organization: str | None = None, department: str = "other",
                  owner: str | None = None, country: str | None = None, today: dt.date | None = None) -> ImportPlan:
    """What importing `book` would do to the knowledge base; nothing is written."""
    if department not in DEPARTMENTS:
        raise UsageError(f'--department "{department}" is not a department', hint=f"use one of: {', '.join(DEPARTMENTS)}")
    country = country if country is not None else kb.config.country
    plan = ImportPlan(book)
    targets: dict[str, _Target] = {}
    by_email: dict[str, str] = {}
    by_phone: dict[str, str] = {}
    for ident, record in kb.records["contacts"].items():
        found = record.data.get("channels")
        channels: dict[str, Any] = dict(found) if isinstance(found, dict) else {}
        targets[ident] = _Target(ident, channels, record.data.get("role"))
        _index(targets[ident], by_email, by_phone, country)
    taken = set(targets) | {p.stem for p in (kb.root / "contacts").rglob("*.yml")} if (kb.root / "contacts").is_dir() else set(targets)
    for person in book.people:
        clean = _clean(person, country, plan)
        who = person.name or (clean.emails[0] if clean.emails else "") or (clean.phones[0][1] if clean.phones else "")
        if not who:
            plan.actions.append(Planned("skip", person.line, "(nobody)", "no name, email or phone: nothing to import"))
            continue
        matches = _matches(clean, by_email, by_phone)
        if len(matches) > 1:
            shown = ", ".join(f"{_ref(targets[i])} ({why})" for i, why in matches.items())
            plan.actions.append(Planned("skip", person.line, who, f"matches several contacts: {shown}; merge them by hand"))
            continue
        if matches:
            ident, why = next(iter(matches.items()))
            plan.actions.append(_merge(targets[ident], person, clean, why, plan, by_email, by_phone, country))
            continue
        created = _create(kb, person, clean, who, organization, department, owner, taken, plan, today)
        plan.actions.append(created)
        if created.action == "create" and created.ident and created.data is not None:
            target = _Target(created.ident, created.data["channels"], created.data.get("role"), planned=created)
            targets[created.ident] = target
            taken.add(created.ident)
            _index(target, by_email, by_phone, country)
    return plan


def _ref(target: _Target) -> str:
    return f"contacts/{target.ident}" + (" (new)" if target.planned else "")


def _index(target: _Target, by_email: dict[str, str], by_phone: dict[str, str], country: str) -> None:
    email = target.channels.get("email")
    if isinstance(email, str):
        by_email.setdefault(email.lower(), target.ident)
    for key in ("phone", "mobile"):
        number = match_key(target.channels.get(key), country)
        if number:
            by_phone.setdefault(number, target.ident)


def _clean(person: Person, country: str, plan: ImportPlan) -> _Clean:
    emails: list[str] = []
    for email in person.emails:
        if not EMAIL_RE.match(email):
            plan.notes.append(Issue(person.line, f'email "{email}" is not an address; left out'))
        elif email.lower() not in (e.lower() for e in emails):
            emails.append(email)
    phones: list[tuple[str, str, str]] = []
    for kind, raw in person.phones:
        try:
            number = international(raw, country)
        except PhoneError as exc:
            plan.notes.append(Issue(person.line, f"phone {exc}; left out"))
            continue
        key = match_key(number, country) or number
        if key not in (p[2] for p in phones):
            phones.append((kind, number, key))
    url = person.url
    if url and not url.lower().startswith(("http://", "https://")) and "." in url:
        url = "https://" + url
    if url and not URL_RE.match(url):
        plan.notes.append(Issue(person.line, f'web address "{person.url}" is not a URL; left out'))
        url = ""
    return _Clean(emails, phones, url)


def _matches(clean: _Clean, by_email: dict[str, str], by_phone: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for email in clean.emails:
        ident = by_email.get(email.lower())
        if ident:
            found.setdefault(ident, f"same email {email}")
    for _, number, key in clean.phones:
        ident = by_phone.get(key)
        if ident:
            found.setdefault(ident, f"same phone {number}")
    return found


def _merge(target: _Target, person: Person, clean: _Clean, why: str, plan: ImportPlan,
           by_email: dict[str, str], by_phone: dict[str, str], country: str) -> Planned:
    """Add what the contact lacks; report what differs."""
    added: dict[str, Any] = {}
    channels = target.channels
    for email in clean.emails:
        if not channels.get("email"):
            channels["email"] = email
            added["channels.email"] = email
            by_email.setdefault(email.lower(), target.ident)
        elif str(channels["email"]).lower() != email.lower():
            _left_over(target, email, person.line, f"{_ref(target)} keeps email {channels['email']}; the file also has {email}", plan)
    known = {match_key(channels.get(k), country) for k in ("phone", "mobile")}
    for kind, number, key in clean.phones:
        if key in known:
            continue
        slot = "mobile" if kind == "mobile" else "phone"
        if not channels.get(slot):
            channels[slot] = number
            added[f"channels.{slot}"] = number
            known.add(key)
            by_phone.setdefault(key, target.ident)
        else:
            _left_over(target, number, person.line, f"{_ref(target)} keeps {slot} {channels[slot]}; the file also has {number}", plan)
    if person.role and not target.role:
        target.role = person.role
        added["role"] = person.role
    if target.planned is not None:
        assert target.planned.data is not None
        if "role" in added:
            target.planned.data["role"] = added["role"]
        line = target.planned.line
        action = Planned("merge", person.line, person.name or target.ident, f"same person as line {line} ({why})", target.ident, added)
        return action if added else Planned("skip", person.line, person.name or target.ident, f"duplicate of line {line} ({why}), nothing new", target.ident)
    if not added:
        return Planned("skip", person.line, person.name or target.ident, f"already in {_ref(target)} ({why}), nothing new", target.ident)
    return Planned("merge", person.line, person.name or target.ident, why, target.ident, added)


def _left_over(target: _Target, value: str, line: int, message: str, plan: ImportPlan) -> None:
    """A value with no free field: a record this import creates keeps it in its notes;
    an existing record is not touched, the report says so."""
    if target.planned is not None and target.planned.data is not None:
        data = target.planned.data
        data["notes"] = (data.get("notes", "") + "\n\n" if data.get("notes") else "") + f"Also: {value} (from the import, line {line})."
        plan.notes.append(Issue(line, f"{_ref(target)}: {value} kept in its notes"))
    else:
        plan.notes.append(Issue(line, message))


def _create(kb: KnowledgeBase, person: Person, clean: _Clean, who: str, organization: str | None, department: str,
            owner: str | None, taken: set[str], plan: ImportPlan, today: dt.date | None) -> Planned:
    org = person.organization or organization
    if not person.name:
        return Planned("skip", person.line, who, "no name: add one in the address book, or create the contact with handover new")
    if not org:
        return Planned("skip", person.line, who, 'no organization: give --organization "…" for the people who have none')
    if not clean.emails and not clean.phones:
        return Planned("skip", person.line, who, "no email or phone to reach them")
    channels: dict[str, Any] = {}
    if clean.emails:
        channels["email"] = clean.emails[0]
    extra: list[str] = clean.emails[1:]
    for kind, number, _ in clean.phones:
        slot = "mobile" if kind == "mobile" else "phone"
        if slot in channels:
            extra.append(number)
        else:
            channels[slot] = number
    if clean.url:
        channels["url"] = clean.url
    data: dict[str, Any] = {"name": person.name, "organization": org,
                            "department": _department(person.department, org) or department}
    if person.role:
        data["role"] = person.role
    data["channels"] = channels
    if owner:
        data["owner"] = owner
    notes = [person.notes] if person.notes else []
    if extra:
        notes.append("Also: " + ", ".join(extra) + f" (from the import, line {person.line}).")
    if notes:
        data["notes"] = "\n\n".join(notes)
    base = slugify(person.name) or "contact"
    ident = base
    suffix = 2
    while ident in taken:
        ident = f"{base}-{suffix}"
        suffix += 1
    if ident != base:
        plan.notes.append(Issue(person.line, f"another contact is already named {base}: this one becomes contacts/{ident}; check they are different people"))
    assert SLUG_RE.match(ident)
    return Planned("create", person.line, person.name, f"{person.name} ({org})", ident, data=data)


def _department(*texts: str) -> str | None:
    """The department value a free text (department or organization name) means."""
    for text in texts:
        lowered = text.lower()
        if lowered in DEPARTMENTS:
            return lowered
        for value, words in DEPARTMENT_WORDS.items():
            if any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered) for word in words):
                return value
    return None


@dataclass
class Applied:
    written: list[Path] = field(default_factory=list)
    failed: list[Issue] = field(default_factory=list)  # merges that could not be done safely


def apply_plan(kb: KnowledgeBase, plan: ImportPlan, today: dt.date) -> Applied:
    """Write the plan: new records (never over an existing file) and the additions
    to existing ones (every other byte of those files kept)."""
    result = Applied()
    folder = kb.root / "contacts"
    source = plan.book.path.name
    for action in plan.actions:
        if action.action != "create" or action.data is None or action.ident is None:
            continue
        path = folder / f"{action.ident}.yml"
        header = f"# Imported from {source} (line {action.line}) on {today.isoformat()}: check it, then set reviewed_on.\n"
        try:
            atomic_create(path, header + dump_record(in_format_order(action.data, CONTACTS.all_fields())))
            result.written.append(path)
        except FileExistsError:
            result.failed.append(Issue(action.line, f"{path} appeared meanwhile; not replaced"))
    merges: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for action in plan.actions:
        if action.action == "merge" and action.ident in kb.records["contacts"]:
            merges.setdefault(action.ident, {}).update(action.added)
            lines.setdefault(action.ident, action.line)
    for ident, added in merges.items():
        record = kb.records["contacts"][ident]
        try:
            text = record.path.read_text(encoding="utf-8")
            text = _add(text, added)
            atomic_write(record.path, text)
            result.written.append(record.path)
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            wanted = ", ".join(f"{k}: {v}" for k, v in added.items())
            result.failed.append(Issue(lines[ident], f"could not add to {record.display} safely ({exc}); add by hand: {wanted}"))
    return result


def _add(text: str, added: dict[str, Any]) -> str:
    channels = {k.split(".", 1)[1]: v for k, v in added.items() if k.startswith("channels.")}
    top = {k: v for k, v in added.items() if "." not in k}
    if channels:
        try:
            text = insert_fields(text, ("channels",), channels)
        except ValueError:
            top["channels"] = channels  # no channels mapping yet: add it whole
    return insert_fields(text, (), top) if top else text
