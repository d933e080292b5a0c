"""`handover triage`: what to do with an incoming comment or message.

For one message: who wrote it (a known influencer or contact), the canned responses
that fit it best, rendered with their defaults and measured against the platform's
limit, the charter rules they apply, whom to escalate to, and the past incidents that
looked like it. An aid to sorting, not a decision: the charter has the last word.

Ranking uses the search index (search.py): the message's words against each
response's `when` situations (weighted most), title, tags and text. Responses in the
message's language come first among close scores.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from handover.records.fieldtypes import normalise_handle
from handover.records.fold import fold
from handover.records.model import KnowledgeBase, Record
from handover.records.replies import render

# Index fields and their weights (search.py; `content` holds all of a record's text).
RESPONSE_FIELDS = {"when": 3.0, "title": 2.0, "keywords": 1.5, "content": 0.7}
INCIDENT_FIELDS = {"title": 3.0, "keywords": 2.0, "content": 0.5}
CLOSEST_SITUATION = 2.0  # weight of the one `when` situation closest to the message
SAME_LANGUAGE = 1.5  # score factor for a response in the message's language
# A response escalated to the people who handle a topic the message names gains this
# share of the best text score: the bridge between an English message and a French
# response that share no word, and between a message's words and its topic.
SAME_TOPIC = 0.5
DRAFT = 0.85  # score factor for a response not yet approved
OTHER_PLATFORM = 0.85  # score factor for a response that does not list the message's platform
SHOWN_RESPONSES = 3
WEAK = 0.2  # responses scoring under this share of the best are not suggested
SHOWN_INCIDENTS = 3

# Words that name an escalation topic by themselves, for the default topics of
# handover.yml (French and English, accent-folded, matched as word beginnings; a
# trailing space asks for the whole word).
# Topics a knowledge base adds of its own have no words here: for them, escalation
# follows the contacts the best response names (`escalate_to`).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "safety": ("frein", "brake", "tombe", "chute", "crash", "fissur", "crack", "danger", "chauff", "fume", "brul",
               "feu", "fire", "overheat", "blesse", "injur", "accident"),
    "recall": ("rappel", "recall"),
    "legal": ("avocat", "plainte", "tribunal", "proces", "demeure", "ufc", "dgccrf", "juridique", "mensong",
              "lawyer", "lawsuit", "sue ", "sued "),
    "press": ("journalist", "reporter", "reportage", "interview", "redaction", "presse", "press", "magazine",
              "spokesperson", "porte parole"),
    "refund": ("rembours", "refund", "money back", "debite", "charged"),
    "delivery": ("livraison", "livre", "colis", "delivery", "deliver", "shipp", "tracking"),
    "warranty": ("garanti", "warranty", "defectu", "defect"),
    "outage": ("503", "plante", "site ", "website", "down ", "bug"),
    "security": ("pirat", "hack", "arnaque", "scam", "phishing", "hameconn"),
    "privacy": ("rgpd", "gdpr", "donnees perso", "personal data"),
    "hr": ("recrut", "stage", "alternan", "candidat", "emploi", "hiring"),
    "crisis": ("boycott", "bad buzz", "viral", "rumeur", "rumour", "rumor", "scandale"),
    "partnership": ("partenariat", "partner", "collab", "code promo", "createur", "creatrice", "creator", "sponsor",
                    "influenc", "youtub", "blogueu", "blogger", "ambassad"),
    "harassment": ("harcel", "harass"),
}
# Personal data written in a public message: the charter's privacy case.
PERSONAL_DATA = {
    "a phone number": re.compile(r"(?<!\d)(?:\+\d{2}\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"),
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "a street address": re.compile(r"\b\d{1,4}\s*(?:bis\s+|ter\s+)?(?:rue|avenue|av\.|bd|boulevard|chemin|allee|allée|place|impasse|quai|cours|street|road)\b", re.I),
}


@dataclass
class KnownAuthor:
    kind: str  # influencers or contacts
    id: str
    name: str
    platform: str
    handle: str
    tier: str | None = None
    stance: str | None = None
    stage: str | None = None
    organization: str | None = None
    role: str | None = None
    owner: str | None = None
    owner_name: str | None = None
    owner_leaving: str | None = None  # the owner's end date when they leave or have left
    last_contact: str | None = None
    notes: str = ""


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
    text: str  # rendered with each variable's default
    length: int
    platform: str | None  # the platform it was checked against
    limit: int | None
    fits: bool
    listed: bool  # the response lists that platform
    too_long_for: list[str] = field(default_factory=list)
    charter: list[str] = field(default_factory=list)
    escalate_to: list[str] = field(default_factory=list)


@dataclass
class RuleInfo:
    id: str
    title: str
    where: str  # file:line of the heading


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


@dataclass
class Triage:
    message: str
    platform: str | None
    author_handle: str | None
    author: KnownAuthor | None
    language: str | None
    topics: dict[str, str]  # topic the message names → why
    suggestions: list[Suggestion]
    rules: list[RuleInfo]
    escalations: list[Escalation]
    incidents: list[SimilarIncident]
    index: dict[str, Any]

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
    language = guess_language(message, _languages(kb))

    def look_up(index: Any) -> tuple[Any, dict[str, float], Any, dict[str, Any]]:
        responses = index.match_text(message, kinds=["responses"], limit=12, fields=RESPONSE_FIELDS)
        closest = {hit.id: _closest_situation(index, kb.get("responses", hit.id), message) for hit in responses.hits}
        incidents = index.match_text(message, kinds=["incidents"], limit=10, fields=INCIDENT_FIELDS, matched=True)
        return responses, closest, incidents, index.status.as_dict()

    responses, closest, incidents, status = using_index(kb.root, kb.config.language, look_up)
    topics = _topics(kb, message)
    suggestions = _rank(kb, responses.hits, closest, language, platform, set(topics))[:limit]
    best = kb.get("responses", suggestions[0].id) if suggestions else None
    return Triage(
        message=message,
        platform=platform,
        author_handle=author,
        author=find_author(kb, author, platform) if author else None,
        language=language,
        topics=topics,
        suggestions=suggestions,
        rules=_rules(kb, suggestions[0].charter if suggestions else []),
        escalations=_escalations(kb, topics, best),
        incidents=_incidents(kb, incidents.hits, [s.id for s in suggestions]),
        index=status | {"fuzzy": sorted(set(responses.fuzzy) | set(incidents.fuzzy))},
    )


def _languages(kb: KnowledgeBase) -> list[str]:
    found = {kb.config.language}
    for record in kb.records["responses"].values():
        value = record.data.get("language")
        if isinstance(value, str):
            found.add(value)
    return sorted(found)


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


def _rank(kb: KnowledgeBase, hits: list[Any], closest: dict[str, float], language: str | None, platform: str | None, topics: set[str]) -> list[Suggestion]:
    text_scores = {hit.id: hit.score + CLOSEST_SITUATION * closest.get(hit.id, 0.0) for hit in hits}
    snippets = {hit.id: hit.snippet for hit in hits}
    bonus = SAME_TOPIC * max(text_scores.values(), default=0.0)
    candidates = dict(text_scores)
    if topics:  # responses reached through a topic only (no word in common) are candidates too
        for record in kb.records["responses"].values():
            if record.id not in candidates and topics & _handled_topics(kb, record):
                candidates[record.id] = 0.0
    suggestions = []
    for ident, score in candidates.items():
        response = kb.get("responses", ident)
        if response is None:  # indexed, but not a valid record any more: validate says why
            continue
        record = response
        if topics & _handled_topics(kb, record):
            score += bonus
        if language and record.data.get("language") == language:
            score *= SAME_LANGUAGE
        if record.data.get("status") != "approved":
            score *= DRAFT
        platforms = [p for p in record.get("platforms", []) if isinstance(p, str)]
        if platform and platform not in platforms:
            score *= OTHER_PLATFORM
        if score > 0:
            suggestions.append(_suggestion(kb, record, score, snippets.get(ident, ""), platform, platforms))
    suggestions.sort(key=lambda s: (-s.score, s.id))
    best = suggestions[0].score if suggestions else 0.0
    return [s for s in suggestions if s.score >= WEAK * best]


def _handled_topics(kb: KnowledgeBase, record: Record) -> set[str]:
    """The escalation topics of the contacts a response escalates to."""
    topics: set[str] = set()
    for contact_id in record.get("escalate_to", []):
        contact = kb.resolve(str(contact_id), ("contacts",))
        if contact is not None:
            topics.update(str(t) for t in contact.get("escalate_for", []))
    return topics


def _suggestion(kb: KnowledgeBase, record: Record, score: float, matched: str, platform: str | None, platforms: list[str]) -> Suggestion:
    variables = record.data.get("variables")
    text = render(record.body or "", variables if isinstance(variables, dict) else {})
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


def _rules(kb: KnowledgeBase, ids: list[str]) -> list[RuleInfo]:
    rules = []
    for rule_id in ids:
        rule = kb.rules.get(rule_id)
        if rule:
            rules.append(RuleInfo(rule.id, rule.title, f"{rule.document.display}:{rule.line}"))
    return rules


# --------------------------------------------------------------------------- topics and escalation


def _topics(kb: KnowledgeBase, message: str) -> dict[str, str]:
    """Topic → why: the escalation topics the message itself names (its words, or
    personal data written in it)."""
    allowed = set(kb.config.escalation_topics)
    folded = " " + " ".join(re.findall(r"\w+", fold(message.lower()))) + " "
    topics: dict[str, str] = {}
    for topic, words in TOPIC_WORDS.items():
        if topic not in allowed:
            continue
        hits = [w for w in words if f" {w}" in folded]
        if hits:
            topics[topic] = f'the message says "{hits[0]}"'
    if "privacy" in allowed:
        shown = [what for what, pattern in PERSONAL_DATA.items() if pattern.search(message)]
        if shown:
            topics.setdefault("privacy", f"the message shows {shown[0]}: hide it before answering")
    return topics


def _escalations(kb: KnowledgeBase, topics: dict[str, str], best: Record | None) -> list[Escalation]:
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


def _incidents(kb: KnowledgeBase, hits: list[Any], suggested: list[str]) -> list[SimilarIncident]:
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


# --------------------------------------------------------------------------- the author


def find_author(kb: KnowledgeBase, handle: str, platform: str | None = None) -> KnownAuthor | None:
    """The influencer or contact with this handle (on `platform` first, then on any)."""
    wanted = normalise_handle(handle)
    matches: list[tuple[bool, Record, str, str]] = []
    for kind in ("influencers", "contacts"):
        for record in kb.records[kind].values():
            handles = record.data.get("handles")
            for on, value in (handles.items() if isinstance(handles, dict) else ()):
                if isinstance(value, str) and normalise_handle(value) == wanted:
                    matches.append((platform is not None and on == platform, record, str(on), value))
    if not matches:
        return None
    matches.sort(key=lambda m: not m[0])
    _, record, on, value = matches[0]
    return _author(kb, record, on, value)


def _author(kb: KnowledgeBase, record: Record, platform: str, handle: str) -> KnownAuthor:
    from handover.checks.schema import computed_tier

    owner_id = record.data.get("owner")
    owner = kb.get("team", str(owner_id)) if owner_id else None
    leaving = None
    if owner is not None and owner.data.get("status") in ("leaving", "left"):
        end = owner.date("end")
        leaving = end.isoformat() if end else str(owner.data.get("status"))
    last = record.date("last_contact")
    notes = record.data.get("notes")
    first_paragraph = notes.strip().split("\n\n")[0] if isinstance(notes, str) else ""
    author = KnownAuthor(
        kind=record.kind.folder,
        id=record.id,
        name=record.title,
        platform=platform,
        handle=handle,
        owner=str(owner_id) if owner_id else None,
        owner_name=owner.title if owner else None,
        owner_leaving=leaving,
        last_contact=last.isoformat() if last else None,
        notes=" ".join(first_paragraph.split()),
    )
    if record.kind.folder == "influencers":
        tier = record.data.get("tier")
        author.tier = tier if isinstance(tier, str) else computed_tier(record, kb)
        author.stance = record.data.get("stance")
        author.stage = record.data.get("stage")
    else:
        author.organization = record.data.get("organization")
        author.role = record.data.get("role")
    return author
