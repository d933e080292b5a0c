"""Odd repository states: git missing, not a repository, no commits, a detached HEAD,
a shallow clone. The history commands say so clearly and exit 1 (or, where the
answer can still be given, give it with a note); validate and build keep working."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, write
from gitkb import ISOLATED, Repo, git, git_env

from handover.git.history import site_history

TINY = {
    "handover.yml": "community: Tiny\nlanguage: en\n",
    "team/ana.yml": "name: Ana Silva\nrole: Community manager\nemail: ana@example.org\nstart: 2026-01-01\nstatus: active\n",
    "contacts/press.yml": "name: Press desk\norganization: Tiny\ndepartment: press\nchannels:\n  email: press@example.org\n",
}


def tiny_kb(folder: Path) -> Path:
    for relative, text in TINY.items():
        write(folder, relative, text)
    return folder


def handover(*args: str, cwd: Path = REPO, path_env: str | None = None) -> subprocess.CompletedProcess[str]:
    """A real `handover` process, with the isolated git configuration and, when given, PATH."""
    env = {**os.environ, **ISOLATED}
    env.pop("GIT_PYTHON_GIT_EXECUTABLE", None)
    if path_env is not None:
        env["PATH"] = path_env
    process = subprocess.run([sys.executable, "-m", "handover", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert "Traceback" not in process.stderr + process.stdout
    return process


@pytest.fixture
def committed(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    tiny_kb(repo.kb)
    repo.first = repo.commit("Tiny knowledge base", "claire", "2026-01-05T10:00:00+00:00")
    repo.commit("Press desk phone", "lea", "2026-02-05T10:00:00+00:00",
                {"contacts/press.yml": TINY["contacts/press.yml"] + "  phone: \"+33 1 23 45 67 89\"\n"})
    repo.commit("Ana's backup email", "karim", "2026-03-05T10:00:00+00:00",
                {"team/ana.yml": TINY["team/ana.yml"] + "notes: Backup of the press desk.\n"})
    return repo


def test_git_not_installed(committed: Repo, tmp_path: Path):
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    for args in (("history", "press", "--kb", str(committed.kb)), ("changes", str(committed.kb), "--since", "2026-01-01"),
                 ("review", "HEAD~1", "--kb", str(committed.kb))):
        process = handover(*args, path_env=str(empty))
        assert process.returncode == 1, (args, process.stderr)
        assert "git is not installed (or not on PATH)" in process.stderr and "hint: install git" in process.stderr
    assert handover("validate", str(committed.kb), path_env=str(empty)).returncode == 0
    site = tmp_path / "site"
    built = handover("build", str(committed.kb), "-d", str(site), path_env=str(empty))
    assert built.returncode == 0, built.stderr
    page = (site / "contacts" / "press" / "index.html").read_text(encoding="utf-8")
    assert "Press desk" in page and "last changed" not in page
    assert not (site / "changes").exists()


def test_build_with_git_shows_last_changes(committed: Repo, tmp_path: Path):
    site = tmp_path / "site"
    built = handover("build", str(committed.kb), "-d", str(site))
    assert built.returncode == 0, built.stderr
    page = (site / "contacts" / "press" / "index.html").read_text(encoding="utf-8")
    assert "last changed on 5 February 2026 by Léa Martin" in page
    changes = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert changes.index("Ana's backup email") < changes.index("Press desk phone") < changes.index("Tiny knowledge base")


def test_not_a_repository(tmp_path: Path):
    kb = tiny_kb(tmp_path / "plain" / "kb")
    for args in (("history", "press", "--kb", str(kb)), ("changes", str(kb)), ("review", "main", "--kb", str(kb))):
        process = handover(*args)
        assert process.returncode == 1 and "is not in a git repository" in process.stderr, process.stderr
        assert "git init" in process.stderr
    assert handover("validate", str(kb)).returncode == 0
    assert site_history(kb) is None


def test_no_commits_yet(tmp_path: Path):
    repo = Repo(tmp_path / "fresh")
    tiny_kb(repo.kb)
    for args in (("history", "press", "--kb", str(repo.kb)), ("changes", str(repo.kb)), ("review", "main", "--kb", str(repo.kb))):
        process = handover(*args)
        assert process.returncode == 1 and "has no commits yet" in process.stderr, process.stderr
        assert "git add . && git commit" in process.stderr
    assert handover("validate", str(repo.kb)).returncode == 0
    assert site_history(repo.kb) is None


def test_detached_head_still_answers_with_a_note(committed: Repo):
    committed.git("checkout", "-q", "--detach", "HEAD~1")
    process = handover("history", "press", "--kb", str(committed.kb))
    assert process.returncode == 0, process.stderr
    assert "HEAD is detached at" in process.stderr
    assert "Press desk phone" in process.stdout and "Ana's backup email" not in process.stdout
    changes = handover("changes", str(committed.kb), "--since", "2026-01-06")
    assert changes.returncode == 0 and "contacts/press" in changes.stdout and "team/ana" not in changes.stdout
    history = site_history(committed.kb)
    assert history is not None and history.last["contacts/press.yml"].author == "Léa Martin"
    assert handover("validate", str(committed.kb)).returncode == 0


def test_shallow_clone(committed: Repo, tmp_path: Path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{committed.root}", str(clone)], env=git_env(), check=True, capture_output=True)
    kb = clone / "kb"
    # history: what the clone holds, marked as partial
    process = handover("history", "ana", "--kb", str(kb))
    assert process.returncode == 0, process.stderr
    assert "this clone is shallow" in process.stderr and "git fetch --unshallow" in process.stderr
    assert "as of" in process.stdout and "earlier changes are missing" in process.stdout
    # changes reaching before the clone's oldest commit: refused, with the fix
    older = handover("changes", str(kb), "--since", "2026-01-06")
    assert older.returncode == 1 and "no history before 2026-03-05" in older.stderr and "fetch-depth: 0" in older.stderr
    missing = handover("changes", str(kb), "--since", committed.first)
    assert missing.returncode == 1 and "shallow" in missing.stderr
    review = handover("review", "HEAD~1", "--kb", str(kb))
    assert review.returncode == 1 and "git fetch --unshallow" in review.stderr
    # the site does not claim the clone's oldest commit changed every file
    history = site_history(kb)
    assert history is not None and history.last == {} and history.recent == []
    assert handover("validate", str(kb)).returncode == 0


def test_kb_in_a_subfolder_and_commits_outside_it(committed: Repo):
    git(committed.root, "config", "user.name", "x")  # a repository-local setting must not disturb the output
    (committed.root / "README.md").write_text("outside the knowledge base\n", encoding="utf-8")
    committed.commit("Readme outside the kb", "claire", "2026-04-01T10:00:00+00:00")
    history = site_history(committed.kb)
    assert history is not None and "README.md" not in history.last and set(history.last) == set(TINY)
    assert history.recent[0].commit.subject == "Ana's backup email"


def readme_git_config() -> list[list[str]]:
    """The `git config` lines of the README's "Readable diffs" section, as arguments."""
    import re
    import shlex

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Readable diffs", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, re.S)[0]
    return [shlex.split(line)[2:] for line in block.splitlines() if line.startswith("git config ")]


