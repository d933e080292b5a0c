"""Field-level and word-level diffs: the shortcuts (splitting fields without parsing,
narrowing to the changed lines, resolving one-line fields directly) must give exactly
what parsing both whole versions gives."""

from __future__ import annotations

import random

import pytest

from conftest import BUNDLED_KB

from handover.files.yamlio import parse_field, parse_mapping, top_level_blocks
from handover.git.diffs import diff_values, field_changes, inline_word_diff, same_words, text_change, word_diff

YAML_RECORDS = sorted(p for p in BUNDLED_KB.rglob("*.yml") if p.parent != BUNDLED_KB)


@pytest.mark.parametrize("value", ["no", "Yes", "0612345670", "+33612345678", "12:30", "2026-02-30", "2026-02-03", "1.5", "1_000",
                                   "true", "null", "~", ".inf", "0x1F", "1e3", "3/week", "90d", "x:y", "a#b", "hello world", "-5", "@lea"])
def test_one_line_fields_resolve_as_the_full_loader_does(value: str):
    block = f"field: {value}\n"
    fast, full = parse_field(block, "r.yml"), parse_mapping(block, "r.yml")
    assert (fast.ok, fast.data, [p.format_gnu() for p in fast.problems]) == (full.ok, full.data, [p.format_gnu() for p in full.problems])


def test_top_level_blocks_split_or_refuse():
    text = '# comment\nname: A\nchannels:\n  phone: "1"\n\n  email: x\n# another\ntags: [a, b]\n\n'
    assert top_level_blocks(text) == {"name": "name: A\n", "channels": 'channels:\n  phone: "1"\n\n  email: x\n', "tags": "tags: [a, b]\n"}
    for refused in ("- a\n", "{a: 1}\n", "a: 1\na: 2\n", "tags: [a,\nb]\n", "  a: 1\n"):
        assert top_level_blocks(refused) is None, refused


def test_field_changes_equal_the_full_comparison_on_random_edits():
    rng = random.Random(11)
    checked = 0
    for path in YAML_RECORDS:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for _ in range(8):
            new = list(lines)
            index = rng.randrange(len(new) - 1)
            roll = rng.random()
            if roll < 0.4:
                new[index] += " x"
            elif roll < 0.6:
                new.insert(index, "extra_field: 1")
            elif roll < 0.8:
                del new[index]
            else:
                new.insert(index, "  indented: y")
            new_text = "\n".join(new)
            old, changed = parse_mapping(text, "old"), parse_mapping(new_text, "new")
            got = field_changes(text, new_text)
            if not (old.ok and changed.ok and not changed.problems):
                continue
            assert got is not None
            assert sorted(map(repr, got)) == sorted(map(repr, diff_values(old.data, changed.data))), (path.name, index)
            checked += 1
    assert checked > 200


def test_field_changes_detail():
    old = "name: Jean\nchannels:\n  email: a@b.fr\n  phone: '1'\ntags: [a, b]\nnotes: x\n"
    new = "name: Jean\nchannels:\n  email: a@b.fr\n  phone: '2'\ntags: [b, c]\nstatus: active\n"
    changes = {c.name: c for c in field_changes(old, new) or []}
    assert (changes["channels.phone"].old, changes["channels.phone"].new) == ("1", "2")
    assert changes["tags"].change == "changed" and changes["notes"].change == "removed" and changes["status"].change == "added"
    assert "name" not in changes and "channels.email" not in changes
    assert field_changes("a: 1\n", "a: true\n")[0].new is True  # 1 → true is a change
    assert field_changes("a: [\n", "a: 1\n") is None


def test_word_diff_and_text_change():
    old = "Une critique reste en ligne, même injuste, même mal écrite, même répétée. On ne la supprime pas."
    new = "Une critique reste en ligne, même injuste et blessante, même mal écrite, même répétée. On ne la supprime pas."
    kinds = [h.kind for h in word_diff(old, new, context=3)]
    assert kinds == ["skip", "same", "removed", "added", "same", "skip"]  # long unchanged stretches cut
    assert inline_word_diff(old, new, context=2) == "… ligne, même [-injuste,-] {+injuste et blessante,+} même mal …"
    assert same_words("a  b\nc", "a b c") and not same_words("a b", "a c")
    change = text_change("one\ntwo\nthree\n", "one\n2\nthree\nfour\n")
    assert change is not None and (change.added, change.removed) == (2, 1)
    assert text_change("same", "same") is None


def test_prose_one_sentence_per_line_leaves_structure_alone():
    from handover.git.prose import one_sentence_per_line

    text = ("---\ntitle: T\nsummary: Une phrase. Une autre.\n---\n\n## Règle {#r}\n\nPremière phrase, assez\nlongue. Deuxième phrase !"
            " Troisième ?\n\n- un point. Deux phrases.\n  suite du point\n\n```text\nCode. Pas touché.\n```\n| a. B | c |\n")
    assert one_sentence_per_line(text) == (
        "---\ntitle: T\nsummary: Une phrase. Une autre.\n---\n\n## Règle {#r}\n\nPremière phrase, assez longue.\nDeuxième phrase !\nTroisième ?\n\n"
        "- un point. Deux phrases.\n  suite du point\n\n```text\nCode. Pas touché.\n```\n| a. B | c |\n")
