"""End-to-end: the built site in a real headless Chromium, as a newcomer uses it.

Debian's Chromium (`apt-get install chromium`) is driven by Playwright through its
executable path: no browser is ever downloaded. Without it these tests fail, they are
never skipped: the site's search and links are what the newcomer relies on.

The bundled knowledge base is built once per module (served over HTTP from a thread,
and a second time with --offline, opened from file:// with no server). Each test
leaves one screenshot in its own tmp dir (`pytest --basetemp DIR` to keep them).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sitehttp import serving

from conftest import BUNDLED_KB, KB_TODAY

from handover.cli import cli

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - reported by the fixtures below
    expect = sync_playwright = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
# The network is closed where these run: without the background-networking flags
# Chromium floods refused connections (component updates, sync, QUIC probes).
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MISSING_CHROMIUM = (f"Debian's Chromium is not installed at {CHROMIUM}: the end-to-end tests drive it through "
                    "Playwright's executable_path and never download a browser. Install it with "
                    "`sudo apt-get install chromium` (the README's test command and .ci/run do).")
MISSING_PLAYWRIGHT = "the playwright package is missing: install the test extras with `pip install -e '.[test]'`"
RESULTS_TIMEOUT = 15_000  # ms


# --- helpers -------------------------------------------------------------------


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def front_matter_title(path: Path) -> str:
    match = re.search(r"^title: *(.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path} has no title"
    return match.group(1).strip().strip("\"'")


def heading(title: str) -> re.Pattern[str]:
    """The page's h1 as shown: the title, then Material's permalink `¶`."""
    return re.compile(rf"^\s*{re.escape(title)}\s*¶?\s*$")


def build(out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(BUNDLED_KB), "-d", str(out), "--today", KB_TODAY.isoformat(), *extra])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file(), result.output
    return out


@dataclass
class Tab:
    """A page with what went wrong in it, for assertions and failure messages."""

    page: Any
    errors: list[str] = field(default_factory=list)  # uncaught JavaScript exceptions
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # requests that failed
    requests: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join(["page errors:", *self.errors, "console:", *self.console, "failed requests:", *self.failed])


RESULT_LINKS = "a.ho-search__result"


def open_search(page: Any, query: str) -> None:
    """Click the header's search box and type the query, key by key, as a reader does."""
    box = page.locator("#ho-search-input")
    box.click()
    page.keyboard.type(query, delay=25)
    expect(box).to_have_value(query)


def settled_results(page: Any) -> list[str]:
    """The top-level result links once the list stops changing.

    Every key typed runs a search (`moder` already matches), so the list must settle
    on the answer to the whole query before it is judged."""
    page.wait_for_selector(RESULT_LINKS, timeout=RESULTS_TIMEOUT)
    links = page.locator(RESULT_LINKS)
    meta = page.locator(".ho-search__status")
    previous, stable = None, 0
    for _ in range(60):
        current = (meta.inner_text(), tuple(links.evaluate_all("els => els.map(a => a.href)")))
        stable = stable + 1 if current == previous else 0
        if stable >= 3:
            return list(current[1])
        previous = current
        page.wait_for_timeout(150)
    raise AssertionError(f"the search results never settled: {previous}")


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- fixtures ------------------------------------------------------------------


