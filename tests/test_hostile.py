"""Hostile input: whatever the files hold, the loader and validate answer with located
problems, never a traceback; bombs, huge files and deep nesting are refused quickly
with bounded memory; ids and links never lead outside the knowledge base."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUNDLED_KB, KB_TODAY, REPO

from handover.checks import run_checks
from handover.cli import cli
from handover.core.errors import UsageError
from handover.files.yamlio import MAX_DEPTH, MAX_FILE_BYTES, parse_document, parse_mapping
from handover.records.kinds import KINDS
from handover.records.model import load_kb, record_path

VALID = REPO / "tests" / "corpus" / "valid"
# Every record file of the bundled kb and of the valid corpus: the seeds to mutate.
SEEDS = sorted((p.relative_to(root).as_posix(), p.read_text(encoding="utf-8"))
               for root in (BUNDLED_KB, VALID) for kind in KINDS for p in sorted((root / kind).glob("*.*")))
YAML_CHARS = ":-[]{}&*!|>'\"#%@`,?\t\n \\<=~0123456789aéZ\u00a0\u2028\x00\x1b\ufeff"


def assert_located(problems, *, exact_file: str | None = None) -> None:
    for problem in problems:
        assert problem.code in __import__("handover.reference.codes", fromlist=["CODES"]).CODES, problem
        if exact_file is not None and problem.path.endswith(exact_file) and problem.code not in ("W001", "W113"):
            assert problem.line >= 1 and problem.col >= 1, problem


@st.composite
def mutated(draw) -> tuple[str, str]:
    """A seed file with a few random edits: cut, insert YAML-significant characters,
    duplicate or swap lines, truncate."""
    relative, text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(("cut", "insert", "duplicate", "swap", "truncate")))
        size = len(text)
        at = draw(st.integers(0, size))
        if operation == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif operation == "insert":
            text = text[:at] + draw(st.text(alphabet=YAML_CHARS, min_size=1, max_size=12)) + text[at:]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if operation == "duplicate":
                lines.insert(j, lines[i])
            elif operation == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines = lines[:i]
            text = "".join(lines)
    return relative, text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_never_raise(data: bytes, markdown: bool):
    text = data.decode("utf-8", errors="replace")
    document = parse_document(text, "r.yml", markdown)
    assert_located(document.loaded.problems, exact_file="r.yml")


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_mutated_records_parse_into_located_problems(case: tuple[str, str]):
    relative, text = case
    document = parse_document(text, relative, relative.endswith(".md"))
    assert_located(document.loaded.problems, exact_file=relative)
    if not document.loaded.ok:
        assert any(p.is_error for p in document.loaded.problems)


@pytest.fixture(scope="module")
def scratch_kb():
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "kb"
        shutil.copytree(VALID, root)
        yield root


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_validate_on_a_mutated_file_never_raises(scratch_kb: Path, case: tuple[str, str]):
    relative, text = case
    target = scratch_kb / relative
    original = target.read_bytes() if target.exists() else None
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        report = run_checks(load_kb(str(scratch_kb)), KB_TODAY)
        assert_located(report.problems, exact_file=relative)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_the_command_line_never_shows_a_traceback(scratch_kb: Path, case: tuple[str, str]):
    relative, text = case
    target = scratch_kb / relative
    original = target.read_bytes() if target.exists() else None
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        result = CliRunner().invoke(cli, ["validate", str(scratch_kb), "--today", KB_TODAY.isoformat()])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1) and "Traceback" not in result.output
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)


def bounded(action, seconds: float, megabytes: float):
    """Run `action`, and fail unless it took less than `seconds` and allocated at peak
    less than `megabytes` of Python memory."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = action()
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < megabytes * 1e6, f"peak {peak / 1e6:.1f} MB"
    return result


def test_billion_laughs_is_refused_quickly_with_little_memory():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 20)]  # 10^20 if expanded
    loaded = bounded(lambda: parse_mapping("\n".join(lines) + "\n", "bomb.yml"), 2.0, 20)
    assert {p.code for p in loaded.problems} == {"E105"} and len(loaded.problems) <= 20