def test_gitattributes_and_readme_settings_make_diffs_readable(tmp_path: Path):
    repo = Repo(tmp_path / "diffs", REPO / "kb")
    (repo.root / ".gitattributes").write_text((REPO / ".gitattributes").read_text(encoding="utf-8"), encoding="utf-8")
    settings = readme_git_config()
    assert [args[0] for args in settings] == ["diff.markdown.textconv", "diff.markdown.cachetextconv", "diff.yaml.xfuncname", "diff.yaml.wordRegex"]
    for key, value in settings:
        if value == "handover textconv":  # the installed command, as this test's Python runs it
            value = f"{sys.executable} -m handover textconv"
        repo.git("config", key, value)
    repo.commit("kb", "claire", "2026-01-05T10:00:00+00:00")
    # A phrase reworded, and the paragraph rewrapped by the editor, as happens.
    moderation = (repo.kb / "charter/moderation.md").read_text(encoding="utf-8")
    start = moderation.index("**Pourquoi.** Supprimer une critique")
    end = moderation.index("\n\n", start)
    paragraph = re.sub(r"[ \n]+", " ", moderation[start:end]).replace("L'internaute revient avec", "L'internaute revient toujours avec")
    moderation = moderation[:start] + textwrap.fill(paragraph, width=85, break_on_hyphens=False, break_long_words=False) + moderation[end:]
    client = repo.edit("contacts/service-client.yml", "sous 10 jours chez le vélociste", "sous 8 jours chez le vélociste")
    write(repo.kb, "charter/moderation.md", moderation)
    write(repo.kb, "contacts/service-client.yml", client)
    prose = repo.git("diff", "--", "kb/charter/moderation.md")
    assert "@@ ## Ne jamais supprimer une critique {#no-delete}" in prose  # the rule names the hunk
    changed = [line for line in prose.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    # One sentence changed: one line out, one line in, though the paragraph rewraps.
    assert changed == ["-L'internaute revient avec une capture d'écran et le mot « censure », sur X ou sur un blog.",
                       "+L'internaute revient toujours avec une capture d'écran et le mot « censure », sur X ou sur un blog."]
    raw = repo.git("diff", "--no-textconv", "--", "kb/charter/moderation.md")
    assert "revient toujours" in raw and len([line for line in raw.splitlines() if line.startswith("+") and not line.startswith("+++")]) > 3
    data = repo.git("diff", "--", "kb/contacts/service-client.yml")
    assert "@@ notes: |" in data  # the field the change belongs to
    words = repo.git("diff", "--word-diff", "--", "kb/contacts/service-client.yml")
    assert "sous [-10-]{+8+} jours" in words
