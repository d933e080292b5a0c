"""One page per record: every visible field in readable form, the text of Markdown
records, links both ways, and when it was last reviewed.

Headings and the prose people wrote are Markdown; the structure around them is
generated HTML (rawhtml.block), which Markdown passes through without parsing."""

from __future__ import annotations

import json
from typing import Any

from handover.checks.freshness import review_due
from handover.records.audience import BODY, field_visible
from handover.records.fieldtypes import Obj, Text
from handover.records.model import Record
from handover.records.replies import platform_length, render
from handover.site.pages import pulse
from handover.site.pages.changes import last_changed_line
from handover.site.pages.context import SiteContext, escape, record_uri, text
from handover.site.pages.departures import exchanges, person_checklist
from handover.site.pages.prose import field_markdown
from handover.site.pages.rawhtml import block, html_table

# Fields shown elsewhere on the page than in the facts table.
SPECIAL = {"tags", "visibility", "field_visibility", "variables", "actions", "reviewed_on", "review_every", "interactions", "steps"}


def front_matter(title: str, tags: list[str] | None = None, **extra: Any) -> str:
    meta: dict[str, Any] = {"title": title}
    if tags:
        meta["tags"] = tags
    meta.update(extra)
    # JSON is valid YAML: no quoting surprises whatever the title holds.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def render_record(ctx: SiteContext, record: Record) -> str:
    uri = record_uri(record)
    labels = ctx.labels
    data = ctx.data(record)
    fields = record.kind.all_fields()
    tags = [t for t in data.get("tags", []) if isinstance(t, str)] if isinstance(data.get("tags"), list) else []
    title = ctx.title(record)
    out = [front_matter(title, tags), f"# {escape(title)}\n"]
    out.append(block(f'<p class="ho-kind">{text(labels["one." + record.kind.folder])} · <code>{record.id}</code>{_review_line(ctx, record)}{last_changed_line(ctx, record)}</p>'))
    out.extend(_alerts(ctx, record))
    short = [f for name, f in fields.items() if name not in SPECIAL and not (isinstance(f.type, Text) and f.type.multiline)]
    rows = ctx.field_rows(uri, record, short)
    text_first = record.kind.folder == "responses"  # the newcomer came for the text
    if text_first and record.body and field_visible(record, BODY, ctx.audience):
        out.append(_body(ctx, record, uri))
    if rows:
        out.append(html_table([text(labels["field"]), text(labels["value"])], [list(row) for row in rows], wrapper="ho-facts"))
    if record.kind.folder == "accounts" and pulse.shown(ctx) and record.id in ctx.pulses:
        out.append(pulse.account_section(ctx, ctx.pulses[record.id]))
    for name, spec in fields.items():
        if isinstance(spec.type, Text) and spec.type.multiline and isinstance(data.get(name), str):
            out.append(f"## {labels[name]}\n\n{field_markdown(data[name])}\n")
    if not text_first and record.kind.is_markdown and record.body and field_visible(record, BODY, ctx.audience):
        out.append(_body(ctx, record, uri))
    if isinstance(data.get("actions"), list):
        out.append(_actions(ctx, record, uri, data["actions"]))
    out.extend(exchanges(ctx, record, uri))
    out.extend(person_checklist(ctx, record))
    out.extend(_holdings(ctx, record, uri))
    out.extend(_mentions(ctx, record, uri))
    return "\n".join(out)


def _review_line(ctx: SiteContext, record: Record) -> str:
    if not field_visible(record, "reviewed_on", ctx.audience):
        return ""
    labels = ctx.labels
    reviewed = record.date("reviewed_on")
    if reviewed is None:
        return f' · <span class="ho-stale">{text(labels["never_reviewed"])}</span>'
    due = review_due(record, ctx.kb)
    line = f" · {text(labels['reviewed_on'])}{ctx.colon} {labels.date(reviewed)}"
    if due and due < ctx.today:
        return line + f' · <span class="ho-stale">{text(labels["overdue_since"])} {labels.date(due)}</span>'
    return line + (f" · {text(labels['review_due'])} {labels.date(due)}" if due else "")


