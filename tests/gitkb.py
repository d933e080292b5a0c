"""Real git repositories for the history tests: scripted commits by several authors at
fixed dates, isolated from the user's and the system's git configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

AUTHORS = {
    "lea": ("Léa Martin", "lea.martin@cycles-morvan.fr"),
    "karim": ("Karim Benali", "karim.benali@cycles-morvan.fr"),
    "claire": ("Claire Fontaine", "claire.fontaine@cycles-morvan.fr"),
}
ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC", "LC_ALL": "C"}


def git_env(author: str = "lea", date: str = "2026-01-05T10:00:00+01:00") -> dict[str, str]:
    name, email = AUTHORS[author]
    return {**os.environ, **ISOLATED, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date}


def git(cwd: Path, *args: str, author: str = "lea", date: str = "2026-01-05T10:00:00+01:00") -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=git_env(author, date), capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


class Repo:
    """A git repository in `root` whose knowledge base is `root/kb`."""

    def __init__(self, root: Path, kb_source: Path | None = None) -> None:
        self.root = root
        self.kb = root / "kb"
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q", "-b", "main")
        if kb_source is not None:
            shutil.copytree(kb_source, self.kb)

    def commit(self, message: str, author: str, date: str, files: dict[str, str | None] | None = None) -> str:
        """Write (text) or delete (None) kb-relative files, then commit everything."""
        for relative, text in (files or {}).items():
            path = self.kb / relative
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        git(self.root, "add", "-A", author=author, date=date)
        git(self.root, "commit", "-q", "--allow-empty", "-m", message, author=author, date=date)
        return git(self.root, "rev-parse", "HEAD")

    def edit(self, relative: str, old: str, new: str) -> str:
        """The file's text with one exact substring replaced (it must be there)."""
        text = (self.kb / relative).read_text(encoding="utf-8")
        assert old in text, (relative, old)
        return text.replace(old, new, 1)

    def git(self, *args: str, author: str = "lea", date: str = "2026-01-05T10:00:00+01:00") -> str:
        return git(self.root, *args, author=author, date=date)
