"""A canned response as `handover triage` suggests it: rendered with its example
values marked, and measured against the platform's limit as the platform counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handover.records.model import KnowledgeBase, Record
from handover.records.replies import placeholders, render

EXAMPLE = "[e.g. {}]"  # how an example value is shown until replaced (handover reply --var)


@dataclass
class Suggestion:
    id: str
    title: str
    score: float
    language: str
    status: str
    reply_in: str
    platforms: list[str]
    matched: str  # the part of the response that matched, words in **bold**
    text: str  # rendered with each variable's default (what is measured)
    length: int
    platform: str | None  # the platform it was checked against
    limit: int | None
    fits: bool
    listed: bool  # the response lists that platform
    shown: str = ""  # the text with its example values marked: EXAMPLE
    examples: dict[str, str] = field(default_factory=dict)  # variable → example value used
    why: list[str] = field(default_factory=list)  # the signals that ranked it
    too_long_for: list[str] = field(default_factory=list)
    charter: list[str] = field(default_factory=list)
    escalate_to: list[str] = field(default_factory=list)



def build(kb: KnowledgeBase, record: Record, score: float, matched: str, platform: str | None, platforms: list[str]) -> Suggestion:
    variables = record.data.get("variables")
    declared = variables if isinstance(variables, dict) else {}
    body = record.body or ""
    text = render(body, declared)
    examples = {}
    for name in dict.fromkeys(p.name for p in placeholders(body)):
        spec = declared.get(name)
        if isinstance(spec, dict) and isinstance(spec.get("default"), str):
            examples[name] = spec["default"]
    shown = render(body, declared, {name: EXAMPLE.format(value) for name, value in examples.items()})
    limits = {name: p.limit for name, p in kb.config.platforms.items()}
    limit = limits.get(platform) if platform else None
    too_long = [p for p in platforms if limits.get(p) is not None and length(text, p) > (limits[p] or 0)]
    measured = length(text, platform) if platform else len(text)
    return Suggestion(
        id=record.id,
        title=record.title,
        score=round(score, 3),
        language=str(record.data.get("language", "")),
        status=str(record.data.get("status", "")),
        reply_in=str(record.data.get("reply_in", "")),
        platforms=platforms,
        matched=matched,
        text=text,
        length=measured,
        platform=platform,
        limit=limit,
        fits=limit is None or measured <= limit,
        listed=platform is None or platform in platforms,
        shown=shown,
        examples=examples,
        too_long_for=too_long,
        charter=[r for r in record.get("charter", []) if isinstance(r, str)],
        escalate_to=[c for c in record.get("escalate_to", []) if isinstance(c, str)],
    )


def length(text: str, platform: str) -> int:
    """A reply's length as the platform counts it, and as `handover validate` measures
    it (checks/responses.py, E503): the text rendered with its defaults; on X a link
    counts as 23 characters."""
    from handover.records.replies import platform_length

    return platform_length(text, platform)


def fit_line(suggestion: Suggestion, platforms: dict[str, Any]) -> str:
    """One line on the response's length against the platform (or its own platforms)."""
    if suggestion.platform:
        label = platforms[suggestion.platform].label
        listed = "" if suggestion.listed else f"; not written for {label} (it lists {', '.join(suggestion.platforms)})"
        if suggestion.limit is None:
            return f"{suggestion.length} characters, no limit on {label}{listed}"
        verdict = "fits" if suggestion.fits else "TOO LONG for"
        return f"{verdict} {label}: {suggestion.length}/{suggestion.limit} characters{listed}"
    if suggestion.too_long_for:
        return f"{suggestion.length} characters: too long for {', '.join(suggestion.too_long_for)}"
    return f"{suggestion.length} characters, fits every platform it lists ({', '.join(suggestion.platforms)})"
