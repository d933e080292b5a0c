"""Bringing in what the community manager already keeps: address books.

Each reader turns a file into `Person` entries, each with the file and line it came
from, and `Issue`s for the rows it could not use; nothing is fatal but an unreadable
file. contacts.py then matches them against the knowledge base and plans (or writes)
the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handover.core.errors import HandoverError


@dataclass
class Person:
    """One person read from an address book, as written there."""

    line: int  # where the row or card starts (1-based)
    name: str = ""
    organization: str = ""
    department: str = ""
    role: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)  # ("mobile" or "phone", number as written)
    url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Issue:
    """A row, card or value that could not be used, and why."""

    line: int
    message: str


@dataclass
class AddressBook:
    """What a file holds: people, issues, and how it was read."""

    path: Path
    format: str  # "Google CSV", "Outlook CSV", "vCard 3.0"…
    encoding: str
    people: list[Person] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def read_address_book(path: Path) -> AddressBook:
    """Read a CSV (Google, Outlook) or vCard file, whatever its encoding."""
    from handover.commands.importers.textfile import decode

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HandoverError(f"cannot read {path}: {exc.strerror or exc}") from None
    text, encoding = decode(raw, str(path))
    if path.suffix.lower() in (".vcf", ".vcard") or text.lstrip().upper().startswith("BEGIN:VCARD"):
        from handover.commands.importers.vcard import read_vcards

        return read_vcards(text, path, encoding, raw)
    if path.suffix.lower() in (".csv", ".txt", ".tsv") or "," in text.partition("\n")[0] or ";" in text.partition("\n")[0]:
        from handover.commands.importers.csvfile import read_csv

        return read_csv(text, path, encoding)
    raise HandoverError(f"{path}: not a CSV or vCard file", hint="export the contacts as Google CSV, Outlook CSV or vCard (.vcf)")
