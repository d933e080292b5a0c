"""`handover history ID` and `handover changes`: who changed what, field by field.

The git side (commits, blobs) comes from history.py; this module decides what a
change means for a record: added, changed (which fields, old → new; how many lines
of text) or removed. It never loads the whole knowledge base: it reads only the
versions of the files that changed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError, UsageError
from handover.files.yamlio import decode, split_front_matter
from handover.git.commits import Commit, FileChange, LoggedCommit
from handover.git.diffs import FieldChange, TextChange, field_changes, text_change
from handover.git.history import HistoryUnavailable, Repository, open_repository
from handover.records.fold import fold
from handover.records.kinds import KINDS
from handover.records.values import SLUG_RE

STATUS = {"A": "added", "M": "changed", "D": "removed"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_DAYS = 30


@dataclass
class RecordChange:
    """What happened to one file of the knowledge base over a range of commits."""

    path: str  # relative to the knowledge base
    kind: str | None  # record kind, or None for another file (a guide page, handover.yml)
    id: str
    status: str  # added, changed, removed
    fields: list[FieldChange] = field(default_factory=list)
    text: TextChange | None = None
    commits: list[Commit] = field(default_factory=list)  # newest first
    note: str = ""  # why no field detail is given, when it is not

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.id}" if self.kind else self.path

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "path": self.path, "status": self.status,
                               "fields": [change.as_dict() for change in self.fields]}
        if self.text:
            out["text"] = {"lines_added": self.text.added, "lines_removed": self.text.removed}
        if self.note:
            out["note"] = self.note
        out["commits"] = [commit_dict(c) for c in self.commits]
        return out


@dataclass
class ChangesReport:
    since: str  # as asked, or the default
    base: str | None  # the commit compared from (None: before the first commit)
    head: str
    author: str | None
    commits: list[Commit]
    records: list[RecordChange]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        authors = sorted({c.author for c in self.commits})
        return {"since": self.since, "base": self.base, "head": self.head, "author": self.author,
                "commits": len(self.commits), "authors": authors,
                "summary": summary_counts(self.records), "records": [r.as_dict() for r in self.records]}


@dataclass
class HistoryEntry:
    commit: Commit
    change: RecordChange  # this commit's change to the record


@dataclass
class RecordHistory:
    path: str
    kind: str | None
    id: str
    entries: list[HistoryEntry]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "path": self.path, "changes": [
            {**commit_dict(e.commit), "message": (e.commit.body and f"{e.commit.subject}\n\n{e.commit.body}") or e.commit.subject,
             "status": e.change.status, "fields": [f.as_dict() for f in e.change.fields],
             **({"text": {"lines_added": e.change.text.added, "lines_removed": e.change.text.removed}} if e.change.text else {}),
             **({"note": e.change.note} if e.change.note else {})}
            for e in self.entries]}


def commit_dict(commit: Commit) -> dict[str, Any]:
    return {"commit": commit.sha, "date": commit.date.isoformat(), "author": commit.author, "email": commit.email, "subject": commit.subject}


def summary_counts(records: list[RecordChange]) -> dict[str, dict[str, int]]:
    """{kind: {added: n, changed: n, removed: n}}, kinds in the format's order."""
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        by_status = counts.setdefault(record.kind or "other", {"added": 0, "changed": 0, "removed": 0})
        by_status[record.status] += 1
    return counts


def classify(path: str) -> tuple[str | None, str]:
    """A kb-relative path → (record kind, id), or (None, path) for any other file."""
    top, _, rest = path.partition("/")
    kind = KINDS.get(top)
    name = os.path.basename(path)
    stem, ext = os.path.splitext(name)
    if kind is None or not rest or ext != kind.extension or name.startswith((".", "_")) or name in ("index.md", "README.md"):
        return None, path
    return top, stem


def _sort_key(record: RecordChange) -> tuple[int, str]:
    order = list(KINDS)
    return (order.index(record.kind) if record.kind in order else len(order), record.ref)


# -- comparing two versions of one file ------------------------------------------


def compare(path: str, old: bytes | None, new: bytes | None) -> tuple[list[FieldChange], TextChange | None, str]:
    """(fields changed, text change, note) between two versions of a file."""
    if old is None or new is None:
        return [], None, ""
    old_text, _ = decode(old, path)
    new_text, _ = decode(new, path)
    if old_text is None or new_text is None:
        return [], None, "not UTF-8 text: no detail"
    if path.endswith((".yml", ".yaml")):
        fields = field_changes(old_text, new_text, path)
        return (fields, None, "") if fields is not None else ([], text_change(old_text, new_text), "one version is not valid YAML: lines compared")
    if path.endswith(".md"):
        old_split, new_split = split_front_matter(old_text, path), split_front_matter(new_text, path)
        if isinstance(old_split, tuple) and isinstance(new_split, tuple):
            fields = field_changes(old_split[0], new_split[0], path)
            text = text_change(old_split[1], new_split[1])
            if fields is not None:
                return fields, text, ""
        return [], text_change(old_text, new_text), "front matter not readable in one version: lines compared"
    return [], text_change(old_text, new_text), ""


