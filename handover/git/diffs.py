"""What changed between two versions of a record: fields (old value → new value), the
Markdown text (lines added and removed), and word-level diffs of prose.

Pure functions over text: git stays in history.py, YAML parsing in files/yamlio. Only
the top-level fields whose text differs are parsed (yamlio.top_level_blocks), so a
one-field edit of a long record costs two tiny parses.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from handover.core.errors import Problem
from handover.files.yamlio import parse_field, parse_mapping, split_front_matter, top_level_blocks

_MISSING: Any = object()
WORD_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class FieldChange:
    """One field that changed; `path` like ("channels", "phone"). `old`/`new` are None
    when the field was added/removed (see `change`)."""

    path: tuple[Any, ...]
    change: str  # "added", "removed", "changed"
    old: Any = None
    new: Any = None

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.name, "change": self.change}
        if self.change != "added":
            out["old"] = plain(self.old)
        if self.change != "removed":
            out["new"] = plain(self.new)
        return out


@dataclass(frozen=True)
class TextChange:
    """The Markdown body changed: lines added and removed."""

    added: int
    removed: int


@dataclass(frozen=True)
class Version:
    """One version of a record file: its fields (or None when they cannot be read) and body."""

    fields: dict[str, Any] | None
    body: str | None = None
    body_line: int = 0
    error: str | None = None  # why the fields could not be read


def read_version(text: str | None, markdown: bool, display: str) -> Version:
    """Fields and body of a record's text, parsed through yamlio (None: no such file)."""
    if text is None:
        return Version({})
    front, body, body_line = text, None, 0
    if markdown:
        split = split_front_matter(text, display)
        if isinstance(split, Problem):
            return Version(None, text, 1, split.message)
        front, body, body_line = split
    loaded = parse_mapping(front, display, line_offset=1 if markdown else 0)
    if not loaded.ok:
        return Version(None, body, body_line, loaded.problems[0].message if loaded.problems else "cannot be read")
    return Version(loaded.data, body, body_line)


def field_changes(old_text: str, new_text: str, display: str = "") -> list[FieldChange] | None:
    """The changed fields between two YAML mappings' texts; None when one cannot be read.
    Only the top-level fields whose text differs are parsed."""
    old_part, new_part = changed_fields_text(old_text, new_text)
    old_blocks, new_blocks = top_level_blocks(old_part), top_level_blocks(new_part)
    if old_blocks is None or new_blocks is None:
        old, new = parse_mapping(old_text, display), parse_mapping(new_text, display)
        if not (old.ok and new.ok):
            return None
        return diff_values(old.data, new.data)
    changes: list[FieldChange] = []
    for key in _ordered_keys(old_blocks, new_blocks):
        old_block, new_block = old_blocks.get(key), new_blocks.get(key)
        if old_block == new_block:
            continue
        old_value = _block_value(old_block, display)
        new_value = _block_value(new_block, display)
        if old_value is None or new_value is None:  # a block that does not parse alone
            return None
        changes.extend(diff_values(old_value, new_value))
    return changes


def _field_start(line: str) -> bool:
    return bool(line) and line[0] not in " \t\r#"


def changed_fields_text(old_text: str, new_text: str) -> tuple[str, str]:
    """The stretch of each text holding the top-level fields that differ: the lines
    both share at the start and the end are left out, up to a field's first line."""
    a, b = old_text.split("\n"), new_text.split("\n")
    shortest = min(len(a), len(b))
    same_start = 0
    while same_start < shortest and a[same_start] == b[same_start]:
        same_start += 1
    same_end = 0
    while same_end < shortest - same_start and a[-1 - same_end] == b[-1 - same_end]:
        same_end += 1
    start = same_start
    if not (start < shortest and _field_start(a[start]) and _field_start(b[start])):
        start = max(same_start - 1, 0)
        while start > 0 and not _field_start(a[start]):
            start -= 1
    end_a, end_b = len(a) - same_end, len(b) - same_end
    while end_a < len(a) and not _field_start(a[end_a]):
        end_a, end_b = end_a + 1, end_b + 1
    return "\n".join(a[start:end_a]) + "\n", "\n".join(b[start:end_b]) + "\n"


def _ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return list(new) + [key for key in old if key not in new]


def _block_value(block: str | None, display: str) -> dict[str, Any] | None:
    if block is None:
        return {}
    loaded = parse_field(block, display)
    return loaded.data if loaded.ok else None


