"""The search index (Whoosh): schema, analysis, incremental update, queries.

With bulk.py (full builds), the only module that imports whoosh. The index is
a cache, never data: it lives in `.handover-cache/search/` under the knowledge-base
root (git ignores it), and is rebuilt from the files whenever it is missing, made by
an older schema or another language, or damaged. A rebuild is written to a temporary
folder first, renamed, then made current by replacing the one-line `CURRENT` file: a
reader sees the old index or the new one, never half of one.

On each use only the files' sizes and modification times are read (a directory scan);
a file whose stat changed is hashed, and re-indexed only if its content changed.
"""

from __future__ import annotations

import itertools
import logging
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh import lang as _whoosh_lang
from whoosh import query as _whoosh_query
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.qparser.default import MultifieldParser
from whoosh.qparser.syntax import AndGroup
from whoosh.query.qcore import Query
from whoosh.system import pack_uint

from handover.core.errors import HandoverError, UsageError
from handover.files.lock import CACHE_DIR, CannotLock
from handover.records.fold import fold
from handover.search import cache as cache
from handover.search.documents import KIND_ALIASES, SourceFile, read_documents, scan_changes, scan_sources, source_of

log = logging.getLogger(__name__)
T = TypeVar("T")
wq: Any = _whoosh_query  # Whoosh re-exports its query classes and language helpers untyped
whoosh_lang: Any = _whoosh_lang

# Raise whenever the schema or the analysis changes: older indexes are then rebuilt.
SCHEMA_VERSION = 7  # 7: fold() spells out ß, ø, ł, đ, þ, ı as well as œ and æ
LOCK_WAIT = 3.0  # seconds to wait for another process updating the index

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
ANALYZED = ("title", "when", "keywords", "content")
# Field filters (`tag:crise`), always required, never fuzzy.
FILTER_FIELDS = ("kind", "id", "path", "owner", "tag", "status", "language", "platform", "rule", "topic", "stance")
SNIPPET_SOURCES = ("when", "body", "text", "title")
SNIPPET_WIDTH = 160
MIN_FUZZY_LENGTH = 4
# Whoosh's default tokens (`cycles-morvan.fr` gives cycles, morvan.fr), written
# `\w+(?:\.?\w+)*` there: the same matches, found faster without the optional dot.
WORD_RE = re.compile(r"\w+(?:\.\w+)*")
PART_BREAK = "\x1e"  # between the values of a record in `pairs`: no pair spans two of them
WORD_OR_BREAK_RE = re.compile(WORD_RE.pattern + "|" + PART_BREAK)

_FORMS: dict[str, dict[str, str]] = {}  # per language: word as written → indexed form ("" for a stop word)
_LAST_FORMS: list[tuple[Any, str, list[str]]] = [(None, "", [])]  # (text, language, its marked forms), see marked_forms


