"""build and serve: the site, through the MkDocs adapter (imported only when they run)."""

from __future__ import annotations

import click

from handover.cli.app import cli
from handover.cli.common import (
    load_validated,
    quiet_mkdocs,
    run,
    today_option,
)


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--strict", is_flag=True, help="Fail on any MkDocs warning (validation errors always stop the build).")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True, help="public: only records and fields marked public.")
@click.option("--offline", is_flag=True, help="A site that works from file://, search included.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Where to write the site (default: mkdocs.yml's site_dir).")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, exists=True), help="mkdocs.yml to use (default: found beside the knowledge base).")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress.")
@today_option
def build(path: str | None, strict: bool, audience: str, offline: bool, site_dir: str | None, config_file: str | None, verbose: bool, today: str | None) -> None:
    """Validate the knowledge base, then build its site.

    Validation errors stop the build, with the same report as validate; warnings are
    counted and the build goes on."""
    from pathlib import Path

    kb, report, day = load_validated(path, today, "the site was not built")
    if report.warnings:
        click.echo(f"validation: {report.summary()} (see handover validate)", err=True)
    quiet_mkdocs(verbose)
    from handover.site.mkdocs.build import build_site

    result = run(lambda: build_site(kb, site_dir=Path(site_dir) if site_dir else None, audience=audience, offline=offline,
                                     strict=strict, today=day, config_file=Path(config_file) if config_file else None))
    click.echo(f"built {result.pages} pages ({result.bytes / 1e6:.1f} MB, {audience}{', offline' if offline else ''}) in {result.seconds:.1f} s: {result.site_dir}")


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help="Address to serve on.")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, exists=True))
def serve(path: str | None, audience: str, dev_addr: str, config_file: str | None) -> None:
    """Preview the site, rebuilt live when a record changes."""
    from pathlib import Path

    from handover.records.model import load_kb

    kb = run(lambda: load_kb(path))
    quiet_mkdocs(True)
    from handover.site.mkdocs.build import serve_site

    _stop_on_sigterm()
    run(lambda: serve_site(kb, audience=audience, address=dev_addr, config_file=Path(config_file) if config_file else None))


def _stop_on_sigterm() -> None:
    """SIGTERM (a service manager, `kill`, a test) stops the server as Ctrl-C does:
    MkDocs shuts its server down and the made-up mkdocs.yml's temporary folder is
    removed. Python's default would end the process at once and leave the folder in
    /tmp. Forked page builders inherit the handler and simply end."""
    import os
    import signal
    from types import FrameType

    server = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != server:
            os._exit(128 + signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
