"""JSON Schemas of the record kinds and of handover.yml, generated from kinds.py,
settings.py and fieldtypes.py.

Editors that speak JSON Schema (yaml-language-server in VS Code, Neovim, Helix,
JetBrains…) then complete field names and allowed values, show each field's doc on
hover, and flag mistakes while typing. The schemas are made from the same
declarations validate enforces, so they cannot drift from it; a test runs
check-jsonschema over the bundled knowledge base and the broken-file corpus.

What a JSON Schema cannot say, and only `handover validate` checks: the YAML 1.1
traps (editors read YAML 1.2, where `no` is text and `0612345670` a number), file
names and syntax, references to other records, dates in order, the computed tier,
continuity, freshness, and the text of responses. A schema is per knowledge base:
platforms and escalation topics come from its handover.yml.

Draft 7, the newest dialect yaml-language-server supports. Unknown fields, a warning
in validate (W220), are refused here (`additionalProperties: false`), so an editor
flags the typo at once: the schemas agree with `handover validate --strict`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from handover.core.errors import UsageError
from handover.files.atomic import atomic_write
from handover.records.config import CONFIG_NAME
from handover.records.fieldtypes import Boolean, Choice, Date, Field, FieldType, Integer, ListOf, MapOf, Number, Obj, Pattern, Ref, RuleRef, Text, Vocabulary
from handover.records.kinds import KINDS, Kind
from handover.records.settings import SETTINGS
from handover.records.settingtypes import Free, Worded
from handover.records.values import SLUG_RE

DIALECT = "http://json-schema.org/draft-07/schema#"
SCHEMA_SUFFIX = ".schema.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="
CONFIG_SCHEMA = "config"  # `handover schema config`: the schema of handover.yml


def type_schema(ftype: FieldType, vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of one field type (without documentation)."""
    if isinstance(ftype, Worded):  # handover.yml's wording of a type's problems
        inner = type_schema(ftype.inner, vocab)
        return {**inner, "type": [inner["type"], "null"]} if ftype.empty_ok else inner
    if isinstance(ftype, Free):
        return {}
    if isinstance(ftype, Text):
        schema: dict[str, Any] = {"type": "string"} if ftype.blank_ok else {"type": "string", "pattern": r"\S"}  # validate refuses blank text
        if ftype.max_length:
            schema["maxLength"] = ftype.max_length
        return schema
    if isinstance(ftype, Pattern):
        return {"type": "string", "pattern": ftype.regex.pattern}
    if isinstance(ftype, Integer):
        schema = {"type": "integer"}
        if ftype.minimum is not None:
            schema["minimum"] = ftype.minimum
        if ftype.maximum is not None:
            schema["maximum"] = ftype.maximum
        return schema
    if isinstance(ftype, Number):
        return {"type": "number", "exclusiveMinimum": 0} if ftype.positive else {"type": "number"}
    if isinstance(ftype, Boolean):
        return {"type": "boolean"}
    if isinstance(ftype, Date):
        # The pattern holds where an editor does not assert formats; `format` refuses 2026-02-30.
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(ftype, Choice):
        return {"type": "string", "enum": list(ftype.allowed(vocab))}
    if isinstance(ftype, Ref):
        kinds = "|".join(ftype.kinds)
        return {"type": "string", "pattern": f"^(?:(?:{kinds})/)?{_slug_body()}$"}
    if isinstance(ftype, RuleRef):
        return {"type": "string", "pattern": SLUG_RE.pattern}
    if isinstance(ftype, ListOf):
        schema = {"type": "array", "items": type_schema(ftype.item, vocab)}
        if ftype.min_items:
            schema["minItems"] = ftype.min_items
        if ftype.unique and not isinstance(ftype.item, (Obj, MapOf, ListOf)):
            schema["uniqueItems"] = True  # validate: "listed twice" (only for plain values)
        return schema
    if isinstance(ftype, MapOf):
        schema = {"type": "object", "propertyNames": type_schema(ftype.key, vocab),
                  "additionalProperties": type_schema(ftype.value, vocab)}
        if ftype.min_items:
            schema["minProperties"] = ftype.min_items
        return schema
    if isinstance(ftype, Obj):
        return _object_schema(ftype.fields, vocab)
    raise TypeError(f"no JSON Schema for field type {type(ftype).__name__}; add it to handover/reference/schemas.py")


