"""The command line: parse, call one core function, print, set the exit code.

The only package that imports click and the only one that writes to the terminal.
Core modules are imported inside each command so that `handover --help` stays fast
and never loads MkDocs or git. Each module below registers its commands on the one
`cli` group when imported; errors reach the user through common.run, the one boundary.
"""

from handover.cli import (  # noqa: F401  (each module registers its commands)
    authoring,
    checking,
    departure,
    departure_checklist,
    history,
    pulse,
    rendering,
    reporting,
    searching,
    site,
)
from handover.cli.app import cli, main

__all__ = ["cli", "main"]
