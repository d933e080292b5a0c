"""Who wrote a message `handover triage` looks at: an influencer or a contact of the
knowledge base, recognised by one of their handles, or by the full name they sign or
introduce the message with."""

from __future__ import annotations

from dataclasses import dataclass

from handover.records.model import KnowledgeBase, Record
from handover.records.values import normalise_handle


@dataclass
class KnownAuthor:
    kind: str  # influencers or contacts
    id: str
    name: str
    platform: str
    handle: str
    tier: str | None = None
    stance: str | None = None
    stage: str | None = None
    organization: str | None = None
    role: str | None = None
    owner: str | None = None
    owner_name: str | None = None
    owner_leaving: str | None = None  # the owner's end date when they leave or have left
    last_contact: str | None = None
    notes: str = ""
    signed: bool = False  # recognised by the full name that opens or signs the message, not by a handle


def find_author(kb: KnowledgeBase, handle: str, platform: str | None = None) -> KnownAuthor | None:
    """The influencer or contact with this handle (on `platform` first, then on any)."""
    found = author_record(kb, handle, platform)
    return _author(kb, *found) if found else None


def signing_author(kb: KnowledgeBase, record: Record, platform: str | None) -> KnownAuthor:
    """What triage shows of a contact or influencer found by `signed_by`."""
    author = _author(kb, record, platform or "", "")
    author.signed = True
    return author


def author_record(kb: KnowledgeBase, handle: str, platform: str | None = None) -> tuple[Record, str, str] | None:
    """The record with this handle, the platform it is on there, and the handle as written."""
    wanted = normalise_handle(handle)
    matches: list[tuple[bool, Record, str, str]] = []
    for kind in ("influencers", "contacts"):
        for record in kb.records[kind].values():
            handles = record.data.get("handles")
            for on, value in (handles.items() if isinstance(handles, dict) else ()):
                if isinstance(value, str) and normalise_handle(value) == wanted:
                    matches.append((platform is not None and on == platform, record, str(on), value))
    if not matches:
        return None
    matches.sort(key=lambda m: not m[0])
    _, record, on, value = matches[0]
    return record, on, value


def _author(kb: KnowledgeBase, record: Record, platform: str, handle: str) -> KnownAuthor:
    from handover.checks.schema import computed_tier

    owner_id = record.data.get("owner")
    owner = kb.get("team", str(owner_id)) if owner_id else None
    leaving = None
    if owner is not None and owner.data.get("status") in ("leaving", "left"):
        end = owner.date("end")
        leaving = end.isoformat() if end else str(owner.data.get("status"))
    last = record.date("last_contact")
    notes = record.data.get("notes")
    first_paragraph = notes.strip().split("\n\n")[0] if isinstance(notes, str) else ""
    author = KnownAuthor(
        kind=record.kind.folder,
        id=record.id,
        name=record.title,
        platform=platform,
        handle=handle,
        owner=str(owner_id) if owner_id else None,
        owner_name=owner.title if owner else None,
        owner_leaving=leaving,
        last_contact=last.isoformat() if last else None,
        notes=" ".join(first_paragraph.split()),
    )
    if record.kind.folder == "influencers":
        tier = record.data.get("tier")
        author.tier = tier if isinstance(tier, str) else computed_tier(record, kb)
        author.stance = record.data.get("stance")
        author.stage = record.data.get("stage")
    else:
        author.organization = record.data.get("organization")
        author.role = record.data.get("role")
    return author


SIGNATURE = 6  # words at most after a full name that signs the message ("Hugo Lefebvre, Rouleur Urbain")


def signed_by(kb: KnowledgeBase, message: str) -> Record | None:
    """The influencer or contact whose full name opens the message after greetings only
    ("Bonjour, Hugo Lefebvre, de Rouleur Urbain…": the `greeting` words of
    triage_words.yml) or signs it (a few words at most after it): who writes, when no
    handle says it. A name anywhere else is someone spoken of, not the author."""
    from handover.commands.triage_lexicon import Text, lexicon

    greeting = lexicon(kb).signals.get("greeting")
    greetings = {e.strip() for entries in (greeting.by_language.values() if greeting else ()) for e in entries}
    text = Text.of(message).folded
    for kind in ("contacts", "influencers"):
        for record in kb.records[kind].values():
            name = Text.of(record.title).folded
            start = text.find(name)
            if len(name.split()) < 2 or start < 0:
                continue
            opens = all(word in greetings for word in text[:start].split())
            signs = len(text[start + len(name):].split()) <= SIGNATURE
            if opens or signs:
                return record
    return None
