"""Address books as vCard (.vcf) files, versions 3.0 and 4.0 (2.1 tolerated).

What is read: FN (or N), ORG (organization; department), TITLE (or ROLE), EMAIL,
TEL with its TYPE (cell → mobile; fax and pager left out), URL and NOTE. Folded
lines (a continuation starts with a space or tab), escaped `\\,` `\\;` `\\n`,
parameters written `TYPE=cell,voice`, `TYPE=cell;TYPE=voice`, `TYPE="cell,voice"`
or bare (2.1: `TEL;CELL:`), `tel:` URIs (4.0), and quoted-printable values with
their CHARSET (2.1 and some 3.0 exports) are all handled.

Encodings: a value's own `CHARSET=` (vCard 2.1: `N;CHARSET=SHIFT_JIS:…`, Windows-1252,
UTF-8…) is honoured, from the file's bytes; a value that is not valid in the charset
it declares, or a charset Python does not know, refuses its card with the line where
it is, rather than writing a garbled name. A value with no CHARSET is UTF-8, else
Windows-1252 (what Outlook and The Bat! write, as Roundcube reads them too).
Line ends may be CR LF, LF, CR, or CR CR LF (iOS 6 exports); 2.1 values continued
after a trailing backslash (Android's multi-line addresses) are joined. The e-mail
and phones marked preferred (`PREF`, `TYPE=pref`, `PREF=1`) come first, so the
preferred e-mail becomes the contact's.

Why this parser and not vobject: measured on the 61 real-client .vcf files of the
tests, vobject 0.9.9 gives up a whole file at one bad line (5 files: a comment line,
a 2.1 multi-line address, a bad PHOTO, a duplicated BEGIN, an undeclared 8-bit
quoted-printable name), reads Shift_JIS names as mojibake (it works on text already
decoded, so a value's CHARSET cannot be honoured), and reports no line per card.
Here every refusal is located and the rest of the file is still read.
"""

from __future__ import annotations

import codecs
import quopri
import re
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
    refused: Issue | None = None  # why the card cannot be taken (a value in no known charset)


class _CharsetError(ValueError):
    """A value whose bytes are not valid in the charset it declares."""