class FoldingAnalyzer(Analyzer):
    """Words → lowercased, accent-folded, stop words out, stemmed in the kb's language.

    Folding comes before stemming so that `modérateurs`, `moderateurs` and
    `Modération` meet on one stem. The Snowball stemmers expect accents, and leave
    a final e on folded words (`annulee` → annule, `annule` → annul): it is dropped
    so the forms meet. English stop words go too: a French kb holds English
    responses, and English messages come in.

    One pass, and each distinct word is worked out once (a dictionary, kept outside
    the analyzer so the schema Whoosh pickles stays small): Whoosh's chain of five
    filters cost several times more per word."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.language == getattr(other, "language", None)

    def __repr__(self) -> str:
        return f"FoldingAnalyzer({self.language!r})"

    def has_morph(self) -> bool:
        return True

    def forms(self, value: str) -> list[str]:
        """The indexed forms of the words of `value`, stop words out: what the
        analyzer yields when indexing, without making a token for each word."""
        marked = self.marked_forms(value)
        return [form for form in marked if form != PART_BREAK] if PART_BREAK in value else marked

    def marked_forms(self, value: str) -> list[str]:
        """`forms`, with PART_BREAK kept where `value` has one. The last answer is
        remembered (`content` and `pairs` index the same string, one after the
        other): callers must not change the list."""
        last, language, found = _LAST_FORMS[0]
        if last is value and language == self.language:
            return found
        forms = _FORMS.get(self.language) or _forms(self.language)
        words = WORD_OR_BREAK_RE.findall(value)
        known = list(map(forms.get, words))  # one dictionary look-up per word, in C
        if None in known:
            for word in set(words).difference(forms):
                normal_form(word, self.language)
            known = list(map(forms.get, words))
        found = list(filter(None, known))  # stop words have the form ""
        _LAST_FORMS[0] = (value, self.language, found)
        return found

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False, removestops: bool = True,
                 start_pos: int = 0, start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Any]:
        forms = _FORMS.get(self.language) or _forms(self.language)
        token: Any = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        if not tokenize:
            token.original = value
            token.text = forms.get(value) or normal_form(value, self.language)
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in WORD_RE.finditer(value):
            word = match.group()
            form = forms.get(word)
            if form is None:
                form = normal_form(word, self.language)
            if not form:
                if removestops:
                    continue  # like Whoosh's StopFilter: stop words take no position
                token.stopped, token.text = True, fold(word.lower())
            else:
                token.stopped, token.text = False, form
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            yield token


PAIRS = "pairs"  # the field of word pairs, for phrases in `content`
PAIR_JOIN = " "  # never inside an indexed word (WORD_RE takes no spaces)


class PairAnalyzer(FoldingAnalyzer):
    """Each indexed word joined to the next one: "la cellule de crise" gives
    `cellul cris`. A phrase is then looked up as its pairs, a posting list each,
    rather than by reading the word positions of every record that holds all of
    its words (a common phrase took ten times the target at 10,000 records). Stop
    words take no position in `content` either, so pairs meet the same phrases,
    except across two values of a record (a title and the next field), which
    PART_BREAK keeps apart: such pairs were half of the distinct ones, for nothing."""

    def __repr__(self) -> str:
        return f"PairAnalyzer({self.language!r})"

    def forms(self, value: str) -> list[str]:
        pairs = []
        previous = ""
        for form in self.marked_forms(value):
            if form == PART_BREAK:
                previous = ""
                continue
            if previous:
                pairs.append(previous + PAIR_JOIN + form)
            previous = form
        return pairs

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False, removestops: bool = True,
                 start_pos: int = 0, start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Any]:
        token: Any = Token(positions, False, removestops=removestops, mode=mode, **kwargs)
        token.boost, token.stopped = 1.0, False
        for number, pair in enumerate(self.forms(value) if tokenize else [value]):
            token.text = pair
            if positions:
                token.pos = start_pos + number
            yield token


def pairs_of(words: list[str]) -> list[str]:
    """The pairs of consecutive indexed words, as the `pairs` field holds them."""
    return [a + PAIR_JOIN + b for a, b in itertools.pairwise(words)]


# Whoosh's formats count a field's words one token object at a time: about a third
# of the index work at 10,000 records. These count the analyzer's list of forms in
# one go, and give the same postings.


class CountedFrequency(Frequency):
    """Whoosh's Frequency format, counting the words with collections.Counter."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[Any, int, float, bytes]]:
        if not isinstance(value, str) or not isinstance(analyzer, FoldingAnalyzer):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return [(word, count, count * boost, pack_uint(count)) for word, count in Counter(analyzer.forms(value)).items()]


class CountedPositions(Positions):
    """Whoosh's Positions format, with the positions gathered from the list of forms."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[Any, int, float, bytes]]:
        if not isinstance(value, str) or not isinstance(analyzer, FoldingAnalyzer):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        positions: dict[str, list[int]] = {}
        for position, word in enumerate(analyzer.forms(value)):
            positions.setdefault(word, []).append(position)
        encode, once = self.encode, _ONE_POSITION
        return [(word, len(found), len(found) * boost, (once.get(found[0]) or self.encode_once(found[0])) if len(found) == 1 else encode(found))
                for word, found in positions.items()]

    def encode_once(self, position: int) -> bytes:
        """The encoding of a word found once, at `position`: most words of a record
        are, and their encodings are few, so they are remembered."""
        value: bytes = self.encode([position])
        _ONE_POSITION[position] = value
        return value


_ONE_POSITION: dict[int, bytes] = {}


# BM25's constants (Whoosh's defaults), and the number of pairs taken as a record's
# usual length for the pairs' weights (the bundled kb averages 180, the generated
# benchmark base 90).
BM25_K1, BM25_B = 1.2, 0.75
PAIR_LENGTH = 120
WEIGHT_STEP = 1 / 32  # pair weights are rounded to it: few distinct values compress well


class PairImpacts(Existence):
    """The weight of a pair in a record is its part of the BM25 score (all but the
    rarity, which the query adds as the term's boost), worked out when indexing with
    PAIR_LENGTH as the average length. The field then needs no record lengths: a
    common phrase reads no length for each of its thousands of records, and whole
    blocks of postings whose best weight cannot reach the first results are skipped.
    Only the weights are kept (Existence stores no value per posting)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple[Any, int, float, bytes]]:
        if not isinstance(value, str) or not isinstance(analyzer, FoldingAnalyzer):
            return super().word_values(value, analyzer, **kwargs)
        pairs = analyzer.forms(value)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * len(pairs) / PAIR_LENGTH)
        counted = Counter(pairs)
        weights = {count: _rounded(count * (BM25_K1 + 1) / (count + norm)) for count in set(counted.values())}  # a few counts: 1, 2…
        return [(pair, count, weights[count], b"") for pair, count in counted.items()]


