"""Text people wrote in a YAML field, made into the Markdown they meant.

In a `notes` field people write a line of text and a list right under it, as in an
e-mail. Markdown wants a blank line between the two, or the list is read as the end
of the paragraph: literal dashes on one line. A blank line is inserted before a list
that follows text; nothing else changes (fenced code is left as it is)."""

from __future__ import annotations

import re

_ITEM_RE = re.compile(r"^ {0,3}(?:[-*+]|1[.)])(?:[ \t]|$)")  # under text, a numbered list starts at 1 (as in CommonMark)
_FENCE_RE = re.compile(r"^ {0,3}(?:```|~~~)")


def field_markdown(text: str) -> str:
    """The Markdown of a multi-line field, as a person reading the YAML sees it."""
    lines = text.strip().split("\n")
    out: list[str] = []
    in_list = fenced = False
    previous = ""
    for line in lines:
        if _FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced:
            if _ITEM_RE.match(line):
                if not in_list and previous.strip():
                    out.append("")  # a list right after a line of text: Markdown needs the blank line
                in_list = True
            elif line.strip() and not line[0].isspace() and not previous.strip():
                in_list = False  # text at the margin after a blank line: the list is over
        out.append(line)
        previous = line
    return "\n".join(out)
