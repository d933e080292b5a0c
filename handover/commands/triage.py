"""`handover triage`: what to do with an incoming comment or message.

For one message: who wrote it (a known influencer or contact, by the handle given or
by the full name that introduces or signs the message), whether the charter
says not to answer it with a canned response (and which rule says what to do
instead), the canned responses that fit it best, rendered with their example values
marked and measured against the platform's limit, the charter rules they apply, whom
to escalate to, and the past incidents that looked like it. An aid to sorting, not a
decision: the charter has the last word.

Ranking adds up signals (triage_signals.py): the message's words against each
response's `when` situations (the search index), the topics the message names
against the topics each response is about (word lists per language, as data), the
charter's priority among those topics (handover.yml), the message's language (to
choose between versions of one response: a response in one language only keeps its
place), and whether the response is approved, written for the platform and short
enough for it.
Versions of one response for different platforms (a short one for TikTok and X, a
full one for the others) yield to each other according to the platform.
"""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from typing import Any

from handover.commands import triage_context as context
from handover.commands import triage_ranking as ranking
from handover.commands import triage_signals as signals
from handover.commands.triage_authors import KnownAuthor, author_record, find_author, signed_by, signing_author
from handover.commands.triage_context import Escalation, SimilarIncident
from handover.commands.triage_suggestions import Suggestion, fit_line, length
from handover.records.model import KnowledgeBase

__all__ = ["Triage", "fit_line", "length", "triage"]  # fit_line and length: for the command line and the tests

SHOWN_RESPONSES = 3
X_LENGTHS = "x-lengths.json"  # in the kb's cache folder


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
    return using_index(kb.root, kb.config.language, lambda index: _triage(kb, index, message, author, platform, language, limit))


def _triage(kb: KnowledgeBase, index: Any, message: str, author: str | None, platform: str | None, language: str | None, limit: int) -> Triage:
    """`triage` on the open search index."""
    responses, closest, incidents, status = ranking.look_up(kb, index, message)
    found = author_record(kb, author, platform) if author else None
    signed = signed_by(kb, message) if author is None else None
    writer = found[0] if found else signed
    reading = signals.read(kb, message, writer, language, misspelt=responses.fuzzy)
    first = _first_priority(kb, reading)
    quiet = signals.silent(kb, reading)
    attack = _attack_rule(kb, reading) if first is None else None
    with _lengths_remembered(kb):
        suggestions = ranking.rank(kb, responses.hits, closest, language, platform, reading, first, attack)[:limit]
    ranking.add_passages(index, message, suggestions, responses.hits)
    best = kb.get("responses", suggestions[0].id) if suggestions and quiet is None else None
    topics = _topics(kb, reading, quiet)
    return Triage(
        message=message,
        platform=platform,
        author_handle=author,
        author=find_author(kb, author, platform) if author else (signing_author(kb, signed, platform) if signed else None),
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


def _lengths_remembered(kb: KnowledgeBase) -> AbstractContextManager[None]:
    """X's lengths of the responses, kept in the kb's cache from one triage to the
    next (records/xtext.py): measuring them imports a library that costs more than
    the rest of the triage. Nothing kept when the cache folder cannot be made."""
    from handover.files.lock import cache_dir
    from handover.records.xtext import remembered

    try:
        return remembered(cache_dir(kb.root) / X_LENGTHS)
    except OSError:
        return contextlib.nullcontext()


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
