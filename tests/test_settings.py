"""handover.yml is declared once (records/settings.py): its check, its reference page
and its JSON Schema come from that declaration and cannot drift apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, write
from test_corpus import BROKEN, VALID

from handover.cli import cli
from handover.records.config import load_config
from handover.records.fieldtypes import FieldType, ListOf, MapOf, Obj
from handover.records.model import load_kb
from handover.records.settings import SETTING_NAMES, SETTINGS
from handover.records.settingtypes import Worded
from handover.reference.pages import format_reference
from handover.reference.schemas import config_schema

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def _mapping_of(ftype: FieldType) -> Obj | None:
    """The declared mapping a type holds (itself, its items, its values), if any."""
    while isinstance(ftype, (Worded, ListOf, MapOf)):
        ftype = ftype.inner if isinstance(ftype, Worded) else ftype.item if isinstance(ftype, ListOf) else ftype.value
    return ftype if isinstance(ftype, Obj) else None


def _schema_of_mapping(schema: dict[str, Any]) -> dict[str, Any]:
    while "properties" not in schema:
        schema = schema.get("items") or schema["additionalProperties"]
    return schema


def test_the_page_and_the_schema_list_every_declared_key():
    section = format_reference().split("## handover.yml", 1)[1]
    rows = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert rows == list(SETTING_NAMES)  # every key, in the declared order, and no other
    schema = config_schema(load_config(BUNDLED_KB, "kb"))
    assert list(schema["properties"]) == list(SETTING_NAMES) and schema["additionalProperties"] is False
    nested = 0
    for setting in SETTINGS:
        declared = _mapping_of(setting.field.type)
        if declared is not None:
            properties = _schema_of_mapping(schema["properties"][setting.name])["properties"]
            assert list(properties) == [f.name for f in declared.fields], setting.name
            nested += len(declared.fields)
        assert schema["properties"][setting.name]["description"] == setting.field.doc
    assert nested >= 15  # platforms, stay_in_touch, site, secrets_allow, triage, pulse


def _check(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True, timeout=120)


def test_the_schema_accepts_what_validate_accepts_and_refuses_the_broken_settings(tmp_path: Path):
    result = CliRunner().invoke(cli, ["schema", "config", "--kb", str(BUNDLED_KB)])
    assert result.exit_code == 0, result.output
    schema = tmp_path / "config.schema.json"
    schema.write_text(result.output, encoding="utf-8")
    assert json.loads(result.output)["title"] == "handover settings"
    accepted = _check(schema, BUNDLED_KB / "handover.yml", VALID / "handover.yml")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    for case, where in (("config-bad-limit", "platforms.x.limit"), ("config-bad-duration", "leaving_window"), ("config-unknown-key", "leaving_windows")):
        refused = _check(schema, BROKEN / case / "handover.yml")
        assert refused.returncode == 1 and where.split(".")[-1] in refused.stdout, (case, refused.stdout)


@pytest.mark.parametrize(("text", "code", "line", "col", "message"), [
    # A type's own message, for a key without handover.yml wording, names the setting.
    ("triage:\n  priority:\n    - {topic: safety}\n", "E010", 3, 7, 'triage.priority.0: required field "rule" is missing'),
    ("site:\n  title: 12\n", "E010", 2, 10, "site.title: expected text, found the number 12"),
    # Keys of a declared mapping get a did-you-mean, like a record's fields.
    ("platforms:\n  x: {label: X, lmit: 280}\n", "W220", 2, 17, 'unknown field "lmit"; did you mean "limit"?'),
    # handover.yml's own words stay.
    ("pulse:\n  quiet: 3\n", "E010", 2, 10, 'unknown pulse setting "quiet"; known: quiet_factor, below_ratio, failing_after, stale_after'),
    ("country: fr\n", "E010", 1, 10, 'country "fr" must be a two-letter ISO 3166 code in capitals'),
    ("tiers:\n  youtube: {micro: lots}\n", "E010", 2, 12, "tiers.youtube must map tier names (micro, mid, macro, mega) to follower counts"),
    ("escalation_topics: [legal, Refund]\n", "E010", 1, 20, "escalation_topics must be a list of lowercase slugs like legal, refund"),
])
def test_problems_of_the_settings(tmp_path: Path, text: str, code: str, line: int, col: int, message: str):
    write(tmp_path, "handover.yml", text)
    found = [(p.code, p.line, p.col, p.message) for p in load_kb(str(tmp_path)).config.problems]
    assert [(c, li, co) for c, li, co, m in found if message in m] == [(code, line, col)], found


def test_a_bad_entry_keeps_the_good_ones(tmp_path: Path):
    write(tmp_path, "handover.yml", "platforms:\n  x: {label: X, limit: -1}\n  Bad Name: {}\n  forum:\n"
                                    "tiers:\n  default: {micro: 10}\n  blog: {giga: 1}\nreview_every: {team: soon, accounts: 30d}\n")
    config = load_config(tmp_path, "kb")
    assert {name: (p.label, p.limit) for name, p in config.platforms.items()} == {"x": ("X", None), "forum": ("forum", None)}
    assert config.tiers == {"default": {"micro": 10}}
    assert config.review_every["team"].days == 180 and config.review_every["accounts"].days == 30
    assert sorted(p.code for p in config.problems) == ["E010"] * 4