def _alerts(ctx: SiteContext, record: Record) -> list[str]:
    """A warning box when the record is held by someone leaving or gone."""
    if ctx.audience == "public":
        return []
    lines = []
    by_person: dict[str, list[Any]] = {}
    for holding in ctx.holdings_by_record.get(id(record), []):
        by_person.setdefault(holding.person, []).append(holding)
    for person_id, mine in by_person.items():
        person = ctx.kb.get("team", person_id)
        if person is None:
            continue
        state, end = ctx.departure(person)
        if state == "staying":
            continue
        roles = ", ".join(sorted({ctx.labels[h.role.split(".")[-1]] for h in mine}))
        when = f"{ctx.labels['leaves_on']} {ctx.labels.date(end)}" if end else ctx.labels.value(state)
        successor = person.data.get("successor")
        plan = f"{ctx.labels['successor_named']}{ctx.colon} {successor}" if isinstance(successor, str) else ctx.labels["no_successor"]
        kind = "danger" if state == "gone" else "warning"
        # As the admonition extension writes `!!! warning "title"`, so Material styles it.
        lines.append(block(f'<div class="admonition {kind}"><p class="admonition-title">{text(person.title)} — {text(roles)}</p>'
                           f"<p>{text(person.title)} {text(when)}{ctx.colon} {text(plan)}.</p></div>"))
    return lines


def _body(ctx: SiteContext, record: Record, uri: str) -> str:
    body = (record.body or "").strip()
    if record.kind.folder == "responses":
        return _response_text(ctx, record, body)
    if record.kind.folder == "charter":
        return _charter_body(ctx, record, uri, (record.body or "").rstrip()) + "\n"
    return body + "\n"


def _response_text(ctx: SiteContext, record: Record, body: str) -> str:
    """The text in a copyable block, its variables, and whether it fits each platform."""
    labels = ctx.labels
    declared = record.data.get("variables")
    variables: dict[str, Any] = declared if isinstance(declared, dict) else {}
    fence = "````" if "```" in body else "```"
    out = [f"## {labels['text_title']}\n"]
    if record.data.get("status") == "draft":  # said where the newcomer copies from, not only in the table below
        out.append(block(f'<p class="ho-draft">{text(labels["draft_notice"])}</p>'))
    # The wrapper lets the text wrap like the message it will become (handover.css).
    out.extend([block('<div class="ho-copy-text">'), f"{fence}text\n{body}\n{fence}\n", block("</div>")])
    if variables:
        rows = [[f"<code>{{{text(name)}}}</code>", text(str(spec.get("description", ""))), text(str(spec.get("default", spec.get("fallback", ""))))]
                for name, spec in ((name, spec if isinstance(spec, dict) else {}) for name, spec in variables.items())]
        out.append(html_table([text(labels["variables"]), text(labels["description"]), text(labels["default"])], rows))
    rendered = render(body, variables)
    fits = []
    for platform in record.data.get("platforms") or []:
        spec = ctx.kb.config.platforms.get(platform) if isinstance(platform, str) else None
        if spec and spec.limit:
            length = platform_length(rendered, spec.name)  # X counts links as 23
            verdict = "✓" if length <= spec.limit else f"✗ {text(labels['too_long'])}"
            fits.append(f"{text(spec.label)} {verdict} ({length}/{spec.limit})")
    if fits:
        out.append(block(f"<p><em>{text(labels['characters'])}{ctx.colon}</em> " + " · ".join(fits) + "</p>"))
    return "\n".join(out)


