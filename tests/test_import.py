"""handover import contacts: Google and Outlook CSV, vCard 3.0 and 4.0, written here
byte for byte as those programs export them (header rows, quoting, line endings,
encodings), with duplicates, bad rows and a Latin-1 file."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from handover.cli import cli
from handover.commands.importers import read_address_book
from handover.commands.importers.contacts import plan_contacts
from handover.files.yamlio import load_document
from handover.records.model import load_kb

TODAY = "2026-11-21"

# Google Contacts, "Google CSV", the layout exported until 2023 (LF line ends).
GOOGLE_LEGACY_HEADER = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,"
    "Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
    "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Phone 2 - Type,Phone 2 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,"
    "Organization 1 - Title,Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,"
    "Organization 1 - Job Description,Website 1 - Type,Website 1 - Value"
)
# Google Contacts, "Google CSV", the current layout.
GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,"
    "Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,"
    "Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Phone 2 - Label,Phone 2 - Value,Website 1 - Label,Website 1 - Value"
)
# Outlook (desktop), File > Export > "Comma Separated Values": every cell quoted, CRLF.
OUTLOOK_HEADER = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
    "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
    "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3", "Home City",
    "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2", "Other Street 3",
    "Other City", "Other State", "Other Postal Code", "Other Country/Region", "Assistant's Phone", "Business Fax",
    "Business Phone", "Business Phone 2", "Callback", "Car Phone", "Company Main Phone", "Home Fax", "Home Phone",
    "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone",
    "TTY/TDD Phone", "Telex", "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
    "Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type",
    "E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address",
    "E-mail 3 Type", "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box",
    "Initials", "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
    "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private", "Profession",
    "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page",
]


def google_legacy_row(**cells: str) -> str:
    columns = GOOGLE_LEGACY_HEADER.split(",")
    row = [""] * len(columns)
    for name, value in cells.items():
        row[columns.index(name.replace("_", " ").replace("  ", " - "))] = value
    return ",".join(f'"{v}"' if ("," in v or '"' in v) else v for v in row)


def outlook_row(values: dict[str, str]) -> str:
    defaults = {"Birthday": "0/0/00", "Anniversary": "0/0/00", "Priority": "Normal", "Private": "False", "Sensitivity": "Normal",
                "Gender": "Unspecified"}
    merged = {**defaults, **values}
    return ",".join('"' + merged.get(name, "").replace('"', '""') + '"' for name in OUTLOOK_HEADER)


def outlook_file(rows: list[dict[str, str]]) -> str:
    return "\r\n".join([",".join(f'"{h}"' for h in OUTLOOK_HEADER)] + [outlook_row(r) for r in rows]) + "\r\n"


def run_import(kb: Path, file: Path, *extra: str):
    return CliRunner().invoke(cli, ["import", "contacts", str(file), "--kb", str(kb), "--today", TODAY, *extra])


def lines_of(result, file: Path) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    prefix = f"{file}:"
    for line in result.output.splitlines():
        if line.startswith(prefix):
            number, _, text = line[len(prefix):].partition(": ")
            if number.isdigit():
                found.setdefault(int(number), []).append(text)
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_google_csv_current_layout_dry_run_then_apply(kb_copy: Path, tmp_path: Path):
    text = GOOGLE_HEADER + "\n" + "\n".join([
        # An existing contact (same email): only the mobile she lacks is added.
        "Camille,,Rey,,,,,,,,Le Courrier de Lyon,Journaliste,,,,,* myContacts ::: Presse,Work,camille.rey@courrierdelyon.example,,,Mobile,06 11 22 33 44,,,,",
        # A new person, two addresses in one cell (Google's " ::: "), a note with a comma.
        ('Jean,,Dupont,,,,,,,,ACME Avocats,Associé,Juridique,,"Préfère le téléphone, le matin.",,* myContacts,Work,'
         "jean.dupont@acme-avocats.example ::: jd@perso.example,,,Mobile,+33 6 98 76 54 32,Work,04 72 11 22 33,,www.acme-avocats.example"),
        # The same person again (same mobile, written the national way): one record, not two.
        "Jean,,Dupont,,,,,,,,ACME Avocats,,,,,,,,,,,Mobile,06 98 76 54 32,Home,04 78 00 00 01,,",
        # An existing contact found by phone only, written differently (dots, national).
        "Hélène,,Vasseur,,,,,,,,Cycles Morvan,,,,,,,,,,,Work,04.72.60.14.10,,,,",
        # An empty row (Google writes none, Excel does), then a row with nothing usable.
        ",,,,,,,,,,,,,,,,,,,,,,,,,,",
        ",,,,,,,,,,,,,,,,* myContacts,,,,,Mobile,12,,,,",
    ]) + "\n"
    file = tmp_path / "contacts.csv"
    file.write_text(text, encoding="utf-8")
    before = snapshot(kb_copy)

    dry = run_import(kb_copy, file)
    assert dry.exit_code == 0, dry.output
    assert snapshot(kb_copy) == before  # a dry run writes nothing
    assert dry.output.startswith(f"{file}: Google CSV, read as UTF-8, 5 people")
    lines = lines_of(dry, file)
    assert lines[2] == ['merge into contacts/camille-rey (same email camille.rey@courrierdelyon.example): add channels.mobile "+33 6 11 22 33 44"']
    assert lines[3] == ["create contacts/jean-dupont: Jean Dupont (ACME Avocats)"]
    assert lines[4][0] == "skip Jean Dupont: duplicate of line 3 (same phone +33 6 98 76 54 32), nothing new"
    assert lines[4][1] == "note: contacts/jean-dupont (new): +33 4 78 00 00 01 kept in its notes"
    assert lines[5] == ["skip Hélène Vasseur: already in contacts/helene-vasseur (same phone +33 4 72 60 14 10), nothing new"]
    assert lines[7] == ["skip (nobody): no name, email or phone: nothing to import", 'note: phone "12" is not a valid phone number in FR; left out']
    assert "1 to create, 1 to merge, 3 skipped, 0 bad rows; dry run: nothing written" in dry.output

    applied = run_import(kb_copy, file, "--apply")
    assert applied.exit_code == 0, applied.output
    assert "wrote 2 files" in applied.output and "validated: 0 errors" in applied.output
    kb = load_kb(str(kb_copy))
    jean = kb.get("contacts", "jean-dupont")
    assert jean is not None
    assert jean.data["department"] == "legal" and jean.data["role"] == "Associé"
    assert jean.data["channels"] == {"email": "jean.dupont@acme-avocats.example", "phone": "+33 4 72 11 22 33",
                                     "mobile": "+33 6 98 76 54 32", "url": "https://www.acme-avocats.example"}
    assert "jd@perso.example" in jean.data["notes"] and "+33 4 78 00 00 01" in jean.data["notes"]
    assert jean.data["notes"].startswith("Préfère le téléphone, le matin.")
    # The merged file: one line added, every other byte as it was (comments included).
    old = before["contacts/camille-rey.yml"].decode().splitlines()
    new = (kb_copy / "contacts/camille-rey.yml").read_text(encoding="utf-8").splitlines()
    assert [line for line in new if line not in old] == ['  mobile: "+33 6 11 22 33 44"']
    assert [line for line in old if line not in new] == []
    # Importing the same file again changes nothing: everyone is already there.
    again = run_import(kb_copy, file, "--apply")
    assert "0 to create, 0 to merge, 5 skipped" in again.output and "wrote 0 files" in again.output


def test_google_csv_legacy_layout(kb_copy: Path, tmp_path: Path):
    rows = [
        google_legacy_row(Name="Inès Garnier", Given_Name="Inès", Family_Name="Garnier", Group_Membership="* myContacts",
                          **{"E-mail 1 - Type": "* Home", "E-mail 1 - Value": "ines@modeetvelo.example",
                             "Phone 1 - Type": "Mobile", "Phone 1 - Value": "+33 7 81 22 33 44",
                             "Phone 2 - Type": "Work Fax", "Phone 2 - Value": "04 72 00 00 99",
                             "Organization 1 - Name": "Mode & Vélo", "Organization 1 - Title": "Blogueuse",
                             "Website 1 - Value": "https://modeetvelo.example"}),
    ]
    file = tmp_path / "google.csv"
    file.write_bytes((GOOGLE_LEGACY_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    book = read_address_book(file)
    assert book.format == "Google CSV" and len(book.people) == 1
    person = book.people[0]
    assert (person.name, person.organization, person.role) == ("Inès Garnier", "Mode & Vélo", "Blogueuse")
    assert person.phones == [("mobile", "+33 7 81 22 33 44")]  # the fax is left out
    result = run_import(kb_copy, file, "--department", "media", "--owner", "karim-benali", "--apply")
    assert result.exit_code == 0, result.output
    record = load_kb(str(kb_copy)).get("contacts", "ines-garnier")
    assert record is not None
    assert record.data["department"] == "media" and record.data["owner"] == "karim-benali"
    assert record.data["channels"]["url"] == "https://modeetvelo.example"


def test_outlook_csv_in_windows_1252_with_bad_rows(kb_copy: Path, tmp_path: Path):
    text = outlook_file([
        {"First Name": "Frédérique", "Last Name": "Lebœuf", "Company": "Vélo Magazine", "Department": "Rédaction",
         "Job Title": "Rédactrice en chef", "Mobile Phone": "06 45 67 89 01", "Business Phone": "+33 (0)1 44 55 66 77",
         "E-mail Address": "f.leboeuf@velomag.example", "E-mail Type": "SMTP", "E-mail Display Name": "Frédérique Lebœuf (f.leboeuf@velomag.example)",
         "Notes": "Rencontrée au salon « Vélo en ville »."},
        # Already a contact: Nadia Haddad, found by her mobile, written the Outlook way.
        {"First Name": "Nadia", "Last Name": "Haddad", "Company": "Cycles Morvan", "Mobile Phone": "06 39 98 14 51"},
        {"First Name": "Marc", "Last Name": "Sans-Email", "Company": "Atelier Marc", "E-mail Address": "marc@", "Home Phone": "0"},
    ])
    file = tmp_path / "outlook.CSV"
    file.write_bytes(text.encode("cp1252"))  # œ and « » exist in Windows-1252, not in Latin-1
    result = run_import(kb_copy, file)
    assert result.exit_code == 0, result.output
    assert f"{file}: Outlook CSV, read as Windows-1252, 3 people" in result.output
    lines = lines_of(result, file)
    assert lines[2] == ["create contacts/frederique-leboeuf: Frédérique Lebœuf (Vélo Magazine)"]
    assert lines[3] == ["skip Nadia Haddad: already in contacts/nadia-haddad (same phone +33 6 39 98 14 51), nothing new"]
    assert lines[4] == ["skip Marc Sans-Email: no email or phone to reach them", 'note: email "marc@" is not an address; left out',
                        'note: phone "0" is not a phone number; left out']
    assert run_import(kb_copy, file, "--apply").exit_code == 0
    record = load_kb(str(kb_copy)).get("contacts", "frederique-leboeuf")
    assert record is not None
    assert record.data["department"] == "media"  # "Rédaction" is an outlet's newsroom
    assert record.data["channels"] == {"email": "f.leboeuf@velomag.example", "phone": "+33 1 44 55 66 77", "mobile": "+33 6 45 67 89 01"}
    assert record.data["notes"] == "Rencontrée au salon « Vélo en ville »."


def test_a_latin_1_file_and_a_row_with_too_many_cells(kb_copy: Path, tmp_path: Path):
    text = ("First Name;Last Name;Company;E-mail Address;Mobile Phone\r\n"  # French Excel: semicolons
            "René;Duprès;Cafés Ré;rene@cafes-re.example;06 01 02 03 04\r\n"
            "Zoé;Noël;Boulangerie;zoe@boulangerie.example;06 05 06 07 08;extra;cells\r\n")
    file = tmp_path / "latin1.csv"
    file.write_bytes(text.encode("latin-1"))
    assert "é".encode("latin-1") in file.read_bytes() and b"\xc3" not in file.read_bytes()
    result = run_import(kb_copy, file)
    assert result.exit_code == 0, result.output  # a bad row is reported, not fatal
    assert "Outlook CSV, read as Windows-1252, 1 people" in result.output
    lines = lines_of(result, file)
    assert lines[2] == ["create contacts/rene-dupres: René Duprès (Cafés Ré)"]
    assert lines[3][0].startswith("bad row: the row has 7 cells, the header 5")
    assert "1 to create, 0 to merge, 0 skipped, 1 bad row;" in result.output


def test_outlook_unicode_export_in_utf_16(kb_copy: Path, tmp_path: Path):
    text = outlook_file([{"First Name": "Søren", "Last Name": "Kierkegård", "Company": "Cykel Danmark",
                          "E-mail Address": "soren@cykel.example", "Business Phone": "+45 32 12 34 56"}])
    file = tmp_path / "outlook-unicode.csv"
    file.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    result = run_import(kb_copy, file, "--apply")
    assert result.exit_code == 0, result.output
    assert "read as UTF-16" in result.output
    record = load_kb(str(kb_copy)).get("contacts", "soren-kierkegard")
    assert record is not None and record.data["channels"]["phone"] == "+45 32 12 34 56"


GOOGLE_VCARD_30 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maître Hélène Vasseur\r\nN:Vasseur;Hélène;;Maître;\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK:Helene.Vasseur@cycles-morvan.fr\r\nTEL;TYPE=CELL:06 70 80 90 10\r\n"
    "ORG:Cycles Morvan;Direction juridique\r\nTITLE:Juriste\\, droit de la consommation\r\nEND:VCARD\r\n"
    # Apple Contacts: grouped properties, a line folded at 75 octets, escaped characters.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.0//EN\r\nN:Lemaire;Paul;;;\r\nFN:Paul Lemaire\r\n"
    "ORG:Cabinet Lemaire\\; Associés;\r\nitem1.EMAIL;type=INTERNET;type=pref:paul@cabinet-lemaire.example\r\n"
    "item1.X-ABLabel:_$!<Other>!$_\r\nTEL;type=CELL;type=VOICE;type=pref:+33 6 22 33 44 55\r\n"
    "TEL;type=WORK;type=FAX:+33 4 00 00 00 00\r\n"
    "NOTE:Avocat du cabinet qui nous conseille sur les litiges avec les blogueurs. Tr\r\n"
    " ès réactif\\, appeler plutôt le matin.\\nVoir aussi l'incident de juin 2025.\r\nEND:VCARD\r\n"
)
VCARD_40 = (
    "BEGIN:VCARD\nVERSION:4.0\nFN:Lucie Martin\nN:Martin;Lucie;;;\nORG:Radio Lyon 1\nTITLE:Journaliste\n"
    'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+33-6-12-00-00-01\nTEL;VALUE=uri;TYPE=work:tel:+33-4-78-00-00-02;ext=12\n'
    "EMAIL;TYPE=work:lucie.martin@radiolyon1.example\nEND:VCARD\n"
    # A 2.1 card as old phones write it: bare types, quoted-printable.
    "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupr=C3=A9;Ren=C3=A9\n"
    "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9s R=C3=A9=\nunis\nTEL;CELL:0611223344\nEND:VCARD\n"
    # A broken line, then a card that is never closed.
    "this line is not a property\nBEGIN:VCARD\nVERSION:4.0\nFN:Never Closed\n"
)


def test_vcard_3_from_google_and_apple(kb_copy: Path, tmp_path: Path):
    file = tmp_path / "contacts.vcf"
    file.write_text(GOOGLE_VCARD_30, encoding="utf-8", newline="")
    book = read_address_book(file)
    assert book.format == "vCard 3.0" and book.issues == []
    paul = book.people[1]
    assert paul.organization == "Cabinet Lemaire; Associés"
    assert paul.notes.startswith("Avocat du cabinet") and "Très réactif, appeler plutôt le matin.\nVoir aussi" in paul.notes
    assert paul.phones == [("mobile", "+33 6 22 33 44 55")]  # the fax is left out
    result = run_import(kb_copy, file, "--apply")
    assert result.exit_code == 0, result.output
    lines = lines_of(result, file)
    # Same email in other capitals: merged into the existing contact, her mobile added.
    assert lines[1] == ['merge into contacts/helene-vasseur (same email Helene.Vasseur@cycles-morvan.fr): add channels.mobile "+33 6 70 80 90 10"']
    assert lines[10][0].startswith("create contacts/paul-lemaire")
    kb = load_kb(str(kb_copy))
    assert kb.get("contacts", "helene-vasseur").data["channels"]["mobile"] == "+33 6 70 80 90 10"
    paul_record = kb.get("contacts", "paul-lemaire")
    assert paul_record.data["department"] == "other"  # nothing in the card says more
    assert "\n" in paul_record.data["notes"]
    text = paul_record.path.read_text(encoding="utf-8")
    assert "notes: |" in text  # prose written as a block, as people write it


def test_vcard_4_and_2_1_with_bad_lines(kb_copy: Path, tmp_path: Path):
    file = tmp_path / "export.vcf"
    file.write_text(VCARD_40, encoding="utf-8")
    book = read_address_book(file)
    assert book.format == "vCard 2.1 and 4.0"
    assert [(i.line, i.message.split(";")[0]) for i in book.issues] == [
        (18, '"this line is not a property" is not a vCard line (NAME:value)'),
        (19, "the last card is not closed by END:VCARD"),
    ]
    lucie, rene = book.people
    assert lucie.phones == [("mobile", "+33-6-12-00-00-01"), ("phone", "+33-4-78-00-00-02")]
    assert (rene.name, rene.organization) == ("René Dupré", "Cafés Réunis")
    result = run_import(kb_copy, file, "--organization", "Particuliers")
    assert result.exit_code == 0, result.output
    lines = lines_of(result, file)
    assert lines[1] == ["create contacts/lucie-martin: Lucie Martin (Radio Lyon 1)"]
    assert lines[11] == ["create contacts/rene-dupre: René Dupré (Cafés Réunis)"]  # quoted-printable, soft line break
    assert lines[18][0].startswith("bad row:") and lines[19][0].startswith("bad row:")
    assert "2 to create, 0 to merge, 0 skipped, 2 bad rows" in result.output


def test_country_comes_from_handover_yml_or_the_option(kb_copy: Path, tmp_path: Path):
    config = kb_copy / "handover.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("country: FR", "country: BE"), encoding="utf-8")
    file = tmp_path / "be.vcf"
    file.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Anne Peeters\nORG:Fietsen Gent\nTEL;TYPE=CELL:0470 12 34 56\nEND:VCARD\n", encoding="utf-8")
    result = run_import(kb_copy, file)
    assert "create contacts/anne-peeters" in result.output
    kb = load_kb(str(kb_copy))
    plan = plan_contacts(kb, read_address_book(file), today=dt.date(2026, 11, 21))
    assert plan.actions[0].data["channels"] == {"mobile": "+32 470 12 34 56"}
    # No country at all: the number cannot be read, and the note says how to fix it.
    config.write_text(config.read_text(encoding="utf-8").replace("country: BE\n", "").replace("country: BE ", "#"), encoding="utf-8")
    assert load_kb(str(kb_copy)).config.country == ""
    result = run_import(kb_copy, file)
    assert "handover.yml names no country: add country: FR" in result.output
    assert "create contacts/anne-peeters" in run_import(kb_copy, file, "--country", "be").output


def test_import_errors_are_clear(kb_copy: Path, tmp_path: Path):
    unknown = tmp_path / "other.csv"
    unknown.write_text("Nom,Courriel\nA,a@example.org\n", encoding="utf-8")
    result = run_import(kb_copy, unknown)
    assert result.exit_code == 1 and "not those of a Google or Outlook export" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert run_import(kb_copy, empty).exit_code == 1
    card = tmp_path / "one.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:A B\nEMAIL:a@b.example\nEND:VCARD\n", encoding="utf-8")
    bad_department = run_import(kb_copy, card, "--department", "nowhere")
    assert bad_department.exit_code == 2 and "use one of: legal, customer-service" in bad_department.output
    assert run_import(kb_copy, tmp_path / "missing.vcf").exit_code == 2
    broken_utf16 = tmp_path / "broken.csv"
    broken_utf16.write_bytes(codecs.BOM_UTF16_LE + b"F\x00i\x00\x00\xd8")  # a lone surrogate
    result = run_import(kb_copy, broken_utf16)
    assert result.exit_code == 1 and "not valid UTF-16" in result.output
    for output in (result.output, bad_department.output):
        assert "Traceback" not in output


@pytest.mark.parametrize("layout", ["block", "flow", "no-channels-key"])
def test_merge_keeps_the_file_as_written(kb_copy: Path, tmp_path: Path, layout: str):
    texts = {
        "block": "# Notre contact à la mairie.\nname: Mairie\norganization: Ville\ndepartment: partner\nchannels:\n  email: mairie@ville.example  # standard\nnotes: |\n  Appeler le matin.\n",
        "flow": "name: Mairie\norganization: Ville\ndepartment: partner\nchannels: {email: mairie@ville.example}\n",
        "no-channels-key": "name: Mairie\norganization: Ville\ndepartment: partner\nchannels: {email: mairie@ville.example}\n",
    }
    path = kb_copy / "contacts" / "mairie.yml"
    path.write_text(texts[layout], encoding="utf-8")
    file = tmp_path / "m.vcf"
    role = "TITLE:Accueil\n" if layout == "no-channels-key" else ""
    file.write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:Mairie\nEMAIL:MAIRIE@ville.example\nTEL;TYPE=WORK:04 72 10 30 30\n{role}END:VCARD\n", encoding="utf-8")
    result = run_import(kb_copy, file, "--apply")
    assert result.exit_code == 0, result.output
    data = load_document(path, "m", markdown=False).loaded.data
    assert data["channels"] == {"email": "mairie@ville.example", "phone": "+33 4 72 10 30 30"}
    new_text = path.read_text(encoding="utf-8")
    if layout == "block":
        assert new_text.startswith("# Notre contact à la mairie.\n") and "  email: mairie@ville.example  # standard\n  phone:" in new_text
        assert new_text.endswith("notes: |\n  Appeler le matin.\n")
    if layout == "no-channels-key":
        assert data["role"] == "Accueil"
