"""Who wrote a message `handover triage` looks at: an influencer or a contact of the
knowledge base, recognised by one of their handles, or by the full name they sign or
introduce the message with."""

from __future__ import annotations

import re
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
BREAK = ",.;:!?()-–—\n"  # what sets a name apart from the sentence around it


def signed_by(kb: KnowledgeBase, message: str) -> Record | None:
    """The influencer or contact who introduces themselves or signs the message by their
    full name, when no handle says who writes. Introduced: only greetings come before
    the name (the `greeting` words of triage_words.yml: "Bonjour, je suis…"), and either
    some do or a comma, a full stop or a dash follows it ("Hugo Lefebvre, de Rouleur
    Urbain…"). Signed: the name comes after a comma, a full stop or a line break, a few
    words at most before the end ("… Bonne journée,\nHugo Lefebvre"). A name anywhere
    else ("Hugo Lefebvre a écrit que…") is someone spoken of, not the author."""
    from handover.commands.triage_lexicon import lexicon
    from handover.records.fold import fold

    greeting = lexicon(kb).signals.get("greeting")
    greetings = {e.strip() for entries in (greeting.by_language.values() if greeting else ()) for e in entries}
    text = fold(message.lower())
    for kind in ("contacts", "influencers"):
        for record in kb.records[kind].values():
            parts = re.findall(r"[^\W_]+", fold(record.title.lower()))
            found = re.search(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, parts)) + r"(?![^\W_])", text) if len(parts) >= 2 else None
            if found is None:
                continue
            before, after = text[:found.start()], text[found.end():].strip(" ")
            words_before = re.findall(r"[^\W_]+", before)
            set_apart = not after or after[0] in BREAK
            opens = all(word in greetings for word in words_before) and (bool(words_before) or set_apart)
            signs = (bool(before.strip()) and before.rstrip(" ")[-1] in BREAK
                     and len(re.findall(r"[^\W_]+", after)) <= SIGNATURE)
            if opens or signs:
                return record
    return None
