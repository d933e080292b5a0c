"""Activity against cadence: quiet, below cadence, failing feed, too old to tell.

One computation for the checks (checks/pulse.py), `handover status`, `handover pulse`,
the site and the pack, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from handover.activity.store import FEED, Activity, load_all, week_key, week_start
from handover.records.model import KnowledgeBase, Record
from handover.records.settings import PulseSettings
from handover.records.values import as_date, parse_cadence

CHART_WEEKS = 12


@dataclass(frozen=True)
class Failing:
    source: str
    since: dt.date
    days: int
    error: str


@dataclass
class Pulse:
    """One account's activity judged against its cadence on a given day."""

    account: Record
    activity: Activity | None
    today: dt.date
    per_week: float | None  # the cadence, in posts a week
    last_post: dt.date | None = None
    last_url: str = ""
    last_read: dt.date | None = None
    weeks: list[tuple[str, int | None]] = field(default_factory=list)  # the last CHART_WEEKS ISO weeks, oldest first; None before tracking began
    rate4: float | None = None  # posts a week over the last 4 complete weeks
    rate12: float | None = None
    trend: str = ""  # rising, steady, falling; "" when unknown
    allowed_days: float | None = None  # days without a post before the account is quiet
    quiet: bool = False
    below: bool = False
    stale: bool = False
    failing: list[Failing] = field(default_factory=list)

    @property
    def owner(self) -> str | None:
        return _person(self.account.data.get("owner"))

    @property
    def backup(self) -> str | None:
        return _person(self.account.data.get("backup"))

    @property
    def active(self) -> bool:
        return self.account.data.get("status") == "active"

    @property
    def tracked(self) -> bool:
        return self.activity is not None and bool(self.activity.sources)

    @property
    def days_since(self) -> int | None:
        return (self.today - self.last_post).days if self.last_post else None

    @property
    def state(self) -> str:
        """One word for tables: quiet, below, stale, failing, ok, untracked, or the account's status."""
        if not self.active:
            return str(self.account.data.get("status") or "")
        if not self.tracked:
            return "untracked"
        for flag, word in ((self.quiet, "quiet"), (bool(self.failing), "failing"), (self.stale, "stale"), (self.below, "below")):
            if flag:
                return word
        return "ok"

    def advice(self) -> str:
        """What to do, in one sentence."""
        who = self.owner or "the owner"
        backup = f" (or the backup, {self.backup})" if self.backup else ""
        if not self.active:
            return "nothing: the account is not fed on a cadence"
        if not self.tracked:
            feed = self.account.data.get("feed")
            return ("run handover pulse --fetch to read its feed" if feed else
                    "record its posts: add feed: if the platform has one, import an export (handover pulse --import FILE), or handover log")
        if self.quiet:
            return f"{who}{backup} must post now; then record it (handover log, an import, or --fetch)"
        if self.failing:
            return f"fix the feed ({self.failing[0].error}) or remove feed: and record posts another way"
        if self.stale:
            return "read the activity again (handover pulse --fetch, an import, or handover log) before judging"
        if self.below:
            return f"{who} is posting less than the cadence: plan the missing posts, or change the cadence with the lead"
        return "nothing: fed at its cadence"


def _person(value: Any) -> str | None:
    return value.rpartition("/")[2] if isinstance(value, str) and value else None


