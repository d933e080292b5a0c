"""The CLI through Click's runner and as a real process: formats, exit codes, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import BUNDLED_KB, REPO, write

from handover.cli import cli

TODAY = ["--today", "2026-11-21"]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_bundled_kb_passes_and_reports_the_intern_leaving():
    result = run("validate", str(BUNDLED_KB), *TODAY)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    leaving = [line for line in result.output.splitlines() if "W310" in line and "lea-martin" in line]
    assert any("instagram-cyclesmorvan.yml" in line and "owner" in line for line in leaving)
    summary = next(line for line in result.output.splitlines() if "W311" in line)
    assert "lea-martin leaves on 2026-12-18" in summary and "no successor named" in summary


def test_strict_fails_on_warnings():
    result = run("validate", str(BUNDLED_KB), "--strict", *TODAY)
    assert result.exit_code == 1


def test_json_format(kb_copy: Path):
    write(kb_copy, "contacts/jean-dupont.yml", "name: Jean Dupont\norganization: X\ndepartment: legal\nchannels:\n  phone: 0612345670\n")
    result = run("validate", str(kb_copy), "--format", "json", *TODAY)
    assert result.exit_code == 1
    payload = json.loads(result.output)
    problem = next(p for p in payload["problems"] if p["code"] == "E201")
    assert problem["path"].endswith("contacts/jean-dupont.yml") and (problem["line"], problem["col"]) == (5, 10)
    assert problem["severity"] == "error" and payload["summary"]["passed"] is False


def test_github_format(kb_copy: Path):
    write(kb_copy, "contacts/jean-dupont.yml", "name: Jean Dupont\norganization: X\ndepartment: legall\nchannels: {email: a@b.fr}\n")
    result = run("validate", str(kb_copy), "--format", "github", *TODAY)
    line = next(line for line in result.output.splitlines() if "E212" in line)
    assert line.startswith("::error file=") and ",line=3,col=13,title=E212::" in line
    assert any(x.startswith("::warning ") and "W310" in x for x in result.output.splitlines())


def test_today_from_environment_and_bad_today():
    assert run("validate", str(BUNDLED_KB), env={"HANDOVER_TODAY": "2026-11-21"}).exit_code == 0
    result = run("validate", str(BUNDLED_KB), "--today", "tomorrow")
    assert result.exit_code == 2 and "not a date" in result.output


def test_missing_kb_is_exit_1_with_a_hint(tmp_path: Path):
    result = run("validate", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "no such folder" in result.output and "hint:" in result.output


def test_kb_found_by_walking_up(tmp_path: Path, monkeypatch):
    write(tmp_path, "handover.yml", "community: X\n")
    nested = tmp_path / "team" / "deeper"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.delenv("HANDOVER_KB", raising=False)
    result = run("validate")
    assert result.exit_code == 0 and "0 errors, 0 warnings in 0 records" in result.output


def test_bad_usage_is_exit_2():
    assert run("validate", "--format", "xml").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_docs_command_prints_the_reference():
    result = run("docs", "problems")
    assert result.exit_code == 0 and "| E201 | error | Read as a number |" in result.output


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path):
    write(tmp_path, "handover.yml", "community: X\n")
    write(tmp_path, "team/x.yml", "name: [unclosed\n")
    write(tmp_path, "team/y.yml", b"\xff\xfe\x00garbage".decode("latin-1"))
    process = subprocess.run([sys.executable, "-m", "handover", "validate", str(tmp_path)], capture_output=True, text=True, cwd=REPO)
    assert process.returncode == 1
    assert "Traceback" not in process.stdout + process.stderr
    assert "team/x.yml:2:1: error E101" in process.stdout
