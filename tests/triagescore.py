"""How the triage evaluations score `handover triage` on labelled messages
(tests/test_triage_evaluation.py, tests/test_triage_fresh.py): the messages file,
a private copy of the bundled kb, and the tallies (top-1, top-3, "don't answer")."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BUNDLED_KB

from handover.commands.triage import Triage
from handover.records.model import KnowledgeBase, load_kb

NONE = "none"  # `expected` of a message the charter says not to answer with a canned response


def load_messages(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        messages = yaml.safe_load(handle)
    assert isinstance(messages, list)
    return messages


def bundled_kb_copy(tmp_path_factory: pytest.TempPathFactory, name: str) -> KnowledgeBase:
    root = tmp_path_factory.mktemp(name) / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    return load_kb(str(root))


def ranking(result: Triage) -> list[str]:
    """What triage puts first, second…: `none` first when it says not to answer."""
    ids = [s.id for s in result.suggestions]
    return [NONE, *ids] if result.silent is not None else ids


@dataclass
class Tally:
    """Counts; with `keep_misses`, each miss as a line naming the message (its id and
    text): only for messages that may be read to tune."""

    keep_misses: bool = False
    answerable: int = 0
    top1: int = 0
    top3: int = 0
    silent: int = 0  # "don't answer" messages
    recognised: int = 0  # … for which triage said not to answer
    right_rule: int = 0  # … naming the expected charter rule
    false_alarms: int = 0  # answerable messages triage said not to answer
    misses: list[str] = field(default_factory=list)

    def add(self, message: dict[str, Any], result: Triage) -> None:
        ranked = ranking(result)
        expected = message["expected"]
        if expected == NONE:
            self.silent += 1
            if result.silent is not None:
                self.recognised += 1
                self.right_rule += result.silent.rule == message["rule"]
            if self.keep_misses and (result.silent is None or result.silent.rule != message["rule"]):
                got = f"{result.silent.rule} ({result.silent.action})" if result.silent else ", ".join(ranked[:3])
                self.misses.append(f"    DON'T ANSWER ({message['rule']}) {message['id']} {message['text']!r}: got {got}")
            return
        self.answerable += 1
        self.top1 += ranked[:1] == [expected]
        self.top3 += expected in ranked[:3]
        self.false_alarms += result.silent is not None
        if self.keep_misses and ranked[:1] != [expected]:
            where = "top 3" if expected in ranked[:3] else "MISSED"
            self.misses.append(f"    {where}: {expected} for {message['id']} {message['text']!r} (got {', '.join(ranked[:3])})")

    def share(self, name: str) -> float | None:
        counts = {"top-1": (self.top1, self.answerable), "top-3": (self.top3, self.answerable),
                  "don't answer": (self.recognised, self.silent)}
        done, total = counts[name]
        return done / total if total else None

    def line(self, answerable_total: bool = False) -> str:
        """The figures; `answerable_total`: "said not to answer" always, out of the answerable."""
        parts = []
        if self.answerable:
            parts.append(f"top-1 {self.top1}/{self.answerable} = {self.top1 / self.answerable:.0%}")
            parts.append(f"top-3 {self.top3}/{self.answerable} = {self.top3 / self.answerable:.0%}")
        if self.silent:
            parts.append(f"don't answer {self.recognised}/{self.silent} = {self.recognised / self.silent:.0%}"
                         f" (right rule {self.right_rule})")
        if answerable_total and self.answerable:
            parts.append(f"answerable said not to answer {self.false_alarms}/{self.answerable}")
        elif self.false_alarms:
            parts.append(f"said not to answer {self.false_alarms} answerable")
        return ", ".join(parts)
