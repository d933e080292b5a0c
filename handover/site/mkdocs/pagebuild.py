"""Generated pages written by forked processes while MkDocs writes the rest.

After every page is read (MkDocs' `on_env`), each page still costs a Material
template render and a file write: the other half of a large build, again one page at
a time. Here the generated pages are cut into one run per core; children build all
runs but the first with MkDocs' own `_build_page` (through internals.py), exactly as
the main loop would. In the main loop those pages render an empty stub template
(MkDocs writes no file for empty output). The site's search index is not MkDocs'
(site/pages/searchindex.py): nothing comes back from the children but their end.
"""

from __future__ import annotations

import logging
from typing import Any

from handover.core.forked import Forked, jobs_for, shards
from handover.site.mkdocs import internals

STUB_TEMPLATE = "handover-built-elsewhere.html"


# A page's template render costs about what parsing and writing this many characters
# of its content does (measured at 10k records: 2 ms against 0.3 ms per 1,000 characters).
TEMPLATE_CHARS = 6000


def page_cost(page: Any) -> int:
    """What building one converted page costs, in characters: the template, then the
    squeeze and the write, which grow with the content."""
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
        self._forked: Forked[Any, int] | None = None
        self._originals: dict[str, tuple[dict[str, Any], str | None]] = {}
        self._filter: _SkippedPageFilter | None = None
        self._build_log = logging.getLogger("mkdocs.commands.build")

    def start(self, pages: list[Any], config: Any, files: Any, nav: Any, env: Any) -> None:
        """Fork the children for all runs but the first, then stub their pages here."""
        jobs = jobs_for(len(pages))
        if not internals.AVAILABLE or jobs < 2:
            return
        from jinja2 import ChoiceLoader, DictLoader

        doc_files = files.documentation_pages()
        self._originals = {page.file.src_uri: (page.meta, page.content) for page in pages}

        def build(run: list[Any]) -> int:
            for page in run:
                page.meta, page.content = self._originals[page.file.src_uri]  # undo the stub if redone here
                internals.build_page(page, config, doc_files, nav, env)
            return len(run)

        runs = shards(pages, jobs, weight=page_cost)
        elsewhere = [page for run in runs[1:] for page in run]
        self._forked = Forked(build, runs[1:])
        for page in elsewhere:
            page.meta = {**page.meta, "template": STUB_TEMPLATE}
            page.content = ""
        env.loader = ChoiceLoader([DictLoader({STUB_TEMPLATE: ""}), env.loader])
        self._filter = _SkippedPageFilter({page.file.src_uri for page in elsewhere})
        self._build_log.addFilter(self._filter)

    def finish(self) -> None:
        """Wait for the children (their pages are written when they end)."""
        if self._forked is None:
            return
        forked, self._forked = self._forked, None
        if self._filter is not None:
            self._build_log.removeFilter(self._filter)
        forked.join()
