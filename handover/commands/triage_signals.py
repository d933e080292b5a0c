"""What `handover triage` reads in a message besides its words' overlap with the
responses: the topics it names (word lists per language, data in triage_words.yml
and handover.yml), the charter's priority among them, and the signs of a message the
charter says not to answer with a canned response (spam, hate, abuse aimed at a
person, someone else's personal data, a troll, a mood without a question).

The order of priority and the charter rule behind each "don't answer" outcome are
the knowledge base's own (handover.yml, `triage:`); nothing here names a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from handover.commands import triage_spelling as spelling
from handover.commands.triage_lexicon import WORDY, Lexicon, Text, Words, lexicon, normalise
from handover.records.model import KnowledgeBase, Record

# Personal data written in a public message: the charter's privacy case.
PERSONAL_DATA = {
    "a phone number": re.compile(r"(?<!\d)(?:\+\d{2,3}\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
                                 # another country's: +44 7700 900123, or a British mobile 07700 900123
                                 r"|(?<![\d+])\+\d{1,3}[\s.-]?\d{3,4}(?:[\s.-]?\d{3,4}){1,2}(?!\d)|(?<!\d)07\d{3}\s?\d{6}(?!\d)"),
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "a street address": re.compile(r"\b\d{1,4}\s*(?:bis\s+|ter\s+)?(?:rue|avenue|av\.|bd|boulevard|chemin|allee|allée|place|impasse|quai|cours|street|road)\b", re.IGNORECASE),
    "a number plate": re.compile(r"\b[A-Z]{2}-\d{3}-[A-Z]{2}\b"),
    # an IBAN (FR76 3000 4000 0312 3456 7890 143) or a payment card's 16 digits
    "a bank account or card number": re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b|(?<!\d)(?:\d{4}[\s-]?){3}\d{4}(?!\d)"),
}
# A number the author says they called is someone's line, not their own data ("j'ai
# appelé le 04 72 00 00 00 dix fois"); "rappelez-moi au 06…" gives their own.
DIALLED = re.compile(r"(?:\bappel(?:e|ee|es|é|ée|és)|\bcompos(?:e|é)|\bjoint|\bcalled|\bdial(?:l)?ed|\brang|\bcalling|\btried)\s+(?:le|au|the|on)?\s*$", re.IGNORECASE)
LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|fr|net|org|xyz|io|ly|shop|co)\b|\bbit\.ly\b", re.IGNORECASE)
# Topics that help the ranking but say nothing about what to do first or whom to call.
NOT_ANSWERABLE = {"insult", "praise"}
# An attack on a person that also carries a complaint (moderation.md#protect-staff):
# the attack is removed, the complaint answered. It carries one when the entries found of
# the answerable topics, besides those naming the person ("livreur" is a role, not a
# delivery complaint), add up to this many words: each entry once, a phrase by its words
# ("toujours pas là" is a complaint on its own, "normal" is not).
COMPLAINT = 2
HARASSMENT = "harassment"  # the topic given to such a message
# What a message asks comes last, or in its question: the topics named in the clause
# that ends with its last question mark, or else after its last "but", weigh FOCUS times
# more ("j'ai retourné l'antivol reçu cassé, quand est-ce que je suis recrédité ?" is
# about the refund; "j'adore mon vélo mais le garde-chaîne…" about the criticism).
FOCUS = 1.0
ASKED = 4  # words at least in a question's clause; fewer ("normal ??"): the clause before it too
# Thanks that come with a question about something else are not what needs an answer
# ("trop contente de mon vélo 😍, vous conseillez qui pour la révision ?"): the praise
# then weighs this much in the ranking (nothing: the question is answered, with thanks).
PRAISE_BESIDE_QUESTION = 0.0
CONTRAST = re.compile(r"\b(?:mais|par contre|sauf que|cependant|but|however|though)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Priority:
    topic: str
    rule: str
    writer: bool = False  # only when the author is one (a journalist), whatever they write about
    always_answer: bool = False  # a message naming it is answered even if it reads like one not to answer


@dataclass(frozen=True)
class SilentRule:
    signal: str
    rule: str
    action: str


@dataclass
class Reading:
    """What the message says, as triage reads it."""

    topics: dict[str, list[str]]  # topic → the words found
    focus: dict[str, int] = field(default_factory=dict)  # topic → words found in what the message asks (FOCUS)
    # topic → entries its misspelt words stand for: they rank, but never decide the
    # charter's priority, a "don't answer" case or whom to alert ("réduction" is close to "rédaction")
    close: dict[str, list[str]] = field(default_factory=dict)
    writer: dict[str, str] = field(default_factory=dict)  # topic → why the author is one
    personal_data: list[str] = field(default_factory=list)
    signals: dict[str, list[str]] = field(default_factory=dict)
    link: bool = False
    question: bool = False
    attack_with_complaint: bool = False  # aimed at a person, with a complaint to answer

    def weights(self) -> dict[str, float]:
        counts = {t: len(words) + FOCUS * self.focus.get(t, 0) for t, words in self.topics.items()}
        if self.question and "praise" in counts and any(t not in NOT_ANSWERABLE for t in counts):
            counts["praise"] *= PRAISE_BESIDE_QUESTION
        for topic, words in self.close.items():
            counts[topic] = counts.get(topic, 0) + len(words)
        total = sum(counts.values())
        return {t: n / total for t, n in counts.items() if n} if total else {}

    def answerable(self) -> bool:
        return any(t not in NOT_ANSWERABLE for t in self.topics) or bool(self.writer)


CLAUSE = re.compile(r"[,.;:!?\n]|\b(?:et|and|mais|but|puis|then)\b", re.IGNORECASE)


def _together(words: Lexicon, message: str, language: str | None) -> dict[str, list[str]]:
    """Topic → what names it by two entries found in the same clause (`together`)."""
    found: dict[str, list[str]] = {}
    if not words.together:
        return found
    clauses = [Text.of(c) for c in CLAUSE.split(message) if c.strip()]
    for name, pairs in words.together.items():
        for first, second in pairs:
            for clause in clauses:
                one, two = first.found(clause, language), second.found(clause, language)
                if one and two:
                    found.setdefault(name, []).append(f"{one[0].strip()} {two[0].strip()}")
    return found


def priorities(kb: KnowledgeBase) -> list[Priority]:
    """The charter's order among topics (handover.yml: `triage: priority:`), keeping the
    entries whose rule exists in the charter."""
    entries = kb.config.triage.get("priority")
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("topic"), str) and entry.get("rule") in kb.rules:
            found.append(Priority(entry["topic"], str(entry["rule"]), entry.get("writer") is True, entry.get("always_answer") is True))
    return found


def silent_rules(kb: KnowledgeBase) -> list[SilentRule]:
    """Which charter rule says what to do with each kind of message not to answer
    (handover.yml: `triage: silent:`), in the order they are checked."""
    entries = kb.config.triage.get("silent")
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("signal"), str) and entry.get("rule") in kb.rules:
            found.append(SilentRule(entry["signal"], str(entry["rule"]), str(entry.get("action", "ignore"))))
    return found


def language_of(kb: KnowledgeBase, message: str) -> str | None:
    """The language whose words of the lists the message uses most, if one does: for
    messages too short for their stop words to tell ("10/10 would recommend")."""
    words = lexicon(kb)
    text = Text.of(message)
    counts: dict[str, int] = {}
    for entries in [*words.topics.values(), *words.signals.values()]:
        for language, items in entries.by_language.items():
            if language:
                counts[language] = counts.get(language, 0) + len(Words({language: items}).found(text, language))
    best = max(counts.values(), default=0)
    winners = [language for language, n in counts.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None


def read(kb: KnowledgeBase, message: str, author: Record | None = None, language: str | None = None,
         misspelt: Iterable[str] = ()) -> Reading:
    """The topics, signals and author of a message in `language` (None: not known).
    `misspelt`: its words found nowhere in the knowledge base (the search index's
    answer), which may name a topic misspelt (triage_spelling.py)."""
    words = lexicon(kb)
    text = Text.of(message)
    topics = {name: hits for name, entries in words.topics.items() if (hits := entries.found(text, language))}
    for name, hits in _together(words, message, language).items():
        topics.setdefault(name, []).extend(h for h in hits if h not in topics[name])
    known = [hit.strip() for hits in topics.values() for hit in hits]
    unknown = [w for written in misspelt for w in Text.of(written).folded.split()]  # as the lists are written
    reading = Reading(topics, close=spelling.close_topics(unknown, _close_index(words, language), known))
    asked = _asked(message)
    if asked:
        focus = Text.of(asked)
        reading.focus = {name: n for name in topics if (n := len(words.topics[name].found(focus, language)))}
    for name, entries in words.writers.items():
        hits = [h for h in entries.found(text, language) if _of_the_author(text, h, words.someone_else.get(name), language)]
        if hits:
            reading.writer[name] = f'the author writes "{hits[0].strip()}"'
    if author is not None:  # a known author: their record says who they are
        about = Text.of(" ".join(str(author.data.get(k, "")) for k in ("role", "organization", "tags")))
        for name, entries in words.writers.items():
            if entries.found(about):
                reading.writer[name] = f"the author is {author.title} ({author.kind.folder}/{author.id})"
    reading.personal_data = [what for what, pattern in PERSONAL_DATA.items() if any(not _dialled(message, m.start()) for m in pattern.finditer(message))]
    reading.link = bool(LINK.search(message))
    reading.question = "?" in message
    reading.signals = {name: hits for name, entries in words.signals.items() if (hits := entries.found(text, language))}
    if reading.personal_data and not reading.signals.get("others"):
        reading.topics.setdefault("privacy", []).extend(reading.personal_data)
    people = _people(kb).found(text)
    if people:
        reading.signals.setdefault("person", []).extend(people)
    attack = _attack(reading)
    if attack and sum(len(word.split()) for word in set(_complaint(reading))) >= COMPLAINT:
        reading.attack_with_complaint = True
        reading.topics.setdefault(HARASSMENT, []).extend(attack)
    return reading


_CLOSE: dict[tuple[int, str | None], tuple[Lexicon, dict[str, list[spelling.Entry]]]] = {}


def _close_index(words: Lexicon, language: str | None) -> dict[str, list[spelling.Entry]]:
    """The topic entries a misspelt word may stand for (triage_spelling.py), in the
    message's language (every language when it is not known), once per lexicon."""
    key = (id(words), language)
    cached = _CLOSE.get(key)
    if cached is None or cached[0] is not words:
        entries = {name: tuple(e for lang, items in w.by_language.items() if language is None or lang in (language, "") for e in items)
                   for name, w in words.topics.items()}
        cached = _CLOSE[key] = (words, spelling.close_entries(entries))
    return cached[1]


