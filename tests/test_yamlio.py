"""The strict loader, called directly: values, marks, traps, limits, atomic writes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.files.atomic import atomic_write
from handover.files.yamlio import MAX_DEPTH, decode, load_document, parse_mapping, split_front_matter


def codes(loaded):
    return [(p.code, p.line, p.col) for p in loaded.problems]


def test_values_and_marks():
    loaded = parse_mapping('name: "Léa"\nstart: 2026-06-01\ncount: 12\nok: true\nlist:\n  - a\n  - b\n', "f.yml")
    assert loaded.ok and loaded.problems == []
    assert loaded.data == {"name": "Léa", "start": dt.date(2026, 6, 1), "count": 12, "ok": True, "list": ["a", "b"]}
    assert loaded.mark(("start",)) == (2, 8)
    assert loaded.mark(("list", 1)) == (7, 5)
    assert loaded.mark(("count", "<key>")) == (3, 1)
    assert loaded.mark(("missing", "deeper")) == (1, 1)  # falls back to the top


@pytest.mark.parametrize(
    "line, code, kept",
    [
        ("phone: 0612345670", "E201", "0612345670"),
        ("phone: +33612345678", "E201", "+33612345678"),
        ("count: 1_000", "E201", "1_000"),
        ("answer: no", "E202", "no"),
        ("answer: On", "E202", "On"),
        ("at: 12:30", "E203", "12:30"),
        ("day: 2026-02-30", "E204", "2026-02-30"),
    ],
)
def test_yaml11_traps_are_errors_and_keep_the_text(line, code, kept):
    loaded = parse_mapping("a: 1\n" + line + "\n", "f.yml")
    assert codes(loaded) == [(code, 2, line.index(":") + 3)]
    key = line.split(":")[0]
    assert loaded.data[key] == kept
    assert (key,) in loaded.trapped
    assert key in loaded.problems[0].message


def test_quoted_values_are_never_trapped():
    loaded = parse_mapping('phone: "0612345670"\nanswer: "no"\nat: "12:30"\n', "f.yml")
    assert loaded.problems == [] and loaded.data == {"phone": "0612345670", "answer": "no", "at": "12:30"}


def test_duplicate_key_points_at_the_second_and_names_the_first():
    loaded = parse_mapping("name: a\nrole: b\nname: c\n", "f.yml")
    assert codes(loaded) == [("E104", 3, 1)]
    assert "line 1" in loaded.problems[0].message
    assert loaded.data["name"] == "a"


def test_anchors_and_aliases_are_refused_but_the_rest_is_read():
    loaded = parse_mapping("a: &x [1, 2]\nb: *x\nc: 3\n", "f.yml")
    assert ("E105", 1, 4) in codes(loaded) and ("E105", 2, 4) in codes(loaded)
    assert loaded.data["c"] == 3 and loaded.data["b"] is None


def test_alias_bomb_is_cheap():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    loaded = parse_mapping("\n".join(lines) + "\n", "bomb.yml")
    assert any(p.code == "E105" for p in loaded.problems)
    assert loaded.data["a11"] == [None] * 10  # aliases are never expanded


def test_tab_indentation():
    loaded = parse_mapping("a:\n\tb: 1\n", "f.yml")
    assert codes(loaded) == [("E103", 2, 1)] and not loaded.ok


@pytest.mark.parametrize("text", ["a: " + "[" * 5000 + "]" * 5000, "".join(f"{'  ' * i}k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n"])
def test_deep_nesting_is_refused_without_crashing(text):
    loaded = parse_mapping(text, "deep.yml")
    assert [p.code for p in loaded.problems] == ["E109"] and not loaded.ok


def test_depth_just_under_the_limit_is_fine():
    depth = MAX_DEPTH - 1
    loaded = parse_mapping("a: " + "[" * depth + "1" + "]" * depth + "\n", "f.yml")
    assert loaded.ok and loaded.problems == []


def test_second_document_top_level_and_empty():
    assert codes(parse_mapping("a: 1\n---\nb: 2\n", "f.yml"))[0][0] == "E106"
    assert codes(parse_mapping("- a\n- b\n", "f.yml")) == [("E107", 1, 1)]
    assert codes(parse_mapping("just text\n", "f.yml")) == [("E107", 1, 1)]
    assert codes(parse_mapping("# only a comment\n", "f.yml")) == [("E112", 1, 1)]


def test_syntax_error_is_located():
    loaded = parse_mapping("name: Léa\nrole: [unclosed\nemail: x\n", "f.yml")
    assert loaded.problems[0].code == "E101" and loaded.problems[0].line >= 2


def test_utf8_bom_accepted_and_bad_bytes_located():
    text, problems = decode("\ufeffa: 1\n".encode("utf-8"), "f.yml")
    assert text == "a: 1\n" and problems == []
    text, problems = decode(b"name: ok\nrole: caf\xe9\n", "f.yml")
    assert text is None and [(p.code, p.line, p.col) for p in problems] == [("E102", 2, 10)]


def test_front_matter_split_and_line_offsets(tmp_path: Path):
    path = tmp_path / "r.md"
    path.write_text("---\ntitle: T\nday: 2026-02-30\n---\nBody {x}\n", encoding="utf-8")
    document = load_document(path, "r.md", markdown=True)
    assert document.body == "Body {x}\n" and document.body_line == 5
    assert codes(document.loaded) == [("E204", 3, 6)]
    assert split_front_matter("no front matter\n", "r.md").code == "E108"
    assert split_front_matter("---\ntitle: T\n", "r.md").code == "E108"


def test_oversized_file(tmp_path: Path):
    path = tmp_path / "big.yml"
    path.write_text("a: " + "x" * 1_000_001 + "\n", encoding="utf-8")
    document = load_document(path, "big.yml", markdown=False)
    assert [p.code for p in document.loaded.problems] == ["E110"]


def test_atomic_write_replaces_and_keeps_permissions(tmp_path: Path):
    path = tmp_path / "f.yml"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o640)
    atomic_write(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.yml"]  # no temporary file left


@settings(max_examples=3000, deadline=None)
@given(st.one_of(
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "ON", "off", "null", "~", "Null", "true", "y", "n", ".inf", "-.5", "1e3", "0x1F", "0o17", "1_000", "12:30", "2026-02-30"]),
    st.from_regex(r"[-+.0-9:eE_xo]{1,10}", fullmatch=True),
))
def test_fast_resolution_agrees_with_pyyaml(value: str):
    """The loader's shortcut for plain scalars resolves exactly as PyYAML's resolver."""
    import yaml

    from handover.files.yamlio.build import _RESOLVER, _plain_tag

    assert _plain_tag(value) == _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
