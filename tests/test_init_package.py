"""CI never installs handover by a name another project owns (issue 15, item 7).

On the public package index, `handover` is an unrelated project: `pip install
handover==0.1.0` in the CI files `handover init` writes was a dependency-confusion hole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handover.files.yamlio import parse_mapping

CI_FILES = (".github/workflows/handover.yml", ".gitlab-ci.yml")


def init(target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HANDOVER_KB"}
    return subprocess.run([sys.executable, "-m", "handover", "init", str(target), "--community", "Vélos", "--no-git", *extra],
                          check=False, env=env, capture_output=True, text=True, timeout=300)


def installs(target: Path) -> list[str]:
    """What each CI file gives pip to install."""
    found = []
    for name in CI_FILES:
        data = parse_mapping((target / name).read_text(encoding="utf-8"), name).data
        found.append(str((data.get("env") or data.get("variables"))["HANDOVER_PACKAGE"]))
    return found


def bare_pypi_name(spec: str) -> bool:
    return "://" not in spec and re.split(r"[\s<>=!~;\[@]", spec, maxsplit=1)[0].lower() == "handover"


def test_default_ci_never_installs_the_bare_name(tmp_path: Path):
    done = init(tmp_path / "kb-repo")
    assert done.returncode == 0, done.stdout + done.stderr
    for spec in installs(tmp_path / "kb-repo"):
        assert not bare_pypi_name(spec), spec
        assert spec.startswith("git+"), spec
    assert "CI installs handover from: git+" in done.stdout
    # installed from a local checkout (editable), pip recorded no git URL: a placeholder
    # that cannot resolve, and a note saying what to set
    assert "git.invalid" in installs(tmp_path / "kb-repo")[0] and "set HANDOVER_PACKAGE" in done.stderr


@pytest.mark.parametrize("spec", ["handover", "handover==0.1.0", "Handover>=0.1", "handover[test]==0.1.0"])
def test_a_bare_handover_requirement_is_refused(tmp_path: Path, spec: str):
    done = init(tmp_path / "kb-repo", "--package", spec)
    assert done.returncode == 2 and "unrelated project" in done.stderr
    assert not (tmp_path / "kb-repo").exists()


def test_a_git_requirement_is_written_as_given(tmp_path: Path):
    spec = "git+https://git.example.org/tools/handover@v0.1.0"
    assert init(tmp_path / "kb-repo", "--package", spec).returncode == 0
    assert installs(tmp_path / "kb-repo") == [spec, spec]
