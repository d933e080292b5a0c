"""The search index's public face: what commands and tests use, from the modules that
do the work (Whoosh is imported under handover/search/ only).

- analysis.py: text → indexed words (folding, stemming, stop words, word pairs);
- schema.py: the index's fields and how a record's document fills them;
- phrases.py: phrases looked up as word pairs, checked by positions;
- typos.py: words found nowhere widened to close spellings;
- query.py: SearchIndex, the query syntax and ranking; snippets.py: the passages;
- update.py: opening the index, keeping it fresh, rebuilding it;
- bulk.py: full builds; documents.py: records → flat documents; cache.py: where it lives.
"""

from __future__ import annotations

from handover.search.analysis import PAIRS, FoldingAnalyzer, PairAnalyzer, analyzer, guess_language, normal_form
from handover.search.query import SearchIndex
from handover.search.results import Hit, IndexStatus, SearchResult
from handover.search.schema import SCHEMA_VERSION, index_fields, schema
from handover.search.snippets import mark_words
from handover.search.typos import edit_distance
from handover.search.update import open_index, using_index

__all__ = ["PAIRS", "SCHEMA_VERSION", "FoldingAnalyzer", "Hit", "IndexStatus", "PairAnalyzer", "SearchIndex", "SearchResult", "analyzer",
           "edit_distance", "guess_language", "index_fields", "mark_words", "normal_form", "open_index", "schema", "using_index"]
