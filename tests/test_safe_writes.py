"""Safe writes: a writing process killed halfway leaves the original file whole, and
whatever it leaves behind is never read as a record."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import KB_TODAY, REPO

from handover.checks import run_checks
from handover.files.atomic import atomic_write
from handover.records.model import load_kb

# Runs the real atomic_write in a child process. With PAUSE, os.replace is wrapped to
# say "ready" and wait: the parent kills the child between the fsync and the rename,
# the one moment when both the old file and the whole new text exist.
CHILD = r"""
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from handover.files import atomic
target, size, pause = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "pause"
if pause:
    real_replace = os.replace
    def replace(src, dst):
        print("ready", flush=True)
        sys.stdin.readline()  # the parent kills us here
        real_replace(src, dst)
    atomic.os.replace = replace
else:
    print("ready", flush=True)
atomic.atomic_write(target, "name: Rewritten\n" + "notes: |\n" + "  x\n" * (size // 4))
"""


def child(target: Path, size: int, pause: bool) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(REPO), str(target), str(size), "pause" if pause else "run"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


@pytest.fixture
def kb(valid_kb: Path) -> Path:
    return valid_kb


def assert_whole_and_unread(kb: Path, target: Path, original: bytes) -> None:
    assert target.read_bytes() == original
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]
    report = run_checks(load_kb(str(kb)), KB_TODAY)
    assert not [p for p in report.problems if any(name in p.path for name in leftovers)]  # a leftover is never a record
    assert not [p for p in report.problems if p.is_error]


def test_killed_between_write_and_rename_leaves_the_original(kb: Path):
    target = kb / "contacts" / "jane-doe.yml"
    original = target.read_bytes()
    process = child(target, 4_000_000, pause=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    temporaries = [p for p in target.parent.iterdir() if p.name.startswith(".jane-doe.yml.")]
    assert len(temporaries) == 1 and temporaries[0].stat().st_size > 4_000_000  # the new text is fully written, not yet renamed
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert process.returncode == -signal.SIGKILL
    assert_whole_and_unread(kb, target, original)


@pytest.mark.parametrize("delay", [0.0, 0.005, 0.02, 0.05])
def test_killed_at_any_moment_leaves_the_old_or_the_new_file_whole(kb: Path, delay: float):
    target = kb / "contacts" / "jane-doe.yml"
    original = target.read_bytes()
    size = 16_000_000
    process = child(target, size, pause=False)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    content = target.read_bytes()
    if content != original:  # the child finished before the kill: the new text, all of it
        assert process.returncode == 0 and content.startswith(b"name: Rewritten\n") and len(content) > size
    else:
        assert process.returncode == -signal.SIGKILL
        leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".jane-doe.yml.")]
        assert all(name.endswith(".tmp") for name in leftovers)
        loaded = load_kb(str(kb))
        assert loaded.get("contacts", "jane-doe") is not None and all("jane-doe.yml." not in p.path for p in loaded.problems)


def test_a_failed_write_leaves_nothing_and_permissions_are_kept(kb: Path):
    target = kb / "contacts" / "jane-doe.yml"
    os.chmod(target, 0o640)
    original = target.read_bytes()
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "name: \udc80 a lone surrogate cannot be written\n")
    assert target.read_bytes() == original and [p for p in target.parent.iterdir() if p.name.startswith(".")] == []
    atomic_write(target, "name: New\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = kb / "contacts" / "new-one.yml"
    atomic_write(fresh, "name: Fresh\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
