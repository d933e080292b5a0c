"""Shared fixtures: the bundled knowledge base and a helper to write small ones."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_KB = REPO / "kb"
# The bundled kb is written as of this date: the intern leaves within weeks of it.
KB_TODAY = dt.date(2026, 11, 21)
VALID = REPO / "tests" / "corpus" / "valid"  # a small knowledge base that passes validate with no warning


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled knowledge base, safe to modify."""
    target = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, target)
    return target


@pytest.fixture
def valid_kb(tmp_path: Path) -> Path:
    """A private copy of the small valid corpus knowledge base, safe to modify."""
    target = tmp_path / "kb"
    shutil.copytree(VALID, target)
    return target


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The one Chromium of the end-to-end modules (tests/e2e): every module of a session
    shares it, as Playwright's sync API refuses a second one while the first runs."""
    from test_site_e2e import launched  # tests/e2e is on the path once its modules are collected

    with launched() as chromium:
        yield chromium
