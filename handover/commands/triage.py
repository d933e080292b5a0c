"""`handover triage`: what to do with an incoming comment or message.

For one message: who wrote it (a known influencer or contact), whether the charter
says not to answer it with a canned response (and which rule says what to do
instead), the canned responses that fit it best, rendered with their example values
marked and measured against the platform's limit, the charter rules they apply, whom
to escalate to, and the past incidents that looked like it. An aid to sorting, not a
decision: the charter has the last word.

Ranking adds up signals (triage_signals.py): the message's words against each
response's `when` situations (the search index), the topics the message names
against the topics each response is about (word lists per language, as data), the
charter's priority among those topics (handover.yml), the message's language, and
whether the response is approved, written for the platform and short enough for it.
Versions of one response for different platforms (a short one for TikTok and X, a
full one for the others) yield to each other according to the platform.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from handover.commands import triage_context as context
from handover.commands import triage_signals as signals
from handover.commands.triage_authors import KnownAuthor, author_record, find_author
from handover.commands.triage_context import Escalation, SimilarIncident
from handover.records.model import KnowledgeBase, Record
from handover.records.replies import placeholders, render

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
SHOWN_RESPONSES = 3
WEAK = 0.15  # responses scoring under this share of the best are not suggested
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


@dataclass
class Silent:
    """The charter says not to answer this message with a canned response."""

    rule: str
    action: str  # ignore, remove, hide…: what the rule says to do instead
    title: str
    where: str  # file:line of the rule's heading
    why: str


@dataclass
class RuleInfo:
    id: str
    title: str
    where: str  # file:line of the heading


@dataclass
class Triage:
    message: str
    platform: str | None
    author_handle: str | None
    author: KnownAuthor | None
    language: str | None
    topics: dict[str, str]  # escalation topic the message names → why
    suggestions: list[Suggestion]
    rules: list[RuleInfo]
    escalations: list[Escalation]
    incidents: list[SimilarIncident]
    index: dict[str, Any]
    silent: Silent | None = None  # set when the charter says not to answer with a canned response
    priority: str | None = None  # why the first suggestion comes first, when the charter's order decided
    nothing_fits: bool = False  # a platform limit was given and no suggestion fits it

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def triage(kb: KnowledgeBase, message: str, *, author: str | None = None, platform: str | None = None, limit: int = SHOWN_RESPONSES) -> Triage:
    """Everything a newcomer needs to answer `message`, from the knowledge base."""
    from handover.core.errors import UsageError
    from handover.search.index import guess_language, using_index

    if not message.strip():
        raise UsageError("the message is empty", hint='give the text of the comment, e.g. handover triage "où est mon remboursement ?"')
    if platform is not None and platform not in kb.config.platforms:
        raise UsageError(f'unknown platform "{platform}"', hint=f"use one of the platforms of handover.yml: {', '.join(kb.config.platforms)}")
    language = guess_language(message, _languages(kb)) or signals.language_of(kb, message)

    def look_up(index: Any) -> tuple[Any, dict[str, float], Any, dict[str, Any]]:
        responses = index.match_text(message, kinds=["responses"], limit=len(kb.records["responses"]) or 1, fields=RESPONSE_FIELDS)
        closest = {hit.id: _closest_situation(index, kb.get("responses", hit.id), message) for hit in responses.hits}
        incidents = index.match_text(message, kinds=["incidents"], limit=10, fields=INCIDENT_FIELDS, matched=True)
        return responses, closest, incidents, index.status.as_dict()

    responses, closest, incidents, status = using_index(kb.root, kb.config.language, look_up)
    found = author_record(kb, author, platform) if author else None
    reading = signals.read(kb, message, found[0] if found else None, language)
    first = _first_priority(kb, reading)
    quiet = None if first and first.topic in ("safety",) else signals.silent(kb, reading)
    attack = _attack_rule(kb, reading) if first is None else None
    ranked = _rank(kb, responses.hits, closest, language, platform, reading, first, attack)
    suggestions = ranked[:limit]
    best = kb.get("responses", suggestions[0].id) if suggestions and quiet is None else None
    topics = _topics(kb, reading, quiet)
    return Triage(
        message=message,
        platform=platform,
        author_handle=author,
        author=find_author(kb, author, platform) if author else None,
        language=language,
        topics=topics,
        suggestions=suggestions,
        rules=_rules(kb, suggestions[0].charter if suggestions and quiet is None else []),
        escalations=context.escalations(kb, topics, best),
        incidents=context.incidents(kb, incidents.hits, [s.id for s in suggestions] if quiet is None else []),
        index=status | {"fuzzy": sorted(set(responses.fuzzy) | set(incidents.fuzzy))},
        silent=_silent(kb, quiet),
        priority=_priority_note(first, reading) if first and quiet is None else None,
        nothing_fits=bool(platform and kb.config.platforms[platform].limit and suggestions and not any(s.fits for s in suggestions)),
    )


def _languages(kb: KnowledgeBase) -> list[str]:
    found = {kb.config.language}
    for record in kb.records["responses"].values():
        value = record.data.get("language")
        if isinstance(value, str):
            found.add(value)
    return sorted(found)


def _first_priority(kb: KnowledgeBase, reading: signals.Reading) -> signals.Priority | None:
    """The message's first topic in the charter's order, if it names one."""
    for entry in signals.priorities(kb):
        if entry.writer and entry.topic in reading.writer:
            return entry
        if not entry.writer and entry.topic in reading.topics:
            return entry
    return None


def _attack_rule(kb: KnowledgeBase, reading: signals.Reading) -> str | None:
    """The charter rule that removes an attack on a person (handover.yml: the `abuse`
    entry of `triage: silent:`), when the message is one that also carries a complaint:
    the response applying that rule answers the complaint (moderation.md#protect-staff)."""
    if not reading.attack_with_complaint:
        return None
    return next((r.rule for r in signals.silent_rules(kb) if r.signal == "abuse"), None)


def _priority_note(entry: signals.Priority, reading: signals.Reading) -> str:
    if entry.writer:
        return f"{entry.topic} first ({reading.writer[entry.topic]}): charter rule {entry.rule}"
    words = reading.topics.get(entry.topic, [])
    said = f'the message says "{words[0].strip()}"' if words else "the message names it"
    return f"{entry.topic} first ({said}): charter rule {entry.rule}"


def _silent(kb: KnowledgeBase, found: tuple[signals.SilentRule, str] | None) -> Silent | None:
    if found is None:
        return None
    rule, why = found
    info = kb.rules[rule.rule]
    return Silent(rule.rule, rule.action, info.title, f"{info.document.display}:{info.line}", why)


# --------------------------------------------------------------------------- responses


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


def _versions(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Response → its versions for other platforms (see OTHER_VERSION)."""
    profiles = _profiles(kb)

    def kind(record: Record) -> tuple[Any, ...]:
        profile = profiles.get(record.id, {})
        main_topic = max(profile, key=lambda t: profile[t]) if profile else None
        return (record.data.get("language"), signals.main_rule(record), main_topic)

    def platforms(record: Record) -> set[str]:
        return {p for p in record.get("platforms", []) if isinstance(p, str)}

    records = list(kb.records["responses"].values())
    return {r.id: [o.id for o in records if o.id != r.id and kind(o) == kind(r) and kind(r)[2] is not None
                   and platforms(o) - platforms(r) and platforms(r) - platforms(o)] for r in records}


def _placement(kb: KnowledgeBase, record: Record, platform: str | None) -> tuple[bool, bool]:
    """(written for the platform and short enough for it, approved): the larger, the better placed."""
    platforms = [p for p in record.get("platforms", []) if isinstance(p, str)]
    suggestion = _suggestion(kb, record, 0.0, "", platform, platforms)
    return (suggestion.listed and suggestion.fits, record.data.get("status") == "approved")


def _rank(kb: KnowledgeBase, hits: list[Any], closest: dict[str, float], language: str | None, platform: str | None,
          reading: signals.Reading, first: signals.Priority | None, attack: str | None = None) -> list[Suggestion]:
    text_scores = {hit.id: hit.score + CLOSEST_SITUATION * closest.get(hit.id, 0.0) for hit in hits}
    snippets = {hit.id: hit.snippet for hit in hits}
    top = max(text_scores.values(), default=0.0) or 1.0
    weights = reading.weights()
    profiles = _profiles(kb)
    versions = _versions(kb)
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
        if language and record.data.get("language") == language:
            score += SAME_LANGUAGE
        if record.data.get("status") != "approved":
            score -= DRAFT
        platforms = [p for p in record.get("platforms", []) if isinstance(p, str)]
        suggestion = _suggestion(kb, record, 0.0, snippets.get(record.id, ""), platform, platforms)
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


def _suggestion(kb: KnowledgeBase, record: Record, score: float, matched: str, platform: str | None, platforms: list[str]) -> Suggestion:
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


def _rules(kb: KnowledgeBase, ids: list[str]) -> list[RuleInfo]:
    rules = []
    for rule_id in ids:
        rule = kb.rules.get(rule_id)
        if rule:
            rules.append(RuleInfo(rule.id, rule.title, f"{rule.document.display}:{rule.line}"))
    return rules


# --------------------------------------------------------------------------- topics and escalation


def _topics(kb: KnowledgeBase, reading: signals.Reading, quiet: tuple[signals.SilentRule, str] | None) -> dict[str, str]:
    """Escalation topic → why: those the message names (its words, personal data
    written in it, who the author is), and harassment when it targets a person."""
    allowed = set(kb.config.escalation_topics)
    topics: dict[str, str] = {}
    for topic, words in reading.topics.items():
        if topic in allowed:
            topics[topic] = f'the message says "{words[0].strip()}"'
    for topic, why in reading.writer.items():
        if topic in allowed:
            topics.setdefault(topic, why)
    if "privacy" in allowed and reading.personal_data:
        topics["privacy"] = f"the message shows {reading.personal_data[0]}: hide it before answering"
    if quiet is not None and quiet[0].signal == "abuse" and "harassment" in allowed:
        topics["harassment"] = quiet[1]
    if reading.attack_with_complaint and "harassment" in allowed:
        topics["harassment"] = "an insult or a threat aimed at a person, with a complaint: remove the attack, answer the complaint"
    return topics
