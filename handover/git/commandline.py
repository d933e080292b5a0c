"""The git command line, for what needs no GitPython: a new repository for `handover
init`, and where a file would land for `handover export`. Neither imports GitPython
nor pays its import time, and neither fails where git is missing. history.py
speaks to git for everything else."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GitInit:
    """What happened: created, already a repository, or why not."""

    created: bool
    message: str


def init_repository(folder: Path, branch: str = "main") -> GitInit:
    """Make `folder` a git repository on `branch`; never raises for a missing git."""
    if (folder / ".git").exists():
        return GitInit(False, "already a git repository: left as it is")
    attempts = (("init", "--quiet", f"--initial-branch={branch}", str(folder)),  # git 2.28 and later
                ("init", "--quiet", str(folder)))
    last = ""
    for first, command in zip((True, False), attempts, strict=True):
        proc = _run_git(*command)
        if proc is None:
            return GitInit(False, "git is not installed: run `git init` in the folder once it is")
        if isinstance(proc, str):
            return GitInit(False, f"git init failed ({proc}): run it by hand")
        if proc.returncode == 0:
            return GitInit(True, f"git repository created on branch {branch}" if first else "git repository created")
        last = (proc.stderr or proc.stdout).strip()
    return GitInit(False, f"git init failed ({last}): run it by hand")


@dataclass(frozen=True)
class Exposure:
    """Whether a file at a path would be committed by `git add -A`."""

    top: Path | None  # the working tree holding the path; None outside any repository
    state: str  # "outside", "ignored", "tracked" or "not ignored"

    @property
    def exposed(self) -> bool:
        return self.state in ("tracked", "not ignored")


def _run_git(*args: str) -> subprocess.CompletedProcess[str] | str | None:
    """git run with `args`; None when git is not installed, the reason when it could not run."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run([git, *args], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)


def _git_here(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """git run in `folder`; None when it could not run."""
    done = _run_git("-C", str(folder), *args)
    return None if done is None or isinstance(done, str) else done


def exposure(path: Path) -> Exposure:
    """Where a file written at `path` stands with git: outside any repository, ignored,
    tracked, or inside a working tree and not ignored (`git add -A` would take it).
    Without git, "outside": there is nothing to commit it with."""
    folder = path.absolute().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    found = _git_here(folder, "rev-parse", "--show-toplevel")
    if found is None or found.returncode != 0 or not found.stdout.strip():
        return Exposure(None, "outside")
    top = Path(found.stdout.strip())
    inside_git_dir = _git_here(folder, "rev-parse", "--is-inside-git-dir")
    if inside_git_dir is not None and inside_git_dir.stdout.strip() == "true":
        return Exposure(top, "ignored")  # inside .git itself: git never adds it
    target = str(path.absolute())
    tracked = _git_here(folder, "ls-files", "--error-unmatch", "--", target)
    if tracked is not None and tracked.returncode == 0:
        return Exposure(top, "tracked")
    ignored = _git_here(folder, "check-ignore", "-q", "--no-index", "--", target)
    if ignored is not None and ignored.returncode == 0:
        return Exposure(top, "ignored")
    return Exposure(top, "not ignored")
