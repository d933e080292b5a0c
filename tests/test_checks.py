"""Check families called directly on small knowledge bases written in tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write

from handover.checks import run_checks
from handover.checks.continuity import holdings
from handover.checks.schema import computed_tier
from handover.core.errors import KnowledgeBaseNotFound
from handover.records.model import load_kb

TODAY = dt.date(2026, 11, 21)

CONFIG = """community: Test
language: fr
platforms:
  x: {label: X, limit: 40}
  instagram: {label: Instagram, limit: 2200}
tiers:
  default: {micro: 1000, mid: 10000}
leaving_window: 30d
"""

PERSON = "name: {name}\nrole: CM\nemail: {id}@example.fr\nstart: 2025-01-01\nstatus: {status}\n{extra}"


def team(root: Path, ident: str, status: str = "active", extra: str = "") -> None:
    write(root, f"team/{ident}.yml", PERSON.format(name=ident.title(), id=ident, status=status, extra=extra))


def account(root: Path, ident: str, owner: str | None, backup: str | None, extra: str = "") -> None:
    lines = ["platform: instagram", f"handle: '@{ident}'", f"url: https://example.org/{ident}", "status: active", "cadence: 3/week"]
    if owner:
        lines.append(f"owner: {owner}")
    if backup:
        lines.append(f"backup: {backup}")
    write(root, f"accounts/{ident}.yml", "\n".join(lines) + "\n" + extra)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    write(tmp_path, "handover.yml", CONFIG)
    team(tmp_path, "ana")
    team(tmp_path, "bob")
    return tmp_path


def problems(root: Path, today: dt.date = TODAY) -> list[tuple[str, str, int, int]]:
    report = run_checks(load_kb(str(root)), today)
    return [(p.code, Path(p.path).name, p.line, p.col) for p in report.problems]


def test_a_clean_base_has_no_problem(base: Path):
    account(base, "main", "ana", "bob")
    assert problems(base) == []


def test_account_continuity(base: Path):
    account(base, "noowner", None, "bob")
    account(base, "nobackup", "ana", None)
    account(base, "same", "ana", "ana")
    found = {(code, name) for code, name, *_ in problems(base)}
    assert {("E305", "noowner.yml"), ("E306", "nobackup.yml"), ("E307", "same.yml")} <= found


def test_holding_after_leaving_is_an_error_and_leaving_soon_a_warning(base: Path):
    team(base, "cleo", status="active", extra="end: 2026-12-01\n")  # within the 30-day window
    team(base, "dan", status="left", extra="end: 2026-01-31\n")
    account(base, "a1", "cleo", "ana")
    account(base, "a2", "ana", "dan")
    found = problems(base)
    assert ("W310", "a1.yml", 6, 8) in found
    assert ("W311", "cleo.yml", 6, 6) in found
    assert ("E309", "a2.yml", 7, 9) in found


def test_leaving_summary_names_everything_held(base: Path):
    team(base, "cleo", status="leaving", extra="end: 2026-12-10\n")
    account(base, "a1", "cleo", "ana")
    write(base, "contacts/jo.yml", "name: Jo\norganization: X\ndepartment: legal\nchannels: {email: jo@example.fr}\nowner: cleo\n")
    report = run_checks(load_kb(str(base)), TODAY)
    summary = next(p for p in report.problems if p.code == "W311")
    assert "accounts/a1 (owner)" in summary.message and "contacts/jo (owner)" in summary.message
    assert "in 19 days" in summary.message


def test_successor_changes_the_advice(base: Path):
    team(base, "cleo", status="leaving", extra="end: 2026-12-10\nsuccessor: bob\n")
    account(base, "a1", "cleo", "ana")
    message = next(p.message for p in run_checks(load_kb(str(base)), TODAY).problems if p.code == "W310")
    assert "handover transfer cleo bob" in message


def test_done_actions_do_not_hold(base: Path):
    team(base, "dan", status="left", extra="end: 2026-01-31\n")
    write(base, "incidents/i1.md", "---\ntitle: I\nstarted: 2026-01-01\nseverity: 3\nstatus: closed\nactions:\n  - {action: A, owner: dan, done: true}\n  - {action: B, owner: dan}\n---\nText\n")
    kb = load_kb(str(base))
    held = holdings(kb)["dan"]
    assert [h.path for h in held] == [("actions", 1, "owner")]


def test_references_resolve_with_suggestions(base: Path):
    account(base, "main", "anna", "bob")
    found = run_checks(load_kb(str(base)), TODAY).problems
    e301 = next(p for p in found if p.code == "E301")
    assert 'did you mean "ana"' in e301.message and (e301.line, e301.col) == (6, 8)


def test_explicit_kind_references(base: Path):
    write(base, "contacts/jo.yml", "name: Jo\norganization: X\ndepartment: legal\nchannels: {email: jo@example.fr}\n")
    write(base, "incidents/i1.md", "---\ntitle: I\nstarted: 2026-01-01\nseverity: 3\nstatus: closed\npeople: [contacts/jo, influencers/jo, jo]\n---\nText\n")
    found = [(p.code, p.line, p.col) for p in run_checks(load_kb(str(base)), TODAY).problems]
    assert found == [("E301", 6, 23)]  # influencers/jo does not exist; bare jo resolves to the contact


def test_charter_rules_responses_and_lengths(base: Path):
    write(base, "charter/c.md", "---\ntitle: C\nversion: '1'\napproved_by: [ana]\napproved_on: 2026-01-01\n---\nIntro\n\n## Rule one {#one}\n\nText.\n\n## No id here\n\n```\n## not a rule {#fenced}\n```\n")
    write(base, "responses/r.md", "---\ntitle: R\nwhen: [x]\nplatforms: [instagram, x]\nlanguage: fr\ncharter: [one, two]\nstatus: approved\napproved_by: ana\nvariables:\n  prenom: {description: P, default: Camille}\n  unused: {description: U}\n---\nBonjour {prenom} et {inconnu}, voici une réponse bien trop longue pour X.\n")
    kb = load_kb(str(base))
    assert list(kb.rules) == ["one"] and kb.rules["one"].line == 9
    found = problems(base)
    assert ("W504", "c.md", 13, 1) in found
    assert ("E302", "r.md", 6, 16) in found
    assert ("E501", "r.md", 13, 21) in found
    assert ("W502", "r.md", 11, 3) in found
    assert ("E503", "r.md", 4, 24) in found


def test_unknown_field_warns_with_suggestion(base: Path):
    account(base, "main", "ana", "bob", extra="cadance: 3/week\n")
    report = run_checks(load_kb(str(base)), TODAY)
    warning = next(p for p in report.problems if p.code == "W220")
    assert 'did you mean "cadence"' in warning.message and report.errors == 0
    assert not report.passed(strict=True) and report.passed()


def test_freshness(base: Path):
    write(base, "influencers/inf.yml", "name: I\nhandles: {instagram: '@inf'}\nstance: neutral\naudience:\n  instagram: {followers: 12000, as_of: 2025-01-01}\nreviewed_on: 2025-01-01\nlast_contact: 2024-06-01\nretain_until: 2026-01-01\ntier: micro\n")
    found = {code for code, *_ in problems(base)}
    assert {"W401", "W402", "W404", "W405", "W230"} <= found
    kb = load_kb(str(base))
    assert computed_tier(kb.get("influencers", "inf"), kb) == "mid"


def test_duplicate_handles(base: Path):
    account(base, "a1", "ana", "bob")
    write(base, "accounts/a2.yml", "platform: instagram\nhandle: '@A1'\nurl: https://example.org/a\nstatus: dormant\n")
    assert ("E304", "a2.yml", 2, 9) in problems(base)


def test_bad_file_names_and_extensions(base: Path):
    write(base, "team/Lea_Martin.yml", "name: x\n")
    write(base, "team/notes.txt", "x")
    write(base, "team/old.yaml", "x: 1")
    found = {(code, name) for code, name, *_ in problems(base)}
    assert ("E111", "Lea_Martin.yml") in found and ("W113", "notes.txt") in found and ("W113", "old.yaml") in found


def test_pages_are_collected(base: Path):
    write(base, "guide/playbook.md", "# Playbook\n")
    write(base, "index.md", "# Home\n")
    kb = load_kb(str(base))
    assert sorted(p.relative for p in kb.pages) == ["guide/playbook.md", "index.md"]


def test_config_problems_are_located_and_defaults_used(tmp_path: Path):
    write(tmp_path, "handover.yml", "platforms:\n  x: {limit: -3}\nleaving_window: soon\ncomunity: Typo\n")
    kb = load_kb(str(tmp_path))
    found = [(p.code, p.line, p.col) for p in kb.problems]
    assert ("E010", 2, 14) in found and ("E010", 3, 17) in found and ("W220", 4, 1) in found
    assert kb.config.leaving_window == dt.timedelta(days=60) and kb.config.platforms["x"].limit is None


def test_missing_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(KnowledgeBaseNotFound) as caught:
        load_kb(str(tmp_path / "nope"))
    assert "no such folder" in str(caught.value)
