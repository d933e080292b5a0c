"""What the site shows from git: "last changed" on every record page and a "recent
changes" page. Both come from one SiteHistory (history.site_history: one `git log`
pass for the whole build); without git the site simply has neither.

The public audience gets dates only: commit messages and authors' names are internal.
"""

from __future__ import annotations

import os

from handover.git.changes import classify
from handover.records.model import Record
from handover.site.pages.context import SiteContext, text
from handover.site.pages.rawhtml import html_table

PAGE = "changes.md"
FILES_SHOWN = 8  # records listed per commit on the recent-changes page, then "+N"

TEXTS = {
    "en": {"title": "Recent changes", "last_changed": "last changed on", "by": "by", "date": "Date", "author": "Author",
           "message": "Change", "records": "Records", "more": "more",
           "intro": "The newest commits that changed the knowledge base (`handover changes` and `handover history ID` give the detail, field by field).",
           "added": "added", "removed": "removed"},
    "fr": {"title": "Modifications récentes", "last_changed": "modifiée le", "by": "par", "date": "Date", "author": "Auteur",
           "message": "Modification", "records": "Fiches", "more": "de plus",
           "intro": "Les derniers commits qui ont modifié la base (le détail champ par champ : `handover changes` et `handover history ID`).",
           "added": "ajoutée", "removed": "supprimée"},
}


def _texts(ctx: SiteContext) -> dict[str, str]:
    return TEXTS.get(ctx.labels.language, TEXTS["en"])


def last_changed_line(ctx: SiteContext, record: Record) -> str:
    """` · last changed on 1 April 2026 by Léa Martin` for the record's header line."""
    if ctx.history is None:
        return ""
    path, root = str(record.path), str(ctx.kb.root) + os.sep
    relative = path[len(root):] if path.startswith(root) else os.path.relpath(path, ctx.kb.root)  # no relpath for 10k pages
    change = ctx.history.last.get(relative.replace(os.sep, "/"))
    if change is None:
        return ""
    texts = _texts(ctx)
    who = f" {texts['by']} {text(change.author)}" if ctx.audience != "public" else ""
    return f" · {texts['last_changed']} {ctx.labels.date(change.date)}{who}"


def changes_title(ctx: SiteContext) -> str:
    return _texts(ctx)["title"]


def show_changes_page(ctx: SiteContext) -> bool:
    return ctx.history is not None and ctx.audience != "public" and bool(ctx.history.recent)


def render_changes_page(ctx: SiteContext) -> str:
    """A table of the newest commits: date, author, message, the records they touched."""
    from handover.site.pages.records import front_matter  # records.py imports this module

    assert ctx.history is not None
    texts = _texts(ctx)
    rows = []
    for item in ctx.history.recent:
        commit = item.commit
        names = []
        for file in item.files[:FILES_SHOWN]:
            kind, ident = classify(file.path)
            record = ctx.kb.get(kind, ident) if kind else None
            if file.status == "D" or record is None:
                label = text(f"{kind}/{ident}" if kind else file.path)
                names.append(f"<del>{label}</del>" if file.status == "D" else label)
            elif ctx.visible(record):
                names.append(ctx.link(PAGE, record) + (f" ({texts['added']})" if file.status == "A" else ""))
        if len(item.files) > FILES_SHOWN:
            names.append(f"+{len(item.files) - FILES_SHOWN} {texts['more']}")
        rows.append([f"{commit.date:%Y-%m-%d}", text(commit.author), text(commit.subject), ", ".join(names)])
    head = [text(texts[name]) for name in ("date", "author", "message", "records")]
    return front_matter(texts["title"]) + f"# {texts['title']}\n\n{texts['intro']}\n" + html_table(head, rows)
