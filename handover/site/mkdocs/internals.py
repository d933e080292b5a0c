"""Every use of MkDocs' private parts, in one place.

MkDocs 1.x offers no public way to convert a page with a reused Markdown instance,
nor to build one page from a plugin; the parallel build (prerender.py, pagebuild.py)
needs both. MkDocs 1.x has had no release since 2024, so these names will not move;
each use says what would replace it. Without them (another MkDocs, ProperDocs if it
renames them), AVAILABLE is False and the build takes MkDocs' ordinary one-page-at-a-
time path: slower, same pages. `handover render` needs none of this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Any

try:
    # Why: the build loop's per-page function (template, plugins' events, write), called
    # in forked processes for their share of the pages. Would be replaced by a public
    # "build these pages" hook, or by `handover render` + the engine's own build.
    from mkdocs.commands.build import _build_page

    # Why: the tree processors `Page.render` registers (raw-HTML anchors, anchors, links,
    # title), registered here on one reused Markdown instance instead of one per page.
    # Would be replaced by a public `Page.render(converter=...)`.
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )

    AVAILABLE = True
except ImportError:  # pragma: no cover - another MkDocs: the ordinary path
    AVAILABLE = False


@dataclass
class Converted:
    """What `Page.render` sets on a page, in picklable form."""

    content: str
    toc_tokens: list[Any]
    title: str | None
    anchors: set[str]
    links_to_anchors: dict[str, dict[str, str]]  # by linked file's src_uri


def convert(converter: Any, body: str, file: Any, files: Any, config: Any) -> Converted:
    """Convert `body` (the page's Markdown) as `Page.render` would, with `converter`."""
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
    return Converted(content, list(getattr(converter, "toc_tokens", [])), title.title, anchors.present_anchor_ids | raw_html.present_anchor_ids,
                     {linked.src_uri: targets for linked, targets in links.links_to_anchors.items()})


def install(page: Any, converted: Converted, files: Any, keep_links: bool) -> None:
    """Make `page.render` set the converted result instead of converting again.
    Why private: `_title_from_render` is where `Page.render` leaves the title. Would be
    replaced by the same public `Page.render(converter=...)`."""
    from mkdocs.structure.toc import get_toc

    def render(config: Any, files_: Any) -> None:
        page.content = converted.content
        page.toc = get_toc(converted.toc_tokens)
        page._title_from_render = converted.title
        page.present_anchor_ids = converted.anchors
        if keep_links:
            page.links_to_anchors = {files.get_file_from_path(uri): targets for uri, targets in converted.links_to_anchors.items()}

    page.render = render


def build_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
    """Build one page as MkDocs' main loop would (template, plugins' events, write)."""
    _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())


def wake_server(server: Any, watched: str, changed: str) -> bool:
    """Tell MkDocs' live-reload server that `changed`, under the folder `watched` (given to
    `server.watch`), has changed, as its own poller would, at once. Returns False when
    this MkDocs has no such server (the caller then touches the file for the poller).

    Why: serve's poller looks every half second (`polling_interval`, which `mkdocs
    serve` does not pass on), so a change the kernel reported at once still waited up to
    0.5 s. The event goes through watchdog's public API (the observer's event queue,
    keyed by an equal ObservedWatch) to the handler MkDocs registered for `watched`;
    only `server.observer` is MkDocs' own, unprefixed but undocumented. Would be
    replaced by a public "rebuild now" on the server, or a polling interval option."""
    try:
        from watchdog.events import FileModifiedEvent
        from watchdog.observers.api import ObservedWatch

        queue = server.observer.event_queue
        queue.put((FileModifiedEvent(changed), ObservedWatch(os.path.abspath(watched), recursive=True)))
    except (AttributeError, ImportError, TypeError):  # another MkDocs or watchdog
        return False
    return True


def read_mkdocs_yml(stream: IO[bytes]) -> Any:
    """mkdocs.yml as MkDocs reads it (`!ENV` values, `INHERIT` from a parent file).

    Why: `handover serve` hands MkDocs the plugins of mkdocs.yml with the audience
    added, so it reads the file first; only MkDocs' own reader resolves its tags and
    inheritance as MkDocs will. `mkdocs.utils.yaml.yaml_load` is unprefixed but not
    in MkDocs' documented API. Would be replaced by a documented loader, or by a
    serve that takes plugin options on its own."""
    from mkdocs.utils.yaml import yaml_load

    return yaml_load(stream)
