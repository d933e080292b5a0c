"""End-to-end audit of every page of the bundled site, internal and public, in Chromium.

Each page is opened once (served over HTTP on 127.0.0.1), with axe-core run on it
(WCAG 2.0/2.1 A and AA rules) and every request the page made recorded:
- handover's own content (what is inside Material's `.md-content`: the pages handover
  writes, its tables, filters and alerts; and its search box in the header, audited
  with results open on the sample pages) must have no critical or serious violation;
  what axe finds in Material's chrome (header, navigation, search, footer) is listed
  apart, in the summary these tests print and in `axe-AUDIENCE-chrome.json`;
- no request may leave the site while a page loads (no web fonts, no scripts, nothing
  from a third party: the reader's address is nobody else's business).

axe-core is the copy pinned inside the `axe-playwright-python` package (test extra):
no download at test time. A sample of pages is audited again with the system's dark
mode on (the palette follows it) and at a phone's width. Index pages are audited with
a column sorted.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sitehttp import serving
from test_site_e2e import build

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
# Pages audited again in the dark scheme and at a phone's width (390 px): the home, an
# account, a response (the draft one too), an incident, an index page, a contact and the
# changes page.
SAMPLE = ("index.html", "accounts/instagram-cyclesmorvan/index.html", "responses/remboursement-demande/index.html",
               "responses/candidature-spontanee/index.html", "incidents/2026-04-rappel-freins/index.html",
               "contacts/index.html", "contacts/antoine-girard/index.html", "changes/index.html")

# Runs in the page: axe on the whole document, each failing node told apart as
# handover's (inside .md-content, or its search box and results) or Material's chrome.
AUDIT = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const found = [];
  for (const rule of results.violations) {
    for (const node of rule.nodes) {
      let element = null;
      try { element = document.querySelector(node.target[node.target.length - 1]); } catch (e) { element = null; }
      found.push({rule: rule.id, impact: node.impact || rule.impact, target: node.target.join(" "),
                  html: node.html.slice(0, 240), summary: (node.failureSummary || "").slice(0, 400),
                  ours: !!(element && element.closest(".md-content, .ho-search"))});
    }
  }
  return found;
}"""


@dataclass
class Finding:
    page: str
    scheme: str
    rule: str
    impact: str
    target: str
    html: str
    summary: str
    ours: bool

    def line(self) -> str:
        return f"{self.page} [{self.scheme}] {self.impact} {self.rule}: {self.target} {self.html}\n    {self.summary}"


@dataclass
class Audit:
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    outside: dict[str, list[str]] = field(default_factory=dict)  # page -> requests that left the site

    def counts(self, ours: bool) -> Counter[str]:
        return Counter(f.impact for f in self.findings if f.ours == ours)

    def summary(self, audience: str) -> str:
        ours, chrome = self.counts(True), self.counts(False)
        rules = Counter(f"{f.impact} {f.rule}" for f in self.findings if not f.ours)
        return (f"axe on {len(self.pages)} {audience} pages: handover's content {dict(ours)}; "
                f"Material's chrome {dict(chrome)} ({', '.join(f'{n}× {r}' for r, n in rules.most_common())})")


def audit_site(browser: Any, site: Path, out: Path, audience: str) -> Audit:
    axe_js = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    audit = Audit(pages=pages)
    sample = [p for p in SAMPLE if p in pages]
    with serving(site) as url:
        origin = url.rstrip("/")
        for scheme, width, audited in (("light", 1280, pages), ("dark", 1280, sample), ("phone", 390, sample)):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR", color_scheme="dark" if scheme == "dark" else "light")
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request, seen=requests: seen.append(request.url))
            for relative in audited:
                requests.clear()
                page.goto(f"{origin}/{relative}", wait_until="load")
                left = [url for url in requests if urlsplit(url).scheme not in ("data", "blob", "about") and not url.startswith(origin + "/")]
                if left:
                    audit.outside[relative] = left
                sort = page.locator("article th > button.ho-sort")
                if sort.count():  # audit a sorted table, as a reader leaves it
                    sort.first.click()
                if relative in sample:  # and the search box with its results open
                    page.locator("#ho-search-input").fill("vélo")
                    page.wait_for_selector("a.ho-search__result")  # every audience's site has pages about bikes
                page.add_script_tag(content=axe_js)
                for found in page.evaluate(AUDIT, WCAG_TAGS):
                    audit.findings.append(Finding(page=relative, scheme=scheme, **found))
            context.close()
    for name, ours in (("content", True), ("chrome", False)):
        found = [f.__dict__ for f in audit.findings if f.ours == ours]
        (out / f"axe-{audience}-{name}.json").write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    return audit


@pytest.fixture(scope="module", params=["internal", "public"])
def audited(request: pytest.FixtureRequest, browser: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Audit]:
    audience = request.param
    site = build(tmp_path_factory.mktemp(f"audit-{audience}"), "--audience", audience)
    audit = audit_site(browser, site, site.parent, audience)
    print(audit.summary(audience))  # Material's chrome, listed apart (pytest -s shows it)
    return audience, audit


def test_every_page_was_audited(audited: tuple[str, Audit]) -> None:
    audience, audit = audited
    assert "index.html" in audit.pages
    assert len(audit.pages) >= (80 if audience == "internal" else 5), audit.pages


def test_no_critical_or_serious_violation_in_handovers_content(audited: tuple[str, Audit]) -> None:
    audience, audit = audited
    blocking = [f for f in audit.findings if f.ours and f.impact in BLOCKING]
    rules = Counter(f"{f.impact} {f.rule}" for f in blocking)
    shown = "\n".join(f.line() for f in blocking[:25])
    assert not blocking, f"{audience}: {len(blocking)} critical/serious nodes in handover's content {dict(rules)}\n{shown}\n{audit.summary(audience)}"


def test_no_request_leaves_the_site_when_a_page_loads(audited: tuple[str, Audit]) -> None:
    audience, audit = audited
    assert not audit.outside, f"{audience}: requests to other sites: " + json.dumps(dict(list(audit.outside.items())[:5]), indent=1)
