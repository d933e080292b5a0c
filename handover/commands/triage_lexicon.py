"""The words `handover triage` looks for: the bundled lists (triage_words.yml) extended
by handover.yml's `triage: words:`, per topic and language, and how a message is
matched against them (folded, lower case, punctuation as spaces). What the matches
mean (topics, priority, "don't answer") is triage_signals.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from handover.records.fold import fold
from handover.records.model import KnowledgeBase

WORDS_FILE = Path(__file__).with_name("triage_words.yml")


@dataclass(frozen=True)
class Words:
    """Word beginnings per language ("" for any), normalised (folded, lower case,
    punctuation as spaces)."""

    by_language: dict[str, tuple[str, ...]]
    _checks: dict[str | None, tuple[tuple[str, bool], ...]] = field(default_factory=dict, compare=False, repr=False)

    def found(self, text: Text, language: str | None = None) -> list[str]:
        """The entries found in the text: those of its language, or of every language
        when it is not known (a French "comment on" is not the English one)."""
        checks = self._checks.get(language)
        if checks is None:
            lists = self.by_language.values() if language is None else (self.by_language.get(language, ()), self.by_language.get("", ()))
            entries = dict.fromkeys(e for entries in lists for e in entries)
            checks = self._checks[language] = tuple((e if not WORDY.search(e) else f" {e}", not WORDY.search(e)) for e in entries)
        hits = [e.lstrip(" ") if not raw else e for e, raw in checks if (e in text.raw if raw else e in text.folded)]
        # one word counts once: "prelev" inside "preleve", "frein" inside "frein hs"
        return [h for h in hits if not any(o != h and h.strip() in o for o in hits)]


WORDY = re.compile(r"\w")


@dataclass(frozen=True)
class Text:
    raw: str
    folded: str  # " words separated by single spaces "

    @classmethod
    def of(cls, text: str) -> Text:
        return cls(text, " " + " ".join(re.findall(r"[^\W_]+", fold(text.lower()))) + " ")


@dataclass(frozen=True)
class Lexicon:
    topics: dict[str, Words]
    writers: dict[str, Words]  # topic → words by which the author says they are one (a journalist)
    signals: dict[str, Words]
    # topic → words that, right before a writer word, make it someone else ("j'ai prévenu
    # un journaliste", "I spoke to a journalist"): the author is not one; and the words
    # before those by which the author still speaks of themselves ("je suis une journaliste")
    someone_else: dict[str, tuple[Words, Words]] = field(default_factory=dict)
    # topic → pairs of lists, one entry of each in the same clause names it ("together":
    # a load-bearing part and a failure, where the failure alone is a warranty question)
    together: dict[str, tuple[tuple[Words, Words], ...]] = field(default_factory=dict)


def normalise(entry: str) -> str:
    if not WORDY.search(entry):
        return entry  # an emoji: matched as written
    words = " ".join(re.findall(r"[^\W_]+", fold(entry.lower())))
    return words + (" " if entry.endswith((" ", ".")) else "")


def _words(*specs: Any) -> Words:
    """Entries per language from {fr: [...], en: [...]} mappings (a plain list: any language)."""
    found: dict[str, list[str]] = {}
    for spec in specs:
        lists = spec.items() if isinstance(spec, dict) else [("", spec)]
        for language, items in lists:
            if language in ("writer", "together", "someone_else", "said_of_oneself") or not isinstance(items, list):
                continue
            found.setdefault(str(language), []).extend(normalise(str(i)) for i in items if isinstance(i, (str, int)))
    return Words({language: tuple(dict.fromkeys(e for e in entries if e.strip())) for language, entries in found.items()})


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Any]:
    from handover.files.yamlio import load_packaged

    data = load_packaged(WORDS_FILE.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


_LEXICONS: dict[int, tuple[Any, Lexicon]] = {}


def lexicon(kb: KnowledgeBase) -> Lexicon:
    """The bundled word lists, extended by handover.yml's `triage: words:` (once per
    loaded configuration)."""
    cached = _LEXICONS.get(id(kb.config))
    if cached is None or cached[0] is not kb.config:
        cached = (kb.config, _lexicon(kb))
        _LEXICONS.clear()
        _LEXICONS[id(kb.config)] = cached
    return cached[1]


def _lexicon(kb: KnowledgeBase) -> Lexicon:
    bundled = _bundled()
    own = kb.config.triage.get("words")
    own = own if isinstance(own, dict) else {}
    topics: dict[str, Words] = {}
    writers: dict[str, Words] = {}
    someone_else: dict[str, tuple[Words, Words]] = {}
    for name in dict.fromkeys([*bundled.get("topics", {}), *own]):
        specs = [s for s in (bundled.get("topics", {}).get(name), own.get(name)) if isinstance(s, dict)]
        topics[str(name)] = _words(*specs)
        writer = _words(*(s.get("writer") for s in specs))
        if writer.by_language:
            writers[str(name)] = writer
            marks = [m for s in specs if isinstance(w := s.get("writer"), dict) and isinstance(m := w.get("someone_else"), dict)]
            others = _words(*marks)
            if others.by_language:
                someone_else[str(name)] = (others, _words(*(m.get("said_of_oneself") for m in marks)))
    signals = {str(name): _words(spec) for name, spec in bundled.get("signals", {}).items()}
    together = {name: pairs for name in topics if (pairs := _pairs(bundled.get("topics", {}).get(name), own.get(name)))}
    return Lexicon(topics, writers, signals, together=together, someone_else=someone_else)


def _pairs(*specs: Any) -> tuple[tuple[Words, Words], ...]:
    """A topic's `together` lists: {language: [[first entries], [second entries]]}."""
    found = []
    for spec in specs:
        pair = spec.get("together") if isinstance(spec, dict) else None
        for language, lists in pair.items() if isinstance(pair, dict) else []:
            if isinstance(lists, list) and len(lists) == 2 and all(isinstance(x, list) for x in lists):
                found.append((_words({language: lists[0]}), _words({language: lists[1]})))
    return tuple(found)
