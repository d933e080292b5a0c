"""The broken-file corpus: one case per problem `handover validate` must find.

tests/corpus/valid/ is a small, complete knowledge base that passes
`handover validate --strict` with no problem at all. Each folder of
tests/corpus/broken/ holds files to lay over a copy of it (replacing a valid file or
adding one); the few cases that need odd bytes, huge files or links are written by
the GENERATED functions below instead of being committed. EXPECT says, for every
case, exactly which problems the validator must report: the file (relative to the
knowledge base), the code, the 1-based line and column, and optionally a piece of
the message. Because the valid base is clean, every problem reported comes from the
overlay, so the expected list is compared exactly.

Exit codes: 1 when a case has an error; a case with warnings only exits 0, and 1
under --strict. No case may end in a Python traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from handover.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
VALID = CORPUS / "valid"
BROKEN = CORPUS / "broken"
TODAY = "2026-11-21"


@dataclass(frozen=True)
class Expect:
    """One problem the validator must report."""

    file: str  # relative to the knowledge base, with '/'
    code: str
    line: int
    col: int
    says: str = ""  # a piece of the message, when the message itself matters

    @property
    def key(self) -> tuple[str, str, int, int]:
        return (self.file, self.code, self.line, self.col)

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")


# --------------------------------------------------------------------------------------
# Cases written in the test (odd bytes, huge files, links, line endings).
# --------------------------------------------------------------------------------------

VALID_CONTACT = "name: {name}\norganization: Example Corp\ndepartment: legal\nchannels:\n  email: contact@example.org\n"


def _write(kb: Path, relative: str, data: bytes) -> None:
    path = kb / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def gen_bom_accepted(kb: Path) -> None:
    _write(kb, "contacts/with-bom.yml", b"\xef\xbb\xbf" + VALID_CONTACT.format(name="With Bom").encode())


def gen_bom_accepted_markdown(kb: Path) -> None:
    path = kb / "responses/thanks-praise.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def gen_invalid_utf8(kb: Path) -> None:
    # A Latin-1 é (0xe9) in a UTF-8 file: column 10 of line 1.
    _write(kb, "contacts/latin1.yml", b"name: Ren\xe9 Dubois\norganization: Example Corp\ndepartment: legal\nchannels:\n  email: rene@example.org\n")


def gen_invalid_utf8_after_accent(kb: Path) -> None:
    # Line 2 mixes UTF-8 accents (Soci\xc3\xa9t\xc3\xa9) and a Latin-1 one: the bad byte is
    # the 24th character of the line (the 26th byte). Columns count characters.
    _write(kb, "contacts/mixed-encoding.yml", b"name: Mixed Encoding\norganization: Soci\xc3\xa9t\xc3\xa9 G\xe9n\xe9rale\ndepartment: legal\nchannels:\n  email: mixed@example.org\n")


def gen_file_too_large(kb: Path) -> None:
    filler = "  " + "All work and no play makes a very long record. " * 20 + "\n"
    text = VALID_CONTACT.format(name="Huge") + "notes: |\n" + filler * (1_000_000 // len(filler) + 10)
    assert len(text.encode()) > 1_000_000
    _write(kb, "contacts/huge.yml", text.encode())


def gen_control_character(kb: Path) -> None:
    # A NUL byte is valid UTF-8 but not allowed in YAML: column 10 of line 1.
    _write(kb, "contacts/nul-byte.yml", b"name: Nul\x00Byte\norganization: Example Corp\ndepartment: legal\nchannels:\n  email: nul@example.org\n")


def gen_crlf_error_position(kb: Path) -> None:
    text = VALID_CONTACT.format(name="Windows Line Endings") + "last_contact: 2026-02-30\n"
    _write(kb, "contacts/crlf.yml", text.replace("\n", "\r\n").encode())


def gen_crlf_markdown_placeholder(kb: Path) -> None:
    path = kb / "responses/thanks-praise.md"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\nSee you soon, {first_name}.\n"
    path.write_bytes(text.replace("\n", "\r\n").encode())


def gen_link_outside(kb: Path) -> None:
    outside = kb.parent / "outside.yml"
    outside.write_text(VALID_CONTACT.format(name="Outside"), encoding="utf-8")
    os.symlink(outside, kb / "contacts/outside.yml")


def gen_dangling_link(kb: Path) -> None:
    os.symlink("no-such-file.yml", kb / "contacts/dangling.yml")


GENERATED: dict[str, Callable[[Path], None]] = {
    "bom-accepted": gen_bom_accepted,
    "bom-accepted-markdown": gen_bom_accepted_markdown,
    "invalid-utf8": gen_invalid_utf8,
    "invalid-utf8-after-accent": gen_invalid_utf8_after_accent,
    "file-too-large": gen_file_too_large,
    "control-character": gen_control_character,
    "crlf-error-position": gen_crlf_error_position,
    "crlf-markdown-placeholder": gen_crlf_markdown_placeholder,
    "link-outside": gen_link_outside,
    "dangling-link": gen_dangling_link,
}

# --------------------------------------------------------------------------------------
# What each case must report. Lines and columns are 1-based; the column is where the
# offending value starts (the key, for unknown fields); a problem about the record as
# a whole (missing field, bad file) is at 1:1. Markdown lines count from the file's
# first line, the opening '---'.
# --------------------------------------------------------------------------------------

E = Expect
EXPECT: dict[str, list[Expect]] = {
    # ---- files and YAML syntax ---------------------------------------------------------
    "yaml-syntax-error": [E("contacts/syntax-error.yml", "E101", 2, 22, "mapping values are not allowed")],
    "md-front-matter-syntax-error": [E("responses/thanks-praise.md", "E101", 2, 14)],
    "duplicate-key": [E("contacts/duplicate-key.yml", "E104", 6, 1, 'duplicate key "department" (first at line 3)')],
    "duplicate-key-nested": [E("contacts/duplicate-nested.yml", "E104", 6, 3, 'duplicate key "email" (first at line 5)')],
    "anchor": [E("contacts/anchor.yml", "E105", 2, 15, "anchor &org")],
    "alias": [E("contacts/alias.yml", "E105", 2, 15, "anchor &org"), E("contacts/alias.yml", "E105", 4, 7, "alias *org")],
    # The refused merge key stays in the data as a key named "<<", hence the W220 too.
    "merge-key": [E("contacts/merge-key.yml", "E105", 5, 3, "merge key")],  # one report per mistake: no W220 for "<<"
    "tab-indentation": [E("contacts/tab-indent.yml", "E103", 5, 1)],
    "md-tab-in-front-matter": [E("responses/thanks-praise.md", "E103", 4, 1)],
    "tab-in-block-scalar-accepted": [],  # a tab inside a literal block's text is content, not indentation
    "document-markers-accepted": [],  # an explicit '---' start and '...' end around the one document
    "bom-accepted": [],
    "bom-accepted-markdown": [],
    "invalid-utf8": [E("contacts/latin1.yml", "E102", 1, 10, "0xe9")],
    "invalid-utf8-after-accent": [E("contacts/mixed-encoding.yml", "E102", 2, 24, "0xe9")],
    "control-character": [E("contacts/nul-byte.yml", "E101", 1, 10)],
    "two-documents": [E("contacts/two-documents.yml", "E106", 6, 1)],
    "top-level-list": [E("contacts/top-level-list.yml", "E107", 1, 1, "a list")],
    "top-level-scalar": [E("contacts/top-level-scalar.yml", "E107", 1, 1, "a single value")],
    "empty-file": [E("contacts/empty.yml", "E112", 1, 1)],
    "md-no-front-matter": [E("responses/no-front-matter.md", "E108", 1, 1, "no front matter")],
    "md-unterminated-front-matter": [E("responses/unterminated.md", "E108", 1, 1, "not closed")],
    "deep-flow-list": [E("contacts/deep-flow.yml", "E109", 6, 38)],
    "deep-block-mapping": [E("contacts/deep-block.yml", "E109", 38, 65)],
    "md-deep-front-matter": [E("incidents/delivery-storm.md", "E109", 6, 38)],
    "file-too-large": [E("contacts/huge.yml", "E110", 1, 1)],
    "unsupported-tag": [E("contacts/local-tag.yml", "E114", 6, 8, "!vault")],
    "crlf-error-position": [E("contacts/crlf.yml", "E204", 6, 15)],
    "bad-file-name": [E("team/Lea_Martin.yml", "E111", 1, 1, "lea-martin.yml")],
    "link-outside": [E("contacts/outside.yml", "E111", 1, 1, "outside the knowledge base")],
    "dangling-link": [E("contacts/dangling.yml", "E100", 1, 1)],
    # ---- YAML 1.1 traps and impossible dates ---------------------------------------------
    "trap-bool-no": [E("influencers/norway-rider.yml", "E202", 5, 11, '"no" was read as a boolean')],
    "trap-bool-yes": [E("contacts/trap-yes.yml", "E202", 6, 9, '"yes" was read as a boolean')],
    "trap-bool-on": [E("contacts/trap-on.yml", "E202", 6, 15, '"on" was read as a boolean')],
    "trap-octal-phone": [E("contacts/octal-phone.yml", "E201", 6, 10, '"0612345670" was read as a number')],
    "trap-plus-integer": [E("contacts/plus-integer.yml", "E201", 6, 11, '"+33612345678" was read as a number')],
    "trap-sexagesimal": [E("contacts/sexagesimal.yml", "E203", 6, 15, "750")],
    "impossible-date": [E("contacts/impossible-date.yml", "E204", 6, 15, "2026-02-30")],
    # ---- values and fields -----------------------------------------------------------------
    "missing-required": [E("contacts/missing-department.yml", "E210", 1, 1, '"department"')],
    "wrong-type-list": [E("contacts/wrong-type.yml", "E211", 6, 7, "expected text, found a list")],
    "enum-did-you-mean": [E("team/chloe-dupont.yml", "E212", 6, 9, 'did you mean "active"')],
    "bad-email": [E("contacts/bad-email.yml", "E213", 5, 10)],
    "bad-url": [E("accounts/instagram-testbikes.yml", "E214", 3, 6)],
    "bad-phone-national": [E("contacts/national-phone.yml", "E215", 6, 10, "international format")],
    "bad-duration": [E("contacts/bad-duration.yml", "E217", 6, 15, "90d")],
    "bad-cadence": [E("accounts/x-testbikes.yml", "E217", 8, 10, "3/week")],
    "bad-handle": [E("accounts/x-testbikes.yml", "E218", 2, 9)],
    "bad-date-format": [E("contacts/bad-date.yml", "E216", 6, 15, "YYYY-MM-DD")],
    # A malformed id is reported as such, and as unknown with the close match to use.
    "bad-reference-id": [
        E("contacts/bad-reference.yml", "E219", 6, 8, "not a valid id"),  # reported once, not again as E301
    ],
    "unknown-field": [E("contacts/legal-desk.yml", "W220", 10, 1, 'did you mean "last_contact"')],
    "md-unknown-field": [E("responses/refund-request.md", "W220", 9, 1, 'did you mean "approved_on"')],
    "tier-disagrees": [E("influencers/city-rider.yml", "W230", 6, 7, 'gives "micro"')],
    "severity-out-of-range": [E("incidents/delivery-storm.md", "E221", 5, 11)],
    "incident-ended-before-started": [E("incidents/delivery-storm.md", "E222", 4, 8)],
    # ---- references and uniqueness ---------------------------------------------------------
    "unknown-owner": [E("contacts/unknown-owner.yml", "E301", 6, 8, 'did you mean "alice-martin"')],
    "unknown-rule": [E("responses/thanks-praise.md", "E302", 6, 23, 'did you mean "no-delete"')],
    "incident-unknown-influencer": [E("incidents/delivery-storm.md", "E301", 9, 29, "influencers/ghost-rider")],
    "duplicate-handle-account": [E("accounts/old-instagram.yml", "E304", 2, 9, "instagram-testbikes.yml")],
    "duplicate-handle-influencer": [E("influencers/copycat.yml", "E304", 3, 14, "city-rider.yml")],
    "duplicate-handle-contact": [E("contacts/press-jane.yml", "E304", 7, 6, "jane-doe.yml")],
    "duplicate-rule-id": [E("charter/tone.md", "E303", 12, 21, 'rule id "reply-fast"')],
    "duplicate-record-id": [E("contacts/archive/legal-desk.yml", "E303", 1, 1, 'id "legal-desk"')],
    "duplicate-list-item": [E("contacts/duplicate-item.yml", "E303", 6, 30, '"legal" is listed twice')],
    # ---- continuity ------------------------------------------------------------------------
    "no-owner": [E("accounts/x-testbikes.yml", "E305", 1, 1)],
    "no-backup": [E("accounts/x-testbikes.yml", "E306", 1, 1)],
    "backup-is-owner": [E("accounts/x-testbikes.yml", "E307", 7, 9)],
    "no-cadence": [E("accounts/x-testbikes.yml", "W308", 4, 9)],
    "successor-is-self": [E("team/chloe-dupont.yml", "E308", 8, 12)],
    "owner-left-status": [E("contacts/orphan.yml", "E309", 6, 8, '"dan-left" has left')],
    "owner-end-passed": [E("contacts/orphan.yml", "E309", 6, 8, '"eve-ended" left on 2026-10-31')],
    "owner-leaving": [
        E("contacts/fred-contact.yml", "W310", 6, 8, '"fred-leaving" leaves on 2026-12-18'),
        E("team/fred-leaving.yml", "W311", 5, 6, "contacts/fred-contact (owner)"),
    ],
    # ---- freshness -------------------------------------------------------------------------
    "review-overdue": [E("contacts/legal-desk.yml", "W401", 11, 14, "2026-07-09")],
    "review-in-future": [E("contacts/legal-desk.yml", "W406", 11, 14)],
    "old-audience-account": [E("accounts/instagram-testbikes.yml", "W402", 18, 10)],
    "old-audience-influencer": [E("influencers/city-rider.yml", "W402", 9, 40)],
    "silent-relationship": [E("contacts/jane-doe.yml", "W404", 10, 15)],
    "retention-passed": [E("contacts/jane-doe.yml", "W405", 11, 15)],
    # ---- charter and responses ---------------------------------------------------------------
    "charter-heading-without-id": [E("charter/moderation.md", "W504", 24, 1)],
    "charter-bad-rule-id": [E("charter/moderation.md", "E219", 24, 14, '"Be_Kind"')],
    "undeclared-placeholder": [E("responses/thanks-praise.md", "E501", 14, 15, "{first_name}")],
    "crlf-markdown-placeholder": [E("responses/thanks-praise.md", "E501", 14, 15, "{first_name}")],
    "unused-variable": [E("responses/thanks-praise.md", "W502", 10, 3, '"name"')],
    "too-long-for-x": [E("responses/refund-request.md", "E503", 4, 34, "allows 280")],
    "approved-by-nobody": [E("responses/thanks-praise.md", "W505", 7, 9)],
    "empty-response": [E("responses/thanks-praise.md", "E506", 12, 1)],
    # ---- handover.yml ------------------------------------------------------------------------
    "config-bad-limit": [E("handover.yml", "E010", 7, 24, "platforms.x.limit")],
    "config-bad-duration": [E("handover.yml", "E010", 17, 17, "leaving_window")],
    "config-unknown-key": [E("handover.yml", "W220", 17, 1, 'did you mean "leaving_window"')],
}

DISK_CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
ALL_CASES = sorted(set(DISK_CASES) | set(GENERATED))


def build_case(name: str, tmp_path: Path) -> Path:
    """A copy of the valid knowledge base with the case laid over it."""
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    if name in GENERATED:
        GENERATED[name](kb)
    else:
        shutil.copytree(BROKEN / name, kb, dirs_exist_ok=True)
    return kb


def relative(path: str, kb: Path) -> str:
    """A reported path relative to the knowledge base (links are not followed)."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(kb))).as_posix()