def test_huge_file_is_refused_without_reading_it_whole(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    with open(kb / "contacts" / "huge.yml", "wb") as handle:
        handle.write(b"name: Huge\nnotes: |\n")
        handle.truncate(200 * MAX_FILE_BYTES)  # 200 MB, sparse: costs no disk
    report = bounded(lambda: run_checks(load_kb(str(kb)), KB_TODAY), 5.0, 3 * MAX_FILE_BYTES / 1e6 + 20)
    assert [(p.code, p.line) for p in report.problems if p.path.endswith("huge.yml")] == [("E110", 1)]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 200_000 + "]" * 200_000 + "\n",
    "a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "".join(f"{' ' * i}k{i}:\n" for i in range(2000)) + " " * 2000 + "v: 1\n",
    "a:\n" + "".join(f"{'  ' * i}- \n" for i in range(1, 500)) + "  " * 500 + "- x\n",
])
def test_deep_nesting_is_refused_quickly_with_bounded_memory(text: str):
    loaded = bounded(lambda: parse_mapping(text, "deep.yml"), 5.0, 60)
    assert not loaded.ok and [p.code for p in loaded.problems] in (["E109"], ["E101"])
    assert all(p.line >= 1 and p.col >= 1 for p in loaded.problems)


def test_depth_limit_holds_at_the_boundary():
    assert parse_mapping("a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n", "f.yml").ok
    assert not parse_mapping("a: " + "[" * (MAX_DEPTH + 1) + "1" + "]" * (MAX_DEPTH + 1) + "\n", "f.yml").ok


@pytest.mark.parametrize("ident", ["..", "../team/lea-martin", "/etc/passwd", "a/../../b", "team/../x", "Lea", "", "x" * 3 + "/" + "y"])
def test_ids_that_are_paths_are_refused(ident: str):
    with pytest.raises(UsageError):
        record_path(BUNDLED_KB, "team", ident)


def test_a_linked_folder_cannot_take_a_write_outside(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(kb / "contacts")
    os.symlink(outside, kb / "contacts")
    with pytest.raises(UsageError, match="outside the knowledge base"):
        record_path(kb, "contacts", "jane-doe")
    assert record_path(kb, "team", "alice-martin") == kb / "team" / "alice-martin.yml"


def test_links_to_outside_are_never_read_nor_published(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    secret = tmp_path / "secret.md"
    secret.write_text("# Not yours\n\nSENTINEL-outside\n", encoding="utf-8")
    (kb / "guide").mkdir()
    os.symlink(secret, kb / "guide" / "linked.md")
    os.symlink(secret, kb / "linked-top.md")
    os.symlink(secret, kb / "incidents" / "README.md")
    os.symlink(tmp_path / "secret.md", kb / "incidents" / "linked.md")
    loaded = load_kb(str(kb))
    assert all("SENTINEL" not in page.path.read_text(encoding="utf-8") for page in loaded.pages)
    found = sorted((p.path.split("kb/", 1)[1], p.code) for p in loaded.problems if p.code == "E111")
    assert found == [("guide/linked.md", "E111"), ("incidents/README.md", "E111"), ("incidents/linked.md", "E111"), ("linked-top.md", "E111")]
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(kb), "-d", str(out), "--today", KB_TODAY.isoformat()])
    assert result.exit_code == 1 and not out.exists()  # the links are errors: nothing is built


def test_references_that_look_like_paths_are_errors_not_lookups(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    account = kb / "accounts" / "x-testbikes.yml"
    text = account.read_text(encoding="utf-8")
    owner = next(line for line in text.splitlines() if line.startswith("owner:"))
    account.write_text(text.replace(owner, "owner: ../../../etc/passwd"), encoding="utf-8")
    report = run_checks(load_kb(str(kb)), KB_TODAY)
    codes = {p.code for p in report.problems if p.path.endswith("x-testbikes.yml")}
    assert codes & {"E219", "E301"}, report.problems
