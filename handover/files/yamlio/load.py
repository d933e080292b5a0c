"""Reading a record file: its text (UTF-8, size limit), its front matter, its one
mapping parsed strictly (build.py, problems.py); top-level fields split without
parsing, for comparing two versions cheaply."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handover.core.errors import Problem, error
from handover.files.yamlio.build import _PLAIN_TAG, MAX_FILE_BYTES, FastLoader, KeyPath, Mark, _Builder, _ComposeLoader
from handover.files.yamlio.problems import (
    _ALIAS_HINT_RE,
    _alias_problems,
    _blocking_problems,
    _line_col,
    _maybe_tag,
    _syntax_problem,
    _tab_problem,
    _tag_problems,
)


@dataclass
class Loaded:
    """A parsed YAML mapping with the position of every value and key."""

    data: dict[str, Any] = field(default_factory=dict)
    marks: dict[KeyPath, Any] = field(default_factory=dict)  # path → parser mark; see mark()
    problems: list[Problem] = field(default_factory=list)
    ok: bool = True  # False when the file could not be read as a mapping at all
    trapped: set[KeyPath] = field(default_factory=set)  # values kept as text after a trap

    line_offset: int = 0  # marks are stored as the parser gives them (0-based)

    def mark(self, path: KeyPath) -> Mark:
        """Position of `path` (a value, or a key when path ends with KEY_MARK),
        falling back to the nearest enclosing value, then to the top of the file."""
        while path:
            found = self.marks.get(path)
            if found is not None:
                return self._position(found)
            path = path[:-1]
        found = self.marks.get(())
        return self._position(found) if found is not None else (1, 1)

    def _position(self, mark: Any) -> Mark:
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def positions(self) -> dict[KeyPath, Mark]:
        """Every recorded position, 1-based (for tests and tools)."""
        return {path: self._position(mark) for path, mark in self.marks.items()}


@dataclass
class Document:
    """A record file: its front matter (or whole YAML) and, for Markdown, the body."""

    loaded: Loaded
    body: str | None = None
    body_line: int = 0  # 1-based line of the body's first line
    watched: bool = False  # the raw text passed the caller's `watch` test


def read_text(path: Path | str, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text, BOM removed; or None and a located problem."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # never more than the limit in memory
            if len(raw) > MAX_FILE_BYTES:
                size = os.fstat(handle.fileno()).st_size
                return None, [error(display, 1, 1, "E110", f"file is {size:,} bytes; records are limited to {MAX_FILE_BYTES:,} bytes: split it or move attachments out")]
    except OSError as exc:
        return None, [error(display, 1, 1, "E100", f"cannot read the file: {exc.strerror or exc}")]
    return decode(raw, display)


def decode(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a BOM is accepted and dropped), or a problem at the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1  # characters, not bytes
        return None, [error(display, line, col, "E102", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def split_front_matter(text: str, display: str) -> tuple[str, str, int] | Problem:
    """(front matter, body, body's first line) of a Markdown record, or a problem."""
    if not (text.startswith(("---\n", "---\r\n")) or text.rstrip() == "---"):
        return error(display, 1, 1, "E108", "no front matter: a record starts with a '---' line, its YAML fields, then another '---' line")
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") in ("---", "..."):
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return front, body, index + 2
    return error(display, 1, 1, "E108", "front matter is not closed: add a '---' line after the YAML fields")


def load_document(path: Path | str, display: str, markdown: bool, watch: Callable[[str], bool] | None = None) -> Document:
    """Read and parse one record file (YAML, or Markdown with front matter).
    With `watch`, the raw text (comments included) is tested once while it is in
    hand, and `Document.watched` says whether it passed: later checks then re-read
    only the few files that need a closer look."""
    text, problems = read_text(path, display)
    if text is None:
        return Document(Loaded(problems=problems, ok=False))
    document = parse_document(text, display, markdown)
    if watch is not None and watch(text):
        document.watched = True
    return document


def parse_document(text: str, display: str, markdown: bool) -> Document:
    """Parse a record's text (YAML, or Markdown with front matter). Never raises."""
    if not markdown:
        return Document(parse_mapping(text, display))
    split = split_front_matter(text, display)
    if isinstance(split, Problem):
        return Document(Loaded(problems=[split], ok=False))
    front, body, body_line = split
    return Document(parse_mapping(front, display, line_offset=1), body, body_line)


def load_packaged(text: str) -> Any:
    """Data shipped inside the package (handover's own word lists), not a user's file:
    parsed with the C loader, without the checks and marks that user files get."""
    return yaml.load(text, Loader=FastLoader)


def parse_mapping(text: str, display: str, line_offset: int = 0) -> Loaded:
    """Parse YAML text that must hold exactly one mapping. Never raises."""
    blocking = _blocking_problems(text, display, line_offset)
    if blocking:
        return Loaded(problems=blocking, ok=False)
    # Anchors and aliases are errors, but the rest of the file is still checked:
    # the builder below never expands an alias, so an alias bomb costs nothing.
    maybe_alias = ("&" in text or "*" in text or "<<" in text) and _ALIAS_HINT_RE.search(text)
    alias_problems = _alias_problems(text, display, line_offset) if maybe_alias else []
    if _maybe_tag(text):
        alias_problems.extend(_tag_problems(text, display, line_offset))
    try:
        node = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.MarkedYAMLError as exc:
        return Loaded(problems=[_tab_problem(exc, text, display, line_offset) or _syntax_problem(exc, display, line_offset)], ok=False)
    except yaml.reader.ReaderError as exc:  # a control character: position is a character index
        line, col = _line_col(text, exc.position)
        return Loaded(problems=[error(display, line + line_offset, col, "E101", f"character #x{exc.character if isinstance(exc.character, int) else ord(exc.character):04x} is not allowed in YAML; remove it")], ok=False)
    except (yaml.YAMLError, ValueError) as exc:
        return Loaded(problems=[error(display, 1 + line_offset, 1, "E101", f"YAML cannot be read: {exc}")], ok=False)
    if node is None:
        return Loaded(problems=[error(display, 1, 1, "E112", "the file is empty; write the record's fields (see guide/format.md)")], ok=False)
    builder = _Builder(display, line_offset, text)
    builder.problems.extend(alias_problems)
    if not isinstance(node, yaml.MappingNode):
        line, col = builder.pos(node)
        what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return Loaded(problems=[error(display, line, col, "E107", f"the top level is {what}; a record is a mapping of 'field: value' lines")], ok=False)
    data = builder.build(node, (), 0)
    return Loaded(data, builder.marks, builder.problems, ok=True, trapped=builder.trapped, line_offset=line_offset)


# A top-level key at column 0: `name:`, `"name":`, `'name':`, followed by a space or the end.
_TOP_KEY_RE = re.compile(r"""^(?:"(?P<dq>[^"\\]*)"|'(?P<sq>[^']*)'|(?P<plain>[^\s#'"\-?:{}\[\],&*!|>%@`][^:\n]*?))[ \t]*:(?:[ \t]|\n|$)""")


def top_level_blocks(text: str) -> dict[str, str] | None:
    """The text of each top-level field of a block-style YAML mapping, by key, without
    parsing: a field runs from its `key:` line at column 0 to the next line at column 0.
    Comment lines at column 0 and trailing blank lines are left out. None when the text
    does not split that simply (a flow mapping, a list, a key written twice, a value
    continued at column 0): callers then parse the whole text. Equal texts mean equal
    values, so comparing blocks finds the changed fields of two versions cheaply."""
    blocks: dict[str, str] = {}
    starts = [m.start() for m in _COLUMN0_RE.finditer(text)]
    starts.append(len(text))
    if starts[0] != 0 and text[: starts[0]].strip():
        return None  # indented text before the first field
    for begin, end in itertools.pairwise(starts):
        segment = text[begin:end]
        if segment[0] == "#":
            if "\n" in segment.rstrip():  # indented lines under a comment: not ours to split
                return None
            continue
        if not blocks and segment.rstrip() in ("---", "..."):
            continue
        match = _TOP_KEY_RE.match(segment)
        if match is None:
            return None
        key = match["dq"] if match["dq"] is not None else match["sq"] if match["sq"] is not None else match["plain"]
        if key in blocks:
            return None
        blocks[key] = segment.rstrip() + "\n"
    return blocks


_COLUMN0_RE = re.compile(r"^[^ \t\r\n]", re.M)
# `key: value` on one line with a plain value that cannot be anything but a scalar.
_SIMPLE_FIELD_RE = re.compile(r"""^(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ ]+(?P<value>[^\s'"\[\]{}&*!|>%@`#,?:\-](?:[^#:\n]|:(?! |$)|(?<! )#)*?)[ \t]*\n?$""")


def parse_field(block: str, display: str) -> Loaded:
    """Parse one top-level field (from top_level_blocks): a one-line `key: plain value`
    is resolved directly, exactly as the full loader would; anything else is parsed."""
    match = _SIMPLE_FIELD_RE.match(block)
    if match is None:
        return parse_mapping(block, display)
    key, value = match["key"], match["value"]
    mark = yaml.error.Mark(display, len(key) + 2, 0, len(key) + 2, None, 0)
    builder = _Builder(display, 0)
    node = yaml.ScalarNode(_PLAIN_TAG, value, mark, mark, style=None)
    built = builder.build(node, (key,), 1)
    return Loaded({key: built}, builder.marks, builder.problems, ok=True, trapped=builder.trapped)
