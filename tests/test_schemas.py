"""The JSON Schemas agree with validate, checked by a real JSON Schema validator.

check-jsonschema (a separate program, run from this virtual environment) reads the
YAML records itself, as an editor does; for Markdown records it is given the front
matter as handover's loader reads it. It must accept every record of the bundled
knowledge base and of the corpus's valid one, and reject each schema-level case of
the broken-file corpus at the place validate points to. The cases a JSON Schema
cannot express are listed below with the reason, and the schema must let them
through (it must not refuse more than validate does).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB
from test_corpus import ALL_CASES, EXPECT, VALID, build_case

from handover.cli import cli
from handover.files.yamlio import KEY_MARK, load_document
from handover.records.config import load_config
from handover.records.kinds import KINDS
from handover.reference.schemas import modeline, schemas_for, write_schemas

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"

# Cases whose problem is about the values of one record: a JSON Schema says the same.
SCHEMA_LEVEL = {
    "missing-required", "wrong-type-list", "enum-did-you-mean", "bad-email", "bad-url",
    "bad-phone-national", "bad-duration", "bad-cadence", "bad-handle", "bad-date-format",
    "bad-reference-id", "severity-out-of-range", "duplicate-list-item",
    "unknown-field", "md-unknown-field",  # W220: refused by the schema, as by validate --strict
}

# YAML 1.1 traps: our loader reads YAML as PyYAML does (1.1) and reports the surprise;
# a JSON Schema only sees the value after some parser has read it, so it cannot tell
# `no` the word from `no` the boolean. check-jsonschema reads YAML 1.2, which has
# fewer traps, so the outcome depends on the parser, not on the schema:
# True = rejected (the value is of the wrong type or format for 1.2 too).
TRAPS = {
    "trap-bool-no": False,  # YAML 1.2 reads `no` as text: fine for language
    "trap-bool-yes": False,  # ditto `yes` for chat
    "trap-bool-on": False,  # ditto `on` for availability
    "trap-sexagesimal": False,  # YAML 1.2 reads 12:30 as text
    "trap-octal-phone": True,  # 0612345670 is a number in 1.2 too: not a string
    "trap-plus-integer": True,  # +33612345678 likewise
    "impossible-date": True,  # read as text, then refused by format: date
    "crlf-error-position": True,  # the same impossible date, in a CRLF file
}

# Problems of the file itself (syntax, encoding, name, size, duplicate keys, anchors):
# the loader finds them before there is any data for a schema to look at.
FILE_LEVEL = {
    "yaml-syntax-error", "md-front-matter-syntax-error", "duplicate-key", "duplicate-key-nested",
    "anchor", "alias", "merge-key", "tab-indentation", "md-tab-in-front-matter",
    "invalid-utf8", "invalid-utf8-after-accent", "control-character", "two-documents",
    "top-level-list", "top-level-scalar", "empty-file", "md-no-front-matter",
    "md-unterminated-front-matter", "deep-flow-list", "deep-block-mapping",
    "md-deep-front-matter", "file-too-large", "unsupported-tag", "bad-file-name",
    "link-outside", "dangling-link",
}

# Well-formed records whose problem needs something a JSON Schema of one record
# cannot see: other records (references, uniqueness, continuity), today's date
# (freshness), two fields compared (dates in order, the tier computed from the
# audience and handover.yml), the Markdown body (rules, placeholders, length), or
# handover.yml itself. The schema must accept these records.
BEYOND_SCHEMA = {
    "unknown-owner": "reference to another record", "unknown-rule": "reference to a charter rule",
    "incident-unknown-influencer": "reference to another record",
    "duplicate-handle-account": "uniqueness across records", "duplicate-handle-influencer": "uniqueness across records",
    "duplicate-handle-contact": "uniqueness across records", "duplicate-rule-id": "uniqueness across the charter",
    "duplicate-record-id": "uniqueness across records",
    "no-owner": "continuity (depends on status)", "no-backup": "continuity", "backup-is-owner": "two fields compared",
    "no-cadence": "continuity", "successor-is-self": "the record's own id", "owner-left-status": "another record's status",
    "owner-end-passed": "another record's dates", "owner-leaving": "another record's dates",
    "review-overdue": "today's date", "review-in-future": "today's date", "old-audience-account": "today's date",
    "old-audience-influencer": "today's date", "silent-relationship": "today's date", "retention-passed": "today's date",
    "incident-ended-before-started": "two dates compared", "tier-disagrees": "computed from audience and handover.yml",
    "charter-heading-without-id": "the Markdown body", "charter-bad-rule-id": "the Markdown body",
    "undeclared-placeholder": "the Markdown body", "crlf-markdown-placeholder": "the Markdown body",
    "unused-variable": "the Markdown body", "too-long-for-x": "the rendered body against handover.yml's limits",
    "approved-by-nobody": "depends on status (a warning)", "empty-response": "the Markdown body",
    "config-bad-limit": "handover.yml, not a record", "config-bad-duration": "handover.yml, not a record",
    "config-unknown-key": "handover.yml, not a record",
}

# Odd-looking files that are valid: the schema accepts them too.
ACCEPTED = {name for name in ALL_CASES if not EXPECT[name]}


def _json_default(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def instance_for(record: Path, kind: str, out: Path) -> Path:
    """What check-jsonschema reads: a YAML record as it is; for a Markdown record,
    its front matter as handover's loader reads it, written as JSON."""
    if not KINDS[kind].is_markdown:
        return record
    document = load_document(record, str(record), markdown=True)
    assert document.loaded.ok, document.loaded.problems
    target = out / kind / (record.name + ".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document.loaded.data, default=_json_default, ensure_ascii=False), encoding="utf-8")
    return target


def check(schema_dir: Path, kind: str, instances: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """Run check-jsonschema; the errors by file (every file given appears, [] if valid)."""
    proc = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--output-format", "json", "--schemafile", str(schema_dir / f"{kind}.schema.json"),
         *map(str, instances)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report.get("parse_errors", []) == [], report["parse_errors"]
    errors: dict[str, list[dict[str, Any]]] = {str(path): [] for path in instances}
    for item in report["errors"]:
        errors[item["filename"]].append(item)
    return errors


def records_by_kind(kb: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for kind, spec in KINDS.items():
        files = sorted(p for p in (kb / kind).rglob(f"*{spec.extension}") if p.name not in ("index.md", "README.md"))
        if files:
            found[kind] = files
    return found


def schemas_of(kb: Path, out: Path) -> Path:
    write_schemas(out, load_config(kb, str(kb)))
    return out


def assert_all_accepted(kb: Path, tmp_path: Path) -> int:
    schema_dir = schemas_of(kb, tmp_path / "schemas")
    checked = 0
    for kind, records in records_by_kind(kb).items():
        instances = [instance_for(r, kind, tmp_path / "front-matter") for r in records]
        errors = check(schema_dir, kind, instances)
        rejected = {f: e for f, e in errors.items() if e}
        assert rejected == {}, json.dumps(rejected, indent=1, ensure_ascii=False)
        checked += len(instances)
    return checked


def test_schemas_are_valid_draft_7(tmp_path: Path):
    schema_dir = schemas_of(BUNDLED_KB, tmp_path)
    proc = subprocess.run([str(CHECK_JSONSCHEMA), "--check-metaschema", *map(str, sorted(schema_dir.iterdir()))],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in schema_dir.iterdir()) == sorted(f"{name}.schema.json" for name in [*KINDS, "config"])  # config: handover.yml


def test_every_record_of_the_bundled_kb_is_accepted(tmp_path: Path):
    total = sum(len(files) for files in records_by_kind(BUNDLED_KB).values())
    assert assert_all_accepted(BUNDLED_KB, tmp_path) == total > 50


def test_every_record_of_the_corpus_valid_kb_is_accepted(tmp_path: Path):
    assert assert_all_accepted(VALID, tmp_path) == 13


def test_every_corpus_case_is_classified():
    groups = [SCHEMA_LEVEL, set(TRAPS), FILE_LEVEL, set(BEYOND_SCHEMA), ACCEPTED]
    assert sum(len(g) for g in groups) == len(set().union(*groups)), "a case is in two groups"
    assert set().union(*groups) == set(ALL_CASES), "classify every corpus case"
    schema_codes = {"E210", "E211", "E212", "E213", "E214", "E215", "E216", "E217", "E218", "E219", "E221", "W220"}
    for case in SCHEMA_LEVEL:
        assert {e.code for e in EXPECT[case]} <= schema_codes | {"E303"}, case
    for case in TRAPS:
        assert {e.code for e in EXPECT[case]} <= {"E201", "E202", "E203", "E204"}, case


def changed_records(case: str, kb: Path) -> list[tuple[str, Path]]:
    """(kind, file) of the records a case adds or changes over the valid knowledge base."""
    changed = []
    for kind, records in records_by_kind(kb).items():
        for record in records:
            original = VALID / record.relative_to(kb)
            if record.is_symlink() or not record.is_file():
                continue  # links are the loader's business (FILE_LEVEL)
            if not original.is_file() or original.read_bytes() != record.read_bytes():
                changed.append((kind, record))
    return changed


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every case built once, and check-jsonschema run once per kind over all the
    records the cases change (the schemas come from the corpus's handover.yml)."""
    root = tmp_path_factory.mktemp("corpus")
    schema_dir = schemas_of(VALID, root / "schemas")
    cases = sorted(SCHEMA_LEVEL | set(TRAPS) | set(BEYOND_SCHEMA) | ACCEPTED)
    built: dict[str, tuple[Path, list[tuple[str, Path, Path]]]] = {}
    by_kind: dict[str, list[Path]] = {}
    for case in cases:
        kb = build_case(case, root / case)
        entries = []
        for kind, record in changed_records(case, kb):
            instance = instance_for(record, kind, root / case / "front-matter")
            entries.append((kind, record, instance))
            by_kind.setdefault(kind, []).append(instance)
        built[case] = (kb, entries)
    errors: dict[str, list[dict[str, Any]]] = {}
    for kind, instances in by_kind.items():
        errors.update(check(schema_dir, kind, instances))
    return {"built": built, "errors": errors}


def expected_paths(record: Path, kind: str, line: int, col: int) -> set[tuple[Any, ...]]:
    """The data paths at a reported line and column (keys' positions included)."""
    document = load_document(record, str(record), markdown=KINDS[kind].is_markdown)
    return {tuple(p for p in path if p != KEY_MARK) for path, mark in document.loaded.positions().items() if mark == (line, col)}


def json_path(path: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


@pytest.mark.parametrize("case", sorted(SCHEMA_LEVEL))
def test_schema_level_case_is_rejected_where_validate_points(case: str, corpus_results: dict[str, Any]):
    kb, entries = corpus_results["built"][case]
    for expect in EXPECT[case]:
        kind, record, instance = next(e for e in entries if e[1] == kb / expect.file)
        errors = corpus_results["errors"][str(instance)]
        assert errors, f"{case}: the schema accepted {expect.file}, validate reports {expect.code}"
        wanted = expected_paths(record, kind, expect.line, expect.col)
        assert wanted, (expect.line, expect.col)
        exact = {json_path(p) for p in wanted}
        around = {json_path(p[:-1]): str(p[-1]) for p in wanted if p}
        for error in errors:
            # At the value validate points to, or at the mapping or list holding it,
            # naming the key (required, additionalProperties) or saying it repeats.
            path, message = error["path"], error["message"]
            ok = path in exact or (path in around and (f"'{around[path]}'" in message or "non-unique" in message))
            assert ok, f"{case}: schema error at {path} ({message}); validate points to {sorted(exact)}"


@pytest.mark.parametrize("case", sorted(TRAPS))
def test_yaml_traps_depend_on_the_parser_not_the_schema(case: str, corpus_results: dict[str, Any]):
    _kb, entries = corpus_results["built"][case]
    ((_kind, record, instance),) = entries
    assert instance == record  # a YAML record, read by check-jsonschema itself (YAML 1.2)
    errors = corpus_results["errors"][str(instance)]
    assert bool(errors) is TRAPS[case], errors


@pytest.mark.parametrize("case", sorted(set(BEYOND_SCHEMA) | ACCEPTED))
def test_schema_accepts_what_only_validate_can_judge(case: str, corpus_results: dict[str, Any]):
    """The schema must not refuse more than validate: these records are well-shaped."""
    kb, entries = corpus_results["built"][case]
    if case.startswith("config-"):
        assert entries == []  # only handover.yml changes
        assert (kb / "handover.yml").read_bytes() != (VALID / "handover.yml").read_bytes()
    else:
        assert entries, "the case changes no record"
    rejected = {str(e[1].relative_to(kb)): corpus_results["errors"][str(e[2])] for e in entries if corpus_results["errors"][str(e[2])]}
    assert rejected == {}


def test_schema_command_prints_and_writes(tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(cli, ["schema", "contacts", "--kb", str(BUNDLED_KB)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["required"] == ["name", "organization", "department", "channels"]
    assert "media" in printed["properties"]["department"]["enum"]
    assert printed["properties"]["handles"]["propertyNames"]["enum"][:2] == ["facebook", "instagram"]  # from handover.yml
    result = runner.invoke(cli, ["schema", "-o", str(tmp_path / "out"), "--kb", str(BUNDLED_KB)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{k}.schema.json" for k in [*KINDS, "config"])
    assert runner.invoke(cli, ["schema", "people", "--kb", str(BUNDLED_KB)]).exit_code == 2


def test_vocabulary_follows_the_knowledge_base(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    schema = schemas_for(load_config(kb, "kb"), "accounts")["accounts"]
    assert schema["properties"]["platform"]["enum"] == ["facebook", "instagram", "x", "blog"]


def test_modeline_points_from_the_record_to_the_schema(tmp_path: Path):
    kb = tmp_path / "repo" / "kb"
    kb.mkdir(parents=True)
    assert modeline(kb / "team" / "a.yml", "team", kb) is None  # no schemas yet
    write_schemas(tmp_path / "repo" / "schemas", load_config(VALID, "kb"))
    assert modeline(kb / "team" / "a.yml", "team", kb) == "# yaml-language-server: $schema=../../schemas/team.schema.json"
    assert modeline(kb / "charter" / "a.md", "charter", kb) is None  # front matter: no editor reads a modeline there
    assert os.path.isfile(os.path.normpath(kb / "team" / "../../schemas/team.schema.json"))
