"""The weekly report as text: its sections (shared by Markdown, the HTML document and
the site's report pages), Markdown (a merge request, a wiki) and JSON. The HTML forms,
which carry pygal charts, are in site/pages/reports.py.

Labels follow the knowledge base's language (French or English); dates are written
as a reader of that language expects ("7 décembre 2026", "7 December 2026").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handover.activity.analysis import spark
from handover.activity.mentions import FeedNote
from handover.records import dates
from handover.records.labels import Labels, sentence
from handover.records.model import Record
from handover.report.continuity import Alert
from handover.report.model import Action, Change, Note, WeeklyReport

LONG_LIST = 15  # a longer list shows its counts by owner and its 15 most overdue items; JSON keeps them all


def labels(language: str) -> tuple[str, dict[str, str]]:
    """The language actually used (French or English) and the report's labels in it."""
    table = Labels(language)
    return table.language, {**table.group("report"), "colon": table.colon, "semicolon": table.semicolon}


def long_date(day: dt.date | None, language: str) -> str:
    return dates.long_date(day, language) if day else "?"


@dataclass(frozen=True)
class Part:
    """A subsection: its title, its lines, and for a long list the counts by owner
    (`before`) and how many more the JSON holds (`after`)."""

    title: str
    lines: list[str]
    before: str = ""
    after: str = ""


Section = tuple[str, list[Part]]


class Words:
    """The report worded in one language: its labels, dates in words (records/dates.py),
    people by their name, accounts by platform and handle, alerts and notes."""

    def __init__(self, report: WeeklyReport, language: str) -> None:
        self.labels = Labels(language)
        self.language, self.t = labels(language)
        self.report = report

    def date(self, day: dt.date | None) -> str:
        return long_date(day, self.language)

    def person(self, ident: Any, missing: str = "?") -> str:
        """A team member's name (a "team/ID" or "ID" reference), the reference itself
        when nobody on the team has it, `missing` when nobody is named."""
        if not isinstance(ident, str) or not ident:
            return missing
        record = self.report.people.get(ident.rpartition("/")[2])
        return record.title if record is not None else ident

    def record(self, record: Record) -> str:
        """How a record is named: accounts by platform and handle (`Instagram @x`)."""
        if record.kind.folder == "accounts":
            platform = str(record.data.get("platform", ""))
            return f"{self.report.platforms.get(platform, platform)} {record.title}".strip()
        return record.title

    def alert(self, alert: Alert) -> str:
        role = self.t[f"role.{alert.role}"] if alert.role else ""
        if alert.what == "leaving" and alert.end is None:
            return self.t["alert.leaving_undated"].format(role=role, person=self.person(alert.person))
        return self.t[f"alert.{alert.what}"].format(role=role, person=self.person(alert.person), date=self.date(alert.end))

    def note(self, note: Note) -> str:
        key = f"note.{note.key}"
        return sentence(self.t[key].format(**dict(note.values))) if key in self.t else note.english

    def feed(self, note: FeedNote) -> str:
        since = self.t["feed.since"].format(date=self.date(note.since)) if note.since else ""
        return sentence(self.t[f"feed.{note.what}"].format(feed=note.feed, file=note.feed, url=note.url, since=since, error=note.error,
                                                           problem=note.error))

    def pair(self, label: str, value: str) -> str:
        """`Label : value` in French, `Label: value` in English."""
        return f"{label}{self.t['colon']} {value}"

    def shortened(self, title: str, items: list[Any], owner: Any, line: Any) -> Part:
        """A list, oldest first; past LONG_LIST items, its counts by owner (the
        LONG_LIST owners with the most), the first LONG_LIST items and how many more."""
        if len(items) <= LONG_LIST:
            return Part(title, [line(item) for item in items])
        counts = sorted(Counter(self.person(owner(item), self.t["no_owner"]) for item in items).items(), key=lambda kv: (-kv[1], kv[0]))
        by_owner = ", ".join(f"{name} ({self.labels.number(n)})" for name, n in counts[:LONG_LIST])
        if len(counts) > LONG_LIST:  # the owners with the most, then how many others
            rest = counts[LONG_LIST:]
            by_owner += ", " + self.t["more_owners"].format(n=self.labels.number(len(rest)), items=self.labels.number(sum(n for _, n in rest)))
        return Part(title, [line(item) for item in items[:LONG_LIST]], self.pair(self.t["by_owner"], by_owner),
                    self.t["more"].format(n=self.labels.number(len(items) - LONG_LIST)))


