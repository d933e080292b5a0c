"""The `handover` group and the console-script entry point."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

import click

from handover import __version__
from handover.core import environment


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="handover")
def cli() -> None:
    """Keep a community's working knowledge in git: validate it, search it, publish it,
    and hand it over when someone leaves."""


def main() -> None:
    """Console-script entry point: no input, however broken, ends in a traceback."""
    try:
        cli.main(prog_name="handover", standalone_mode=True)
    except SystemExit as exc:
        _exit_now(exc.code)
    except KeyboardInterrupt:
        click.echo("handover: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly, traceback only on request
        if environment.debug():
            raise
        click.echo(f"handover: internal error: {type(exc).__name__}: {exc}\n  please report it; set HANDOVER_DEBUG=1 for details", err=True)
        sys.exit(1)


def _exit_now(code: object) -> NoReturn:
    """Exit without tearing the heap down: freeing a large knowledge base object by
    object takes longer than validating it. Output is flushed first; nothing else
    is pending (every file the tool writes is written atomically before this)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        click.echo(str(code), err=True)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
