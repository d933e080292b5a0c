"""Address books as vCard (.vcf) files, versions 3.0 and 4.0 (2.1 tolerated).

What is read: FN (or N), ORG (organization; department), TITLE (or ROLE), EMAIL,
TEL with its TYPE (cell → mobile; fax and pager left out), URL and NOTE. Folded
lines (a continuation starts with a space or tab), escaped `\\,` `\\;` `\\n`,
parameters written `TYPE=cell,voice`, `TYPE=cell;TYPE=voice`, `TYPE="cell,voice"`
or bare (2.1: `TEL;CELL:`), `tel:` URIs (4.0), and quoted-printable values with
their CHARSET (2.1 and some 3.0 exports) are all handled.
"""

from __future__ import annotations

import quopri
from dataclasses import dataclass, field
from pathlib import Path

from handover.commands.importers import AddressBook, Issue, Person


@dataclass
class Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int


@dataclass
class _Card:
    line: int
    properties: list[Property] = field(default_factory=list)


def read_vcards(text: str, path: Path, encoding: str) -> AddressBook:
    """People from a vCard file; a card or line that cannot be used is an issue."""
    book = AddressBook(path, "vCard", encoding)
    versions: set[str] = set()
    card: _Card | None = None
    for line_no, line in _logical_lines(text):
        if not line.strip():
            continue
        prop = _parse_line(line, line_no)
        if prop is None:
            book.issues.append(Issue(line_no, f'"{line[:40]}" is not a vCard line (NAME:value); ignored'))
            continue
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            if card is not None:
                book.issues.append(Issue(card.line, "this card is not closed by END:VCARD before the next one; left out"))
            card = _Card(line_no)
        elif prop.name == "END" and prop.value.strip().upper() == "VCARD":
            if card is None:
                book.issues.append(Issue(line_no, "END:VCARD without BEGIN:VCARD; ignored"))
                continue
            book.people.append(_person(card, book))
            card = None
        elif card is None:
            book.issues.append(Issue(line_no, f"{prop.name} outside any card (BEGIN:VCARD … END:VCARD); ignored"))
        else:
            if prop.name == "VERSION":
                versions.add(prop.value.strip())
            card.properties.append(prop)
    if card is not None:
        book.issues.append(Issue(card.line, "the last card is not closed by END:VCARD; left out"))
    book.format = "vCard " + " and ".join(sorted(versions)) if versions else "vCard"
    return book


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold: a line starting with a space or tab continues the previous one;
    a quoted-printable value ending with '=' continues on the next line."""
    result: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and result:
            start, previous = result[-1]
            if previous.endswith("=") and "QUOTED-PRINTABLE" in previous.split(":", 1)[0].upper():
                previous = previous[:-1]  # a soft line break, folded as well
            result[-1] = (start, previous + raw[1:])
        elif result and result[-1][1].endswith("=") and "QUOTED-PRINTABLE" in result[-1][1].split(":", 1)[0].upper():
            start, previous = result[-1]
            result[-1] = (start, previous[:-1] + raw)  # a soft line break
        else:
            result.append((number, raw))
    return result


def _split_outside_quotes(text: str, separator: str, limit: int = -1) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted and limit != 0:
            parts.append("".join(current))
            current = []
            limit -= 1
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _parse_line(line: str, line_no: int) -> Property | None:
    pieces = _split_outside_quotes(line, ":", 1)
    if len(pieces) < 2:
        return None
    head, value = pieces
    name_part, *param_parts = _split_outside_quotes(head, ";")
    name = name_part.rsplit(".", 1)[-1].strip().upper()  # drop a group prefix (item1.EMAIL)
    if not name:
        return None
    params: dict[str, list[str]] = {}
    for part in param_parts:
        key, eq, val = part.partition("=")
        if not eq:  # 2.1 bare parameter: a type, or an encoding
            key, val = ("ENCODING", key) if key.upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT") else ("TYPE", key)
        for item in val.strip().strip('"').split(","):  # TYPE=cell,voice and TYPE="cell,voice" alike
            params.setdefault(key.strip().upper(), []).append(item.strip())
    if "QUOTED-PRINTABLE" in (e.upper() for e in params.get("ENCODING", [])):
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        value = _quoted_printable(value, charset)
    return Property(name, params, value, line_no)


def _quoted_printable(value: str, charset: str) -> str:
    raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
    for encoding in (charset, "utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")


def unescape(text: str) -> str:
    """`\\n` → newline, `\\,` → `,`, `\\;` → `;`, `\\\\` → `\\`."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def components(value: str) -> list[str]:
    """A structured value (N, ORG) split on its unescaped semicolons."""
    parts, current, index = [], [], 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if char == ";":
            parts.append(unescape("".join(current)).strip())
            current = []
        else:
            current.append(char)
        index += 1
    parts.append(unescape("".join(current)).strip())
    return parts


def _types(prop: Property) -> set[str]:
    return {t.lower() for t in prop.params.get("TYPE", [])}


def _person(card: _Card, book: AddressBook) -> Person:
    person = Person(card.line)
    given_family = ""
    for prop in card.properties:
        value = prop.value.strip()
        if not value:
            continue
        if prop.name == "FN":
            person.name = unescape(value).strip()
        elif prop.name == "N":
            parts = components(value) + [""] * 5
            family, given, additional = parts[:3]
            given_family = " ".join(p for p in (given, additional, family) if p)
        elif prop.name == "ORG":
            parts = components(value)
            person.organization = parts[0]
            person.department = parts[1] if len(parts) > 1 else ""
        elif prop.name == "TITLE" or (prop.name == "ROLE" and not person.role):
            person.role = unescape(value).strip()
        elif prop.name == "EMAIL":
            person.emails.append(unescape(value).removeprefix("mailto:").strip())
        elif prop.name == "TEL":
            types = _types(prop)
            if types & {"fax", "pager", "textphone"}:
                continue
            number = unescape(value).strip()
            number = number[4:] if number.lower().startswith("tel:") else number
            person.phones.append(("mobile" if types & {"cell", "mobile", "iphone"} else "phone", number.split(";")[0]))
        elif prop.name == "URL" and not person.url:
            person.url = unescape(value).strip()
        elif prop.name == "NOTE":
            person.notes = unescape(value).strip()
    if not person.name:
        person.name = given_family
    return person