def judge(account: Record, activity: Activity | None, today: dt.date, settings: PulseSettings) -> Pulse:
    """The pulse of one account on `today`."""
    cadence = account.data.get("cadence")
    per_week = parse_cadence(cadence) if isinstance(cadence, str) else None
    pulse = Pulse(account, activity, today, per_week)
    if activity is None or not activity.sources:
        return pulse
    pulse.last_post, pulse.last_url = activity.last_post()
    pulse.last_read = activity.last_read()
    counts = activity.weeks()
    first = activity.first_week()
    first_start = week_start(first) if first else None
    this_monday = today - dt.timedelta(days=today.weekday())
    keys = [week_key(this_monday - dt.timedelta(weeks=n)) for n in range(CHART_WEEKS - 1, -1, -1)]
    pulse.weeks = [(k, counts.get(k, 0) if first_start and (week_start(k) or today) >= first_start else None) for k in keys]
    complete = [c for _, c in pulse.weeks[:-1]]  # the current week is not over
    last4 = [c for c in complete[-4:] if c is not None]
    last12 = [c for c in complete if c is not None]
    if last4:
        pulse.rate4 = sum(last4) / len(last4)
    if last12:
        pulse.rate12 = sum(last12) / len(last12)
    earlier = [c for c in complete[:-4] if c is not None]
    if pulse.rate4 is not None and len(earlier) >= 2:
        before = sum(earlier) / len(earlier)
        pulse.trend = "rising" if pulse.rate4 > before * 1.2 + 0.01 else "falling" if pulse.rate4 < before * 0.8 - 0.01 else "steady"
    pulse.failing = _failing(activity, today, settings)
    if pulse.active and pulse.last_read:
        pulse.stale = (today - pulse.last_read) > settings.stale_after
    if pulse.active and per_week:
        pulse.allowed_days = 7 / per_week * settings.quiet_factor
        if pulse.last_post is not None:
            pulse.quiet = (today - pulse.last_post).days > pulse.allowed_days
        if len(last4) >= 2 and pulse.rate4 is not None:
            pulse.below = pulse.rate4 < per_week * settings.below_ratio
    return pulse


def _failing(activity: Activity, today: dt.date, settings: PulseSettings) -> list[Failing]:
    found = []
    for name, source in activity.sources.items():
        since = as_date(source.extra.get("failing_since"))
        if name == FEED and since and (today - since) >= settings.failing_after:
            found.append(Failing(name, since, (today - since).days, str(source.extra.get("error") or "failed")))
    return found


def pulses(kb: KnowledgeBase, today: dt.date) -> list[Pulse]:
    """Every account's pulse, by id (activity files read once)."""
    accounts = sorted(kb.records["accounts"].values(), key=lambda r: r.id)
    activities = load_all(kb.root, [a.id for a in accounts], kb.display_root)
    return [judge(account, activities.get(account.id), today, kb.config.pulse) for account in accounts]


def _ago(days: int | None) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def ago(days: int | None) -> str:
    """`today`, `yesterday`, `12 days ago`."""
    return _ago(days)


def pulse_line(p: Pulse) -> str:
    """The state of one account in one line, for status and problem messages."""
    if not p.tracked:
        return "no activity recorded"
    parts = [f"last post {p.last_post} ({_ago(p.days_since)})" if p.last_post else "no post recorded"]
    if p.rate4 is not None and p.per_week:
        parts.append(f"{p.rate4:.1f}/week over 4 weeks for {p.per_week:g}/week")
    return ", ".join(parts)


def pulse_as_dict(p: Pulse) -> dict[str, Any]:
    """For `handover pulse --json` and `status --json`."""
    return {
        "id": p.account.ref, "platform": p.account.data.get("platform"), "handle": p.account.data.get("handle"),
        "status": p.account.data.get("status"), "owner": p.owner, "backup": p.backup, "cadence": p.account.data.get("cadence"),
        "feed": p.account.data.get("feed"), "state": p.state,
        "last_post": p.last_post.isoformat() if p.last_post else None, "last_post_url": p.last_url or None,
        "days_since_last_post": p.days_since, "allowed_days": round(p.allowed_days, 1) if p.allowed_days else None,
        "last_read": p.last_read.isoformat() if p.last_read else None,
        "per_week_4": round(p.rate4, 2) if p.rate4 is not None else None, "per_week_12": round(p.rate12, 2) if p.rate12 is not None else None,
        "cadence_per_week": p.per_week, "trend": p.trend or None, "weeks": dict(p.weeks),
        "quiet": p.quiet, "below_cadence": p.below, "stale": p.stale,
        "failing": [{"source": f.source, "since": f.since.isoformat(), "days": f.days, "error": f.error} for f in p.failing],
        "advice": p.advice(),
    }


BARS = "▁▂▃▄▅▆▇█"


def spark(p: Pulse) -> str:
    """The 12 weeks as a line of block characters (· before tracking began), for text."""
    top = max([p.per_week or 0] + [c or 0 for _, c in p.weeks]) or 1
    return "".join("·" if c is None else BARS[min(len(BARS) - 1, round(c / top * (len(BARS) - 1)))] for _, c in p.weeks)
