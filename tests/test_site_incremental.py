"""serve's incremental pages equal a full generation (issue 15, item 3).

`handover serve` renders again only the pages of the records edited and of the
records linked to them; every other page is the previous build's. For each edit
below, on a copy of the bundled kb: the incremental site must be exactly the site
generated from scratch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fileedits import edit

from handover.records.model import ParsedCache, load_kb
from handover.site.pages.generate import GeneratedSite, generate

DAY = dt.date(2026, 12, 2)


def full(root: Path) -> GeneratedSite:
    kb = load_kb(str(root))
    return generate(kb, "internal", DAY, [], inputs=(kb.config,))


EDITS: dict[str, Callable[[Path], None]] = {
    "a team member renamed (owner of accounts, successor)": lambda kb: edit(kb / "team/karim-benali.yml", r"^name: .*$", "name: Karim Benali-Renommé"),
    "the leaver's end date": lambda kb: edit(kb / "team/lea-martin.yml", r"^end: .*$", "end: 2026-12-10"),
    "an account's owner": lambda kb: edit(kb / "accounts/tiktok-cyclesmorvan.yml", r"^owner: .*$", "owner: karim-benali"),
    "a charter rule's title": lambda kb: edit(next((kb / "charter").glob("*.md")), r"^## (.*)\{#", r"## Renamed \1{#"),
    "a contact deleted": lambda kb: (kb / "contacts/sophie-lambert.yml").unlink(),
    "a contact hidden": lambda kb: edit(kb / "contacts/sophie-lambert.yml", r"^name: ", "visibility: restricted\nname: "),
    "an incident's severity": lambda kb: edit(kb / "incidents/2025-03-appel-boycott.md", r"^severity: 1$", "severity: 3"),
    "an influencer renamed": lambda kb: edit(kb / "influencers/cargo-papa.yml", r"^name: .*$", "name: Cargo Papa Bis"),
    # what the leaver holds changes: her page, the dashboard and the departure views list it
    "a contact handed over by the leaver": lambda kb: edit(kb / "contacts/lyon-a-bicyclette.yml", r"^owner: .*$", "owner: julien-roux"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_incremental_pages_equal_a_full_generation(kb_copy: Path, what: str):
    cache: ParsedCache = {}
    before_kb = load_kb(str(kb_copy), cache)
    before = generate(before_kb, "internal", DAY, [], inputs=(before_kb.config,))
    before_refs = {r.ref for r in before_kb.all_records()}
    EDITS[what](kb_copy)
    after_kb = load_kb(str(kb_copy), cache)
    assert after_kb.reparsed is not None and len(after_kb.reparsed) <= 1
    refs = {r.ref for r in after_kb.all_records()}
    changed = {r.ref for r in after_kb.all_records() if str(r.path) in after_kb.reparsed} | (before_refs - refs)
    assert changed, "the edit was not seen"
    incremental = generate(after_kb, "internal", DAY, [], previous=before, changed=changed, inputs=(after_kb.config,))
    expected = full(kb_copy)
    assert set(incremental.pages) == set(expected.pages)
    stale = [uri for uri in expected.pages if incremental.pages[uri] != expected.pages[uri]]
    assert stale == []
    assert incremental.assets == expected.assets  # the search index, from reused and new documents alike
    assert incremental.pages != before.pages
    reused = sum(1 for uri, page in incremental.pages.items() if page is before.pages.get(uri))
    # the weekly reports sum up the whole knowledge base: they are made again each time
    reusable = [uri for uri in expected.pages if not uri.startswith("reports/")]
    kept_rows = sum(1 for ref, row in incremental.rows.items() if row is before.rows.get(ref))
    assert kept_rows >= len(before.rows) // 3, f"only {kept_rows} of {len(before.rows)} index rows were reused"
    assert reused >= len(reusable) // 3, f"only {reused} of {len(reusable)} pages were reused"  # a hub (Karim) touches many
