"""The ordinary pages of a knowledge base (guide, playbooks): which ones an audience
sees, their titles, and the home page's introduction. Shared by the MkDocs plugin and
`handover render`, so both publish the same pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from handover.files.yamlio import parse_mapping, split_front_matter


def page_meta(path: Path) -> tuple[dict[str, Any], str]:
    """Front matter and title of an ordinary page (title: meta, first heading, or name)."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---"):
        split = split_front_matter(text, str(path))
        if isinstance(split, tuple):
            loaded = parse_mapping(split[0], str(path), line_offset=1)
            meta, body = (loaded.data if loaded.ok else {}), split[1]
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    if not title:
        heading = next((line[2:].strip() for line in body.splitlines() if line.startswith("# ")), None)
        title = heading or path.stem.replace("-", " ").capitalize()
    return meta, title


def strip_front_matter(text: str) -> str:
    if text.startswith("---"):
        split = split_front_matter(text, "index.md")
        if isinstance(split, tuple):
            return split[1]
    return text
