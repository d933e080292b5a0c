"""Activity on the site: each account's last post and posts per week against its
cadence (dashboard cells and the account page's section). Internal audience only:
cadence, owners and quiet accounts are the team's business."""

from __future__ import annotations

from handover.activity.analysis import Pulse, ago, spark
from handover.records.model import Record
from handover.site.pages.charts import weekly_chart
from handover.site.pages.context import SiteContext, attr, text
from handover.site.pages.rawhtml import block

LABELS = {
    "en": {
        "activity": "Activity", "last_post": "Last post", "pulse": "Posts a week, 12 weeks", "posts": "posts a week", "cadence": "cadence",
        "none_recorded": "no activity recorded", "no_post": "no post recorded", "rates": "{r4} a week over 4 weeks, {r12} over 12 weeks, for a cadence of {cad} a week",
        "trend": "trend", "rising": "rising", "steady": "steady", "falling": "falling", "state": "State", "todo": "To do",
        "quiet": "quiet", "below": "below cadence", "stale": "too old to tell", "failing": "feed failing", "ok": "fed", "untracked": "not tracked",
        "chart_title": "{account}: posts per week over the last 12 weeks, against a cadence of {cad} a week",
        "chart_title_nocad": "{account}: posts per week over the last 12 weeks",
        "week": "week {week}: {n}", "not_tracked": "not tracked", "sources": "Sources", "read_on": "last read {date}",
        "failing_since": "failing since {date}: {error}", "in_progress": "the last week is still in progress",
    },
    "fr": {
        "activity": "Activité", "last_post": "Dernière publication", "pulse": "Publications par semaine, 12 semaines", "posts": "publications par semaine",
        "cadence": "rythme", "none_recorded": "aucune activité enregistrée", "no_post": "aucune publication enregistrée",
        "rates": "{r4} par semaine sur 4 semaines, {r12} sur 12 semaines, pour un rythme de {cad} par semaine",
        "trend": "tendance", "rising": "en hausse", "steady": "stable", "falling": "en baisse", "state": "État", "todo": "À faire",
        "quiet": "silencieux", "below": "sous le rythme", "stale": "données trop anciennes", "failing": "flux en échec", "ok": "alimenté", "untracked": "non suivi",
        "chart_title": "{account} : publications par semaine sur les 12 dernières semaines, pour un rythme de {cad} par semaine",
        "chart_title_nocad": "{account} : publications par semaine sur les 12 dernières semaines",
        "week": "semaine {week} : {n}", "not_tracked": "non suivie", "sources": "Sources", "read_on": "lu le {date}",
        "failing_since": "en échec depuis le {date} : {error}", "in_progress": "la dernière semaine est en cours",
    },
}


def _t(ctx: SiteContext, key: str, **values: object) -> str:
    table = LABELS.get(ctx.labels.language, LABELS["en"])
    return (table.get(key) or LABELS["en"][key]).format(**values)


def _ago(ctx: SiteContext, days: int | None) -> str:
    if ctx.labels.language != "fr":
        return ago(days)
    return "aujourd'hui" if days == 0 else "hier" if days == 1 else f"il y a {days} jours"


FR_ADVICE = {
    "dormant": "rien : le compte n'est pas alimenté selon un rythme", "archived": "rien : le compte n'est pas alimenté selon un rythme",
    "untracked": "enregistrer ses publications : ajouter feed: si la plateforme a un flux, importer un export (handover pulse --import FICHIER) ou handover log",
    "quiet": "{who} doit publier maintenant, puis l'enregistrer (handover log, un import ou --fetch)",
    "failing": "réparer le flux ({error}) ou retirer feed: et enregistrer les publications autrement",
    "stale": "relire l'activité (handover pulse --fetch, un import ou handover log) avant de juger",
    "below": "{who} publie moins que le rythme : prévoir les publications manquantes, ou revoir le rythme avec la responsable",
    "ok": "rien : alimenté à son rythme",
}


def advice(ctx: SiteContext, p: Pulse) -> str:
    """What to do, in the site's language (the core's sentence in English)."""
    if ctx.labels.language != "fr":
        return p.advice()
    who = p.owner or "le responsable"
    if p.backup:
        who += f" (ou le suppléant, {p.backup})"
    state = p.state if p.state in FR_ADVICE else "dormant"
    return FR_ADVICE[state].format(who=who, error=p.failing[0].error if p.failing else "")


def shown(ctx: SiteContext) -> bool:
    return ctx.audience != "public"


def _rate(ctx: SiteContext, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",") if ctx.labels.language == "fr" else f"{value:.1f}"


def chart(ctx: SiteContext, p: Pulse, small: bool) -> str:
    title_key = "chart_title" if p.per_week else "chart_title_nocad"
    title = _t(ctx, title_key, account=ctx.title(p.account), cad=f"{p.per_week:g}" if p.per_week else "")
    desc = "; ".join(_t(ctx, "week", week=key.split("-W")[1], n=_t(ctx, "not_tracked") if n is None else n) for key, n in p.weeks)
    desc += f" ({_t(ctx, 'in_progress')})"
    return weekly_chart(p.weeks, p.per_week, chart_id=f"{'s' if small else 'l'}-{p.account.id}", title=title, desc=desc,
                        posts_label=_t(ctx, "posts"), cadence_label=_t(ctx, "cadence"), small=small)


