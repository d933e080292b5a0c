"""The weekly report in HTML: one document with inline styles (a browser, an e-mail: no
script, nothing fetched), and the site's "Reports" pages. Both carry the pygal charts
(through charts.py) and take their text from report/text.py, the one source of the
report's wording.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from handover.records.model import Record
from handover.report.continuity import continuity_status
from handover.report.model import WeeklyReport, last_weeks, weekly_reports
from handover.report.text import SharedParts, Words, labels, long_date, noise_table, render_markdown, sections
from handover.site.pages.charts import mentions_chart, weekly_chart
from handover.site.pages.context import SiteContext
from handover.site.pages.rawhtml import block

FOLDER = "reports"
WEEKS = 12

STYLE = {
    "body": "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;max-width:46em;margin:1em auto;line-height:1.5",
    "h1": "font-size:1.5em;margin:0 0 .2em", "h2": "font-size:1.2em;border-bottom:1px solid #c4c4c4;margin:1.4em 0 .4em",
    "h3": "font-size:1em;margin:.8em 0 .2em", "p": "margin:.2em 0", "none": "color:#555;font-style:italic;margin:.2em 0",
    "tile": "display:inline-block;vertical-align:top;margin:0 1.2em .4em 0",  # the accounts' small charts side by side
}


def render_html(report: WeeklyReport, language: str) -> str:
    """A whole document with inline styles only, so it survives being pasted into an e-mail."""
    language, t = labels(language)
    e = _escaper(language)
    title = f"{report.community} — {t['title'].format(label=report.span.label)}"
    out = [f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n<title>{e(title)}</title>\n</head>',
           f'<body style="{STYLE["body"]}">', f'<h1 style="{STYLE["h1"]}">{e(title)}</h1>',
           f'<p style="{STYLE["p"]}">{e(t["span"].format(start=long_date(report.span.start, language), end=long_date(report.span.end, language)))}</p>']
    for index, (section_title, parts) in enumerate(sections(report, language, sparkline=False)):  # HTML has charts
        out.append(f'<h2 style="{STYLE["h2"]}">{e(section_title)}</h2>')
        if index == 0:
            out.extend(_charts(report, language))
        for part in parts:
            if not part.title and not part.lines:
                continue
            if part.title:
                out.append(f'<h3 style="{STYLE["h3"]}">{e(part.title)}</h3>')
            if part.before:
                out.append(f'<p style="{STYLE["p"]}">{e(part.before)}</p>')
            if part.lines:
                out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in part.lines) + "</ul>")
            else:
                out.append(f'<p style="{STYLE["none"]}">{e(t["none"])}</p>')
            if part.after:
                out.append(f'<p style="{STYLE["none"]}">{e(part.after)}</p>')
        if section_title == t["noise"] and report.noise.configured:  # after the period's counts and the feeds' notes
            out.extend(noise_html(report, t, "report-noise"))
    if report.notes:
        words = Words(report, language)
        out.append(f'<h2 style="{STYLE["h2"]}">{e(t["notes"])}</h2><ul>' + "".join(f"<li>{e(words.note(n))}</li>" for n in report.notes) + "</ul>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _escaper(language: str) -> Callable[[str], str]:
    """HTML text; in French, a no-break space before : ; ? ! so that a line never
    starts with one ("Rythme : 5 par semaine" wraps as a whole)."""
    if language != "fr":
        return html.escape
    return lambda text: re.sub(r" ([:;?!])", "\u00a0\\1", html.escape(text))


def _charts(report: WeeklyReport, language: str) -> list[str]:
    """One inline SVG chart per tracked account (pygal, through site/pages/charts.py),
    with its text alternative: no script, nothing fetched."""
    t, words = labels(language)[1], Words(report, language)
    out = []
    for a in report.accounts:
        pulse = a["pulse"]
        if not a["tracked"]:
            continue
        name = words.record(a["account"])
        desc = "; ".join(f"{key}: {'–' if count is None else count}" for key, count in pulse.weeks)
        out.append(f'<div style="{STYLE["tile"]}"><p style="{STYLE["h3"]}">{html.escape(name)}</p>')
        out.append(weekly_chart(pulse.weeks, pulse.per_week, chart_id=f"report-{a['account'].id}", title=f"{name} — {t['chart']}", desc=desc,
                                posts_label=t["posts"].format(n="").strip(), cadence_label=t["cadence"], small=True,
                                last_partial=False) + "</div>")
    return out


def noise_html(report: WeeklyReport, t: dict[str, str], chart_id: str) -> list[str]:
    """The 12 weeks of mentions: a pygal chart, then the same figures as a table (the
    chart's text alternative, readable without it)."""
    e = html.escape
    header, rows = noise_table(report, t)
    desc = "; ".join(f"{row[0]}: " + ", ".join(f"{name} {count}" for name, count in zip(header[1:], row[1:], strict=True)) for row in rows)
    chart = mentions_chart(report.noise.weeks, report.noise.per_week, chart_id=chart_id, title=t["noise_weeks"], desc=desc)
    cell = 'style="border-bottom:1px solid #ddd;padding:.1em .6em;text-align:right"'
    head = "".join(f'<th scope="col" {cell}>{e(h)}</th>' for h in header)
    body = "".join("<tr>" + f'<th scope="row" {cell}>{e(row[0])}</th>' + "".join(f"<td {cell}>{e(c)}</td>" for c in row[1:]) + "</tr>" for row in rows)
    return [f'<h3 style="{STYLE["h3"]}">{e(t["noise_weeks"])}</h3>', chart,
            f'<table style="border-collapse:collapse;margin:.4em 0"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>']


def report_pages(ctx: SiteContext, use_git: bool) -> list[tuple[str, str, str]]:
    """The site's reports: (page path, title in the navigation, Markdown) for each of
    the 12 complete weeks before the judging day, newest first, internal sites only.
    One continuity view and one opened repository serve the 12 weeks; records this
    audience may not see are left out of each report."""
    if ctx.audience == "public":
        return []
    language, t = labels(ctx.labels.language)
    pages = []
    # the site has judged the pulses and listed the holdings already: the reports' view reuses them
    view = continuity_status(ctx.kb, ctx.today, known_pulses=list(ctx.pulses.values()), known_holdings=ctx.holdings)
    seen: dict[str, Any] = {}  # the AS_OF_TODAY lists, filtered for this audience once for the 12 weeks
    worded: SharedParts = {}  # and worded once
    for report in weekly_reports(ctx.kb, last_weeks(ctx.today, WEEKS), ctx.today, use_git, view):
        shown = _visible(ctx, report, seen)
        text = render_markdown(shown, language, sparkline=False, shared=worded)
        animation = f"## {t['animation']}\n\n"
        text = text.replace(animation, animation + block("".join(_charts(shown, language))), 1)
        if report.noise.configured:
            heading = f"### {t['noise_weeks']}\n"
            chart = block(noise_html(report, t, f"noise-{report.span.label}")[1])
            text = text.replace(heading, heading + chart, 1)
        pages.append((f"{FOLDER}/{report.span.label}.md", report.span.label, text))
    return pages


def _visible(ctx: SiteContext, report: WeeklyReport, as_of_today: dict[str, Any]) -> WeeklyReport:
    """The report without the records this site's audience may not see (restricted
    ones). `as_of_today` keeps the AS_OF_TODAY lists filtered for the first report,
    for the next ones of the same `weekly_reports` call."""
    def seen(records: list[Record]) -> list[Record]:
        return [r for r in records if ctx.visible(r)]

    if not as_of_today:
        as_of_today.update(
            still_open=seen(report.still_open), silent=[(r, day) for r, day in report.silent if ctx.visible(r)],
            review_overdue=[(day, r) for day, r in report.review_overdue if ctx.visible(r)],
            leaving=[{**p, "held": seen(p["held"])} for p in report.leaving if ctx.visible(p["person"])],
            actions_overdue=report.actions_overdue)  # actions are named by their incident's ref, shown as it is
    return replace(
        report, accounts=[a for a in report.accounts if ctx.visible(a["account"])], opened=seen(report.opened),
        closed=seen(report.closed), contacted=seen(report.contacted), reviewed=seen(report.reviewed),
        people={ident: person for ident, person in report.people.items() if ctx.visible(person)},  # the others by their id
        **as_of_today)
