"""handover history, changes and review on a real repository: the bundled knowledge
base committed, then changed by three people at fixed dates, then a branch that
rewrites the charter as a merge request would."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB
from gitkb import AUTHORS, ISOLATED, Repo

from handover.cli import cli
from handover.git.changes import changes_since, record_history
from handover.git.review import review

TODAY = "2026-11-21"


@pytest.fixture(scope="module", autouse=True)
def isolated_git():
    """handover's own git calls must not read the user's git configuration either."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ISOLATED.items():
            patch.setenv(name, value)
        yield


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    r = Repo(tmp_path_factory.mktemp("history") / "repo", BUNDLED_KB)
    r.first = r.commit("Knowledge base as of January", "claire", "2026-01-05T10:00:00+01:00")
    client = r.edit("contacts/service-client.yml", '"+33 4 72 60 14 50"', '"+33 4 72 60 14 99"')
    r.commit("Service client: new phone, safety questions too", "lea", "2026-02-10T09:30:00+01:00", {
        "contacts/service-client.yml": client.replace("escalate_for: [refund, delivery, warranty]", "escalate_for: [refund, delivery, warranty, safety]"),
        "contacts/jean-dupont.yml": "name: Jean Dupont\norganization: Mairie de Lyon\ndepartment: other\nchannels:\n  email: jean.dupont@lyon.fr\n"})
    r.commit("Response to legal threats: one line more", "karim", "2026-03-01T14:00:00+01:00", {
        "responses/menace-juridique.md": r.edit("responses/menace-juridique.md", "status: approved", "status: approved\n") + "\nNous revenons vers vous sous 48 heures.\n"})
    r.commit("Hugo Lefebvre left the press desk", "claire", "2026-03-15T11:00:00+01:00", {"contacts/hugo-lefebvre.yml": None})
    r.commit("SAV hours", "lea", "2026-04-01T08:00:00+02:00", {"contacts/service-client.yml": r.edit("contacts/service-client.yml", "sam. 9h–12h", "sam. 9h–13h")})
    r.main_head = r.git("rev-parse", "HEAD")
    # The merge request: the charter rewritten on a branch.
    r.git("checkout", "-q", "-b", "charter-update")
    moderation = r.edit("charter/moderation.md", "## Ne jamais supprimer une critique {#no-delete}", "## Ne jamais supprimer ni masquer une critique {#no-delete}")
    moderation = moderation.replace("Une critique reste en ligne, même injuste,", "Une critique reste en ligne, même injuste et blessante,")
    moderation = moderation.replace("## Ne retirer que l'illicite et le dangereux {#delete-only-illegal}",
                                    "## Répondre aux partenaires en privé {#partners-private}\n\nQuand un partenaire se plaint en public, lui répondre une fois puis passer en message privé.\n\n"
                                    "## Ne retirer que l'illicite et le dangereux {#delete-only-illegal}")
    ton = r.edit("charter/ton.md", 'version: "2.0"', 'version: "2.1"').replace("approved_on: 2026-02-02", "approved_on: 2026-04-20")
    start = ton.index("## Parler vélo, pas jargon {#no-jargon}")
    following = ton.find("\n## ", start + 1)
    ton = ton[:start] + (ton[following + 1:] if following != -1 else "")
    insult = r.edit("responses/insulte-avertissement.md", "approved_on: 2025-04-14", "approved_on: 2026-04-20")
    r.commit("Charter: hiding is deleting, partners in private, jargon rule folded into others", "karim", "2026-04-15T10:00:00+02:00",
             {"charter/moderation.md": moderation, "charter/ton.md": ton, "responses/insulte-avertissement.md": insult})
    r.git("checkout", "-q", "main")
    return r


def cli_run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


# -- handover history --------------------------------------------------------------


