"""A list written right under a line of text in a notes field renders as a list (issue 15, item 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, KB_TODAY

from handover.cli import cli
from handover.site.pages.prose import field_markdown

LITERAL_DASH = re.compile(r"<p>(?:(?!</p>).)*\n[-*+] ", re.DOTALL)  # a list item left inside a paragraph


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prose") / "site"
    built = CliRunner().invoke(cli, ["build", str(BUNDLED_KB), "-d", str(out), "--today", KB_TODAY.isoformat()])
    assert built.exit_code == 0, built.output
    return out


def test_leas_list_of_what_she_holds_is_a_list(site: Path):
    page = (site / "team" / "lea-martin" / "index.html")
    if not page.is_file():
        page = site / "team" / "lea-martin.html"
    html = page.read_text(encoding="utf-8")
    notes = html[html.index("Ce qu'elle porte") - 200:]
    assert re.search(r"Ce qu'elle porte aujourd'hui \(tout doit être repris avant le 18/12\) :</p>\s*<ul>\s*<li>les comptes Instagram", notes), notes[:800]
    assert "<li>le brouillon de réponse type « candidature spontanée », pas encore validé.</li>" in notes


def test_no_page_of_the_bundled_site_shows_literal_dashes(site: Path):
    bad = [p.relative_to(site).as_posix() for p in site.rglob("*.html") if LITERAL_DASH.search(p.read_text(encoding="utf-8"))]
    assert bad == []


@pytest.mark.parametrize(("written", "markdown"), [
    ("Ce qu'elle porte :\n- a\n- b", "Ce qu'elle porte :\n\n- a\n- b"),
    ("Étapes :\n1. a\n2. b", "Étapes :\n\n1. a\n2. b"),
    ("- a\n  suite\n- b\nEncore a\n- c", "- a\n  suite\n- b\nEncore a\n- c"),  # one list: a lazy line does not end it
    ("Texte\n\n- a\n\nFin\n- b", "Texte\n\n- a\n\nFin\n\n- b"),
    ("Né en\n2019. Puis", "Né en\n2019. Puis"),  # only 1. starts a list under text
    ("```\ncode\n- not a list\n```", "```\ncode\n- not a list\n```"),
])
def test_field_markdown(written: str, markdown: str):
    assert field_markdown(written) == markdown