def _rounded(weight: float) -> float:
    return max(1, round(weight / WEIGHT_STEP)) * WEIGHT_STEP


def _forms(language: str) -> dict[str, str]:
    return _FORMS.setdefault(language, {PART_BREAK: PART_BREAK})


def normal_form(word: str, language: str) -> str:
    """How a word is indexed ("" for a stop word); remembered for the next time."""
    forms = _forms(language)
    folded = fold(word.lower())
    if len(folded) < 2 or folded in _stop_set(language) or (len(folded) < 3 and folded.isdigit()):
        form = ""  # stop words, single letters, and numbers like 06 or 12 (pieces of phones and dates)
    elif whoosh_lang.has_stemmer(language):
        form = _stemmer(language)(folded)
        if len(form) > 3:
            form = form.rstrip("e") or form
    else:
        form = folded
    forms[word] = form
    return form


_STOPS: dict[str, frozenset[str]] = {}
# Common words the Snowball lists lack (folded).
EXTRA_STOPS = {"fr": ("les", "cette", "cet", "cela", "ca", "si", "ni", "donc", "car", "dont", "quoi", "alors", "aussi", "tres")}
_STEMMERS: dict[str, Callable[[str], str]] = {}


def _stop_set(language: str) -> frozenset[str]:
    stops = _STOPS.get(language)
    if stops is None:
        languages = dict.fromkeys((language, "en"))
        stops = _STOPS[language] = frozenset(fold(w) for lang in languages for w in (*_stopwords(lang), *EXTRA_STOPS.get(lang, ())))
    return stops


def _stemmer(language: str) -> Callable[[str], str]:
    stem = _STEMMERS.get(language)
    if stem is None:
        stem = _STEMMERS[language] = whoosh_lang.stemmer_for_language(language)
    return stem


def _stopwords(language: str) -> frozenset[str]:
    try:
        return frozenset(whoosh_lang.stopwords_for_language(language))
    except whoosh_lang.NoStopWords:  # no list for that language: keep every word
        return frozenset()


def analyzer(language: str) -> FoldingAnalyzer:
    return FoldingAnalyzer(language)


def text_field(analyze: FoldingAnalyzer, stored: bool = False, positions: bool = False) -> TEXT:
    field = TEXT(analyzer=analyze, stored=stored, phrase=positions)
    field.format = CountedPositions() if positions else CountedFrequency()
    return field


def _pairs_field(language: str) -> TEXT:
    field = TEXT(analyzer=PairAnalyzer(language), phrase=False)
    field.format, field.scorable = PairImpacts(), False  # scored by their weights (PairImpacts)
    return field


def schema(language: str) -> Schema:
    """The index's fields (documents come from documents.record_documents)."""
    text = analyzer(language)
    keyword = {"lowercase": True, "scorable": False}
    return Schema(
        ref=STORED(),
        path=ID(stored=True),  # updates delete a file's documents by path
        kind=ID(stored=True),
        id=ID(stored=True),
        title=text_field(text, stored=True),
        when=text_field(text, stored=True),
        keywords=text_field(text),
        # Word positions (they cost) only where phrases with slop ("a b"~3) and longer phrases are checked
        content=text_field(text, positions=True),
        pairs=_pairs_field(language),
        **{name: KEYWORD(**keyword) for name in FILTER_FIELDS if name not in ("kind", "id", "path")},
    )


