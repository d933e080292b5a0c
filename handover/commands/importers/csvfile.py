"""Address books exported as CSV by Google Contacts and Outlook.

Columns are recognised by their names, so that the layouts of both programs and
their versions are read alike:

- Google, older layout: "Name", "Given Name", "Family Name", "E-mail 1 - Type",
  "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value", "Organization 1 - Name",
  "Organization 1 - Title", "Organization 1 - Department", "Website 1 - Value";
- Google, current layout: "First Name", "Middle Name", "Last Name", "Organization
  Name", "Organization Title", "Organization Department", "E-mail 1 - Label",
  "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value";
- Outlook: "First Name", "Last Name", "Company", "Department", "Job Title",
  "E-mail Address", "E-mail 2 Address", "Mobile Phone", "Business Phone",
  "Home Phone"…, "Web Page", "Notes".

- Outlook in French (semicolon-separated, Windows-1252, as a French Windows writes
  it): "Prénom", "Deuxième prénom", "Nom", "Société", "Service", "Titre" (the job
  title: the second "Titre" column, the first is the civility), "Adresse de
  messagerie", "Adresse de messagerie 2", "Tél. mobile", "Téléphone (bureau)",
  "Téléphone (domicile)"…, "Page Web", "Notes";
- Thunderbird: "First Name", "Last Name", "Display Name", "Primary Email",
  "Secondary Email", "Work Phone", "Home Phone", "Mobile Number", "Job Title",
  "Department", "Organization", "Web Page 1", "Notes".

A Google cell may hold several values joined by " ::: ". The separator (comma,
semicolon as French Excel and Outlook write, or tab) is detected from the header line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from handover.commands.importers import AddressBook, Issue, Person
from handover.core.errors import HandoverError

GOOGLE_MULTI = ":::"
_GOOGLE_EMAIL = re.compile(r"^E-mail (\d+) - Value$", re.IGNORECASE)
_GOOGLE_PHONE = re.compile(r"^Phone (\d+) - Value$", re.IGNORECASE)
_GOOGLE_WEBSITE = re.compile(r"^Website (\d+) - Value$", re.IGNORECASE)
_OUTLOOK_EMAIL = re.compile(r"^(?:E-mail(?: (\d+))? Address|Adresse de messagerie(?: \d+)?|Primary Email|Secondary Email)$", re.IGNORECASE)
# Outlook's phone columns worth keeping, and which record field each goes to.
OUTLOOK_PHONES = {
    "mobile phone": "mobile", "car phone": "mobile",
    "business phone": "phone", "business phone 2": "phone", "company main phone": "phone",
    "primary phone": "phone", "other phone": "phone", "home phone": "phone", "home phone 2": "phone",
    # French Outlook
    "tél. mobile": "mobile", "téléphone mobile": "mobile", "téléphone (voiture)": "mobile",
    "téléphone (bureau)": "phone", "téléphone 2 (bureau)": "phone", "téléphone société": "phone",
    "téléphone principal": "phone", "téléphone (autre)": "phone", "téléphone (domicile)": "phone", "téléphone 2 (domicile)": "phone",
    # Thunderbird
    "mobile number": "mobile", "work phone": "phone",
}
FIRST = ("first name", "given name", "prénom")
MIDDLE = ("middle name", "additional name", "deuxième prénom")
LAST = ("last name", "family name", "nom")
ORGANIZATION = ("organization 1 - name", "organization name", "company", "société", "organization")
ROLE = ("organization 1 - title", "organization title", "job title", "fonction", "titre")
DEPARTMENT = ("organization 1 - department", "organization department", "department", "service")
# A French "Titre" column holds the civility when it comes first; never a role.
_CIVILITIES = {"m", "m.", "mme", "mlle", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "me", "pr"}


def read_csv(text: str, path: Path, encoding: str) -> AddressBook:
    """People from a Google or Outlook CSV export; a row that cannot be used is an issue."""
    lines = text.splitlines(keepends=True)
    if not lines:
        raise HandoverError(f"{path}: the file is empty")
    reader = csv.reader(lines, dialect=_dialect(lines[0]))
    header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    columns = {h.lower(): index for index, h in enumerate(header) if h}  # a name written twice: its last column (French "Titre")
    layout = _layout(columns)
    if layout is None:
        shown = ", ".join(f'"{h}"' for h in header[:8])
        raise HandoverError(f"{path}:1: these columns are not those of a Google or Outlook export (nor Thunderbird's): {shown}…",
                            hint='export with "Google CSV" or "Outlook CSV", or as vCard (.vcf)')
    book = AddressBook(path, layout, encoding)
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            book.issues.append(Issue(start, f"the row has {len(row)} cells, the header {len(header)}: a comma inside an unquoted value? Row left out"))
            continue
        book.people.append(_person(row, columns, start, book))
    return book


def _dialect(header_line: str) -> type[csv.Dialect]:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _layout(columns: dict[str, int]) -> str | None:
    if any(_GOOGLE_EMAIL.match(c) or _GOOGLE_PHONE.match(c) for c in columns):
        return "Google CSV"
    if "e-mail address" in columns or "mobile phone" in columns or "business phone" in columns:
        return "Outlook CSV"
    if "adresse de messagerie" in columns or "tél. mobile" in columns or "téléphone (bureau)" in columns:
        return "Outlook CSV (French)"
    if "primary email" in columns and "display name" in columns:
        return "Thunderbird CSV"
    return None


def _person(row: list[str], columns: dict[str, int], line: int, book: AddressBook) -> Person:
    def cell(*names: str) -> str:
        for name in names:
            index = columns.get(name)
            if index is not None and index < len(row) and row[index].strip():
                return row[index].strip()
        return ""

    person = Person(line)
    parts = [cell(*FIRST), cell(*MIDDLE), cell(*LAST)]
    person.name = cell("name", "display name") or " ".join(p for p in parts if p) or cell("file as", "nickname", "e-mail display name")
    person.organization = cell(*ORGANIZATION)
    role = cell(*ROLE)
    person.role = "" if role.lower() in _CIVILITIES else role
    person.department = cell(*DEPARTMENT)
    person.notes = cell("notes")
    for name, index in sorted(columns.items(), key=lambda item: item[1]):
        value = row[index].strip() if index < len(row) else ""
        if not value:
            continue
        if _GOOGLE_EMAIL.match(name) or _OUTLOOK_EMAIL.match(name):
            person.emails.extend(v.strip() for v in value.split(GOOGLE_MULTI) if v.strip())
        elif match := _GOOGLE_PHONE.match(name):
            label = cell(f"phone {match.group(1)} - type", f"phone {match.group(1)} - label").lower()
            if "fax" in label or "pager" in label:
                continue
            kind = "mobile" if "mobile" in label or "cell" in label else "phone"
            person.phones.extend((kind, v.strip()) for v in value.split(GOOGLE_MULTI) if v.strip())
        elif name in OUTLOOK_PHONES:
            person.phones.append((OUTLOOK_PHONES[name], value))
        elif (_GOOGLE_WEBSITE.match(name) or name in ("web page", "page web", "web page 1")) and not person.url:
            person.url = value.split(GOOGLE_MULTI)[0].strip()
    return person