# Names clients write for charsets, as Python knows them. Japanese feature phones'
# "SHIFT_JIS" is in practice Microsoft's superset (cp932: NEC and IBM extensions).
_CHARSET_ALIASES = {"shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "shift-jis": "cp932", "ms_kanji": "cp932"}
_LINE_END = re.compile(r"\r\r\n|\r\n|\n|\r")


def read_vcards(text: str, path: Path, encoding: str, raw: bytes | None = None) -> AddressBook:
    """People from a vCard file; a card or line that cannot be used is an issue.

    With `raw` (the file's bytes, for any encoding but UTF-16), each value is decoded
    from its bytes by its own CHARSET, else as UTF-8, else as Windows-1252."""
    book = AddressBook(path, "vCard", encoding)
    versions: set[str] = set()
    card: _Card | None = None
    by_bytes = raw is not None and encoding != "UTF-16"
    if by_bytes and raw is not None:
        text = raw.removeprefix(codecs.BOM_UTF8).decode("latin-1")  # one character a byte: values decoded one by one below
    for line_no, line in _logical_lines(text):
        if not line.strip():
            continue
        try:
            prop = _parse_line(line, line_no, by_bytes)
        except _CharsetError as exc:
            if card is not None and card.refused is None:
                card.refused = Issue(line_no, f"{exc}: card left out rather than written garbled; export the address book as UTF-8")
            elif card is None:
                book.issues.append(Issue(line_no, f"{exc}; ignored"))
            continue
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
            if card.refused is not None:
                book.issues.append(card.refused)
            else:
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
    a quoted-printable value ending with '=' continues on the next line; a 2.1 value
    ending with a backslash goes on over lines that are no property (no colon)."""
    result: list[tuple[int, str]] = []
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        if result and result[-1][1].endswith("\\") and ":" not in raw and raw.strip():
            start, previous = result[-1]
            result[-1] = (start, previous + "\n" + raw)  # Android's multi-line ADR (2.1)
        elif raw[:1] in (" ", "\t") and result:
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


def _parse_line(line: str, line_no: int, by_bytes: bool = False) -> Property | None:
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
    charset = (params.get("CHARSET") or [""])[0].strip()
    if "QUOTED-PRINTABLE" in (e.upper() for e in params.get("ENCODING", [])):
        value = _decode(quopri.decodestring(value.encode("latin-1", errors="replace")), charset, name, line_no)
    elif by_bytes and not value.isascii():
        value = _decode(value.encode("latin-1"), charset, name, line_no)
    return Property(name, params, value, line_no)


def _decode(raw: bytes, charset: str, name: str, line_no: int) -> str:
    """A value's bytes as text: by its declared charset (strictly), else UTF-8, else Windows-1252."""
    if charset:
        codec = _CHARSET_ALIASES.get(charset.lower(), charset)
        try:
            return raw.decode(codec)
        except LookupError:
            raise _CharsetError(f"{name} declares CHARSET={charset}, a character set handover does not know") from None
        except UnicodeDecodeError:
            raise _CharsetError(f"{name} is not valid {charset} as its CHARSET says") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict") if _cp1252_ok(raw) else raw.decode("latin-1")


def _cp1252_ok(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


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


def _preference(prop: Property) -> int:
    """How preferred a value is, lowest first: PREF=1 (4.0) … 100, then `pref` as a type
    (2.1 `EMAIL;PREF:`, 3.0 `TYPE=pref`) as 1, then unmarked values."""
    for value in prop.params.get("PREF", []):
        if value.strip().isdigit():
            return int(value.strip())
    return 1 if "pref" in _types(prop) else 101


_ANGLE_ADDRESS = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def _email(value: str) -> str:
    """The address of an EMAIL value (`mailto:` dropped; `"Name" <address>` → address)."""
    text = unescape(value).strip()
    found = _ANGLE_ADDRESS.search(text)
    return (found.group(1) if found else text).removeprefix("mailto:").strip()


def _person(card: _Card, book: AddressBook) -> Person:
    person = Person(card.line)
    given_family = ""
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, tuple[str, str]]] = []
    # vCard 2.1 escapes nothing in a text value (only `\;` in a structured one): FN, TITLE
    # and NOTE are taken as written there (Android's v21_backslash card).
    version = next((p.value.strip() for p in card.properties if p.name == "VERSION"), "")
    text = (lambda raw: raw) if version == "2.1" else unescape
    for prop in card.properties:
        value = prop.value.strip()
        if not value:
            continue
        if prop.name == "FN":
            person.name = text(value).strip()
        elif prop.name == "N":
            parts = components(value) + [""] * 5
            family, given, additional = parts[:3]
            given_family = " ".join(p for p in (given, additional, family) if p)
        elif prop.name == "ORG":
            parts = components(value)
            person.organization = parts[0]
            person.department = parts[1] if len(parts) > 1 else ""
        elif prop.name == "TITLE" or (prop.name == "ROLE" and not person.role):
            person.role = text(value).strip()
        elif prop.name == "EMAIL":
            emails.append((_preference(prop), _email(value)))
        elif prop.name == "TEL":
            types = _types(prop)
            if types & {"fax", "pager", "textphone"}:
                continue
            number = unescape(value).strip()
            number = number[4:] if number.lower().startswith("tel:") else number
            phones.append((_preference(prop), ("mobile" if types & {"cell", "mobile", "iphone"} else "phone", number.split(";")[0])))
        elif prop.name == "URL" and not person.url:
            person.url = unescape(value).strip()
        elif prop.name == "NOTE":
            person.notes = text(value).strip()
    # The preferred first (a stable sort: otherwise in the card's order): the first e-mail is the contact's.
    person.emails = [email for _, email in sorted(emails, key=lambda item: item[0])]
    person.phones = [phone for _, phone in sorted(phones, key=lambda item: item[0])]
    if not person.name:
        person.name = given_family
    return person
