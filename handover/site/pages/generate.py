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
from handover.site.pages.indexes import render_dashboard, render_index, render_tags
from handover.site.pages.records import render_record

if TYPE_CHECKING:
    from handover.git.history import SiteHistory

ASSET_DIR = "_handover"  # where the site's own CSS and JS are written


@dataclass
class GeneratedSite:
    pages: dict[str, str] = field(default_factory=dict)  # source path → Markdown (with generated HTML lines)
    nav: list[Any] = field(default_factory=list)  # MkDocs nav structure


def generate(kb: KnowledgeBase, audience: str, today: dt.date, guide_pages: list[tuple[str, str]], home_intro: str = "",
             history: SiteHistory | None = None, *, directory_urls: bool = True) -> GeneratedSite:
    """Every page for this audience. `guide_pages` are (path, title) of the ordinary
    pages the audience may see, in navigation order; `history` (from git, optional)
    adds "last changed" to record pages and a recent-changes page; `directory_urls` is
    MkDocs' use_directory_urls, which decides how links between pages are written."""
    ctx = SiteContext(kb, audience, today, history, directory_urls)
    site = GeneratedSite()
    site.pages["index.md"] = render_dashboard(ctx, home_intro)
    site.nav.append({ctx.labels["home"]: "index.md"})
    for kind in KINDS:
        records = ctx.records(kind)
        if not records:
            continue
        site.pages[f"{kind}/index.md"] = render_index(ctx, kind)
        site.nav.append({ctx.labels["kind." + kind]: f"{kind}/index.md"})
        for record in records:
            site.pages[record_uri(record)] = render_record(ctx, record)
    if show_changes_page(ctx):
        site.pages[CHANGES_PAGE] = render_changes_page(ctx)
        site.nav.append({changes_title(ctx): CHANGES_PAGE})
    if guide_pages:
        site.nav.append({ctx.labels["kb_guide"]: [{title: path} for path, title in guide_pages]})
    site.pages["tags.md"] = render_tags(ctx)
    site.nav.append({ctx.labels["tags_page"]: "tags.md"})
    return site
