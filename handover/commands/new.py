"""`handover new`: a record from a template, built from answers to a few questions
(new_questions.py asks and checks them one by one).

This module reads what the knowledge base holds (ids, rule ids), assembles the
draft, names it, and writes it with the remaining fields as comments, ready to
uncomment; it never replaces an existing record.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.commands.new_questions import BODY
from handover.core.errors import HandoverError, UsageError
from handover.files.atomic import atomic_create
from handover.files.yamlio import dump_record
from handover.records.config import Config
from handover.records.fieldtypes import Date, Field, Obj, check_mapping
from handover.records.fold import slugify
from handover.records.kinds import KINDS, Kind
from handover.records.replies import placeholders
from handover.records.values import SLUG_RE, close_match


@dataclass
class Draft:
    """A record being written: its kind, values so far, and body."""

    kind: Kind
    data: dict[str, Any] = field(default_factory=dict)
    body: str | None = None


@dataclass
class Survey:
    """What `new` needs to know of the knowledge base before writing: its folder,
    settings, the ids in use and the charter's rule ids (for hints). Read from file
    names and charter headings only: the whole base is loaded once, to validate."""

    root: Path
    config: Config
    ids: dict[str, list[str]]
    rule_ids: list[str]


def survey(kb_path: str | None) -> Survey:
    from handover.records.config import find_root, load_config
    from handover.records.model import display_path
    from handover.records.rules import RULE_HEADING_RE
    from handover.records.walker import records_of

    root = find_root(kb_path)
    config = load_config(root, display_path(root))
    ids: dict[str, list[str]] = {}
    for name, kind in KINDS.items():
        ids[name] = sorted(path.stem for path in records_of(root, kind))  # the loader's walk (records/walker.py)
    rules: set[str] = set()
    for path in records_of(root, KINDS["charter"]):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # validate reports it
        rules.update(m["id"] for m in map(RULE_HEADING_RE.match, text.splitlines()) if m)
    return Survey(root, config, ids, sorted(rules))


def kind_named(name: str) -> Kind:
    if name in KINDS:
        return KINDS[name]
    close = close_match(name, KINDS) or next((k for k in KINDS if k.startswith(name) or KINDS[k].singular == name), None)
    raise UsageError(f'unknown kind "{name}"', hint=(f'did you mean "{close}"? ' if close else "") + f"kinds: {', '.join(KINDS)}")


def assign(draft: Draft, path: tuple[str, ...], value: Any) -> None:
    """Set a value at a path of the record (a body for the BODY question)."""
    if path == (BODY,):
        draft.body = value
        return
    target = draft.data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


def declare_placeholders(draft: Draft) -> list[str]:
    """Declare every `{name}` of a response's text under variables; the names that
    were not declared yet (their description is made from the name: edit it)."""
    if draft.kind.folder != "responses" or not draft.body:
        return []
    variables = draft.data.setdefault("variables", {})
    added = []
    for placeholder in placeholders(draft.body):
        if placeholder.name not in variables:
            variables[placeholder.name] = {"description": placeholder.name.replace("_", " ").replace("-", " ").capitalize()}
            added.append(placeholder.name)
        elif isinstance(variables[placeholder.name], dict):
            variables[placeholder.name].setdefault("description", placeholder.name.replace("_", " ").capitalize())
    if not variables:
        draft.data.pop("variables")
    return added


def record_problems(draft: Draft, config: Config) -> list[str]:
    """What is wrong with the values, as `field: message` lines (schema rules only)."""
    found: list[str] = []

    def report(at: tuple[Any, ...], code: str, message: str) -> None:
        if code.startswith("E"):
            where = ".".join(str(p) for p in at if p != "<key>")
            found.append(f"{where}: {message}" if where and not message.startswith("required") else message)

    check_mapping(draft.data, draft.kind.all_fields(), (), report, config)
    return found


def suggest_id(draft: Draft) -> str:
    """An id from the record's own values: name, platform and handle, title (and
    the month for an incident, as the bundled ones are named)."""
    data = draft.data
    if draft.kind.folder == "accounts":
        base = f"{data.get('platform', '')}-{str(data.get('handle', '')).lstrip('@')}"
    else:
        base = str(data.get(draft.kind.title_field) or "")
    slug = slugify(base)
    started = data.get("started")
    if draft.kind.folder == "incidents" and isinstance(started, dt.date):
        slug = f"{started:%Y-%m}-{slug}"
    if not slug or not SLUG_RE.match(slug):
        raise UsageError("cannot make an id from the values given", hint=f"give one: handover new {draft.kind.folder} ID")
    return slug


def record_path(root: Path, kind: Kind, ident: str) -> Path:
    if not SLUG_RE.match(ident):
        raise UsageError(f'"{ident}" is not a valid id', hint=f"ids are lowercase letters, digits and hyphens, e.g. {slugify(ident) or 'lea-martin'}")
    existing = sorted((root / kind.folder).rglob(f"{ident}{kind.extension}")) if (root / kind.folder).is_dir() else []
    if existing:
        raise HandoverError(f"{existing[0]} already exists; handover new never replaces a record",
                            hint=f"edit that file, or choose another id: handover new {kind.folder} {ident}-2")
    return root / kind.folder / f"{ident}{kind.extension}"


def template_body(kind: Kind, language: str, ident: str) -> str:
    """The skeleton of a Markdown record's body (charter, incident). A charter's first
    rule id starts with the document's id: rule ids are unique across the charter."""
    french = language == "fr"
    if kind.folder == "charter":
        if french:
            return (f"Ce que couvre ce document, et avec qui il a été convenu.\n\n## Première règle {{#{ident}-premiere-regle}}\n\n"
                    "La règle, en une ou deux phrases, et pourquoi. Gardez l'id entre accolades quand le titre change.\n")
        return (f"What this document covers, and who agreed it.\n\n## First rule {{#{ident}-first-rule}}\n\n"
                "The rule in a sentence or two, and why. Keep the id in braces when the title changes.\n")
    if kind.folder == "incidents":
        sections = (("Résumé", "Ce qui s'est passé, en trois phrases."), ("Chronologie", "| date | quoi |\n|---|---|\n| | |"),
                    ("Ce que nous avons fait", "…"), ("Ce qui a marché", "…"), ("Ce qui n'a pas marché", "…"), ("Leçons", "…")) if french else (
                    ("Summary", "What happened, in three sentences."), ("Timeline", "| when | what |\n|---|---|\n| | |"),
                    ("What we did", "…"), ("What worked", "…"), ("What did not", "…"), ("Lessons", "…"))
        return "\n".join(f"## {title}\n\n{text}\n" for title, text in sections)
    return ""


