"""`handover status` and `handover transfer` on copies of the bundled kb."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import KB_TODAY, write

from handover.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, [*args, "--today", KB_TODAY.isoformat()])


@pytest.fixture()
def kb(kb_copy: Path) -> Path:
    return kb_copy


def test_status_shows_the_interns_departure_and_the_accounts(kb: Path):
    result = run("status", str(kb))
    assert result.exit_code == 1, result.output  # not clean: the intern leaves holding things
    assert "lea-martin leaves on 2026-12-18 (in 27 days); no successor named; holds 11 records" in result.output
    assert "accounts/tiktok-cyclesmorvan (owner, credentials.shared_with, two_factor.holder)" in result.output
    assert 'instagram-cyclesmorvan  active   owner lea-martin, backup karim-benali, cadence 5/week  ! owner "lea-martin" leaves on 2026-12-18' in result.output
    assert "incidents/2026-11-rumeur-batterie (open, owner lea-martin)" in result.output
    assert "responses/candidature-spontanee (owner lea-martin)" in result.output


def test_status_json_lists_orphans_of_someone_gone(kb: Path):
    account = kb / "accounts" / "x-cyclesmorvan.yml"
    account.write_text(account.read_text(encoding="utf-8").replace("owner: julien-roux", "owner: thomas-petit"), encoding="utf-8")
    result = run("status", str(kb), "--json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["clean"] is False
    assert {"id": "accounts/x-cyclesmorvan", "role": "owner", "person": "thomas-petit", "reason": "has left"}.items() <= next(
        o for o in data["orphans"] if o["id"] == "accounts/x-cyclesmorvan").items()
    x = next(a for a in data["accounts"] if a["id"] == "accounts/x-cyclesmorvan")
    assert x["alerts"] == ['owner "thomas-petit" has left']


def test_transfer_refuses_to_make_owner_and_backup_one_person(kb: Path):
    before = {p: p.read_bytes() for p in kb.rglob("*") if p.is_file() and ".handover-cache" not in p.parts}
    result = run("transfer", "lea-martin", "karim-benali", "--kb", str(kb))
    shutil.rmtree(kb / ".handover-cache")  # the lock's and the journal's folder: not a record
    assert result.exit_code == 1
    assert "instagram-cyclesmorvan.yml: karim-benali is already its backup and would also be its owner" in result.output
    assert "forum-roue-libre.yml: karim-benali is already its owner and would also be its backup" in result.output
    assert "--backup ID" in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in kb.rglob("*") if p.is_file() and ".handover-cache" not in p.parts} == before


@pytest.mark.parametrize("target, message", [
    ("thomas-petit", 'TO "thomas-petit" has left'),
    ("nobody", 'TO "nobody" is not a team member'),
    ("lea-martin", "FROM and TO are the same person"),
])
def test_transfer_refuses_a_target_who_cannot_take_over(kb: Path, target: str, message: str):
    result = run("transfer", "lea-martin", target, "--kb", str(kb))
    assert result.exit_code == 1 and message in result.output, result.output


def test_transfer_changes_only_the_values_and_clears_the_departure(kb: Path):
    before = {p: p.read_text(encoding="utf-8") for p in kb.rglob("*") if p.is_file()}
    result = run("transfer", "lea-martin", "karim-benali", "--kb", str(kb), "--backup", "julien-roux")
    assert result.exit_code == 0, result.output
    assert "validation after the transfer: 0 errors" in result.output
    assert "tiktok-cyclesmorvan.yml: move two_factor itself to karim-benali (now: Téléphone personnel de Léa" in result.output
    changed = {p for p in before if p.read_text(encoding="utf-8") != before[p]}
    assert len(changed) == 11
    for path in changed:
        old, new = before[path].splitlines(), path.read_text(encoding="utf-8").splitlines()
        assert len(old) >= len(new)
        # every line is kept, with the same comments and layout, except those naming the intern
        # (and the backups swapped where karim took over): nothing else moves
        differing = [(a, b) for a, b in zip(old, new, strict=False) if a != b]  # new may be shorter
        for a, b in differing:
            assert "lea-martin" in a or a.strip() == "backup: karim-benali", (path, a, b)
            assert "lea-martin" not in b
    tiktok = (kb / "accounts" / "tiktok-cyclesmorvan.yml").read_text(encoding="utf-8")
    assert tiktok.startswith("# Compte TikTok : relancé par Léa")  # the comment stays
    assert "owner: karim-benali\nbackup: julien-roux\n" in tiktok and "  holder: karim-benali\n" in tiktok
    assert "shared_with: [claire-fontaine, karim-benali]\n" in tiktok
    # the action "Transmettre le dossier à Karim" names the new owner: flagged, left to a person
    assert 'flagged: kb/incidents/2026-11-rumeur-batterie.md: action 5 "Transmettre le dossier à Karim' in result.output.replace(str(kb), "kb")
    status = run("status", str(kb))
    assert status.exit_code == 1 and "holds 1 record\n      incidents/2026-11-rumeur-batterie (actions.owner)" in status.output
    incident = kb / "incidents" / "2026-11-rumeur-batterie.md"
    text = incident.read_text(encoding="utf-8")
    at = text.index("Transmettre le dossier à Karim")
    incident.write_text(text[:at] + text[at:].replace("done: false", "done: true", 1), encoding="utf-8")  # Claire decides: moot
    status = run("status", str(kb))
    assert status.exit_code == 0, status.output
    assert "lea-martin leaves on 2026-12-18 (in 27 days); no successor named; holds 0 records" in status.output
    assert status.output.rstrip().endswith("clean: nothing orphaned, nothing left in the hands of someone leaving")


def test_transfer_dry_run_shows_a_diff_and_writes_nothing(kb: Path):
    before = {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()}
    result = run("transfer", "lea-martin", "karim-benali", "--kb", str(kb), "--kind", "influencers", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "-owner: lea-martin\n+owner: karim-benali\n" in result.output
    assert "dry run: 3 change(s) in 3 file(s); nothing written" in result.output
    assert "checklist of lea-martin: 3 step(s) would be done by this transfer" in result.output
    assert {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()} == before


def test_transfer_keeps_quotes_and_comments(kb: Path):
    write(kb, "contacts/test-quoted.yml", (
        "# quoted owner\n"
        "name: Test\norganization: Org\ndepartment: legal\nchannels:\n  email: test@example.org\n"
        'owner: "lea-martin"   # who\n'
    ))
    result = run("transfer", "lea-martin", "julien-roux", "--kb", str(kb), "--kind", "contacts")
    assert result.exit_code == 0, result.output
    assert (kb / "contacts" / "test-quoted.yml").read_text(encoding="utf-8").endswith('owner: "julien-roux"   # who\n')


def test_edit_values_removes_block_and_flow_items():
    from handover.files.yamlio import ValueEdit, edit_values

    text = "a: [x, y]\nb:\n  - x  # first\n  - y\nc: [x, y]\n"
    edited = edit_values(text, [ValueEdit(("a", 1), None), ValueEdit(("b", 0), None), ValueEdit(("c", 0), None)], front_matter=False, display="t.yml")
    assert edited == "a: [x]\nb:\n  - y\nc: [y]\n"
