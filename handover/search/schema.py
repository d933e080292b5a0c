"""The index's fields, and how a record's flat document fills them (Whoosh schema).

Whoosh's formats count a field's words one token object at a time; the formats here
count the analyzer's list of forms in one go, and give the same postings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint

from handover.search.analysis import PAIRS, PART_BREAK, FoldingAnalyzer, PairAnalyzer, analyzer

# Raise whenever the schema or the analysis changes: older indexes are then rebuilt.
SCHEMA_VERSION = 8  # 8: analysis.py, secrets redacted, phones and e-mails as words; fold() spells out ß, ø, ł, đ, þ, ı

# Field filters (`tag:crise`), always required, never fuzzy.
FILTER_FIELDS = ("kind", "id", "path", "owner", "tag", "status", "language", "platform", "rule", "topic", "stance")


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


def text_field(analyze: FoldingAnalyzer, stored: bool = False, positions: bool = False) -> TEXT:
    field = TEXT(analyzer=analyze, stored=stored, phrase=positions)
    field.format = CountedPositions() if positions else CountedFrequency()
    return field


def _pairs_field(language: str, country: str) -> TEXT:
    field = TEXT(analyzer=PairAnalyzer(language, country), phrase=False)
    field.format, field.scorable = PairImpacts(), False  # scored by their weights (PairImpacts)
    return field


def schema(language: str, country: str = "") -> Schema:
    """The index's fields (documents come from documents.record_documents)."""
    text = analyzer(language, country)
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
        pairs=_pairs_field(language, country),
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

