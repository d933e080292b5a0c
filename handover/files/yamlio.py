"""The only module that parses or writes YAML.

PyYAML (with libyaml's C composer when present) builds the node graph; we construct
the values ourselves so that every value keeps its line and column, and so that the
traps PyYAML accepts silently become located problems: duplicate keys, anchors and
aliases, YAML 1.1 booleans (`no`), octal or signed numbers (`0612345670`,
`+33612345678`), sexagesimal numbers (`12:30`), impossible dates (`2026-02-30`).
A trapped value is kept as the text the user wrote, so later checks still run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from handover.core.errors import Problem, error

try:  # libyaml's C parser: ten times faster; the pure one gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# libyaml calls the resolver back in Python for every node, and PyYAML's is slow.
# Ours only says "plain" or "quoted"; the builder resolves plain scalars itself, and
# only those starting with a character that can begin a non-string (digits, n, t, y…).
_PLAIN_TAG = "!handover-plain"
_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SPECIAL_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_RESOLVER = yaml.resolver.Resolver()
# Its resolve, typed (types-PyYAML leaves Resolver.resolve unannotated).
_RESOLVE: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = _RESOLVER.resolve
# After a letter, only these exact words resolve to something else than a string.
_SPECIAL_WORDS = frozenset(["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"])


def _plain_tag(value: str) -> str:
    """YAML 1.1 resolution of a plain scalar, as PyYAML's resolver would do it."""
    if not value:
        return _RESOLVE(yaml.ScalarNode, value, (True, False))
    first = value[0]
    if first not in _SPECIAL_FIRST:
        return _STR_TAG
    if first.isalpha() and value not in _SPECIAL_WORDS:
        return _STR_TAG
    return _RESOLVE(yaml.ScalarNode, value, (True, False))


class _ComposeLoader(_Loader):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN_TAG if implicit[0] else "tag:yaml.org,2002:str"
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


# Anchors (&a), aliases (*a) and merge keys (<<) as YAML tokens, not as the
# ampersand of "Vélo & Lyon": only files that match are parsed a second time.
_ALIAS_HINT_RE = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\]}]|<<\s*:", re.M)

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
KEY_MARK = "<key>"

Mark = tuple[int, int]  # 1-based line and column
KeyPath = tuple[Any, ...]

_TAG = "tag:yaml.org,2002:"
_STR_TAG = _TAG + "str"
_INT_RE = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_TRUE_FALSE = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# A line prefix made only of indentation and block indicators bounds block nesting.
# (Two patterns: one anchored on a literal newline is scanned far faster than ^ with re.M.)
_DEEP_PREFIX_RE = re.compile(rf"[ ?\-]{{{MAX_DEPTH}}}")
_DEEP_LINE_RE = re.compile(rf"\n[ ?\-]{{{MAX_DEPTH}}}")


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
    return yaml.load(text, Loader=_Loader)


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


def _blocking_problems(text: str, display: str, line_offset: int) -> list[Problem]:
    """Cheap text scans for what the parser reports badly or cannot survive."""
    problems: list[Problem] = []
    # libyaml composes recursively in C: very deep nesting crashes the process.
    # Bracket count plus the longest indentation prefix bounds the depth; only when
    # that bound is high do we measure the real depth, with the pure event parser.
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_DEPTH or _DEEP_PREFIX_RE.match(text) or _DEEP_LINE_RE.search(text):
        deep = _depth_problem(text, display, line_offset)
        if deep:
            problems.append(deep)
    return problems


def _depth_problem(text: str, display: str, line_offset: int) -> Problem | None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    assert mark is not None  # the parser marks every event
                    return error(display, mark.line + 1 + line_offset, mark.column + 1, "E109", f"nesting is deeper than {MAX_DEPTH} levels; flatten the structure")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the composer reports the syntax error with its position
    return None


def _alias_problems(text: str, display: str, line_offset: int) -> list[Problem]:
    """Anchors (&a), aliases (*a) and merge keys (<<): refused, they hide repetition
    and are the door to alias bombs."""
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            assert mark is not None  # the parser marks every event
            where = (mark.line + 1 + line_offset, mark.column + 1)
            if isinstance(event, yaml.AliasEvent):
                problems.append(error(display, *where, "E105", f"alias *{event.anchor} is not allowed: write the value out in full"))
            elif anchor := getattr(event, "anchor", None):
                problems.append(error(display, *where, "E105", f"anchor &{anchor} is not allowed: write values out in full"))
            elif isinstance(event, yaml.ScalarEvent) and event.value == "<<" and not event.style:
                problems.append(error(display, *where, "E105", "merge key << is not allowed: write the fields out in full"))
            if len(problems) >= 20:
                break
    except yaml.YAMLError:
        return []  # reported by the composer
    return problems


