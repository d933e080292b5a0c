"""All generated pages of a site and its navigation, independent of MkDocs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase
from handover.site.pages.changes import PAGE as CHANGES_PAGE
from handover.site.pages.changes import changes_title, render_changes_page, show_changes_page
from handover.site.pages.context import SiteContext, record_uri
from handover.site.pages.indexes import Rows, render_dashboard, render_index, render_tags
from handover.site.pages.records import render_record
from handover.site.pages.reports import report_pages
from handover.site.pages.searchdocs import SearchDoc, search_documents
from handover.site.pages.searchindex import FOLDER as SEARCH_FOLDER
from handover.site.pages.searchindex import IndexState, search_files

if TYPE_CHECKING:
    from handover.git.commits import SiteHistory

ASSET_DIR = "_handover"  # where the site's own CSS and JS are written


@dataclass
class GeneratedSite:
    pages: dict[str, str] = field(default_factory=dict)  # source path → Markdown (with generated HTML lines)
    nav: list[Any] = field(default_factory=list)  # MkDocs nav structure
    graph: dict[str, set[str]] = field(default_factory=dict)  # record ref → the records whose pages show something of it
    inputs: tuple[Any, ...] = ()  # what else every page depends on (audience, day, history, links' form…)
    assets: dict[str, str] = field(default_factory=dict)  # the search index's files: path under ASSET_DIR → content
    search_docs: dict[str, list[SearchDoc]] = field(default_factory=dict)  # record ref (or guide page) → its search documents
    search_state: IndexState | None = None  # what the next serve rebuild's search index reuses
    rows: Rows = field(default_factory=dict)  # each record's row in its kind's index table


def neighbours(ctx: SiteContext) -> dict[str, set[str]]:
    """Which record pages show something of which records, both ways: references
    (links and backlinks), charter rules and the responses citing them, holdings."""
    graph: dict[str, set[str]] = {}

    def edge(one: str, other: str) -> None:
        graph.setdefault(one, set()).add(other)
        graph.setdefault(other, set()).add(one)

    for target, links in ctx.links.incoming.items():
        for link in links:
            edge(link.source.ref, target)
    for rule_id, users in ctx.links.rule_users.items():
        rule = ctx.kb.rules.get(rule_id)
        if rule is not None:
            for user in users:
                edge(user.ref, rule.document.ref)
    for person, items in ctx.holdings.items():
        for holding in items:
            edge(f"team/{person}", holding.record.ref)
    return graph


def generate(kb: KnowledgeBase, audience: str, today: dt.date, guide_pages: list[tuple[str, str]], home_intro: str = "",
             history: SiteHistory | None = None, *, directory_urls: bool = True,
             previous: GeneratedSite | None = None, changed: set[str] | None = None, inputs: tuple[Any, ...] = ()) -> GeneratedSite:
    """Every page for this audience. `guide_pages` are (path, title) of the ordinary
    pages the audience may see, in navigation order; `history` (from git, optional)
    adds "last changed" to record pages and a recent-changes page; `directory_urls` is
    MkDocs' use_directory_urls, which decides how links between pages are written.

    With `previous` (the site generated before, from the same `inputs`) and `changed`
    (the refs of the records added, edited or removed since), a record page is
    rendered again only for those records and the records linked to them, before or
    after the change (`serve`), and so is the index page of each of their kinds (with
    only those records' rows made again); the other pages are taken from `previous`.
    The home page is always rendered."""
    ctx = SiteContext(kb, audience, today, history, directory_urls)
    inputs = (audience, today, directory_urls, history, tuple(guide_pages), home_intro, *inputs)
    site = GeneratedSite(graph=neighbours(ctx), inputs=inputs)
    affected: set[str] | None = None
    if previous is not None and changed is not None and previous.inputs == inputs:
        affected = set(changed)
        for ref in changed:
            affected |= site.graph.get(ref, set()) | previous.graph.get(ref, set())
    affected_kinds = {ref.partition("/")[0] for ref in affected or ()}  # their index tables show them
    kept_rows = None
    if previous is not None and affected is not None:  # the rows of the other records are the previous ones
        kept_rows = {ref: row for ref, row in previous.rows.items() if ref not in affected}
        site.rows.update(kept_rows)
    site.pages["index.md"] = render_dashboard(ctx, home_intro)
    site.nav.append({ctx.labels["home"]: "index.md"})
    for kind in KINDS:
        records = ctx.records(kind)
        if not records:
            continue
        index = f"{kind}/index.md"
        kept_index = previous.pages.get(index) if previous is not None and affected is not None and kind not in affected_kinds else None
        site.pages[index] = kept_index if kept_index is not None else render_index(ctx, kind, site.rows, kept_rows)
        site.nav.append({ctx.labels["kind." + kind]: f"{kind}/index.md"})
        for record in records:
            uri = record_uri(record)
            kept = previous.pages.get(uri) if previous is not None and affected is not None and record.ref not in affected else None
            site.pages[uri] = kept if kept is not None else render_record(ctx, record)
    if show_changes_page(ctx):
        site.pages[CHANGES_PAGE] = render_changes_page(ctx)
        site.nav.append({changes_title(ctx): CHANGES_PAGE})
    reports = report_pages(ctx, use_git=history is not None)
    if reports:
        site.pages.update({path: text for path, _, text in reports})
        site.nav.append({ctx.labels["reports"]: [{title: path} for path, title, _ in reports]})
    if guide_pages:
        site.nav.append({ctx.labels["kb_guide"]: [{title: path} for path, title in guide_pages]})
    site.pages["tags.md"] = render_tags(ctx)
    site.nav.append({ctx.labels["tags_page"]: "tags.md"})
    keep = ({ref for ref in previous.search_docs if ref not in affected} if previous is not None and affected is not None else None)
    site.search_docs = search_documents(ctx, guide_pages, previous.search_docs if previous is not None else None, keep)
    files, site.search_state = search_files([doc for docs in site.search_docs.values() for doc in docs], kb.config.language,
                                            previous.search_state if previous is not None and affected is not None else None)
    site.assets = {f"{SEARCH_FOLDER}/{path}": content for path, content in files.items()}
    return site