def validate(kb: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(cli, ["validate", str(kb), "--today", TODAY, "--format", "json", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crashed: {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output
    payload = json.loads(result.stdout)
    return result.exit_code, payload["problems"]


def found(problems: list[dict[str, object]], kb: Path) -> set[tuple[str, str, int, int]]:
    return {(relative(str(p["path"]), kb), str(p["code"]), int(p["line"]), int(p["col"])) for p in problems}  # type: ignore[call-overload]


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------


def test_every_case_has_an_expectation_and_vice_versa():
    assert set(ALL_CASES) == set(EXPECT), "cases without expectations, or expectations without a case"
    assert not set(DISK_CASES) & set(GENERATED)


def test_corpus_is_large_enough():
    broken = [name for name in ALL_CASES if EXPECT[name]]
    assert len(broken) >= 40
    codes = {e.code for name in broken for e in EXPECT[name]}
    assert len(codes) >= 40


def test_valid_kb_passes_strict(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    code, problems = validate(kb, "--strict")
    assert problems == []
    assert code == 0


@pytest.mark.parametrize("case", ALL_CASES)
def test_case(case: str, tmp_path: Path):
    kb = build_case(case, tmp_path)
    expected = EXPECT[case]
    code, problems = validate(kb)
    actual = found(problems, kb)

    missing = [e.key for e in expected if e.key not in actual]
    unexpected = sorted(actual - {e.key for e in expected})
    assert not missing and not unexpected, (
        f"missing: {missing}\nunexpected: {unexpected}\nreported:\n"
        + "\n".join(f"  {relative(str(p['path']), kb)}:{p['line']}:{p['col']} {p['code']} {p['message']}" for p in problems)
    )
    for e in expected:
        problem = next(p for p in problems if (relative(str(p["path"]), kb), p["code"], p["line"], p["col"]) == e.key)
        assert problem["severity"] == ("error" if e.is_error else "warning")
        assert e.says in str(problem["message"]), f"{e.code}: {problem['message']!r} should say {e.says!r}"

    if any(e.is_error for e in expected):
        assert code == 1
    else:  # warnings only (or nothing): they pass, unless --strict
        assert code == 0
        strict_code, _ = validate(kb, "--strict")
        assert strict_code == (1 if expected else 0)


# A few cases as a real process: exit codes, GNU lines on stdout, nothing on stderr
# that looks like a traceback.
PROCESS_CASES = {
    "yaml-syntax-error": (1, "kb/contacts/syntax-error.yml:2:22: error E101 "),
    "invalid-utf8": (1, "kb/contacts/latin1.yml:1:10: error E102 "),
    "deep-flow-list": (1, "kb/contacts/deep-flow.yml:6:38: error E109 "),
    "file-too-large": (1, "kb/contacts/huge.yml:1:1: error E110 "),
    "trap-octal-phone": (1, "kb/contacts/octal-phone.yml:6:10: error E201 "),
    "owner-leaving": (0, "kb/contacts/fred-contact.yml:6:8: warning W310 "),
}


@pytest.mark.parametrize("case", sorted(PROCESS_CASES))
def test_case_as_a_process(case: str, tmp_path: Path):
    build_case(case, tmp_path)
    expected_code, line_start = PROCESS_CASES[case]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("HANDOVER_DEBUG", None)
    env.pop("HANDOVER_KB", None)
    for strict in (False, True):
        args = [sys.executable, "-m", "handover", "validate", "kb", "--today", TODAY] + (["--strict"] if strict else [])
        proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
        assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
        assert "internal error" not in proc.stderr
        assert proc.returncode == (1 if strict else expected_code), proc.stdout + proc.stderr
        assert any(line.startswith(line_start) for line in proc.stdout.splitlines()), proc.stdout


def test_valid_kb_as_a_process(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    proc = subprocess.run(
        [sys.executable, "-m", "handover", "validate", "kb", "--strict", "--today", TODAY],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("0 errors, 0 warnings in 13 records")
    assert proc.stderr == ""
