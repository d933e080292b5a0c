"""`handover new`: a record from a template, built from answers to a few questions.

The questions are the kind's required fields (kinds.py), plus the few optional ones
validate needs on a new record to pass (an active account's owner, backup and
cadence) or that make it useful (a contact's email and phone). Every answer is
converted and checked on its own, so the CLI can ask again at once. The file is
written with the remaining fields as comments, ready to uncomment, and never
replaces an existing record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError, UsageError
from handover.files.atomic import atomic_create
from handover.files.yamlio import dump_record
from handover.records.config import Config
from handover.records.fieldtypes import Boolean, Choice, Date, Field, FieldType, Integer, ListOf, MapOf, Obj, Pattern, Ref, RuleRef, check_mapping
from handover.records.fold import slugify
from handover.records.kinds import KINDS, Kind
from handover.records.replies import placeholders
from handover.records.values import SLUG_RE, close_match

BODY = "text"  # the question for a Markdown record's body

# Optional fields asked all the same, by kind: what validate needs of a new record,
# or what makes it worth having.
ALSO_ASK: dict[str, tuple[str, ...]] = {
    "accounts": ("owner", "backup", "cadence"),
    "contacts": ("channels.email", "channels.phone"),
    "responses": ("approved_by",),
}


@dataclass(frozen=True)
class Question:
    """One value to ask for: a field (path into the record) or the Markdown body."""

    path: tuple[str, ...]
    spec: Field | None  # None for the body
    required: bool
    default: str | None = None
    choices: tuple[str, ...] = ()
    known: tuple[str, ...] = ()  # existing ids or rule ids a reference may name

    @property
    def label(self) -> str:
        return ".".join(self.path)

    @property
    def doc(self) -> str:
        if self.spec is None:
            return "The text of the response; write {name} where a value is filled in."
        return self.spec.doc

    def hint(self) -> str:
        """How to type the answer, shown with the question."""
        if self.spec is None:
            return "one paragraph"
        ftype = self.spec.type
        if isinstance(ftype, MapOf):
            names = f"; names: {', '.join(self.choices)}" if self.choices else ""
            return f"comma-separated name:value pairs, e.g. instagram:@handle{names}"
        if self.choices:
            shown = ", ".join(self.choices)
            return f"{'comma-separated, ' if isinstance(ftype, ListOf) else ''}one of: {shown}"
        if isinstance(ftype, ListOf):
            return "comma-separated"
        if isinstance(ftype, Date):
            return "YYYY-MM-DD or today"
        if isinstance(ftype, Boolean):
            return "yes or no"
        example = self.spec.example
        return f"e.g. {example}" if isinstance(example, (str, int)) and not isinstance(example, bool) else ""


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
    from handover.records.model import RULE_HEADING_RE, display_path
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


def questions(kind: Kind, config: Config, today: dt.date, known_ids: dict[str, list[str]] | None = None,
              rule_ids: list[str] | None = None) -> list[Question]:
    """What `handover new KIND` asks, in order."""
    known_ids = known_ids or {}
    asked: list[Question] = []
    fields = kind.all_fields()
    for spec in kind.fields:
        if spec.required and not isinstance(spec.type, Obj):
            asked.append(_question((spec.name,), spec, True, kind, config, today, known_ids, rule_ids))
        elif spec.required and isinstance(spec.type, Obj):  # a required mapping: ask its fields
            for sub in spec.type.fields:
                if sub.required or f"{spec.name}.{sub.name}" in ALSO_ASK.get(kind.folder, ()):
                    asked.append(_question((spec.name, sub.name), sub, sub.required, kind, config, today, known_ids, rule_ids))
    for dotted in ALSO_ASK.get(kind.folder, ()):
        if "." not in dotted:
            asked.append(_question((dotted,), fields[dotted], False, kind, config, today, known_ids, rule_ids))
    if kind.folder == "responses":
        asked.append(Question((BODY,), None, True))
    return asked


def _question(path: tuple[str, ...], spec: Field, required: bool, kind: Kind, config: Config, today: dt.date,
              known_ids: dict[str, list[str]], rule_ids: list[str] | None) -> Question:
    ftype = spec.type.item if isinstance(spec.type, ListOf) else spec.type.key if isinstance(spec.type, MapOf) else spec.type
    choices = ftype.allowed(config) if isinstance(ftype, Choice) else ()
    known: tuple[str, ...] = ()
    if isinstance(ftype, Ref):
        known = tuple(i for k in ftype.kinds for i in known_ids.get(k, []))
    elif isinstance(ftype, RuleRef):
        known = tuple(rule_ids or ())
    default: str | None = None
    if spec.default is not None and not isinstance(spec.default, bool):
        default = str(spec.default)
    elif isinstance(spec.type, Date) and required:
        default = today.isoformat()
    elif spec.name == "language" and required:
        default = config.language
    elif spec.name == "version":
        default = "1.0"
    return Question(path, spec, required, default, tuple(choices), known)


def convert(question: Question, answer: str, config: Config, today: dt.date) -> Any:
    """The typed value of an answer; ValueError with the reason when it is not valid.
    An empty answer to an optional question is None (the field is left out)."""
    text = answer.strip()
    if question.spec is None:
        if not text:
            raise ValueError("the response needs a text")
        return answer.strip("\n")
    if not text:
        if question.required:
            raise ValueError(f"{question.label} is required")
        return None
    value = _typed(question.spec.type, text, today)
    if isinstance(question.spec.type, Pattern) and question.spec.type.label == "phone number" and isinstance(value, str):
        value = _international(value, config)
    problems: list[str] = []
    question.spec.type.check(value, (), lambda at, code, message: problems.append(message), config)
    if problems:
        raise ValueError(problems[0])
    _check_known(question, value)
    return value


def _check_known(question: Question, value: Any) -> None:
    """A reference must name a record (or rule) that exists, asked again if not."""
    if not question.known or question.spec is None:
        return
    target = question.spec.type.item if isinstance(question.spec.type, ListOf) else question.spec.type
    if not isinstance(target, (Ref, RuleRef)):
        return
    for item in value if isinstance(value, list) else [value]:
        ident = str(item).rpartition("/")[2]
        if ident not in question.known:
            close = close_match(ident, question.known)
            what = "charter rule" if isinstance(target, RuleRef) else "record of " + " or ".join(f"{k}/" for k in target.kinds)
            raise ValueError(f'"{item}" is no {what}' + (f'; did you mean "{close}"?' if close else ""))


def _international(text: str, config: Config) -> str:
    """A phone typed the national way (06 12 34 56 78) in international format, read
    as a number of handover.yml's country; as typed when it cannot be read."""
    from handover.records.phones import PhoneError, international

    try:
        return international(text, config.country)
    except PhoneError:
        return text  # the field's own check then says what is expected


