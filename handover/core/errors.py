"""Errors and problems.

A `Problem` is something wrong (or worth a look) in the knowledge base: checks yield
them and never stop. A `HandoverError` stops a command: bad usage, a knowledge base
that cannot be found, an output that cannot be written. Every message says what went
wrong, where, and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):  # noqa: UP042 - StrEnum would change str() of a severity
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located at a 1-based line and column of a file (0 when unknown)."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format_gnu(self) -> str:
        """`file:line:col: severity CODE message`, as compilers and editors expect."""
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.severity.value} {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


def error(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, line, col, code, Severity.ERROR, message)


def warning(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, line, col, code, Severity.WARNING, message)


class HandoverError(Exception):
    """A failure that stops a command. `exit_code` is 1 for bad input, 2 for bad usage."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(HandoverError):
    """The command was called wrongly (unknown kind, bad option value)."""

    exit_code = 2


class KnowledgeBaseNotFound(HandoverError):
    """No knowledge base at the given place, nor above the current folder."""
