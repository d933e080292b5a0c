"""The departure drill, in a real git repository: Léa leaves. status lists each step of
her checklist; transfer does some and ticks them; status stays red after her last day
until every other step is done or waived; the pack begins with the open steps."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB
from gitkb import ISOLATED, Repo, git_env

from handover.cli import cli
from handover.files.lock import kb_lock
from handover.files.yamlio import parse_mapping

BEFORE = "2026-11-21"  # four weeks before her last day
LAST_DAY = "2026-12-18"
AFTER = "2026-12-19"


@pytest.fixture()
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo", BUNDLED_KB)
    repo.commit("The knowledge base", "claire", "2026-06-01T09:00:00+02:00")
    return repo


def run(*args: str, today: str = BEFORE, author: str = "karim"):
    env = {**ISOLATED, **{k: v for k, v in git_env(author, f"{today}T10:00:00+01:00").items() if k.startswith("GIT_")}}
    return CliRunner().invoke(cli, [*args, "--today", today], env=env)


def open_steps(kb: Path, today: str) -> list[str]:
    data = json.loads(run("status", str(kb), "--json", today=today).output)
    (lea,) = [d for d in data["departures"] if d["person"] == "lea-martin"]
    return [s["id"] for s in lea["checklist"] if s["state"] == "todo"]


def stored(kb: Path) -> dict[str, dict[str, object]]:
    loaded = parse_mapping((kb / "departures" / "lea-martin.yml").read_text(encoding="utf-8"), "lea-martin.yml")
    assert loaded.ok and loaded.data["person"] == "lea-martin"
    return {step["id"]: step for step in loaded.data["steps"]}


EXPECTED = [  # one of each kind of step the records call for
    "accounts/facebook-cyclesmorvan:access",  # vault entry only: revoke, nothing else
    "accounts/facebook-cyclesmorvan:password",
    "accounts/tiktok-cyclesmorvan:reassign",
    "accounts/tiktok-cyclesmorvan:two-factor",  # the 2FA on her own phone
    "accounts/forum-roue-libre:reassign",
    "influencers/julie-roule:reassign",
    "influencers/julie-roule:introduce",
    "contacts/lyon-a-bicyclette:introduce",
    "responses/candidature-spontanee:reassign",  # her draft
    "incidents/2026-11-rumeur-batterie:reassign",
    "incidents/2026-11-rumeur-batterie:action-2",
    "incidents/2026-11-rumeur-batterie:action-5",
    "team/lea-martin:email",
    "team/lea-martin:chat",
]


def test_the_departure_drill(repo: Repo, tmp_path: Path):
    kb = repo.kb
    # 1. status lists each step of the checklist, derived from the records, and is red
    status = run("status", str(kb))
    assert status.exit_code == 1
    assert "checklist: 0 of 30 steps done or waived, 30 open" in status.output
    for step in EXPECTED:
        assert f"[ ] {step}: " in status.output, step
    assert not (kb / "departures").exists()  # derived: nothing written by status

    # 2. transfer does what it can, commits it with the checklist, and ticks those steps
    moved = run("transfer", "lea-martin", "karim-benali", "--kb", str(kb), "--backup", "julien-roux", "--commit")
    assert moved.exit_code == 0, moved.output
    assert "checklist of lea-martin: 13 step(s) done by this transfer, 17 still open" in moved.output
    assert 'flagged: ' in moved.output and 'action 5 "Transmettre le dossier à Karim' in moved.output
    assert "kb/departures/lea-martin.yml" in repo.git("show", "--name-only", "--format=", "HEAD").splitlines()
    steps = stored(kb)
    assert len(steps) == 30
    for done in ("accounts/tiktok-cyclesmorvan:reassign", "influencers/julie-roule:reassign", "incidents/2026-11-rumeur-batterie:action-2",
                 "responses/candidature-spontanee:reassign"):
        assert steps[done]["state"] == "done" and steps[done]["by"] == "karim-benali" and str(steps[done]["date"]) == BEFORE
    for todo in ("accounts/tiktok-cyclesmorvan:two-factor", "accounts/facebook-cyclesmorvan:access", "influencers/julie-roule:introduce",
                 "incidents/2026-11-rumeur-batterie:action-5", "team/lea-martin:email"):
        assert steps[todo]["state"] == "todo", todo

    # the flagged action is decided by a person (Claire gives it to Karim)
    incident = "incidents/2026-11-rumeur-batterie.md"
    text = (kb / incident).read_text(encoding="utf-8")
    at = text.index("Transmettre le dossier à Karim")
    repo.commit("Karim reprend le dossier de la rumeur", "claire", "2026-11-21T11:00:00+01:00",
                {incident: text[:at] + text[at:].replace("owner: lea-martin", "owner: karim-benali", 1)})

    # Meanwhile the team keeps every active account fed (else pulse's quiet accounts,
    # not the checklist, would keep status red: see test_pulse.py for that drill).
    for account in sorted(p.stem for p in (kb / "accounts").glob("*.yml")):
        logged = run("log", account, "--date", LAST_DAY, "--kb", str(kb), today=LAST_DAY)
        assert logged.exit_code == 0, logged.output

    # 3. before her last day, open steps are listed but do not make status red; after it, they do
    assert run("status", str(kb), today=LAST_DAY).exit_code == 0
    after = run("status", str(kb), today=AFTER)
    assert after.exit_code == 1 and "last day over: status stays red until each is done or waived" in after.output
    assert "W312" in run("validate", str(kb), today=AFTER).output

    # 4. the pack begins with the open steps
    pack = tmp_path / "lea.zip"
    exported = run("export", "--kb", str(kb), "--person", "lea-martin", "-o", str(pack), today=AFTER)
    assert exported.exit_code == 0, (exported.output, __import__("traceback").format_exception(*exported.exc_info))
    with zipfile.ZipFile(pack) as archive:
        handover = archive.read(next(n for n in archive.namelist() if n.endswith("/HANDOVER.md"))).decode()
    first = handover.index("\n## ")
    assert handover[first:].startswith("\n## Liste de départ\n\n17 étape(s) sur 30 encore à faire (13 faite(s) ou sans objet).")
    assert "**Le dernier jour est passé**" in handover
    opened = handover[first: handover.index("### Déjà fait")]
    assert "☐ TikTok @cyclesmorvan : basculer la double authentification" in opened and "`team/lea-martin:email`" in opened
    assert "✓ TikTok @cyclesmorvan : nommer qui reprend" in handover.split("### Déjà fait")[1]

    # 5. the rest is done (or waived, with why and who decided), one step at a time
    done = run("checklist", "lea-martin", "--kb", str(kb), "--done", "tiktok-cyclesmorvan:two-factor", "--by", "karim-benali", today=AFTER)
    assert done.exit_code == 1 and "done: accounts/tiktok-cyclesmorvan:two-factor" in done.output  # still open steps: 1
    waived = run("checklist", "lea-martin", "--kb", str(kb), "--waive", "team/lea-martin:chat", "--why", "Slack désactivé par l'IT le 18/12",
                 "--by", "karim-benali", "--decided-by", "claire-fontaine", today=AFTER)
    assert waived.exit_code == 1, waived.output
    rest = open_steps(kb, AFTER)
    assert len(rest) == 15 and "team/lea-martin:chat" not in rest and "incidents/2026-11-rumeur-batterie:action-5" in rest
    finished = run("checklist", "lea-martin", "--kb", str(kb), *[arg for step in rest for arg in ("--done", step)], "--by", "karim-benali", today=AFTER)
    assert finished.exit_code == 0, finished.output
    assert "30 of 30 step(s) done or waived, 0 open" in finished.output
    steps = stored(kb)
    assert steps["team/lea-martin:chat"] == {"id": "team/lea-martin:chat", "title": "Retirer @lea.martin des canaux de discussion de l'équipe",
                                             "state": "waived", "by": "karim-benali", "date": __import__("datetime").date(2026, 12, 19),
                                             "why": "Slack désactivé par l'IT le 18/12", "decided_by": "claire-fontaine"}
    status = run("status", str(kb), today=AFTER)
    assert status.exit_code == 0 and status.output.rstrip().endswith("clean: nothing orphaned, nothing left in the hands of someone leaving")
    assert run("validate", str(kb), today=AFTER).exit_code == 0


def test_checklist_refuses_what_it_cannot_record(repo: Repo):
    kb = str(repo.kb)
    unknown = run("checklist", "lea-martin", "--kb", kb, "--done", "accounts/nowhere:access", "--by", "karim-benali")
    assert unknown.exit_code == 1 and 'no step "accounts/nowhere:access"' in unknown.output
    assert run("checklist", "lea-martin", "--kb", kb, "--done", "team/lea-martin:email").exit_code == 2  # who did it?
    no_why = run("checklist", "lea-martin", "--kb", kb, "--waive", "team/lea-martin:email", "--by", "karim-benali")
    assert no_why.exit_code == 2 and "--why" in no_why.output
    stranger = run("checklist", "lea-martin", "--kb", kb, "--done", "team/lea-martin:email", "--by", "someone-else")
    assert stranger.exit_code == 1 and "neither a team member nor a contact" in stranger.output
    ambiguous = run("checklist", "lea-martin", "--kb", kb, "--done", "cyclesmorvan:password", "--by", "karim-benali")
    assert ambiguous.exit_code == 1 and "names 3 steps" in ambiguous.output and "give the whole id" in ambiguous.output
    nobody = run("checklist", "nobody", "--kb", kb)
    assert nobody.exit_code == 1 and "not a team member" in nobody.output
    assert not (repo.kb / "departures").exists() and "Traceback" not in unknown.output + stranger.output


def test_checklist_writes_under_the_lock(repo: Repo):
    with kb_lock(repo.kb, "transfer"):
        result = run("checklist", "lea-martin", "--kb", str(repo.kb), "--done", "team/lea-martin:email", "--by", "karim-benali")
    assert result.exit_code == 1 and "transfer" in result.output
    assert not (repo.kb / "departures").exists()
    shown = run("checklist", "lea-martin", "--kb", str(repo.kb))  # reading needs no lock
    assert shown.exit_code == 0 and re.search(r"0 of 30 step\(s\) done or waived, 30 open", shown.output)


def test_someone_who_left_long_ago_with_nothing_has_no_checklist(repo: Repo):
    """Thomas Petit left in February holding nothing: no steps are derived, status is not red for him."""
    data = json.loads(run("status", str(repo.kb), "--json").output)
    assert "thomas-petit" not in [d["person"] for d in data["departures"]]
    assert "W312" not in run("validate", str(repo.kb)).output