def _account_line(a: dict[str, Any], w: Words, sparkline: bool) -> str:
    """`Instagram @x — Responsable : Léa Martin, Suppléant : …, Rythme : 5 par semaine — 3 publication(s)…, 3,2 par semaine sur 4 semaines ▅▆▅▁`."""
    t = w.t
    cadence = w.labels.cadence(a["cadence"]) if a["cadence"] else "?"
    line = (f"{w.record(a['account'])} — {w.pair(t['owner'], w.person(a['owner']))}, "
            f"{w.pair(t['backup'], w.person(a['backup']))}, {w.pair(t['cadence'], cadence)}")
    pulse = a["pulse"]
    if a["tracked"]:
        rate = "–" if pulse.rate4 is None else f"{pulse.rate4:.1f}".replace(".", "," if w.language == "fr" else ".")
        line += f" — {t['posts'].format(n=a['posts'])}, {t['rate4'].format(rate=rate)}" + (f" {spark(pulse)}" if sparkline else "")
        if pulse.quiet:
            line += f" — {t['quiet_since'].format(date=w.date(pulse.last_post))}"
    alerts = [w.alert(alert) for alert in a["issues"] if alert.what != "quiet"]  # quiet: said above
    if alerts:
        line += f" — {w.pair(t['alerts'], (t['semicolon'] + ' ').join(alerts))}"
    return line


# The parts made of AS_OF_TODAY lists (report/model.py): the same for every week of one
# `weekly_reports` call, so reports worded together word them once (`shared`).
SharedParts = dict[str, Part]


def sections(report: WeeklyReport, language: str, sparkline: bool = True, shared: SharedParts | None = None) -> list[Section]:
    """[(section title, [Part])], shared by Markdown and HTML. `shared` (a dict kept
    across the reports of one `weekly_reports` call, in one language): the parts that
    do not depend on the week are worded for the first report and reused."""
    w = Words(report, language)
    t = w.t

    def once(name: str, make: Callable[[], Part]) -> Part:
        if shared is None:
            return make()
        part = shared.get(name)
        if part is None:
            part = shared[name] = make()
        return part

    accounts = [_account_line(a, w, sparkline) for a in report.accounts]
    return [
        (t["animation"], [Part("", [] if any(a["tracked"] for a in report.accounts) else [t["no_activity"]]), Part(t["account"], accounts),
                          Part(t["quiet"], [w.record(a["account"]) for a in report.accounts if a["pulse"].quiet])]),
        (t["noise"], noise_parts(report, w)),
        (t["incidents"], _incidents(report, w, once)),
        (t["relationships"], [
            Part(t["contacted"], [f"{w.record(r)} ({w.date(r.date('last_contact'))})" for r in report.contacted]),
            once("silent", lambda: w.shortened(
                t["silent"], sorted(report.silent, key=lambda s: (s[1], s[0].ref)), lambda s: s[0].data.get("owner"),
                lambda s: f"{w.record(s[0])} — {t['last']} {w.date(s[1])} ({w.person(s[0].data.get('owner'), t['no_owner'])})")),
        ]),
        (t["upkeep"], _upkeep(report, w, once)),
        (t["team"], [once("leaving", lambda: Part(t["leaving"], [_leaving_line(p, w) for p in report.leaving]))]),
    ]


def _action_line(a: Action, w: Words) -> str:
    return f"{a.text} ({w.person(a.owner, w.t['no_owner'])}, {w.t['due']} {w.date(a.due)}) — {a.title or a.incident}"


def _incidents(report: WeeklyReport, w: Words, once: Callable[[str, Callable[[], Part]], Part]) -> list[Part]:
    t = w.t

    def overdue() -> Part:
        oldest_first = sorted(report.actions_overdue, key=lambda a: (a.due or dt.date.min, a.owner, a.incident, a.text))
        return w.shortened(t["actions_overdue"], oldest_first, lambda a: a.owner, lambda a: _action_line(a, w))

    return [
        Part(t["opened"], [f"{r.title} ({w.date(r.date('started'))})" for r in report.opened]),
        Part(t["closed"], [f"{r.title} ({w.date(r.date('ended'))})" for r in report.closed]),
        once("still_open", lambda: Part(t["still_open"], [f"{r.title} — {w.person(r.data.get('owner'), t['no_owner'])}" for r in report.still_open])),
        Part(t["actions_done"], [_action_line(a, w) for a in report.actions_done]),
        once("actions_overdue", overdue),
    ]