def _slug_body() -> str:
    return SLUG_RE.pattern.removeprefix("^").removesuffix("$")


def field_schema(spec: Field, vocab: Vocabulary) -> dict[str, Any]:
    """A field's schema with its documentation (hover text, examples, default).
    An optional field may be left empty (`notes:`), as validate allows."""
    schema = type_schema(spec.type, vocab)
    if not spec.required and "type" in schema:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    schema["description"] = spec.doc
    schema["markdownDescription"] = spec.doc  # VS Code renders the `code` spans
    if spec.example is not None:
        schema["examples"] = [spec.example]
    if spec.default is not None:
        schema["default"] = spec.default
    return schema


def _object_schema(fields: tuple[Field, ...], vocab: Vocabulary) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: field_schema(f, vocab) for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def kind_schema(kind: Kind, vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of a record of `kind` (for Markdown kinds: of its front matter)."""
    body = _object_schema(tuple(kind.all_fields().values()), vocab)
    what = "the front matter of " if kind.is_markdown else ""
    return {
        "$schema": DIALECT,
        "title": f"handover {kind.singular}",
        "description": f"{kind.doc} (Schema of {what}a file in {kind.folder}/, generated by `handover schema`.)",
        **body,
    }


def config_schema(vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of handover.yml, from its declaration (records/settings.py)."""
    return {
        "$schema": DIALECT,
        "title": "handover settings",
        "description": f"The settings at the root of the knowledge base, {CONFIG_NAME}. Every key is optional. (Generated by `handover schema`.)",
        **_object_schema(tuple(setting.field for setting in SETTINGS), vocab),
    }


def schemas_for(vocab: Vocabulary, kind: str | None = None) -> dict[str, dict[str, Any]]:
    """Schemas by kind folder name, `config` for handover.yml: all of them, or the one named."""
    if kind is not None and kind not in KINDS and kind != CONFIG_SCHEMA:
        raise UsageError(f'unknown kind "{kind}"', hint=f"use one of: {', '.join(KINDS)}, or {CONFIG_SCHEMA} for {CONFIG_NAME}")
    found = {name: kind_schema(spec, vocab) for name, spec in KINDS.items() if kind is None or name == kind}
    if kind in (None, CONFIG_SCHEMA):
        found[CONFIG_SCHEMA] = config_schema(vocab)
    return found


def to_json(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path, vocab: Vocabulary, kind: str | None = None) -> list[Path]:
    """Write `<kind>.schema.json` files into out_dir (atomically, one by one)."""
    written = []
    for name, schema in schemas_for(vocab, kind).items():
        path = out_dir / f"{name}{SCHEMA_SUFFIX}"
        atomic_write(path, to_json(schema))
        written.append(path)
    return written


def schema_dir_for(kb_root: Path) -> Path | None:
    """The `schemas/` folder that `handover init` made beside (or in) the knowledge base."""
    for folder in (kb_root.parent, kb_root):
        candidate = folder / "schemas"
        if (candidate / f"team{SCHEMA_SUFFIX}").is_file():
            return candidate
    return None


def modeline(record_path: Path, kind: str, kb_root: Path) -> str | None:
    """`# yaml-language-server: $schema=…` for a YAML record, when the repository has
    the schemas; the path is relative to the record, as yaml-language-server expects."""
    folder = schema_dir_for(kb_root)
    if folder is None or KINDS[kind].is_markdown:
        return None
    relative = os.path.relpath(folder / f"{kind}{SCHEMA_SUFFIX}", record_path.parent)
    return MODELINE_PREFIX + Path(relative).as_posix()


def vscode_settings(schema_dir: str, kb_dir: str) -> dict[str, Any]:
    """`.vscode/settings.json` content mapping each kind's files to its schema."""
    mapping = {f"./{schema_dir}/{name}{SCHEMA_SUFFIX}": [f"{kb_dir}/{name}/**/*.yml"]
               for name, spec in KINDS.items() if not spec.is_markdown}
    mapping[f"./{schema_dir}/{CONFIG_SCHEMA}{SCHEMA_SUFFIX}"] = [f"{kb_dir}/{CONFIG_NAME}"]
    return {"yaml.schemas": mapping, "yaml.yamlVersion": "1.1", "files.eol": "\n"}
