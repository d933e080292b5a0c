"""Field types of the knowledge-base format: what a value must look like.

Each type checks a loaded value and reports what is wrong through a `Report`
callback, so that the schema walk (schema_check.py) stays generic. The same types
document themselves (`label`, `describe`) for the format reference and the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from handover.files.yamlio import KEY_MARK  # appended to a path: the position of the key, not the value
from handover.records.values import (
    CADENCE_RE,
    DURATION_RE,
    EMAIL_RE,
    HANDLE_RE,
    PHONE_RE,
    SLUG_RE,
    URL_RE,
    as_date,
    close_match,
    describe_value,
)

# A report callback: (relative key path, code, message, point at key instead of value).
Report = Callable[[tuple[Any, ...], str, str], None]

class Vocabulary(Protocol):
    """What a type may need from handover.yml (platform names, escalation topics)."""

    def choices(self, name: str) -> tuple[str, ...]: ...


class FieldType:
    """Base of all field types."""

    label = "value"
    json_type: str | None = None

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        return self.label

    def wrong_type(self, value: Any, at: tuple[Any, ...], report: Report) -> None:
        hint = ""
        if isinstance(value, (int, float, bool)) and self.json_type == "string":
            hint = "; put it in quotes"
        report(at, "E211", f"expected {self.label}, found {describe_value(value)}{hint}")


@dataclass(frozen=True)
class Text(FieldType):
    """Free text. `multiline` marks prose fields (notes) for the docs and the site."""

    multiline: bool = False
    max_length: int = 0
    blank_ok: bool = False  # handover.yml's description may be "": no text, not a mistake
    label: str = "text"
    json_type: str | None = "string"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, str):
            self.wrong_type(value, at, report)
        elif not value.strip() and not self.blank_ok:
            report(at, "E211", "is empty; write a value or remove the field")
        elif self.max_length and len(value) > self.max_length:
            report(at, "E221", f"is {len(value)} characters long; at most {self.max_length}")


@dataclass(frozen=True)
class Pattern(FieldType):
    """Text that must match a format (email, URL, phone, handle, duration…)."""

    regex: re.Pattern[str] = SLUG_RE
    code: str = "E213"
    label: str = "identifier"
    fix: str = ""
    json_type: str | None = "string"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and self.label == "phone number":
                report(at, "E211", f"phone {value} was read as a number; quote it and write it in international format, e.g. \"+33 6 12 34 56 78\"")
                return
            self.wrong_type(value, at, report)
        elif not self.regex.match(value):
            report(at, self.code, f'"{value}" is not a valid {self.label}{"; " + self.fix if self.fix else ""}')


VARIABLE_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def variable_name() -> Pattern:
    return Pattern(VARIABLE_RE, "E219", "variable name", "lowercase letters and digits, words joined by - or _, e.g. numero_commande")


def slug() -> Pattern:
    return Pattern(SLUG_RE, "E219", "identifier", "use lowercase letters, digits and single hyphens, e.g. lea-martin")


def email() -> Pattern:
    return Pattern(EMAIL_RE, "E213", "email address", "e.g. prenom.nom@example.fr")


def url() -> Pattern:
    return Pattern(URL_RE, "E214", "URL", "start it with https:// (or http://)")


def phone() -> Pattern:
    return Pattern(PHONE_RE, "E215", "phone number", 'write it in international format with quotes, e.g. "+33 6 12 34 56 78"')


def duration() -> Pattern:
    return Pattern(DURATION_RE, "E217", "duration", "write a number and a unit: 90d, 6w, 3m or 1y")


def cadence() -> Pattern:
    return Pattern(CADENCE_RE, "E217", "cadence", "write how many posts per period: 3/week, 1/day, 2/month")


def handle() -> Pattern:
    return Pattern(HANDLE_RE, "E218", "handle", "letters, digits, _ . - only, with an optional leading @")


@dataclass(frozen=True)
class Integer(FieldType):
    minimum: int | None = None
    maximum: int | None = None
    label: str = "whole number"
    json_type: str | None = "integer"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(value, at, report)
        elif (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            report(at, "E221", f"{value} is out of range; expected {self.minimum} to {self.maximum}")

    def describe(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"whole number {self.minimum}–{self.maximum}"
        if self.minimum is not None:
            return f"whole number ≥ {self.minimum}"
        return self.label


@dataclass(frozen=True)
class Number(FieldType):
    """A number, whole or not, greater than zero when `positive` (handover.yml's ratios)."""

    positive: bool = False
    label: str = "number"
    json_type: str | None = "number"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.wrong_type(value, at, report)
        elif self.positive and value <= 0:
            report(at, "E221", f"{value} is out of range; expected a number above 0")

    def describe(self) -> str:
        return "number > 0" if self.positive else self.label


@dataclass(frozen=True)
class Boolean(FieldType):
    label: str = "true or false"
    json_type: str | None = "boolean"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, bool):
            self.wrong_type(value, at, report)


@dataclass(frozen=True)
class Date(FieldType):
    label: str = "date (YYYY-MM-DD)"
    json_type: str | None = "string"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if isinstance(value, (dt.date, dt.datetime)):
            return
        if isinstance(value, str) and as_date(value) is not None:
            return
        if isinstance(value, str):
            report(at, "E216", f'"{value}" is not a date; write YYYY-MM-DD, e.g. 2026-03-14')
        else:
            self.wrong_type(value, at, report)


