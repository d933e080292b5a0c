"""The pages above the records: the continuity dashboard (home), one filterable,
sortable table per kind, the tags page, and the navigation that lists only these."""

from __future__ import annotations

from collections.abc import Callable

from handover.checks.freshness import review_due
from handover.checks.schema import computed_tier
from handover.records.departure import Held
from handover.records.fieldtypes import Integer
from handover.records.kinds import KINDS
from handover.records.labels import sentence
from handover.records.model import Record
from handover.site.pages import pulse
from handover.site.pages.context import SiteContext, escape, text
from handover.site.pages.departures import checklist_html
from handover.site.pages.rawhtml import block, html_table
from handover.site.pages.records import front_matter

Column = tuple[str, Callable[[SiteContext, Record, str], str]]
Rows = dict[str, list[str]]  # record ref → the cells of its row in its kind's index table
STALE_LIMIT = 60  # the dashboard lists this many overdue records, then counts the rest


def _field(name: str) -> Column:
    def value(ctx: SiteContext, record: Record, uri: str) -> str:
        data = ctx.data(record)
        spec = record.kind.all_fields().get(name)
        return ctx.value(uri, data.get(name), spec.type) if spec and name in data else ""

    return name, value


def _title(ctx: SiteContext, record: Record, uri: str) -> str:
    return ctx.link(uri, record)


def _tier(ctx: SiteContext, record: Record, uri: str) -> str:
    tier = computed_tier(record, ctx.kb) if "audience" in ctx.data(record) else None
    return text(ctx.labels.value(tier)) if tier else ""


def _followers(ctx: SiteContext, record: Record, uri: str) -> str:
    audience = ctx.data(record).get("audience")
    if record.kind.folder == "accounts":
        followers = audience.get("followers") if isinstance(audience, dict) else None
        return ctx.scalar(followers, Integer(0)) if isinstance(followers, int) else ""
    if not isinstance(audience, dict):
        return ""
    total = sum(f.get("followers", 0) for f in audience.values() if isinstance(f, dict) and isinstance(f.get("followers"), int))
    return ctx.scalar(total, Integer(0))


def _rule_count(ctx: SiteContext, record: Record, uri: str) -> str:
    return str(sum(1 for rule in ctx.kb.rules.values() if rule.document is record))


def _last_contact(ctx: SiteContext, record: Record, uri: str) -> str:
    """The later of last_contact and the newest logged exchange."""
    from handover.records.relationships import last_contact

    last = last_contact(record) if "last_contact" in ctx.data(record) or "interactions" in ctx.data(record) else None
    return str(last) if last else ""


def _open_steps(ctx: SiteContext, record: Record, uri: str) -> str:
    departure = ctx.departures.get(str(record.data.get("person", "")).rpartition("/")[2])
    if departure is None:
        return ""
    return ctx.labels["checklist_count"].format(done=len(departure.steps) - len(departure.open_steps), total=len(departure.steps), open=len(departure.open_steps))


COLUMNS: dict[str, list[Column]] = {
    "team": [("name", _title), _field("role"), _field("status"), _field("end"), _field("successor"), _field("email")],
    "accounts": [("handle", _title), _field("platform"), _field("status"), _field("owner"), _field("backup"), _field("cadence"), ("followers", _followers)],
    "contacts": [("name", _title), _field("organization"), _field("department"), _field("escalate_for"), _field("availability"), _field("owner")],
    "influencers": [("name", _title), _field("stance"), ("tier", _tier), _field("handles"), ("followers", _followers), _field("owner"), ("last_contact", _last_contact)],
    "charter": [("title", _title), _field("version"), _field("approved_on"), ("rules_count", _rule_count)],
    "responses": [("title", _title), _field("language"), _field("platforms"), _field("status"), _field("charter")],
    "incidents": [("title", _title), _field("started"), _field("ended"), _field("severity"), _field("status"), _field("owner")],
    "departures": [("person", _title), ("steps", _open_steps)],
}


