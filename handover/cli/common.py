"""What every command shares: the one error boundary (run), the options declared once (--kb, --today), the date and report printing."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from handover.core import environment
from handover.core.errors import HandoverError, UsageError

if TYPE_CHECKING:
    from handover.checks import Report

FORMATS = ("text", "json", "github")


def parse_today(value: str | None, epoch: bool = False) -> dt.date:
    """--today (or HANDOVER_TODAY): run as if on another date, for drills and reproducible reports.
    With `epoch`, SOURCE_DATE_EPOCH (reproducible builds) gives the date when neither is set."""
    try:
        return environment.today(value, epoch=epoch)
    except UsageError as exc:
        raise click.BadParameter(exc.message, param_hint="--today / HANDOVER_TODAY") from None


def judging_day(kb: Any, value: str | None, epoch: bool = False) -> dt.date:
    """The day date-based checks judge `kb` on: --today when given, else the day a sample
    knowledge base declares (as_of in handover.yml), else the clock: HANDOVER_TODAY,
    SOURCE_DATE_EPOCH (with `epoch`), the system date. The sample's note goes to stderr."""
    given = parse_today(value) if value else None
    day: dt.date = kb.config.judging_day(given, parse_today(None, epoch))
    note = kb.config.dated_note(day)
    if note:
        click.echo(f"handover: note: {note}", err=True)
    return day


def fail(exc: HandoverError) -> NoReturn:
    click.echo(f"handover: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def run(action: Callable[..., Any], *args: Any) -> Any:
    """The one error boundary: call the core, turn a HandoverError into a message and its exit code."""
    try:
        return action(*args)
    except HandoverError as exc:
        fail(exc)


today_option = click.option("--today", metavar="DATE", help="Check as if today were DATE (YYYY-MM-DD), even for a sample knowledge base (as_of); HANDOVER_TODAY sets the clock instead.")


kb_option = click.option("--kb", "kb_path", metavar="PATH", help="The knowledge-base folder (default: $HANDOVER_KB, or found from here upwards).")


def kb_root(path: str | None) -> tuple[Any, str]:
    """The knowledge base's folder and how to show it, without loading its records."""
    from handover.records.config import find_root
    from handover.records.model import display_path

    root = run(lambda: find_root(path))
    return root, display_path(root.resolve()) if root.is_absolute() else str(root)


def print_notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"handover: note: {note}", err=True)


def fail_usage(message: str) -> NoReturn:
    click.echo(f"handover: error: {message}", err=True)
    sys.exit(2)


def complete_kinds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from handover.records.kinds import KINDS

    return [k for k in KINDS if k.startswith(incomplete)]


def complete_responses(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Response ids of the knowledge base found from here (or --kb), for Tab."""
    from handover.core.errors import HandoverError
    from handover.records.config import find_root

    try:
        root = find_root(ctx.params.get("kb_path"))
    except HandoverError:
        return []
    from handover.records.kinds import KINDS
    from handover.records.walker import records_of

    return sorted(path.stem for path in records_of(root, KINDS["responses"]) if path.stem.startswith(incomplete))


def print_report(report: Report, output_format: str, strict: bool) -> None:
    if output_format == "json":
        payload = {
            "problems": [p.as_dict() for p in report.problems],
            "summary": {"errors": report.errors, "warnings": report.warnings, "records": report.records, "passed": report.passed(strict)},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if output_format == "github":
        for problem in report.problems:
            level = "error" if problem.is_error else "warning"
            location = f"file={problem.path}"
            if problem.line:
                location += f",line={problem.line},col={problem.col or 1}"
            message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            click.echo(f"::{level} {location},title={problem.code}::{message}")
        click.echo(report.summary())
        return
    for problem in report.problems:
        click.echo(problem.format_gnu())
    click.echo(report.summary(), err=False)


def quiet_mkdocs(verbose: bool) -> None:
    """MkDocs logs through `logging`; show its warnings (and more with -v) on stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def load_validated(path: str | None, today: str | None, stopped: str, epoch: bool = False) -> tuple[Any, Any, dt.date]:
    """The knowledge base, the day it is judged on (judging_day) and its validation
    report; validation errors stop the command with the same report as validate, and
    `stopped` says what was not done."""
    from handover.checks import run_checks
    from handover.records.model import load_kb

    kb = run(lambda: load_kb(path))
    day = judging_day(kb, today, epoch)
    report = run_checks(kb, day)
    if report.errors:
        print_report(report, "text", False)
        click.echo(f"handover: {stopped}: fix the errors above", err=True)
        sys.exit(1)
    return kb, report, day
