"""Records and the knowledge base: the typed view every command works on.

`load_kb` reads a knowledge-base folder once: one record per file, its id the file
name. Files that cannot be read become problems, never exceptions, so that one broken
file does not hide the state of the others.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import Problem, error, warning
from handover.files.yamlio import Document, Loaded, load_document
from handover.records import walker
from handover.records.config import Config, find_root, load_config
from handover.records.fieldtypes import FieldType
from handover.records.fold import slugify
from handover.records.kinds import KINDS, Kind
from handover.records.refwalk import iter_references
from handover.records.rules import parse_rules
from handover.records.values import SLUG_RE, as_date
from handover.records.walker import PAGE_NAMES as PAGE_NAMES  # where commands have found it
from handover.records.walker import Found, inside

SKIPPED_DIRS = {"site", "node_modules", "__pycache__"}


@dataclass
class Record:
    """One record: its kind, id, file, fields (with positions) and Markdown body."""

    kind: Kind
    id: str
    path: Path
    display: str
    loaded: Loaded
    body: str | None = None
    body_line: int = 0
    suspect: bool = False  # its raw text may hold a secret (see checks/secrets.py)
    # loaded.data as a plain attribute: read ~400k times per serve rebuild at 10k records
    data: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.data = self.loaded.data

    @property
    def ref(self) -> str:
        """`kind/id`: how other records can name it unambiguously."""
        return f"{self.kind.folder}/{self.id}"

    @property
    def title(self) -> str:
        value = self.data.get(self.kind.title_field)
        return value if isinstance(value, str) and value.strip() else self.id

    def references(self) -> list[tuple[tuple[Any, ...], str, FieldType]]:
        """Every reference the record makes (path, value, Ref or RuleRef), computed once."""
        cached = self.__dict__.get("_references")
        if cached is None:
            cached = list(iter_references(self.data, self.kind.reference_fields()))
            self.__dict__["_references"] = cached
        return cached

    def get(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        return default if value is None else value

    def date(self, name: str) -> dt.date | None:
        return as_date(self.data.get(name))

    def mark(self, *path: Any) -> tuple[int, int]:
        return self.loaded.mark(tuple(path))

    def error(self, path: tuple[Any, ...], code: str, message: str) -> Problem:
        return error(self.display, *self.loaded.mark(path), code, message)

    def warning(self, path: tuple[Any, ...], code: str, message: str) -> Problem:
        return warning(self.display, *self.loaded.mark(path), code, message)


@dataclass(frozen=True)
class Rule:
    """A charter rule: a `##` heading with a stable id in a charter document."""

    id: str
    title: str
    document: Record
    line: int
    text: str
    id_col: int = 1  # column where the id starts in the heading


@dataclass(frozen=True)
class Page:
    """A Markdown file that is not a record (a playbook, a glossary, the format guide)."""

    path: Path
    relative: str


@dataclass
class KnowledgeBase:
    root: Path
    display_root: str
    config: Config
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})
    rules: dict[str, Rule] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what loading found
    unparsed: list[Page] = field(default_factory=list)  # record files that could not be read as records (the secret scan still reads them)
    reparsed: set[str] | None = None  # with load_kb(reuse=…): the record files parsed anew (paths)
    # Facts worked out from all the records (departure.py's holdings), kept for the next
    # caller: a loaded kb is never changed in memory (commands write files, then load again).
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def all_records(self) -> Iterator[Record]:
        for by_id in self.records.values():
            yield from by_id.values()

    def get(self, kind: str, ident: str) -> Record | None:
        return self.records.get(kind, {}).get(ident)

    def resolve(self, value: str, kinds: tuple[str, ...]) -> Record | None:
        """A reference as written (`lea-martin` or `team/lea-martin`) → its record."""
        kind, _, ident = value.rpartition("/")
        for candidate in (kind,) if kind else kinds:
            found = self.get(candidate, ident)
            if found:
                return found
        return None

    def count(self) -> int:
        return sum(len(by_id) for by_id in self.records.values())


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    text = str(path)
    if not path.is_absolute():
        return text
    try:
        relative = os.path.relpath(text)
    except ValueError:
        return text
    return text if relative.startswith("..") else relative


# A record file's parsed document, kept between two loads by a long-lived process
# (`handover serve`), keyed by its path and checked by what stat says of it.
ParsedCache = dict[str, tuple[tuple[int, int, int], Document]]


def load_kb(path: str | None = None, reuse: ParsedCache | None = None) -> KnowledgeBase:
    """Find and read a knowledge base. Raises KnowledgeBaseNotFound; all else is problems.
    With `reuse` (a dict kept by the caller between loads), a record file whose size,
    modification time and inode have not changed is not read again."""
    root = find_root(path)
    _finish_interrupted_change(root)
    display_root = display_path(root)
    config = load_config(root, display_root)
    kb = KnowledgeBase(root=root, display_root=display_root, config=config)
    kb.problems.extend(config.problems)
    jobs: list[_Job] = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.startswith((".", "_")) or entry.name in SKIPPED_DIRS:
            continue
        if entry.is_dir(follow_symlinks=False):
            kind = KINDS.get(entry.name)
            if kind:
                for found in walker.kind_folder(str(root), kind):  # the one walk over record files, search's too
                    _load_kind(kb, found, jobs)
            else:
                _collect_pages(kb, Path(entry.path), entry.name)
        elif entry.name.endswith(".md"):
            _add_page(kb, Path(entry.path), entry.name)
    if reuse is not None:
        kb.reparsed = set()
    for job, document in zip(jobs, _parse_all(jobs, reuse, kb.reparsed), strict=True):
        _add_record(kb, job, document)
    for charter in kb.records["charter"].values():
        _index_rules(kb, charter)
    return kb


def _finish_interrupted_change(root: Path) -> None:
    """A transfer or forget killed halfway left a journal: replay it (under the lock)
    before reading, so every command sees all of the change or none of it. When
    another process holds the lock, it is that writer's to finish."""
    from handover.files.journal import pending

    if not pending(root):
        return
    from handover.core.errors import HandoverError
    from handover.files.lock import kb_lock

    try:
        with kb_lock(root, "finish an interrupted change"):
            pass
    except (HandoverError, OSError):
        pass