def _change_for(file: FileChange, blobs: dict[str, bytes], commits: list[Commit]) -> RecordChange:
    kind, ident = classify(file.path)
    status = STATUS[file.status]
    fields: list[FieldChange] = []
    text: TextChange | None = None
    note = ""
    if status == "changed":
        fields, text, note = compare(file.path, blobs.get(file.old_blob or ""), blobs.get(file.new_blob or ""))
    return RecordChange(file.path, kind, ident, status, fields, text, commits, note)


# -- handover changes ------------------------------------------------------------


def open_kb_repository(kb_root: Path, display: str) -> Repository:
    return open_repository(kb_root, display)


def resolve_since(repo: Repository, since: str | None, today: dt.date) -> tuple[str, str | None]:
    """(label, base commit) for --since: a date (the commit HEAD was at, local midnight
    that day) or a revision (changes after it). Default: the last 30 days."""
    label = since or (today - dt.timedelta(days=DEFAULT_DAYS)).isoformat()
    if DATE_RE.match(label):
        try:
            day = dt.date.fromisoformat(label)
        except ValueError:
            raise UsageError(f'--since "{label}" is not a date', hint="write the date as YYYY-MM-DD, or give a revision (a commit id, a tag, a branch)") from None
        return label, commit_at_midnight(repo, day)
    return label, repo.resolve(label)


def commit_at_midnight(repo: Repository, day: dt.date) -> str | None:
    """The commit HEAD was at just before local midnight of `day` (None: none yet); a
    shallow clone that does not reach back to that day says so."""
    moment = dt.datetime.combine(day, dt.time()).astimezone()
    oldest = repo.oldest_date()
    if oldest is not None and oldest > moment:
        raise HistoryUnavailable(f"this clone is shallow: it has no history before {oldest.date()}, so it cannot say what changed since {day}",
                                 hint="git fetch --unshallow (in CI: fetch-depth: 0), or ask for a later date")
    return repo.last_commit_before(moment)


def changes_since(kb_root: Path, display: str, since: str | None, today: dt.date, author: str | None = None) -> ChangesReport:
    """What changed in the knowledge base since a date or revision: one `git log`
    pass, one `git diff`, one batch read of the changed files' two versions."""
    repo = open_kb_repository(kb_root, display)
    label, base = resolve_since(repo, since, today)
    revisions = [f"{base}..HEAD" if base else "HEAD"]
    if author:
        logged = [item for item in repo.log(revisions) if by_author(item.commit, author)]
        records = _author_changes(repo, logged)
    else:
        logged, records = _net_changes(repo, base, repo.head, revisions)
    records.sort(key=_sort_key)
    return ChangesReport(label, base, repo.head, author, [item.commit for item in logged], records, repo.notes())


def _net_changes(repo: Repository, base: str | None, head: str, revisions: list[str]) -> tuple[list[LoggedCommit], list[RecordChange]]:
    """Each file's net change from `base` to `head`, with the commits of `revisions`
    that made it (newest first)."""
    # The net change (diff-tree and both versions of each file) does not need the
    # log, which only says who and when: git walks the log meanwhile.
    wait_for_log = repo.log_in_background(revisions)
    files = repo.diff(base, head)
    blobs = repo.read_blobs(sha for f in files if f.status == "M" for sha in (f.old_blob, f.new_blob) if sha)
    records = [_change_for(f, blobs, []) for f in files]
    logged = wait_for_log()
    commits_by_path: dict[str, list[Commit]] = {}
    for item in logged:
        for file in item.files:
            commits_by_path.setdefault(file.path, []).append(item.commit)
    for record in records:
        record.commits = commits_by_path.get(record.path, [])
    return logged, records


def _fold(text: str) -> str:
    return fold(text).casefold()


def by_author(commit: Commit, name: str) -> bool:
    """True when NAME is part of the author's name or e-mail, case and accents ignored
    (`lea` finds Léa Martin)."""
    wanted = _fold(name.strip())
    return wanted in _fold(commit.author) or wanted in _fold(commit.email)


