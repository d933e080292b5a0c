"""The questions of `handover new`: the kind's required fields, plus the few optional
ones validate needs on a new record (an active account's owner, backup and cadence)
or that make it useful (a contact's email and phone), and `--set FIELD=VALUE`.
Every answer is converted and checked on its own, so the CLI can ask again at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from handover.core.errors import UsageError
from handover.records.config import Config
from handover.records.fieldtypes import Boolean, Choice, Date, Field, FieldType, Integer, ListOf, MapOf, Obj, Pattern, Ref, RuleRef
from handover.records.kinds import Kind
from handover.records.values import close_match

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
