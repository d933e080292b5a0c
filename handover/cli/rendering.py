"""render: the site source as plain files, buildable by any MkDocs-compatible engine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from handover.cli.app import cli
from handover.cli.common import parse_today, print_report, run, today_option


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False), help="The folder to write (new, or one handover rendered).")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True, help="public: only records and fields marked public.")
@click.option("--no-history", is_flag=True, help="Leave out what git says (last change of each record, recent changes).")
@today_option
def render(path: str | None, output: str, audience: str, no_history: bool, today: str | None) -> None:
    """Write the site's source (Markdown pages, assets, mkdocs.yml) into a folder that
    MkDocs, ProperDocs or Zensical build without handover's plugin.

    Validation errors stop it, as they stop `handover build`."""
    from handover.checks import run_checks
    from handover.records.model import load_kb
    from handover.site.render import render_site

    day = parse_today(today, epoch=True)
    kb = run(lambda: load_kb(path))
    report = run_checks(kb, day)
    if report.errors:
        print_report(report, "text", False)
        click.echo("handover: the site source was not written: fix the errors above", err=True)
        sys.exit(1)
    result = run(lambda: render_site(kb, Path(output), audience=audience, today=day, with_history=not no_history))
    click.echo(f"rendered {result.pages} pages ({result.files} files, {audience}) into {result.folder}; build it with: "
               f"mkdocs build -f {result.folder / 'mkdocs.yml'}")