def _author_changes(repo: Repository, logged: list[LoggedCommit]) -> list[RecordChange]:
    """Per file, what this author's own commits did: each field from its value before
    their first change of it to its value after their last."""
    touches: dict[str, list[tuple[Commit, FileChange]]] = {}
    for item in reversed(logged):  # oldest first
        for file in item.files:
            touches.setdefault(file.path, []).append((item.commit, file))
    blobs = repo.read_blobs(sha for items in touches.values() for _, f in items if f.status == "M" for sha in (f.old_blob, f.new_blob) if sha)
    records = []
    for path, items in touches.items():
        first, last = items[0][1], items[-1][1]
        status = "added" if first.status == "A" else "removed" if last.status == "D" else "changed"
        if first.status == "A" and last.status == "D":
            continue  # added and removed again by the same hands: nothing left
        merged: dict[tuple[Any, ...], FieldChange] = {}
        added = removed = 0
        notes = set()
        for _, file in items:
            fields, text, note = compare(path, blobs.get(file.old_blob or ""), blobs.get(file.new_blob or "")) if file.status == "M" else ([], None, "")
            notes.add(note)
            for change in fields:
                before = merged.get(change.path)
                merged[change.path] = change if before is None else FieldChange(change.path, _compose(before.change, change.change), before.old, change.new)
            if text:
                added, removed = added + text.added, removed + text.removed
        kind, ident = classify(path)
        fields = [c for c in merged.values() if c.change != "gone" and not (c.change == "changed" and c.old == c.new)] if status == "changed" else []
        commits = [commit for commit, _ in reversed(items)]
        records.append(RecordChange(path, kind, ident, status, fields, TextChange(added, removed) if status == "changed" and (added or removed) else None,
                                    commits, " ".join(n for n in notes if n)))
    return records


def _compose(first: str, then: str) -> str:
    if first == "added":
        return "gone" if then == "removed" else "added"
    if then == "added":
        return "changed" if first == "removed" else "added"
    return "removed" if then == "removed" else "changed"


# -- handover history ID -----------------------------------------------------------


def find_record_path(repo: Repository, kb_root: Path, ident: str) -> str:
    """`kind/id`, `id` or a file path → the record's kb-relative path, looking on disk
    first, then in the history (for a record since removed)."""
    given = Path(ident)
    if given.suffix in (".yml", ".yaml", ".md") and given.is_file():
        try:
            return given.resolve().relative_to(kb_root.resolve()).as_posix()
        except ValueError:
            raise UsageError(f"{ident} is not inside the knowledge base {kb_root}") from None
    kind, _, name = ident.rpartition("/")
    name = os.path.splitext(name)[0] if name.endswith((".yml", ".md")) else name
    if kind and kind not in KINDS:
        raise UsageError(f'"{kind}" is not a record kind', hint=f"write KIND/ID with KIND one of {', '.join(KINDS)}, or just the ID")
    if not SLUG_RE.match(name):
        raise UsageError(f'"{ident}" is not a record id', hint="an id is the file name without extension: lowercase letters, digits and hyphens, e.g. contacts/service-client")
    kinds = [kind] if kind else list(KINDS)
    globs = [f"{k}/**/{name}{KINDS[k].extension}" for k in kinds]
    on_disk = sorted({p.relative_to(kb_root).as_posix() for pattern in globs for p in kb_root.glob(pattern)})
    found = on_disk or repo.paths_in_history(globs)
    if not found:
        raise HandoverError(f'no record "{ident}" in the knowledge base nor in its history', hint="check the id: it is the file name without extension, e.g. contacts/service-juridique")
    if len(found) > 1:
        raise UsageError(f'"{ident}" names several records: {", ".join(found)}', hint="write it as KIND/ID, e.g. " + found[0].rsplit(".", 1)[0])  # ids are unique per kind
    return found[0]


def record_history(kb_root: Path, display: str, ident: str) -> RecordHistory:
    """Every commit that changed one record, newest first, with the fields it changed."""
    repo = open_kb_repository(kb_root, display)
    path = find_record_path(repo, kb_root, ident)
    logged = repo.log(["HEAD"], paths=[path], body=True)
    blobs = repo.read_blobs(sha for item in logged for f in item.files if f.status == "M" for sha in (f.old_blob, f.new_blob) if sha)
    entries = []
    notes = repo.notes()
    for item in logged:
        for file in item.files:
            if file.path != path:
                continue
            change = _change_for(file, blobs, [item.commit])
            if item.commit.boundary and file.status == "A":
                change = RecordChange(path, change.kind, change.id, "as of", note="the oldest commit of this shallow clone: earlier changes are missing")
            entries.append(HistoryEntry(item.commit, change))
    kind, name = classify(path)
    return RecordHistory(path, kind, name, entries, notes)


def changes_between(kb_root: Path, display: str, start: dt.date, end: dt.date, repo: Repository | None = None) -> ChangesReport:
    """What changed from local midnight of `start` to the end of `end` (both days
    included): the net change of each file over the window, with the commits that
    made it. Used by the weekly report; the site's reports pass one opened `repo` for
    their 12 weeks, each week reading only its own commits."""
    repo = repo or open_kb_repository(kb_root, display)
    base = commit_at_midnight(repo, start)
    head = repo.last_commit_before(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()).astimezone())
    if head is None or head == base:
        return ChangesReport(start.isoformat(), base, head or "", None, [], [], repo.notes())
    logged, records = _net_changes(repo, base, head, [f"{base}..{head}" if base else head])
    records.sort(key=_sort_key)
    return ChangesReport(start.isoformat(), base, head, None, [item.commit for item in logged], records, repo.notes())