def _of_the_author(text: Text, entry: str, someone_else: tuple[Words, Words] | None, language: str | None) -> bool:
    """Whether a writer word found in the text says who the author is: somewhere, it
    does not come right after a word that makes it someone else ("un journaliste",
    "to a journalist"), or that word comes after one by which the author speaks of
    themselves ("je suis une journaliste"; "je suis journaliste", "I'm a journalist")."""
    if someone_else is None or not WORDY.search(entry):
        return True
    others, oneself = someone_else
    needle = " " + entry.strip()
    start = text.folded.find(needle)
    while start >= 0:
        before = " " + " ".join(text.folded[:start].split()[-3:]) + " "
        marks = [e.strip() for e in others.found(Text(before, before), language) if before.endswith(" " + e.strip() + " ")]
        if not marks:
            return True
        rest = " " + before[:-len(marks[0]) - 1].strip() + " "
        if any(rest.endswith(" " + e.strip() + " ") for e in oneself.found(Text(rest, rest), language)):
            return True
        start = text.folded.find(needle, start + 1)
    return False


def _dialled(message: str, start: int) -> bool:
    """Whether what starts at `start` comes right after words saying the author called it (DIALLED)."""
    return bool(DIALLED.search(message[max(0, start - 30):start]))


def _asked(message: str) -> str | None:
    """The part of the message that says what it asks (see FOCUS), when it has one
    that is not the whole message: the clause of its last question (ASKED words at
    least), or what follows its last "but"."""
    question = message.rstrip().rfind("?")
    if question > 0:
        start = question
        while True:
            start = max(message.rfind(mark, 0, start) for mark in ".!?\n,;:")
            if start < 0 or len(re.findall(r"\w+", message[start:question])) >= ASKED:
                break
        part = message[start + 1:question]
    else:
        contrasts = list(CONTRAST.finditer(message))
        part = message[contrasts[-1].end():] if contrasts else ""
    part = part.strip(" ?")
    return part if part and len(part) < len(message.strip()) - 1 else None


