"""handover report in the knowledge base's language, every line of it (alerts,
cadences, notes, feeds), and long lists cut to what a lead reads on Monday: counts
by owner, the most overdue items, how many more (JSON keeps them all). Real git
repositories, scripted."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB
from gitkb import Repo

from handover.cli import cli
from handover.report.text import LONG_LIST

TODAY = "2026-12-07"
OWNERS = ("karim-benali", "julien-roux", "claire-fontaine", "karim-benali", "ancien-stagiaire")  # the last is not on the team
MANY = 22  # overdue actions of the scripted incident, all older than the bundled kb's own


def many_actions_incident(title: str, owners: tuple[str, ...] = OWNERS) -> str:
    """An open incident with MANY follow-up actions overdue, due on 1, 3, 5… March
    2025 in a shuffled order (the report must sort them)."""
    order = sorted(range(MANY), key=lambda n: (n * 7) % MANY)
    actions = "".join(f"  - action: Action {n:02d}\n    owner: {owners[n % len(owners)]}\n    due: 2025-03-{1 + n:02d}\n    done: false\n"
                      for n in order)
    return f"---\ntitle: {title}\nstarted: 2025-02-20\nseverity: 3\nstatus: monitoring\nowner: karim-benali\nactions:\n{actions}---\n\nBody.\n"


FAILING_FEED = """feeds:
  Forum en panne:
    url: https://forum.example/search.rss
    last_read: 2026-12-06
    last_ok: 2026-11-20
    failing_since: 2026-11-21
    error: HTTP 500
items: {}
"""

WATCH = """
watch:
  brand: {name: Cycles Morvan}
  competitors:
    - {name: Vélonova}
  feeds:
    - {name: Alertes presse, url: "https://alerts.example/cycles.rss"}
    - {name: Forum en panne, url: "https://forum.example/search.rss"}
