"""The MkDocs plugin `handover`: turns a knowledge base (the docs_dir) into a site.

Registered under the `mkdocs.plugins` entry point so that plain `mkdocs build` and
`mkdocs serve` work on a repository's mkdocs.yml. It:
- writes the generated structure of pages as HTML that Markdown passes through
  unparsed (rawhtml.py), with links as MkDocs would write them;
- drops every raw record file and every YAML file from the build (MkDocs would copy
  them as they are, restricted fields and all) and renders records itself;
- drops ordinary pages this audience may not see;
- limits the navigation to the home and index pages (the full navigation is written
  into every page by Material: quadratic in the number of records);
- serves the site's own CSS/JS and its own search (site/pages/searchindex.py: an
  index in small script files, loaded on demand, online and from file:// alike), and
  switches Material's search plugin off: its index is neither built nor downloaded,
  and no worker (so no iframe-worker polyfill) is needed offline; turns the offline
  build on when HANDOVER_OFFLINE says so (switches.py);
- takes the indentation out of every written page (a fifth of the site's size);
- converts the generated pages ahead of MkDocs' page loop and writes them on every
  core (prerender.py, pagebuild.py): a 10k-record site builds in half the time.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config as MkDocsBaseConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from handover.checks.memo import CheckMemo
from handover.core import environment
from handover.core.errors import HandoverError, UsageError
from handover.git.history import site_history
from handover.records.audience import AUDIENCES, page_visible
from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase, ParsedCache, load_kb
from handover.site.mkdocs.pagebuild import ParallelPages
from handover.site.mkdocs.prerender import Rendered, install, prerender
from handover.site.mkdocs.switches import offline_requested
from handover.site.mkdocs.templates import TemplateCache
from handover.site.mkdocs.watch import KernelWatch
from handover.site.pages.generate import ASSET_DIR, GeneratedSite, generate
from handover.site.pages.guide import page_meta, strip_front_matter
from handover.site.pages.rawhtml import NAME as RAW_HTML_EXTENSION
from handover.site.pages.squeeze import squeeze_html

log = logging.getLogger("mkdocs.plugins.handover")
ASSETS = Path(__file__).parent.parent / "pages" / "assets"
OWN_ASSETS = ("handover.css", "handover.js", "handover-search.js")
REQUIRED_EXTENSIONS = ("attr_list", "tables", "admonition", "md_in_html", "toc", "pymdownx.superfences", RAW_HTML_EXTENSION)


class HandoverPluginConfig(MkDocsBaseConfig):
    audience = opt.Choice(AUDIENCES, default="internal")
    check = opt.Type(bool, default=True)  # validate and report errors as MkDocs warnings
    history = opt.Type(bool, default=True)  # "last changed" and recent changes, from git when there is git


class HandoverPlugin(BasePlugin[HandoverPluginConfig]):
    """See the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.kb: KnowledgeBase | None = None  # set by `handover build` to load the kb once
        self.today: dt.date | None = None
        self.command = "build"
        self.generated: list[str] = []  # src_uri of every generated page, in order
        self.nav: Any = None
        self.prerendered: dict[str, Rendered] = {}
        self.parallel = ParallelPages()
        self.parsed: ParsedCache = {}  # serve: record files parsed by the previous build
        self.check_memo = CheckMemo()  # serve: each unchanged record's own checks from the previous build
        self.templates = TemplateCache()  # serve: the theme's templates compiled by the previous build
        self.watch = KernelWatch()  # serve: edits noticed by the kernel, not by polling the kb
        # serve --dirty (what `handover serve` runs): a generated page whose Markdown has
        # not changed since the previous build is not built again.
        self.dirty = False
        self.previous: dict[str, str] = {}  # generated page → its Markdown at the previous build
        self.built: set[str] = set()  # generated pages written by a previous build of this `serve`
        self.unchanged: set[str] = set()
        self.removed: list[str] = []  # serve --dirty: generated pages of the previous build that are gone
        self.last_site: GeneratedSite | None = None  # serve --dirty: the pages of the previous build
        self.last_refs: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # `serve` runs threads: its builds stay in one process
        self.dirty = dirty and command == "serve"

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        self.watch.attach(server, config.docs_dir)
        return server

    def on_shutdown(self) -> None:
        self.watch.close()

    @event_priority(-100)  # after Material's plugins (offline adds its polyfill in on_config)
    def on_config(self, config: Any) -> Any:
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
        config.extra_css.append(f"{ASSET_DIR}/handover.css")
        config.extra_javascript.append(f"{ASSET_DIR}/handover.js")
        config.extra_javascript.append(f"{ASSET_DIR}/handover-search.js")
        search = config.plugins.get("material/search")
        if search is not None:
            search.config.enabled = False  # handover's own search replaces it (handover-search.js)
        offline = config.plugins.get("material/offline")
        try:
            wanted = offline_requested()
        except HandoverError as exc:
            raise PluginError(str(exc)) from None
        if offline is not None and wanted and not offline.config.enabled:
            offline.config.enabled = True
            offline.on_config(config)  # its own on_config ran already, switched off
        if offline is not None and offline.config.enabled:
            config.theme["font"] = False  # Google Fonts would be fetched from the internet
        # The offline plugin adds the iframe-worker polyfill (from unpkg) for the search
        # worker; handover's search has no worker.
        config.extra["polyfills"] = [url for url in config.extra.get("polyfills") or [] if "iframe-worker" not in str(url)]
        return config

    def _today(self, kb: KnowledgeBase) -> dt.date:
        """`handover build`'s day, else a sample knowledge base's as_of, else the clock (HANDOVER_TODAY or the system date)."""
        if self.today:
            return self.today
        try:
            clock = environment.today()
        except UsageError as exc:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"HANDOVER_TODAY: {exc}") from None
        return kb.config.judging_day(None, clock)

    def on_files(self, files: Files, *, config: Any) -> Files:
        # `serve` keeps this plugin between rebuilds: the knowledge base is read again
        # each time (only the record files that changed are parsed again), or an edited
        # record's page would show its old content.
        if self.kb is None or Path(self.kb.root).resolve() != Path(config.docs_dir).resolve() or self.command == "serve":
            self.kb = load_kb(config.docs_dir, self.parsed if self.command == "serve" else None)
            if self.config.check:
                self._report_problems(self.kb)
        kb, audience = self.kb, self.config.audience
        keep = Files([])
        guide: list[tuple[str, str]] = []
        home_intro = ""
        for file in files:
            uri = file.src_uri
            top = uri.split("/", 1)[0]
            if top in KINDS or uri.endswith((".yml", ".yaml")) or top.startswith((".", "_")):
                continue  # raw records and settings are never published as they are
            if uri.endswith(".md"):
                meta, title = page_meta(Path(file.abs_src_path)) if file.abs_src_path else ({}, uri)
                if not page_visible(meta, audience):
                    continue
                if uri == "index.md":
                    home_intro = strip_front_matter(Path(file.abs_src_path).read_text(encoding="utf-8")) if file.abs_src_path else ""
                    continue
                guide.append((uri, title))
            keep.append(file)
        history = site_history(Path(kb.root)) if self.config.history else None  # one git pass; None without git
        changed: set[str] | None = None
        refs = {record.ref for record in kb.all_records()}
        if self.dirty and kb.reparsed is not None and self.last_site is not None:
            changed = {record.ref for record in kb.all_records() if str(record.path) in kb.reparsed} | (self.last_refs - refs)
        site = generate(kb, audience, self._today(kb), sorted(guide), home_intro, history, directory_urls=config.use_directory_urls,
                        previous=self.last_site, changed=changed, inputs=(kb.config,))
        if self.dirty:
            self.last_site, self.last_refs = site, refs
        self.generated = list(site.pages)
        unchanged = set()
        if self.dirty:
            unchanged = {uri for uri, content in site.pages.items() if self.previous.get(uri) == content and uri in self.built}
            self.built |= set(site.pages)
            self.removed = [uri for uri in self.previous if uri not in site.pages]
            self.previous = dict(site.pages)
        for uri, content in site.pages.items():
            file = File.generated(config, uri, content=content)
            if uri in unchanged:
                file.is_modified = _not_modified  # type: ignore[method-assign]  # MkDocs' dirty build skips it
            keep.append(file)
        self.unchanged = unchanged
        for name in OWN_ASSETS:
            keep.append(File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name)))
        for path, content in site.assets.items():
            keep.append(File.generated(config, f"{ASSET_DIR}/{path}", content=content))
        if not config.nav:
            config.nav = site.nav
        return keep

    def _report_problems(self, kb: KnowledgeBase) -> None:
        from handover.checks import run_checks

        report = run_checks(kb, self._today(kb), self.check_memo if self.command == "serve" else None)
        secrets = [p for p in report.problems if p.is_error and p.code.startswith("E6")]
        if secrets:  # a site is published: unlike other errors, a secret stops plain `mkdocs build` too
            from mkdocs.exceptions import PluginError

            raise PluginError(f"the site was not built: {len(secrets)} secret(s) in the knowledge base, first: {secrets[0].format_gnu()}")
        if report.errors:
            first = next(p for p in report.problems if p.is_error)
            log.warning("the knowledge base has %s; first: %s (run `handover validate` for all)", report.summary(), first.format_gnu())

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.nav = nav
        wanted = [uri for uri in self.generated if uri not in self.unchanged]
        self.prerendered = prerender(wanted, config, files, parallel=self.command != "serve")
        return nav

    @event_priority(-100)  # last: the Markdown other plugins leave is what was converted
    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        rendered = self.prerendered.pop(page.file.src_uri, None)
        if rendered is not None and rendered.markdown == markdown:
            install(page, rendered, files)
        return markdown

    @event_priority(-100)  # after every plugin's on_env: pages are final from here on
    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        if self.command == "serve" and env.bytecode_cache is None:
            env.bytecode_cache = self.templates  # a new environment each build: keep the compiled templates
        if self.command != "serve":
            pages = [file.page for file in map(files.get_file_from_path, self.generated) if file is not None and file.page is not None]
            self.parallel.start(pages, config, files, self.nav, env)
        return env

    @event_priority(-100)  # last, on the final HTML
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return squeeze_html(output)

    def on_post_build(self, *, config: Any) -> None:
        self.parallel.finish()
        if self.dirty:
            for uri in self.removed:  # a dirty build leaves every file it does not write: a deleted record's page would still be served
                written = Path(File.generated(config, uri, content="").abs_dest_path)
                written.unlink(missing_ok=True)
                if written.parent != Path(config.site_dir) and written.parent.is_dir() and not any(written.parent.iterdir()):
                    written.parent.rmdir()


def _not_modified() -> bool:
    return False

