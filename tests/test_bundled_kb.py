"""The bundled knowledge base stays as complete as the sample must be."""

from __future__ import annotations

import pytest

from conftest import BUNDLED_KB, KB_TODAY

from handover.checks import run_checks
from handover.checks.continuity import departure
from handover.records.model import load_kb


@pytest.fixture(scope="module")
def kb():
    return load_kb(str(BUNDLED_KB))


def test_sizes(kb):
    counts = {kind: len(records) for kind, records in kb.records.items()}
    assert counts["team"] >= 4 and counts["accounts"] >= 5 and counts["contacts"] >= 15
    assert counts["influencers"] >= 12 and counts["charter"] >= 3 and counts["responses"] >= 20 and counts["incidents"] >= 6
    assert len(kb.rules) >= 15


def test_team_roles_and_the_leaving_intern(kb):
    roles = " ".join(str(r.data["role"]).lower() for r in kb.records["team"].values())
    assert "responsable" in roles and "community manager" in roles and "stagiaire" in roles and "service client" in roles
    intern = kb.get("team", "lea-martin")
    state, end = departure(intern, KB_TODAY, kb.config.leaving_window)
    assert state == "leaving" and end is not None and 0 < (end - KB_TODAY).days <= 60


def test_accounts_platforms_and_contacts_departments(kb):
    assert len({r.data["platform"] for r in kb.records["accounts"].values()}) >= 5
    departments = {r.data["department"] for r in kb.records["contacts"].values()}
    assert {"legal", "customer-service", "press", "product", "hr", "it-security", "media", "agency"} <= departments


def test_influencer_stances(kb):
    stances = [r.data["stance"] for r in kb.records["influencers"].values()]
    assert {"ambassador", "neutral", "critic"} == set(stances) and stances.count("critic") >= 2


def test_charter_covers_the_never_do_rules(kb):
    for rule in ("no-delete", "never-threaten", "no-answer-all", "answer-influencers-first", "right-of-reply"):
        assert rule in kb.rules


def test_responses_cite_rules_and_some_are_english(kb):
    responses = list(kb.records["responses"].values())
    assert all(r.data["charter"] and all(rule in kb.rules for rule in r.data["charter"]) for r in responses)
    languages = [r.data["language"] for r in responses]
    assert languages.count("fr") > languages.count("en") >= 3


def test_incidents_include_the_storm_and_the_boycott(kb):
    titles = " ".join(r.title.lower() for r in kb.records["incidents"].values())
    assert "boycott" in titles and "commentaires" in titles
    for incident in kb.records["incidents"].values():
        body = incident.body or ""
        assert all(section in body for section in ("## Résumé", "## Chronologie", "## Leçons")), incident.id


def test_validates_without_errors_and_warns_about_the_intern(kb):
    report = run_checks(kb, KB_TODAY)
    assert report.errors == 0
    intern_warnings = [p for p in report.problems if p.code in ("W310", "W311") and "lea-martin" in p.message]
    assert len(intern_warnings) >= 5
