"""Relationships with a memory: the interaction log of a contact or an influencer.

Each record may keep `interactions` (date, channel, who, one line). The last contact
is the later of the written `last_contact` and the newest interaction, so a record
that only has `last_contact` keeps working. How long a relationship may stay silent
comes from handover.yml (`stay_in_touch`: per influencer tier, per contact
department); a relationship with such an interval is a key relationship.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handover.records.model import KnowledgeBase, Record
from handover.records.values import as_date

RELATIONSHIP_KINDS = ("contacts", "influencers")


@dataclass(frozen=True)
class Interaction:
    date: dt.date
    channel: str
    who: str
    note: str
    index: int  # position in the record's list, for locating problems


def interactions(record: Record) -> list[Interaction]:
    """The record's interaction log, newest first (entries without a date skipped)."""
    items = record.data.get("interactions")
    found = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        day = as_date(item.get("date")) if isinstance(item, dict) else None
        if day is not None:
            found.append(Interaction(day, str(item.get("channel") or ""), str(item.get("who") or "").rpartition("/")[2],
                                     str(item.get("note") or ""), index))
    return sorted(found, key=lambda i: (i.date, i.index), reverse=True)


def last_contact(record: Record) -> dt.date | None:
    """The later of `last_contact` and the newest interaction."""
    written = record.date("last_contact")
    logged = interactions(record)
    newest = logged[0].date if logged else None
    dates = [d for d in (written, newest) if d is not None]
    return max(dates) if dates else None


def tier_of(record: Record, kb: KnowledgeBase) -> str | None:
    """An influencer's tier: computed from the audience, else as written."""
    from handover.records.settings import TIER_NAMES

    audience = record.data.get("audience")
    best: str | None = None
    for platform, figures in (audience.items() if isinstance(audience, dict) else []):
        followers = figures.get("followers") if isinstance(figures, dict) else None
        if isinstance(followers, int) and not isinstance(followers, bool):
            tier = kb.config.tier_for(str(platform), followers)
            if best is None or TIER_NAMES.index(tier) > TIER_NAMES.index(best):
                best = tier
    written = record.data.get("tier")
    return best or (written if isinstance(written, str) else None)


def stay_in_touch(record: Record, kb: KnowledgeBase) -> dt.timedelta | None:
    """How long this relationship may stay silent (handover.yml: stay_in_touch), or
    None when it is not a key relationship. A relationship marked do-not-contact or
    paused has none."""
    if record.kind.folder not in RELATIONSHIP_KINDS or record.data.get("stage") in ("do-not-contact", "paused"):
        return None
    intervals = kb.config.stay_in_touch.get(record.kind.folder, {})
    key = tier_of(record, kb) if record.kind.folder == "influencers" else record.data.get("department")
    return intervals.get(str(key)) if key else None


@dataclass(frozen=True)
class Silence:
    record: Record
    interval: dt.timedelta
    last: dt.date | None  # None: no contact ever recorded
    owner: str | None


def silence(record: Record, kb: KnowledgeBase, today: dt.date) -> Silence | None:
    """A key relationship silent for longer than its interval, or None."""
    interval = stay_in_touch(record, kb)
    if interval is None:
        return None
    last = last_contact(record)
    if last is not None and last >= today - interval:
        return None
    owner = record.data.get("owner")
    return Silence(record, interval, last, owner.rpartition("/")[2] if isinstance(owner, str) else None)