def test_history_lists_each_commit_with_author_message_and_fields(repo: Repo):
    history = record_history(repo.kb, "kb", "contacts/service-client")
    assert [e.commit.author for e in history.entries] == [AUTHORS["lea"][0], AUTHORS["lea"][0], AUTHORS["claire"][0]]
    assert [e.change.status for e in history.entries] == ["changed", "changed", "added"]
    newest, middle, first = history.entries
    assert newest.commit.subject == "SAV hours" and newest.commit.date.isoformat() == "2026-04-01T08:00:00+02:00"
    assert [(f.name, f.old, f.new) for f in newest.change.fields] == [
        ("availability", "lun.–ven. 8h30–18h30, sam. 9h–12h (hotline seulement)", "lun.–ven. 8h30–18h30, sam. 9h–13h (hotline seulement)")]
    changed = {f.name: f for f in middle.change.fields}
    assert (changed["channels.phone"].old, changed["channels.phone"].new) == ("+33 4 72 60 14 50", "+33 4 72 60 14 99")
    assert changed["escalate_for"].new == ["refund", "delivery", "warranty", "safety"]
    assert first.commit.sha == repo.first and first.change.fields == []


def test_history_cli_text_and_json(repo: Repo):
    result = cli_run("history", "service-client", "--kb", str(repo.kb))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("contacts/service-client (") and lines[0].endswith("3 changes")
    assert any("Léa Martin <lea.martin@cycles-morvan.fr>" in line and "changed" in line for line in lines)
    assert any('channels.phone: "+33 4 72 60 14 50" → "+33 4 72 60 14 99"' in line for line in lines)
    assert any("escalate_for: +\"safety\"" in line for line in lines)
    assert any("[-9h–12h-] {+9h–13h+}" in line for line in lines)  # long text: a word diff
    payload = json.loads(cli_run("history", "contacts/service-client", "--kb", str(repo.kb), "--json").output)
    assert [c["subject"] for c in payload["changes"]] == ["SAV hours", "Service client: new phone, safety questions too", "Knowledge base as of January"]
    assert {"field": "channels.phone", "change": "changed", "old": "+33 4 72 60 14 50", "new": "+33 4 72 60 14 99"} in payload["changes"][1]["fields"]


def test_history_of_a_markdown_record_counts_text_lines(repo: Repo):
    entry = record_history(repo.kb, "kb", "menace-juridique").entries[0]
    assert entry.commit.author == AUTHORS["karim"][0]
    assert entry.change.text is not None and entry.change.text.added >= 1
    assert entry.change.fields == []  # the blank line added after status is not a field change


def test_history_by_file_path_and_of_a_removed_record(repo: Repo):
    by_path = record_history(repo.kb, "kb", str(repo.kb / "contacts" / "service-client.yml"))
    assert by_path.path == "contacts/service-client.yml" and len(by_path.entries) == 3
    removed = record_history(repo.kb, "kb", "hugo-lefebvre")
    assert [e.change.status for e in removed.entries] == ["removed", "added"]


def test_history_unknown_and_ambiguous_ids(repo: Repo, tmp_path: Path):
    unknown = cli_run("history", "nobody-at-all", "--kb", str(repo.kb))
    assert unknown.exit_code == 1 and 'no record "nobody-at-all"' in unknown.output
    bad_kind = cli_run("history", "people/x", "--kb", str(repo.kb))
    assert bad_kind.exit_code == 2 and '"people" is not a record kind' in bad_kind.output
    for not_an_id in ("*", "contacts/[a", "", "../../etc/passwd"):
        refused = cli_run("history", not_an_id, "--kb", str(repo.kb))
        assert refused.exit_code == 2 and ("is not a record id" in refused.output or "is not a record kind" in refused.output), not_an_id
    # The same id in two kinds: ask for KIND/ID.
    clone = Repo(tmp_path / "twins")
    clone.commit("two records named alex", "lea", "2026-01-01T09:00:00+00:00", {
        "handover.yml": "community: Test\n", "team/alex.yml": "name: Alex\n", "contacts/alex.yml": "name: Alex\n"})
    twins = cli_run("history", "alex", "--kb", str(clone.kb))
    assert twins.exit_code == 2 and "contacts/alex.yml" in twins.output and "team/alex.yml" in twins.output
    assert cli_run("history", "team/alex", "--kb", str(clone.kb)).exit_code == 0