# The home page's accounts: the platform is in the account's name already.
DASHBOARD_ACCOUNTS: list[Column] = [column for column in COLUMNS["accounts"] if column[0] != "platform"]


def table(ctx: SiteContext, uri: str, records: list[Record], columns: list[Column], rows: Rows | None = None, kept: Rows | None = None) -> str:
    """The records' table; a column empty on every row (fields this audience may not
    see, on the public site) is left out rather than shown blank. A record's cells
    are taken from `kept` when there (serve: rows of records nothing changed) and
    written into `rows`."""
    cells = []
    for record in records:
        row = kept.get(record.ref) if kept is not None else None
        if row is None:
            row = [render(ctx, record, uri) for _, render in columns]
        if rows is not None:
            rows[record.ref] = row
        cells.append(row)
    keep = [i for i in range(len(columns)) if i == 0 or any(row[i] for row in cells)]
    head = [text(ctx.labels[columns[i][0]]) for i in keep]
    return html_table(head, [[row[i] for i in keep] for row in cells])


def render_index(ctx: SiteContext, kind: str, rows: Rows | None = None, kept: Rows | None = None) -> str:
    """A kind's index page; `rows` and `kept` as in `table` (a departure's row counts
    the steps of everything its person holds: never kept)."""
    uri = f"{kind}/index.md"
    records = ctx.records(kind)
    if kind == "incidents":
        records.sort(key=lambda r: str(r.data.get("started", "")), reverse=True)
    out = [front_matter(ctx.labels["kind." + kind], search={"exclude": True}, hide=["toc"]), f"# {ctx.labels['kind.' + kind]}\n"]
    out.append(f"{escape(KINDS[kind].doc)}\n" if ctx.labels.language == "en" else "")
    out.append(block(f'<input class="ho-filter" type="search" placeholder="{text(ctx.labels["filter"])}" aria-label="{text(ctx.labels["filter"])}">'))
    out.append(table(ctx, uri, records, COLUMNS[kind], rows, None if kind == "departures" else kept))
    if kind == "charter":
        out.append(_all_rules(ctx, uri))
    return "\n".join(out)


def _all_rules(ctx: SiteContext, uri: str) -> str:
    items = [f"<li>{ctx.link(uri, rule.document, rule.title, anchor=rule.id)} <code>{text(rule.id)}</code></li>"
             for rule in ctx.kb.rules.values() if ctx.visible(rule.document)]
    return f"## {ctx.labels['all_rules']}\n" + block("<ul>" + "".join(items) + "</ul>")


def render_dashboard(ctx: SiteContext, intro: str = "") -> str:
    """Home page: is every account fed, who is leaving with what, what is open."""
    labels, uri = ctx.labels, "index.md"
    config = ctx.kb.config
    public = ctx.audience == "public"
    out = [front_matter(labels["home"], hide=["toc"]), f"# {escape(config.community)}\n"]
    if config.description:
        out.append(escape(config.description) + "\n")
    if config.as_of is not None:
        note = labels["sample_dated"].format(date=labels.date(config.as_of))
        out.append(block(f'<p class="ho-sample"><strong>{text(note)}</strong></p>'))
    if public:  # say what this page is: not the team's dashboard with its internals blank
        out.append(block(f"<p>{text(labels['public_home'])}</p>"))
    if intro:
        out.append(intro.strip() + "\n")
    if ctx.audience != "public":
        out.append(f"## {labels['leaving_title']}\n")
        out.append(_leaving(ctx, uri))
    out.append(f"## {labels['accounts_title']}\n")
    accounts = [r for r in ctx.records("accounts") if r.data.get("status") != "archived"]
    out.append(table(ctx, uri, accounts, DASHBOARD_ACCOUNTS))
    if pulse.shown(ctx):
        out.append(pulse.dashboard_section(ctx, uri, accounts))
    incidents = [r for r in ctx.records("incidents") if r.data.get("status") in ("open", "monitoring")]
    if incidents:
        out.append(f"## {labels['open_incidents']}\n")
        out.append(table(ctx, uri, incidents, COLUMNS["incidents"]))
    elif not public:  # the public site sees public incidents only: "none" there could be untrue
        out.append(f"## {labels['open_incidents']}\n")
        out.append(block(f"<p>{text(labels['none'])}</p>"))
    if not public:
        out.append(f"## {labels['drafts_title']}\n")
        drafts = [r for r in ctx.records("responses") if r.data.get("status") == "draft"]
        out.append(table(ctx, uri, drafts, [("title", _title), _field("owner"), _field("language")]) if drafts else block(f"<p>{text(labels['none'])}</p>"))
        out.append(f"## {labels['stale_title']}\n")
        out.append(_stale(ctx, uri))
    return "\n".join(out)


