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
from dataclasses import dataclass, field
from typing import Any

from handover.core.forked import Forked, jobs_for, shards
from handover.site.pages.rawhtml import MARKER

# The tree processors `Page.render` registers: private to MkDocs 1.x, which is no
# longer developed, so they will not move. Without them, pages render the normal way.
try:
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )

    AVAILABLE = True
except ImportError:  # pragma: no cover - another MkDocs
    AVAILABLE = False

_pages_log = logging.getLogger("mkdocs.structure.pages")


@dataclass
class Rendered:
    """What `Page.render` would have set on the page, in picklable form."""

    markdown: str
    content: str
    toc_tokens: list[Any]
    title: str | None
    anchors: set[str]
    links_to_anchors: dict[str, dict[str, str]] = field(default_factory=dict)  # by linked file's src_uri


def render_pages(uris: list[str], config: Any, files: Any) -> dict[str, Rendered]:
    """Convert the generated pages `uris` as `Page.render` would, with one Markdown instance."""
    import markdown
    from mkdocs.utils import meta

    converter = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    rendered: dict[str, Rendered] = {}
    for uri in uris:
        file = files.get_file_from_path(uri)
        body, _ = meta.get_data(file.content_string)
        converter.reset()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(converter)
        anchors = _ExtractAnchorsTreeprocessor(file, files, config)
        anchors._register(converter)
        links = _RelativePathTreeprocessor(file, files, config)
        links._register(converter)
        title = _ExtractTitleTreeprocessor()
        title._register(converter)
        content = converter.convert(body)
        rendered[uri] = Rendered(
            markdown=body,
            content=content,
            toc_tokens=list(getattr(converter, "toc_tokens", [])),
            title=title.title,
            anchors=anchors.present_anchor_ids | raw_html.present_anchor_ids,
            links_to_anchors={linked.src_uri: targets for linked, targets in links.links_to_anchors.items()},
        )
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
    if not AVAILABLE:
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
    from mkdocs.structure.toc import get_toc

    def render(config: Any, files_: Any) -> None:
        page.content = rendered.content
        page.toc = get_toc(rendered.toc_tokens)
        page._title_from_render = rendered.title
        page.present_anchor_ids = rendered.anchors
        if _pages_log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {files.get_file_from_path(uri): targets for uri, targets in rendered.links_to_anchors.items()}

    page.render = render