def _typed(ftype: FieldType, text: str, today: dt.date) -> Any:
    if isinstance(ftype, ListOf):
        return [_typed(ftype.item, part.strip(), today) for part in text.split(",") if part.strip()]
    if isinstance(ftype, MapOf):
        pairs: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, sep, value = part.partition(":") if ":" in part else part.partition("=")
            if not sep:
                raise ValueError(f'"{part}" is not name:value')
            pairs[key.strip()] = _typed(ftype.value, value.strip(), today)
        return pairs
    if isinstance(ftype, Integer):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a whole number') from None
    if isinstance(ftype, Boolean):
        lowered = text.lower()
        if lowered in ("yes", "y", "true", "oui", "o"):
            return True
        if lowered in ("no", "n", "false", "non"):
            return False
        raise ValueError(f'"{text}" is not yes or no')
    if isinstance(ftype, Date):
        if text.lower() in ("today", "aujourd'hui"):
            return today
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a date; write YYYY-MM-DD, e.g. {today.isoformat()}') from None
    return text


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


def setting_question(kind: Kind, dotted: str, config: Config, known_ids: dict[str, list[str]] | None = None,
                     rule_ids: list[str] | None = None) -> Question:
    """The question behind `--set FIELD=VALUE` (FIELD may be dotted: channels.email,
    variables.prenom.description)."""
    parts = tuple(dotted.split("."))
    if parts == (BODY,) and kind.is_markdown:
        return Question(parts, None, True)
    fields = kind.all_fields()
    spec = fields.get(parts[0])
    if spec is None:
        close = close_match(parts[0], fields)
        raise UsageError(f'{kind.singular} records have no field "{parts[0]}"', hint=f'did you mean "{close}"?' if close else f"fields: {', '.join(fields)}")
    for depth, part in enumerate(parts[1:], start=1):
        ftype = spec.type
        if isinstance(ftype, Obj) and part in ftype.by_name():
            spec = ftype.by_name()[part]
        elif isinstance(ftype, MapOf) and isinstance(ftype.value, Obj):
            spec = Field(part, ftype.value, spec.doc)  # a free key (a variable's name), then its fields
        else:
            raise UsageError(f'"{".".join(parts[:depth + 1])}" is not a field of {kind.folder}', hint="see guide/format.md for the fields")
    if isinstance(spec.type, Obj):
        raise UsageError(f'"{dotted}" is a mapping; set its fields one by one, e.g. {dotted}.{spec.type.fields[0].name}=…')
    target = spec.type.item if isinstance(spec.type, ListOf) else spec.type
    known: tuple[str, ...] = ()
    if isinstance(target, Ref):
        known = tuple(i for k in target.kinds for i in (known_ids or {}).get(k, []))
    elif isinstance(target, RuleRef):
        known = tuple(rule_ids or ())
    return Question(parts, spec, False, choices=tuple(spec.type.allowed(config)) if isinstance(spec.type, Choice) else (), known=known)


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
