"""The quick start never expires: the bundled kb is a sample dated by `as_of` (issue 15, item 2).

Its story (the intern leaves on 2026-12-18) is judged as of the day handover.yml
declares, whatever the clock says; `--today` still runs a drill on another day."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED_KB, REPO, write

from handover.checks import run_checks
from handover.records.model import load_kb

HANDOVER = [sys.executable, "-m", "handover"]
AS_OF = dt.date(2026, 12, 2)


def handover(*args: str, cwd: Path, clock: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HANDOVER_TODAY", "SOURCE_DATE_EPOCH", "HANDOVER_KB")}
    if clock:
        env["HANDOVER_TODAY"] = clock  # handover's clock: the day the machine would say it is
    return subprocess.run([*HANDOVER, *args], cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=600)


@pytest.fixture
def quick_start(tmp_path: Path) -> Path:
    """The repository's kb/ and mkdocs.yml, as the quick start finds them."""
    shutil.copytree(BUNDLED_KB, tmp_path / "kb")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_the_bundled_kb_declares_its_day():
    kb = load_kb(str(BUNDLED_KB))
    assert kb.config.as_of == AS_OF
    intern = kb.get("team", "lea-martin")
    assert intern.data["end"] == dt.date(2026, 12, 18)  # the story: she leaves two weeks after


@pytest.mark.parametrize("clock", ["2026-12-19", "2031-12-06"])
def test_quick_start_builds_with_the_clock_far_ahead(quick_start: Path, clock: str):
    """`handover build kb`, real MkDocs, the clock after the intern's departure: exit 0,
    her departure still taught (warnings) and the sample's date shown."""
    done = handover("build", "kb", cwd=quick_start, clock=clock)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sample knowledge base, dated 2026-12-02" in done.stderr
    assert "0 errors" in done.stderr and "warnings" in done.stderr
    home = (quick_start / "site" / "index.html").read_text(encoding="utf-8")
    assert "Léa Martin" in home and "18 décembre 2026" in home
    assert "datée du 2 décembre 2026" in home


@pytest.mark.parametrize("clock", [None, "2026-12-19", "2029-02-28", "2031-12-06"])
def test_validate_and_status_judge_the_sample_as_of_its_day(quick_start: Path, clock: str | None):
    done = handover("validate", "kb", "--format", "json", cwd=quick_start, clock=clock)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["errors"] == 0
    codes = {p["code"] for p in report["problems"]}
    assert {"W310", "W311"} <= codes  # the departure, as designed: warnings
    assert "sample knowledge base, dated 2026-12-02" in done.stderr
    status = handover("status", "kb", cwd=quick_start, clock=clock)
    assert "status on 2026-12-02 (sample knowledge base, dated 2026-12-02)" in status.stdout
    assert "lea-martin leaves on 2026-12-18 (in 16 days)" in status.stdout


def test_today_still_runs_a_drill_on_another_day(quick_start: Path):
    """--today overrides as_of: the day after the departure, what she held is orphaned."""
    done = handover("validate", "kb", "--today", "2026-12-19", cwd=quick_start, clock="2031-12-06")
    assert done.returncode == 1
    assert "lea-martin" in done.stdout and " error " in done.stdout


def test_as_of_is_checked_and_absent_from_real_knowledge_bases(valid_kb: Path):
    assert load_kb(str(valid_kb)).config.as_of is None
    config = valid_kb / "handover.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    write(valid_kb, "handover.yml", text + "\nas_of: last tuesday\n")
    kb = load_kb(str(valid_kb))
    bad = [p for p in run_checks(kb, AS_OF).problems if p.code == "E010"]
    assert bad and "as_of must be a date" in bad[0].message and bad[0].line > 0
