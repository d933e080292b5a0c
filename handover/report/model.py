"""`handover report`: what the lead reads on Monday morning, for one week (or any span).

Everything is computed from the knowledge base as it stands and from git for the
span: which incidents opened, closed or stayed open and which follow-up actions were
ticked (a `done: false → true` in the span's commits) or are overdue; which contacts
and influencers were contacted; which records were reviewed and which charter rules
and canned responses changed, by whom; who leaves soon and what they still hold; each
account's owner and cadence. The same inputs give the same report, byte for byte:
nothing depends on the clock once `today` is given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from handover.activity.mentions import Noise, load_mentions, noise
from handover.core.errors import UsageError
from handover.records.model import KnowledgeBase, Record
from handover.records.values import as_date
from handover.report.continuity import StatusView, continuity_status

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
SOON = dt.timedelta(weeks=4)  # "who leaves in the coming weeks"


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date  # included
    label: str  # 2026-W49, or "2026-11-01 → 2026-11-30"


def week_span(week: str | None, since: str | None, until: str | None, today: dt.date) -> Span:
    """--week YYYY-Www, or --since [--until]; by default the last complete ISO week."""
    if week and since:
        raise UsageError("give either --week or --since, not both", hint="handover report --week 2026-W49, or --since 2026-11-01 --until 2026-11-30")
    if week:
        match = WEEK_RE.match(week)
        if not match:
            raise UsageError(f'--week "{week}" is not an ISO week', hint="write it as YYYY-Www, e.g. 2026-W49")
        try:
            start = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise UsageError(f'--week "{week}" does not exist', hint="ISO weeks run from W01 to W52 or W53") from None
        return Span(start, start + dt.timedelta(days=6), week)
    if since:
        start, end = _day(since, "--since"), _day(until, "--until") if until else today
        if end < start:
            raise UsageError(f"--until {end} is before --since {start}", hint="swap the two dates")
        return Span(start, end, f"{start} → {end}")
    monday = today - dt.timedelta(days=today.weekday() + 7)
    year, number, _ = monday.isocalendar()
    return Span(monday, monday + dt.timedelta(days=6), f"{year}-W{number:02d}")


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f'{option} "{text}" is not a date', hint="write it as YYYY-MM-DD") from None


@dataclass(frozen=True)
class Action:
    incident: str  # ref
    text: str
    owner: str
    due: dt.date | None
    title: str = ""  # the incident's


@dataclass(frozen=True)
class Note:
    """What the reader should know about how the report was made: `key` names its
    wording in the report's language (report.note.KEY, with `values`), `english` is
    what the command prints on stderr and the JSON keeps."""

    key: str
    english: str
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Change:
    ref: str
    title: str
    status: str  # added, changed, removed
    authors: tuple[str, ...]
    review: str  # the response's status (draft, approved…) or the charter's version


@dataclass
class WeeklyReport:
    community: str
    span: Span
    today: dt.date
    accounts: list[dict[str, Any]] = field(default_factory=list)
    opened: list[Record] = field(default_factory=list)
    closed: list[Record] = field(default_factory=list)
    still_open: list[Record] = field(default_factory=list)
    actions_done: list[Action] = field(default_factory=list)
    actions_overdue: list[Action] = field(default_factory=list)
    contacted: list[Record] = field(default_factory=list)
    silent: list[tuple[Record, dt.date]] = field(default_factory=list)  # key relationships, last contact
    reviewed: list[Record] = field(default_factory=list)
    review_overdue: list[tuple[dt.date, Record]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    leaving: list[dict[str, Any]] = field(default_factory=list)
    noise: Noise = field(default_factory=lambda: Noise(configured=False))  # mentions of the brand and its competitors
    notes: list[Note] = field(default_factory=list)
    people: dict[str, Record] = field(default_factory=dict)  # the team, by id: people are named by their name
    platforms: dict[str, str] = field(default_factory=dict)  # platform → its name (accounts are named "Instagram @x")


# The lists judged as of today, not of the span: every report of one `weekly_reports`
# call holds the same (report/text.py words them once for all the weeks).
AS_OF_TODAY = ("still_open", "actions_overdue", "silent", "review_overdue", "leaving")


def weekly_report(kb: KnowledgeBase, span: Span, today: dt.date) -> WeeklyReport:
    return weekly_reports(kb, [span], today)[0]


def last_weeks(today: dt.date, count: int) -> list[Span]:
    """The `count` complete ISO weeks before `today`'s week, newest first (the site's reports)."""
    newest = week_span(None, None, None, today)
    return [week_span(f"{y}-W{w:02d}", None, None, today)
            for y, w, _ in ((newest.start - dt.timedelta(weeks=n)).isocalendar() for n in range(count))]


def weekly_reports(kb: KnowledgeBase, spans: list[Span], today: dt.date, use_git: bool = True,
                   view: StatusView | None = None) -> list[WeeklyReport]:
    """The report of each span, sharing what does not depend on the span: the
    continuity view (activity read once), the records' dates (read once), what is
    open, overdue or silent as of today, the repository (opened once; each week reads
    only its own commits) and the watch feeds' stored mentions. `view`: the continuity
    view of this kb and day, when the caller has it already."""
    shared = _Shared(kb, today, use_git, view)
    return [_report(kb, span, today, shared) for span in spans]


class _Shared:
    """What every span's report starts from, worked out once."""

    def __init__(self, kb: KnowledgeBase, today: dt.date, use_git: bool, view: StatusView | None = None) -> None:
        self.view = continuity_status(kb, today) if view is None else view
        self.git = _Git(kb, use_git)
        self.stored = load_mentions(kb.root, kb.display_root) if kb.config.watch.feeds else None
        incidents = sorted(kb.records["incidents"].values(), key=lambda r: r.id)
        self.incidents = [(r, r.date("started"), r.date("ended"), r.data.get("status") in ("open", "monitoring")) for r in incidents]
        self.still_open = [r for r, _, _, still in self.incidents if still]
        self.overdue = [a for r in incidents for a, done in _actions(r) if not done and a.due and a.due < today]
        self.reviewed = sorted(((r.ref, day, r) for r in kb.all_records() if (day := r.date("reviewed_on")) is not None), key=lambda t: t[0])
        limit = kb.config.last_contact_max_age
        self.contacts: list[tuple[Record, dt.date | None]] = []
        self.silent: list[tuple[Record, dt.date]] = []
        for kind in ("contacts", "influencers"):
            for record in sorted(kb.records[kind].values(), key=lambda r: r.ref):
                last = record.date("last_contact")
                self.contacts.append((record, last))
                key = kind == "influencers" and record.data.get("stance") in ("ambassador", "critic")
                if key and last is not None and last < today - limit:
                    self.silent.append((record, last))


