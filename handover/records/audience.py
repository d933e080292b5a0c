"""Who may see what: the filter every output (site, search index, export) applies.

Three levels: `public` < `internal` < `restricted`. An internal build shows public and
internal content; a public build shows only records marked `visibility: public`, and of
those only the fields the format marks public: an allow-list, so a field added later
is never published by accident. `field_visibility` can only hide more. Restricted
content is never shown by any build or export.
"""

from __future__ import annotations

from typing import Any

from handover.records.model import KnowledgeBase, Record

AUDIENCES = ("internal", "public")
LEVEL = {"public": 0, "internal": 1, "restricted": 2}
BODY = "body"  # key of field_visibility that governs a Markdown record's text


def _level(value: Any, default: str = "internal") -> int:
    return LEVEL.get(value if isinstance(value, str) else default, LEVEL["internal"])


def record_visible(record: Record, audience: str) -> bool:
    level = _level(record.data.get("visibility"))
    return level <= (LEVEL["public"] if audience == "public" else LEVEL["internal"])


def field_visible(record: Record, name: str, audience: str) -> bool:
    """Whether one top-level field (or BODY) of a visible record may be shown."""
    overrides = record.data.get("field_visibility")
    override = overrides.get(name) if isinstance(overrides, dict) else None
    ceiling = LEVEL["public"] if audience == "public" else LEVEL["internal"]
    if override is not None and _level(override) > ceiling:
        return False
    if audience != "public":
        return True
    if name == BODY:
        return True
    spec = record.kind.all_fields().get(name)
    return bool(spec and spec.public)


def visible_data(record: Record, audience: str) -> dict[str, Any]:
    """The record's fields that this audience may see."""
    return {k: v for k, v in record.data.items() if isinstance(k, str) and k not in ("visibility", "field_visibility") and field_visible(record, k, audience)}


def visible_records(kb: KnowledgeBase, audience: str) -> dict[str, dict[str, Record]]:
    """Kind → id → record, for the records this audience may see."""
    return {kind: {i: r for i, r in by_id.items() if record_visible(r, audience)} for kind, by_id in kb.records.items()}


def page_visible(meta: dict[str, Any], audience: str) -> bool:
    """An ordinary page (guide, playbook) follows its front matter's visibility,
    internal by default like records."""
    return _level(meta.get("visibility")) <= (LEVEL["public"] if audience == "public" else LEVEL["internal"])