# -- handover changes --------------------------------------------------------------


def test_changes_since_a_date_by_kind_with_field_detail(repo: Repo):
    report = changes_since(repo.kb, "kb", "2026-01-06", __import__("datetime").date(2026, 11, 21))
    assert report.base == repo.first and len(report.commits) == 4
    statuses = {r.ref: r.status for r in report.records}
    assert statuses == {"contacts/jean-dupont": "added", "contacts/service-client": "changed", "contacts/hugo-lefebvre": "removed",
                        "responses/menace-juridique": "changed"}
    client = next(r for r in report.records if r.id == "service-client")
    assert {f.name for f in client.fields} == {"channels.phone", "escalate_for", "availability"}  # net, over two commits
    assert [c.subject for c in client.commits] == ["SAV hours", "Service client: new phone, safety questions too"]
    assert [r.kind for r in report.records] == ["contacts", "contacts", "contacts", "responses"]  # the format's order


def test_changes_since_a_revision_equals_since_its_date(repo: Repo):
    import datetime as dt

    by_rev = changes_since(repo.kb, "kb", repo.first, dt.date(2026, 11, 21))
    by_date = changes_since(repo.kb, "kb", "2026-01-06", dt.date(2026, 11, 21))
    assert [r.as_dict() for r in by_rev.records] == [r.as_dict() for r in by_date.records]
    later = changes_since(repo.kb, "kb", "2026-03-10", dt.date(2026, 11, 21))
    assert {r.ref for r in later.records} == {"contacts/hugo-lefebvre", "contacts/service-client"}
    assert [f.name for f in next(r for r in later.records if r.id == "service-client").fields] == ["availability"]


def test_changes_by_author_keeps_their_own_changes(repo: Repo):
    import datetime as dt

    lea = changes_since(repo.kb, "kb", "2026-01-06", dt.date(2026, 11, 21), author="lea martin")
    assert {r.ref: r.status for r in lea.records} == {"contacts/jean-dupont": "added", "contacts/service-client": "changed"}
    assert all(c.author == AUTHORS["lea"][0] for c in lea.commits) and len(lea.commits) == 2
    claire = changes_since(repo.kb, "kb", "2026-01-06", dt.date(2026, 11, 21), author="CLAIRE.FONTAINE@")
    assert {r.ref: r.status for r in claire.records} == {"contacts/hugo-lefebvre": "removed"}


def test_changes_cli_text_json_and_default_window(repo: Repo):
    text = cli_run("changes", str(repo.kb), "--since", "2026-01-06")
    assert text.exit_code == 0, text.output
    assert "4 commits by 3 authors" in text.output
    assert "contacts: 1 added, 1 changed, 1 removed" in text.output
    assert "  - contacts/hugo-lefebvre" in text.output and "  + contacts/jean-dupont" in text.output
    payload = json.loads(cli_run("changes", str(repo.kb), "--since", "2026-01-06", "--json").output)
    assert payload["summary"]["contacts"] == {"added": 1, "changed": 1, "removed": 1}
    assert payload["authors"] == sorted(name for name, _ in AUTHORS.values())
    # Without --since: the last 30 days before --today.
    recent = json.loads(cli_run("changes", str(repo.kb), "--json", "--today", "2026-04-10").output)
    assert recent["since"] == "2026-03-11" and [r["id"] for r in recent["records"]] == ["hugo-lefebvre", "service-client"]
    nothing = cli_run("changes", str(repo.kb), "--today", "2027-06-01")
    assert nothing.exit_code == 0 and "nothing changed" in nothing.output


