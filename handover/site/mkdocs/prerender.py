"""Generated pages converted from Markdown before MkDocs' page loop, on every core.

MkDocs converts each page with a Markdown instance it creates for that page alone
(about a millisecond of set-up per page) and one page at a time: half of a large
build. Here the generated pages (records and indexes) are converted up front by one
reused Markdown instance per process, with the same extensions and the same MkDocs
tree processors (links, anchors, title) as `Page.render`; the page loop then takes
the result instead of converting again. A page whose Markdown another plugin changed
in the meantime is converted the ordinary way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from handover.core.forked import Forked, jobs_for, shards
from handover.site.mkdocs import internals
from handover.site.pages.rawhtml import MARKER

_pages_log = logging.getLogger("mkdocs.structure.pages")


@dataclass
class Rendered:
    """A generated page's Markdown and what converting it gave."""

    markdown: str
    converted: internals.Converted


def render_pages(uris: list[str], config: Any, files: Any) -> dict[str, Rendered]:
    """Convert the generated pages `uris` as `Page.render` would, with one Markdown instance."""
    import markdown
    from mkdocs.utils import meta

    converter = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    rendered: dict[str, Rendered] = {}
    for uri in uris:
        file = files.get_file_from_path(uri)
        body, _ = meta.get_data(file.content_string)
        rendered[uri] = Rendered(body, internals.convert(converter, body, file, files, config))
    return rendered


def markdown_cost(source: str) -> int:
    """What converting a generated page costs, in characters of prose: generated HTML
    lines cost next to nothing, each page a fixed set-up (measured: about 0.5 ms,
    then 2.5 µs per character of prose)."""
    prose = sum(len(line) for line in source.split("\n") if not line.startswith(MARKER))
    return PAGE_SETUP_CHARS + prose


PAGE_SETUP_CHARS = 200


def prerender(uris: list[str], config: Any, files: Any, *, parallel: bool = True) -> dict[str, Rendered]:
    """Every generated page converted, spread over the cores when there are many."""
    if not internals.AVAILABLE:
        return {}
    jobs = jobs_for(len(uris)) if parallel else 1
    if jobs < 2:
        return render_pages(uris, config, files)
    runs = shards(uris, jobs, weight=lambda uri: markdown_cost(files.get_file_from_path(uri).content_string))
    others = Forked(lambda run: render_pages(run, config, files), runs[1:])
    rendered = render_pages(runs[0], config, files)
    for part in others.join():
        rendered.update(part)
    return rendered


def install(page: Any, rendered: Rendered, files: Any) -> None:
    """Make `page.render` take the converted result instead of converting again."""
    internals.install(page, rendered.converted, files, keep_links=_pages_log.getEffectiveLevel() > logging.DEBUG)
