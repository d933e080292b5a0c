"""What handover.yml adds to the field vocabulary of the records (fieldtypes.py), for
settings.py's declaration: `Worded` (a type whose problems are said in handover.yml's
own words, E010), `Free` (a value its reader checks), `Setting` (a key: its field and
how Config holds its value), `Reading` (what a conversion needs to know) and the
check of one key against its declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handover.core.errors import Problem
from handover.files.yamlio import KEY_MARK, Loaded
from handover.records.fieldtypes import Field, FieldType, Report, Text, Vocabulary


def dotted(at: tuple[Any, ...]) -> str:
    """A setting's path as messages write it: platforms.x.limit."""
    return ".".join(str(part) for part in at if part != KEY_MARK)


@dataclass(frozen=True)
class Worded(FieldType):
    """A type whose wrong values are reported as E010 in handover.yml's own words.

    `message` replaces the problems of the value itself (of what is under it too when
    `deep`), once; `{path}`, `{key}` and `{value}` are filled in. `unknown` replaces the
    warning for an unknown key of the mapping, which then is an error. Problems that
    an inner `Worded` already said, and warnings, pass through."""

    inner: FieldType = field(default_factory=Text)
    message: str = "{path} is not valid"
    unknown: str = ""
    deep: bool = False
    empty_ok: bool = False  # `instagram:` with nothing under it is allowed

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        if value is None and self.empty_ok:
            return
        where = at[:-1] if at and at[-1] == KEY_MARK else at
        said: list[bool] = []

        def reword(path: tuple[Any, ...], code: str, message: str) -> None:
            if code == "W220" and self.unknown and path[:len(at)] == at and len(path) == len(at) + 2:
                report(path[:-1], "E010", self.unknown.format(key=path[-2]))
            elif code.startswith("E") and code != "E010" and (self.deep or path in (at, at + (KEY_MARK,))):
                if not said:
                    said.append(True)
                    report(at, "E010", self.message.format(path=dotted(where), key=where[-1], value=value))
            else:
                report(path, code, message)

        self.inner.check(value, at, reword, vocab)

    def describe(self) -> str:
        return self.inner.describe()


@dataclass(frozen=True)
class Free(FieldType):
    """Any value: what reads it (triage's word lists) decides what it may hold."""

    label: str = "any value"
    json_type: str | None = None

    def check(self, value: Any, at: tuple[Any, ...], report: Report, vocab: Vocabulary) -> None:
        return


class Reading:
    """What a setting's conversion needs: where the check found errors, the loaded file
    (for marks) and the problems list, for a key checked by its own reader (watch)."""

    def __init__(self, bad: set[tuple[Any, ...]], loaded: Loaded, display: str, problems: list[Problem]) -> None:
        self.bad, self.loaded, self.display, self.problems = bad, loaded, display, problems
        self.mark = loaded.mark

    def ok(self, *path: Any) -> bool:
        """No error at this value, nor at its key."""
        return path not in self.bad and path + (KEY_MARK,) not in self.bad

    def clean(self, *path: Any) -> bool:
        """No error at this value or anywhere under it."""
        return not any(bad[:len(path)] == path for bad in self.bad)


@dataclass(frozen=True)
class Setting:
    """One key of handover.yml: its declaration and how Config holds its value."""

    field: Field
    convert: Callable[[Any, Reading], Any]  # the checked value → the Config attribute
    shown: str = ""  # the default as the reference page says it, when not the field's default
    checked_elsewhere: str = ""  # the check that reports this key's problems instead (E605…)

    @property
    def name(self) -> str:
        return self.field.name


class _Vocabulary:
    def choices(self, name: str) -> tuple[str, ...]:
        raise KeyError(name)  # handover.yml's own types name no vocabulary of handover.yml


def check_setting(setting: Setting, value: Any, report: Report) -> None:
    """Check one key's value against its declaration (nothing when checked elsewhere)."""
    if not setting.checked_elsewhere:
        setting.field.type.check(value, (setting.name,), report, _Vocabulary())
