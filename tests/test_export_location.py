"""The handover pack does not land in the repository (issue 15, item 6).

The pack holds every phone number and, in its bundle, the whole history: one
`git add -A` must not commit it. Real git repositories, the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED_KB, KB_TODAY
from gitkb import ISOLATED, Repo, git

from handover.git.commandline import exposure

TODAY = KB_TODAY.isoformat()
PACK = f"handover-team-{TODAY}.zip"


@pytest.fixture()
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo", BUNDLED_KB)
    (repo.root / ".gitignore").write_text("/packs/\n", encoding="utf-8")
    repo.commit("The knowledge base", "claire", "2026-06-01T09:00:00+02:00")
    return repo


def export(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if k not in ("HANDOVER_KB", "SOURCE_DATE_EPOCH")}, **ISOLATED}
    return subprocess.run([sys.executable, "-m", "handover", "export", "--kb", "kb", "--today", TODAY, *args],
                          check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def untracked(repo: Repo) -> str:
    return git(repo.root, "status", "--porcelain", "--untracked-files=all")


def test_the_default_pack_is_written_beside_the_repository(repo: Repo):
    done = export(cwd=repo.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (repo.root / PACK).exists()
    beside = repo.root.parent / PACK
    assert beside.is_file() and f"pack written: {beside}" in done.stdout
    assert untracked(repo) == ""  # `git add -A` has nothing to take
    assert "warning" not in done.stderr


def test_a_pack_chosen_inside_the_repository_is_warned_about(repo: Repo):
    done = export("-o", "pack.zip", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert (repo.root / "pack.zip").is_file()
    assert "pack.zip is inside the git repository" in done.stderr and "is not ignored by git" in done.stderr
    assert "add it to .gitignore" in done.stderr
    git(repo.root, "add", "pack.zip")
    git(repo.root, "commit", "-q", "-m", "oops")
    again = export("-o", "pack.zip", cwd=repo.root)
    assert again.returncode == 0 and "is tracked by git" in again.stderr


def test_an_ignored_folder_is_quiet(repo: Repo):
    done = export("-o", "packs/team.zip", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert (repo.root / "packs" / "team.zip").is_file() and "warning" not in done.stderr
    assert untracked(repo) == ""


def test_exposure_outside_any_repository(tmp_path: Path):
    assert exposure(tmp_path / "x.zip").state == "outside"
