"""What the site's search knows of each page: records, charter rules, guide pages.

One search document per page a reader may land on (a charter rule is its own
document, at its anchor), with its fields apart so that searchindex.py can weigh them:
the title, a response's situations (`when`), keywords (tags, topics, an account's
platform), the other short fields (a person's role, a handle) and the prose. Only
what this audience sees goes in: the fields come through the site context's
audience filter, as the pages do; credentials' values never (search/documents.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from handover.records.model import Record
from handover.search.documents import record_documents
from handover.site.pages.context import SiteContext, page_url, record_uri
from handover.site.pages.guide import page_meta, strip_front_matter

PREVIEW_CHARS = 160
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP_RE = re.compile(r"[*_`>#|]+|\{#[^}]*\}|<[^>]+>|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)
_RULE_LINE_RE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$", re.MULTILINE)  # a table's |---|---| line
_SPACE_RE = re.compile(r"\s+")
_CELLS_RE = re.compile(r"(?:\s*·)+\s*")
_HEADING_RE = re.compile(r"^#{1,6}\s.*$", re.MULTILINE)


@dataclass
class SearchDoc:
    title: str
    url: str  # relative to the site's root
    label: str  # the kind, as the navigation says it
    preview: str
    ref: str  # kind/id, or charter/DOC#rule: what the evaluation names
    fields: dict[str, str] = field(default_factory=dict)
    counted: dict[str, Counter[str]] | None = None  # each field's index keys, counted once (searchindex.weights)
    # its weight per key, and the field lengths those weights were computed against
    # (searchindex.weights): a `serve` rebuild reuses them while those lengths hold
    scored: tuple[tuple[float, ...], dict[str, int]] | None = None


def plain_text(markdown: str) -> str:
    """Markdown as a sentence reads: links' words kept, markup and table rules gone,
    a table's cells kept apart (` · `), whitespace as one space."""
    text = _RULE_LINE_RE.sub(" ", markdown)
    text = _LINK_RE.sub(r"\1", text)
    text = re.sub(r"\s*\|\s*", " · ", text)
    text = _MARKUP_RE.sub(" ", text)
    text = _CELLS_RE.sub(" · ", text)  # a row's last cell and the next row's first
    return _SPACE_RE.sub(" ", text).strip(" ·")


def preview_of(*texts: str) -> str:
    """The first of `texts` with words in it, cut at a word near PREVIEW_CHARS; headings
    are left out (a guide page's title, an incident's `## Résumé` before its text)."""
    for text in texts:
        plain = plain_text(_HEADING_RE.sub("", text))
        if plain:
            if len(plain) <= PREVIEW_CHARS:
                return plain
            return plain[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"
    return ""


def search_documents(ctx: SiteContext, guide_pages: list[tuple[str, str]], previous: dict[str, list[SearchDoc]] | None = None,
                     keep: set[str] | None = None) -> dict[str, list[SearchDoc]]:
    """Every page of the site a search may lead to, for this audience, by record ref
    (or guide page path). The records in `keep` take their documents from `previous`
    (`serve`: the records no edit touched), with the keys already counted."""
    docs: dict[str, list[SearchDoc]] = {}
    for kind in ctx.kb.records:
        # by id, not in the site's order (titles): the documents' numbers then stay put
        # when a record is renamed, and a `serve` rebuild rewrites only its keys' postings
        for record in sorted(ctx.records(kind), key=lambda r: r.id):
            kept = previous.get(record.ref) if previous is not None and keep is not None and record.ref in keep else None
            docs[record.ref] = kept if kept is not None else _record_docs(ctx, record)
    for uri, title in guide_pages:
        path = Path(ctx.kb.root) / uri
        if not path.is_file():
            continue
        body = strip_front_matter(path.read_text(encoding="utf-8"))
        meta, _ = page_meta(path)
        docs[uri] = [SearchDoc(title, page_url(uri, ctx.directory_urls), ctx.labels["search_page"], preview_of(body), uri[: -len(".md")],
                               {"title": title, "keywords": " ".join(str(t) for t in meta.get("tags") or []), "body": plain_text(body)})]
    return docs


def _record_docs(ctx: SiteContext, record: Record) -> list[SearchDoc]:
    url = page_url(record_uri(record), ctx.directory_urls)
    data = ctx.data(record)
    flat = record_documents(record.kind, record.id, str(record.path), data, record.body or "")
    docs = []
    for index, doc in enumerate(flat):
        if index == 0:
            title = ctx.title(record)
            body = doc.get("body", "")
            if record.kind.folder == "charter":
                body = body.split("\n## ", 1)[0]  # the rules are documents of their own
            keywords = " ".join(filter(None, [doc.get("keywords", ""), _own_platform(ctx, record)]))
            label, ref, page = ctx.labels["kind." + record.kind.folder], record.ref, url
            when = doc.get("when", "")
        else:
            title, body, keywords = doc["title"], doc.get("body", ""), ""
            label, ref, page = ctx.labels["search_rule"], doc["ref"], f"{url}#{doc['id']}"
            when = ""
        situations = " · ".join(line for line in when.split(" \n") if line)
        fields = {"title": title, "when": when, "keywords": keywords, "platform": doc.get("platform", ""),
                  "text": doc.get("text", "") if index == 0 else "", "body": plain_text(body)}
        docs.append(SearchDoc(title, page, label, preview_of(situations, body, doc.get("text", "")), ref,
                              {name: value for name, value in fields.items() if value}))
    return docs


def _own_platform(ctx: SiteContext, record: Record) -> str:
    """An account's platform, by its id and its label (`tiktok`, `TikTok`): what a
    reader types to find the account."""
    if record.kind.folder != "accounts":
        return ""
    name = str(record.data.get("platform", ""))
    platform = ctx.kb.config.platforms.get(name)
    return f"{name} {platform.label}" if platform else name