def index_fields(document: dict[str, str]) -> dict[str, str]:
    """A document as the schema takes it: the body and other text go into `content`
    (not stored: snippets are cut from the record file itself), title and situations
    twice, for weight. `pairs` takes the same string: its values are kept apart by
    PART_BREAK, where documents.py joined them with " \\n" (content skips both alike)."""
    fields = {k: v for k, v in document.items() if k not in ("body", "text")}
    title, body = document.get("title", ""), document.get("body", "")
    when, keywords, text = (document.get(name, "").replace(" \n", PART_BREAK) for name in ("when", "keywords", "text"))
    fields["content"] = fields[PAIRS] = PART_BREAK.join(part for part in (title, title, when, when, keywords, body, text) if part)
    return fields


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Hit:
    ref: str
    kind: str
    id: str
    title: str
    path: str
    score: float
    snippet: str
    matched: tuple[tuple[str, str], ...] = ()  # (field, indexed word) pairs, when asked for

    def words_in(self, *fields: str) -> set[str]:
        """The distinct indexed words (stems) that matched in these fields."""
        return {word for name, word in self.matched if name in fields}

    def as_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "kind": self.kind, "id": self.id, "title": self.title, "path": self.path,
                "score": round(self.score, 3), "snippet": self.snippet}


@dataclass
class IndexStatus:
    """What opening the index took: a rebuild (and why), or an update of some files."""

    rebuilt: bool = False
    reason: str = ""
    added: int = 0
    updated: int = 0
    removed: int = 0
    unreadable: list[str] = field(default_factory=list)  # files that are not readable records
    stale: bool = False  # another process held the index: results may miss its latest changes
    in_memory: bool = False  # the cache folder could not be written: built for this run only
    seconds: float = 0.0
    documents: int = 0

    def as_dict(self) -> dict[str, Any]:
        keys = ("rebuilt", "reason", "added", "updated", "removed", "unreadable", "stale", "in_memory", "documents")
        return {k: getattr(self, k) for k in keys} | {"seconds": round(self.seconds, 3)}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    fuzzy: list[str]  # words found nowhere (as written in the query), widened to close spellings
    status: IndexStatus


# --------------------------------------------------------------------------- queries