@dataclass(frozen=True)
class _Job:
    """A record file to parse."""

    kind: str
    stem: str
    path: str
    display: str


def _load_kind(kb: KnowledgeBase, found: Found, jobs: list[_Job]) -> None:
    """Queue a record file of a kind folder (walker.py finds them, for every command);
    report the files that are not records."""
    kind, name = found.kind, found.entry.name
    display = os.path.join(kb.display_root, found.relative)
    if found.verdict == walker.PAGE:
        _add_page(kb, Path(found.entry.path), found.relative)
    elif found.verdict == walker.WRONG_EXTENSION:
        stem, ext = os.path.splitext(name)
        hint = f"rename it to {stem}{kind.extension}" if ext in (".yml", ".yaml", ".md") else "move it out of this folder"
        kb.problems.append(warning(display, 0, 0, "W113", f"not read: records in {kind.folder}/ are {kind.extension} files; {hint}"))
    elif found.verdict == walker.OUTSIDE:
        kb.problems.append(error(display, 1, 1, "E111", "this file is a link to outside the knowledge base; copy the file in instead"))
    elif found.verdict == walker.BAD_ID:
        kb.problems.append(error(display, 1, 1, "E111", f'"{found.stem}" is not a valid id: the file name must be lowercase letters, digits and hyphens, '
                                 f"e.g. {_suggest_slug(found.stem)}{kind.extension}"))
    else:
        jobs.append(_Job(kind.folder, found.stem, found.entry.path, display))


def _add_record(kb: KnowledgeBase, job: _Job, document: Document) -> None:
    kb.problems.extend(document.loaded.problems)
    if not document.loaded.ok:
        kb.unparsed.append(Page(Path(job.path), os.path.relpath(job.path, kb.root)))
        return
    existing = kb.records[job.kind].get(job.stem)
    if existing:
        kb.problems.append(error(job.display, 1, 1, "E303", f'id "{job.stem}" is already used by {existing.display}; rename one of the files'))
        return
    kind = KINDS[job.kind]
    kb.records[job.kind][job.stem] = Record(kind, job.stem, Path(job.path), job.display, document.loaded, document.body, document.body_line, document.watched)