class _Git:
    """The knowledge base's repository, opened on first use, once (or why it cannot be)."""

    def __init__(self, kb: KnowledgeBase, use: bool) -> None:
        self.kb, self.use, self._error = kb, use, "" if use else "history not read for this build"
        self._repo: Any = None

    def changes(self, span: Span) -> Any:
        from handover.core.errors import HandoverError
        from handover.git.changes import changes_between, open_kb_repository

        if self._error:
            raise HandoverError(self._error)
        try:
            self._repo = self._repo or open_kb_repository(self.kb.root, self.kb.display_root)
        except HandoverError as exc:
            self._error = exc.message
            raise
        return changes_between(self.kb.root, self.kb.display_root, span.start, span.end, self._repo)

    def notes(self) -> list[Note]:
        """The repository's notes (Repository.notes: a detached HEAD, a shallow clone), each with its key."""
        repo = self._repo
        keys = (["detached"] if repo.branch is None else []) + (["shallow"] if repo.shallow else [])
        return [Note(key, text, (("head", repo.head[:8]),)) for key, text in zip(keys, repo.notes(), strict=False)]


def _report(kb: KnowledgeBase, span: Span, today: dt.date, shared: _Shared) -> WeeklyReport:
    report = WeeklyReport(kb.config.community or kb.display_root, span, today, people=kb.records["team"],
                          platforms={name: spec.label for name, spec in kb.config.platforms.items()})
    view = shared.view
    report.accounts = _animation(kb, view, span, today)
    report.opened = [r for r, started, _, _ in shared.incidents if _within(started, span)]
    report.closed = [r for r, _, ended, still in shared.incidents if _within(ended, span) and not still]
    report.still_open, report.actions_overdue = list(shared.still_open), list(shared.overdue)
    report.contacted = [r for r, last in shared.contacts if _within(last, span)]
    report.silent = list(shared.silent)
    report.reviewed = [r for _, day, r in shared.reviewed if _within(day, span)]
    report.review_overdue = view.stale
    report.leaving = [{"person": d.person, "end": d.end, "successor": d.successor, "held": [h.record for h in d.held]}
                      for d in view.departures if d.state == "leaving" and (d.end is None or d.end <= today + SOON)]
    report.noise = noise(kb.root, kb.display_root, kb.config.watch, span.start, span.end, shared.stored)
    _from_git(report, kb, shared.git)
    return report


