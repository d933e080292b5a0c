"""The departure and the relationships on the site: a person's checklist (on the
dashboard, on their page, on their checklist's page) and a relationship's last
exchanges (on the contact's or influencer's page)."""

from __future__ import annotations

from handover.records.departure import Departure
from handover.records.model import Record
from handover.records.relationships import interactions, last_contact, silence
from handover.site.pages.context import SiteContext, text
from handover.site.pages.rawhtml import block, html_table

LAST_EXCHANGES = 5
STATE_MARK = {"done": "✓", "waived": "–", "todo": "☐"}


def checklist_html(ctx: SiteContext, departure: Departure, *, only_open: bool = False) -> str:
    """The steps as a list (HTML, not yet a block): state, what to do, who did it when."""
    labels = ctx.labels
    done = len(departure.steps) - len(departure.open_steps)
    summary = labels["checklist_count"].format(done=done, total=len(departure.steps), open=len(departure.open_steps))
    late = f' <strong class="ho-stale">{text(labels["checklist_late"])}</strong>' if departure.overdue_steps else ""
    items = []
    for step in departure.steps:
        if only_open and step.state != "todo":
            continue
        extra = ""
        if step.state != "todo":
            extra = f" — {text(labels.value(step.state))}" + (f" {text(labels['by'].lower())} {text(step.by)}" if step.by else "") + (f", {step.on}" if step.on else "")
            if step.why:
                extra += f" ({text(labels['why'].lower())}{ctx.colon} {text(step.why)}" + (f", {text(labels['decided_by'].lower())} {text(step.decided_by)}" if step.decided_by else "") + ")"
        elif step.after_end:
            extra = f" <em>({text(labels['after_end'].lower())})</em>"
        items.append(f'<li data-step="{text(step.id)}" data-state="{step.state}">{STATE_MARK.get(step.state, "☐")} {text(step.title)}{extra} <code>{text(step.id)}</code></li>')
    how = text(labels["checklist_how"].format(person=departure.person.id))
    return f"<p>{text(summary)}.{late}</p><ul class=\"ho-checklist\">{''.join(items)}</ul><p><small>{how}</small></p>"


def person_checklist(ctx: SiteContext, record: Record) -> list[str]:
    """On a team member's page (and their checklist's page): the checklist, if they leave."""
    if ctx.audience == "public":
        return []
    person_id = record.id if record.kind.folder == "team" else str(record.data.get("person", "")).rpartition("/")[2]
    departure = ctx.departures.get(person_id)
    if departure is None or not departure.steps:
        return []
    return [f"## {ctx.labels['checklist_title']}\n", block(checklist_html(ctx, departure))]


def exchanges(ctx: SiteContext, record: Record, uri: str) -> list[str]:
    """On a contact's or influencer's page: the last exchanges of its log, the last
    contact derived from it, and whether the relationship is silent too long."""
    if record.kind.folder not in ("contacts", "influencers") or ctx.audience == "public":
        return []
    labels = ctx.labels
    logged = interactions(record)
    last = last_contact(record)
    lines = []
    if last is not None:
        line = f"<p>{text(labels['derived_last_contact'].capitalize())}{ctx.colon} {last}"
        quiet = silence(record, ctx.kb, ctx.today)
        if quiet is not None:
            line += f' — <strong class="ho-stale">{text(labels["silent_since"].format(days=quiet.interval.days))}</strong>'
        lines.append(line + "</p>")
    if logged:
        rows = [[str(i.date), text(i.channel), ctx.ref_link(uri, i.who, ("team",)) if i.who else "", text(i.note)] for i in logged[:LAST_EXCHANGES]]
        lines.append(html_table([text(labels["date"]), text(labels["channel"]), text(labels["who"]), text(labels["note"])], rows))
    if not lines:
        return []
    return [f"## {labels['last_exchanges']}\n", *(block(line) if line.startswith("<p>") else line for line in lines)]
