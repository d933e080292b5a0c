"""Markdown prose one sentence per line, for readable plain `git diff`s.

Paragraphs are wrapped at some width; rewording one phrase rewraps the paragraph and
a plain diff shows every line of it changed. Used as git's textconv for Markdown
(`handover textconv`, see README "Readable diffs"), this shows each sentence on its
own line instead, so a diff shows the sentences that changed. Front matter, headings,
lists, tables, quotes, fenced code and HTML are left as they are.
"""

from __future__ import annotations

import re

FENCE_RE = re.compile(r"^\s*(```|~~~)")
# Lines that are not wrapped prose: headings, list items, tables, quotes, HTML, rules.
STRUCTURE_RE = re.compile(r"^\s*(#|[-*+]\s|\d+[.)]\s|\||>|<|!!!|\?\?\?|---|\*\*\*|___|\[\^?[^\]]*\]:)")
# A sentence ends with . ! ? … (French puts a space before ! and ?), then a space.
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(A-ZÀ-ÖØ-Þ0-9*_`\[])")


def one_sentence_per_line(text: str) -> str:
    """The text with each prose paragraph unwrapped, then split after each sentence."""
    lines = text.split("\n")
    out: list[str] = []
    start = 0
    if lines and lines[0].strip() == "---":  # front matter: kept as it is
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                out.extend(lines[: index + 1])
                start = index + 1
                break
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            joined = " ".join(part.strip() for part in paragraph)
            out.extend(SENTENCE_END_RE.split(joined))
            paragraph.clear()

    for line in lines[start:]:
        if FENCE_RE.match(line):
            flush()
            in_fence = not in_fence
            out.append(line)
        elif in_fence or not line.strip() or STRUCTURE_RE.match(line) or line[:1] in (" ", "\t"):
            flush()
            out.append(line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(out)
