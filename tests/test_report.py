"""handover report: each figure checked against a scripted history in a real repository
(commits over several weeks by several authors)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB
from gitkb import Repo

from handover.cli import cli
from handover.records.model import load_kb

NEW_INCIDENT = """---
title: Panne de la messagerie Instagram
started: 2026-12-01
ended: 2026-12-03
severity: 4
status: closed
platforms: [instagram]
owner: karim-benali
actions:
  - action: Écrire le post-mortem de la panne
    owner: karim-benali
    due: 2026-12-04
    done: false
---

## Résumé

La messagerie d'Instagram a été indisponible deux jours.
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """The base on 10 Nov; week 2026-W48 (23–29 Nov): nothing. Week W49 (30 Nov–6 Dec): Karim opens and
    closes an incident, then ticks its action; Claire rewords a charter rule; Léa
    records a call with Sophie Lambert. Week W50: an unrelated change."""
    repo = Repo(tmp_path_factory.mktemp("report"), BUNDLED_KB)
    repo.commit("The knowledge base", "lea", "2026-11-10T09:00:00+01:00")
    repo.commit("Open the Instagram messaging incident", "karim", "2026-12-01T10:00:00+01:00",
                {"incidents/2026-12-panne-messagerie.md": NEW_INCIDENT})
    repo.commit("Post-mortem written", "karim", "2026-12-04T16:00:00+01:00",
                {"incidents/2026-12-panne-messagerie.md": repo.edit("incidents/2026-12-panne-messagerie.md", "done: false", "done: true")})
    repo.commit("Moderation: say why we never delete a critic", "claire", "2026-12-02T11:00:00+01:00",
                {"charter/moderation.md": repo.edit("charter/moderation.md", "ce que nous faisons", "ce que nous faisons, et pourquoi,")})
    repo.commit("Called Sophie Lambert", "lea", "2026-12-03T15:00:00+01:00",
                {"contacts/sophie-lambert.yml": repo.edit("contacts/sophie-lambert.yml", "last_contact: 2026-11-17", "last_contact: 2026-12-03")})
    repo.commit("Later week", "lea", "2026-12-08T09:00:00+01:00",
                {"guide/bienvenue.md": repo.edit("guide/bienvenue.md", "", "<!-- relu -->\n")})
    return repo


