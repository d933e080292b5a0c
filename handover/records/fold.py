"""Accent folding for Material's search index.

lunr's French stemmer meets `modérateurs` and `modération`, but not a query typed
without accents (`securite` stems to `secur`, `sécurité` to `sécur`). So every
accented word of a page is added once more without its accents, in a hidden span:
a query with accents matches the original words, one without matches the copies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

TAG_RE = re.compile(r"<[^>]+>")
WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold(text: str) -> str:
    """`Modération` → `Moderation`: drop combining accents, keep the letters."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


@lru_cache(maxsize=65536)  # a site repeats the same few thousand words
def _folded_lower(word: str) -> str:
    return fold(word.lower())  # lower first: `Œ` folds only once it is `œ`


def folded_words(text: str) -> list[str]:
    """The words of `text` that change when folded, folded, once each, in order."""
    seen: set[str] = set()
    words = []
    for word in WORD_RE.findall(TAG_RE.sub(" ", text)):
        if word.isascii():  # nothing to fold (the common case)
            continue
        folded = _folded_lower(word)
        if folded != word.lower() and folded not in seen:
            seen.add(folded)
            words.append(folded)
    return words


def fold_entries(entries: list[dict[str, Any]]) -> None:
    """Add the folded words to each search index entry (Material's `docs` items), in place."""
    for doc in entries:
        extra = folded_words(f"{doc.get('title', '')} {doc.get('text', '')}")
        if extra:
            doc["text"] = f"{doc.get('text', '')} <span hidden> {' '.join(extra)} </span>"
