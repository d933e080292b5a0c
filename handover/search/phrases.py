"""Phrases: looked up as word pairs (the `pairs` field), checked by word positions
where three words or more must follow each other (Whoosh queries and matchers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh import query as _whoosh_query
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query.qcore import Query

from handover.search.analysis import PAIRS, pairs_of

wq: Any = _whoosh_query  # Whoosh re-exports its query classes untyped


def phrases(query: Any, rarity: Callable[[str], float]) -> Any:
    """A phrase in `content` is looked for by its word pairs (see PhraseOfPairs), each
    weighted by its `rarity` (PairImpacts); one with slop ("a b"~3), by word positions.
    In the other fields, which keep neither, as all of its words."""
    if not isinstance(query, wq.Phrase):
        return query.apply(lambda child: phrases(child, rarity)) if query.is_leaf() is False else query
    words = [word for word in query.words if word]
    if query.fieldname != "content":
        return wq.And([wq.Term(query.fieldname, word, boost=query.boost) for word in words])
    if query.slop != 1 or len(words) < 2:
        return query
    if len(words) == 2:
        pair = pairs_of(words)[0]
        return wq.Term(PAIRS, pair, boost=query.boost * rarity(pair))
    return PhraseOfPairs(words, [rarity(pair) for pair in pairs_of(words)], boost=query.boost)


class PhraseOfPairs(Query):
    """A phrase of three words or more: the records holding each pair of its
    consecutive words, scored on them, where the words do follow each other. The
    word positions (kept in `content`) are read for those records only: holding
    "cellule de" and "de crise" apart is not holding "cellule de crise"."""

    fieldname = PAIRS

    def __init__(self, words: list[str], rarity: list[float], boost: float = 1.0) -> None:
        self.words = list(words)
        self.pairs = pairs_of(self.words)
        self.rarity = list(rarity)  # of each pair: its weight in the score (see PairImpacts)
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PhraseOfPairs) and (self.words, self.rarity, self.boost) == (other.words, other.rarity, other.boost)

    def __hash__(self) -> int:
        return hash((tuple(self.words), tuple(self.rarity), self.boost))

    def __repr__(self) -> str:
        return f"PhraseOfPairs({self.words!r}, boost={self.boost})"

    def __str__(self) -> str:
        return f'"{" ".join(self.words)}"'

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        return ((PAIRS, pair) for pair in self.pairs)

    def estimate_size(self, ixreader: Any) -> int:
        return min(int(ixreader.doc_frequency(PAIRS, pair)) for pair in self.pairs)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        terms = [wq.Term(PAIRS, pair, boost=self.boost * rarity) for pair, rarity in zip(self.pairs, self.rarity, strict=True)]
        pairs = wq.And(terms).matcher(searcher, context)
        reader = searcher.reader()
        if not pairs.is_active() or any(("content", word) not in reader for word in self.words):
            return wq.NullQuery.matcher(searcher)
        return FollowingWords(pairs, [reader.postings("content", word) for word in self.words])


class FollowingWords(WrappingMatcher):
    """The documents of `child` where the words, given as their posting lists in
    `content`, follow each other: read from their positions, document by document."""

    def __init__(self, child: Any, words: list[Any], boost: float = 1.0) -> None:
        self.child, self.boost = child, boost  # what WrappingMatcher.__init__ does (untyped)
        self.words = words
        self._settle()

    def _follow(self) -> bool:
        document = self.child.id()
        starts: set[int] | None = None
        for offset, word in enumerate(self.words):
            if word.is_active() and word.id() < document:
                word.skip_to(document)
            if not word.is_active() or word.id() != document:
                return False
            here = {position - offset for position in word.value_as("positions")}
            starts = here if starts is None else starts & here
            if not starts:
                return False
        return True

    def _settle(self) -> None:
        while self.child.is_active() and not self._follow():
            self.child.next()

    def next(self) -> None:
        self.child.next()
        self._settle()

    def skip_to(self, id: int) -> None:
        self.child.skip_to(id)
        self._settle()

    def all_ids(self) -> Iterator[int]:
        while self.child.is_active():
            yield self.child.id()
            self.next()

    def supports_block_quality(self) -> bool:
        return False  # skipping blocks by their best score would skip the position check

    def copy(self) -> FollowingWords:
        return FollowingWords(self.child.copy(), [word.copy() for word in self.words], self.boost)

    def _replacement(self, child: Any) -> FollowingWords:
        return FollowingWords(child, self.words, self.boost)