def _charter_body(ctx: SiteContext, record: Record, uri: str, body: str) -> str:
    """The charter text, each rule followed by the responses that apply it."""
    lines = body.splitlines()
    out: list[str] = []
    current: str | None = None
    rules = {rule.line - record.body_line: rule for rule in ctx.kb.rules.values() if rule.document is record}

    def applied(rule_id: str | None) -> None:
        if not rule_id:
            return
        users = [r for r in ctx.links.rule_users.get(rule_id, []) if ctx.visible(r)]
        if users:
            links = " · ".join(ctx.link(uri, r) for r in sorted(users, key=lambda r: ctx.title(r).casefold()))
            out.append(block(f'<p class="ho-applied">{text(ctx.labels["applied_by"])}{ctx.colon} {links}</p>'))

    for index, line in enumerate(lines):
        rule = rules.get(index)
        if line.startswith("## "):
            applied(current)
            current = rule.id if rule else None
        out.append(line)
    applied(current)
    return "\n".join(out)


def _actions(ctx: SiteContext, record: Record, uri: str, actions: list[Any]) -> str:
    labels = ctx.labels
    spec = record.kind.all_fields()["actions"].type
    item = getattr(spec, "item", None)
    item_fields = item.by_name() if isinstance(item, Obj) else {}
    rows = []
    for action in actions:
        if not isinstance(action, dict):
            continue
        owner = ctx.value(uri, action.get("owner"), item_fields["owner"].type) if "owner" in item_fields else ""
        done = labels.value("yes") if action.get("done") else labels.value("no")
        due = ctx.scalar(action.get("due"), item_fields["due"].type) if action.get("due") else ""
        rows.append([text(str(action.get("action", ""))), owner, due, text(done)])
    head = [text(labels[name]) for name in ("action", "owner", "due", "done")]
    return f"## {labels['actions']}\n" + html_table(head, rows)


def _holdings(ctx: SiteContext, record: Record, uri: str) -> list[str]:
    """On a team member's page: everything they are responsible for."""
    if record.kind.folder != "team" or ctx.audience == "public":
        return []
    items = [h for h in ctx.holdings.get(record.id, []) if ctx.visible(h.record)]
    if not items:
        return []
    grouped: dict[int, tuple[Record, list[str]]] = {}  # one row per record, all its roles in it
    for holding in sorted(items, key=lambda h: (h.record.kind.folder, ctx.title(h.record).casefold())):
        role = " › ".join(ctx.labels[p] for p in holding.role.split("."))
        roles = grouped.setdefault(id(holding.record), (holding.record, []))[1]
        if role not in roles:
            roles.append(role)
    rows = [[f"{text(ctx.labels['one.' + held.kind.folder])}{ctx.colon} {ctx.link(uri, held)}", text(", ".join(roles))] for held, roles in grouped.values()]
    return [f"## {ctx.labels['holds_title']}\n" + html_table([text(ctx.labels["record"]), text(ctx.labels["role"])], rows)]


def _mentions(ctx: SiteContext, record: Record, uri: str) -> list[str]:
    """Records that name this one, grouped by kind."""
    links = [link for link in ctx.links.to(record) if ctx.visible(link.source) and field_visible(link.source, link.field, ctx.audience)]
    if record.kind.folder == "team" and ctx.audience != "public":  # already listed under what they hold
        held = {id(h.record) for h in ctx.holdings.get(record.id, [])}
        links = [link for link in links if id(link.source) not in held]
    if not links:
        return []
    by_kind: dict[str, dict[str, tuple[Record, set[str]]]] = {}
    for link in links:
        entry = by_kind.setdefault(link.source.kind.folder, {}).setdefault(link.source.ref, (link.source, set()))
        entry[1].add(ctx.labels[link.field])
    items = []
    for kind, entries in by_kind.items():
        ordered = sorted(entries.values(), key=lambda e: ctx.title(e[0]).casefold())
        rendered = ", ".join(f"{ctx.link(uri, source)} ({text(', '.join(sorted(fields)))})" for source, fields in ordered)
        items.append(f"<li><strong>{text(ctx.labels['kind.' + kind])}</strong>{ctx.colon} {rendered}</li>")
    return [f"## {ctx.labels['referenced_by']}\n" + block("<ul>" + "".join(items) + "</ul>")]