def diff_values(old: Any, new: Any, path: tuple[Any, ...] = ()) -> list[FieldChange]:
    """Field changes between two values: mappings key by key, anything else whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[FieldChange] = []
        for key in _ordered_keys(old, new):
            before, after = old.get(key, _MISSING), new.get(key, _MISSING)
            if before is _MISSING:
                changes.append(FieldChange(path + (key,), "added", None, after))
            elif after is _MISSING:
                changes.append(FieldChange(path + (key,), "removed", before, None))
            elif not _same(before, after):
                changes.extend(diff_values(before, after, path + (key,)))
        return changes
    if _same(old, new):
        return []
    return [FieldChange(path, "changed", old, new)]


def _same(one: Any, other: Any) -> bool:
    # 1 == True in Python; a field going from 1 to true did change.
    return type(one) is type(other) and one == other


def text_change(old: str | None, new: str | None) -> TextChange | None:
    """Lines added and removed between two bodies (None when equal)."""
    if (old or "") == (new or ""):
        return None
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, (old or "").splitlines(), (new or "").splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return TextChange(added, removed)


def same_words(old: str, new: str) -> bool:
    """True when two texts differ only in spacing and line breaks (a reflow)."""
    return WORD_RE.findall(old) == WORD_RE.findall(new)


@dataclass(frozen=True)
class WordHunk:
    """A stretch of a word diff: `kind` is "same", "removed" or "added"."""

    kind: str
    words: tuple[str, ...]


def word_diff(old: str, new: str, context: int = 8) -> list[WordHunk]:
    """Word-level diff of two texts. Unchanged stretches longer than twice `context`
    keep `context` words on each side and an "…" hunk between them."""
    a, b = WORD_RE.findall(old), WORD_RE.findall(new)
    hunks: list[WordHunk] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            head = [] if first else words[:context]
            tail = [] if last else words[-context:]
            if len(words) > len(head) + len(tail):
                if head:
                    hunks.append(WordHunk("same", tuple(head)))
                hunks.append(WordHunk("skip", ()))
                if tail:
                    hunks.append(WordHunk("same", tuple(tail)))
            else:
                hunks.append(WordHunk("same", tuple(words)))
            continue
        if i2 > i1:
            hunks.append(WordHunk("removed", tuple(a[i1:i2])))
        if j2 > j1:
            hunks.append(WordHunk("added", tuple(b[j1:j2])))
    return hunks


def plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def short(value: Any, limit: int = 70) -> str:
    """A value on one line, quoted text, cut at `limit` characters."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool) or value is None:
        text = json.dumps(value)
    else:
        text = json.dumps(plain(value), ensure_ascii=False, default=str)
    text = text.replace("\\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(change: FieldChange, limit: int = 70) -> str:
    """`field: old → new`, `field: +a −b` for lists of words, `field: added "x"`."""
    if change.change == "added":
        return f"{change.name}: added {short(change.new, limit)}"
    if change.change == "removed":
        return f"{change.name}: removed (was {short(change.old, limit)})"
    old, new = change.old, change.new
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(v, (str, int)) for v in old + new):
        gone = [short(v, limit) for v in old if v not in new]
        came = [short(v, limit) for v in new if v not in old]
        if gone or came:
            return f"{change.name}: " + " ".join([f"+{v}" for v in came] + [f"−{v}" for v in gone])
        return f"{change.name}: reordered"
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > limit // 2 and not same_words(old, new):
        return f"{change.name}: {inline_word_diff(old, new, context=4)}"
    return f"{change.name}: {short(old, limit)} → {short(new, limit)}"


def inline_word_diff(old: str, new: str, context: int = 8, removed: tuple[str, str] = ("[-", "-]"), added: tuple[str, str] = ("{+", "+}")) -> str:
    """A word diff on one line, git's --word-diff=plain style by default."""
    parts = []
    for hunk in word_diff(old, new, context):
        text = " ".join(hunk.words)
        if hunk.kind == "skip":
            parts.append("…")
        elif hunk.kind == "removed":
            parts.append(f"{removed[0]}{text}{removed[1]}")
        elif hunk.kind == "added":
            parts.append(f"{added[0]}{text}{added[1]}")
        else:
            parts.append(text)
    return " ".join(parts)
