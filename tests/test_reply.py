"""handover reply: the text ready to paste, values, fallbacks, and platform lengths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from conftest import BUNDLED_KB, write

from handover.checks import run_checks
from handover.cli import cli
from handover.records.model import load_kb
from handover.records.replies import links, platform_length, x_length


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_reply_fills_values_then_fallbacks_and_says_when_an_example_is_used():
    result = run("reply", "sav-rendez-vous", "--kb", str(BUNDLED_KB), "--var", "prenom=Paul", "--var", "modele=Croix-Rousse")
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert text.startswith("Bonjour Paul, pour entretenir ou réparer votre Croix-Rousse,")
    assert text.endswith("L'équipe Cycles Morvan")  # signature: its fallback, not the example "Julien"
    assert "{" not in text
    # lien has no fallback: its default is used, and the person pasting is told.
    assert "https://www.cycles-morvan.fr/sav/rendez-vous" in text
    assert 'note: {lien} is the example value' in result.stderr
    assert "note: also alert service-client" in result.stderr
    assert "\n" not in text and "note:" not in result.stdout  # stdout is only the text


def test_reply_checks_the_chosen_platform(tmp_path: Path):
    kb = tmp_path / "kb"
    write(kb, "handover.yml", "community: T\nplatforms:\n  x: {label: X, limit: 280}\n  tiktok: {label: TikTok, limit: 150}\n")
    write(kb, "responses/long.md", "---\ntitle: Long\nwhen: [a]\nplatforms: [x, tiktok]\nlanguage: en\ncharter: [r]\nstatus: draft\n"
          "variables:\n  name:\n    description: Name\n    default: Sam\n---\n\nHello {name}, " + "word " * 40 + "\n")
    expected = ("Hello Al, " + "word " * 40).strip()
    assert 150 < len(expected) < 280
    fine = run("reply", "long", "--kb", str(kb), "--var", "name=Al", "-p", "x")
    assert fine.exit_code == 0, fine.output
    assert fine.stdout == expected + "\n"
    assert f"fits X: {len(expected)}/280 characters (a link counts 23)" in fine.stderr
    assert "note: long is a draft, not approved yet" in fine.stderr
    too_long = run("reply", "long", "--kb", str(kb), "--var", "name=Al", "-p", "tiktok")
    assert too_long.exit_code == 1
    assert too_long.stdout.startswith("Hello Al, word")  # still printed, to shorten by hand
    assert f"too long for TikTok: {len(expected)}/150 characters" in too_long.stderr
    # Without --platform: every listed platform is reported, and nothing fails.
    both = run("reply", "long", "--kb", str(kb))
    assert both.exit_code == 0 and "fits X" in both.stderr and "too long for TikTok" in both.stderr


def test_x_counts_every_link_as_23_and_validate_agrees(tmp_path: Path):
    kb = tmp_path / "kb"
    link = "https://www.example.org/" + "very-long-path/" * 12
    body = "Hi {name}, " + "a" * 200 + " " + link
    assert len(body) > 280 and x_length(body.replace("{name}", "Sam")) <= 280
    write(kb, "handover.yml", "community: T\nplatforms:\n  x: {label: X, limit: 280}\n")
    write(kb, "charter/c.md", "---\ntitle: C\nversion: '1'\napproved_by: [a]\napproved_on: 2026-01-01\n---\n\n## Rule {#r}\n\nText.\n")
    write(kb, "team/a.yml", "name: A\nrole: lead\nemail: a@example.org\nstart: 2026-01-01\nstatus: active\n")
    write(kb, "responses/link.md", "---\ntitle: Link\nwhen: [a]\nplatforms: [x]\nlanguage: en\ncharter: [r]\nstatus: approved\napproved_by: a\n"
          "variables:\n  name:\n    description: Name\n    fallback: there\n---\n\n" + body + "\n")
    report = run_checks(load_kb(str(kb)), dt.date(2026, 11, 21))
    assert [p.code for p in report.problems if p.code == "E503"] == []
    result = run("reply", "link", "--kb", str(kb), "-p", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == body.replace("{name}", "there")
    assert f"fits X: {x_length(result.stdout.strip())}/280" in result.stderr
    # Add text until X's count passes 280: validate and reply both refuse.
    write(kb, "responses/link.md", (kb / "responses/link.md").read_text(encoding="utf-8").replace(link, "b" * 60 + " " + link))
    report = run_checks(load_kb(str(kb)), dt.date(2026, 11, 21))
    assert [p.code for p in report.problems if p.code == "E503"] == ["E503"]
    assert "a link is 23" in next(p.message for p in report.problems if p.code == "E503")
    assert run("reply", "link", "--kb", str(kb), "-p", "x").exit_code == 1


def test_x_length_rules():
    assert x_length("abc") == 3
    assert x_length("voir https://www.cycles-morvan.fr/sav/rendez-vous.") == len("voir ") + 23 + 1
    assert x_length("cycles-morvan.fr/sav") == 23  # a bare domain is a link for X too
    assert x_length("contact@cycles-morvan.fr") == len("contact@cycles-morvan.fr")  # an address is not
    assert x_length("日本") == 4  # wide characters count 2
    assert x_length("👍🏽") == 2 and x_length("👨\u200d👩\u200d👧") == 2  # an emoji sequence counts once
    assert x_length("é") == x_length("e\u0301") == 1  # composed first
    assert links("see www.example.com/a?b=c), then M. Dupont") == ["www.example.com/a?b=c"]
    assert links("then M.Dupont") == ["M.Dupont"]  # .dupont is a gTLD: X links it (twitter-text's TLD list)
    assert links("write to a-b.example.fr. Thanks") == ["a-b.example.fr"]  # the full stop ends the sentence, not the link
    assert platform_length("https://example.org/" + "x" * 100, "facebook") == 120  # others count characters


def test_reply_errors_are_clear():
    kb = str(BUNDLED_KB)
    missing = run("reply", "sav-rendez-vou", "--kb", kb)
    assert missing.exit_code == 1 and 'did you mean "sav-rendez-vous"' in missing.output
    unknown_var = run("reply", "sav-rendez-vous", "--kb", kb, "--var", "prenon=Paul")
    assert unknown_var.exit_code == 2 and "its variables are: prenom, modele, lien, signature" in unknown_var.output
    bad = run("reply", "sav-rendez-vous", "--kb", kb, "--var", "prenom")
    assert bad.exit_code == 2 and "is not NAME=VALUE" in bad.output
    platform = run("reply", "sav-rendez-vous", "--kb", kb, "-p", "mastodon")
    assert platform.exit_code == 2 and "platforms of handover.yml are: facebook" in platform.output
    unlisted = run("reply", "sav-rendez-vous", "--kb", kb, "-p", "linkedin")
    assert unlisted.exit_code == 0 and "not written for linkedin" in unlisted.stderr
    assert "Traceback" not in missing.output + unknown_var.output + bad.output + platform.output


def test_reply_value_may_contain_equals_and_braces_stay_literal(tmp_path: Path):
    kb = tmp_path / "kb"
    write(kb, "handover.yml", "community: T\n")
    write(kb, "responses/r.md", "---\ntitle: R\nwhen: [a]\nplatforms: [facebook]\nlanguage: en\ncharter: [r]\nstatus: approved\n"
          "variables:\n  url:\n    description: Link\n    fallback: none\n---\n\nSee {url} {{not a placeholder}}\n")
    result = run("reply", "r", "--kb", str(kb), "--var", "url=https://example.org/?a=b")
    assert result.exit_code == 0
    assert result.stdout.strip() == "See https://example.org/?a=b {not a placeholder}"
