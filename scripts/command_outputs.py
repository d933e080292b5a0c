#!/usr/bin/env python3
"""Run every handover command on the bundled kb and record what it prints and writes.

Used to check that a refactoring changes no output: run it before and after, from
the interpreter of each checkout's virtual environment, then compare the folders:

    .venv/bin/python scripts/command_outputs.py /tmp/outputs-after
    diff -r /tmp/outputs-before /tmp/outputs-after

Each run gets a fresh copy of kb/ in a git repository with scripted commits (fixed
authors and dates), the date pinned (HANDOVER_TODAY, SOURCE_DATE_EPOCH), and temporary
paths replaced by <TMP>, so two runs of the same code give the same bytes. Files a
command writes are recorded as their path and SHA-256 (zip archives by member).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-12-02"
EPOCH = "1764662400"  # 2025-12-02T08:00:00Z, for reproducible builds
GIT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC", "LC_ALL": "C"}


def git(root: Path, *args: str, date: str = "2026-11-02T10:00:00+00:00", author: str = "Léa Martin <lea.martin@cycles-morvan.fr>") -> None:
    name, email = author[:-1].split(" <")
    env = {**os.environ, **GIT, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def repository(tmp: Path) -> Path:
    """A repository holding the bundled kb, mkdocs.yml, and two later commits."""
    root = tmp / "repo"
    root.mkdir()
    shutil.copytree(REPO / "kb", root / "kb")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The knowledge base")
    moderation = root / "kb" / "charter" / "moderation.md"
    moderation.write_text(moderation.read_text(encoding="utf-8").replace("ce que nous faisons", "ce que nous faisons, nous, ", 1), encoding="utf-8")
    git(root, "checkout", "-q", "-b", "reword")
    git(root, "commit", "-q", "-am", "Reword the moderation charter", date="2026-11-20T09:00:00+00:00",
        author="Karim Benali <karim.benali@cycles-morvan.fr>")
    return root


def commands(root: Path, tmp: Path) -> list[tuple[str, list[str]]]:
    kb = str(root / "kb")
    vcard = REPO.parent / "shared" / "data" / "vcard"
    cards = sorted(p for p in vcard.rglob("*.vcf"))[:3] if vcard.exists() else []
    runs: list[tuple[str, list[str]]] = [
        ("help", ["--help"]),
        *[(f"help-{name}", [name, "--help"]) for name in ("validate", "build", "serve", "status", "transfer", "forget", "export", "search",
                                                          "triage", "docs", "history", "changes", "review", "textconv", "init", "new",
                                                          "reply", "schema")],
        ("validate", ["validate", kb]),
        ("validate-json", ["validate", kb, "--format", "json"]),
        ("validate-github", ["validate", kb, "--format", "github"]),
        ("validate-strict", ["validate", kb, "--strict"]),
        ("status", ["status", kb]),
        ("status-json", ["status", kb, "--json"]),
        ("docs-format", ["docs", "format"]),
        ("docs-problems", ["docs", "problems"]),
        ("schema", ["schema", "--kb", kb]),
        ("schema-team", ["schema", "team", "--kb", kb]),
        ("history", ["history", "charter/moderation", "--kb", kb]),
        ("history-json", ["history", "charter/moderation", "--kb", kb, "--json"]),
        ("changes", ["changes", kb, "--since", "2026-01-01"]),
        ("changes-json", ["changes", kb, "--since", "2026-01-01", "--json"]),
        ("review", ["review", "main..reword", "--kb", kb]),
        ("review-markdown", ["review", "main..reword", "--kb", kb, "--format", "markdown"]),
        ("textconv", ["textconv", str(root / "kb" / "charter" / "ton.md")]),
        ("transfer-dry", ["transfer", "lea-martin", "karim-benali", "--backup", "julien-roux", "--dry-run", "--kb", kb]),
        ("forget-dry", ["forget", "contacts/camille-rey", "--dry-run", "--kb", kb]),
        ("new-contact", ["new", "contacts", "--no-input", "--kb", kb, "--set", "name=Jeanne Lebœuf", "--set", "organization=Mairie",
                         "--set", "department=press", "--set", "channels.email=jeanne@example.org"]),
        ("init", ["init", str(tmp / "fresh"), "--community", "Vélos du Lac", "--language", "fr", "--no-git"]),
        ("export", ["export", "--kb", kb, "--person", "lea-martin", "-o", str(tmp / "pack.zip")]),
        ("build", ["build", kb, "-d", str(tmp / "site")]),
        ("build-public", ["build", kb, "--audience", "public", "-d", str(tmp / "public")]),
    ]
    for n, query in enumerate(("moderateurs", "cellule de crise", "remboursement", "kind:response platform:instagram", '"droit de réponse"',
                               "remboursment", "owner:lea-martin NOT kind:account")):
        runs.append((f"search-{n}", ["search", query, "--kb", kb]))
        runs.append((f"search-{n}-json", ["search", query, "--kb", kb, "--json"]))
    for n, message in enumerate(("je vais porter plainte", "ma batterie sent le brûlé", "bonjour, journaliste au Parisien, pouvez-vous me rappeler ?",
                                 "where is my order??", "vous êtes des clowns")):
        runs.append((f"triage-{n}", ["triage", message, "--kb", kb]))
        runs.append((f"triage-{n}-json", ["triage", message, "--kb", kb, "--json", "--platform", "x"]))
    for ident in ("sav-rendez-vous", "demande-journaliste"):
        runs.append((f"reply-{ident}", ["reply", ident, "--kb", kb, "--platform", "x"]))
    for n, card in enumerate(cards):
        runs.append((f"import-{n}", ["import", "contacts", str(card), "--kb", kb]))
    return runs


def record_files(folder: Path, out: Path) -> None:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    lines.append(f"{path.relative_to(folder)}!{info.filename} {hashlib.sha256(archive.read(info)).hexdigest()}")
        elif ".handover-cache" not in path.parts and "repo" not in path.relative_to(folder).parts[:1]:
            lines.append(f"{path.relative_to(folder)} {hashlib.sha256(path.read_bytes()).hexdigest()}")
    (out / "files.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="handover-outputs-") as folder:
        tmp = Path(folder)
        root = repository(tmp)
        env = {**os.environ, **GIT, "HANDOVER_TODAY": TODAY, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "100"}
        env.pop("HANDOVER_KB", None)
        for name, args in commands(root, tmp):
            result = subprocess.run([sys.executable, "-m", "handover", *args], check=False, cwd=root, env=env, capture_output=True, text=True)
            text = f"$ handover {' '.join(args)}\nexit {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
            text = re.sub(r" in \d+(\.\d+)? s\b", " in <SECONDS> s", text.replace(folder, "<TMP>"))  # timings vary
            text = re.sub(r'"seconds": [0-9.]+', '"seconds": <SECONDS>', text)
            (out / f"{name}.txt").write_text(text, encoding="utf-8")
        record_files(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
