"""The rules of the house (DESIGN.md §3), checked rather than hoped for.

Which module may import what (the layers, one adapter per outside library) is
declared as import-linter contracts in pyproject.toml and checked by `lint-imports`
(.ci/run). Here: what only running the code shows."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import BUNDLED_KB, REPO

PACKAGE = REPO / "handover"


def test_git_init_needs_no_gitpython():
    # handover init runs the git command line (commandline.init_repository), without GitPython.
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        code = ("import sys; from pathlib import Path; from handover.git.commandline import init_repository; "
                f"result = init_repository(Path({folder!r})); assert result.created, result.message; "
                "assert 'git' not in sys.modules, 'GitPython imported'")
        process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert process.returncode == 0, process.stderr


def test_core_never_prints_or_exits():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "cli" or path.name == "__main__.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*print\(|sys\.exit\(|^\s*exit\(", text, re.MULTILINE):
            offenders.append(path.name)
    assert offenders == []


def loaded_modules(*args: str) -> set[str]:
    code = (
        "import sys\n"
        "from handover.cli import cli\n"
        f"try:\n    cli.main({list(args)!r}, prog_name='handover')\n"
        "except SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    return set(result.stderr.split())


def test_help_and_validate_do_not_import_mkdocs_or_git():
    for args in (("--help",), ("validate", str(BUNDLED_KB)), ("reply", "sav-rendez-vous", "--kb", str(BUNDLED_KB)),
                 ("schema", "team", "--kb", str(BUNDLED_KB)), ("new", "--help"), ("import", "contacts", "--help"), ("init", "--help")):
        modules = loaded_modules(*args)
        assert "handover.cli" in modules  # the probe really ran the CLI
        heavy = {m for m in modules if m.split(".")[0] in ("mkdocs", "git", "whoosh", "material")}
        assert heavy == set(), args


def test_history_commands_import_git_only_when_they_run():
    for args in (("history", "--help"), ("changes", "--help"), ("review", "--help")):
        modules = loaded_modules(*args)
        assert "handover.cli" in modules
        assert {m for m in modules if m.split(".")[0] in ("git", "mkdocs", "material")} == set(), args
    code = "import sys, handover.git.history, handover.git.changes, handover.git.review, handover.site.pages.changes; print('git' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "False", result.stderr


def test_search_and_triage_do_not_import_mkdocs_or_git(kb_copy):
    for args in (("search", "moderateurs", "--kb", str(kb_copy)), ("triage", "je vais porter plainte", "--kb", str(kb_copy))):
        modules = loaded_modules(*args)
        assert "handover.search.index" in modules and "whoosh" in modules  # the probe really searched
        heavy = {m for m in modules if m.split(".")[0] in ("mkdocs", "git", "material")}
        assert heavy == set(), args


def test_validate_and_status_do_not_import_the_feed_or_chart_libraries():
    for args in (("validate", str(BUNDLED_KB)), ("status", str(BUNDLED_KB))):
        modules = loaded_modules(*args)
        assert "handover.activity.analysis" in modules  # the pulse checks ran
        assert not {m for m in modules if m.split(".")[0] in ("httpx", "feedparser", "pygal")}, args
