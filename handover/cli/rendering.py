"""render: the site source as plain files, buildable by any MkDocs-compatible engine."""

from __future__ import annotations

from pathlib import Path

import click

from handover.cli.app import cli
from handover.cli.common import load_validated, run, today_option


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
    from handover.site.render import render_site

    kb, _, day = load_validated(path, today, "the site source was not written", epoch=True)
    result = run(lambda: render_site(kb, Path(output), audience=audience, today=day, with_history=not no_history))
    click.echo(f"rendered {result.pages} pages ({result.files} files, {audience}) into {result.folder}; build it with: "
               f"mkdocs build -f {result.folder / 'mkdocs.yml'}")