def report_json(repo: Repo, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["report", str(repo.kb), "--format", "json", "--today", "2026-12-07", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_week_s_incidents_and_actions(history: Repo):
    data = report_json(history, "--week", "2026-W49")
    assert (data["start"], data["end"]) == ("2026-11-30", "2026-12-06")
    assert data["incidents"]["opened"] == ["incidents/2026-12-panne-messagerie"]
    assert data["incidents"]["closed"] == ["incidents/2026-12-panne-messagerie"]
    assert [a["action"] for a in data["incidents"]["actions_done"]] == ["Écrire le post-mortem de la panne"]
    assert "incidents/2026-12-panne-messagerie" not in data["incidents"]["still_open"]
    assert "incidents/2026-11-rumeur-batterie" in data["incidents"]["still_open"]
    # Overdue: due before today and not done, whoever owns it.
    overdue = {(a["incident"], a["owner"]) for a in data["incidents"]["actions_overdue"]}
    assert ("incidents/2026-11-rumeur-batterie", "lea-martin") in overdue
    assert all(a["due"] < "2026-12-07" for a in data["incidents"]["actions_overdue"])


def test_the_week_s_rule_changes_name_their_authors(history: Repo):
    data = report_json(history, "--week", "2026-W49")
    version = load_kb(str(history.kb)).records["charter"]["moderation"].data["version"]
    assert data["upkeep"]["changed"] == [{"record": "charter/moderation", "status": "changed", "authors": ["Claire Fontaine"], "review": f"version {version}"}]


def test_relationships_contacted_this_week(history: Repo):
    data = report_json(history, "--week", "2026-W49")
    assert data["relationships"]["contacted"] == ["contacts/sophie-lambert"]


def test_another_week_shows_other_figures(history: Repo):
    earlier = report_json(history, "--week", "2026-W48")
    assert earlier["incidents"]["opened"] == [] and earlier["upkeep"]["changed"] == []
    assert earlier["incidents"]["actions_done"] == []
    later = report_json(history, "--week", "2026-W50")
    assert later["upkeep"]["changed"] == [] and later["relationships"]["contacted"] == []


def test_team_leaving_soon_with_what_they_hold(history: Repo):
    data = report_json(history, "--week", "2026-W49")
    lea = [p for p in data["team"]["leaving"] if p["person"] == "team/lea-martin"]
    assert lea and lea[0]["end"] == "2026-12-18" and "accounts/instagram-cyclesmorvan" in lea[0]["holds"]


def test_default_week_is_the_last_complete_one(history: Repo):
    assert report_json(history)["week"] == "2026-W49"  # today is Monday 2026-12-07


def test_the_report_is_deterministic_and_written_whole(history: Repo, tmp_path: Path):
    runner = CliRunner()
    outputs = []
    for name in ("one.md", "two.md"):
        result = runner.invoke(cli, ["report", str(history.kb), "--week", "2026-W49", "--today", "2026-12-07", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert "Écrire le post-mortem de la panne" in outputs[0] and "Du 30 novembre 2026 au 6 décembre 2026" in outputs[0]


def test_html_is_one_self_contained_document(history: Repo):
    result = CliRunner().invoke(cli, ["report", str(history.kb), "--week", "2026-W49", "--today", "2026-12-07", "--format", "html"])
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<script" not in page and "<link" not in page  # nothing runs, nothing fetched: it survives an e-mail
    assert not re.search(r'(src|href)="https?:', page)  # (the charts' SVG namespace is a name, not a fetch)
    assert "Panne de la messagerie Instagram" in page


@pytest.mark.parametrize("args, message", [
    (["--week", "2026-49"], "is not an ISO week"),
    (["--week", "2026-W60"], "does not exist"),
    (["--since", "2026-12-10", "--until", "2026-12-01"], "is before --since"),
    (["--week", "2026-W49", "--since", "2026-12-01"], "either --week or --since"),
])
def test_bad_spans_are_refused_plainly(history: Repo, args: list[str], message: str):
    result = CliRunner().invoke(cli, ["report", str(history.kb), *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_without_git_the_report_says_what_it_cannot_know(tmp_path: Path):
    import shutil

    shutil.copytree(BUNDLED_KB, tmp_path / "kb")
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "kb"), "--week", "2026-W49", "--today", "2026-12-07", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["upkeep"]["changed"] == [] and any("no history" in note for note in data["notes"])


def test_animation_counts_each_account_s_posts_against_its_cadence(history: Repo):
    """The bundled kb's activity (pulse), told as of 2026-12-02: Instagram and TikTok
    went quiet after Léa's last posts; X kept its daily rhythm. Counts are read back
    from the activity files."""
    from handover.activity.store import load_all, week_key

    result = CliRunner().invoke(cli, ["report", str(history.kb), "--format", "json", "--week", "2026-W48", "--today", "2026-12-02"])
    accounts = {a["account"]: a for a in json.loads(result.stdout)["accounts"]}
    stored = load_all(history.kb, ["x-cyclesmorvan"], "kb")
    expected_x = sum(count for key, count in stored["x-cyclesmorvan"].weeks().items() if key == week_key(dt.date(2026, 11, 23)))
    assert expected_x > 0 and accounts["accounts/x-cyclesmorvan"]["posts"] == expected_x
    assert accounts["accounts/x-cyclesmorvan"]["quiet"] is False
    instagram = accounts["accounts/instagram-cyclesmorvan"]
    assert instagram["posts"] == 0 and instagram["quiet"] is True and instagram["last_post"] == "2026-11-20"
    markdown = CliRunner().invoke(cli, ["report", str(history.kb), "--week", "2026-W48", "--today", "2026-12-02"]).stdout
    quiet = markdown.split("### Comptes silencieux", 1)[1].split("##", 1)[0]
    assert "Instagram @cyclesmorvan" in quiet and "TikTok @cyclesmorvan" in quiet and "X (Twitter) @CyclesMorvan" not in quiet


def test_html_charts_are_inline_svg_with_a_text_alternative(history: Repo):
    page = CliRunner().invoke(cli, ["report", str(history.kb), "--week", "2026-W49", "--today", "2026-12-07", "--format", "html"]).stdout
    charts = re.findall(r'<svg role="img"[^>]*>.*?</svg>', page, re.DOTALL)
    assert len(charts) >= 6 and all("<title" in c and "<desc" in c for c in charts)
    assert "<script" not in page
