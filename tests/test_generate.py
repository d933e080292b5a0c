"""The synthetic knowledge-base generator of tests/bench (used by the benchmarks):
deterministic, the requested size and mix, valid apart from the mistakes it sprinkles
in on purpose, and every one of those is reported by `handover validate`."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from handover.cli import cli

BENCH = Path(__file__).resolve().parent / "bench"


def _load_generator():
    name = "handover_bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()
RECORDS = 200
RATE = 0.06  # 12 mistakes: each of the six kinds of mistake twice


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):
    return gen.generate(tmp_path_factory.mktemp("gen") / "kb", RECORDS, seed=7, problem_rate=RATE)


@pytest.fixture(scope="module")
def report(kb) -> dict:
    result = CliRunner().invoke(cli, ["validate", str(kb.root), "--format", "json", "--today", kb.today.isoformat()])
    assert result.exit_code == 1, result.output[-2000:]
    return json.loads(result.output)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_files(kb, tmp_path: Path):
    again = gen.generate(tmp_path / "again", RECORDS, seed=7, problem_rate=RATE)
    assert _snapshot(again.root) == _snapshot(kb.root)
    other = gen.generate(tmp_path / "other", RECORDS, seed=8, problem_rate=RATE)
    assert _snapshot(other.root) != _snapshot(kb.root)


def test_count_and_mix(kb):
    files = [p for p in kb.root.rglob("*") if p.is_file() and p.parent != kb.root]
    assert len(files) == RECORDS == sum(kb.counts.values()) == len(kb.files)
    by_kind = {kind: len(list((kb.root / kind).iterdir())) for kind in gen.MIX}
    assert by_kind == kb.counts
    assert by_kind["team"] >= 5 and by_kind["charter"] >= 1
    for kind, share in gen.MIX.items():
        assert abs(by_kind[kind] - RECORDS * share) <= max(3, RECORDS * share * 0.1), (kind, by_kind[kind])
    assert (kb.root / "handover.yml").read_text(encoding="utf-8") == gen.without_triage(gen.SETTINGS.read_text(encoding="utf-8"))
    statuses = [line for p in (kb.root / "team").iterdir() for line in p.read_text(encoding="utf-8").splitlines() if line.startswith("status:")]
    assert "status: leaving" in statuses and "status: left" in statuses
    assert kb.rules >= 5


def test_counts_scale():
    counts = gen.counts_for(10_000)
    assert sum(counts.values()) == 10_000
    assert counts["contacts"] == 3500 and counts["team"] == 200 and counts["charter"] == 100
    assert sum(gen.counts_for(50_000).values()) == 50_000
    assert sum(gen.counts_for(1_000).values()) == 1_000


def test_every_sprinkled_mistake_is_reported_where_it_is(kb, report):
    assert {p.mistake for p in kb.problems} == set(gen.MISTAKES)
    assert len(kb.problems) == round(RECORDS * RATE)
    reported = {(p["path"].replace("\\", "/"), p["line"], p["col"], p["code"]) for p in report["problems"]}
    for expected in kb.problems:
        assert any(path.endswith("/" + expected.path) and (line, col, code) == (expected.line, expected.col, expected.code)
                   for path, line, col, code in reported), expected


def test_no_other_errors(kb, report):
    expected = {(p.path, p.code) for p in kb.problems if p.is_error}
    errors = {(Path(os.path.relpath(os.path.abspath(p["path"]), kb.root)).as_posix(), p["code"]) for p in report["problems"] if p["severity"] == "error"}
    unexpected = sorted(errors - expected)
    assert not unexpected, unexpected
    assert report["summary"]["errors"] == len(expected)
    assert report["summary"]["records"] == RECORDS


def test_without_problems_it_validates_clean(tmp_path: Path):
    kb = gen.generate(tmp_path / "clean", 60, seed=3, problem_rate=0)
    assert kb.problems == []
    result = CliRunner().invoke(cli, ["validate", str(kb.root), "--today", kb.today.isoformat()])
    assert result.exit_code == 0, result.output[-2000:]