# A tag (!x, !!x, the non-specific !) where YAML allows one: at the start of a line
# (a key, a document), after `key: `, `- ` or `? `, or in a flow collection; not the
# "!" of French prose ("Bravo !"), which would make most files pay a second parse.
# A hint only: _tag_problems decides. The same test as the regex
# `(?m)(?:^[ \t]*|[:?\-][ \t]+|[\[{,][ \t]*)!`, written as a loop over the few "!" of a
# text: that regex, with no literal to skip to, cost validate 0.2 s at 10,000 records.
def _maybe_tag(text: str) -> bool:
    index = text.find("!")
    while index >= 0:
        start = index
        while start and text[start - 1] in " \t":
            start -= 1
        before = text[start - 1] if start else "\n"
        if before in "\n[{," or (start < index and before in ":?-"):
            return True
        index = text.find("!", index + 1)
    return False


def _tag_problems(text: str, display: str, line_offset: int) -> list[Problem]:
    """Tags (!!python/object/apply:…, !!str, !custom, !): refused wherever they are.
    handover builds nothing from them, but a tag asks a loader to run or build
    something else than text, numbers, lists and mappings, and other tools may obey."""
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            tag = getattr(event, "tag", None)
            if tag and isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                mark = event.start_mark
                line, column = (mark.line, mark.column) if mark is not None else (0, 0)
                shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
                problems.append(error(display, line + 1 + line_offset, column + 1, "E114",
                                      f"the YAML tag {shown} is not allowed in a record; remove it (quote the value if it is text)"))
                if len(problems) >= 20:
                    break
    except yaml.YAMLError:
        return []  # reported by the composer
    return problems


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _tab_problem(exc: yaml.MarkedYAMLError, text: str, display: str, line_offset: int) -> Problem | None:
    """Tabs are only an error where YAML reads them as indentation: the parser fails
    there, at the tab or at the start of its line. Tabs inside text are fine."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" not in indent or mark.column > len(indent):
        return None
    return error(display, mark.line + 1 + line_offset, indent.index("\t") + 1, "E103", "a tab is used for indentation; YAML allows spaces only: replace it with spaces")


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str, line_offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
    problem = (exc.problem or "").strip()
    if "expected a single document" in (exc.context or "") or "but found another document" in problem:
        return error(display, line, col, "E106", "a second YAML document starts here ('---'); a record file holds one document")
    context = f" ({exc.context.strip()})" if exc.context else ""
    hint = _syntax_hint(problem)
    return error(display, line, col, "E101", f"YAML syntax error: {problem}{context}{hint}")


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "; a value containing ': ' must be quoted"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "; a value starting with @ or ` must be quoted"
    if "could not find expected ':'" in problem:
        return "; check the indentation and that each field is written 'name: value'"
    return ""


class _Builder:
    """Turns a node graph into plain values, recording marks and problems."""

    def __init__(self, display: str, line_offset: int, text: str = "") -> None:
        self.display = display
        self.line_offset = line_offset
        self.text = text  # for what libyaml accepts and YAML forbids; "" skips those checks
        self._lines: list[str] | None = None
        self.marks: dict[KeyPath, Any] = {}
        self.problems: list[Problem] = []
        self.built: set[int] = set()
        self.trapped: set[KeyPath] = set()

    def pos(self, node: yaml.Node) -> Mark:
        mark = node.start_mark
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def problem(self, node: yaml.Node, code: str, message: str) -> None:
        self.problems.append(error(self.display, *self.pos(node), code, message))

    def trap(self, node: yaml.ScalarNode, path: KeyPath, code: str, reading: str, fix: str) -> str:
        """A YAML 1.1 surprise: report it, keep the text as written."""
        self.trapped.add(path)
        names = [str(p) for p in path if p != KEY_MARK]
        subject = (".".join(names) + " ") if names else ""
        self.problem(node, code, f'{subject}"{node.value}" was read as {reading}; {fix}')
        return str(node.value)

    def build(self, node: yaml.Node, path: KeyPath, depth: int, indent: int | None = -1) -> Any:
        """`indent`: the column of the block collection holding the node (-1 at the
        top), None inside a flow collection already checked as a whole."""
        self.marks[path] = node.start_mark
        if node.__class__ is yaml.ScalarNode:
            if node.tag == _PLAIN_TAG:
                value = node.value
                if value and value[0] not in _SPECIAL_FIRST:
                    return value  # the common case, kept short: plain text
                node.tag = _plain_tag(value)
                if node.tag == _STR_TAG:
                    return value
            elif node.tag == _STR_TAG or node.style:
                if node.style and self.text:
                    self.forbidden(node, indent)
                return node.value
            return self.scalar(node, path)
        if id(node) in self.built or depth > MAX_DEPTH:  # an alias (already reported): never expanded
            return None
        self.built.add(id(node))
        if getattr(node, "flow_style", None) and self.text:  # collections only (scalars returned above)
            self.continued(node, indent)
            indent = None
        if isinstance(node, yaml.SequenceNode):
            inner = None if indent is None else node.start_mark.column
            return [self.build(item, path + (index,), depth + 1, inner) for index, item in enumerate(node.value)]
        return self.mapping(cast(yaml.MappingNode, node), path, depth, indent)

    # -- what libyaml accepts and YAML forbids (yaml-test-suite QB6E, 9C9N, DK95/01, SU5Z, X4QW)

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def forbidden(self, node: yaml.ScalarNode, indent: int | None) -> None:
        style = node.style
        if style in ('"', "'"):
            end = node.end_mark.index
            if self.text[end:end + 1] == "#":
                self.problem_at(node.end_mark.line, node.end_mark.column, "E101",
                                "a comment needs a space before its #: write `\" #`; YAML forbids a # right after a quoted value")
            self.continued(node, indent)
        elif style in ("|", ">"):
            start = node.start_mark.index
            header = re.match(r"[|>][0-9+-]*", self.text[start:start + 8])
            after = start + (header.end() if header else 1)
            if self.text[after:after + 1] == "#":
                self.problem_at(node.start_mark.line, node.start_mark.column + (after - start), "E101",
                                f"a comment needs a space before its #: write `{self.text[start:after]} #`; YAML forbids a # right after {self.text[start:after]}")

    def continued(self, node: yaml.Node, indent: int | None) -> None:
        """A quoted value or a [list]/{mapping} continued on the next lines must be
        indented more than the key (or list) that holds it; a tab is not indentation."""
        first, last = node.start_mark.line, node.end_mark.line
        if indent is None or last == first:
            return
        lines = self.lines()
        for number in range(first + 1, min(last, len(lines) - 1) + 1):
            line = lines[number]
            if not line.strip():
                continue
            spaces = len(line) - len(line.lstrip(" "))
            if spaces <= indent:
                self.problem_at(number, spaces, "E101",
                                f"this line continues the value begun on line {first + 1 + self.line_offset} but is not indented "
                                f"more than its key{' (a tab is not indentation)' if line[spaces:spaces + 1] == chr(9) else ''}; "
                                "YAML forbids it: indent it with spaces")
                return

    def problem_at(self, line: int, column: int, code: str, message: str) -> None:
        self.problems.append(error(self.display, line + 1 + self.line_offset, column + 1, code, message))

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int, indent: int | None = -1) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "E101", "a key must be a plain name, not a list or mapping")
                continue
            if key_node.tag == _PLAIN_TAG:
                key_node.tag = _plain_tag(key_node.value)
            key = key_node.value if key_node.tag == _STR_TAG else self.scalar(key_node, path + (KEY_MARK,))
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = key_node.value
            if key in result:
                first = self.marks.get(path + (key, KEY_MARK))
                first_line = first.line + 1 + self.line_offset if first is not None else 0
                self.problem(key_node, "E104", f'duplicate key "{key}" (first at line {first_line}); keep one of them')
                continue
            self.marks[path + (key, KEY_MARK)] = key_node.start_mark
            result[key] = self.build(value_node, path + (key,), depth + 1, None if indent is None else key_node.start_mark.column)
        return result

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        value: str = node.value
        tag = node.tag
        if node.style or tag == _TAG + "str":  # plain style is None (pure parser) or "" (libyaml)
            return value  # quoted or explicitly a string: exactly what was written
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if value in _TRUE_FALSE:
                return _TRUE_FALSE[value]
            return self.trap(node, path, "E202", "a boolean (YAML 1.1)", f'quote it if it is text ("{value}"), or write true or false')
        if tag == _TAG + "int":
            if _INT_RE.match(value):
                return int(value)
            if ":" in value:
                return self.trap(node, path, "E203", f"the number {_sexagesimal(value)} (base 60)", f'quote it: "{value}"')
            if "_" in value and value.replace("_", "").lstrip("-").isdigit():
                return self.trap(node, path, "E201", f"the number {value.replace('_', '')}", f"write it without underscores ({value.replace('_', '')}), or quote it if it is text")
            return self.trap(node, path, "E201", "a number", f'quote it: "{value}"')
        if tag == _TAG + "float":
            if _FLOAT_RE.match(value) and not value.startswith("+"):
                return float(value)
            if value.lower() in (".inf", "-.inf", ".nan"):
                return value
            return self.trap(node, path, "E203" if ":" in value else "E201", "a number", f'quote it: "{value}"')
        if tag == _TAG + "timestamp":
            return self.timestamp(node, path, value)
        return value  # a tag: reported by _tag_problems (E114)

    def timestamp(self, node: yaml.ScalarNode, path: KeyPath, value: str) -> Any:
        try:
            if _DATE_RE.match(value):
                year, month, day = (int(part) for part in value.split("-"))
                return dt.date(year, month, day)
            return dt.datetime.fromisoformat(value.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError as exc:
            self.trapped.add(path)
            names = ".".join(str(p) for p in path if p != KEY_MARK)
            self.problem(node, "E204", f'{names + " " if names else ""}"{value}" is not a real date ({exc}); fix the day or month')
            return value


def _sexagesimal(value: str) -> int | str:
    try:
        total = 0
        for part in value.lstrip("+-").split(":"):
            total = total * 60 + int(part)
        return -total if value.startswith("-") else total
    except ValueError:
        return value


def dump(data: Any) -> str:
    """YAML text for data, keys in the given order, Unicode kept readable."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


