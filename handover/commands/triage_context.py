"""Whom to alert and which past incidents looked like it, for `handover triage`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from handover.records.model import KnowledgeBase, Record

SHOWN_INCIDENTS = 3


@dataclass
class Escalation:
    id: str
    name: str
    organization: str
    topics: list[str]
    named_by_response: bool
    phone: str | None
    email: str | None
    availability: str | None
    out_of_hours: str | None


@dataclass
class SimilarIncident:
    id: str
    title: str
    started: str | None
    status: str | None
    severity: int | None
    why: str


def escalations(kb: KnowledgeBase, topics: dict[str, str], best: Record | None) -> list[Escalation]:
    named = [str(c).rpartition("/")[2] for c in (best.get("escalate_to", []) if best else [])]
    found: list[Escalation] = []
    for contact in kb.records["contacts"].values():
        covered = [t for t in contact.get("escalate_for", []) if t in topics]
        if not covered and contact.id not in named:
            continue
        channels = contact.get("channels", {})
        channels = channels if isinstance(channels, dict) else {}
        found.append(Escalation(
            id=contact.id,
            name=contact.title,
            organization=str(contact.get("organization", "")),
            topics=[str(t) for t in covered],
            named_by_response=contact.id in named,
            phone=channels.get("mobile") or channels.get("phone"),
            email=channels.get("email"),
            availability=contact.data.get("availability"),
            out_of_hours=contact.data.get("out_of_hours"),
        ))
    found.sort(key=lambda e: (not e.named_by_response, named.index(e.id) if e.id in named else 0, -len(e.topics), e.name))
    return found


# --------------------------------------------------------------------------- incidents


def incidents(kb: KnowledgeBase, hits: list[Any], suggested: list[str]) -> list[SimilarIncident]:
    """Incidents where the suggested responses were used, then incidents whose title
    and tags share at least two words with the message."""
    chosen: dict[str, str] = {}
    for response_id in suggested[:1]:
        for record in sorted(kb.records["incidents"].values(), key=lambda r: str(r.get("started", "")), reverse=True):
            if response_id in [str(r).rpartition("/")[2] for r in record.get("responses", [])]:
                chosen.setdefault(record.id, f"response {response_id} was used")
    for hit in hits:
        words = hit.words_in("title", "keywords")
        if len(words) >= 2:
            chosen.setdefault(hit.id, "its title or tags share words with the message")
    result = []
    for ident, why in list(chosen.items())[:SHOWN_INCIDENTS]:
        incident = kb.get("incidents", ident)
        if incident is None:
            continue
        record = incident
        started = record.date("started")
        severity = record.data.get("severity")
        result.append(SimilarIncident(ident, record.title, started.isoformat() if isinstance(started, dt.date) else None,
                                      record.data.get("status"), severity if isinstance(severity, int) else None, why))
    return result
