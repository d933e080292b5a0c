"""`git init` for `handover init`, through the git command line.

Kept apart from history.py (the GitPython adapter, imported lazily) so that creating
a repository needs neither GitPython nor its import time. To fold into history.py
once that module offers an `init_repository` of its own.
"""

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
    git = shutil.which("git")
    if git is None:
        return GitInit(False, "git is not installed: run `git init` in the folder once it is")
    attempts = ([git, "init", "--quiet", f"--initial-branch={branch}", str(folder)],  # git 2.28 and later
                [git, "init", "--quiet", str(folder)])
    last = ""
    for first, command in zip((True, False), attempts):
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            return GitInit(False, f"git init failed ({exc}): run it by hand")
        if proc.returncode == 0:
            return GitInit(True, f"git repository created on branch {branch}" if first else "git repository created")
        last = (proc.stderr or proc.stdout).strip()
    return GitInit(False, f"git init failed ({last}): run it by hand")
