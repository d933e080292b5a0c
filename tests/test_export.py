"""`handover export`: the handover pack, its refusals, its determinism, and the drill:
a newcomer's questions answered from the pack alone, not from the repository."""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, KB_TODAY, write

from handover.cli import cli

EPOCH = "1795219200"  # 2026-11-21 00:00 UTC


def export(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["export", *args, "--today", KB_TODAY.isoformat()], env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})


@pytest.fixture(scope="module")
def team_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole team's pack of the bundled kb, unpacked somewhere else."""
    out = tmp_path_factory.mktemp("pack")
    result = export("--kb", str(BUNDLED_KB), "-o", str(out / "pack.zip"))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "pack.zip") as archive:
        archive.extractall(out / "unpacked")
    (root,) = (out / "unpacked").iterdir()
    return root


@pytest.fixture(scope="module")
def intern_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("intern")
    result = export("--kb", str(BUNDLED_KB), "--person", "lea-martin", "-o", str(out / "lea.zip"))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "lea.zip") as archive:
        archive.extractall(out / "unpacked")
    (root,) = (out / "unpacked").iterdir()
    return root, result.output


def page_text(root: Path, uri: str) -> str:
    """The visible text of a page of the pack's site."""
    path = root / "site" / (f"{uri}/index.html" if uri.count("/") == 0 else f"{uri}.html")  # offline: no directory URLs
    raw = path.read_text(encoding="utf-8")
    article = raw[raw.index("<article"): raw.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)))


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    following = markdown.find("\n## ", start + len(heading))
    level3 = markdown.find("\n### ", start + len(heading)) if heading.startswith("### ") else -1
    ends = [e for e in (following, level3) if e > 0]
    return markdown[start: min(ends) if ends else len(markdown)]


# --- the pack ----------------------------------------------------------------------


