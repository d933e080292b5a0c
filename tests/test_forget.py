"""`handover forget ID`: the person is gone from every file, a tombstone without
personal data stays, the caches are emptied, and the commits that still hold the data
are reported with the command that would purge them (never run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, KB_TODAY
from gitkb import Repo

from handover.checks import run_checks
from handover.cli import cli
from handover.records.model import load_kb

PERSON = ("Camille Rey", "camille.rey@courrierdelyon.example", "+33 4 78 14 22 60")


def forget(kb: Path, *args: str):
    return CliRunner().invoke(cli, ["forget", *args, "--kb", str(kb), "--today", KB_TODAY.isoformat()])


def every_text(kb: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8", errors="replace") for p in kb.rglob("*") if p.is_file() and ".handover-cache" not in p.parts}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo", BUNDLED_KB)
    repo.commit("Knowledge base", "lea", "2026-01-05T10:00:00+01:00")
    repo.commit("Camille Rey changed paper", "karim", "2026-03-01T10:00:00+01:00",
                {"contacts/camille-rey.yml": repo.edit("contacts/camille-rey.yml", "notes:", "# moved desk in March\nnotes:")})
    return repo


def test_forget_removes_every_trace_from_the_files(repo: Repo):
    kb = repo.kb
    assert any(s in text for text in every_text(kb).values() for s in PERSON)
    cache = kb / ".handover-cache" / "search"
    cache.mkdir(parents=True)
    (cache / "segment.seg").write_text("Camille Rey", encoding="utf-8")
    result = forget(kb, "contacts/camille-rey")
    assert result.exit_code == 0, result.output
    assert not (kb / "contacts" / "camille-rey.yml").exists()
    leftovers = [(p.name, s) for p, text in every_text(kb).items() for s in (*PERSON, "camille-rey") if s in text]
    assert leftovers == []
    assert not cache.exists()  # the index may hold a copy: rebuilt on next use
    assert "incidents/2025-03-appel-boycott.md: people[8]: reference removed" in result.output
    assert "(personne retirée)" in (kb / "charter" / "escalade.md").read_text(encoding="utf-8")
    report = run_checks(load_kb(str(kb)), KB_TODAY)
    assert report.errors == 0, [p.format_gnu() for p in report.problems if p.is_error]
    tombstone = (kb / "forgotten.yml").read_text(encoding="utf-8")
    assert "kind: contacts" in tombstone and "fingerprint: sha256:" in tombstone and "forgotten_on: '2026-11-21'" in tombstone


def test_forget_reports_the_commits_and_prints_the_purge_without_running_it(repo: Repo):
    commits = repo.git("log", "--format=%h", "-n", "2").split()
    head_before = repo.git("rev-parse", "HEAD")
    result = forget(repo.kb, "camille-rey")
    assert result.exit_code == 0, result.output
    assert "history: 2 commit(s) still hold this person's data" in result.output
    assert all(sha[:7] in result.output for sha in commits)
    assert "git filter-repo --invert-paths --path 'kb/contacts/camille-rey.yml' --replace-text" in result.output
    assert "literal:Camille Rey==>(personne retirée)" in result.output
    assert repo.git("rev-parse", "HEAD") == head_before  # history untouched: nothing committed, nothing rewritten
    assert "Camille Rey" in repo.git("show", "HEAD:kb/contacts/camille-rey.yml")


def test_dry_run_writes_nothing(repo: Repo):
    before = every_text(repo.kb)
    result = forget(repo.kb, "contacts/camille-rey", "--dry-run")
    assert result.exit_code == 0 and "nothing written" in result.output
    assert every_text(repo.kb) == before


def test_single_value_references_must_be_changed_by_hand_first(repo: Repo):
    before = every_text(repo.kb)
    result = forget(repo.kb, "contacts/helene-vasseur")
    assert result.exit_code == 1
    assert "responses/menace-juridique.md: approved_by names contacts/helene-vasseur in a single-value field" in result.output
    assert every_text(repo.kb) == before


@pytest.mark.parametrize("ident, code, says", [
    ("../team/lea-martin", 2, "not an id"),
    ("/etc/passwd", 2, "not an id"),
    ("charter/moderation", 2, "holds no people"),
    ("nobody-here", 1, 'no person "nobody-here"'),
    ("lea-martin", 1, "still holds"),
])
def test_refusals(repo: Repo, ident: str, code: int, says: str):
    before = every_text(repo.kb)
    result = forget(repo.kb, ident)
    assert result.exit_code == code and says in result.output and "Traceback" not in result.output
    assert every_text(repo.kb) == before


def test_outside_git_the_history_is_said_unchecked(tmp_path: Path):
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, kb)
    result = forget(kb, "influencers/cargo-papa")
    assert result.exit_code == 0, result.output
    assert "history: not checked" in result.output
