"""Switches of the site build read from the environment.

`HANDOVER_OFFLINE` turns on the offline site (as `handover build --offline` does) for
`handover build` and for plain `mkdocs build` alike. mkdocs.yml cannot read it with
`!ENV`: MkDocs takes `1` for a number there and stops the build, and `handover build`
used to overwrite what it read. One reading here, for both.
"""

from __future__ import annotations

from collections.abc import Mapping

from handover.core import environment
from handover.core.errors import HandoverError

OFFLINE_VARIABLE = "HANDOVER_OFFLINE"
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")


def offline_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether HANDOVER_OFFLINE asks for the offline site (unset: no)."""
    value = environment.offline() if environ is None else environ.get(OFFLINE_VARIABLE)
    if value is None:
        return False
    word = value.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise HandoverError(f"{OFFLINE_VARIABLE}={value!r} is neither yes nor no",
                        hint=f"set {OFFLINE_VARIABLE} to 1, true or yes for the offline site, to 0, false or no (or unset it) for the online one")
