"""transfer and forget are all or nothing (issue 15, item 9).

A real `handover transfer` / `handover forget` process is killed with SIGKILL at its
Nth file-system write (an audit hook counts the writes under the knowledge base and
kills the process there: no mock, the process really dies mid-way), for N from the
first write until the command gets to finish (every third write, to keep the test
under a minute). After each kill, the next command
(`handover validate`) runs, and then the knowledge base's files must be exactly the
old ones or exactly the new ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED_KB

KILLER = r"""
import os, signal, sys
root, at = os.path.abspath(sys.argv[1]), int(sys.argv[2])
count = 0
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

def hook(event, args):
    global count
    if event == "open":
        path, mode, flags = args
        if not (isinstance(mode, str) and any(c in mode for c in "wax+")) and not (isinstance(flags, int) and flags & WRITING):
            return
    elif event in ("os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "shutil.rmtree"):
        path = args[0]
    else:
        return
    if isinstance(path, (str, bytes, os.PathLike)) and os.path.abspath(os.fsdecode(path)).startswith(root):
        count += 1
        if count == at:
            os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(hook)
sys.argv = ["handover", *sys.argv[3:]]
from handover.cli import main
main()
"""

STRIDE = 3  # every third write: ~20 kill points a command, spread over the prepare, commit and replay phases
COMMANDS = {
    "transfer": ["transfer", "lea-martin", "karim-benali", "--backup", "julien-roux"],
    "forget": ["forget", "influencers/cargo-papa"],
}


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("HANDOVER_KB", "HANDOVER_TODAY")}


def snapshot(kb: Path) -> dict[str, bytes]:
    """Every file of the knowledge base but its rebuildable cache."""
    return {p.relative_to(kb).as_posix(): p.read_bytes() for p in sorted(kb.rglob("*"))
            if p.is_file() and ".handover-cache" not in p.relative_to(kb).parts}


def handover(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "handover", *args], check=False, env=env(), capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_killed_at_every_write_the_files_are_all_old_or_all_new(tmp_path: Path, command: str):
    args = COMMANDS[command]
    reference = tmp_path / "reference"
    shutil.copytree(BUNDLED_KB, reference)
    old = snapshot(reference)
    clean = handover(*args, "--kb", str(reference))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    new = snapshot(reference)
    assert new != old
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER, encoding="utf-8")
    outcomes: dict[str, int] = {"old": 0, "new": 0, "mixed before the next command": 0}
    at = -1
    while True:
        at += STRIDE
        kb = tmp_path / f"kb-{at}"
        shutil.copytree(BUNDLED_KB, kb)
        run = subprocess.run([sys.executable, str(killer), str(kb), str(at), *args, "--kb", str(kb)],
                             check=False, env=env(), capture_output=True, text=True, timeout=300)
        if run.returncode == 0:
            assert snapshot(kb) == new
            break
        assert run.returncode == -9, run.stdout + run.stderr  # killed, not failed
        seen = snapshot(kb)
        if seen not in (old, new):
            outcomes["mixed before the next command"] += 1
        after = handover("validate", str(kb))  # the next command, whatever it is, finishes or drops the change
        assert "Traceback" not in after.stderr
        state = snapshot(kb)
        assert state in (old, new), f"{command} killed at write {at}: files are neither all old nor all new"
        outcomes["old" if state == old else "new"] += 1
        assert not list((kb / ".handover-cache").glob("journal*")) if (kb / ".handover-cache").is_dir() else True
        shutil.rmtree(kb)
        assert at < 400, "the command never finished"
    # the kills fell before, inside and after the commit point, and at least once mid-way through the files
    assert outcomes["old"] >= 3 and outcomes["new"] >= 3 and outcomes["mixed before the next command"] >= 1, outcomes
