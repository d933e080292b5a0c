"""Accent folding, the one place for it: search terms, sort keys, author names,
secret words, ids made from names (slugs), and Material's search index.

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
# Letters that Unicode does not decompose into a Latin letter and an accent.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                           "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def fold(text: str) -> str:
    """`Modération` → `Moderation`, `Lebœuf` → `Leboeuf`: drop combining accents, keep
    the letters, spell out the ligatures (œ, æ, ß…)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(LIGATURES)


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase id from a name: `Frédérique Lebœuf` → `frederique-leboeuf`; "" when
    nothing is left. Cut at a hyphen to at most `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(LIGATURES)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold_in_columns(text: str) -> str:
    """Lowercase, accents dropped, one character for one (so a match's columns are
    the original's): for the secret scan, which reports where it found something."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


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
