"""A build never deletes what it did not make, and never leaves a half site (issue 15, item 1).

The site is built in a hidden folder beside the target, then swapped in; a folder
is replaced only when its marker lists every file in it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import BUNDLED_KB, KB_TODAY

from handover.site.mkdocs.build import MARKER

TODAY = KB_TODAY.isoformat()


def build(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HANDOVER_KB"}
    return subprocess.run([sys.executable, "-m", "handover", "build", *args, "--today", TODAY],
                          cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=600)


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_build_refuses_a_folder_it_did_not_make(tmp_path: Path):
    """A kb without mkdocs.yml builds into the parent's site/: an unrelated file there survives."""
    shutil.copytree(BUNDLED_KB, tmp_path / "kb")
    site = tmp_path / "site"
    site.mkdir()
    (site / "important.txt").write_text("not handover's\n", encoding="utf-8")
    done = build("kb", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "is not a site handover built" in done.stderr and "important.txt" in done.stderr
    assert "nothing was deleted" in done.stderr and "Traceback" not in done.stderr
    assert (site / "important.txt").read_text(encoding="utf-8") == "not handover's\n"
    assert sorted(p.name for p in site.iterdir()) == ["important.txt"]
    assert not [p for p in tmp_path.iterdir() if ".handover-build-" in p.name]  # no leftover


def test_build_replaces_its_own_site_but_not_a_file_added_to_it(tmp_path: Path):
    out = tmp_path / "out"
    first = build(str(BUNDLED_KB), "-d", str(out), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    listed = (out / MARKER).read_text(encoding="utf-8").splitlines()[1:]
    assert set(listed) == site_files(out) - {MARKER} and "index.html" in listed
    (out / "stale-page.html").unlink(missing_ok=True)
    (out / "index.html").write_text("old", encoding="utf-8")
    again = build(str(BUNDLED_KB), "-d", str(out), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (out / "index.html").read_text(encoding="utf-8") != "old"
    (out / "notes-perso.txt").write_text("mine", encoding="utf-8")
    refused = build(str(BUNDLED_KB), "-d", str(out), cwd=tmp_path)
    assert refused.returncode == 1
    assert "holds files handover did not write (notes-perso.txt)" in refused.stderr
    assert (out / "notes-perso.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").is_file()


def test_an_empty_folder_is_used(tmp_path: Path):
    out = tmp_path / "empty"
    out.mkdir()
    done = build(str(BUNDLED_KB), "-d", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file() and (out / MARKER).is_file()


def test_a_killed_build_leaves_the_old_site_whole(tmp_path: Path):
    """SIGKILL at several moments of a rebuild: the site folder is the old site or the new one, complete."""
    out = tmp_path / "site"
    assert build(str(BUNDLED_KB), "-d", str(out), cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "HANDOVER_KB"}
    for delay in (0.8, 1.6, 2.4, 3.2):
        process = subprocess.Popen([sys.executable, "-m", "handover", "build", str(BUNDLED_KB), "-d", str(out), "--today", TODAY],
                                   cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        listed = set((out / MARKER).read_text(encoding="utf-8").splitlines()[1:])
        assert listed | {MARKER} == site_files(out), f"killed after {delay} s: the site is not whole"
        for leftover in tmp_path.glob(".site.handover-*"):
            shutil.rmtree(leftover)  # hidden staging folders of killed builds (the README says so)
