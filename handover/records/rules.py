"""The rules of the charter: the `## Title {#id}` sections of its Markdown bodies.

The one reader of rules: the knowledge base (records/model.py), `handover review`
and the search index's documents all read them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `## Rule title {#rule-id}`: a charter rule with its stable id.
RULE_HEADING_RE = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*\{#(?P<id>[^}\s]+)\}[ \t]*$")
PLAIN_H2_RE = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*$")
FENCE_RE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class RuleSection:
    """A `##` section of a charter body: a rule when `id` is set, else a heading without one."""

    id: str | None
    title: str
    line: int  # 1-based line of the heading in the file
    text: str  # the section's text under the heading, stripped
    id_col: int = 1


def parse_rules(body: str, body_line: int) -> list[RuleSection]:
    """The `## Title {#id}` sections of a charter body, in order (fenced code skipped).
    The one reader of rules: the knowledge base and `handover review` both use it."""
    sections: list[RuleSection] = []
    in_fence = False
    current: tuple[str | None, str, int, int] | None = None
    text_lines: list[str] = []

    def close() -> None:
        if current:
            rule_id, title, line, id_col = current
            sections.append(RuleSection(rule_id, title, line, "\n".join(text_lines).strip(), id_col))

    for offset, line in enumerate(body.splitlines()):
        if FENCE_RE.match(line):
            in_fence = not in_fence
        if in_fence or not line.startswith("## "):
            if current:
                text_lines.append(line)
            continue
        close()
        text_lines = []
        line_no = body_line + offset
        match = RULE_HEADING_RE.match(line)
        if match:
            current = (match["id"], match["title"], line_no, match.start("id") + 1)
        else:
            plain = PLAIN_H2_RE.match(line)
            current = (None, plain["title"] if plain else line[3:].strip(), line_no, 1)
    close()
    return sections