def test_changes_bad_since(repo: Repo):
    bad_date = cli_run("changes", str(repo.kb), "--since", "2026-02-30")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output
    bad_rev = cli_run("changes", str(repo.kb), "--since", "no-such-branch")
    assert bad_rev.exit_code == 1 and '"no-such-branch" is not a commit' in bad_rev.output


# -- handover review ---------------------------------------------------------------


def test_review_matches_rules_by_id(repo: Repo):
    result = review(repo.kb, "kb", "main..charter-update")
    assert result.base == repo.main_head
    changes = {r.id: r for r in result.rule_changes}
    assert {rid: r.change for rid, r in changes.items()} == {"no-delete": "reworded", "partners-private": "added", "no-jargon": "removed"}
    reworded = changes["no-delete"]
    assert reworded.old.title == "Ne jamais supprimer une critique" and reworded.new.title == "Ne jamais supprimer ni masquer une critique"


def test_review_flags_unapproved_charter_and_lists_responses_to_reapprove(repo: Repo):
    result = review(repo.kb, "kb", "main..charter-update")
    assert [d.path for d in result.flagged] == ["charter/moderation.md"]  # ton.md has a new version and date
    assert "version is still 3.2" in result.flagged[0].unapproved and "approved_on is still 2026-11-30" in result.flagged[0].unapproved
    citing = {c.id: c for c in result.citing}
    assert citing["insulte-avertissement"].reapproved and not citing["insulte-avertissement"].needs_reapproval
    assert citing["appel-boycott"].needs_reapproval and citing["appel-boycott"].rules == ("no-delete",)
    assert "no-jargon" in citing["fabrication-origine"].rules
    expected = {path.stem for path in (BUNDLED_KB / "responses").glob("*.md")
                if any(rule in path.read_text(encoding="utf-8").split("---")[1] for rule in ("no-delete", "no-jargon"))}
    assert set(citing) == expected


def test_review_text_and_markdown(repo: Repo):
    text = cli_run("review", "main..charter-update", "--kb", str(repo.kb))
    assert text.exit_code == 0, text.output
    assert "CHARTER CHANGED WITHOUT RE-APPROVAL" in text.output
    assert "reworded: no-delete" in text.output and "Ne jamais supprimer {+ni masquer+} une critique" in text.output
    assert "[-injuste,-] {+injuste et blessante,+}" in text.output
    markdown = cli_run("review", "main..charter-update", "--kb", str(repo.kb), "--format", "markdown")
    out = markdown.output
    assert out.startswith("### Charter and responses review: `main..charter-update")
    assert "<ins>ni masquer</ins>" in out and "<del>injuste,</del>" in out
    assert "| ⚠️ `responses/appel-boycott`" in out and "re-approved in this change" in out
    assert "- **Removed** `no-jargon`" in out and "- **Added** `partners-private`" in out


def test_review_default_base_is_main(repo: Repo):
    repo.git("checkout", "-q", "charter-update")
    try:
        result = review(repo.kb, "kb", None)
    finally:
        repo.git("checkout", "-q", "main")
    assert result.base_label == "main" and len(result.rule_changes) == 3
    same = cli_run("review", "--kb", str(repo.kb))  # on main itself: nothing to review
    assert same.exit_code == 0 and "No change to the charter or the canned responses." in same.output


