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
# (CJK, emoji…) count 2. Other platforms count code points.
X_PLATFORMS = ("x", "twitter")
X_URL_LENGTH = 23
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_GTLDS = "com|org|net|info|biz|io|co|app|dev|shop|store|online|site|blog|news|tv|me|ly|gl|gd|gouv"
# A link as X finds one: with a scheme, or a bare domain with a known or two-letter TLD.
# Possessive quantifiers (++) keep the scan linear: a label never gives back what it took.
_URL_RE = re.compile(
    r"(?<![@\w.\-])(?:https?://[^\s<>\"]++|(?:[a-z0-9\-]++\.(?=[a-z0-9]))++(?:" + _GTLDS + r"|[a-z]{2})\b(?:/[^\s<>\"]*+)?)",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)»\"'"
_ZERO_WIDTH = {0x200D, 0xFE0E, 0xFE0F} | set(range(0x1F3FB, 0x1F400))  # joiners, variation selectors, skin tones


def links(text: str) -> list[str]:
    """The links in a text, as X would count them (trailing punctuation left out)."""
    return [match.group(0).rstrip(_TRAILING_PUNCTUATION) for match in _URL_RE.finditer(text)]


def x_length(text: str) -> int:
    """The length X gives a post: links count 23, wide characters 2, an emoji
    sequence joined by zero-width joiners counts once."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        total += _x_weight(text[position : match.start()]) + X_URL_LENGTH
        position = match.start() + len(url)
    return total + _x_weight(text[position:])


def _x_weight(text: str) -> int:
    if text.isascii():
        return len(text)  # the common case: every character counts 1
    total = 0
    joined = False
    for char in text:
        code = ord(char)
        if code in _ZERO_WIDTH:
            joined = code == 0x200D
            continue
        if joined:  # the next part of an emoji sequence: already counted
            joined = False
            continue
        total += 1 if code <= 4351 or any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2
    return total


def platform_length(text: str, platform: str) -> int:
    """How many characters `platform` counts in the text (X has its own rules)."""
    if platform in X_PLATFORMS:
        return x_length(text)
    return len(text)
