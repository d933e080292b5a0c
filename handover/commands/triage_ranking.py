"""How `handover triage` ranks the canned responses for a message: signals added
up (see triage.py's docstring), the weights below, and the versions of one response
for different platforms."""

from __future__ import annotations

from typing import Any

from handover.commands import triage_signals as signals
from handover.commands import triage_suggestions as suggested
from handover.commands.triage_suggestions import Suggestion
from handover.records.model import KnowledgeBase, Record

# Index fields and their weights (search/index.py; `content` holds all of a record's text).
RESPONSE_FIELDS = {"when": 3.0, "title": 2.0, "keywords": 1.5, "content": 0.7}
INCIDENT_FIELDS = {"title": 3.0, "keywords": 2.0, "content": 0.5}
CLOSEST_SITUATION = 2.0  # weight of the one `when` situation closest to the message
# A response's score: LEXICAL × its words' score (share of the best) + TOPICAL × how
# much it is about the topics the message names, + PRIORITY when it is written for the
# charter rule of the message's first topic in the charter's order, + SAME_LANGUAGE.
# A topic outweighs a language: an English legal threat gets the French legal response.
LEXICAL = 1.0
TOPICAL = 2.0
PRIORITY = 3.0
SAME_LANGUAGE = 0.8
OTHER_LANGUAGE_WORDS = 0.5  # words shared with a response in another language match mostly by accident ("service")
DRAFT = 0.1  # taken off a response not yet approved
OTHER_PLATFORM = 0.15  # … one that does not list the message's platform
TOO_LONG = 0.3  # … one too long for the message's platform
# … one with a version better placed for the platform: the version lists it and fits it
# when this one does not, or both do and only the version is approved. Versions: same
# language, same main charter rule, same main topic, and each lists a platform the
# other does not (compte-pirate-court for TikTok and X, compte-pirate-info elsewhere).
OTHER_VERSION = 1.0
WEAK = 0.15  # responses scoring under this share of the best are not suggested


def look_up(kb: KnowledgeBase, index: Any, message: str) -> tuple[Any, dict[str, float], Any, dict[str, Any]]:
    """The responses and incidents whose words the message shares (the search index),
    with each response's closest `when` situation, and the index's status."""
    responses = index.match_text(message, kinds=["responses"], limit=len(kb.records["responses"]) or 1, fields=RESPONSE_FIELDS, passages=False)
    closest = {hit.id: _closest_situation(index, kb.get("responses", hit.id), message) for hit in responses.hits}
    incidents = index.match_text(message, kinds=["incidents"], limit=10, fields=INCIDENT_FIELDS, matched=True, passages=False)
    return responses, closest, incidents, index.status.as_dict()


def add_passages(index: Any, message: str, suggestions: list[Suggestion], hits: list[Any]) -> None:
    """The part of each suggested response that matched its words (`hits`), in bold:
    cut for the responses shown only."""
    matched = {hit.id for hit in hits}
    found = index.passages(message, "responses", [s.id for s in suggestions if s.id in matched], fields=RESPONSE_FIELDS)
    for suggestion in suggestions:
        suggestion.matched = found.get(suggestion.id, "")


def _closest_situation(index: Any, record: Record | None, message: str) -> float:
    """How close the message is to the response's nearest `when` situation: the
    rarity of the words they share. The whole-field score blurs a response with many
    situations; one situation that reads like the message is a strong sign."""
    situations = record.data.get("when") if record is not None else None
    if not isinstance(situations, list):
        return 0.0
    words = set(index.words(message))
    best = 0.0
    for situation in situations:
        if isinstance(situation, str):
            best = max(best, sum(index.rarity("when", w) for w in words & set(index.words(situation))))
    return best


_PROFILES: dict[int, tuple[KnowledgeBase, dict[str, dict[str, float]]]] = {}


def _profiles(kb: KnowledgeBase) -> dict[str, dict[str, float]]:
    """The responses' topic profiles, computed once per loaded knowledge base."""
    cached = _PROFILES.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, signals.profiles(kb))
        _PROFILES.clear()
        _PROFILES[id(kb)] = cached
    return cached[1]


def _purpose(record: Record, profiles: dict[str, dict[str, float]]) -> tuple[str | None, str | None]:
    """What a response is for: its main charter rule and its main topic (None: none found)."""
    profile = profiles.get(record.id, {})
    return signals.main_rule(record), max(profile, key=lambda t: profile[t]) if profile else None


