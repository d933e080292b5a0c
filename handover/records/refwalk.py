"""Where a record's references are, found from its declared field types: which
fields can hold a Ref or RuleRef, and every reference in a record's data with its
path (model.py collects them once per record; checks/refs.py resolves them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from handover.records.fieldtypes import Field, FieldType, ListOf, MapOf, Obj, Ref, RuleRef


def holds_reference(ftype: FieldType) -> bool:
    """Whether values of this type can contain a Ref or RuleRef."""
    if isinstance(ftype, (Ref, RuleRef)):
        return True
    if isinstance(ftype, ListOf):
        return holds_reference(ftype.item)
    if isinstance(ftype, MapOf):
        return holds_reference(ftype.value)
    if isinstance(ftype, Obj):
        return any(holds_reference(f.type) for f in ftype.fields)
    return False


def iter_references(data: dict[str, Any], fields: dict[str, Field]) -> Iterator[tuple[tuple[Any, ...], str, FieldType]]:
    """Every reference in a record: (path, value, Ref or RuleRef), for well-typed values."""
    for name, value in data.items():
        spec = fields.get(name) if isinstance(name, str) else None
        if spec is not None and value is not None:
            yield from _walk_refs(value, spec.type, (name,))


def _walk_refs(value: Any, ftype: FieldType, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str, FieldType]]:
    if isinstance(ftype, (Ref, RuleRef)):
        if isinstance(value, str):
            yield at, value, ftype
    elif isinstance(ftype, ListOf) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk_refs(item, ftype.item, at + (index,))
    elif isinstance(ftype, Obj) and isinstance(value, dict):
        for path, item, item_type in iter_references(value, ftype.by_name()):
            yield at + path, item, item_type
    elif isinstance(ftype, MapOf) and isinstance(value, dict):
        for key, item in value.items():
            yield from _walk_refs(item, ftype.value, at + (key,))