def state_badge(ctx: SiteContext, p: Pulse) -> str:
    word = _t(ctx, p.state) if p.state in LABELS["en"] else ctx.labels.value(p.state)
    css = "ho-stale" if p.state in ("quiet", "below", "failing", "stale") else ""
    return f'<strong class="{css}">{text(word)}</strong>' if css else text(word)


def last_post_cell(ctx: SiteContext, p: Pulse) -> str:
    if not p.tracked:
        return text(_t(ctx, "none_recorded"))
    if not p.last_post:
        return text(_t(ctx, "no_post"))
    when = f"{ctx.labels.date(p.last_post)} ({_ago(ctx, p.days_since)})"
    safe = p.last_url.startswith(("https://", "http://"))
    date = f'<a href="{attr(p.last_url)}">{text(when)}</a>' if safe else text(when)
    return f"{date}<br>{state_badge(ctx, p)}" if p.active else date


def pack_line(ctx: SiteContext, p: Pulse) -> str:
    """The account's activity in one Markdown line, for the handover pack."""
    if not p.tracked:
        return f"{_t(ctx, 'activity')}{ctx.colon} {_t(ctx, 'none_recorded')} — {_t(ctx, 'todo').lower()}{ctx.colon} {advice(ctx, p)}"
    last = f"{ctx.labels.date(p.last_post)} ({_ago(ctx, p.days_since)})" if p.last_post else _t(ctx, "no_post")
    state = f" — **{_t(ctx, p.state)}**" if p.active and p.state in LABELS["en"] else ""
    rates = _t(ctx, "rates", r4=_rate(ctx, p.rate4), r12=_rate(ctx, p.rate12), cad=f"{p.per_week:g}" if p.per_week else "–")
    trend = f", {_t(ctx, 'trend')} {_t(ctx, p.trend)}" if p.trend else ""
    return (f"{_t(ctx, 'activity')}{ctx.colon} {_t(ctx, 'last_post').lower()} {last}{state} · {rates}{trend} · `{spark(p)}` "
            f"({_t(ctx, 'pulse').lower()}) · {_t(ctx, 'todo').lower()}{ctx.colon} {advice(ctx, p)}")


def dashboard_section(ctx: SiteContext, uri: str, accounts: list[Record]) -> str:
    """The home page's `### Activity` cards: each account's last post, its state and
    a small chart of posts per week against its cadence; the quiet ones first."""
    found = [ctx.pulses[a.id] for a in accounts if a.id in ctx.pulses]
    order = {"quiet": 0, "below": 1, "failing": 2, "stale": 3, "ok": 4, "untracked": 5}
    cards = []
    for p in sorted(found, key=lambda p: (order.get(p.state, 6), ctx.title(p.account).casefold())):
        owner = p.owner
        who = ""
        if owner and p.active:
            person = ctx.kb.get("team", owner)
            who = f' · {text(ctx.labels["owner"])}{ctx.colon} {ctx.link(uri, person) if person and ctx.visible(person) else text(owner)}'
        body = chart(ctx, p, small=True) if p.tracked else ""
        cards.append(f'<div class="ho-pulse-card" style="flex:0 1 270px;min-width:240px">'
                     f"<p><strong>{ctx.link(uri, p.account)}</strong>{who}<br>{text(_t(ctx, 'last_post'))}{ctx.colon} {last_post_cell(ctx, p)}</p>"
                     f"{body}</div>")
    heading = f"### {_t(ctx, 'activity')}{ctx.colon} {_t(ctx, 'pulse').lower()}\n"
    return heading + block('<div class="ho-pulse-grid" style="display:flex;flex-wrap:wrap;gap:12px 28px">' + "".join(cards) + "</div>")


def account_section(ctx: SiteContext, p: Pulse) -> str:
    """The `## Activity` section of an account's page."""
    out = [f"## {_t(ctx, 'activity')}\n"]
    if not p.tracked:
        return "\n".join(out) + block(f"<p>{text(_t(ctx, 'none_recorded'))}. {text(advice(ctx, p))}</p>")
    items = [f"<li><strong>{text(_t(ctx, 'last_post'))}</strong>{ctx.colon} {last_post_cell(ctx, p)}</li>"]
    if p.per_week or p.rate4 is not None:
        rates = _t(ctx, "rates", r4=_rate(ctx, p.rate4), r12=_rate(ctx, p.rate12), cad=f"{p.per_week:g}" if p.per_week else "–")
        trend = f"; {_t(ctx, 'trend')} {_t(ctx, p.trend)}" if p.trend else ""
        items.append(f"<li>{text(rates + trend)}</li>")
    items.append(f"<li><strong>{text(_t(ctx, 'todo'))}</strong>{ctx.colon} {text(advice(ctx, p))}</li>")
    assert p.activity is not None
    sources = []
    for name, source in sorted(p.activity.sources.items()):
        detail = _t(ctx, "read_on", date=ctx.labels.date(source.last_read)) if source.last_read else ""
        failing = source.extra.get("failing_since")
        if failing:
            detail += " — " + _t(ctx, "failing_since", date=failing, error=source.extra.get("error", ""))
        sources.append(f"<code>{text(name)}</code> ({source.posts}, {text(detail)})")
    items.append(f"<li><strong>{text(_t(ctx, 'sources'))}</strong>{ctx.colon} {', '.join(sources)}</li>")
    out.append(block(f'<figure class="ho-pulse">{chart(ctx, p, small=False)}</figure>'))
    out.append(block("<ul>" + "".join(items) + "</ul>"))
    return "\n".join(out)