class SearchIndex:
    """An up-to-date index of one knowledge base, open for queries. Use `open_index`
    or `using_index`."""

    def __init__(self, ix: Any, root: Path, language: str, status: IndexStatus) -> None:
        self._ix = ix
        self.root = root
        self.language = language
        self.status = status
        self._searcher = ix.searcher()
        self._analyzer = analyzer(language)

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
        parsed = _map_kinds(_phrases(parser.parse(text), lambda pair: self.rarity(PAIRS, pair)))
        query, restriction = _split(parsed, all_words=" AND " in f" {text} ")
        query, fuzzy = self._widen_unknown_words(query)
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
            return max((int(t.estimate_size(reader)) for t in _leaves(part) if isinstance(t, (wq.Term, wq.Phrase, PhraseOfPairs))), default=0)

        parts = [(part, frequency(part)) for part in query.subqueries]
        rare = [part for part, count in parts if 0 < count <= ceiling]
        frequent = [part for part, count in parts if count > ceiling]
        if not rare or not frequent:
            return query
        return wq.AndMaybe(wq.Or(rare) if len(rare) > 1 else rare[0], wq.Or(frequent) if len(frequent) > 1 else frequent[0])

    def match_text(self, text: str, *, kinds: Iterable[str] = (), limit: int = 10, fields: dict[str, float] | None = None,
                   matched: bool = False) -> SearchResult:
        """Rank records against free text (an incoming message): any of its words; no
        query syntax, so quotes, colons or a stray `NOT` in a message are only words.
        `matched` records which words matched in which field (slower)."""
        fields = fields or SEARCH_FIELDS
        words = list(dict.fromkeys(self.words(text)))
        per_word = [wq.Or([wq.Term(name, word, boost=boost) for name, boost in fields.items()]) for word in words]
        query = wq.Or(per_word, scale=0.9) if per_word else wq.NullQuery
        return self._run(text, query, kinds, limit, matched=matched)

    def _run(self, text: str, query: Any, kinds: Iterable[str], limit: int, restriction: Any = None, matched: bool = False,
             titles: bool = False, fuzzy: list[str] | None = None) -> SearchResult:
        if fuzzy is None:
            query, fuzzy = self._widen_unknown_words(query)
        folders = [_kind_folder(k) for k in kinds]
        filters = [f for f in (wq.Or([wq.Term("kind", k) for k in folders]) if folders else None, restriction) if f is not None]
        if filters:  # required, adding nothing to the score (Searcher's filter= miscounts, Require trips an assertion)
            query = wq.And([query, wq.ConstantScoreQuery(wq.And(filters) if len(filters) > 1 else filters[0], 0.0)])
        fetched = max(limit, RERANKED if titles else 1)
        try:
            results = self._searcher.search(query, limit=fetched, terms=matched)
        except wq.QueryError as exc:  # the query, not the index: no rebuild
            raise UsageError(f'cannot search for "{text}": {exc}', hint='quote phrases with "…", and filter with field:value') from exc
        wanted = self._wanted(query)
        ranked = [(float(hit.score or 0.0), hit) for hit in results[:fetched]]
        if titles and wanted:
            rarity = {word: self._rarity_of(word) for word in wanted}
            ranked = [(score + self._title_bonus(hit.fields(), rarity), hit) for score, hit in ranked]
            ranked.sort(key=lambda pair: -pair[0])  # stable: ties keep Whoosh's order
        hits: list[Hit] = []
        sources: dict[str, list[dict[str, str]] | None] = {}
        for score, hit in ranked[:limit]:
            stored = hit.fields()
            words = tuple(sorted((name, _text(word)) for name, word in hit.matched_terms())) if matched and results.has_matched_terms() else ()
            snippet = self._snippet(stored, wanted, sources)
            hits.append(Hit(stored["ref"], stored["kind"], stored["id"], stored.get("title", stored["id"]), stored["path"], score, snippet, words))
        total = len(results)
        return SearchResult(text, hits, total, self._as_written(fuzzy, text), self.status)

    def _as_written(self, forms: list[str], text: str) -> list[str]:
        """Indexed forms as the words of `text` they come from: a reader is told that
        "rembourssement" was widened, not the stem "rembourss"."""
        written: dict[str, str] = {}
        for word in WORD_RE.findall(text):
            written.setdefault(normal_form(word, self.language), word)
        return [written.get(form, form) for form in forms]

    def _wanted(self, query: Any) -> set[str]:
        """What the query looks for, to find in titles and mark in snippets: indexed
        words, and phrases as their words joined by PAIR_JOIN (a two-word phrase is
        its pair term; a longer one is whole, not its pairs, which may lie apart)."""
        terms = query.existing_terms(self._searcher.reader(), phrases=True, expand=True)
        wanted = {_text(word) for name, word in terms if name in ANALYZED or name == PAIRS}
        for leaf in _leaves(query):
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

    def _widen_unknown_words(self, query: Any) -> tuple[Any, list[str]]:
        """Typo tolerance, only where exact terms find nothing: a word that occurs
        nowhere in the knowledge base is replaced by the indexed words within an edit
        distance of 1 (2 for long words), with the same first letter. They are found
        once in the word list (Whoosh's fuzzy query builds an automaton per field and
        per segment: ten times slower here)."""
        reader = self._searcher.reader()
        words = {t.text for t in _leaves(query) if isinstance(t, wq.Term) and t.fieldname in ANALYZED}
        unknown = sorted(w for w in words if len(w) >= MIN_FUZZY_LENGTH and not reader.doc_frequency("content", w))
        if not unknown:
            return query, []
        close = {word: self._close_words(word) for word in unknown}

        def widen(node: Any) -> Any:
            if isinstance(node, wq.Term) and node.fieldname in ANALYZED and node.text in close:
                alternatives = [wq.Term(node.fieldname, w, boost=node.boost * 0.8) for w in close[node.text]]
                return wq.Or(alternatives) if alternatives else wq.NullQuery
            return node.apply(widen) if node.is_leaf() is False else node

        return widen(query), unknown

    def _close_words(self, word: str) -> list[str]:
        distance = 1 if len(word) < 8 else 2
        found = []
        for candidate in self._searcher.reader().expand_prefix("content", word[0]):
            candidate = _text(candidate)
            if abs(len(candidate) - len(word)) <= distance and edit_distance(word, candidate, distance) <= distance:
                found.append(candidate)
        return found

    def _snippet(self, stored: dict[str, Any], wanted: set[str], sources: dict[str, list[dict[str, str]] | None]) -> str:
        """A passage around the first matched words: from the stored situations, else
        from the record file (read again: the index does not store bodies)."""
        texts = [str(stored.get("when") or "")]
        path = str(stored["path"])
        if path not in sources:
            sources[path] = read_documents(source_of(str(self.root), path))
        document = next((d for d in sources[path] or () if d.get("ref") == stored["ref"]), {})
        texts += [document.get(name, "") for name in SNIPPET_SOURCES[1:]]
        for text in texts:
            if text:
                snippet = mark_words(text, wanted, self._analyzer)
                if snippet:
                    return snippet
        plain = " ".join(next((t for t in texts if t), "").split())
        return plain[: SNIPPET_WIDTH - 1] + "…" if len(plain) > SNIPPET_WIDTH else plain


