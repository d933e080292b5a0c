"""Edits the serve and cache tests make to a knowledge base's files, each exactly once."""

from __future__ import annotations

import re
from pathlib import Path


def edit(path: Path, pattern: str, new: str) -> None:
    """Replace the first match of `pattern` (multiline) in `path`; fail if it is not there."""
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, new, text, count=1, flags=re.MULTILINE)
    assert count == 1, (path, pattern)
    path.write_text(changed, encoding="utf-8")