def _parse_all(jobs: list[_Job], reuse: ParsedCache | None = None, reparsed: set[str] | None = None) -> list[Document]:
    # Parsing in forked workers was tried: sending 10k parsed records back costs more
    # (pickling) than the second core saves, so records are parsed here. The cyclic
    # garbage collector is paused meanwhile: parsed values hold no cycles, and it would
    # otherwise rescan the growing heap again and again (a fifth of the load time).
    # Afterwards the parsed records are frozen out of its reach (gc.freeze), so the
    # checks and the site build do not rescan them either; being free of cycles, they
    # are still freed as soon as nothing refers to them.
    import gc

    from handover.records.secretfilter import suspect

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if reuse is None:
            return [load_document(job.path, job.display, KINDS[job.kind].is_markdown, suspect) for job in jobs]
        documents = []
        kept: ParsedCache = {}
        for job in jobs:
            try:
                info = os.stat(job.path)
                key = (info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                key = (-1, -1, -1)
            cached = reuse.get(job.path)
            if cached is not None and cached[0] == key and key[0] >= 0:
                document = cached[1]
            else:
                document = load_document(job.path, job.display, KINDS[job.kind].is_markdown, suspect)
                if reparsed is not None:
                    reparsed.add(job.path)
            kept[job.path] = (key, document)
            documents.append(document)
        reuse.clear()
        reuse.update(kept)  # deleted files drop out
        return documents
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _collect_pages(kb: KnowledgeBase, folder: Path, relative: str) -> None:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if name.endswith(".md") and not name.startswith("."):
                path = Path(dirpath, name)
                _add_page(kb, path, os.path.relpath(path, kb.root))


def _add_page(kb: KnowledgeBase, path: Path, relative: str) -> None:
    """An ordinary page, unless it is a link to outside the knowledge base: the site
    publishes pages, and a link could publish any file of the machine."""
    if path.is_symlink() and not inside(path, kb.root):
        kb.problems.append(error(os.path.join(kb.display_root, relative), 1, 1, "E111", "this page is a link to outside the knowledge base; copy the file in instead"))
        return
    kb.pages.append(Page(path, relative))


def record_path(root: Path, kind: str, ident: str) -> Path:
    """Where the record `kind/ident` lives, for commands that write or delete one.
    Refuses what is not a plain id (`..`, `/`, absolute paths) and any path that would
    resolve outside the knowledge base (a linked folder), so user input never names
    another file."""
    from handover.core.errors import UsageError

    spec = KINDS.get(kind)
    if spec is None:
        raise UsageError(f'"{kind}" is not a kind', hint="one of: " + ", ".join(KINDS))
    if not SLUG_RE.match(ident):
        raise UsageError(f'"{ident}" is not an id: ids are lowercase letters, digits and hyphens (no "/", "..", or absolute path)',
                         hint=f"e.g. {_suggest_slug(ident.rpartition('/')[2])}")
    path = root / kind / f"{ident}{spec.extension}"
    if not inside(path, root):
        raise UsageError(f"{kind}/{ident} resolves outside the knowledge base ({path.resolve()})", hint="remove the link that leads there")
    return path


def _suggest_slug(stem: str) -> str:
    return slugify(stem) or "my-record"


def _index_rules(kb: KnowledgeBase, document: Record) -> None:
    """Index the rules of a charter body; report headings without an id or a bad one."""
    if not document.body:
        return
    for section in parse_rules(document.body, document.body_line):
        if section.id is None:
            kb.problems.append(warning(document.display, section.line, 1, "W504", "this rule heading has no stable id; end it with {#short-id} so responses can cite it"))
            continue
        if not SLUG_RE.match(section.id):
            kb.problems.append(error(document.display, section.line, section.id_col, "E219", f'rule id "{section.id}" must be a lowercase slug like no-delete'))
        _add_rule(kb, Rule(section.id, section.title, document, section.line, section.text, section.id_col))


def _add_rule(kb: KnowledgeBase, rule: Rule) -> None:
    existing = kb.rules.get(rule.id)
    if existing:
        kb.problems.append(error(rule.document.display, rule.line, rule.id_col, "E303", f'rule id "{rule.id}" is already used at {existing.document.display}:{existing.line}; rule ids must be unique across the charter'))
        return
    kb.rules[rule.id] = rule