def mark_words(text: str, wanted: set[str], analyze: Any, width: int = SNIPPET_WIDTH) -> str:
    """The passage of `text` around the first word whose indexed form is in `wanted`,
    with those words in **bold**; "" when none is there. A phrase in `wanted` (its
    forms joined by PAIR_JOIN) is marked where its words follow each other, as one
    stretch with the stop words between them ("**cellule de crise**")."""
    if not wanted:  # filters only: nothing to mark, no need to read the words
        return ""
    sizes = sorted({word.count(PAIR_JOIN) + 1 for word in wanted}, reverse=True)  # in words, longest first
    forms: list[str] = []
    starts: list[int] = []
    spans: list[tuple[int, int]] = []
    for token in analyze(text, chars=True, mode="query"):
        forms.append(token.text)
        starts.append(token.startchar)
        for size in sizes:
            if size <= len(forms) and (PAIR_JOIN.join(forms[-size:]) if size > 1 else token.text) in wanted:
                break
        else:
            continue
        start = starts[-size]
        if spans and start <= spans[-1][1]:  # the next word of a phrase being marked
            spans[-1] = (spans[-1][0], token.endchar)
            continue
        if spans and start > spans[0][0] + width - 40:
            break
        spans.append((start, token.endchar))
    if not spans:
        return ""
    start = max(0, spans[0][0] - 40)
    if start:
        start = text.find(" ", start) + 1 or start  # start on a word
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", spans[0][1], end)
        end = cut if cut > 0 else end
    out, at = [], start
    for left, right in spans:
        if right > end:
            break
        out += [text[at:left], "**", text[left:right], "**"]
        at = right
    out.append(text[at:end])
    passage = " ".join("".join(out).split())
    return ("… " if start else "") + passage + (" …" if end < len(text) else "")


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


def guess_language(text: str, languages: Iterable[str]) -> str | None:
    """The language among `languages` whose stop words the text uses most, if one does."""
    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    counts = {}
    for language in languages:
        stops = {fold(w) for w in _stopwords(language)}
        counts[language] = sum(1 for w in words if w in stops)
    best = max(counts, key=lambda lang: counts[lang], default=None)
    if best is None or counts[best] == 0 or list(counts.values()).count(counts[best]) > 1:
        return None
    return best


def _text(word: Any) -> str:
    return word.decode("utf-8", "replace") if isinstance(word, bytes) else str(word)


def _leaves(query: Any) -> Iterator[Any]:
    children = list(query.children())
    if not children:
        yield query
    for child in children:
        yield from _leaves(child)


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


def _phrases(query: Any, rarity: Callable[[str], float]) -> Any:
    """A phrase in `content` is looked for by its word pairs (see PhraseOfPairs), each
    weighted by its `rarity` (PairImpacts); one with slop ("a b"~3), by word positions.
    In the other fields, which keep neither, as all of its words."""
    if not isinstance(query, wq.Phrase):
        return query.apply(lambda child: _phrases(child, rarity)) if query.is_leaf() is False else query
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


def _is_filter(query: Any) -> bool:
    if isinstance(query, wq.Not):
        return True
    leaves = list(_leaves(query))
    return bool(leaves) and all(getattr(leaf, "fieldname", None) in FILTER_FIELDS for leaf in leaves)


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


# --------------------------------------------------------------------------- keeping it fresh


