"""The plain values git answers with (commits, changed files, last changes, what the
site needs) and the reading of `git log -z --raw`, its text as history.py gets it.
No git here: history.py runs git and hands its output over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

NULL_SHA = "0" * 40
RS, US = "\x1e", "\x1f"  # record and unit separators: never in a name or a subject
FORMAT = f"{RS}%H{US}%P{US}%an{US}%ae{US}%aI{US}%s"
FORMAT_BODY = FORMAT + f"{US}%b"
# Options that make the output ours whatever the user's git config says.
LOG_OPTIONS = ["-z", "--no-abbrev", "--no-renames", "--no-color", "--no-show-signature", "--root", "--no-textconv", "--no-ext-diff"]


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: dt.datetime  # author date, with its offset
    subject: str
    body: str = ""
    boundary: bool = False  # a shallow clone's oldest commit: what came before is missing

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit (or between two revisions), path relative to the kb."""

    path: str
    status: str  # "A" added, "M" modified, "D" deleted
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class LoggedCommit:
    commit: Commit
    files: tuple[FileChange, ...]


@dataclass(frozen=True)
class LastChange:
    """The last commit that changed a file: what a record page shows."""

    date: dt.datetime
    author: str
    sha: str
    subject: str


@dataclass
class SiteHistory:
    """What the site needs from git, from one `git log` pass over the knowledge base."""

    last: dict[str, LastChange]  # path relative to the kb → its last change
    recent: list[LoggedCommit]  # the newest commits that touched the kb, newest first
    notes: list[str] = field(default_factory=list)


def parse_log(text: str, body: bool, boundaries: frozenset[str], relative: Callable[[str], str | None]) -> list[LoggedCommit]:
    """The commits of `git log -z --raw --format=FORMAT(_BODY)`, each with the files it
    changed; `relative` turns a repository path into a kb path (None: outside the kb)."""
    commits: list[LoggedCommit] = []
    for chunk in text.split(RS)[1:]:
        header, _, rest = chunk.partition("\0")
        fields = header.split(US, 6 if body else 5)
        sha, parents, author, email, date, subject = fields[:6]
        commit = Commit(sha, tuple(parents.split()), author, email, dt.datetime.fromisoformat(date), subject,
                        fields[6].strip() if body and len(fields) > 6 else "", sha in boundaries)
        commits.append(LoggedCommit(commit, tuple(parse_raw(rest, relative))))
    return commits


def parse_raw(text: str, relative: Callable[[str], str | None]) -> Iterable[FileChange]:
    """The files of `git log --raw -z` or `git diff --raw -z` output, submodules left out."""
    tokens = text.lstrip("\n").split("\0")
    for meta, path in zip(tokens[::2], tokens[1::2], strict=False):  # a trailing empty token has no pair
        meta = meta.strip()
        if not meta.startswith(":"):
            continue
        parts = meta[1:].split()
        if len(parts) < 5 or "160000" in parts[:2]:  # malformed, or a submodule
            continue
        kb_path = relative(path)
        if kb_path is None:
            continue
        old, new, status = parts[2], parts[3], parts[4][0]
        yield FileChange(kb_path, status if status in "AD" else "M", None if old == NULL_SHA else old, None if new == NULL_SHA else new)