def test_review_moved_and_reflowed_rules(tmp_path: Path):
    r = Repo(tmp_path / "moves")
    r.commit("charter", "claire", "2026-01-01T09:00:00+00:00", {
        "charter/a.md": "---\ntitle: A\nversion: '1'\napproved_by: [x]\napproved_on: 2026-01-01\n---\n\n## One {#one}\n\nKeep it short\nand calm.\n\n## Two {#two}\n\nText two.\n",
        "charter/b.md": "---\ntitle: B\nversion: '1'\napproved_by: [x]\napproved_on: 2026-01-01\n---\n\n## Three {#three}\n\nText three.\n"})
    r.commit("move two to b; reflow one", "karim", "2026-01-02T09:00:00+00:00", {
        "charter/a.md": "---\ntitle: A\nversion: '1'\napproved_by: [x]\napproved_on: 2026-01-01\n---\n\n## One {#one}\n\nKeep it short and calm.\n",
        "charter/b.md": "---\ntitle: B\nversion: '2'\napproved_by: [x]\napproved_on: 2026-01-02\n---\n\n## Three {#three}\n\nText three.\n\n## Two {#two}\n\nText two.\n"})
    result = review(r.kb, "kb", "HEAD~1..HEAD")
    changes = {rule.id: rule for doc in result.charter for rule in doc.rules}
    assert changes["two"].change == "moved" and changes["two"].moved_from == "charter/a.md"
    assert changes["one"].change == "reflowed"
    assert [d.path for d in result.flagged] == ["charter/a.md"]  # a rule left it, its version did not move


def test_review_unrelated_histories(repo: Repo, tmp_path: Path):
    repo.git("checkout", "-q", "--orphan", "elsewhere")
    repo.git("commit", "-q", "-m", "unrelated")
    try:
        result = cli_run("review", "main..elsewhere", "--kb", str(repo.kb))
    finally:
        repo.git("checkout", "-q", "-f", "main")
        repo.git("branch", "-D", "elsewhere")
    assert result.exit_code == 1 and "no common history" in result.output


# -- copies of the bundled kb must not leak into the real one ---------------------------


def test_the_bundled_kb_is_untouched(repo: Repo):
    assert (BUNDLED_KB / "contacts" / "hugo-lefebvre.yml").is_file()
    assert not (BUNDLED_KB / "contacts" / "jean-dupont.yml").exists()
    assert os.path.samefile(repo.kb.parent, repo.root) and shutil.which("git")


# -- the site ------------------------------------------------------------------------


def test_site_last_changed_and_recent_changes_from_one_git_pass(repo: Repo):
    from conftest import KB_TODAY

    from handover.git.history import Repository, site_history
    from handover.records.model import load_kb
    from handover.site.pages.generate import generate

    calls: list[str] = []
    real_run = Repository._run

    def counting_run(self, *args, **kwargs):
        calls.append(args[0])
        return real_run(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Repository, "_run", counting_run)
        history = site_history(repo.kb)
    assert calls == ["log"]  # one git process for the whole site
    assert history is not None
    kb = load_kb(str(repo.kb))
    internal = generate(kb, "internal", KB_TODAY, [], history=history)
    assert "modifiée le 1er avril 2026 par Léa Martin" in internal.pages["contacts/service-client.md"]
    assert "modifiée le 5 janvier 2026 par Claire Fontaine" in internal.pages["team/lea-martin.md"]
    page = internal.pages["changes.md"]
    rows = [row for row in page.split("<tr>") if row.startswith("<td>2026-")]
    assert [row.split("<td>")[3].removesuffix("</td>") for row in rows[:4]] == [
        "SAV hours", "Hugo Lefebvre left the press desk", "Response to legal threats: one line more", "Service client: new phone, safety questions too"]
    assert "<del>contacts/hugo-lefebvre</del>" in rows[1] and '<a href="../contacts/jean-dupont/">Jean Dupont</a> (ajoutée)' in rows[3]
    assert {"Modifications récentes": "changes.md"} in internal.nav
    public = generate(kb, "public", KB_TODAY, [], history=history)
    assert "changes.md" not in public.pages  # commit messages and authors are internal
    forum = public.pages["accounts/forum-roue-libre.md"]
    assert "modifiée le 5 janvier 2026" in forum and "Claire Fontaine" not in forum
    without = generate(kb, "internal", KB_TODAY, [])
    assert "changes.md" not in without.pages and "modifiée le" not in without.pages["contacts/service-client.md"]
