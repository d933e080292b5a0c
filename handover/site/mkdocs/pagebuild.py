"""Generated pages written by forked processes while MkDocs writes the rest.

After every page is read (MkDocs' `on_env`), each page still costs a Material
template render, the search plugin's parse of its HTML and a file write: the other
half of a large build, again one page at a time. Here the generated pages are cut
into one run per core; children build all runs but the first with MkDocs' own
`_build_page`, exactly as the main loop would, and send back the search entries they
made. In the main loop those pages render an empty stub template (MkDocs writes no
file for empty output) and are kept out of the search plugin; at the end their
entries are put back in page order, so the index is the same as a one-process build.
"""

from __future__ import annotations

import logging
from typing import Any

from handover.core.forked import Forked, jobs_for, shards

try:  # private to MkDocs 1.x, which is no longer developed: it will not move
    from mkdocs.commands.build import _build_page
except ImportError:  # pragma: no cover - another MkDocs: one process
    _build_page = None  # type: ignore[assignment]

STUB_TEMPLATE = "handover-built-elsewhere.html"


def search_entries(config: Any) -> list[dict[str, Any]] | None:
    """The search plugin's list of index entries, or None without Material's search."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list):
            return entries
    return None


# A page's template render costs about what parsing and writing this many characters
# of its content does (measured at 10k records: 2 ms against 0.3 ms per 1,000 characters).
TEMPLATE_CHARS = 6000


def page_cost(page: Any) -> int:
    """What building one converted page costs, in characters: the template, then the
    search plugin's parse, the squeeze and the write, which grow with the content."""
    return TEMPLATE_CHARS + len(page.content or "")


class _SkippedPageFilter(logging.Filter):
    """MkDocs says `Page skipped` for each stub page: those pages are not skipped."""

    def __init__(self, uris: set[str]) -> None:
        super().__init__()
        self.uris = uris

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message[len("Page skipped: '") : -len("'. Generated empty output.")] in self.uris)


class ParallelPages:
    """One build's generated pages, spread over the cores (see the module docstring)."""

    def __init__(self) -> None:
        self._forked: Forked[Any, list[tuple[str, list[dict[str, Any]]]]] | None = None
        self._originals: dict[str, tuple[dict[str, Any], str | None]] = {}
        self._order: list[tuple[str, int]] = []  # every page the main loop saw, with its entry count after it
        self._filter: _SkippedPageFilter | None = None
        self._build_log = logging.getLogger("mkdocs.commands.build")

    def start(self, pages: list[Any], config: Any, files: Any, nav: Any, env: Any) -> None:
        """Fork the children for all runs but the first, then stub their pages here."""
        self._order = []
        jobs = jobs_for(len(pages))
        entries = search_entries(config)
        if _build_page is None or entries is None or jobs < 2:
            return
        from jinja2 import ChoiceLoader, DictLoader

        doc_files = files.documentation_pages()
        self._originals = {page.file.src_uri: (page.meta, page.content) for page in pages}

        def build(run: list[Any]) -> list[tuple[str, list[dict[str, Any]]]]:
            built = []
            for page in run:
                page.meta, page.content = self._originals[page.file.src_uri]  # undo the stub if redone here
                start = len(entries)
                _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
                built.append((page.file.src_uri, entries[start:]))
                del entries[start:]
            return built

        runs = shards(pages, jobs, weight=page_cost)
        elsewhere = [page for run in runs[1:] for page in run]
        self._forked = Forked(build, runs[1:])
        for page in elsewhere:
            page.meta = {**page.meta, "template": STUB_TEMPLATE, "search": {"exclude": True}}
            page.content = ""
        env.loader = ChoiceLoader([DictLoader({STUB_TEMPLATE: ""}), env.loader])
        self._filter = _SkippedPageFilter({page.file.src_uri for page in elsewhere})
        self._build_log.addFilter(self._filter)

    def page_done(self, page: Any, config: Any) -> None:
        """Called after the search plugin saw `page` in the main loop."""
        if self._forked is not None:
            self._order.append((page.file.src_uri, len(search_entries(config) or [])))

    def finish(self, config: Any) -> None:
        """Wait for the children; put every page's search entries back in page order."""
        if self._forked is None:
            return
        forked, self._forked = self._forked, None
        if self._filter is not None:
            self._build_log.removeFilter(self._filter)
        built = {uri: page_entries for run in forked.join() for uri, page_entries in run}
        entries = search_entries(config)
        assert entries is not None
        here, start = {}, 0
        for uri, end in self._order:
            here[uri], start = entries[start:end], end
        entries[:] = [entry for uri, _ in self._order for entry in (built[uri] if uri in built else here[uri])]
