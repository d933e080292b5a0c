"""What a long-lived process (`handover serve`) keeps of one record's checks between
two runs, so that a rebuild after an edit checks again only the edited records.

Only checks that read nothing but the record itself and handover.yml are kept (the
schema, the secret scan of the record's file, a canned response's text). An entry
is used only while the record is the very document parsed from the same file
(load_kb with a parse cache hands back the same object for a file whose size,
modification time and inode have not changed) and handover.yml reads the same. The
references a record makes also depend on which records and charter rules exist
(does the id resolve, which id is close): they are kept only while the same ids
and rule ids exist. Every other check across records (continuity, freshness,
pulse, handles used twice) runs every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from handover.records.model import KnowledgeBase, Record

T = TypeVar("T")


class CheckMemo:
    def __init__(self) -> None:
        self._config: Any = None
        self._names: tuple[frozenset[str], frozenset[str]] | None = None  # the refs of every record, the rule ids
        self._entries: dict[tuple[str, str], tuple[object, list[Any]]] = {}
        self._named: dict[tuple[str, str], tuple[object, list[Any]]] = {}  # entries that depend on the names too
        self.computed = 0  # entries computed during the last run (tests read it)

    def begin(self, kb: KnowledgeBase) -> None:
        """Start a run: everything is forgotten when handover.yml no longer reads the same."""
        if self._config is None or kb.config != self._config:
            self._entries.clear()
            self._named.clear()
        names = (frozenset(record.ref for record in kb.all_records()), frozenset(kb.rules))
        if names != self._names:
            self._named.clear()
        self._config, self._names = kb.config, names
        self.computed = 0
        live = {record.display for record in kb.all_records()}
        for key in [key for key in self._entries if key[1] not in live]:
            del self._entries[key]  # deleted records drop out

    def get(self, family: str, record: Record, compute: Callable[[], Iterable[T]], names: bool = False) -> list[T]:
        """`compute()`'s results for this record, from the previous run while its file
        is unchanged (and, with `names`, while the same record and rule ids exist)."""
        entries = self._named if names else self._entries
        key = (family, record.display)
        entry = entries.get(key)
        if entry is not None and entry[0] is record.loaded:
            return entry[1]
        found = list(compute())
        entries[key] = (record.loaded, found)
        self.computed += 1
        return found


def per_record(memo: CheckMemo | None, family: str, record: Record, compute: Callable[[], Iterable[T]], names: bool = False) -> Iterable[T]:
    """`compute()`, through the memo when there is one."""
    return compute() if memo is None else memo.get(family, record, compute, names)