def _upkeep(report: WeeklyReport, w: Words, once: Callable[[str, Callable[[], Part]], Part]) -> list[Part]:
    t = w.t
    status_word = {"added": t["added"], "changed": t["changed_status"], "removed": t["removed"]}

    def review(c: Change) -> str:  # a response's status, a charter's version
        version = c.review.removeprefix("version ")
        return t["version"].format(version=version) if version != c.review else w.labels.value(c.review)

    def overdue(item: tuple[dt.date, Record]) -> str:
        due, r = item
        owner = r.data.get("owner")
        return f"{w.record(r)} — {t['since']} {w.date(due)}" + (f" ({w.person(owner)})" if owner else "")

    return [
        Part(t["reviewed"], [w.record(r) for r in report.reviewed]),
        once("review_overdue", lambda: w.shortened(t["review_overdue"], report.review_overdue, lambda item: item[1].data.get("owner"), overdue)),
        Part(t["changed"], [f"{c.title} ({status_word[c.status]}, {review(c)}) — {t['by']} {', '.join(c.authors) or '?'}"
                            for c in report.changed]),
    ]


def _leaving_line(p: dict[str, Any], w: Words) -> str:
    t = w.t
    successor = w.pair(t["successor"], w.person(p["successor"])) if p["successor"] else t["no_successor"]
    held = w.pair(t["holds_n"].format(n=len(p["held"])), ", ".join(w.record(r) for r in p["held"])) if p["held"] else ""
    return f"{p['person'].title} — " + f"{t['semicolon']} ".join(x for x in (f"{t['leaves']} {w.date(p['end'])}", successor, held) if x)


def noise_parts(report: WeeklyReport, w: Words) -> list[Part]:
    """The mentions in the period, per name, and what went wrong with the feeds (the
    12 weeks follow as a table or a chart, see noise_table)."""
    noise, t = report.noise, w.t
    if not noise.configured:
        return [Part("", [t["noise_none"]])]
    brand = f" ({t['brand']})"
    counts = [w.pair(f"{name}{brand if name == noise.brand else ''}", str(noise.in_span[name])) for name in noise.names]
    return [Part(t["noise_span"], counts)] + ([Part(t["noise_feeds"], [w.feed(n) for n in noise.problems])] if noise.problems else [])


def noise_table(report: WeeklyReport, t: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """The 12 weeks as a table (header, rows): the chart's text alternative."""
    noise = report.noise
    header = [t["week"], *noise.names]
    rows = [[week, *(str(noise.per_week[name][i]) for name in noise.names)] for i, week in enumerate(noise.weeks)]
    return header, rows


def render_markdown(report: WeeklyReport, language: str, sparkline: bool = True, shared: SharedParts | None = None) -> str:
    """The report in Markdown; `sparkline=False` leaves the accounts' block-character
    lines out (the site draws charts instead); `shared`: see sections()."""
    language, t = labels(language)
    out = [f"# {report.community} — {t['title'].format(label=report.span.label)}", "",
           t["span"].format(start=long_date(report.span.start, language), end=long_date(report.span.end, language)), ""]
    for title, parts in sections(report, language, sparkline, shared):
        out += [f"## {title}", ""]
        for part in parts:
            if not part.title and not part.lines:
                continue
            if part.title:
                out += [f"### {part.title}", ""]
            if part.before:
                out += [part.before, ""]
            out += [f"- {line}" for line in part.lines] if part.lines else [f"_{t['none']}_"]
            out += ["", f"_{part.after}_", ""] if part.after else [""]
        if title == t["noise"] and report.noise.configured:
            header, rows = noise_table(report, t)
            out += [f"### {t['noise_weeks']}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                    *("| " + " | ".join(row) + " |" for row in rows), ""]
    if report.notes:
        words = Words(report, language)
        out += [f"## {t['notes']}", "", *(f"- {words.note(note)}" for note in report.notes), ""]
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
        "notes": [note.english for note in report.notes],
    }