class _RecordDumper(yaml.SafeDumper):
    """Writes records the way the format guide asks people to: phones, versions and
    other text made of digits and signs in double quotes, so that no reader
    (ours, an editor's YAML 1.2) can take it for a number. List items are indented
    under their key, as in the bundled knowledge base."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # one value used twice (today's date) is written twice: records have no anchors


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value.strip("\n"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")  # prose, as people write it
    if value[:1] == "+" or ((value[:1].isdigit() or value[:1] in "-.") and not re.search(r"[A-Za-z]", value)):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_RecordDumper.add_representer(str, _represent_text)


def dump_record(data: Any) -> str:
    """YAML text of a record (or of a few of its fields) as handover writes them."""
    return yaml.dump(data, Dumper=_RecordDumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


# --- in-place edits -------------------------------------------------------------------
# `handover transfer` changes a few values and nothing else: comments, key order,
# quoting and layout stay as the user wrote them, so `git diff` shows only the values.

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9/-]*$")


@dataclass(frozen=True)
class ValueEdit:
    """Set the scalar at `path` to `new`, or remove it from its list when `new` is None."""

    path: KeyPath
    new: str | None


def edit_values(text: str, edits: list[ValueEdit], *, front_matter: bool, display: str) -> str:
    """`text` with only the edited scalars changed. Raises HandoverError (file and line)
    when a path is not a plain value in the file."""
    from handover.core.errors import HandoverError

    start, end = 0, len(text)
    if front_matter:
        split = split_front_matter(text, display)
        if isinstance(split, Problem):
            raise HandoverError(f"{display}: {split.message}")
        start = text.index("\n") + 1
        end = start + len(split[0])
    root = yaml.compose(text[start:end], Loader=_ComposeLoader)
    spans: list[tuple[int, int, str]] = []
    for edit in edits:
        node, parent, index = _node_at(root, edit.path)
        if not isinstance(node, yaml.ScalarNode):
            raise HandoverError(f"{display}: {'.'.join(map(str, edit.path))} is not a single value", hint="edit this file by hand")
        if edit.new is not None:
            spans.append((node.start_mark.index, node.end_mark.index, _scalar_text(edit.new, node.style)))
        elif isinstance(parent, yaml.SequenceNode) and len(parent.value) > 1:
            spans.append(_removal_span(text[start:end], parent, index))
        else:
            line = node.start_mark.line + 1 + (1 if front_matter else 0)
            raise HandoverError(f"{display}:{line}: cannot remove the only item of a list in place", hint="edit this file by hand")
    yaml_text = text[start:end]
    for span_start, span_end, replacement in sorted(spans, reverse=True):
        yaml_text = yaml_text[:span_start] + replacement + yaml_text[span_end:]
    return text[:start] + yaml_text + text[end:]


def _node_at(root: yaml.Node | None, path: KeyPath) -> tuple[yaml.Node, yaml.Node | None, int]:
    node: yaml.Node | None = root  # None: an empty document
    parent: yaml.Node | None = None
    index = -1
    for step in path:
        parent = node
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node, index = node.value[step], step
        else:
            node = None
        if node is None:
            break
    if node is None:
        raise KeyError(path)
    return node, parent, index


def _scalar_text(value: str, style: str | None) -> str:
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"' or not (_SLUG_RE.match(value) and _plain_tag(value) == _STR_TAG):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _removal_span(text: str, sequence: yaml.SequenceNode, index: int) -> tuple[int, int, str]:
    """The text to cut to remove item `index` from a list of several items."""
    items = sequence.value
    item = items[index]
    if sequence.flow_style:  # [a, b, c]: the item and the separator next to it
        if index + 1 < len(items):
            return item.start_mark.index, items[index + 1].start_mark.index, ""
        return items[index - 1].end_mark.index, item.end_mark.index, ""
    line_start = text.rfind("\n", 0, item.start_mark.index) + 1  # "- c" on its own line
    line_end = text.find("\n", item.end_mark.index)
    return line_start, len(text) if line_end < 0 else line_end + 1, ""


def insert_fields(text: str, at: KeyPath, items: dict[str, Any]) -> str:
    """The YAML text with `items` added to the mapping at key path `at` (() for the
    top level), every other character kept as written (comments, quoting, order).

    The result is parsed again and must hold exactly the old data plus the items;
    otherwise ValueError is raised and nothing should be written."""
    if not items:
        return text
    before = parse_mapping(text, "<text>")
    if not before.ok:
        raise ValueError("the file is not a valid mapping")
    target = yaml.compose(text, Loader=_ComposeLoader)
    for key in at:
        assert isinstance(target, yaml.MappingNode)
        target = next((value for key_node, value in target.value if key_node.value == key), None)
    if not isinstance(target, yaml.MappingNode):
        raise ValueError(f"{'.'.join(map(str, at)) or 'the top level'} is not a mapping")
    if any(key_node.value in items for key_node, _ in target.value):
        raise ValueError("a field to add is already there")
    if target.flow_style:
        close = target.end_mark.index - 1  # the closing brace
        if text[close] != "}":
            raise ValueError("unexpected flow mapping")
        pairs = ", ".join(yaml.dump({key: value}, Dumper=_RecordDumper, allow_unicode=True, sort_keys=False,
                                    default_flow_style=True, width=10**6).strip()[1:-1] for key, value in items.items())
        separator = ", " if target.value else ""
        new_text = text[:close].rstrip() + separator + pairs + text[close:]
    else:
        indent = " " * target.value[0][0].start_mark.column if target.value else ""
        block = "".join(indent + line + "\n" for line in dump_record(items).splitlines())
        insert_at = _end_of_last_value(text, target)
        if insert_at == len(text) and text and not text.endswith("\n"):
            block = "\n" + block
        new_text = text[:insert_at] + block + text[insert_at:]
    after = parse_mapping(new_text, "<text>")
    expected = _with_items(before.data, at, items)
    if not after.ok or after.problems or after.data != expected:
        raise ValueError("the edit did not give the expected fields")
    return new_text


def _end_of_last_value(text: str, mapping: yaml.MappingNode) -> int:
    """Where a new line can go after a block mapping's last value (its deepest last leaf)."""
    node: yaml.Node = mapping
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end = node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") and node.end_mark.column == 0:
        return end  # a block scalar ends at the start of the next line
    newline = text.find("\n", end)
    if newline == -1:
        return len(text)  # the caller's block starts on a new line only if the text ends with one
    return newline + 1


def _with_items(data: dict[str, Any], at: KeyPath, items: dict[str, Any]) -> dict[str, Any]:
    import copy

    result = copy.deepcopy(data)
    target = result
    for key in at:
        target = target[key]
    target.update(items)
    return result
