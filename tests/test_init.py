"""handover init: a new knowledge base, and the round trip a newcomer makes with it:
init, add a record of every kind with new, validate, build the site (real git, real
MkDocs, real JSON Schema and CI-file checks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO

from handover.cli import cli
from handover.files.yamlio import load_document, parse_mapping
from handover.records.kinds import KINDS
from handover.records.model import load_kb

TODAY = "2026-11-21"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
BIN = Path(sys.executable).parent


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def init(target: Path, *extra: str, env: dict[str, str] | None = None):
    return run("init", str(target), "--community", "Vélos d'Ici", "--today", TODAY, *extra, env=env)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60)


def test_init_makes_a_repository_that_validates(tmp_path: Path):
    target = tmp_path / "velos"
    result = init(target, "--language", "fr", "--country", "FR")
    assert result.exit_code == 0, result.output
    assert "git repository created" in result.output
    assert "validate: 0 errors, 0 warnings in 9 records" in result.output
    for name in (".gitignore", ".gitattributes", ".pre-commit-config.yaml", ".github/workflows/handover.yml", ".gitlab-ci.yml",
                 "mkdocs.yml", "README.md", "kb/handover.yml", "kb/guide/format.md", ".vscode/settings.json"):
        assert (target / name).is_file(), name
    assert git(target, "rev-parse", "--is-inside-work-tree").stdout.strip() == "true"
    kb = load_kb(str(target / "kb"))
    assert kb.config.community == "Vélos d'Ici" and kb.config.language == "fr" and kb.config.country == "FR"
    assert {kind: len(records) for kind, records in kb.records.items()} == {k: (2 if k == "team" else 1) for k in KINDS}
    assert all("exemple" in record.data["tags"] for record in kb.all_records())  # the examples, easy to find and replace
    assert [p.name for p in tmp_path.iterdir()] == ["velos"]  # no staging folder left behind
    # Validation as a real process, the way the pre-commit hook and CI run it.
    proc = subprocess.run([str(BIN / "handover"), "validate", "kb", "--strict", "--today", TODAY], cwd=target,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = init(target)
    assert result.exit_code == 1 and "is not empty (it holds notes.txt)" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]
    assert init(target / "notes.txt").exit_code == 1  # a file


def test_init_into_an_empty_clone_keeps_its_git(tmp_path: Path):
    target = tmp_path / "clone"
    target.mkdir()
    assert git(target, "init", "--quiet").returncode == 0
    head = (target / ".git" / "HEAD").read_text()
    result = init(target)
    assert result.exit_code == 0, result.output
    assert "already a git repository" in result.output
    assert (target / ".git" / "HEAD").read_text() == head and (target / "kb" / "handover.yml").is_file()


def test_init_without_git(tmp_path: Path):
    result = init(tmp_path / "a", "--no-git")
    assert result.exit_code == 0 and not (tmp_path / "a" / ".git").exists()
    empty_path = tmp_path / "empty-bin"
    empty_path.mkdir()
    result = init(tmp_path / "b", env={"PATH": str(empty_path)})
    assert result.exit_code == 0, result.output
    assert "git is not installed" in result.output and (tmp_path / "b" / "kb" / "handover.yml").is_file()


def test_bad_init_options(tmp_path: Path):
    assert run("init", str(tmp_path / "x"), "--community", "X", "--language", "french").exit_code == 2
    assert run("init", str(tmp_path / "x"), "--community", "X", "--country", "France").exit_code == 2
    assert run("init", str(tmp_path / "x"), "--community", "  ").exit_code == 2
    assert not (tmp_path / "x").exists()


NEW_RECORDS = {
    "team": ["name=Léa Nouvelle", "role=Stagiaire", "email=lea@velos.example"],
    "accounts": ["platform=tiktok", "handle=@velosdici", "url=https://www.tiktok.com/@velosdici", "status=active",
                 "owner=lea-nouvelle", "backup=sam-example", "cadence=2/week"],
    "contacts": ["name=Maître Durand", "organization=Cabinet Durand", "department=legal", "channels.phone=04 72 00 00 01"],
    "influencers": ["name=Roue Libre", "handles=youtube:roulibre", "stance=ambassador"],
    "charter": ["title=Ton et style", "approved_by=sam-example"],
    "responses": ["title=Retard de livraison", "when=ma commande est en retard", "platforms=x,facebook",
                  "charter=reply-fast,no-delete", "status=draft"],
    "incidents": ["title=Panne du site", "severity=2", "status=monitoring"],
    "departures": ["person=lea-nouvelle"],
}


def test_round_trip_init_new_of_every_kind_validate_build(tmp_path: Path):
    target = tmp_path / "velos"
    assert init(target, "--country", "FR").exit_code == 0
    kb = target / "kb"
    assert set(NEW_RECORDS) == set(KINDS)
    for kind, settings in NEW_RECORDS.items():
        args = ["new", kind, "--kb", str(kb), "--today", TODAY, "--no-input"] + [p for s in settings for p in ("--set", s)]
        if kind == "responses":
            args += ["--body", "Bonjour {prenom}, votre commande arrive : suivez-la ici {lien}"]
        result = run(*args)
        assert result.exit_code == 0, (kind, result.output)
    contact = load_kb(str(kb)).get("contacts", "maitre-durand")
    assert contact.data["channels"]["phone"] == "+33 4 72 00 00 01"  # typed the French way, written the international way
    strict = run("validate", str(kb), "--today", TODAY, "--strict")
    assert strict.exit_code == 0, strict.output
    assert "0 errors, 0 warnings in 17 records" in strict.output
    # A real MkDocs build, from the repository root as CI runs it, the internal and the public site.
    for audience, site in (("internal", "site"), ("public", "public")):
        proc = subprocess.run([str(BIN / "handover"), "build", "kb", "--audience", audience, "--site-dir", site, "--today", TODAY],
                              cwd=target, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = {p.relative_to(target / "site").as_posix() for p in (target / "site").rglob("index.html")}
    for kind, ident in (("team", "lea-nouvelle"), ("accounts", "tiktok-velosdici"), ("contacts", "maitre-durand"),
                        ("influencers", "roue-libre"), ("charter", "ton-et-style"), ("responses", "retard-de-livraison"),
                        ("incidents", "2026-11-panne-du-site")):
        assert f"{kind}/{ident}/index.html" in pages, (kind, sorted(pages))
    public_pages = {p.relative_to(target / "public").as_posix() for p in (target / "public").rglob("index.html")}
    assert "contacts/maitre-durand/index.html" not in public_pages  # internal records stay out of the public site
    assert not list((target / "site").rglob("*.yml"))  # no raw record in the site
    # git: the built sites are ignored, the records are not; line endings are fixed.
    assert git(target, "check-ignore", "-q", "site/index.html").returncode == 0
    assert git(target, "check-ignore", "-q", "public/index.html").returncode == 0
    assert git(target, "check-ignore", "-q", "kb/team/lea-nouvelle.yml").returncode == 1
    assert "eol: lf" in git(target, "check-attr", "eol", "--", "kb/team/lea-nouvelle.yml").stdout


def test_editors_get_the_schemas(tmp_path: Path):
    target = tmp_path / "velos"
    assert init(target).exit_code == 0
    assert run("new", "team", "--kb", str(target / "kb"), "--today", TODAY, "--no-input",
               "--set", "name=Zoé", "--set", "role=CM", "--set", "email=zoe@example.org").exit_code == 0
    settings = json.loads((target / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    yaml_kinds = [k for k, spec in KINDS.items() if not spec.is_markdown]
    assert settings["yaml.schemas"] == {**{f"./schemas/{k}.schema.json": [f"kb/{k}/**/*.yml"] for k in yaml_kinds},
                                        "./schemas/config.schema.json": ["kb/handover.yml"]}
    proc = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(target / "schemas" / "config.schema.json"), str(target / "kb" / "handover.yml")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the handover.yml that init writes
    for kind in yaml_kinds:
        records = sorted((target / "kb" / kind).glob("*.yml"))
        assert records
        for record in records:
            first = record.read_text(encoding="utf-8").splitlines()[0]
            schema = first.removeprefix("# yaml-language-server: $schema=")
            assert schema != first and (record.parent / schema).resolve() == (target / "schemas" / f"{kind}.schema.json").resolve()
        proc = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(target / "schemas" / f"{kind}.schema.json"), *map(str, records)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ci_and_pre_commit_files_are_valid(tmp_path: Path):
    target = tmp_path / "velos"
    assert init(target, "--package", "git+https://git.example.org/tools/handover@v0.1.0").exit_code == 0
    for schema, path, extra in (("vendor.github-workflows", ".github/workflows/handover.yml", []),
                                ("vendor.github-workflows", ".github/workflows/pulse.yml", []),
                                ("vendor.gitlab-ci", ".gitlab-ci.yml", ["--data-transform", "gitlab-ci"])):
        proc = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *extra, str(target / path)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    workflow = (target / ".github/workflows/handover.yml").read_text(encoding="utf-8")
    assert 'HANDOVER_PACKAGE: "git+https://git.example.org/tools/handover@v0.1.0"' in workflow
    assert "handover validate kb --format github" in workflow and "--audience public" in workflow
    gitlab = parse_mapping((target / ".gitlab-ci.yml").read_text(encoding="utf-8"), ".gitlab-ci.yml").data
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"] and "handover validate kb" in gitlab["validate"]["script"]
    pulse = parse_mapping((target / ".github/workflows/pulse.yml").read_text(encoding="utf-8"), "pulse.yml").data
    assert pulse["on"]["schedule"] == [{"cron": "17 5 * * *"}] and pulse["permissions"] == {"contents": "write"}
    steps = "\n".join(str(step.get("run", "")) for step in pulse["jobs"]["pulse"]["steps"])
    assert "handover pulse kb --fetch" in steps and "git add kb/activity" in steps and "git push" in steps
    assert gitlab["pulse"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert any("handover pulse kb --fetch" in line for line in gitlab["pulse"]["script"])
    assert gitlab["validate"]["rules"][0] == {"if": '$CI_PIPELINE_SOURCE == "schedule"', "when": "never"}
    hooks = parse_mapping((target / ".pre-commit-config.yaml").read_text(encoding="utf-8"), "p").data["repos"][0]["hooks"][0]
    assert hooks["entry"] == "handover validate kb" and hooks["pass_filenames"] is False
    mkdocs = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_name: "Vélos d\'Ici"' in mkdocs and "docs_dir: kb" in mkdocs and "- handover" in mkdocs
    # no web fonts (privacy), links that pass WCAG AA, dark mode following the system
    theme = parse_mapping(mkdocs.replace("!ENV", ""), "mkdocs.yml").data["theme"]
    assert theme["font"] is False
    assert [p.get("primary") for p in theme["palette"]] == [None, "indigo", "indigo"] and "teal" not in mkdocs
    assert [p.get("scheme") for p in theme["palette"]] == [None, "default", "slate"]
    assert all(p["toggle"]["name"] and "@" not in p["toggle"]["name"] for p in theme["palette"])
    assert "HANDOVER_OFFLINE" in mkdocs and "!ENV [HANDOVER_OFFLINE" not in mkdocs


def test_the_project_offers_a_pre_commit_hook():
    # pre-commit's hooks file is a list of hooks; our loader reads mappings, so read the one item.
    lines = [line for line in (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines[0] == "- id: handover-validate" and all(line.startswith("  ") for line in lines[1:])
    item = parse_mapping("\n".join(line[2:] for line in lines), "hook").data
    assert item["entry"] == "handover validate" and item["language"] == "python" and item["pass_filenames"] is False


@pytest.mark.parametrize("language,expected", [("en", "customer-service"), ("fr", "service-client")])
def test_examples_follow_the_language(tmp_path: Path, language: str, expected: str):
    target = tmp_path / language
    assert init(target, "--language", language).exit_code == 0
    assert (target / "kb" / "contacts" / f"{expected}.yml").is_file()
    charter = load_document(target / "kb" / "charter" / "moderation.md", "c", markdown=True)
    assert "{#no-delete}" in (charter.body or "") and "{#reply-fast}" in (charter.body or "")
    config = (target / "kb" / "handover.yml").read_text(encoding="utf-8")
    assert "# country: FR" in config  # no country given: a commented line says what to write
    assert os.path.isfile(target / "mkdocs.yml")
