"""validate, status, docs, schema: checking the knowledge base and describing its format."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from handover.cli.app import cli
from handover.cli.common import (
    FORMATS,
    complete_kinds,
    judging_day,
    kb_option,
    print_report,
    run,
    today_option,
)


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@today_option
def validate(path: str | None, strict: bool, output_format: str, today: str | None) -> None:
    """Check the knowledge base at PATH (default: found from here) and report problems.

    Exit 0 when there are no errors (no warnings either with --strict), 1 otherwise.
    """
    from handover.checks import run_checks
    from handover.records.model import load_kb

    kb = run(lambda: load_kb(path))
    day = judging_day(kb, today)
    report = run_checks(kb, day)
    print_report(report, output_format, strict)
    sys.exit(0 if report.passed(strict) else 1)


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@today_option
def status(path: str | None, as_json: bool, today: str | None) -> None:
    """The continuity view: accounts with owner, backup and cadence; who is leaving
    with what; orphaned items; open incidents; drafts; stale records.

    Exit 0 when nothing is orphaned and nobody leaving still holds anything, 1 otherwise."""
    from handover.commands.status import continuity_status, format_status, status_as_dict
    from handover.records.model import load_kb

    kb = run(lambda: load_kb(path))
    day = judging_day(kb, today)
    view = continuity_status(kb, day)
    click.echo(json.dumps(status_as_dict(view), ensure_ascii=False, indent=2) if as_json else format_status(view))
    sys.exit(0 if view.clean else 1)


@cli.command()
@click.argument("page", type=click.Choice(("format", "problems")))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
def docs(page: str, output: str | None) -> None:
    """Print a reference page: the knowledge-base FORMAT or the PROBLEMS codes."""
    from handover.reference.pages import format_reference, problems_reference

    text = format_reference() if page == "format" else problems_reference()
    if output:
        from pathlib import Path

        from handover.files.atomic import atomic_write

        run(lambda: atomic_write(Path(output), text))
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("kind", required=False, shell_complete=complete_kinds)
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), help="Write KIND.schema.json files into this folder instead of printing.")
@kb_option
def schema(kind: str | None, output_dir: str | None, kb_path: str | None) -> None:
    """Print (or write) the JSON Schema of a record KIND, or of every kind.

    Editors that speak JSON Schema (yaml-language-server in VS Code and others) then
    complete fields and allowed values and flag mistakes as you type. Platforms and
    escalation topics come from the knowledge base's handover.yml; KIND `config` is
    the schema of handover.yml itself."""
    from pathlib import Path

    from handover.records.config import find_root, load_config
    from handover.reference.schemas import schemas_for, to_json, write_schemas

    def config() -> Any:
        root = find_root(kb_path)
        return load_config(root, str(root))

    vocab = run(config)
    if output_dir:
        for path in run(lambda: write_schemas(Path(output_dir), vocab, kind)):
            click.echo(f"wrote {path}")
        return
    found = run(lambda: schemas_for(vocab, kind))
    click.echo(to_json(found[kind] if kind else found), nl=False)
