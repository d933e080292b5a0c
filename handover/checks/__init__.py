"""Validation: each module checks one family and yields located problems.

`run_checks` is what `handover validate`, `build` and `export` call. Checks never
raise on bad data: whatever a record holds, the worst outcome is a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from handover.checks import continuity, freshness, pulse, refs, responses, schema, secrets
from handover.checks.memo import CheckMemo
from handover.core.errors import Problem
from handover.records.model import KnowledgeBase

FAMILIES = (schema, refs, continuity, freshness, responses, secrets, pulse)
PER_RECORD = (schema, refs, responses, secrets)  # their check takes a memo (memo.py)


@dataclass
class Report:
    """Every problem of a knowledge base, sorted by file and position."""

    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def passed(self, strict: bool = False) -> bool:
        return self.errors == 0 and (not strict or self.warnings == 0)

    def summary(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        return f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')} in {plural(self.records, 'record')}"


def run_checks(kb: KnowledgeBase, today: dt.date | None = None, memo: CheckMemo | None = None) -> Report:
    """Load-time problems plus every check family, deduplicated and sorted. With
    `memo` (kept by a long-lived process between runs), the checks of one record are
    taken from the previous run while its file and handover.yml are unchanged."""
    today = today or dt.date.today()
    problems = list(kb.problems)
    if memo is not None:
        memo.begin(kb)
    for family in FAMILIES:
        problems.extend(family.check(kb, today, memo) if family in PER_RECORD else family.check(kb, today))
    unique = sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.code, p.message))
    return Report(unique, records=kb.count())
