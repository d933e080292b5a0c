"""Writing YAML: plain dumps, records as the format guide asks for them, and in-place
edits that keep a file's comments, order, quoting and layout."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from handover.core.errors import Problem
from handover.files.yamlio.build import _STR_TAG, KeyPath, _ComposeLoader, _plain_tag
from handover.files.yamlio.load import parse_mapping, split_front_matter


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
