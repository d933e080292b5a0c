"""What the parser reports badly or cannot survive, found and located before (or
instead of) parsing: nesting too deep for libyaml, anchors, aliases and merge keys,
tags, tabs, and syntax errors in words a user can act on."""

from __future__ import annotations

import re

import yaml

from handover.core.errors import Problem, error
from handover.files.yamlio.build import _TAG, MAX_DEPTH, FastLoader

# Anchors (&a), aliases (*a) and merge keys (<<) as YAML tokens, not as the
# ampersand of "Vélo & Lyon": only files that match are parsed a second time.
_ALIAS_HINT_RE = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\]}]|<<\s*:", re.M)
# A line prefix made only of indentation and block indicators bounds block nesting.
# (Two patterns: one anchored on a literal newline is scanned far faster than ^ with re.M.)
_DEEP_PREFIX_RE = re.compile(rf"[ ?\-]{{{MAX_DEPTH}}}")
_DEEP_LINE_RE = re.compile(rf"\n[ ?\-]{{{MAX_DEPTH}}}")


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
        for event in yaml.parse(text, Loader=FastLoader):
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
        for event in yaml.parse(text, Loader=FastLoader):
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