def open_index(root: Path, language: str, *, rebuild: str = "") -> SearchIndex:
    """The knowledge base's index, brought up to date first (rebuilt if needed, or
    when `rebuild` gives a reason to).

    Never fails because of the cache: a damaged index is rebuilt; a cache folder that
    cannot be written gives an index built in memory for this run."""
    started = time.perf_counter()
    folder = cache.cache_folder(root)
    try:
        index = _open_on_disk(root, folder, language, rebuild)
    except (OSError, CannotLock) as exc:  # a read-only folder: the lock cannot be made either
        log.warning("cannot write the search cache in %s (%s); building in memory", folder, exc)
        index = _build_in_memory(root, language, f"the cache folder cannot be written ({getattr(exc, 'strerror', None) or exc})")
    index.status.seconds = time.perf_counter() - started
    return index


def using_index(root: Path, language: str, action: Callable[[SearchIndex], T]) -> T:
    """Run `action` on the up-to-date index. If Whoosh trips on a damaged file while
    searching (files are read lazily, so opening may not notice), rebuild and run again."""
    index = open_index(root, language)
    try:
        return action(index)
    except HandoverError:
        raise
    except Exception as exc:
        if index.status.rebuilt:
            raise HandoverError(f"searching a fresh index failed: {type(exc).__name__}: {exc}",
                                hint="please report it; set HANDOVER_DEBUG=1 for details") from exc
        log.warning("search index unreadable (%s: %s); rebuilding", type(exc).__name__, exc)
        index.close()
        index = open_index(root, language, rebuild=f"the index could not be read ({type(exc).__name__})")
        return action(index)
    finally:
        index.close()


def _open_on_disk(root: Path, folder: Path, language: str, reason: str) -> SearchIndex:
    current = cache.current(folder)
    if current is not None and not reason:
        try:
            return _refresh(root, current, language)
        except cache.Damaged as why:
            reason = f"the index must be rebuilt: {why}"
        except Exception as exc:  # noqa: BLE001 - whoosh read a damaged file: the index is a cache, rebuild it
            reason = f"the index could not be read ({type(exc).__name__})"
    reason = reason or "no index yet"
    with cache.build_lock(folder):
        latest = cache.current(folder)
        if latest is not None and latest != current:  # built by another process while we waited
            try:
                return _refresh(root, latest, language)
            except Exception:  # noqa: BLE001 - not usable either: build our own
                pass
        try:
            return _rebuild(root, folder, language, reason)
        except OSError:
            raise
        except Exception as exc:
            raise HandoverError(f"the search index in {folder} could not be built: {type(exc).__name__}: {exc}",
                                hint=f"delete the folder {root / CACHE_DIR} and try again; report the problem if it persists") from exc


def _refresh(root: Path, ixdir: Path, language: str) -> SearchIndex:
    stamp = cache.manifest_stamp(ixdir)
    manifest = cache.read_manifest(ixdir, SCHEMA_VERSION, language)
    ix = whoosh_index.open_dir(str(ixdir))
    status = IndexStatus()
    changed, gone = scan_changes(str(root), manifest["files"])
    if changed or gone:
        manifest = _apply_changes(ix, root, ixdir, language, manifest, stamp, scan_sources(str(root)) if gone else changed, gone, status)
    index = SearchIndex(ix, root, language, status)
    status.documents = index.document_count()
    status.unreadable = sorted(rel for rel, recorded in manifest["files"].items() if not cache.entry_readable(recorded))
    return index


def _apply_changes(ix: Any, root: Path, ixdir: Path, language: str, manifest: dict[str, Any], stamp: tuple[int, int],
                   sources: dict[str, tuple[int, int]], complete: bool, status: IndexStatus) -> dict[str, Any]:
    """Re-index the files whose content changed; when `sources` is the complete list
    of record files, also drop the index entries of the files that are gone."""
    from whoosh.index import LockError

    try:
        writer = ix.writer(timeout=LOCK_WAIT, delay=0.05)
    except LockError:
        status.stale = True  # someone else is writing it: search what is there
        return manifest
    try:
        if cache.manifest_stamp(ixdir) != stamp:  # another process updated it meanwhile: start from its manifest
            manifest = cache.read_manifest(ixdir, SCHEMA_VERSION, language)
        files: dict[str, str] = manifest["files"]
        changed = False
        for rel in [rel for rel in files if rel not in sources] if complete else []:
            writer.delete_by_term("path", rel)
            del files[rel]
            status.removed += 1
            changed = True
        for rel, (mtime_ns, size) in sources.items():
            recorded = files.get(rel)
            if cache.same_stat(recorded, mtime_ns, size):
                continue
            source = source_of(str(root), rel)
            raw = _read(source.path)
            digest = cache.digest_of(raw)
            if recorded is not None and cache.entry_digest(recorded) == digest:  # touched, not changed: remember the new stat
                files[rel] = cache.entry(mtime_ns, size, digest, cache.entry_readable(recorded))
                continue
            if recorded is not None:
                writer.delete_by_term("path", rel)
                status.updated += 1
            else:
                status.added += 1
            files[rel] = cache.entry(mtime_ns, size, digest, _add(writer, source, raw))
            changed = True
        if changed:
            writer.commit(mergetype=_merge_small_segments)
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    cache.write_manifest(ixdir, manifest)
    return manifest


