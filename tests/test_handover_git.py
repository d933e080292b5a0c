"""Transfer and export in real git repositories: the minimal diff, the refusals, the
commit, the person's changes and the verified bundle."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, KB_TODAY
from gitkb import ISOLATED, Repo, git_env

from handover.cli import cli


@pytest.fixture()
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo", BUNDLED_KB)
    repo.commit("The knowledge base", "claire", "2026-06-01T09:00:00+02:00")
    tiktok = repo.edit("accounts/tiktok-cyclesmorvan.yml", "cadence: 2/week", "cadence: 3/week")
    repo.commit("TikTok: three videos a week", "lea", "2026-07-03T15:00:00+02:00", {"accounts/tiktok-cyclesmorvan.yml": tiktok})
    return repo


def run(*args: str, author: str = "karim"):
    env = {**ISOLATED, **{k: v for k, v in git_env(author, "2026-11-21T10:00:00+01:00").items() if k.startswith("GIT_")}}
    return CliRunner().invoke(cli, [*args, "--today", KB_TODAY.isoformat()], env=env)


def test_transfer_commit_shows_only_the_changed_values(repo: Repo):
    result = run("transfer", "lea-martin", "karim-benali", "--kb", str(repo.kb), "--backup", "julien-roux", "--commit")
    assert result.exit_code == 0, result.output
    assert re.search(r"committed [0-9a-f]{8}: Transfer lea-martin's holdings to karim-benali", result.output)
    assert repo.git("status", "--porcelain") == ""
    assert repo.git("log", "-1", "--format=%an|%s") == "Karim Benali|Transfer lea-martin's holdings to karim-benali"
    body = repo.git("log", "-1", "--format=%b")
    assert "- accounts/instagram-cyclesmorvan: owner: lea-martin -> karim-benali" in body
    names = repo.git("diff", "--name-only", "HEAD~1", "HEAD").splitlines()
    assert len(names) == 12 and "kb/departures/lea-martin.yml" in names  # the records, and the checklist it ticked
    # every changed line is the same line once the ids are taken out: only values moved
    diff = repo.git("diff", "-U0", "HEAD~1", "HEAD", "--", ".", ":(exclude)kb/departures").splitlines()
    removed = sorted(strip_ids(line[1:]) for line in diff if line.startswith("-") and not line.startswith("---"))
    added = sorted(strip_ids(line[1:]) for line in diff if line.startswith("+") and not line.startswith("+++"))
    # 20: the action "Transmettre le dossier à Karim" names the new owner and is flagged, not moved
    assert len(removed) == 20 and removed == added, (removed, added)


def strip_ids(line: str) -> str:
    return re.sub(r"(, )?\b(?:lea-martin|karim-benali|julien-roux)\b", "", line)


def test_transfer_refuses_with_uncommitted_changes(repo: Repo):
    notes = repo.kb / "guide" / "brouillon.md"
    notes.write_text("# Brouillon\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in repo.kb.rglob("*.yml")}
    result = run("transfer", "lea-martin", "karim-benali", "--kb", str(repo.kb), "--backup", "julien-roux")
    assert result.exit_code == 1
    assert "uncommitted changes: guide/brouillon.md" in result.output and "commit or stash them first" in result.output
    assert {p: p.read_bytes() for p in repo.kb.rglob("*.yml")} == before


def test_transfer_commit_needs_git(tmp_path: Path):
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, kb)
    result = run("transfer", "lea-martin", "karim-benali", "--kb", str(kb), "--backup", "julien-roux", "--commit")
    assert result.exit_code == 1 and "--commit needs git" in result.output and "not in a git repository" in result.output
    assert "owner: lea-martin" in (kb / "accounts" / "tiktok-cyclesmorvan.yml").read_text(encoding="utf-8")


def test_export_carries_a_verified_bundle_and_the_persons_changes(repo: Repo, tmp_path: Path):
    out = tmp_path / "lea.zip"
    result = run("export", "--kb", str(repo.kb), "--person", "lea-martin", "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        handover = archive.read(next(n for n in names if n.endswith("/HANDOVER.md"))).decode()
        archive.extractall(tmp_path / "unpacked")
    assert any(n.endswith("/repository.bundle") for n in names)
    changes = handover[handover.index("## Changements pendant son passage (git)"):]
    assert "2026-07-03 — TikTok: three videos a week (`" in changes and "`accounts/tiktok-cyclesmorvan.yml`" in changes
    assert "The knowledge base" not in changes  # Claire's commit, not Léa's
    commit = repo.git("rev-parse", "HEAD")[:12]
    assert f"à partir du commit `{commit}`" in handover
    bundle = next((tmp_path / "unpacked").rglob("repository.bundle"))
    clone = tmp_path / "clone"
    env = git_env()
    subprocess.run(["git", "clone", "-q", str(bundle), str(clone)], check=True, env=env, capture_output=True)
    subprocess.run(["git", "fsck", "--full", "--strict"], cwd=clone, check=True, env=env, capture_output=True)
    assert subprocess.run(["git", "log", "-1", "--format=%H"], cwd=clone, env=env, capture_output=True, text=True).stdout.strip() == repo.git("rev-parse", "HEAD")


def test_export_timestamps_come_from_the_commit_without_source_date_epoch(repo: Repo, tmp_path: Path):
    out = tmp_path / "team.zip"
    result = run("export", "--kb", str(repo.kb), "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert stamps == {(2026, 7, 3, 13, 0, 0)}  # the last commit, 15:00 at +02:00


def test_export_outside_git_says_there_is_no_bundle(tmp_path: Path):
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, kb)
    result = run("export", "--kb", str(kb), "-o", str(tmp_path / "p.zip"))
    assert result.exit_code == 0, result.output
    assert "note: no git bundle:" in result.output and "not in a git repository" in result.output
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        assert not any(n.endswith(".bundle") for n in archive.namelist())


def test_the_interns_departure_end_to_end(repo: Repo, tmp_path: Path):
    """export tells what will be orphaned; transfer (committed) fixes it; status is clean; a
    new pack has nothing left to orphan."""
    before = run("export", "--kb", str(repo.kb), "--person", "lea-martin", "-o", str(tmp_path / "before.zip"))
    assert before.exit_code == 0 and "will be orphaned (nobody is named to take it over): 10" in before.output
    assert run("status", str(repo.kb)).exit_code == 1
    moved = run("transfer", "lea-martin", "karim-benali", "--kb", str(repo.kb), "--backup", "julien-roux", "--commit")
    assert moved.exit_code == 0, moved.output
    # the one action that names Karim was flagged, not moved: Claire gives it to him by hand
    incident = "incidents/2026-11-rumeur-batterie.md"
    text = (repo.kb / incident).read_text(encoding="utf-8")
    at = text.index("Transmettre le dossier à Karim")
    repo.commit("Rumeur batterie : Karim reprend le dossier lui-même", "claire", "2026-11-21T11:00:00+01:00",
                {incident: text[:at] + text[at:].replace("owner: lea-martin", "owner: karim-benali", 1)})
    status = run("status", str(repo.kb))
    assert status.exit_code == 0 and "lea-martin leaves on 2026-12-18 (in 27 days); no successor named; holds 0 records" in status.output
    after = run("export", "--kb", str(repo.kb), "--person", "lea-martin", "-o", str(tmp_path / "after.zip"))
    assert after.exit_code == 0 and "will be orphaned" not in after.output
    with zipfile.ZipFile(tmp_path / "after.zip") as archive:
        handover = archive.read(next(n for n in archive.namelist() if n.endswith("/HANDOVER.md"))).decode()
    assert "Rien : chaque élément a un repreneur désigné." in handover


def test_the_search_cache_is_never_a_change_to_commit(repo: Repo):
    """A search builds its index inside the kb: git must not see it, or transfer would refuse."""
    found = CliRunner().invoke(cli, ["search", "moderateurs", "--kb", str(repo.kb)], env=ISOLATED)
    assert found.exit_code == 0, found.output
    assert (repo.kb / ".handover-cache" / "search").is_dir()
    assert repo.git("status", "--porcelain") == ""
    moved = run("transfer", "lea-martin", "karim-benali", "--kb", str(repo.kb), "--backup", "julien-roux")
    assert moved.exit_code == 0 and "uncommitted" not in moved.output, moved.output
