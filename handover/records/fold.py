"""Accent folding, the one place for it: search terms (the CLI's and the site's),
sort keys, author names, secret words, ids made from names (slugs)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
