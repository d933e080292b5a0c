"""What a search answers: hits, the index's status, the result (plain data, no Whoosh)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    query: str  # as typed, a secret in it redacted (records/secretwords.redacted)
    hits: list[Hit]
    total: int
    fuzzy: list[str]  # words found nowhere (as written in the query), widened to close spellings
    status: IndexStatus

