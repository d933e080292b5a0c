"""Topic words misspelt: "livraision", "partenaria", "abonés" name the topics of
"livraison", "partenariat", "abonnés". The search side widens unknown words to the
index's close spellings (search/typos.py); this does the same for triage's word lists
(triage_words.yml), whose entries are word beginnings.

Only the message's words found nowhere in the knowledge base are looked at (the
search index says which): "rappeler" is a word, not "rappelée" misspelt. Such a word
and a list entry, both of CLOSE_LENGTH letters at least and starting with the same
two letters, are close when the entry is one letter off (missing, extra, wrong, or
two letters swapped) from the word, or from its beginning when the entry is one.
"""

from __future__ import annotations

from collections import defaultdict

from handover.search.index import edit_distance

CLOSE_LENGTH = 6  # shorter words are never taken for another ("classe" is not "casse")
Entry = tuple[str, bool, str]  # (entry, a whole word, topic)


def close_entries(entries: dict[str, tuple[str, ...]]) -> dict[str, list[Entry]]:
    """Topic → its single-word entries long enough to be matched when misspelt, indexed
    by their first two letters (what `close_topics` reads)."""
    found: dict[str, list[Entry]] = defaultdict(list)
    for topic, items in entries.items():
        for entry in items:
            word = entry.strip()
            if len(word) >= CLOSE_LENGTH and word.isalpha():
                found[word[:2]].append((word, entry.endswith(" "), topic))
    return dict(found)


def close_topics(words: list[str], index: dict[str, list[Entry]], known: list[str]) -> dict[str, list[str]]:
    """Topic → the entries the message's misspelt `words` stand for. `known`: the
    entries already found as written (a word starting with one is not misspelt)."""
    found: dict[str, list[str]] = {}
    for word in dict.fromkeys(words):
        if len(word) < CLOSE_LENGTH or not word.isalpha() or any(word.startswith(k) for k in known):
            continue
        for entry, whole, topic in index.get(word[:2], ()):
            if entry in found.get(topic, ()):
                continue
            candidates = [word] if whole else [word[:n] for n in (len(entry) - 1, len(entry), len(entry) + 1) if n <= len(word)]
            if any(0 < edit_distance(entry, c, 1) <= 1 for c in candidates):
                found.setdefault(topic, []).append(entry)
    return found
