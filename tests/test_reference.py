"""The reference pages are generated from the code and kept current in the kb."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BUNDLED_KB, REPO, write

from handover.checks import run_checks
from handover.records.kinds import KINDS
from handover.records.model import load_kb
from handover.reference.codes import CODES
from handover.reference.pages import example_record, format_reference, problems_reference


def test_format_page_is_current():
    assert (BUNDLED_KB / "guide" / "format.md").read_text(encoding="utf-8") == format_reference(), "run: handover docs format -o kb/guide/format.md"


def test_problems_page_is_current():
    assert (BUNDLED_KB / "guide" / "problems.md").read_text(encoding="utf-8") == problems_reference(), "run: handover docs problems -o kb/guide/problems.md"


def test_every_field_of_every_kind_is_documented():
    page = format_reference()
    for kind in KINDS.values():
        assert f"## `{kind.folder}/`" in page
        for field in kind.fields:
            assert f"| `{field.name}` |" in page, (kind.folder, field.name)


def test_every_code_in_the_source_is_documented():
    used: set[str] = set()
    for path in (REPO / "handover").rglob("*.py"):
        if path.name == "codes.py":
            continue
        used |= set(re.findall(r'"([EW][0-9]{3})"', path.read_text(encoding="utf-8")))
    assert used, "the scan found no codes at all"
    assert sorted(used - set(CODES)) == []
    assert sorted(set(CODES) - used) == []  # no documented code that nothing emits


@pytest.mark.parametrize("kind", list(KINDS))
def test_documented_examples_are_valid_records(tmp_path: Path, kind: str):
    write(tmp_path, "handover.yml", (BUNDLED_KB / "handover.yml").read_text(encoding="utf-8"))
    spec = KINDS[kind]
    write(tmp_path, f"{kind}/example{spec.extension}", example_record(spec))
    report = run_checks(load_kb(str(tmp_path)))
    schema_problems = [p for p in report.problems if p.code in ("E201", "E202", "E203", "E204") or p.code.startswith(("E21", "E22", "W22"))]
    assert schema_problems == []