@dataclass(frozen=True)
class Choice(FieldType):
    """One of a fixed list, or of a list named in handover.yml (`vocabulary`)."""

    values: tuple[str, ...] = ()
    vocabulary: str = ""
    label: str = "one of a list"
    json_type: str | None = "string"

    def allowed(self, vocab: Vocabulary) -> tuple[str, ...]:
        return vocab.choices(self.vocabulary) if self.vocabulary else self.values

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        allowed = self.allowed(vocab)
        if not isinstance(value, str):
            self.wrong_type(value, at, report)
        elif value not in allowed:
            close = close_match(value, allowed)
            hint = f'; did you mean "{close}"?' if close else ""
            where = f" (the {self.vocabulary} of handover.yml)" if self.vocabulary else ""
            report(at, "E212", f'"{value}" is not one of: {", ".join(allowed)}{where}{hint}')

    def describe(self) -> str:
        if self.vocabulary:
            return f"one of the {self.vocabulary} of handover.yml"
        return "one of: " + ", ".join(f"`{v}`" for v in self.values)


@dataclass(frozen=True)
class Ref(FieldType):
    """The id of another record. A bare id is looked up in `kinds` in order;
    `kind/id` names the kind explicitly. Resolution happens in checks/refs.py."""

    kinds: tuple[str, ...] = ()
    label: str = "record id"
    json_type: str | None = "string"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, str):
            self.wrong_type(value, at, report)
            return
        kind, _, ident = value.rpartition("/")
        if kind and kind not in self.kinds:
            report(at, "E301", f'"{value}" names the kind "{kind}"; expected one of: {", ".join(self.kinds)}')
        elif not SLUG_RE.match(ident):
            report(at, "E219", f'"{value}" is not a valid id; ids are lowercase slugs like lea-martin')

    def describe(self) -> str:
        return "id of a record in " + " or ".join(f"`{k}/`" for k in self.kinds)


@dataclass(frozen=True)
class RuleRef(FieldType):
    """The stable id of a charter rule (`{#no-delete}` in a charter heading)."""

    label: str = "charter rule id"
    json_type: str | None = "string"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, str):
            self.wrong_type(value, at, report)
        elif not SLUG_RE.match(value):
            report(at, "E219", f'"{value}" is not a valid rule id; rule ids are lowercase slugs like no-delete')


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType = field(default_factory=Text)
    min_items: int = 0
    unique: bool = True  # an item listed twice is a mistake (E303)
    label: str = "list"
    json_type: str | None = "array"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value_text = describe_value(value)
            report(at, "E211", f"expected a list, found {value_text}; write it as [{value}] or one '- item' a line")
            return
        if not isinstance(value, list):
            self.wrong_type(value, at, report)
            return
        if len(value) < self.min_items:
            report(at, "E210", f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        seen: set[Any] = set()
        for index, item in enumerate(value):
            self.item.check(item, at + (index,), report, vocab)
            if self.unique and isinstance(item, (str, int)) and not isinstance(item, bool):
                if item in seen:
                    report(at + (index,), "E303", f'"{item}" is listed twice')
                seen.add(item)

    def describe(self) -> str:
        return f"list of {self.item.describe()}"


@dataclass(frozen=True)
class Field:
    """One field of a kind or of a nested mapping."""

    name: str
    type: FieldType
    doc: str
    example: Any = None
    required: bool = False
    default: Any = None
    public: bool = False  # may appear in a public build (DESIGN: an allow-list, not a deny-list)


@dataclass(frozen=True)
class Obj(FieldType):
    """A nested mapping with known fields; unknown ones get a did-you-mean warning."""

    fields: tuple[Field, ...] = ()
    label: str = "mapping"
    json_type: str | None = "object"

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, dict):
            self.wrong_type(value, at, report)
            return
        check_mapping(value, self.by_name(), at, report, vocab)

    def describe(self) -> str:
        return "mapping with " + ", ".join(f"`{f.name}`" for f in self.fields)


@dataclass(frozen=True)
class MapOf(FieldType):
    """A mapping whose keys are free (or from a vocabulary) and values share a type."""

    key: FieldType = field(default_factory=Text)
    value: FieldType = field(default_factory=Text)
    min_items: int = 0
    label: str = "mapping"
    json_type: str | None = "object"

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if not isinstance(value, dict):
            self.wrong_type(value, at, report)
            return
        if len(value) < self.min_items:
            report(at, "E210", f"needs at least {self.min_items} entr{'ies' if self.min_items > 1 else 'y'}")
        for key, item in value.items():
            self.key.check(key, at + (key, KEY_MARK), report, vocab)
            self.value.check(item, at + (key,), report, vocab)

    def describe(self) -> str:
        return f"mapping of {self.key.describe()} → {self.value.describe()}"


def check_mapping(data: dict[Any, Any], fields: dict[str, Field], at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
    """Required fields, unknown fields (warning with a suggestion), each value's type."""
    for name, spec in fields.items():
        if spec.required and data.get(name) is None:
            if name in data:
                report(at + (name,), "E210", f'"{name}" is required but empty; e.g. {name}: {spec.example!s}')
            else:
                report(at, "E210", f'required field "{name}" is missing; e.g. {name}: {spec.example!s}')
    for key, value in data.items():
        declared = fields.get(key) if isinstance(key, str) else None
        if declared is None and key == "<<":
            continue  # a merge key: the loader reports it (E105)
        if declared is None:
            close = close_match(str(key), fields)
            hint = f'; did you mean "{close}"?' if close else f"; known fields: {', '.join(fields)}"
            report(at + (key, KEY_MARK), "W220", f'unknown field "{key}"{hint}')
            continue
        if value is None:
            continue  # an empty optional field is the same as an absent one
        declared.type.check(value, at + (key,), report, vocab)