SMALL_SEGMENT = 500  # documents
SMALL_SEGMENTS_KEPT = 2


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for updates: once more than two small segments have piled up
    (one per update), fold them into the one being written. Each search pays for
    each segment; Whoosh's own policy lets five accumulate."""
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() - s.deleted_count() <= SMALL_SEGMENT]
    if len(small) <= SMALL_SEGMENTS_KEPT:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _index_documents(source: SourceFile, raw: bytes | None) -> list[dict[str, str]] | None:
    """One record file's documents as the schema takes them; None when it is not a
    readable record."""
    documents = read_documents(source, raw) if raw is not None else None
    return None if documents is None else [index_fields(document) for document in documents]


def _add(writer: Any, source: SourceFile, raw: bytes | None) -> bool:
    """Index one record file; False when it is not a readable record."""
    documents = _index_documents(source, raw)
    for document in documents or ():
        writer.add_document(**document)
    return documents is not None


def _rebuild(root: Path, folder: Path, language: str, reason: str) -> SearchIndex:
    building = cache.new_build_folder(folder)
    try:
        ix = whoosh_index.create_in(str(building), schema(language))
        manifest, status = _fill(ix, root, language)
        cache.write_manifest(building, manifest)
        final = cache.publish(folder, building)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    status.rebuilt, status.reason = True, reason
    return SearchIndex(whoosh_index.open_dir(str(final)), root, language, status)


def _build_in_memory(root: Path, language: str, reason: str) -> SearchIndex:
    from whoosh.filedb import filestore

    storage: Any = filestore.RamStorage()
    ix = storage.create_index(schema(language))
    _, status = _fill(ix, root, language)
    status.rebuilt, status.reason, status.in_memory = True, reason, True
    return SearchIndex(ix, root, language, status)


PARALLEL_FROM = 1500  # files: below this, starting worker processes costs more than it saves


def _build_jobs(files: int) -> int:
    """Processes for a full build: one per core from PARALLEL_FROM files (Whoosh is
    pure Python: a 10,000-record base takes twice as long on one core)."""
    from handover.core import forked

    return forked.jobs_for(files) if files >= PARALLEL_FROM else 1


def _fill(ix: Any, root: Path, language: str) -> tuple[dict[str, Any], IndexStatus]:
    """Index every record file (searchbuild); the manifest remembers each file's
    stat and hash."""
    from handover.search import bulk  # full builds only: a search on a current index does without

    status = IndexStatus()
    sources = sorted(scan_sources(str(root)).items())

    def documents_of(item: tuple[str, tuple[int, int]]) -> tuple[tuple[str, str], list[dict[str, str]]]:
        rel, (mtime_ns, size) = item
        source = source_of(str(root), rel)
        raw = _read(source.path)
        documents = _index_documents(source, raw)
        return (rel, cache.entry(mtime_ns, size, cache.digest_of(raw), documents is not None)), documents or []

    # A file's cost is about its size, plus the work of opening and reading it.
    entries = bulk.write_index(ix, sources, documents_of, jobs=_build_jobs(len(sources)), weight=lambda item: item[1][1] + 1000)
    files = dict(entries)
    status.added = len(files)
    status.documents = ix.doc_count()
    status.unreadable = sorted(rel for rel, recorded in files.items() if not cache.entry_readable(recorded))
    return {"schema": SCHEMA_VERSION, "language": language, "documents": status.documents, "files": files}, status