def test_chromium_is_installed() -> None:
    """A plain failure (not a skip) saying what to install; the fixtures below say it too."""
    assert sync_playwright is not None, MISSING_PLAYWRIGHT
    assert CHROMIUM.exists(), MISSING_CHROMIUM


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(RESULTS_TIMEOUT)
    tab = Tab(page)
    page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    page.on("console", lambda msg: tab.console.append(f"{msg.type}: {msg.text}"))
    page.on("requestfailed", lambda request: tab.failed.append(f"{request.url} {request.failure}"))
    page.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    """Debian's Chromium through Playwright, or a plain failure saying what to install."""
    if sync_playwright is None:
        pytest.fail(MISSING_PLAYWRIGHT, pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The site served for the module."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("offline"), "--offline")


# --- search --------------------------------------------------------------------


def test_search_finds_another_inflection_typed_without_accents(tab: Tab, base_url: str, tmp_path: Path) -> None:
    """`moderateurs` (plural, no accents) reaches the charter of `modération`."""
    page = tab.page
    page.goto(base_url)
    open_search(page, "moderateurs")
    results = [path_of(url) for url in settled_results(page)]
    assert "/charter/moderation/" in results[:3], f"the moderation charter is not among the first results: {results}"
    # Not a prefix match: `moderateurs` is no prefix of `modération`; the search meets
    # the accent-folded words of the page by their stem.
    link = page.locator(f'{RESULT_LINKS}[href*="charter/moderation/"]').first
    link.click()
    page.wait_for_url(re.compile(r"/charter/moderation/"))
    expect(page.locator("article h1")).to_have_text(heading(front_matter_title(BUNDLED_KB / "charter" / "moderation.md")))
    expect(page.locator("article h2#no-delete")).to_be_visible()  # a rule, with its stable anchor
    page.screenshot(path=str(tmp_path / "search-moderateurs.png"), full_page=True)
    assert not tab.errors, tab.report()


def test_search_without_accents_reaches_product_safety(tab: Tab, base_url: str, tmp_path: Path) -> None:
    """`securite produit`: the kb writes `sécurité`; the product safety contact is found."""
    page = tab.page
    page.goto(base_url)
    open_search(page, "securite produit")
    results = [path_of(url) for url in settled_results(page)]
    # `produit` alone would find pages too: this one never says `produit`, only `sécurité`
    assert "/responses/question-securite-freins/" in results, f"`securite` found no page about `sécurité`: {results}"
    assert "/contacts/antoine-girard/" in results[:5], f"the product safety lead is not among the first results: {results}"
    page.locator(f'{RESULT_LINKS}[href*="contacts/antoine-girard/"]').first.click()
    page.wait_for_url(re.compile(r"/contacts/antoine-girard/"))
    expect(page.locator("article h1")).to_have_text(heading("Antoine Girard"))
    expect(page.locator("article")).to_contain_text("Responsable qualité et sécurité produit")
    page.screenshot(path=str(tmp_path / "search-securite-produit.png"), full_page=True)
    assert not tab.errors, tab.report()


# --- links both ways -----------------------------------------------------------


def test_contact_page_links_to_the_incident_that_names_it(tab: Tab, base_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(base_url + "contacts/antoine-girard/")
    expect(page.locator("article h1")).to_have_text(heading("Antoine Girard"))
    mentioned = page.locator("article h2#mentionne-dans + ul")
    expect(mentioned).to_contain_text("Incidents")
    link = mentioned.locator('a[href*="incidents/2026-04-rappel-freins"]')
    expect(link).to_have_count(1)
    title = front_matter_title(BUNDLED_KB / "incidents" / "2026-04-rappel-freins.md")
    expect(link).to_have_text(title)
    link.click()
    page.wait_for_url(re.compile(r"/incidents/2026-04-rappel-freins/$"))
    expect(page.locator("article h1")).to_have_text(heading(title))
    # and back: the incident lists the people it involved, the contact among them
    expect(page.locator('article a[href*="contacts/antoine-girard/"]').first).to_be_visible()
    page.screenshot(path=str(tmp_path / "incident.png"), full_page=True)
    assert not tab.errors, tab.report()


# --- offline, from file:// ------------------------------------------------------


def test_offline_site_searches_from_file_url(tab: Tab, offline_site: Path, tmp_path: Path) -> None:
    """No server: the index's files load as scripts, which file:// allows."""
    page = tab.page
    page.goto((offline_site / "index.html").as_uri())
    open_search(page, "moderateurs")
    try:
        results = settled_results(page)
    except Exception as exc:  # noqa: BLE001 - say why: a script that did not load, an error
        raise AssertionError(f"no search results from file://: {exc}\n{tab.report()}") from None
    assert all(url.startswith("file://") for url in results), results
    target = (offline_site / "charter" / "moderation.html").as_uri()
    assert target in [url.split("?")[0] for url in results[:3]], results
    assert not any("unpkg.com" in url for url in tab.requests), tab.requests  # no polyfill: there is no worker
    page.locator(f'{RESULT_LINKS}[href*="charter/moderation.html"]').first.click()
    page.wait_for_url(re.compile(r"/charter/moderation\.html"))
    expect(page.locator("article h1")).to_have_text(heading(front_matter_title(BUNDLED_KB / "charter" / "moderation.md")))
    page.screenshot(path=str(tmp_path / "offline-search.png"), full_page=True)
    assert not tab.errors, tab.report()


def test_offline_site_requests_nothing_from_the_internet(tab: Tab, offline_site: Path) -> None:
    page = tab.page
    page.goto((offline_site / "index.html").as_uri())
    open_search(page, "moderateurs")
    settled_results(page)
    remote = [url for url in tab.requests if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert not remote, remote


# --- index pages ------------------------------------------------------------------


def test_contacts_index_filters_and_sorts(tab: Tab, base_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.goto(base_url + "contacts/")
    rows = page.locator("article table tbody tr")
    names = page.locator("article table tbody tr td:first-child")
    expect(page.locator("article table th.ho-sortable").first).to_be_visible()  # handover.js ran
    everyone = names.all_inner_texts()
    assert len(everyone) >= 10

    def visible_names() -> list[str]:
        return [name for name, hidden in zip(names.all_inner_texts(), rows.evaluate_all("rs => rs.map(r => r.hidden)"), strict=True) if not hidden]

    box = page.locator("input.ho-filter")
    box.press_sequentially("juridique")
    expect(rows.filter(visible=True)).to_have_count(2)
    assert sorted(visible_names()) == ["Cabinet Lemaire & Associés (Me Bruno Lemaire, Me Sarah Kaci)", "Hélène Vasseur"]
    box.fill("securite")  # accents ignored: the table says `sécurité`
    expect(rows.filter(visible=True)).to_have_count(2)
    assert sorted(visible_names()) == ["Antoine Girard", "David Nguyen"]
    box.fill("")
    expect(rows.filter(visible=True)).to_have_count(len(everyone))

    # The page is built in accent-folded name order: `Équipe web` files under E.
    assert [fold(n) for n in everyone] == sorted(fold(n) for n in everyone), everyone
    assert everyone.index("Équipe web (e-commerce et site)") < everyone.index("Hugo Lefebvre")

    service_header = page.locator("article table thead th", has_text="Service")
    services = page.locator("article table tbody tr td:nth-child(3)")
    service_header.click()
    expect(service_header).to_have_attribute("aria-sort", "ascending")
    by_service = services.all_inner_texts()
    assert [fold(s) for s in by_service] == sorted(fold(s) for s in by_service), by_service
    assert names.all_inner_texts() != everyone, "sorting by service changed nothing"

    name_header = page.locator("article table thead th", has_text="Nom")
    name_header.click()
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    ascending = names.all_inner_texts()
    assert ascending == everyone, "sorting by name should restore the folded order"
    page.screenshot(path=str(tmp_path / "contacts-sorted.png"), full_page=True)
    name_header.click()
    expect(name_header).to_have_attribute("aria-sort", "descending")
    assert names.all_inner_texts() == ascending[::-1]
    assert not tab.errors, tab.report()


# --- canned responses -------------------------------------------------------------


def test_canned_response_has_a_copy_button(tab: Tab, base_url: str, tmp_path: Path) -> None:
    page = tab.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page.goto(base_url + "responses/remboursement-demande/")
    block = page.locator("article h2#texte-a-copier ~ .ho-copy-text .highlight").first
    code = block.locator("pre > code")
    text = code.inner_text().strip()
    assert text.startswith("Bonjour {prenom}"), text
    button = block.locator("button.md-clipboard, .md-code__button")
    expect(button.first).to_be_visible()
    button.first.click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == text
    # the text wraps like the message it will become: no horizontal scrolling
    assert code.evaluate("c => c.scrollWidth <= c.clientWidth + 1"), "the text to copy scrolls sideways"
    page.screenshot(path=str(tmp_path / "response.png"), full_page=True)
    assert not tab.errors, tab.report()


def test_draft_response_on_a_phone_wraps_says_draft_and_keeps_the_button_off_the_words(browser: Any, base_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(base_url + "responses/candidature-spontanee/")
        notice = page.locator("article h2#texte-a-copier + .ho-draft")
        expect(notice).to_contain_text("Brouillon")
        code = page.locator("article .ho-copy-text pre > code").first
        expect(code).to_contain_text("Bonjour {prenom}")
        assert code.evaluate("c => c.scrollWidth <= c.clientWidth + 1"), "the draft's text scrolls sideways on a phone"
        button = page.locator("article .ho-copy-text button.md-clipboard, article .ho-copy-text .md-code__button").first
        expect(button).to_be_visible()
        below = code.evaluate("""c => { const r = document.createRange(); r.selectNodeContents(c);
                                        return Math.min(...Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => x.top)); }""")
        assert button.bounding_box()["y"] + button.bounding_box()["height"] <= below + 1, "the copy button covers the first line"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
        page.screenshot(path=str(tmp_path / "draft-390.png"), full_page=True)
    finally:
        context.close()


def test_wide_tables_on_a_phone_say_they_scroll_and_record_pages_get_a_table_of_contents(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(base_url)
        expect(page.locator("article .ho-scrolls .ho-scroll-hint").first).to_be_visible()
        wrap = page.locator("article .ho-scrolls .md-typeset__scrollwrap").first
        assert wrap.get_attribute("tabindex") == "0"  # reachable with the keyboard
        page.goto(base_url + "incidents/2026-04-rappel-freins/")
        toc = page.locator("article details.ho-toc")
        expect(toc).to_be_visible()
        toc.locator("summary").click()
        assert toc.locator("a").count() >= 2
        page.set_viewport_size({"width": 1400, "height": 900})
        expect(toc).to_be_hidden()  # the sidebar shows it there
    finally:
        context.close()


# --- the handover pack, unpacked, from file:// ---------------------------------------


@pytest.fixture(scope="module")
def unpacked_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import zipfile

    out = tmp_path_factory.mktemp("pack")
    result = CliRunner().invoke(cli, ["export", "--kb", str(BUNDLED_KB), "--person", "lea-martin", "-o", str(out / "pack.zip"),
                                      "--today", KB_TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "pack.zip") as archive:
        archive.extractall(out / "unpacked")
    (root,) = (out / "unpacked").iterdir()
    return root


def test_pack_opens_from_file_and_its_site_searches(tab: Tab, unpacked_pack: Path, tmp_path: Path) -> None:
    """The outgoing intern's pack, as the newcomer opens it: HANDOVER.html, a link into
    the shipped site, and a search there, all from file:// with nothing fetched."""
    page = tab.page
    page.goto((unpacked_pack / "HANDOVER.html").as_uri())
    expect(page.locator("h1")).to_have_text("Passation de Léa Martin")
    page.locator('a[href="site/accounts/tiktok-cyclesmorvan.html"]').first.click()
    page.wait_for_url(re.compile(r"/site/accounts/tiktok-cyclesmorvan\.html$"))
    expect(page.locator("article h1")).to_contain_text("@cyclesmorvan")
    open_search(page, "boycott")
    results = settled_results(page)
    target = (unpacked_pack / "site" / "incidents" / "2025-03-appel-boycott.html").as_uri()
    assert target in [url.split("?")[0] for url in results[:5]], results
    remote = [url for url in tab.requests if not url.startswith(("file:", "data:", "blob:", "about:"))]
    assert not remote, remote
    page.screenshot(path=str(tmp_path / "pack-search.png"), full_page=True)
    assert not tab.errors, tab.report()


def test_the_pack_read_as_a_newcomer_would(tab: Tab, unpacked_pack: Path, tmp_path: Path) -> None:
    """HANDOVER.html in Chromium, read top to bottom: the checklist comes first, Facebook
    is an access to revoke and not an orphan, dates and agreements read as French, every
    open action is there, and the guide leads to the responses offline."""
    page = tab.page
    page.goto((unpacked_pack / "HANDOVER.html").as_uri())
    headings = page.locator("h2").all_inner_texts()
    assert headings[0] == "Liste de départ"
    assert headings[1:3] == ["Deviendra orphelin : personne n'est désigné pour le reprendre", "Accès à retirer : le compte garde ses responsables"]
    assert "Actions de suivi ouvertes, tous incidents confondus" in headings and "Trouver la réponse type d'une situation, hors ligne" in headings
    body = page.locator("body").inner_text()
    assert "part le 18 décembre 2026" in body and "Établi le 21 novembre 2026" in body
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", body.split("Changements pendant son passage")[0])
    assert "détenue par Léa Martin, méthode SMS" in body and "détenu par" not in body
    orphaned = page.locator("h2:has-text('Deviendra orphelin') + ul").inner_text()
    revoke = page.locator("h2:has-text('Accès à retirer') + p + ul").inner_text()
    assert "Facebook" not in orphaned and "Facebook cyclesmorvan" in revoke
    checklist = page.locator("h2:has-text('Liste de départ') ~ ul").first.inner_text()
    assert "basculer la double authentification" in checklist and "team/lea-martin:email" in checklist
    actions = page.locator("h2:has-text('Actions de suivi ouvertes') + ul > li").all_inner_texts()
    assert len(actions) == 9 and sum("en retard" in a for a in actions) == 1
    # the guide says where the responses are: that page opens from file://, with its filter
    page.goto((unpacked_pack / "site" / "responses" / "index.html").as_uri())
    page.locator("input.ho-filter").fill("tiktok")  # the filter works from file:// too (it did not before)
    expect(page.locator("article tbody tr:visible")).to_have_count(5)
    assert all("TikTok" in row for row in page.locator("article tbody tr:visible").all_inner_texts())
    page.screenshot(path=str(tmp_path / "pack-responses.png"), full_page=True)
    assert not tab.errors, tab.report()
