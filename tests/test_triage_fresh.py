"""A blind measure of `handover triage` on tests/evaluation/triage_fresh.yaml and
triage_fresh2.yaml.

The 80 messages of each were written and labelled, each set in one sitting, by a
session that had never seen the ranker, and committed before it ever ran on them. They are measured, never tuned on:
this test prints figures only (top-1, top-3, "don't answer", answerable messages said
not to answer; overall, per language, per platform, one topic or several), never a
message's text nor which messages failed, so that nobody tunes toward them by accident.

It asserts that every label is valid, and regression floors set at or below the one
measurement (see FLOORS): not targets to tune toward.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from triagescore import NONE, Tally, bundled_kb_copy, load_messages

from handover.commands.triage import triage
from handover.records.model import KnowledgeBase

EVALUATION = Path(__file__).parent / "evaluation"
LANGUAGES = {"fr", "en"}
# Regression floors on each whole set, fixed before its first measurement: never raise
# them toward a figure reached by tuning on these messages. triage_fresh.yaml (measured
# first on 2026-12-06, ranker of commit 4ebf1ce): top-1 57/68 = 0.84 and top-3 66/68 = 0.97
# were both above them, so both are asserted, well below the measure. triage_fresh2.yaml
# (written after the triage7 round): the same floors, set before it was first run.
# "Don't answer" has no floor.
FLOORS = {"top-1": 0.60, "top-3": 0.80}
SETS = {"triage_fresh.yaml": "f", "triage_fresh2.yaml": "g"}  # file → its ids' letter (f001…f080)
SIZE = 80


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return bundled_kb_copy(tmp_path_factory, "triage-fresh")


def known_handles(kb: KnowledgeBase) -> set[str]:
    handles: set[str] = set()
    for kind in ("contacts", "influencers"):
        for record in kb.records.get(kind, {}).values():
            values = record.get("handles", {})
            if isinstance(values, dict):
                handles.update(str(v).lower() for v in values.values())
    return handles


@pytest.mark.parametrize("name", SETS)
def test_the_fresh_messages_are_labelled_validly(kb: KnowledgeBase, name: str):
    messages = load_messages(EVALUATION / name)
    responses = kb.records["responses"]
    platforms = set(kb.config.platforms)
    handles = known_handles(kb)
    ids = [message.get("id") for message in messages]
    assert len(ids) == len(set(ids)) == SIZE
    assert ids == [f"{SETS[name]}{n:03d}" for n in range(1, SIZE + 1)]
    problems = []
    for message in messages:
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


@pytest.mark.parametrize("name", SETS)
def test_triage_fresh(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str], name: str):
    groups: dict[str, Tally] = defaultdict(Tally)
    for message in load_messages(EVALUATION / name):
        result = triage(kb, message["text"], author=message.get("author"), platform=message["platform"])
        keys = ["all", f"language {message['language']}", f"platform {message['platform']}",
                "several topics" if len(message["topics"]) > 1 else "one topic"]
        for key in keys:
            groups[key].add(message, result)
    order = sorted(groups, key=lambda k: (k != "all", not k.startswith("language"),
                                          not k.endswith("topic") and not k.endswith("topics"), k))
    with capsys.disabled():
        print(f"\ntriage on a fresh blind set (tests/evaluation/{name}), figures only:")
        for key in order:
            print(f"  {key:20} {groups[key].line(answerable_total=True)}")
    overall = groups["all"]
    for name, floor in FLOORS.items():
        share = overall.share(name)
        assert share is not None and share >= floor, f"{name} {share:.0%} under the floor {floor:.0%}"
