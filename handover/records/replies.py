"""Canned-response text: its `{placeholder}` fields and rendering.

`{name}` is a field declared under `variables`; `{{` and `}}` write literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{([A-Za-z0-9_\-]+)\}")


@dataclass(frozen=True)
class Placeholder:
    name: str
    line: int  # 0-based line within the body
    col: int  # 0-based column


def placeholders(body: str) -> Iterator[Placeholder]:
    """Every `{name}` in the body, with its position."""
    for line_no, line in enumerate(body.splitlines()):
        for match in PLACEHOLDER_RE.finditer(line):
            if match.group(1):
                yield Placeholder(match.group(1), line_no, match.start())


def variable_value(spec: Any, prefer: str = "default") -> str | None:
    """The value a variable takes when none is given: default or fallback."""
    if not isinstance(spec, dict):
        return None
    order = ("default", "fallback") if prefer == "default" else ("fallback", "default")
    for key in order:
        value = spec.get(key)
        if isinstance(value, str):
            return value
    return None


def render(body: str, variables: dict[str, Any], values: dict[str, str] | None = None, prefer: str = "default") -> str:
    """The text with each placeholder replaced: given value, else default/fallback;
    a placeholder with no value at all is left as `{name}`."""
    values = values or {}

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name in values:
            return values[name]
        value = variable_value(variables.get(name), prefer)
        return token if value is None else value

    return PLACEHOLDER_RE.sub(substitute, body).strip()


# X (Twitter) counts characters its own way (twitter-text, version 3): every link is
# 23 characters whatever its length, most scripts count 1 a code point, and the rest
# (CJK, emoji…) count 2. records/xtext.py is the twitter-text adapter that knows how.
# Other platforms count code points.
X_PLATFORMS = ("x", "twitter")
X_URL_LENGTH = 23


def links(text: str) -> list[str]:
    """The links in a text, as X finds them (trailing punctuation left out)."""
    from handover.records import xtext

    return xtext.links(text)


def x_length(text: str) -> int:
    """The length X gives a post (twitter-text's weighted length, version 3)."""
    if text.isascii() and not any(mark in text for mark in ".:\r"):
        return len(text)  # no link possible, every character counts 1
    from handover.records import xtext

    return xtext.weighted_length(text)


def platform_length(text: str, platform: str) -> int:
    """How many characters `platform` counts in the text (X has its own rules)."""
    if platform in X_PLATFORMS:
        return x_length(text)
    return len(text)