"""

# What the French report said in English before (alerts, cadences, git and feed notes), and the
# English labels that could leak through a missing French one.
ENGLISH = ("leaves on", "is leaving", "not on the team", "has left", "same person", "owner", "backup", "/week", "/day",
           "a week", "quiet:", "no history", "no git history", "HEAD", "detached", "shallow", "watch feed", "not been read",
           "failed", "failing since", "earlier readings", "still holds", "successor", "no successor", "and backup",
           "Nothing", "Notes", " more (", "By owner", "no owner", "post(s)", "over 4 weeks", "Overdue", "Leaving soon",
           "README: The weekly report", "cannot be read")


def french_history(root: Path) -> Repo:
    """The bundled kb (French), then: an incident with MANY overdue actions; Facebook
    fed and backed up by Karim alone, X backed up by someone not on the team,
    LinkedIn backed up by Thomas, who has left; a watch feed never read and one
    failing. The checkout is left on a detached HEAD."""
    repo = Repo(root, BUNDLED_KB)
    repo.commit("The knowledge base", "lea", "2026-11-10T09:00:00+01:00")
    repo.commit("Everything that goes wrong at once", "karim", "2026-11-24T10:00:00+01:00", {
        "incidents/2025-02-avalanche.md": many_actions_incident("Avalanche de demandes"),
        "accounts/facebook-cyclesmorvan.yml": repo.edit("accounts/facebook-cyclesmorvan.yml", "backup: julien-roux", "backup: karim-benali"),
        "accounts/x-cyclesmorvan.yml": repo.edit("accounts/x-cyclesmorvan.yml", "backup: karim-benali", "backup: ancien-stagiaire"),
        "accounts/linkedin-cycles-morvan.yml": repo.edit("accounts/linkedin-cycles-morvan.yml", "backup: karim-benali", "backup: thomas-petit"),
        "handover.yml": (repo.kb / "handover.yml").read_text(encoding="utf-8") + WATCH,
        "activity/watch/mentions.yml": FAILING_FEED,
    })
    repo.git("checkout", "-q", "--detach")
    return repo


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return french_history(tmp_path_factory.mktemp("fr"))


def report(kb: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", str(kb), "--week", "2026-W48", "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_french_report_has_no_english_left(french: Repo) -> None:
    text = report(french.kb)
    found = [phrase for phrase in ENGLISH if phrase.lower() in text.lower()]
    assert not found, found
    for said in ("Léa Martin (suppléant) part le 18 décembre 2026", "une seule personne est responsable et suppléant",
                 "ancien-stagiaire (suppléant) n'est pas dans l'équipe", "Thomas Petit (suppléant) a quitté l'équipe",
                 "Rythme : 5 par semaine", "Rythme : 1 par jour", "Responsable : Léa Martin, Suppléant : Karim Benali",
                 "Le flux de veille « Alertes presse » n'a pas encore été lu",
                 "La dernière lecture du flux de veille « Forum en panne » (https://forum.example/search.rss) a échoué (en échec depuis le 21 novembre 2026) : HTTP 500",
                 "Le dépôt n'est sur aucune branche", "aucun successeur désigné ; détient encore 11 élément(s) : Facebook cyclesmorvan",
                 "et 12 autres (handover report --format json pour la liste complète)", "Par responsable : "):
        assert said in text, said
    html = report(french.kb, "--format", "html")
    words = re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)
    assert not [phrase for phrase in ENGLISH if phrase.lower() in re.sub(r"<[^>]+>", " ", words).lower()]
    assert "Pygal" not in html and '<html lang="fr">' in html


def test_long_lists_show_counts_by_owner_the_oldest_and_how_many_more(french: Repo) -> None:
    """The bundled kb has 5 overdue actions on 7 December 2026, the scripted incident
    MANY older ones: the Markdown shows the counts by owner, the LONG_LIST oldest in
    order, then how many more; the JSON keeps them all."""
    data = json.loads(report(french.kb, "--format", "json"))
    overdue = data["incidents"]["actions_overdue"]
    assert len(overdue) == MANY + 5
    text = report(french.kb)
    section = text.split("### Actions de suivi en retard\n\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line]
    names = {"karim-benali": "Karim Benali", "julien-roux": "Julien Roux", "claire-fontaine": "Claire Fontaine", "lea-martin": "Léa Martin",
             "ancien-stagiaire": "ancien-stagiaire"}
    counts = Counter(names[a["owner"]] for a in overdue)
    assert counts["Karim Benali"] == 9 and counts["ancien-stagiaire"] == 4
    expected = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    assert lines[0] == f"Par responsable : {expected}"
    items = [line for line in lines if line.startswith("- ")]
    assert [re.match(r"- (Action \d\d) ", line)[1] for line in items] == [f"Action {n:02d}" for n in range(LONG_LIST)]  # oldest first
    assert items[0] == "- Action 00 (Karim Benali, pour le 1er mars 2025) — Avalanche de demandes"
    assert items[4] == "- Action 04 (ancien-stagiaire, pour le 5 mars 2025) — Avalanche de demandes"
    assert lines[-1] == f"_… et {MANY + 5 - LONG_LIST} autres (handover report --format json pour la liste complète)_"
    html = report(french.kb, "--format", "html")
    assert html.count("Avalanche de demandes</li>") == LONG_LIST and "… et 12 autres (handover report --format json" in html


def test_short_lists_are_whole(french: Repo) -> None:
    """Six overdue reviews: no counts by owner, no "and more", all six, oldest first."""
    section = report(french.kb).split("### Relectures en retard\n\n", 1)[1].split("\n### ", 1)[0]
    items = [line for line in section.splitlines() if line]
    assert all(line.startswith("- ") for line in items) and len(items) >= 6
    assert items[0] == "- Pauline Roche — depuis le 24 février 2026 (Julien Roux)"


FRENCH = ("Responsable", "Suppléant", "Rythme", "par semaine", "par jour", "part le", "quitté", "n'est pas", "Aucun", "aucun",
          "détient", "successeur", "depuis le", "pour le", "du ", "flux", "échoué", "lancez", "Remarques", "autres", "Par responsable",
          "sans responsable", "dépôt", "publication", "semaine", "décembre", "novembre", "mars", " : ", " ; ", "élément")


def test_an_english_report_has_no_french(tmp_path: Path) -> None:
    """`handover init --language en`, then the same troubles: every line in English."""
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "en"), "--community", "Bike Town", "--language", "en", "--today", "2026-11-02"])
    assert result.exit_code == 0, result.output
    repo = Repo(tmp_path / "en")  # init made the repository; no commit yet
    watch = WATCH.replace("Cycles Morvan", "Bike Town").replace("Alertes presse", "News alerts").replace("Forum en panne", "Broken forum")
    repo.commit("Troubles", "claire", "2026-11-24T10:00:00+01:00", {
        "incidents/2025-02-flood.md": many_actions_incident("A flood of requests", ("alex-example", "sam-example", "nobody-here")),
        "accounts/instagram-example.yml": repo.edit("accounts/instagram-example.yml", "backup: sam-example", "backup: alex-example"),
        "team/sam-example.yml": repo.edit("team/sam-example.yml", "status: active", "status: leaving\nend: 2026-12-18"),
        "handover.yml": (repo.kb / "handover.yml").read_text(encoding="utf-8") + watch,
        "activity/watch/mentions.yml": FAILING_FEED.replace("Forum en panne", "Broken forum"),
    })
    text = report(repo.kb)
    found = [phrase for phrase in FRENCH if phrase in text]
    assert not found, found
    for said in ("Owner: Alex Example, Backup: Alex Example, Cadence: 3 a week", "owner and backup are the same person",
                 'Watch feed "News alerts" has not been read yet', "(failing since 21 November 2026): HTTP 500",
                 "Sam Example — leaves on 18 December 2026; no successor named",
                 "By owner: Alex Example (8), Sam Example (7), nobody-here (7)",
                 "… and 7 more (handover report --format json for the full list)",
                 "- Action 00 (Alex Example, due 1 March 2025) — A flood of requests"):
        assert said in text, said


def test_many_owners_show_those_with_the_most_then_how_many_others(tmp_path: Path) -> None:
    """22 overdue actions, each with an owner of its own (none on the team: shown by
    id), and the bundled kb's five: the 15 owners with the most, then the others counted."""
    repo = Repo(tmp_path, BUNDLED_KB)
    owners = tuple(f"personne-{n:02d}" for n in range(MANY))
    repo.commit("Everyone has one", "karim", "2026-11-24T10:00:00+01:00", {"incidents/2025-02-avalanche.md": many_actions_incident("Avalanche", owners)})
    section = report(repo.kb).split("### Actions de suivi en retard\n\n", 1)[1].split("\n## ", 1)[0]
    shown = ["Claire Fontaine (2)", "Léa Martin (2)", "Julien Roux (1)", *(f"personne-{n:02d} (1)" for n in range(12))]
    assert section.splitlines()[0] == "Par responsable : " + ", ".join(shown) + ", 10 autres responsables (10 au total)"
