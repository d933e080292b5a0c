"""serve's kept checks never hide a change (issue 15, item 3).

`handover serve` checks again, on a rebuild, only the records whose file changed
(checks/memo.py). After each edit below, on a copy of the bundled kb, the report
made with the memo must be exactly the report made from scratch, and the memo must
have checked again only what changed (an edit that adds, deletes or renames a record
or a charter rule checks every record's references again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fileedits import edit

from handover.checks import run_checks
from handover.checks.memo import CheckMemo
from handover.records.model import ParsedCache, load_kb

DAY = dt.date(2026, 12, 2)
TOKEN = "ghp_R2d2C3poR2d2C3poR2d2C3poR2d2C3po1234"


EDITS: dict[str, Callable[[Path], None]] = {
    "a field made invalid": lambda kb: edit(kb / "contacts/camille-rey.yml", r"^department: .*$", "department: [not, a, department]"),
    "a token written in a record": lambda kb: edit(kb / "contacts/camille-rey.yml", r"^name: .*$", f"name: Camille Rey\nnotes: jeton {TOKEN}"),
    "a YAML error": lambda kb: edit(kb / "contacts/camille-rey.yml", r"^name: .*$", "name: [Camille"),
    "a response too long for TikTok": lambda kb: edit(kb / "responses/compte-pirate-court.md", r"\Z", "\n" + "Un texte bien trop long. " * 20),
    "a contact deleted": lambda kb: (kb / "contacts/camille-rey.yml").unlink(),
    "a contact added, with a bad department": lambda kb: (kb / "contacts/nouveau-contact.yml").write_text(
        "name: Nouveau Contact\ndepartment: nowhere\nreviewed_on: 2026-11-01\n", encoding="utf-8"),
    "a charter rule's id changed": lambda kb: edit(kb / "charter/escalade.md", r"\{#reply-fast\}", "{#reply-quickly}"),
    "handover.yml: TikTok's limit lowered": lambda kb: edit(kb / "handover.yml", r"^  tiktok: \{label: TikTok, limit: 150\}$",
                                                           "  tiktok: {label: TikTok, limit: 40}"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_kept_checks_equal_checks_from_scratch(kb_copy: Path, what: str):
    cache: ParsedCache = {}
    memo = CheckMemo()
    before = run_checks(load_kb(str(kb_copy), cache), DAY, memo)
    assert memo.computed > 50  # the first run checks every record
    assert run_checks(load_kb(str(kb_copy), cache), DAY, memo).problems == before.problems
    assert memo.computed == 0  # nothing changed: nothing checked again
    EDITS[what](kb_copy)
    kept = run_checks(load_kb(str(kb_copy), cache), DAY, memo)
    scratch = run_checks(load_kb(str(kb_copy)), DAY)
    assert kept.problems == scratch.problems
    assert kept.problems != before.problems, "the edit changed nothing the checks see"
    if what.startswith(("a field", "a token", "a response")):  # the same files, ids and rules (a YAML error unlists the record)
        assert memo.computed <= 4  # only the edited record (each family keeps its own entry)
