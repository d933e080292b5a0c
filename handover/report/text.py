"""The weekly report as text: its sections (shared by Markdown, the HTML document and
the site's report pages), Markdown (a merge request, a wiki) and JSON. The HTML forms,
which carry pygal charts, are in site/pages/reports.py.

Labels follow the knowledge base's language (French or English); dates are written
as a reader of that language expects ("7 décembre 2026", "7 December 2026").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from handover.activity.analysis import spark
from handover.records import dates
from handover.records.labels import Labels
from handover.report.model import Action, WeeklyReport


def labels(language: str) -> tuple[str, dict[str, str]]:
    """The language actually used (French or English) and the report's labels in it."""
    table = Labels(language)
    return table.language, table.group("report")


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
    t = labels(language)[1]

    def date(day: dt.date | None) -> str:
        return long_date(day, language)

    def action(a: Action) -> str:
        return f"{a.text} ({a.owner or '?'}, {t['due']} {date(a.due)}) — {a.incident}"

    accounts = [_account_line(a, t, language, sparkline) for a in report.accounts]
    status_word = {"added": t["added"], "changed": t["changed_status"], "removed": t["removed"]}
    return [
        (t["animation"], [("", [] if any(a["tracked"] for a in report.accounts) else [t["no_activity"]]), (t["account"], accounts),
                          (t["quiet"], [f"{a['account'].data.get('platform', '')} {a['account'].title}" for a in report.accounts if a["pulse"].quiet])]),
        (t["noise"], noise_parts(report, t)),
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


def noise_parts(report: WeeklyReport, t: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The mentions in the period, per name, and what went wrong with the feeds (the
    12 weeks follow as a table or a chart, see noise_table)."""
    noise = report.noise
    if not noise.configured:
        return [("", [t["noise_none"]])]
    brand = f" ({t['brand']})"
    counts = [f"{name}{brand if name == noise.brand else ''}: {noise.in_span[name]}" for name in noise.names]
    return [(t["noise_span"], counts)] + ([(t["noise_feeds"], noise.notes)] if noise.notes else [])


def noise_table(report: WeeklyReport, t: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The 12 weeks as a table (header, rows): the chart's text alternative."""
    noise = report.noise
    header = [t["week"], *noise.names]
    rows = [[week, *(str(noise.per_week[name][i]) for name in noise.names)] for i, week in enumerate(noise.weeks)]
    return header, rows


def render_markdown(report: WeeklyReport, language: str, sparkline: bool = True) -> str:
    """The report in Markdown; `sparkline=False` leaves the accounts' block-character
    lines out (the site draws charts instead)."""
    language, t = labels(language)
    out = [f"# {report.community} — {t['title'].format(label=report.span.label)}", "",
           t["span"].format(start=long_date(report.span.start, language), end=long_date(report.span.end, language)), ""]
    for title, parts in sections(report, language, sparkline):
        out += [f"## {title}", ""]
        for subtitle, lines in parts:
            if not subtitle and not lines:
                continue
            if subtitle:
                out += [f"### {subtitle}", ""]
            out += [f"- {line}" for line in lines] if lines else [f"_{t['none']}_"]
            out.append("")
        if title == t["noise"] and report.noise.configured:
            header, rows = noise_table(report, t)
            out += [f"### {t['noise_weeks']}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                    *("| " + " | ".join(row) + " |" for row in rows), ""]
    if report.notes:
        out += [f"## {t['notes']}", "", *(f"- {note}" for note in report.notes), ""]
    return "\n".join(out)


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
        "noise": {"configured": report.noise.configured, "brand": report.noise.brand, "in_span": report.noise.in_span,
                  "weeks": {week: {name: report.noise.per_week[name][i] for name in report.noise.names} for i, week in enumerate(report.noise.weeks)},
                  "notes": report.noise.notes},
        "notes": report.notes,
    }
