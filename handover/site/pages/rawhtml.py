"""Generated HTML carried through Markdown untouched and unparsed.

The structure of a generated page (field tables, backlinks, index tables, alerts) is
written as HTML by the page renderers: Python-Markdown spends milliseconds per table
cell on inline patterns, and raw HTML it would still parse twice (its own block
extractor and MkDocs' anchor collector, both `html.parser`). A line that starts with
MARKER is instead put straight into Markdown's HTML stash by this extension, after
code fences are taken out (so a fenced example of the marker stays text) and before
anything parses HTML. Prose written by people stays Markdown around these lines.

The plugin adds the extension to every build (plain `mkdocs build` too), so every
path converts the same source to the same HTML.
"""

from __future__ import annotations

from typing import Any

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

MARKER = "<!--handover-html-->"
NAME = "handover.site.pages.rawhtml"  # as listed in markdown_extensions
# After pymdownx.superfences takes out fenced code (25), before MkDocs collects anchor
# ids from raw HTML (21) and Markdown extracts HTML blocks (20).
PRIORITY = 24


def block(html: str) -> str:
    """`html` as one generated line of a page's Markdown source, with blank lines
    around it. A newline inside is written as its character reference: it stays
    whitespace to the browser and the line stays whole."""
    return f"\n{MARKER}{html.replace(chr(10), '&#10;')}\n\n"


def html_table(head: list[str], rows: list[list[str]], wrapper: str = "") -> str:
    """A generated table (cells already HTML) as a block, shaped as Markdown writes one
    (no class), so that Material and handover.js style and sort it the same way;
    `wrapper` puts it in a div of that class (handover.css styles some tables apart)."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    table = f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    return block(f'<div class="{wrapper}">{table}</div>' if wrapper else table)


class _StashGenerated(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            if line.startswith(MARKER):
                out.extend(("", self.md.htmlStash.store(line[len(MARKER):]), ""))
            else:
                out.append(line)
        return out


class GeneratedHtmlExtension(Extension):
    def extendMarkdown(self, md: Any) -> None:
        md.preprocessors.register(_StashGenerated(md), "handover_generated_html", PRIORITY)


def makeExtension(**kwargs: Any) -> GeneratedHtmlExtension:
    return GeneratedHtmlExtension(**kwargs)
