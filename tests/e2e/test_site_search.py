"""End-to-end: handover's site search in Chromium, online (127.0.0.1) and from file://.

The ranking is judged on tests/evaluation/site_search_queries.yaml: short queries a
newcomer types on day one, each with the page(s) that answer it, written before the
search was tuned. Its `tuning` part was tuned on, its `held_out` part never; both
figures are printed (`pytest -s`) and each must reach its floor, online and offline.
The queries run through `HandoverSearch.search`, the function the search box calls;
the box itself (typing, keyboard, a phone's width, typos) is tested apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehttp import serving
from test_site_e2e import RESULT_LINKS, build, open_search, settled_results

pytestmark = pytest.mark.e2e

QUERIES = Path(__file__).resolve().parents[1] / "evaluation" / "site_search_queries.yaml"
TOP = 3  # the answering page must be among the first three results
# Floors: the share of queries whose page is in the first three. Both parts reached
# 100% online and offline when this was written (see the README's "The site").
FLOORS = {"tuning": 0.9, "held_out": 0.9}


def cases(part: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load(QUERIES.read_text(encoding="utf-8"))[part])


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The bundled site served on 127.0.0.1, and its offline build as a file:// URL."""
    online = build(tmp_path_factory.mktemp("search-online"))
    offline = build(tmp_path_factory.mktemp("search-offline"), "--offline")
    with serving(online) as url:
        yield {"online": url, "file": (offline / "index.html").as_uri()}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


def first_refs(page: Any, query: str) -> list[str]:
    found = page.evaluate("q => HandoverSearch.search(q)", query)
    return [result["ref"] for result in found["results"]]


@pytest.mark.parametrize("where", ["online", "file"])
def test_day_one_queries_find_their_page_in_the_first_three(page: Any, sites: dict[str, str], where: str) -> None:
    page.goto(sites["online" if where == "online" else "file"])
    figures, missed = {}, []
    for part in FLOORS:
        found = 0
        for case in cases(part):
            refs = first_refs(page, case["query"])
            if any(ref in case["pages"] for ref in refs[:TOP]):
                found += 1
            else:
                missed.append(f"{part}: {case['query']!r} → {refs[:TOP]} (wanted {case['pages']})")
        figures[part] = (found, len(cases(part)))
    print(f"\nsite search, {where}: " + "; ".join(f"{part} {n}/{total} = {n / total:.0%} in the first {TOP}" for part, (n, total) in figures.items()))
    for part, (n, total) in figures.items():
        assert total >= (15 if part == "held_out" else 25) and n / total >= FLOORS[part], "\n".join(missed)


def test_the_evaluation_parts_do_not_share_a_query() -> None:
    tuning, held_out = ({case["query"] for case in cases(part)} for part in FLOORS)
    assert len(held_out) >= 15 and not tuning & held_out


@pytest.mark.parametrize(("typed", "ref"), [("remboursment", "responses/remboursement-demande"), ("moderatoin", "charter/moderation"),
                                            ("harcelment", "responses/harcelement-salarie"), ("instagarm", "accounts/instagram-cyclesmorvan")])
def test_a_one_letter_typo_still_finds_the_page(page: Any, sites: dict[str, str], typed: str, ref: str) -> None:
    page.goto(sites["file"])
    assert ref in first_refs(page, typed)[:TOP]


def test_tiktok_typed_in_the_box_opens_the_account_with_the_keyboard(page: Any, sites: dict[str, str], tmp_path: Path) -> None:
    page.goto(sites["online"])
    open_search(page, "tiktok")
    results = settled_results(page)
    assert results[0].endswith("/accounts/tiktok-cyclesmorvan/"), results
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.ref") == "accounts/tiktok-cyclesmorvan"
    page.keyboard.press("Escape")
    assert page.locator(".ho-search__panel").is_hidden()
    assert page.evaluate("document.activeElement.id") == "ho-search-input"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/tiktok-cyclesmorvan/$"))
    page.screenshot(path=str(tmp_path / "tiktok.png"))


def test_results_read_cleanly_and_say_what_each_page_is(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["online"])
    open_search(page, "stagiaire")
    settled_results(page)
    items = page.locator(RESULT_LINKS)
    texts = [items.nth(i).locator(".ho-search__preview").inner_text() for i in range(items.count())]
    kinds = [items.nth(i).locator(".ho-search__kind").inner_text() for i in range(items.count())]
    assert "Équipe" in kinds
    for text in texts:  # no Markdown, no table marks, no cells glued together
        assert not re.search(r"\*\*|\]\(|\||\{#|<\w|(Fiche|Rôle|Statut)[A-ZÉ]", text), text
    lea = page.locator(f'{RESULT_LINKS}[data-ref="team/lea-martin"] .ho-search__preview').inner_text()
    assert lea.startswith("Stagiaire de Master 2"), lea


def test_the_box_fits_a_phone_and_its_results_stay_on_screen(browser: Any, sites: dict[str, str], tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(sites["file"])
        box = page.locator("#ho-search-input")
        assert box.is_visible() and box.get_attribute("aria-label")
        open_search(page, "photo de facture")
        settled_results(page)
        panel = page.locator(".ho-search__panel").bounding_box()
        assert panel is not None and panel["x"] >= 0 and panel["x"] + panel["width"] <= 390, panel
        assert page.locator(RESULT_LINKS).first.get_attribute("data-ref") == "responses/donnees-personnelles-publiees"
        page.screenshot(path=str(tmp_path / "phone-search.png"))
    finally:
        context.close()
