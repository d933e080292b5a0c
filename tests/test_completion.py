"""Shell completion as the README documents it, through the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import BUNDLED_KB

HANDOVER = Path(sys.executable).parent / "handover"


def complete(words: str, cword: int, tmp_path: Path) -> list[str]:
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_HANDOVER_COMPLETE": "bash_complete"}
    env.pop("HANDOVER_KB", None)
    proc = subprocess.run([str(HANDOVER)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [line.split(",", 1)[1] for line in proc.stdout.splitlines() if line]


def test_bash_script_and_completions(tmp_path: Path):
    env = {**os.environ, "_HANDOVER_COMPLETE": "bash_source"}
    script = subprocess.run([str(HANDOVER)], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "_handover_completion()" in script and "complete -o nosort -F _handover_completion handover" in script
    assert complete("handover rep", 1, tmp_path) == ["reply", "report"]
    assert complete("handover import c", 2, tmp_path) == ["contacts"]
    assert complete("handover new inf", 2, tmp_path) == ["influencers"]
    assert complete(f"handover reply --kb {BUNDLED_KB} remb", 4, tmp_path) == ["remboursement-demande"]
    assert complete("handover reply remb", 2, tmp_path) == []  # no knowledge base found from here: nothing, no error
