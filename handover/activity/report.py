"""`handover pulse` as text and as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from handover.activity.analysis import Pulse, pulse_as_dict
from handover.activity.analysis import ago as _ago
from handover.activity.derive import propose_feed


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def proposal(p: Pulse) -> str | None:
    """A feed to add to the account, when none is named and the URL gives one."""
    if p.account.data.get("feed"):
        return None
    url, platform = p.account.data.get("url"), p.account.data.get("platform")
    return propose_feed(url, str(platform or "")) if isinstance(url, str) else None


def pulse_report(found: list[Pulse], today: dt.date) -> dict[str, Any]:
    return {"today": today.isoformat(), "quiet": [p.account.ref for p in found if p.active and p.quiet],
            "accounts": [{**pulse_as_dict(p), "proposed_feed": proposal(p)} for p in found]}


def format_pulse(found: list[Pulse], today: dt.date) -> str:
    """One block per account, the quiet ones first."""
    order = {"quiet": 0, "below": 1, "failing": 2, "stale": 3, "untracked": 4, "ok": 5}
    out = [f"pulse on {today}:", ""]
    for p in sorted(found, key=lambda p: (order.get(p.state, 6), p.account.id)):
        data = p.account.data
        out.append(f"{p.account.id}  [{p.state.upper()}]  {data.get('platform')} {data.get('handle')}")
        out.append(f"  owner {p.owner or '-'}, backup {p.backup or '-'}, cadence {data.get('cadence') or '-'}")
        if p.tracked:
            last = f"{p.last_post} ({_ago(p.days_since)}){' ' + p.last_url if p.last_url else ''}" if p.last_post else "none recorded"
            out.append(f"  last post: {last}; activity read {p.last_read}")
            cadence = f" for {p.per_week:g}/week" if p.per_week else ""
            out.append(f"  posts/week: {_rate(p.rate4)} over 4 weeks, {_rate(p.rate12)} over 12{cadence}; trend {p.trend or 'unknown'}")
            out.append("  weeks: " + " ".join("." if c is None else str(c) for _, c in p.weeks) + "  (oldest first, this week last)")
        for failing in p.failing:
            out.append(f"  feed failing since {failing.since} ({failing.days} days): {failing.error}")
        feed = proposal(p)
        if feed:
            out.append(f"  feed: none named; add  feed: {feed}")
        out.append(f"  to do: {p.advice()}")
        out.append("")
    quiet = [p for p in found if p.active and p.quiet]
    out.append(f"{len(quiet)} quiet account{'s' if len(quiet) != 1 else ''}" + (": " + ", ".join(f"{p.account.id} (owner {p.owner or '-'})" for p in quiet) if quiet else ""))
    return "\n".join(out)
