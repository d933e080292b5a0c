"""Queries on an open index: the query syntax, ranking, typos widened, hits with
their passage (Whoosh searcher and parser)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import query as _whoosh_query
from whoosh.qparser.default import MultifieldParser
from whoosh.qparser.syntax import AndGroup

from handover.core.errors import UsageError
from handover.records.secretwords import redacted
from handover.search.analysis import PAIR_JOIN, PAIRS, WORD_RE, analyzer, normal_form, pairs_of
from handover.search.documents import KIND_ALIASES
from handover.search.phrases import PhraseOfPairs, phrases
from handover.search.results import Hit, IndexStatus, SearchResult
from handover.search.schema import FILTER_FIELDS
from handover.search.snippets import Sources, snippet
from handover.search.typos import ANALYZED, as_text, leaves, widen_unknown_words

wq: Any = _whoosh_query  # Whoosh re-exports its query classes untyped

# `handover search` looks for words in `content`, which holds all of a record's text
# (title and situations twice, for weight): one posting list per word is several
# times faster than one per part of a record. A word in the title then adds
# TITLE_WEIGHT times its rarity to the first hits' scores, worked out here rather
# than with a second field that would double the cost. Triage weighs the parts of a
# record separately, hence the other fields.
SEARCH_FIELDS = {"content": 1.0}
TITLE_WEIGHT = 2.0
COMMON = 0.1  # share of the records above which a word only ranks (see _common_words_only_rank)
RERANKED = 20  # hits whose titles are looked at


class SearchIndex:
    """An up-to-date index of one knowledge base, open for queries. Use `open_index`
    or `using_index`."""

    def __init__(self, ix: Any, root: Path, language: str, status: IndexStatus, country: str = "") -> None:
        self._ix = ix
        self.root = root
        self.language = language
        self.status = status
        self._searcher = ix.searcher()
        self._analyzer = analyzer(language, country)

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def words(self, text: str) -> list[str]:
        """The indexed forms (folded stems) of the words of `text`, stop words left out."""
        return [t.text for t in self._analyzer(text, mode="query")]

    def rarity(self, field: str, word: str) -> float:
        """How telling a word is in a field: its inverse document frequency (BM25's)."""
        return float(self._searcher.idf(field, word))

    def frequency(self, word: str, field: str = "content") -> int:
        """How many records hold the indexed word (a folded stem, see `words`)."""
        return int(self._searcher.doc_frequency(field, word))

    def document_count(self) -> int:
        return int(self._searcher.doc_count())

    def search(self, text: str, *, kinds: Iterable[str] = (), limit: int = 10) -> SearchResult:
        """Query syntax: words (any of them, ranked by how many match, except that
        words found in more than a tenth of the records only rank; `AND` between
        words requires all), "phrases" (their words side by side, in order, within one
        value of a record), `NOT word`, `OR`, and field filters (`kind:response
        tag:crise owner:lea-martin platform:instagram`), always required."""
        parser = MultifieldParser(list(SEARCH_FIELDS), self._ix.schema, fieldboosts=SEARCH_FIELDS, group=AndGroup)
        parsed = _map_kinds(phrases(parser.parse(self._analyzer.normalized_query(text)), lambda pair: self.rarity(PAIRS, pair)))
        query, restriction = _split(parsed, all_words=" AND " in f" {text} ")
        query, fuzzy = self._widen(query, text)
        return self._run(text, self._common_words_only_rank(query), kinds, limit, restriction, titles=True, fuzzy=fuzzy)

    def _common_words_only_rank(self, query: Any) -> Any:
        """In any-of words, those found in more than COMMON of the records do not
        select records, they only rank the ones the other words select: with them,
        "commande annulée" would list every record that says "commande", and cost
        as much to score. When every word is common, any of them selects."""
        if not isinstance(query, wq.Or) or len(query.subqueries) < 2:
            return query
        ceiling = COMMON * max(self._searcher.doc_count(), 1)
        reader = self._searcher.reader()

        def frequency(part: Any) -> int:
            return max((int(t.estimate_size(reader)) for t in leaves(part) if isinstance(t, (wq.Term, wq.Phrase, PhraseOfPairs))), default=0)

        parts = [(part, frequency(part)) for part in query.subqueries]
        rare = [part for part, count in parts if 0 < count <= ceiling]
        frequent = [part for part, count in parts if count > ceiling]
        if not rare or not frequent:
            return query
        return wq.AndMaybe(wq.Or(rare) if len(rare) > 1 else rare[0], wq.Or(frequent) if len(frequent) > 1 else frequent[0])

    def match_text(self, text: str, *, kinds: Iterable[str] = (), limit: int = 10, fields: dict[str, float] | None = None,
                   matched: bool = False, passages: bool = True) -> SearchResult:
        """Rank records against free text (an incoming message): any of its words; no
        query syntax, so quotes, colons or a stray `NOT` in a message are only words.
        `matched` records which words matched in which field (slower). Without
        `passages`, hits have no snippet: `passages()` cuts those of the hits shown."""
        return self._run(text, self._text_query(text, fields), kinds, limit, matched=matched, passages=passages)

    def passages(self, text: str, kind: str, ids: Iterable[str], fields: dict[str, float] | None = None) -> dict[str, str]:
        """Record id → the passage `match_text(text, fields=fields)` shows under it, for
        records of `kind` (one document per record, as responses) asked with
        passages=False: cutting every hit's passage costs more than the search."""
        query, _ = self._widen(self._text_query(text, fields), text)
        wanted = self._wanted(query)
        sources: Sources = {}
        found = {}
        for ident in ids:
            stored = self._searcher.document(kind=_kind_folder(kind), id=ident)
            if stored is not None:
                found[ident] = snippet(str(self.root), stored, wanted, self._analyzer, sources)
        return found

    def _text_query(self, text: str, fields: dict[str, float] | None) -> Any:
        fields = fields or SEARCH_FIELDS
        words = list(dict.fromkeys(self.words(text)))
        per_word = [wq.Or([wq.Term(name, word, boost=boost) for name, boost in fields.items()]) for word in words]
        return wq.Or(per_word, scale=0.9) if per_word else wq.NullQuery

    def _run(self, text: str, query: Any, kinds: Iterable[str], limit: int, restriction: Any = None, matched: bool = False,
             titles: bool = False, fuzzy: list[str] | None = None, passages: bool = True) -> SearchResult:
        if fuzzy is None:
            query, fuzzy = self._widen(query, text)
        folders = [_kind_folder(k) for k in kinds]
        filters = [f for f in (wq.Or([wq.Term("kind", k) for k in folders]) if folders else None, restriction) if f is not None]
        if filters:  # required, adding nothing to the score (Searcher's filter= miscounts, Require trips an assertion)
            query = wq.And([query, wq.ConstantScoreQuery(wq.And(filters) if len(filters) > 1 else filters[0], 0.0)])
        fetched = max(limit, RERANKED if titles else 1)
        try:
            results = self._searcher.search(query, limit=fetched, terms=matched)
        except wq.QueryError as exc:  # the query, not the index: no rebuild
            raise UsageError(f'cannot search for "{redacted(text)}": {exc}', hint='quote phrases with "…", and filter with field:value') from exc
        wanted = self._wanted(query)
        ranked = [(float(hit.score or 0.0), hit) for hit in results[:fetched]]
        if titles and wanted:
            rarity = {word: self._rarity_of(word) for word in wanted}
            ranked = [(score + self._title_bonus(hit.fields(), rarity), hit) for score, hit in ranked]
            ranked.sort(key=lambda pair: -pair[0])  # stable: ties keep Whoosh's order
        hits: list[Hit] = []
        sources: Sources = {}
        for score, hit in ranked[:limit]:
            stored = hit.fields()
            words = tuple(sorted((name, as_text(word)) for name, word in hit.matched_terms())) if matched and results.has_matched_terms() else ()
            passage = snippet(str(self.root), stored, wanted, self._analyzer, sources) if passages else ""
            hits.append(Hit(stored["ref"], stored["kind"], stored["id"], stored.get("title", stored["id"]), stored["path"], score, passage, words))
        return SearchResult(redacted(text), hits, len(results), [redacted(word) for word in fuzzy], self.status)

    def _widen(self, query: Any, text: str) -> tuple[Any, list[str]]:
        """Typo tolerance (typos.py), only where exact terms find nothing; the words
        widened, as written in `text`: a reader is told that "rembourssement" was
        widened, not the stem "rembourss"."""
        written: dict[str, str] = {}
        for word in WORD_RE.findall(text):
            written.setdefault(normal_form(word, self.language), word)
        query, unknown = widen_unknown_words(query, self._searcher.reader(), written, self.language)
        return query, [written.get(form, form) for form in unknown]

    def _wanted(self, query: Any) -> set[str]:
        """What the query looks for, to find in titles and mark in snippets: indexed
        words, and phrases as their words joined by PAIR_JOIN (a two-word phrase is
        its pair term; a longer one is whole, not its pairs, which may lie apart)."""
        terms = query.existing_terms(self._searcher.reader(), phrases=True, expand=True)
        wanted = {as_text(word) for name, word in terms if name in ANALYZED or name == PAIRS}
        for leaf in leaves(query):
            if isinstance(leaf, PhraseOfPairs):
                wanted -= set(leaf.pairs)
                wanted.add(PAIR_JOIN.join(leaf.words))
        return wanted

    def _rarity_of(self, wanted: str) -> float:
        """The rarity of a word, or the summed rarity of a phrase's pairs."""
        if PAIR_JOIN not in wanted:
            return self.rarity("content", wanted)
        return sum(self.rarity(PAIRS, pair) for pair in pairs_of(wanted.split(PAIR_JOIN)))

    def _title_bonus(self, stored: dict[str, Any], rarity: dict[str, float]) -> float:
        title_words = self.words(str(stored.get("title") or ""))
        title = f" {PAIR_JOIN.join(title_words)} "
        return TITLE_WEIGHT * sum(value for word, value in rarity.items() if (f" {word} " in title if PAIR_JOIN in word else word in title_words))


def _kind_folder(name: str) -> str:
    folder = KIND_ALIASES.get(name.lower())
    if folder is None:
        choices = ", ".join(sorted({k for k in KIND_ALIASES if not k.endswith("s") or k == "rules"}))
        raise UsageError(f'unknown kind "{name}"', hint=f"use one of: {choices}")
    return folder


def _map_kinds(query: Any) -> Any:
    """`kind:response` and `kind:responses` both mean the responses folder."""
    if isinstance(query, wq.Term) and query.fieldname == "kind":
        return wq.Term("kind", _kind_folder(str(query.text)), boost=query.boost)
    return query.apply(_map_kinds) if query.is_leaf() is False else query


def _is_filter(query: Any) -> bool:
    if isinstance(query, wq.Not):
        return True
    found = list(leaves(query))
    return bool(found) and all(getattr(leaf, "fieldname", None) in FILTER_FIELDS for leaf in found)


def _split(query: Any, all_words: bool) -> tuple[Any, Any | None]:
    """(the scored words, the required filters). Field filters and NOTs restrict; the
    words are any-of, ranked by how many match (unless the query says AND)."""
    parts = list(query.subqueries) if isinstance(query, wq.And) else [query]
    filters = [p for p in parts if _is_filter(p)]
    words = [p for p in parts if not _is_filter(p)]
    if not words:
        scored: Any = wq.Every()
    elif all_words or len(words) == 1:
        scored = wq.And(words) if len(words) > 1 else words[0]
    else:  # BM25 sums the words' scores: records with more of them come first (a coordination factor doubled the cost)
        scored = wq.Or(words)
    restriction = (wq.And(filters) if len(filters) > 1 else filters[0]) if filters else None
    return scored, restriction