def render_record(draft: Draft, modeline: str | None = None) -> str:
    """The file's text: the values, then every other field as a comment to fill in."""
    text = dump_record(in_format_order(draft.data, draft.kind.all_fields()))
    hints = _optional_hints(draft)
    if hints:
        text += "\n# More fields: remove the '# ' to use one (reference: guide/format.md).\n" + hints
    if draft.kind.is_markdown:
        return f"---\n{text}---\n\n{(draft.body or '').strip()}\n"
    return (modeline + "\n" if modeline else "") + text


def in_format_order(data: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
    """Fields in the order kinds.py declares them (nested mappings too), as people expect."""
    order = list(fields)
    result = {}
    for name in sorted(data, key=lambda n: order.index(n) if n in order else len(order)):
        value = data[name]
        spec = fields.get(name)
        if isinstance(value, dict) and spec is not None and isinstance(spec.type, Obj):
            value = in_format_order(value, spec.type.by_name())
        result[name] = value
    return result


def _optional_hints(draft: Draft) -> str:
    lines = []
    for spec in draft.kind.all_fields().values():
        if spec.name in draft.data or spec.example is None:
            continue
        example_value = spec.example
        if isinstance(spec.type, Date) and isinstance(example_value, str):
            example_value = dt.date.fromisoformat(example_value)
        example = dump_record({spec.name: example_value}).rstrip("\n").splitlines()
        doc = re.split(r"\.\s+(?=[A-Z(])", spec.doc)[0].rstrip(".")
        lines.append(f"# {example[0]}  # {doc}")
        lines.extend(f"# {line}" for line in example[1:])
    return "\n".join(lines) + "\n" if lines else ""


def write_record(path: Path, text: str) -> None:
    """Create the file, atomically, never over an existing one."""
    try:
        atomic_create(path, text)
    except FileExistsError:
        raise HandoverError(f"{path} already exists; handover new never replaces a record", hint="edit it, or choose another id") from None
    except OSError as exc:
        raise HandoverError(f"cannot write {path}: {exc.strerror or exc}") from None