def _attack(reading: Reading) -> list[str]:
    """The words by which a message insults or threatens a person it names, if it does."""
    person = reading.signals.get("person", [])
    blows = reading.signals.get("threat") or reading.topics.get("insult") or []
    return [*person, *blows] if person and blows else []


def _complaint(reading: Reading) -> list[str]:
    """The words of the answerable topics, besides those that name the person."""
    person = [p.strip() for p in reading.signals.get("person", [])]
    return [word for topic, words in reading.topics.items() if topic not in NOT_ANSWERABLE and topic != HARASSMENT
            for word in words if not any(word.strip() in p or p in word.strip() for p in person)]


def _people(kb: KnowledgeBase) -> Words:
    """The first names of the team and of the contacts who are people (two or three
    capitalised words, not the name of their organisation): an insult naming them
    targets a person."""
    names = set()
    for kind in ("team", "contacts"):
        for record in kb.records[kind].values():
            words = record.title.split()
            organization = str(record.data.get("organization", ""))
            if 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and words[0] not in organization:
                names.add(normalise(words[0]) + " ")
    return Words({"": tuple(sorted(names))})


def silent(kb: KnowledgeBase, reading: Reading) -> tuple[SilentRule, str] | None:
    """The charter's "don't answer" case the message falls in, and why; None when it
    calls for an answer, as one naming a topic the charter's order says to answer
    always does (handover.yml: `always_answer: true`, the safety reports)."""
    if any(p.always_answer and not p.writer and p.topic in reading.topics for p in priorities(kb)):
        return None
    signals = reading.signals
    insults = len(reading.topics.get("insult", []))
    checks: dict[str, str | None] = {
        "spam": (_why(signals.get("spam"), "it reads like spam")
                 if (len(signals.get("spam", [])) >= 2 or (signals.get("spam") and reading.link)) and not signals.get("reported") else None),
        "hate": _why(signals.get("hate"), "hateful words"),
        "abuse": (f'an insult or a threat aimed at a person: "{signals["person"][0].strip()}", '
                  f'"{(signals.get("threat") or reading.topics.get("insult") or [""])[0].strip()}"'
                  if _attack(reading) and not reading.attack_with_complaint else None),
        "others-data": (f'someone else\'s personal data ({", ".join(reading.personal_data)}; "{signals["others"][0].strip()}")'
                        if signals.get("others") and reading.personal_data else None),
        "troll": (_why(signals.get("troll"), "off-topic provocation, no question about us:")
                  if not reading.answerable() and not _pleased(reading)
                  and len(signals.get("troll", [])) >= max(1, insults) + bool(signals.get("ours")) else None),
        "mood": (_why(signals.get("mood"), "a mood without a question:")
                 if not reading.answerable() and signals.get("mood") and not reading.question and not reading.topics.get("insult") else None),
    }
    for rule in silent_rules(kb):
        why = checks.get(rule.signal)
        if why:
            return rule, why
    return None


