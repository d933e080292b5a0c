"""Values built from PyYAML's node graph, each with its line and column; YAML 1.1's
traps (`no`, `0612345670`, `12:30`, `2026-02-30`) reported where they are and kept as
the text the user wrote."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, cast

import yaml

from handover.core.errors import Problem, error

try:  # libyaml's C parser: ten times faster; the pure one gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]
FastLoader = _Loader  # what every parse here uses

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


class _ComposeLoader(FastLoader):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN_TAG if implicit[0] else "tag:yaml.org,2002:str"
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG

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
