"""The evaluation of `handover triage` on tests/evaluation/triage_messages.yaml.

Prints, for the tuning part and the held-out part: the right response first
(top-1), in the first three (top-3), and the "don't answer" messages recognised as
such (with the right charter rule), per language, per platform and for the messages
with several topics. Only the tuning part's misses are listed: the held-out part is
measured, never read to tune.

The targets of issue 17 are asserted on the held-out part where they are reached; a
target not reached is printed as missed, and the test asserts the floor reached
instead (FLOORS), so that a regression still fails it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from triagescore import NONE, Tally, bundled_kb_copy, load_messages

from handover.commands.triage import triage
from handover.records.model import KnowledgeBase

MESSAGES_FILE = Path(__file__).parent / "evaluation" / "triage_messages.yaml"
HELD_OUT = 171  # held-out messages (150 to answer, 21 not to), written before any ranker ran on them
TARGETS = {"top-1": 0.80, "top-3": 0.95, "don't answer": 0.80}
# What the held-out part reaches today, where it is under the target (see the report
# in tests/evaluation/LOG.md); raising a floor is fine, lowering it needs a reason.
# top-3 0.94: 142/150 on 2026-12-06, after 40 held-out messages were added for the ten
# new draft responses; the tuning part had no top-3 miss left to learn from.
# 141/150 (94.0%, on the floor) after the triage3 round of 2026-12-06 (LOG.md): not raised.
# 142/150 (94.7%) after the triage4 round of 2026-12-06 (LOG.md): under the 95% target,
# one message over the floor; not raised.
# 142/150 (94.7%) again after the triage5 round of 2026-12-06 (LOG.md): not raised.
# 143/150 (95.3%) after the triage7 round of 2026-12-06 (LOG.md): the target is reached,
# so the floor is the target; one held-out message lost fails this test.
FLOORS = {"top-1": 0.80, "top-3": 0.95, "don't answer": 0.80}


MESSAGES = load_messages(MESSAGES_FILE)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return bundled_kb_copy(tmp_path_factory, "triage-evaluation")


def test_the_messages_are_labelled_with_real_responses_and_rules(kb: KnowledgeBase):
    responses = set(kb.records["responses"])
    ids = [m["id"] for m in MESSAGES]
    assert len(MESSAGES) >= 220 and len(set(ids)) == len(ids)
    assert {m["expected"] for m in MESSAGES} == responses | {NONE}, "every response is expected at least once"
    silent = [m for m in MESSAGES if m["expected"] == NONE]
    assert len(silent) >= 30 and all(m["rule"] in kb.rules for m in silent)
    assert {m["language"] for m in MESSAGES} == {"fr", "en"}
    assert {m["platform"] for m in MESSAGES} <= set(kb.config.platforms)
    # Counts only in the assertions below: a failing one must not print the messages.
    held_out = sum(m["part"] == "held-out" for m in MESSAGES)
    # The held-out part never shrinks (171 since m338) and keeps at least 150 messages to
    # answer; the later rounds added tuning messages only (m339–m509 by the triage3–5
    # sessions, m510–m709 by two blind helpers in the triage7 round: LOG.md), which took
    # its share from 43% to 24%.
    assert {m["part"] for m in MESSAGES} == {"tuning", "held-out"}, "every message is tuning or held-out"
    assert held_out >= HELD_OUT, f"{held_out} held-out messages"
    answerable = sum(m["part"] == "held-out" and m["expected"] != NONE for m in MESSAGES)
    assert answerable >= 150, f"{answerable} held-out messages to answer"
    assert sum(len(m["topics"]) > 1 for m in MESSAGES) >= 20


def test_triage_evaluation(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]):
    # only the tuning part keeps its misses (message ids and texts): the held-out part is never read
    tallies: dict[str, dict[str, Tally]] = {"tuning": defaultdict(lambda: Tally(keep_misses=True)), "held-out": defaultdict(Tally)}
    for message in MESSAGES:
        result = triage(kb, message["text"], author=message.get("author"), platform=message["platform"])
        groups = tallies[message["part"]]
        keys = ["all", f"language {message['language']}", f"platform {message['platform']}"]
        if len(message["topics"]) > 1:
            keys.append("several topics")
        for key in keys:
            groups[key].add(message, result)
    held = tallies["held-out"]["all"]
    missed = [f"{name}: {held.share(name):.1%} < {target:.0%}" for name, target in TARGETS.items()
              if (held.share(name) or 0.0) < target]
    with capsys.disabled():
        print(f"\ntriage evaluation on {len(MESSAGES)} messages ({MESSAGES_FILE.name})")
        for part, groups in tallies.items():
            print(f"  {part}:")
            for key in sorted(groups, key=lambda k: (k != "all", not k.startswith("language"), k != "several topics", k)):
                print(f"    {key:<20} {groups[key].line()}")
        print("  tuning misses (held-out misses are not shown: they are not read to tune):")
        print("\n".join(tallies["tuning"]["all"].misses) or "    none")
        print("  held-out targets " + ("all reached" if not missed else "MISSED: " + "; ".join(missed)))
    for name, floor in FLOORS.items():
        share = held.share(name)
        assert share is not None and share >= floor, f"held-out {name} {share:.1%} fell under its floor {floor:.0%}"