def _pleased(reading: Reading) -> bool:
    """Praise without an insult: a happy customer laughing ("lol", 😂) is not a troll
    (moderation.md#no-feeding-trolls: no link with our bikes); "bravo les clowns 😂" is."""
    return bool(reading.topics.get("praise")) and not reading.topics.get("insult")


def _why(hits: list[str] | None, what: str) -> str | None:
    if not hits:
        return None
    return f'{what} "{hits[0].strip()}"' + (f' and {len(hits) - 1} more sign(s)' if len(hits) > 1 else "")


# --------------------------------------------------------------------------- responses


def profiles(kb: KnowledgeBase) -> dict[str, dict[str, float]]:
    """Response → topic → how much it is about it (0–1), from the share of its title,
    `when` lines and tags that name the topic."""
    words = lexicon(kb)
    shares: dict[str, dict[str, float]] = {}
    for record in kb.records["responses"].values():
        situations = record.data.get("when")
        units = [record.title, *(s for s in (situations if isinstance(situations, list) else []) if isinstance(s, str)),
                 " ".join(str(t) for t in record.get("tags", []))]
        texts = [Text.of(u) for u in units]
        counts = {name: sum(1 for t in texts if entries.found(t)) for name, entries in words.topics.items()}
        shares[record.id] = {name: n / len(texts) for name, n in counts.items() if n}
    best: dict[str, float] = {}
    for by_topic in shares.values():
        for name, share in by_topic.items():
            best[name] = max(best.get(name, 0.0), share)
    # Relative to the response most about the topic, and to the response's own main
    # topic: a refund response whose situations mention an order is not about delivery.
    return {ident: {t: (s / best[t]) * (s / max(by_topic.values())) for t, s in by_topic.items()}
            for ident, by_topic in shares.items()}


def main_rule(record: Record) -> str | None:
    """The first charter rule a response applies: the one it is written for."""
    rules = [r for r in record.get("charter", []) if isinstance(r, str)]
    return rules[0] if rules else None
