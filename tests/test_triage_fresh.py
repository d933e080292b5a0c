"""A blind measure of `handover triage` on tests/evaluation/triage_fresh.yaml.

The 80 messages there were written and labelled by someone who had never seen the
ranker, and committed before it ever ran on them. They are measured, never tuned on:
this test prints figures only (top-1, top-3, "don't answer", answerable messages said
not to answer; overall, per language, per platform, one topic or several), never a
message's text nor which messages failed, so that nobody tunes toward them by accident.

It asserts that every label is valid, and regression floors set at or below the one
measurement (see FLOORS): not targets to tune toward.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BUNDLED_KB

from handover.commands.triage import Triage, triage
from handover.records.model import KnowledgeBase, load_kb

MESSAGES_FILE = Path(__file__).parent / "evaluation" / "triage_fresh.yaml"
NONE = "none"
LANGUAGES = {"fr", "en"}
# Regression floors on the whole set, fixed before the one measurement (2026-12-06, ranker
# of commit 4ebf1ce): top-1 57/68 = 0.84 and top-3 66/68 = 0.97 were both above them, so
# both are asserted, well below the measure. "Don't answer" (9/12 = 0.75) has no floor.
# Never raise them toward a figure reached by tuning on these messages.
FLOORS = {"top-1": 0.60, "top-3": 0.80}


def load_messages() -> list[dict[str, Any]]:
    with MESSAGES_FILE.open(encoding="utf-8") as handle:
        messages = yaml.safe_load(handle)
    assert isinstance(messages, list)
    return messages


MESSAGES = load_messages()


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("triage-fresh") / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    return load_kb(str(root))


def ranking(result: Triage) -> list[str]:
    """What triage puts first, second…: `none` first when it says not to answer."""
    ids = [s.id for s in result.suggestions]
    return [NONE, *ids] if result.silent is not None else ids


@dataclass
class Tally:
    """Counts only: no message id or text is kept, so none can be printed."""

    answerable: int = 0
    top1: int = 0
    top3: int = 0
    silent: int = 0  # "don't answer" messages
    recognised: int = 0  # … for which triage said not to answer
    right_rule: int = 0  # … naming the expected charter rule
    false_alarms: int = 0  # answerable messages triage said not to answer

    def add(self, message: dict[str, Any], result: Triage) -> None:
        ranked = ranking(result)
        expected = message["expected"]
        if expected == NONE:
            self.silent += 1
            if result.silent is not None:
                self.recognised += 1
                self.right_rule += result.silent.rule == message["rule"]
            return
        self.answerable += 1
        self.top1 += ranked[:1] == [expected]
        self.top3 += expected in ranked[:3]
        self.false_alarms += result.silent is not None

    def share(self, name: str) -> float | None:
        counts = {"top-1": (self.top1, self.answerable), "top-3": (self.top3, self.answerable),
                  "don't answer": (self.recognised, self.silent)}
        done, total = counts[name]
        return done / total if total else None

    def line(self) -> str:
        parts = []
        if self.answerable:
            parts.append(f"top-1 {self.top1}/{self.answerable} = {self.top1 / self.answerable:.0%}")
            parts.append(f"top-3 {self.top3}/{self.answerable} = {self.top3 / self.answerable:.0%}")
        if self.silent:
            parts.append(f"don't answer {self.recognised}/{self.silent} = {self.recognised / self.silent:.0%}"
                         f" (right rule {self.right_rule})")
        if self.answerable:
            parts.append(f"answerable said not to answer {self.false_alarms}/{self.answerable}")
        return ", ".join(parts)


def known_handles(kb: KnowledgeBase) -> set[str]:
    handles: set[str] = set()
    for kind in ("contacts", "influencers"):
        for record in kb.records.get(kind, {}).values():
            values = record.get("handles", {})
            if isinstance(values, dict):
                handles.update(str(v).lower() for v in values.values())
    return handles


def test_the_fresh_messages_are_labelled_validly(kb: KnowledgeBase):
    responses = kb.records["responses"]
    platforms = set(kb.config.platforms)
    handles = known_handles(kb)
    ids = [message.get("id") for message in MESSAGES]
    assert len(ids) == len(set(ids)) == 80
    assert ids == [f"f{n:03d}" for n in range(1, 81)]
    problems = []
    for message in MESSAGES:
        ident = message["id"]
        if not isinstance(message.get("text"), str) or not message["text"].strip():
            problems.append(f"{ident}: no text")
        if message.get("language") not in LANGUAGES:
            problems.append(f"{ident}: language {message.get('language')!r}")
        platform = message.get("platform")
        if platform not in platforms:
            problems.append(f"{ident}: platform {platform!r} is not in handover.yml")
        topics = message.get("topics")
        if not (isinstance(topics, list) and topics and all(isinstance(t, str) for t in topics)):
            problems.append(f"{ident}: topics {topics!r}")
        author = message.get("author")
        if author is not None and str(author).lower() not in handles:
            problems.append(f"{ident}: author {author!r} is no handle of kb/contacts or kb/influencers")
        expected = message.get("expected")
        if expected == NONE:
            if message.get("rule") not in kb.rules:
                problems.append(f"{ident}: rule {message.get('rule')!r} is not a charter rule")
            continue
        if "rule" in message:
            problems.append(f"{ident}: a rule on a message to answer")
        response = responses.get(expected)
        if response is None:
            problems.append(f"{ident}: no response {expected!r}")
            continue
        if platform not in (response.get("platforms") or []):
            problems.append(f"{ident}: {expected} is not listed for {platform}")
        language = response.get("language")
        # An English message may get a French response where the topic has no English
        # one (the labelling rules); a French message always gets a French response.
        if message.get("language") == "fr" and language != "fr":
            problems.append(f"{ident}: {expected} is in {language}, the message in fr")
    assert not problems, "\n".join(problems)


def test_triage_fresh(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]):
    groups: dict[str, Tally] = defaultdict(Tally)
    for message in MESSAGES:
        result = triage(kb, message["text"], author=message.get("author"), platform=message["platform"])
        keys = ["all", f"language {message['language']}", f"platform {message['platform']}",
                "several topics" if len(message["topics"]) > 1 else "one topic"]
        for key in keys:
            groups[key].add(message, result)
    order = sorted(groups, key=lambda k: (k != "all", not k.startswith("language"),
                                          not k.endswith("topic") and not k.endswith("topics"), k))
    with capsys.disabled():
        print("\ntriage on the fresh blind set (tests/evaluation/triage_fresh.yaml), figures only:")
        for key in order:
            print(f"  {key:20} {groups[key].line()}")
    overall = groups["all"]
    for name, floor in FLOORS.items():
        share = overall.share(name)
        assert share is not None and share >= floor, f"{name} {share:.0%} under the floor {floor:.0%}"
