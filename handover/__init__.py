"""handover: keep an online community's working knowledge in git, checked and searchable."""

from __future__ import annotations

__version__ = "0.1.0"
