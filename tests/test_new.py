"""handover new: records from templates, asked for or scripted, validated at once."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_corpus import VALID

from handover.cli import cli
from handover.files.atomic import atomic_create
from handover.files.yamlio import load_document
from handover.records.model import load_kb

TODAY = "2026-11-21"


@pytest.fixture
def kb(valid_kb: Path) -> Path:
    return valid_kb


def new(kb: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["new", *args, "--kb", str(kb), "--today", TODAY], input=input, env=env)


def test_new_asks_for_the_required_fields_and_asks_again_when_wrong(kb: Path):
    answers = "\n".join([
        "Zoé Durand",  # name
        "Stagiaire community manager",  # role
        "zoe.durand@example",  # email: not valid, asked again
        "zoe.durand@example.org",
        "2026-13-01",  # start: not a date, asked again
        "today",  # start: today, the same date object as reviewed_on: no YAML alias may appear
        "",  # status: the default, active
    ]) + "\n"
    result = new(kb, "team", input=answers)
    assert result.exit_code == 0, result.output
    assert "is not a valid email address" in result.stderr
    assert '"2026-13-01" is not a date' in result.stderr
    path = kb / "team" / "zoe-durand.yml"
    assert f"created {path}" in result.stdout
    assert "validated: 0 errors, 0 warnings about the new record" in result.stdout
    data = load_document(path, "t", markdown=False).loaded.data
    assert data["name"] == "Zoé Durand" and data["email"] == "zoe.durand@example.org"
    assert str(data["start"]) == TODAY and data["status"] == "active" and str(data["reviewed_on"]) == TODAY
    text = path.read_text(encoding="utf-8")
    assert "\n# phone: \"+33 4 72 00 00 01\"  # Work phone, international format\n" in text  # the rest, as comments
    assert "&" not in text and "*" not in text


def test_every_other_field_can_be_uncommented(kb: Path):
    assert new(kb, "contacts", "--no-input", "-s", "name=Jo", "-s", "organization=ACME", "-s", "department=legal",
               "-s", "channels.email=jo@example.org").exit_code == 0
    path = kb / "contacts" / "jo.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    uncommented = [line[2:] if line.startswith("# ") and not line.startswith("# More fields") else line for line in lines]
    uncommented = [line for line in uncommented if not line.startswith("# More fields")]
    path.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    kb_loaded = load_kb(str(kb))
    record = kb_loaded.get("contacts", "jo")
    assert record is not None and not [p for p in kb_loaded.problems if "jo.yml" in p.path]
    assert record.data["retain_until"].isoformat() == "2028-12-31"  # dates come back as dates
    assert record.data["channels"] == {"email": "jo@example.org"}


@pytest.mark.parametrize("kind,settings,expected_id", [
    ("team", ["name=Zoé Durand", "role=Intern", "email=zoe@example.org"], "zoe-durand"),
    ("accounts", ["platform=x", "handle=@newacc", "url=https://x.com/newacc", "status=active",
                  "owner=alice-martin", "backup=bruno-costa", "cadence=3/week"], "x-newacc"),
    ("contacts", ["name=Jean Dupont", "organization=ACME", "department=legal", "channels.phone=+33 6 12 34 56 78"], "jean-dupont"),
    ("influencers", ["name=Vélo Rose", "handles=instagram:@velorose, blog:velorose", "stance=neutral"], "velo-rose"),
    ("charter", ["title=Ton et style", "approved_by=alice-martin", "version=2"], "ton-et-style"),
    ("responses", ["title=Merci !", "when=someone says thanks, a happy customer", "platforms=x,facebook", "charter=reply-fast",
                   "status=approved", "approved_by=alice-martin"], "merci"),
    ("incidents", ["title=Panne du site", "severity=2", "status=open"], "2026-11-panne-du-site"),
])
def test_new_by_flags_gives_a_valid_record_of_every_kind(kb: Path, kind: str, settings: list[str], expected_id: str):
    args = [kind, "--no-input"] + [part for item in settings for part in ("--set", item)]
    if kind == "responses":
        args += ["--body", "Merci {prenom}, ça nous fait plaisir !"]
    result = new(kb, *args)
    assert result.exit_code == 0, result.output
    loaded = load_kb(str(kb))
    record = loaded.get(kind, expected_id)
    assert record is not None, sorted(loaded.records[kind])
    assert "validated: 0 errors, 0 warnings about the new record" in result.stdout
    if kind == "responses":
        assert record.data["variables"] == {"prenom": {"description": "Prenom"}}
        assert "note: {prenom} was declared under variables" in result.stderr
        assert record.body.strip() == "Merci {prenom}, ça nous fait plaisir !"
    if kind == "charter":
        assert record.data["version"] == "2"  # text, quoted: not the number 2
        assert f"{expected_id}-first-rule" in loaded.rules
    if kind == "contacts":
        assert record.data["channels"]["phone"] == "+33 6 12 34 56 78"
        assert '  phone: "+33 6 12 34 56 78"' in record.path.read_text(encoding="utf-8")


def test_new_refuses_to_replace_a_record(kb: Path):
    path = kb / "contacts" / "legal-desk.yml"
    before = path.read_bytes()
    result = new(kb, "contacts", "legal-desk", input="never read\n")  # refused before any question
    assert result.exit_code == 1 and "already exists" in result.output and "name" not in result.stderr.split("error:")[0]
    assert path.read_bytes() == before
    # Also when the existing record sits in a sub-folder, and when the id is made from the name.
    (kb / "contacts" / "archive").mkdir()
    shutil.move(str(path), kb / "contacts" / "archive" / "legal-desk.yml")
    result = new(kb, "contacts", "--no-input", "-s", "name=Legal desk", "-s", "organization=Y", "-s", "department=legal",
                 "-s", "channels.email=legal@example.org")
    assert result.exit_code == 1 and "archive/legal-desk.yml already exists" in result.output
    # A required mapping left empty: refused before writing, with the way to give it.
    result = new(kb, "contacts", "--no-input", "-s", "name=No Channel", "-s", "organization=Y", "-s", "department=legal")
    assert result.exit_code == 1 and 'required field "channels" is missing' in result.output and "--set" in result.output
    assert not (kb / "contacts" / "no-channel.yml").exists()


def test_atomic_create_never_replaces(tmp_path: Path):
    target = tmp_path / "a.yml"
    atomic_create(target, "name: one\n")
    with pytest.raises(FileExistsError):
        atomic_create(target, "name: two\n")
    assert target.read_text() == "name: one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yml"]  # no temporary file left
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_new_bad_input_writes_nothing(kb: Path):
    before = sorted(p.name for p in (kb / "team").iterdir())
    cases = [
        (["team", "--no-input", "-s", "name=X"], 2, "role is required"),
        (["team", "--no-input", "-s", "name=X", "-s", "role=r", "-s", "email=bad"], 2, "not a valid email address"),
        (["team", "--no-input", "-s", "nam=X"], 2, 'did you mean "name"'),
        (["team", "--no-input", "-s", "name"], 2, "is not NAME=VALUE"),
        (["teams"], 2, 'did you mean "team"'),
        (["team", "Bad_Id", "--no-input", "-s", "name=X", "-s", "role=r", "-s", "email=x@example.org"], 2, "not a valid id"),
        (["team", "--no-input", "-s", "name=X", "-s", "role=r", "-s", "email=x@example.org", "-s", "status=gone"], 2, "is not one of: active, leaving, left"),
    ]
    for args, code, says in cases:
        result = new(kb, *args)
        assert result.exit_code == code, (args, result.output)
        assert says in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert sorted(p.name for p in (kb / "team").iterdir()) == before


def test_new_reports_what_validate_finds_in_the_new_record(kb: Path):
    # A reference to nobody is refused before writing, with the close match.
    result = new(kb, "contacts", "--no-input", "-s", "name=Orphan", "-s", "organization=Y", "-s", "department=legal",
                 "-s", "channels.email=o@example.org", "-s", "owner=alice-martn")
    assert result.exit_code == 2 and '"alice-martn" is no record of team/; did you mean "alice-martin"?' in result.output
    assert not (kb / "contacts" / "orphan.yml").exists()
    # A handle another account already has: only the whole base can tell (E304), after writing.
    result = new(kb, "accounts", "x-testbikes-old", "--no-input", "-s", "platform=x", "-s", "handle=@testbikes",
                 "-s", "url=https://x.com/testbikes2", "-s", "status=dormant", "-s", "owner=alice-martin", "-s", "backup=bruno-costa")
    assert result.exit_code == 1
    assert "accounts/x-testbikes.yml:2:9: error E304" in result.stdout and "also used by" in result.stdout  # caused by the new one
    assert "validated: 1 error, 0 warnings about the new record" in result.stdout
    assert (kb / "accounts" / "x-testbikes-old.yml").is_file()  # kept, to fix


def test_edit_opens_the_editor_then_validates(kb: Path, tmp_path: Path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(text.replace('# notes: ', 'notes: ', 1))\n",
        encoding="utf-8",
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""}
    result = new(kb, "team", "--edit", "--no-input", "-s", "name=Ed Itor", "-s", "role=r", "-s", "email=ed@example.org", env=env)
    assert result.exit_code == 0, result.output
    record = load_kb(str(kb)).get("team", "ed-itor")
    assert record is not None and record.data["notes"] == "Reprend les comptes le lundi."
    # An editor that breaks the file: validate says where, exit 1, the file is kept.
    editor.write_text("import sys\nopen(sys.argv[-1], 'a', encoding='utf-8').write('email: again@example.org\\n')\n", encoding="utf-8")
    result = new(kb, "team", "--edit", "--no-input", "-s", "name=Du Plicate", "-s", "role=r", "-s", "email=d@example.org", env=env)
    assert result.exit_code == 1
    assert "team/du-plicate.yml:" in result.stdout and "E104" in result.stdout


def test_new_writes_the_schema_modeline_where_the_repository_has_schemas(tmp_path: Path):
    repo = tmp_path / "repo"
    kb = repo / "kb"
    shutil.copytree(VALID, kb)
    assert CliRunner().invoke(cli, ["schema", "-o", str(repo / "schemas"), "--kb", str(kb)]).exit_code == 0
    result = new(kb, "team", "--no-input", "-s", "name=Mo De", "-s", "role=r", "-s", "email=m@example.org")
    assert result.exit_code == 0, result.output
    first = (kb / "team" / "mo-de.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/team.schema.json"


def test_new_asks_for_a_mapping_by_name_value_pairs(kb: Path):
    answers = "Roue Libre\nyoutube:roulibre\ninstagram:@roulibre, blog:roulibre\nfan\nneutral\n"
    result = new(kb, "influencers", input=answers)
    assert result.exit_code == 0, result.output
    assert "names: facebook, instagram, x, blog" in result.stderr  # the platforms of this kb's handover.yml
    assert '"youtube" is not one of: facebook, instagram, x, blog' in result.stderr
    assert '"fan" is not one of: ambassador, neutral, critic' in result.stderr
    record = load_kb(str(kb)).get("influencers", "roue-libre")
    assert record is not None and record.data["handles"] == {"instagram": "@roulibre", "blog": "roulibre"}


def test_questions_show_the_ids_and_rules_in_use(kb: Path):
    answers = "\n".join(["Merci", "a customer thanks us", "x", "", "reply-fast, nope", "reply-fast", "draft", "", "Thanks!"]) + "\n"
    result = new(kb, "responses", input=answers)
    assert result.exit_code == 0, result.output
    assert "known: move-to-private, no-delete, reply-fast" in result.stderr  # the charter's rule ids
    assert "known: alice-martin, bruno-costa, chloe-dupont" in result.stderr  # approved_by: team or contacts
    assert '"nope" is no charter rule' in result.stderr  # asked again
    assert load_kb(str(kb)).get("responses", "merci").data["charter"] == ["reply-fast"]
