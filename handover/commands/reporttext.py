"""The weekly report as Markdown (a merge request, a wiki), HTML (a browser, an
e-mail: inline styles only, no script, nothing fetched) or JSON.

Labels follow the knowledge base's language (French or English); dates are written
as a reader of that language expects ("7 décembre 2026", "7 December 2026").
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from handover.commands.report import Action, WeeklyReport
from handover.records import dates
from handover.site.pages.charts import weekly_chart
from handover.site.pages.pulse import spark

LABELS = {
    "fr": {
        "title": "Rapport de la semaine {label}", "span": "Du {start} au {end}", "animation": "Animation des comptes",
        "account": "Compte", "owner": "Responsable", "backup": "Suppléant", "cadence": "Rythme", "alerts": "À surveiller",
        "incidents": "Incidents", "opened": "Ouverts", "closed": "Clos", "still_open": "Toujours ouverts",
        "actions_done": "Actions de suivi faites", "actions_overdue": "Actions de suivi en retard", "due": "pour le",
        "relationships": "Relations", "contacted": "Contactés cette semaine", "silent": "Relations clés sans nouvelles",
        "last": "dernier contact le", "upkeep": "Entretien des connaissances", "reviewed": "Fiches relues",
        "review_overdue": "Relectures en retard", "since": "depuis le", "changed": "Charte et réponses types modifiées",
        "by": "par", "team": "Équipe", "leaving": "Départs à venir", "leaves": "part le", "holds": "détient encore",
        "successor": "successeur", "none": "Aucun élément.", "notes": "Remarques", "no_activity":
        "Le nombre de publications par compte n'est pas encore relevé : ce tableau donne qui anime quoi, et à quel rythme.",
        "added": "ajoutée", "changed_status": "modifiée", "removed": "supprimée", "quiet": "Comptes silencieux",
        "posts": "{n} publication(s) sur la période", "rate4": "{rate} par semaine sur 4 semaines", "quiet_since": "silencieux depuis le {date}",
        "chart": "Publications par semaine sur 12 semaines, et le rythme prévu", "weeks_word": "semaine",
    },
    "en": {
        "title": "Weekly report {label}", "span": "From {start} to {end}", "animation": "Account activity",
        "account": "Account", "owner": "Owner", "backup": "Backup", "cadence": "Cadence", "alerts": "Watch",
        "incidents": "Incidents", "opened": "Opened", "closed": "Closed", "still_open": "Still open",
        "actions_done": "Follow-up actions done", "actions_overdue": "Overdue follow-up actions", "due": "due",
        "relationships": "Relationships", "contacted": "Contacted this week", "silent": "Key relationships gone silent",
        "last": "last contact", "upkeep": "Knowledge upkeep", "reviewed": "Records reviewed",
        "review_overdue": "Reviews overdue", "since": "since", "changed": "Charter and canned responses changed",
        "by": "by", "team": "Team", "leaving": "Leaving soon", "leaves": "leaves on", "holds": "still holds",
        "successor": "successor", "none": "Nothing.", "notes": "Notes", "no_activity":
        "Posts per account are not counted yet: this table says who feeds what, and how often.",
        "added": "added", "changed_status": "changed", "removed": "removed", "quiet": "Quiet accounts",
        "posts": "{n} post(s) in the period", "rate4": "{rate} a week over 4 weeks", "quiet_since": "quiet since {date}",
        "chart": "Posts per week over 12 weeks, and the planned cadence", "weeks_word": "week",
    },
}


def _language(report: WeeklyReport, language: str) -> str:
    return language if language in LABELS else "en"


def long_date(day: dt.date | None, language: str) -> str:
    return dates.long_date(day, language) if day else "?"


def _account_line(a: dict[str, Any], t: dict[str, str], language: str, sparkline: bool) -> str:
    """`Instagram @x — Owner: …, Backup: …, Cadence: 5/week — 3 posts this week, 3.2 a week over 4 weeks ▅▆▅▁`."""
    line = (f"{a['account'].data.get('platform', '')} {a['account'].title} — {t['owner']}: {a['owner'] or '?'}, "
            f"{t['backup']}: {a['backup'] or '?'}, {t['cadence']}: {a['cadence'] or '?'}")
    pulse = a["pulse"]
    if a["tracked"]:
        rate = "–" if pulse.rate4 is None else f"{pulse.rate4:.1f}".replace(".", "," if language == "fr" else ".")
        line += f" — {t['posts'].format(n=a['posts'])}, {t['rate4'].format(rate=rate)}" + (f" {spark(pulse)}" if sparkline else "")
        if pulse.quiet:
            line += f" — {t['quiet_since'].format(date=long_date(pulse.last_post, language))}"
    alerts = [alert for alert in a["alerts"] if not alert.startswith("quiet")]  # said above, in the report's language
    if alerts:
        line += f" — {t['alerts']}: {'; '.join(alerts)}"
    return line


def sections(report: WeeklyReport, language: str, sparkline: bool = True) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """[(section title, [(subsection title, [lines])])], shared by Markdown and HTML."""
    t = LABELS[language]

    def date(day: dt.date | None) -> str:
        return long_date(day, language)

    def action(a: Action) -> str:
        return f"{a.text} ({a.owner or '?'}, {t['due']} {date(a.due)}) — {a.incident}"

    accounts = [_account_line(a, t, language, sparkline) for a in report.accounts]
    status_word = {"added": t["added"], "changed": t["changed_status"], "removed": t["removed"]}
    return [
        (t["animation"], [("", [] if any(a["tracked"] for a in report.accounts) else [t["no_activity"]]), (t["account"], accounts),
                          (t["quiet"], [f"{a['account'].data.get('platform', '')} {a['account'].title}" for a in report.accounts if a["pulse"].quiet])]),
        (t["incidents"], [
            (t["opened"], [f"{r.title} ({date(r.date('started'))})" for r in report.opened]),
            (t["closed"], [f"{r.title} ({date(r.date('ended'))})" for r in report.closed]),
            (t["still_open"], [f"{r.title} — {r.data.get('owner') or '?'}" for r in report.still_open]),
            (t["actions_done"], [action(a) for a in report.actions_done]),
            (t["actions_overdue"], [action(a) for a in sorted(report.actions_overdue, key=lambda a: (a.owner, a.due or dt.date.min))]),
        ]),
        (t["relationships"], [
            (t["contacted"], [f"{r.title} ({date(r.date('last_contact'))})" for r in report.contacted]),
            (t["silent"], [f"{r.title} — {t['last']} {date(last)} ({r.data.get('owner') or '?'})" for r, last in report.silent]),
        ]),
        (t["upkeep"], [
            (t["reviewed"], [r.title for r in report.reviewed]),
            (t["review_overdue"], [f"{r.title} — {t['since']} {date(due)}" for due, r in report.review_overdue]),
            (t["changed"], [f"{c.title} ({status_word[c.status]}, {c.review}) — {t['by']} {', '.join(c.authors) or '?'}" for c in report.changed]),
        ]),
        (t["team"], [
            (t["leaving"], [f"{p['person'].title} — {t['leaves']} {date(p['end'])}; {t['successor']}: {p['successor'] or '?'}; "
                            f"{t['holds']} {len(p['held'])}: {', '.join(r.ref for r in p['held'])}" for p in report.leaving]),
        ]),
    ]


def render_markdown(report: WeeklyReport, language: str) -> str:
    language = _language(report, language)
    t = LABELS[language]
    out = [f"# {report.community} — {t['title'].format(label=report.span.label)}", "",
           t["span"].format(start=long_date(report.span.start, language), end=long_date(report.span.end, language)), ""]
    for title, parts in sections(report, language):
        out += [f"## {title}", ""]
        for subtitle, lines in parts:
            if not subtitle and not lines:
                continue
            if subtitle:
                out += [f"### {subtitle}", ""]
            out += [f"- {line}" for line in lines] if lines else [f"_{t['none']}_"]
            out.append("")
    if report.notes:
        out += [f"## {t['notes']}", "", *(f"- {note}" for note in report.notes), ""]
    return "\n".join(out)


STYLE = {
    "body": "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;max-width:46em;margin:1em auto;line-height:1.5",
    "h1": "font-size:1.5em;margin:0 0 .2em", "h2": "font-size:1.2em;border-bottom:1px solid #c4c4c4;margin:1.4em 0 .4em",
    "h3": "font-size:1em;margin:.8em 0 .2em", "p": "margin:.2em 0", "none": "color:#555;font-style:italic;margin:.2em 0",
}


def render_html(report: WeeklyReport, language: str) -> str:
    """A whole document with inline styles only, so it survives being pasted into an e-mail."""
    language = _language(report, language)
    t = LABELS[language]
    e = html.escape
    title = f"{report.community} — {t['title'].format(label=report.span.label)}"
    out = [f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n<title>{e(title)}</title>\n</head>',
           f'<body style="{STYLE["body"]}">', f'<h1 style="{STYLE["h1"]}">{e(title)}</h1>',
           f'<p style="{STYLE["p"]}">{e(t["span"].format(start=long_date(report.span.start, language), end=long_date(report.span.end, language)))}</p>']
    for index, (section_title, parts) in enumerate(sections(report, language, sparkline=False)):  # HTML has charts
        out.append(f'<h2 style="{STYLE["h2"]}">{e(section_title)}</h2>')
        if index == 0:
            out.extend(_charts(report, language))
        for subtitle, lines in parts:
            if not subtitle and not lines:
                continue
            if subtitle:
                out.append(f'<h3 style="{STYLE["h3"]}">{e(subtitle)}</h3>')
            if lines:
                out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>")
            else:
                out.append(f'<p style="{STYLE["none"]}">{e(t["none"])}</p>')
    if report.notes:
        out.append(f'<h2 style="{STYLE["h2"]}">{e(t["notes"])}</h2><ul>' + "".join(f"<li>{e(n)}</li>" for n in report.notes) + "</ul>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _charts(report: WeeklyReport, language: str) -> list[str]:
    """One inline SVG chart per tracked account (pygal, through site/pages/charts.py),
    with its text alternative: no script, nothing fetched."""
    t = LABELS[language]
    out = []
    for a in report.accounts:
        pulse = a["pulse"]
        if not a["tracked"]:
            continue
        name = f"{a['account'].data.get('platform', '')} {a['account'].title}"
        desc = "; ".join(f"{key}: {'–' if count is None else count}" for key, count in pulse.weeks)
        out.append(f'<p style="{STYLE["h3"]}">{html.escape(name)}</p>')
        out.append(weekly_chart(pulse.weeks, pulse.per_week, chart_id=f"report-{a['account'].id}", title=f"{name} — {t['chart']}", desc=desc,
                                posts_label=t["posts"].format(n="").strip(), cadence_label=t["cadence"], small=True,
                                last_partial=False))
    return out


def report_as_dict(report: WeeklyReport) -> dict[str, Any]:
    def action(a: Action) -> dict[str, Any]:
        return {"incident": a.incident, "action": a.text, "owner": a.owner, "due": a.due.isoformat() if a.due else None}

    return {
        "community": report.community, "week": report.span.label, "start": report.span.start.isoformat(), "end": report.span.end.isoformat(),
        "today": report.today.isoformat(),
        "accounts": [{"account": a["account"].ref, "owner": a["owner"], "backup": a["backup"], "cadence": a["cadence"], "alerts": list(a["alerts"]),
                      "posts": a["posts"], "rate4": a["pulse"].rate4, "quiet": a["pulse"].quiet,
                      "last_post": a["pulse"].last_post.isoformat() if a["pulse"].last_post else None,
                      "weeks": dict(a["pulse"].weeks) if a["tracked"] else {}} for a in report.accounts],
        "incidents": {"opened": [r.ref for r in report.opened], "closed": [r.ref for r in report.closed],
                      "still_open": [r.ref for r in report.still_open], "actions_done": [action(a) for a in report.actions_done],
                      "actions_overdue": [action(a) for a in report.actions_overdue]},
        "relationships": {"contacted": [r.ref for r in report.contacted],
                          "silent": [{"record": r.ref, "last_contact": last.isoformat(), "owner": r.data.get("owner")} for r, last in report.silent]},
        "upkeep": {"reviewed": [r.ref for r in report.reviewed],
                   "review_overdue": [{"record": r.ref, "due": due.isoformat()} for due, r in report.review_overdue],
                   "changed": [{"record": c.ref, "status": c.status, "authors": list(c.authors), "review": c.review} for c in report.changed]},
        "team": {"leaving": [{"person": p["person"].ref, "end": p["end"].isoformat() if p["end"] else None, "successor": p["successor"],
                              "holds": [r.ref for r in p["held"]]} for p in report.leaving]},
        "notes": report.notes,
    }


def render(report: WeeklyReport, output_format: str, language: str) -> str:
    if output_format == "json":
        return json.dumps(report_as_dict(report), ensure_ascii=False, indent=2) + "\n"
    if output_format == "html":
        return render_html(report, language)
    return render_markdown(report, language)