def _leaving(ctx: SiteContext, uri: str) -> str:
    """Who leaves (or left with something pending), from the Departure computed once:
    what will have nobody, the access to revoke, and the open steps of the checklist."""
    labels = ctx.labels
    people = []
    for person in ctx.records("team"):
        departure = ctx.departures.get(person.id)
        if departure is None:
            continue
        state, end = departure.state, departure.end
        when = f"{labels['leaves_on']} {labels.date(end)}" if end else labels.value(state)
        if end and state == "leaving":
            when += f" ({labels['in_days'].format(days=(end - ctx.today).days)})"
        plan = (f"{text(labels['successor_named'])}{ctx.colon} {ctx.ref_link(uri, departure.successor, ('team',))}" if departure.successor
                else f"<strong>{text(labels['no_successor'])}</strong>")

        def items(held: tuple[Held, ...], note: str = "") -> str:
            return "".join(f"<li>{text(labels['one.' + h.record.kind.folder])} {ctx.link(uri, h.record)} "
                           f"({text(', '.join(' › '.join(labels[p] for p in role.split('.')) for role in h.roles))}){note}</li>"
                           for h in held if ctx.visible(h.record))

        held = items(departure.no_holder) + items(departure.to_revoke, f" — {text(labels['to_revoke'])}")
        count = sum(1 for h in departure.held if ctx.visible(h.record))
        steps = ""
        if departure.steps:
            steps = f"<p><strong>{text(labels['checklist_title'])}</strong></p>" + checklist_html(ctx, departure, only_open=True)
        people.append(f"<li><strong>{ctx.link(uri, person)}</strong> {text(when)} — {plan}. {text(sentence(labels['holds']))} {count} {text(labels['records_word'])}{ctx.colon}"
                      + (f"<ul>{held}</ul>" if held else "") + steps + "</li>")
    return block(f"<ul>{''.join(people)}</ul>" if people else f"<p>{text(labels['leaving_none'])}</p>")


def _stale(ctx: SiteContext, uri: str) -> str:
    overdue = []
    for kind in KINDS:
        for record in ctx.records(kind):
            due = review_due(record, ctx.kb)
            if due and due < ctx.today:
                overdue.append((due, record))
    if not overdue:
        return block(f"<p>{text(ctx.labels['none'])}</p>")
    overdue.sort(key=lambda item: item[0])
    items = [f"<li>{ctx.link(uri, r)} ({text(ctx.labels['one.' + r.kind.folder])}) — {text(ctx.labels['overdue_since'])} {ctx.labels.date(due)}</li>"
             for due, r in overdue[:STALE_LIMIT]]
    if len(overdue) > STALE_LIMIT:
        items.append(f"<li>… +{len(overdue) - STALE_LIMIT}</li>")
    return block("<ul>" + "".join(items) + "</ul>")


def render_tags(ctx: SiteContext) -> str:
    return front_matter(ctx.labels["tags_page"], search={"exclude": True}) + f"# {ctx.labels['tags_page']}\n\n<!-- material/tags -->\n"
