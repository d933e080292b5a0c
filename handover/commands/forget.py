"""`handover forget ID`: erase a person from the knowledge base (right to erasure).

Removes the person's record, every reference to it from other records (list items
removed in place, so the diff shows only that), and every mention of their name,
handles, emails and phones in the other files' text (replaced by a neutral marker).
Leaves a tombstone in `forgotten.yml` that holds no personal data: the kind, a
fingerprint of the id (so importers can refuse to bring the person back), the date
and the counts. Empties the rebuildable caches. It cannot reach git's history: the
caller reports the commits that still hold the data and the command that would purge
them, which only a person can decide to run (it rewrites every clone's history).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError, UsageError
from handover.files.yamlio import ValueEdit, dump, edit_values, parse_document, read_text
from handover.records.fieldtypes import Ref
from handover.records.model import KnowledgeBase, Record, record_path

PERSON_KINDS = ("contacts", "influencers", "team")
TOMBSTONES = "forgotten.yml"
MARKERS = {"fr": "(personne retirée)", "en": "(person removed)"}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^\+?[\d .()-]{6,}$")


@dataclass
class ForgetPlan:
    record: Record
    marker: str
    strings: list[str]  # the personal strings searched for (never written anywhere)
    texts: dict[Path, str] = field(default_factory=dict)  # file → its new text
    displays: dict[Path, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)  # "incidents/x.md: people[2]"
    mentions: list[str] = field(default_factory=list)  # "incidents/x.md:14"
    blockers: list[str] = field(default_factory=list)  # what must be done by hand first

    @property
    def files(self) -> list[Path]:
        return sorted(self.texts)


def find_person(kb: KnowledgeBase, ident: str) -> Record:
    """`contacts/camille-rey` or `camille-rey` (when one person kind has it)."""
    kind, _, bare = ident.rpartition("/")
    kinds = (kind,) if kind else PERSON_KINDS
    if ident.startswith("/") or ".." in ident or ident.count("/") > 1:
        raise UsageError(f'"{ident}" is not an id: write KIND/ID or ID (lowercase letters, digits and hyphens; no paths)')
    if kind and kind not in PERSON_KINDS:
        raise UsageError(f'"{kind}" holds no people: forget works on {", ".join(PERSON_KINDS)}')
    for candidate in kinds:
        record_path(kb.root, candidate, bare)  # refuses `..`, paths and links leading outside
    found = [kb.records[k][bare] for k in kinds if bare in kb.records[k]]
    if not found:
        raise HandoverError(f'no person "{ident}" in {", ".join(kinds)}', hint="give KIND/ID, e.g. contacts/camille-rey")
    if len(found) > 1:
        raise UsageError(f'"{ident}" is both ' + " and ".join(r.ref for r in found), hint="say which: " + " or ".join(r.ref for r in found))
    return found[0]


def personal_strings(record: Record) -> list[str]:
    """The name, handles, emails and phones of the record: what other files may repeat."""
    found: set[str] = set()
    name = record.data.get("name")
    if isinstance(name, str) and len(name.strip()) >= 4:
        found.add(name.strip())

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k) if key != "handles" else key)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            text = value.strip()
            if (key == "handles" and len(text.lstrip("@")) >= 4) or _EMAIL_RE.match(text) or (_PHONE_RE.match(text) and sum(c.isdigit() for c in text) >= 8):
                found.add(text)

    for key in ("handles", "email", "channels", "phone", "chat"):
        walk(record.data.get(key), key)
    return sorted(found, key=lambda s: (-len(s), s))  # longest first: "Inès Garnier" before "Inès"


def plan_forget(kb: KnowledgeBase, ident: str) -> ForgetPlan:
    """What forgetting would change. Raises HandoverError when the person cannot go yet."""
    from handover.checks.continuity import holdings

    record = find_person(kb, ident)
    if record.kind.folder == "team":
        held = holdings(kb).get(record.id, [])
        if held:
            raise HandoverError(f"{record.ref} still holds {len(held)} item(s): " + ", ".join(sorted({h.record.ref for h in held}))[:300],
                                hint=f"hand them over first: handover transfer {record.id} NEW")
    plan = ForgetPlan(record, MARKERS.get(kb.config.language, MARKERS["en"]), personal_strings(record))
    for other in kb.all_records():
        if other is record:
            continue
        edits = _reference_edits(kb, other, record, plan)
        text, problems = read_text(other.path, other.display)
        if text is None:
            plan.blockers.append(problems[0].format_gnu() if problems else f"{other.display}: cannot be read")
            continue
        new = text
        if edits:
            try:
                new = edit_values(text, edits, front_matter=other.kind.is_markdown, display=other.display)
            except HandoverError as exc:
                plan.blockers.append(f"{exc.message}: remove {record.ref} there by hand")
                continue
        new = _redact(new, other.display, plan)
        if new != text:
            if not parse_document(new, other.display, other.kind.is_markdown).loaded.ok:
                plan.blockers.append(f"{other.display}: removing the mentions would break the file; edit it by hand")
                continue
            plan.texts[other.path] = new
            plan.displays[other.path] = other.display
    for page in kb.pages:
        text, _ = read_text(page.path, page.relative)
        if text:
            new = _redact(text, os.path.join(kb.display_root, page.relative), plan)
            if new != text:
                plan.texts[page.path] = new
                plan.displays[page.path] = os.path.join(kb.display_root, page.relative)
    return plan


def _reference_edits(kb: KnowledgeBase, other: Record, person: Record, plan: ForgetPlan) -> list[ValueEdit]:
    edits = []
    for path, value, kind in other.references():
        if not isinstance(kind, Ref) or kb.resolve(value, kind.kinds) is not person:
            continue
        where = other.display + ": " + ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(".[", "[")
        if path and isinstance(path[-1], int):
            edits.append(ValueEdit(path, None))
            plan.references.append(where)
        else:
            plan.blockers.append(f"{where} names {person.ref} in a single-value field: name someone else there first")
    return edits


def _redact(text: str, display: str, plan: ForgetPlan) -> str:
    for needle in plan.strings:
        if needle not in text:
            continue
        for match in re.finditer(re.escape(needle), text):
            plan.mentions.append(f"{display}:{text.count(chr(10), 0, match.start()) + 1}")
        text = text.replace(needle, plan.marker)
    return text


def fingerprint(ref: str) -> str:
    return "sha256:" + hashlib.sha256(ref.encode("utf-8")).hexdigest()[:16]


def apply_forget(kb: KnowledgeBase, plan: ForgetPlan, today: dt.date, reason: str) -> list[Path]:
    """Write the edited files, delete the record, add the tombstone, empty the caches.
    Returns every path changed or deleted."""
    if plan.blockers:
        raise HandoverError("cannot forget " + plan.record.ref + " yet:\n  " + "\n  ".join(plan.blockers))
    from handover.files.journal import Transaction, commit

    transaction = Transaction(kb.root, dict(plan.texts), clear_caches=True)
    transaction.delete(plan.record.path)
    tombstones = kb.root / TOMBSTONES
    entries: list[Any] = []
    if tombstones.exists():
        existing, _ = read_text(tombstones, TOMBSTONES)
        loaded = parse_document(existing or "", TOMBSTONES, False).loaded
        entries = list(loaded.data.get("forgotten") or []) if loaded.ok else []
    entries.append({"kind": plan.record.kind.folder, "fingerprint": fingerprint(plan.record.ref), "forgotten_on": today.isoformat(),
                    "references_removed": len(plan.references), "mentions_removed": len(plan.mentions), "reason": reason})
    header = "# Tombstones of `handover forget`: who was erased, without saying who (no personal data).\n"
    transaction.write(tombstones, header + dump({"forgotten": entries}))
    commit(transaction, after=lambda: clear_caches(kb.root))  # all files or none, then the caches
    return [*plan.files, plan.record.path, tombstones]


def clear_caches(root: Path) -> None:
    """Empty the rebuildable caches (the search index…): they may hold a copy of the
    person. The lock file, the folder's .gitignore and a change's journal stay."""
    from handover.files.lock import clear_cache_dir

    clear_cache_dir(root)


def purge_command(repo_paths: list[str], strings: list[str], marker: str) -> str:
    """The git-filter-repo command that would rewrite history without the person.
    Printed, never run: it rewrites every commit and every clone must be replaced."""
    paths = " ".join(f"--path '{p}'" for p in repo_paths)
    lines = "\n".join(f"literal:{s}==>{marker}" for s in strings)
    return (f"cat > /tmp/forget-expressions.txt <<'EOF'\n{lines}\nEOF\n"
            f"git filter-repo --invert-paths {paths} --replace-text /tmp/forget-expressions.txt\n"
            "rm /tmp/forget-expressions.txt   # it lists the personal data\n"
            "# then: git push --force --all && git push --force --tags; ask every clone to re-clone; ask the git host to drop cached views and pull-request refs")
