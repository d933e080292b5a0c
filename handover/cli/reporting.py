"""report: the weekly report the lead reads on Monday morning."""

from __future__ import annotations

from pathlib import Path

import click

from handover.cli.app import cli
from handover.cli.common import parse_today, print_notes, run, today_option


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--week", metavar="YYYY-Www", help="The ISO week to report (default: the last complete week).")
@click.option("--since", metavar="DATE", help="Report from this date (YYYY-MM-DD) instead of a week.")
@click.option("--until", metavar="DATE", help="With --since: the last day included (default: today).")
@click.option("--format", "output_format", type=click.Choice(("markdown", "html", "json")), default="markdown", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file (written whole, or not at all).")
@today_option
def report(path: str | None, week: str | None, since: str | None, until: str | None, output_format: str, output: str | None, today: str | None) -> None:
    """The weekly report: accounts and who feeds them, incidents and their follow-up
    actions, relationships, knowledge upkeep (from git) and who leaves soon."""
    from handover.commands.report import render
    from handover.files.atomic import atomic_write
    from handover.records.model import load_kb
    from handover.records.watch import require_valid
    from handover.report.model import week_span, weekly_report

    day = parse_today(today)
    kb = run(lambda: load_kb(path))
    run(lambda: require_valid(kb.config.watch))  # a broken watch group: located errors, exit 1
    span = run(lambda: week_span(week, since, until, day))
    result = run(lambda: weekly_report(kb, span, day))
    text = render(result, output_format, kb.config.language)
    print_notes([note.english for note in result.notes])
    if output:
        run(lambda: atomic_write(Path(output), text))
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