def test_the_pack_holds_every_part(team_pack: Path):
    names = {p.relative_to(team_pack).as_posix() for p in team_pack.rglob("*") if p.is_file()}
    assert {"HANDOVER.md", "HANDOVER.html", "data.json", "validation.txt", "validation.json", "site/index.html"} <= names
    data = json.loads((team_pack / "data.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["community"] == "Cycles Morvan"
    assert len(data["records"]["accounts"]) == 7 and "lea-martin" in data["records"]["team"]
    assert (team_pack / "validation.txt").read_text(encoding="utf-8").rstrip().endswith("warnings in 83 records")
    page = (team_pack / "HANDOVER.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<h1>Dossier de passation de Cycles Morvan</h1>" in page and "http" not in page.split("<body>")[0]


def test_the_interns_pack_starts_with_her_checklist(intern_pack: tuple[Path, str]):
    root, output = intern_pack
    assert "will be orphaned (nobody is named to take it over): 10" in output
    assert "  accounts/tiktok-cyclesmorvan (owner, credentials.shared_with, two_factor.holder)" in output
    text = (root / "HANDOVER.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Liste de départ", "## Deviendra orphelin : personne n'est désigné pour le reprendre",
                        "## Accès à retirer : le compte garde ses responsables", "## Comptes", "## Relations", "## Incidents en cours",
                        "## Actions de suivi ouvertes, tous incidents confondus", "## Brouillons à faire valider", "## Fiches à relire",
                        "## Trouver la réponse type d'une situation, hors ligne", "## Changements pendant son passage (git)"]
    checklist = section(text, "## Liste de départ")
    assert "30 étape(s) sur 30 encore à faire" in checklist
    assert "- ☐ TikTok @cyclesmorvan : basculer la double authentification (Téléphone personnel de Léa" in checklist
    assert "`accounts/facebook-cyclesmorvan:access`" in checklist and "`team/lea-martin:email`" in checklist
    orphaned = section(text, "## Deviendra orphelin")
    assert orphaned.count("\n- ") == 10 and "[TikTok @cyclesmorvan](site/accounts/tiktok-cyclesmorvan.html)" in orphaned
    assert "Candidature spontanée" in section(text, "## Brouillons")
    links = re.findall(r"\]\((site/[^)]+)\)", text)
    assert len(links) > 20 and [link for link in links if not (root / link).is_file()] == []
    assert "Sophie Lambert" in section(text, "## Relations") and "dernier contact le 17 novembre 2026" in section(text, "## Relations")


def test_facebook_is_access_to_revoke_not_an_orphan(intern_pack: tuple[Path, str]):
    """Léa is only on Facebook's vault entry; its owner and backup stay: revoke, not orphaned."""
    root, output = intern_pack
    assert "access to revoke (the account keeps its holders): 1\n  accounts/facebook-cyclesmorvan" in output
    text = (root / "HANDOVER.md").read_text(encoding="utf-8")
    assert "facebook" not in section(text, "## Deviendra orphelin")
    revoke = section(text, "## Accès à retirer")
    assert "[Facebook cyclesmorvan](site/accounts/facebook-cyclesmorvan.html)" in revoke
    assert "Bitwarden (coffre Communication) / Réseaux sociaux / Meta Business Suite (Facebook + Instagram)" in revoke


def test_the_pack_lists_what_the_site_lists(intern_pack: tuple[Path, str]):
    """Records to review and open incidents: the same as the site's dashboard, with the
    incidents' follow-up actions (overdue ones flagged) and every open action."""
    root, _ = intern_pack
    text = (root / "HANDOVER.md").read_text(encoding="utf-8")
    raw = (root / "site" / "index.html").read_text(encoding="utf-8")
    home = html.unescape(re.sub(r"<[^>]+>", " ", raw[raw.index("<article"): raw.index("</article>")]))
    stale = section(text, "## Fiches à relire")
    stale_refs = re.findall(r"\(`([a-z]+/[a-z0-9-]+)`\)", stale)
    assert len(stale_refs) == 5 and "Aucun" not in stale
    for ref in stale_refs:
        assert f"site/{ref}.html" in stale
    for name in ("Pauline Roche", "Delivery delay (English)", "Rouleur du Dimanche"):
        assert name in home and name in stale
    incidents = section(text, "## Incidents en cours")
    assert incidents.count("(`incidents/") == 2 and "Rappel des freins avant" in incidents and "Rumeur TikTok" in incidents
    assert "  - Relancer, par les vélocistes partenaires" in incidents and "échéance le 15 décembre 2026" in incidents
    actions = section(text, "## Actions de suivi ouvertes")
    assert actions.count("\n- ") == 9 and actions.count("**en retard**") == 1  # on 2026-11-21, one is past due
    assert "Mettre à jour la page « D'où viennent nos vélos ? »" in actions and "échéance le 31 mars 2026) — **en retard**" in actions


def test_the_pack_writes_dates_and_agreements_as_a_french_reader_expects(intern_pack: tuple[Path, str]):
    root, _ = intern_pack
    text = (root / "HANDOVER.md").read_text(encoding="utf-8")
    assert "Établi le 21 novembre 2026" in text and "part le 18 décembre 2026" in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text.split("## Changements")[0]), "an ISO date in the French text"
    tiktok = section(text, "### TikTok @cyclesmorvan")
    assert "Double authentification : détenue par Léa Martin, méthode SMS" in tiktok
    assert "Adresse de récupération : lue par Claire Fontaine, social@cycles-morvan.fr" in tiktok
    assert "détenu par" not in text and "Fiches à relire\n\nAucun.\n" not in text


def test_the_pack_says_how_to_find_a_response_offline(intern_pack: tuple[Path, str]):
    root, _ = intern_pack
    guide = section((root / "HANDOVER.md").read_text(encoding="utf-8"), "## Trouver la réponse type")
    assert "`site/index.html`" in guide and "`site/responses/index.html`" in guide and "handover triage" in guide
    assert (root / "site" / "responses" / "index.html").is_file()
    assert "Quand l'utiliser" in page_text(root, "responses/securite-court")


def test_a_named_successor_takes_it_all(tmp_path: Path):
    result = export("--kb", str(BUNDLED_KB), "--person", "lea-martin", "--successor", "karim-benali", "-o", str(tmp_path / "p.zip"))
    assert result.exit_code == 0, result.output
    assert "will be orphaned" not in result.output
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        text = archive.read(next(n for n in archive.namelist() if n.endswith("/HANDOVER.md"))).decode()
    assert "Repris par karim-benali (lancer `handover transfer lea-martin karim-benali`)" in text


def test_same_input_same_bytes(tmp_path: Path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert export("--kb", str(BUNDLED_KB), "--person", "lea-martin", "-o", str(first)).exit_code == 0
    assert export("--kb", str(BUNDLED_KB), "--person", "lea-martin", "-o", str(second)).exit_code == 0
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        names = [n for n in a.namelist() if not n.endswith(".bundle")]
        assert names == [n for n in b.namelist() if not n.endswith(".bundle")] and names == sorted(names)
        assert all(a.getinfo(n).date_time == (2026, 11, 21, 0, 0, 0) for n in names)
        assert [n for n in names if a.read(n) != b.read(n)] == []
    if not any(n.endswith(".bundle") for n in zipfile.ZipFile(first).namelist()):
        assert first.read_bytes() == second.read_bytes()


def test_refuses_with_every_reason_and_writes_nothing(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, kb)
    write(kb, "contacts/broken.yml", "name: X\norganization: Y\ndepartment: legal\nchannels: {phone: 0612345670}\n")
    account = kb / "accounts" / "x-cyclesmorvan.yml"
    account.write_text(account.read_text(encoding="utf-8").replace("owner: julien-roux", "owner: nobody-here"), encoding="utf-8")
    out = tmp_path / "pack.zip"
    result = export("--kb", str(kb), "-o", str(out))
    assert result.exit_code == 1
    assert "the pack was not made" in result.output and "validation has 2 error(s)" in result.output
    assert "contacts/broken.yml:4:" in result.output and "E201" in result.output and "E301" in result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.glob(".pack.zip.*")) == []
    forced = export("--kb", str(kb), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert "made despite: validation has 2 error(s)" in forced.output and out.is_file()


@pytest.mark.parametrize("args, message", [
    (["--person", "nobody"], '"nobody" is not a team member'),
    (["--person", "lea-martin", "--successor", "ghost"], 'successor "ghost" is not a team member'),
])
def test_refuses_unknown_people(tmp_path: Path, args: list[str], message: str):
    result = export("--kb", str(BUNDLED_KB), *args, "-o", str(tmp_path / "p.zip"))
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "p.zip").exists()


# --- the drill: a newcomer's first questions, answered from the pack alone -----------------


def test_drill_newcomer_questions_from_the_pack(team_pack: Path):
    root = team_pack
    handover = (root / "HANDOVER.md").read_text(encoding="utf-8")
    data = json.loads((root / "data.json").read_text(encoding="utf-8"))["records"]
    answered = []

    # 1. Where are the Instagram account's credentials kept?
    instagram = section(handover, "### Instagram @cyclesmorvan")
    assert "Identifiants : Bitwarden (coffre Communication) / Réseaux sociaux / Instagram" in instagram
    answered.append("instagram credentials")
    # 2. Who holds TikTok's second factor, and on what?
    tiktok = section(handover, "### TikTok @cyclesmorvan")
    assert "Double authentification : détenue par Léa Martin, méthode SMS, appareil : Téléphone personnel de Léa" in tiktok
    answered.append("tiktok 2FA")
    # 3. Which address recovers the Facebook page?
    assert "Adresse de récupération : lue par Claire Fontaine, social@cycles-morvan.fr" in section(handover, "### Facebook cyclesmorvan")
    answered.append("facebook recovery")
    # 4. A legal threat on a Sunday: whom do we call?
    legal = sorted(i for i, c in data["contacts"].items() if "legal" in c.get("escalate_for", []))
    assert legal == ["cabinet-lemaire", "helene-vasseur"]
    assert "Ne répond pas le soir ni le week-end" in data["contacts"]["helene-vasseur"]["out_of_hours"]  # she sends us on to…
    assert "7 j/7" in data["contacts"]["cabinet-lemaire"]["availability"]  # …the firm's emergency line
    assert "+33 6 39 98 40 17" in page_text(root, "contacts/cabinet-lemaire") and "week-ends" in page_text(root, "contacts/cabinet-lemaire")
    answered.append("legal threat on Sunday")
    # 5. How do we answer a refund complaint on Instagram?
    refunds = [i for i, r in data["responses"].items() if "instagram" in r.get("platforms", []) and r.get("language") == "fr"
               and "rembours" in " ".join(r.get("when", [])).lower()]
    assert "remboursement-demande" in refunds
    assert "Bonjour {prenom}" in page_text(root, "responses/remboursement-demande")
    answered.append("refund on Instagram")
    # 6. What did we do during the boycott call?
    boycott = page_text(root, "incidents/2025-03-appel-boycott")
    assert "Ce que nous avons fait" in boycott and "Chronologie" in boycott
    answered.append("boycott incident")
    # 7. Which influencers are critics?
    critics = sorted(i for i, r in data["influencers"].items() if r.get("stance") == "critic")
    assert critics == ["ecolo-urbaine", "le-cycliste-grincheux", "monsieur-rayon"]
    assert page_text(root, "influencers").count("critique") >= 3
    answered.append("critics")
    # 8. Which accounts must be fed this week, and how often?
    accounts = section(handover, "## Comptes")
    for ident, account in data["accounts"].items():
        if account["status"] == "active" and account.get("cadence"):
            assert f"(site/accounts/{ident}.html)" in accounts
        assert (root / "site" / "accounts" / f"{ident}.html").is_file()
    assert "Rythme : 5 par semaine" in instagram and "Rythme : 1 par jour" in section(handover, "### Forum La Roue Libre")
    answered.append("accounts to feed this week")
    # 9. Who is leaving, when, holding what?
    assert "**Léa Martin** (`lea-martin`) part le 18 décembre 2026 — 30 étape(s) de sa liste de départ à faire" in section(handover, "## Départs")
    answered.append("who is leaving")
    # 10. May I delete a critical comment?
    moderation = (root / "site" / "charter" / "moderation.html").read_text(encoding="utf-8")
    assert 'id="no-delete"' in moderation and "Ne jamais supprimer une critique" in page_text(root, "charter/moderation")
    answered.append("deleting critics")
    # 11. Personal data posted in a comment: whom do we alert?
    privacy = data["responses"]["donnees-personnelles-publiees"]
    assert privacy["escalate_to"] == ["helene-vasseur"] and "privacy" in data["contacts"]["helene-vasseur"]["escalate_for"]
    answered.append("personal data leak")
    # 12. A journalist asks for an interview: who handles the press?
    press = [i for i, c in data["contacts"].items() if "press" in c.get("escalate_for", [])]
    assert data["responses"]["demande-journaliste"]["escalate_to"] == press == ["marc-olivier-blanc"]
    answered.append("journalist")
    # 13. Which incidents are still open?
    assert "Rumeur TikTok d'une batterie" in section(handover, "## Incidents en cours")
    answered.append("open incidents")
    # 14. Do we have English canned responses?
    english = sorted(i for i, r in data["responses"].items() if r.get("language") == "en")
    assert english == ["delivery-delay-en", "hacked-account-en", "legal-threat-en", "outage-en", "press-request-en", "recall-en",
                       "refund-request-en", "safety-question-en", "thanks-praise-en"]
    answered.append("english responses")
    # 15. How many followers does Instagram have?
    assert data["accounts"]["instagram-cyclesmorvan"]["audience"]["followers"] == 31200
    assert "31 200" in page_text(root, "accounts/instagram-cyclesmorvan").replace("\u202f", " ")
    answered.append("instagram audience")
    # 16. Who answers the phone for product safety (brakes)?
    safety = [i for i, c in data["contacts"].items() if "safety" in c.get("escalate_for", [])]
    assert len(safety) == 1 and data["contacts"][safety[0]]["channels"]
    answered.append("safety contact")
    # 17. Can I search the knowledge base offline? (handover's search index is there, as scripts)
    assert (root / "site" / "_handover" / "search" / "index.js").is_file()
    answered.append("offline search")
    assert len(answered) >= 15
