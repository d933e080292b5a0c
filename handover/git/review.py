"""`handover review`: a merge request's charter and canned-response changes, rule by rule.

Compares the merge base of BASE and HEAD with HEAD, as a merge request does: charter
rules added, removed, reworded (word-level diff) or moved, matched by their stable id;
canned responses changed; the responses at HEAD that cite a reworded or removed rule
and so need re-approval; and the charter documents whose rules changed without a new
`version` and `approved_on`. Everything is read from git objects, not from the
working tree, so any two revisions can be reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError
from handover.files.yamlio import decode
from handover.git.changes import classify, compare
from handover.git.diffs import FieldChange, TextChange, Version, read_version, same_words
from handover.git.history import HistoryUnavailable, Repository, open_repository
from handover.records.rules import RuleSection, parse_rules

DEFAULT_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
REVIEWED = ("charter/", "responses/")


@dataclass(frozen=True)
class RuleChange:
    id: str
    change: str  # added, removed, reworded, moved, reflowed (spacing only)
    old: RuleSection | None
    new: RuleSection | None
    moved_from: str | None = None  # the charter document it came from

    @property
    def title(self) -> str:
        section = self.new or self.old
        return section.title if section else self.id

    @property
    def reworded(self) -> bool:
        return self.old is not None and self.new is not None and not (same_words(self.old.title, self.new.title) and same_words(self.old.text, self.new.text))


@dataclass
class DocumentReview:
    """One charter document or canned response that changed."""

    path: str
    id: str
    status: str  # added, changed, removed
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    text: TextChange | None = None
    old_body: str = ""
    new_body: str = ""
    rules: list[RuleChange] = field(default_factory=list)
    unapproved: str = ""  # why a charter document's changed rules are not re-approved
    note: str = ""


@dataclass(frozen=True)
class Citing:
    """A response at HEAD citing a reworded or removed rule."""

    path: str
    id: str
    title: str
    status: str  # the response's status field (approved, draft)
    rules: tuple[str, ...]
    reapproved: bool  # its approved_on changed in this review

    @property
    def needs_reapproval(self) -> bool:
        return self.status != "draft" and not self.reapproved


@dataclass
class Review:
    base_label: str
    head_label: str
    base: str
    head: str
    charter: list[DocumentReview]
    responses: list[DocumentReview]
    citing: list[Citing]
    notes: list[str] = field(default_factory=list)

    @property
    def rule_changes(self) -> list[RuleChange]:
        return [rule for doc in self.charter for rule in doc.rules if rule.change != "reflowed"]

    @property
    def flagged(self) -> list[DocumentReview]:
        return [doc for doc in self.charter if doc.unapproved]


def split_range(spec: str | None) -> tuple[str | None, str]:
    """BASE, BASE..HEAD or BASE...HEAD → (BASE or None, HEAD)."""
    if not spec:
        return None, "HEAD"
    for separator in ("...", ".."):
        if separator in spec:
            base, _, head = spec.partition(separator)
            return base or None, head or "HEAD"
    return spec, "HEAD"


def _default_base(repo: Repository) -> str:
    for candidate in DEFAULT_BASES:
        try:
            repo.resolve(candidate)
        except HistoryUnavailable:
            continue
        return candidate
    raise HandoverError("no base to review against: none of origin/HEAD, origin/main, origin/master, main, master exists",
                        hint="name it: handover review BASE (e.g. handover review develop) or BASE..HEAD")


def review(kb_root: Path, display: str, spec: str | None) -> Review:
    """The review of BASE..HEAD (see the module docstring)."""
    repo = open_repository(kb_root, display)
    base_label, head_label = split_range(spec)
    base_label = base_label or _default_base(repo)
    base_sha, head_sha = repo.resolve(base_label), repo.resolve(head_label)
    merge_base = repo.merge_base(base_sha, head_sha)
    if merge_base is None:
        hint = "git fetch --unshallow (in CI: fetch-depth: 0)" if repo.shallow else "compare revisions of the same history"
        raise HistoryUnavailable(f"{base_label} and {head_label} have no common history in this clone", hint=hint)
    files = repo.diff(merge_base, head_sha, REVIEWED)
    blobs = repo.read_blobs(sha for f in files for sha in (f.old_blob, f.new_blob) if sha)

    def text_of(sha: str | None) -> str | None:
        raw = blobs.get(sha) if sha else None
        return decode(raw, "")[0] if raw is not None else None

    charter: list[DocumentReview] = []
    responses: list[DocumentReview] = []
    versions: dict[str, tuple[Version, Version]] = {}
    for file in files:
        kind, ident = classify(file.path)
        if kind not in ("charter", "responses"):
            continue
        old_text, new_text = text_of(file.old_blob), text_of(file.new_blob)
        old, new = read_version(old_text, True, file.path), read_version(new_text, True, file.path)
        status = {"A": "added", "D": "removed"}.get(file.status, "changed")
        fields, text, note = compare(file.path, blobs.get(file.old_blob or ""), blobs.get(file.new_blob or "")) if status == "changed" else ([], None, "")
        title = _title(new if status != "removed" else old, ident)
        doc = DocumentReview(file.path, ident, status, title, fields, text, old.body or "", new.body or "", note=note or old.error or new.error or "")
        (charter if kind == "charter" else responses).append(doc)
        versions[file.path] = (old, new)
    _rule_changes(charter, versions)
    citing = _citing(repo, head_sha, charter, responses)
    return Review(base_label, head_label, merge_base, head_sha, charter, responses, citing, repo.notes())


def _title(version: Version, fallback: str) -> str:
    value = (version.fields or {}).get("title")
    return value if isinstance(value, str) and value.strip() else fallback


def _sections(version: Version) -> dict[str, RuleSection]:
    if version.fields is None or not version.body:
        return {}
    return {s.id: s for s in parse_rules(version.body, version.body_line) if s.id}


def _rule_changes(charter: list[DocumentReview], versions: dict[str, tuple[Version, Version]]) -> None:
    """Match rules by id across every changed charter document, then flag documents
    whose rules changed while `version` or `approved_on` stayed the same."""
    old_rules: dict[str, tuple[DocumentReview, RuleSection]] = {}
    new_rules: dict[str, tuple[DocumentReview, RuleSection]] = {}
    for doc in charter:
        old, new = versions[doc.path]
        old_rules.update((rid, (doc, s)) for rid, s in _sections(old).items())
        new_rules.update((rid, (doc, s)) for rid, s in _sections(new).items())
    for rule_id in list(new_rules) + [r for r in old_rules if r not in new_rules]:
        before, after = old_rules.get(rule_id), new_rules.get(rule_id)
        if after is None and before is not None:
            before[0].rules.append(RuleChange(rule_id, "removed", before[1], None))
            continue
        assert after is not None
        doc, section = after
        if before is None:
            doc.rules.append(RuleChange(rule_id, "added", None, section))
            continue
        moved_from = before[0].path if before[0].path != doc.path else None
        if before[1].title == section.title and before[1].text == section.text and not moved_from:
            continue
        change = RuleChange(rule_id, "reworded", before[1], section, moved_from)
        if not change.reworded:
            change = RuleChange(rule_id, "moved" if moved_from else "reflowed", before[1], section, moved_from)
        doc.rules.append(change)
    touched = {path for doc in charter for rule in doc.rules if rule.change != "reflowed" for path in (doc.path, rule.moved_from) if path}
    for doc in charter:
        if doc.status != "changed" or doc.path not in touched:
            continue
        old, new = versions[doc.path]
        stale = [f"{name} is still {_text(new.fields, name)}" for name in ("version", "approved_on")
                 if old.fields is not None and new.fields is not None and old.fields.get(name) == new.fields.get(name)]
        if stale:
            doc.unapproved = "its rules changed but " + " and ".join(stale)


def _text(fields: dict[str, Any] | None, name: str) -> str:
    value = (fields or {}).get(name)
    return "unset" if value is None else str(value)


def _citing(repo: Repository, head: str, charter: list[DocumentReview], responses: list[DocumentReview]) -> list[Citing]:
    """Responses at HEAD whose `charter` field names a reworded or removed rule."""
    changed = {rule.id for doc in charter for rule in doc.rules if rule.change == "removed" or rule.reworded}
    if not changed:
        return []
    candidates = repo.grep_files(head, sorted(changed), "responses/")
    blob_ids = repo.blob_ids(head, candidates)
    blobs = repo.read_blobs(blob_ids.values())
    reapproved = {doc.path for doc in responses if any(f.path == ("approved_on",) for f in doc.fields) or doc.status == "added"}
    citing = []
    for path in sorted(blob_ids):
        text = decode(blobs.get(blob_ids[path], b""), path)[0]
        version = read_version(text, True, path) if text is not None else None
        cited = (version.fields or {}).get("charter") if version else None
        if not isinstance(cited, list):
            continue
        rules = tuple(r for r in cited if isinstance(r, str) and r in changed)
        if rules:
            _, ident = classify(path)
            status = (version.fields or {}).get("status") if version else None
            citing.append(Citing(path, ident, _title(version, ident) if version else ident, str(status or "unset"), rules, path in reapproved))
    return citing
