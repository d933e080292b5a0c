"""Two handover processes at once: one waits or fails with a clear message, none
corrupts a file, and a killed process never leaves the lock behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import KB_TODAY, REPO

from handover.checks import run_checks
from handover.cli import cli
from handover.files.lock import LockHeld, kb_lock
from handover.records.model import load_kb

HOLDER = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from handover.files.lock import kb_lock
with kb_lock(Path(sys.argv[2]), sys.argv[3], shared=sys.argv[4] == "shared"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def hold(root: Path, what: str = "transfer", shared: bool = False) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(REPO), str(root), what, "shared" if shared else "exclusive"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


@pytest.fixture
def kb(kb_copy: Path) -> Path:
    return kb_copy


def transfer(kb: Path, *args: str):
    return CliRunner().invoke(cli, ["transfer", "lea-martin", "claire-fontaine", "--kb", str(kb), "--backup", "karim-benali",
                                    "--today", KB_TODAY.isoformat(), *args])


def test_a_transfer_while_another_holds_the_lock_fails_clearly_and_writes_nothing(kb: Path):
    before = {p: p.read_bytes() for p in kb.rglob("*.yml")} | {p: p.read_bytes() for p in kb.rglob("*.md")}
    holder = hold(kb, "transfer")
    try:
        result = transfer(kb)
        assert result.exit_code == 1
        assert f"cannot transfer: another handover command is using this knowledge base (transfer, process {holder.pid}, since" in result.output
        assert "Traceback" not in result.output and "wait for it to finish" in result.output
        assert {p: p.read_bytes() for p in before} == before
        assert transfer(kb, "--dry-run").exit_code == 0  # a dry run writes nothing: it needs no lock
    finally:
        holder.communicate("\n", timeout=10)
    assert transfer(kb).exit_code == 0  # released: the next one runs


def test_a_killed_holder_leaves_no_stale_lock(kb: Path):
    holder = hold(kb, "forget")
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    assert transfer(kb).exit_code == 0


def test_two_transfers_started_together_corrupt_nothing(kb: Path):
    command = [sys.executable, "-m", "handover", "transfer", "lea-martin", "{to}", "--kb", str(kb), "--backup", "karim-benali",
               "--today", KB_TODAY.isoformat()]
    processes = [subprocess.Popen([part.format(to=to) for part in command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
                 for to in ("claire-fontaine", "julien-roux")]
    results = [(p.wait(60), *p.communicate()) for p in processes]
    assert all("Traceback" not in out + err for _, out, err in results)
    winners = [r for r in results if r[0] == 0]
    assert len(winners) >= 1
    for code, _out, err in results:
        if code != 0:  # the other one met the lock, or found nothing left to transfer
            assert "another handover command is using this knowledge base" in err or "holds nothing" in err, err
    report = run_checks(load_kb(str(kb)), KB_TODAY)
    assert not [p for p in report.problems if p.is_error and p.code[:2] in ("E1", "E3")]  # every file parses; no reference broken
    assert "lea-martin" not in (kb / "accounts" / "instagram-cyclesmorvan.yml").read_text(encoding="utf-8")


def test_readers_share_writers_exclude(kb: Path):
    reader = hold(kb, "search", shared=True)
    try:
        with kb_lock(kb, "search", shared=True):
            pass  # two readers at once
        with pytest.raises(LockHeld, match=r"cannot update the index: .*\(|cannot update the index: another"), kb_lock(kb, "update the index", wait=0.2):
            pass
    finally:
        reader.communicate("\n", timeout=10)
    with kb_lock(kb, "update the index", wait=0.2):
        assert (kb / ".handover-cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_separate_locks_for_separate_caches(kb: Path):
    holder = hold(kb, "transfer")
    try:
        with kb_lock(kb, "update the index", cache="search.lock"):
            pass  # the search index's lock is not the records' lock
    finally:
        holder.communicate("\n", timeout=10)