def _animation(kb: KnowledgeBase, view: Any, span: Span, today: dt.date) -> list[dict[str, Any]]:
    """Each active account: owner, backup, cadence, alerts, and what pulse recorded of
    it, judged as of the span's last day (or today, if the span is not over): posts in
    the span's ISO weeks, the rate over the last 4 weeks, quiet or not, the 12 weeks."""
    from handover.activity.analysis import judge
    from handover.activity.store import week_key

    as_of = min(today, span.end)
    active = [line for line in view.accounts if line.status == "active"]
    activities = {p.account.id: p.activity for p in view.pulses}  # read once, by continuity_status
    weeks_of_span = set()
    day = span.start
    while day <= span.end:
        weeks_of_span.add(week_key(day))
        day += dt.timedelta(days=1)
    out = []
    for line in active:
        activity = activities.get(line.account.id)
        pulse = judge(line.account, activity, as_of, kb.config.pulse)
        tracked = activity is not None and bool(activity.sources)
        posts = sum(count or 0 for key, count in (activity.weeks().items() if activity else ()) if key in weeks_of_span) if tracked else None
        out.append({"account": line.account, "owner": line.owner, "backup": line.backup, "cadence": line.cadence,
                    "alerts": line.alerts, "issues": line.issues, "pulse": pulse, "tracked": tracked, "posts": posts})
    return out


def _within(day: dt.date | None, span: Span) -> bool:
    return day is not None and span.start <= day <= span.end


def _actions(incident: Record) -> list[tuple[Action, bool]]:
    actions = incident.data.get("actions")
    out = []
    for item in actions if isinstance(actions, list) else []:
        if isinstance(item, dict):
            owner = str(item.get("owner") or "")
            action = Action(incident.ref, str(item.get("action", "")), owner, as_date(item.get("due")), incident.title)
            out.append((action, bool(item.get("done"))))
    return out


def _from_git(report: WeeklyReport, kb: KnowledgeBase, git: _Git) -> None:
    """Actions ticked and charter/response changes, from the span's commits. Without
    git the report is still made; it says what it could not know."""
    from handover.core.errors import HandoverError

    try:
        changes = git.changes(report.span)
    except HandoverError as exc:
        report.notes.append(Note("no_history", f"no history for this span ({exc.message}): actions done and changed rules are not shown"))
        return
    report.notes.extend(git.notes())
    for change in changes.records:
        record = kb.records.get(change.kind, {}).get(change.id) if change.kind else None
        if change.kind == "incidents" and record is not None and change.status in ("added", "changed"):
            report.actions_done.extend(_ticked(record, change))
        if change.kind in ("charter", "responses"):
            authors = tuple(dict.fromkeys(c.author for c in reversed(change.commits)))
            review = str(record.data.get("status") or f"version {record.data.get('version')}") if record is not None else "removed"
            report.changed.append(Change(change.ref, record.title if record is not None else change.id, change.status, authors, review))


def _ticked(record: Record, change: Any) -> list[Action]:
    """Actions done now that were not done (or did not exist) when the span began.
    Lists are compared whole (diffs.field_changes), so the old list says what was done."""
    if change.status == "added":
        return [action for action, done in _actions(record) if done]
    old = next((f.old for f in change.fields if f.path == ("actions",)), None)
    if not isinstance(old, list):
        return []
    before = {str(item.get("action", "")) for item in old if isinstance(item, dict) and item.get("done")}
    return [action for action, done in _actions(record) if done and action.text not in before]