def _versions(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Response → its versions for other platforms (see OTHER_VERSION)."""
    profiles = _profiles(kb)

    def kind(record: Record) -> tuple[Any, ...]:
        return (record.data.get("language"), *_purpose(record, profiles))

    def platforms(record: Record) -> set[str]:
        return {p for p in record.get("platforms", []) if isinstance(p, str)}

    records = list(kb.records["responses"].values())
    return {r.id: [o.id for o in records if o.id != r.id and kind(o) == kind(r) and kind(r)[2] is not None
                   and platforms(o) - platforms(r) and platforms(r) - platforms(o)] for r in records}


def _untranslated(kb: KnowledgeBase, language: str) -> set[str]:
    """The responses in another language than `language` that have no counterpart in it
    (same main charter rule, same main topic): for a message in `language` they are the
    only ones of their kind, so its language does not count against them
    (critique-constructive, in French only, for an English criticism)."""
    profiles = _profiles(kb)
    records = list(kb.records["responses"].values())
    written = {_purpose(r, profiles) for r in records if r.data.get("language") == language}
    return {r.id for r in records if r.data.get("language") not in (language, None) and _purpose(r, profiles) not in written}


def _placement(kb: KnowledgeBase, record: Record, platform: str | None) -> tuple[bool, bool]:
    """(written for the platform and short enough for it, approved): the larger, the better placed."""
    platforms = [p for p in record.get("platforms", []) if isinstance(p, str)]
    suggestion = suggested.build(kb, record, 0.0, "", platform, platforms)
    return (suggestion.listed and suggestion.fits, record.data.get("status") == "approved")


def rank(kb: KnowledgeBase, hits: list[Any], closest: dict[str, float], language: str | None, platform: str | None,
          reading: signals.Reading, first: signals.Priority | None, attack: str | None = None) -> list[Suggestion]:
    text_scores = {hit.id: hit.score + CLOSEST_SITUATION * closest.get(hit.id, 0.0) for hit in hits}
    top = max(text_scores.values(), default=0.0) or 1.0
    weights = reading.weights()
    profiles = _profiles(kb)
    versions = _versions(kb)
    untranslated = _untranslated(kb, language) if language else set()
    suggestions = []
    for record in kb.records["responses"].values():
        lexical = text_scores.get(record.id, 0.0) / top
        if language and record.data.get("language") not in (language, None):
            lexical *= OTHER_LANGUAGE_WORDS
        profile = profiles.get(record.id, {})
        topical = sum(weight * profile.get(topic, 0.0) for topic, weight in weights.items())
        chosen = first is not None and signals.main_rule(record) == first.rule
        answers_attack = attack is not None and attack in record.get("charter", [])
        if lexical <= 0 and topical <= 0 and not chosen and not answers_attack:
            continue
        why = []
        score = LEXICAL * lexical + TOPICAL * topical
        if topical > 0:
            why.append("about " + ", ".join(t for t in weights if profile.get(t)))
        if chosen and first is not None:
            score += PRIORITY
            why.append(f"written for {first.rule}")
        if answers_attack:
            score += PRIORITY
            why.append(f"an attack on a person with a complaint: {attack}, then answer the complaint")
        if language and (record.data.get("language") == language or record.id in untranslated):
            score += SAME_LANGUAGE
        if record.data.get("status") != "approved":
            score -= DRAFT
        platforms = [p for p in record.get("platforms", []) if isinstance(p, str)]
        suggestion = suggested.build(kb, record, 0.0, "", platform, platforms)
        if platform and platform not in platforms:
            score -= OTHER_PLATFORM
        if not suggestion.fits:
            score -= TOO_LONG
            why.append("too long for the platform")
        better = [v for v in versions.get(record.id, []) if _placement(kb, kb.records["responses"][v], platform) > _placement(kb, record, platform)]
        if better:
            score -= OTHER_VERSION
            why.append(f"{better[0]} is the version for {_platform_label(kb, platform)}")
        if score > 0:
            suggestion.score, suggestion.why = round(score, 3), why
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.id))
    best = suggestions[0].score if suggestions else 0.0
    return [s for s in suggestions if s.score >= WEAK * best]


def _platform_label(kb: KnowledgeBase, platform: str | None) -> str:
    return kb.config.platforms[platform].label if platform else "any platform"
