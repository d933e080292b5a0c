"""Typo tolerance: a query word found nowhere is searched as the close spellings the
index holds.

Two ways to be close, their answers joined:
- the word as written, one letter off (a letter missing, extra, wrong, or two letters
  swapped), then analysed: `remboursment` → `remboursement` → the stem `rembours`.
  Comparing stems alone misses these, since a typo changes how a word is stemmed
  (`remboursment` stems to itself, four letters from `rembours`);
- the word's indexed form (its stem) within one letter of an indexed form (two for
  long words), with the same first letter: what a typo the stemmer did not see gives.

The index's word list is read once per unknown word (Whoosh's fuzzy query builds an
automaton per field and per segment: ten times slower here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import query as _whoosh_query

from handover.records.fold import fold
from handover.search.analysis import normal_form

wq: Any = _whoosh_query  # Whoosh re-exports its query classes untyped

MIN_FUZZY_LENGTH = 4  # shorter indexed forms are never widened, nor numbers, phones, e-mails
# Longer ones are no word with a typo but a pasted token (a hash, "aaaa…"): never widened.
# Their close spellings cost the cube of their length (a 2,000-letter one took minutes).
MAX_FUZZY_LENGTH = 40
LETTERS = "abcdefghijklmnopqrstuvwxyz"  # words are folded: no accents, no capitals
WIDENED_BOOST = 0.8  # a close spelling counts a little less than the word itself
ANALYZED = ("title", "when", "keywords", "content")


def widen_unknown_words(query: Any, reader: Any, written: dict[str, str], language: str) -> tuple[Any, list[str]]:
    """`query` with each word that occurs nowhere replaced by its close spellings
    found in the index (nothing when there are none), and the indexed forms so
    replaced. `written` maps an indexed form to the word of the query it came from."""
    words = {t.text for t in leaves(query) if isinstance(t, wq.Term) and t.fieldname in ANALYZED}
    unknown = sorted(w for w in words if MIN_FUZZY_LENGTH <= len(w) <= MAX_FUZZY_LENGTH and w.isalpha()
                     and not reader.doc_frequency("content", w))
    if not unknown:
        return query, []
    close = {word: close_words(reader, word, written.get(word, word), language) for word in unknown}

    def widen(node: Any) -> Any:
        if isinstance(node, wq.Term) and node.fieldname in ANALYZED and node.text in close:
            alternatives = [wq.Term(node.fieldname, w, boost=node.boost * WIDENED_BOOST) for w in close[node.text]]
            return wq.Or(alternatives) if alternatives else wq.NullQuery
        return node.apply(widen) if node.is_leaf() is False else node

    return widen(query), unknown


def close_words(reader: Any, form: str, written: str, language: str) -> list[str]:
    """The indexed forms close to `form` (an indexed form found nowhere), which came
    from the word `written`, in a stable order. Like `form`, they start with its
    first letter: the index's words that do are read once."""
    vocabulary = {as_text(word) for word in reader.expand_prefix("content", form[0])}
    distance = 1 if len(form) < 8 else 2
    found = {word for word in vocabulary if abs(len(word) - len(form)) <= distance and edit_distance(form, word, distance) <= distance}
    # A stem is the start of its word but for its last letter at most (`rembours`,
    # `happi`): only variants that start so are stemmed (a tenth of them, or less).
    starts = {word[:-1] for word in vocabulary if len(word) >= MIN_FUZZY_LENGTH}
    for variant in set(one_letter_off(fold(written.lower()))):
        if variant[:1] == form[0] and any(variant[:k] in starts for k in range(MIN_FUZZY_LENGTH - 1, len(variant) + 1)):
            stem = normal_form(variant, language)
            if len(stem) >= MIN_FUZZY_LENGTH and stem in vocabulary:
                found.add(stem)
    found.discard(form)
    return sorted(found)


def one_letter_off(word: str) -> Iterable[str]:
    """Every spelling one edit from `word`: a letter deleted, two neighbours swapped,
    a letter replaced, a letter inserted (Norvig's edits)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    yield from (left + right[1:] for left, right in splits if right)
    yield from (left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1)
    yield from (left + letter + right[1:] for left, right in splits if right for letter in LETTERS if letter != right[0])
    yield from (left + letter + right for left, right in splits for letter in LETTERS)


def edit_distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance (a swap of two letters counts 1), or bound + 1 once it
    exceeds `bound`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > bound:
            return bound + 1
        previous2, previous = previous, current
    return previous[-1]


def as_text(word: Any) -> str:
    """An indexed word as Whoosh hands it (bytes or str), as text."""
    return word.decode("utf-8", "replace") if isinstance(word, bytes) else str(word)


def leaves(query: Any) -> Iterator[Any]:
    """The leaf queries of a query tree."""
    children = list(query.children())
    if not children:
        yield query
    for child in children:
        yield from leaves(child)
