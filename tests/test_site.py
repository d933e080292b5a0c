"""The site: generated pages and links (core, no MkDocs), then real MkDocs builds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, KB_TODAY, REPO, write

from handover.cli import cli
from handover.records.model import load_kb
from handover.site.pages.generate import generate

SENTINEL_PHONE = "+33 6 99 88 77 66"
SENTINEL_TEXT = "SENTINEL-7f3a9c-restricted"
# A fake Meta page token (the real shape, never valid).
SENTINEL_TOKEN = "EAAGm0PX4ZCpsBAKZCZBx9hZCw3ZCjSENTINELZAyJ1FZBkZAt7jZC9ZA1Hj2bZBtZCpZAl"


@pytest.fixture(scope="module")
def internal_site():
    return generate(load_kb(str(BUNDLED_KB)), "internal", KB_TODAY, [])


def test_one_page_per_record_and_a_short_navigation(internal_site):
    kb = load_kb(str(BUNDLED_KB))
    for record in kb.all_records():
        assert f"{record.kind.folder}/{record.id}.md" in internal_site.pages
    flat = [value for entry in internal_site.nav for value in entry.values()]
    reports = [v for v in flat if isinstance(v, list)]  # the 12 weekly reports: a fixed number, whatever the size
    assert len(reports) == 1 and [next(iter(week.values())) for week in reports[0]] == [f"reports/2026-W{n}.md" for n in range(46, 34, -1)]
    assert all(isinstance(v, str) and (v.endswith("index.md") or v == "tags.md") for v in flat if not isinstance(v, list))
    assert len(flat) <= 10  # home, seven kinds, reports, tags: never the records


def test_links_both_ways(internal_site):
    contact = internal_site.pages["contacts/antoine-girard.md"]
    assert 'href="../../incidents/2026-04-rappel-freins/"' in contact  # the incident names him: his page says so
    charter = internal_site.pages["charter/moderation.md"]
    assert "Appliquée par ces réponses" in charter and 'href="../../responses/insulte-avertissement/"' in charter
    intern = internal_site.pages["team/lea-martin.md"]
    assert "## Responsabilités" in intern and 'href="../../accounts/instagram-cyclesmorvan/"' in intern


def test_links_follow_the_url_style_of_the_build():
    """The offline build (use_directory_urls: false) links page files, not folders."""
    offline = generate(load_kb(str(BUNDLED_KB)), "internal", KB_TODAY, [], directory_urls=False)
    assert 'href="../incidents/2026-04-rappel-freins.html"' in offline.pages["contacts/antoine-girard.md"]
    assert 'href="incidents/2026-11-rumeur-batterie.html"' in offline.pages["index.md"]
    assert 'href="../moderation.html#' not in offline.pages["charter/index.md"]
    assert 'href="moderation.html#' in offline.pages["charter/index.md"]


def test_generated_html_passes_markdown_untouched_and_a_fenced_marker_stays_text():
    import markdown

    from handover.site.pages.rawhtml import MARKER, NAME, block

    converter = markdown.Markdown(extensions=["pymdownx.superfences", "md_in_html", "tables", NAME])
    source = "# Title\nSome *prose*." + block("<table><tr><td>*kept* [as](is) | x\nnext</td></tr></table>") + f"```text\n{MARKER}<b>x</b>\n```\n"
    out = converter.convert(source)
    assert "<p>Some <em>prose</em>.</p>" in out  # prose around it is still Markdown
    assert "\n<table><tr><td>*kept* [as](is) | x&#10;next</td></tr></table>\n" in out  # not a paragraph, not parsed
    assert out.count("handover-html") == 1  # the marker is taken out of generated lines
    assert "&lt;!--handover-html--&gt;&lt;b&gt;x&lt;/b&gt;" in out  # a fenced example is shown, not stashed


def test_dashboard_shows_continuity(internal_site):
    home = internal_site.pages["index.md"]
    assert "## Départs à venir" in home and "Léa Martin" in home and "aucun successeur désigné" in home
    assert "## Incidents en cours" in home and 'href="incidents/2026-11-rumeur-batterie/"' in home
    assert 'href="responses/candidature-spontanee/"' in home  # the draft awaiting approval
    assert 'href="contacts/pauline-roche/"' in home  # overdue review


def test_response_page_is_ready_to_copy(internal_site):
    page = internal_site.pages["responses/remboursement-demande.md"]
    assert page.index("## Texte à copier") < page.index("<th>Champ</th><th>Valeur</th>")
    assert "```text\nBonjour {prenom}" in page and "<code>{prenom}</code>" in page
    assert "X (Twitter) ✓" in page


def run_build(*args: str):
    return CliRunner().invoke(cli, ["build", *args, "--today", KB_TODAY.isoformat()])


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = run_build(str(BUNDLED_KB), "--strict", "-d", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_handover_build_strict_publishes_no_raw_record(built_site: Path):
    assert (built_site / "index.html").is_file() and (built_site / "accounts" / "instagram-cyclesmorvan" / "index.html").is_file()
    raw = [p for p in built_site.rglob("*") if p.suffix in (".yml", ".yaml")]
    assert raw == []
    assert not (built_site / "handover.yml").exists()


def test_rule_anchors_are_stable(built_site: Path):
    html = (built_site / "charter" / "moderation" / "index.html").read_text(encoding="utf-8")
    assert 'id="no-delete"' in html and 'id="no-answer-all"' in html


def test_plain_mkdocs_build_strict(tmp_path: Path):
    process = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                             cwd=REPO, capture_output=True, text=True, env={**__import__("os").environ, "HANDOVER_TODAY": KB_TODAY.isoformat()})
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "site" / "contacts" / "cabinet-lemaire" / "index.html").is_file()


def test_validation_errors_stop_the_build(kb_copy: Path, tmp_path: Path):
    write(kb_copy, "contacts/broken.yml", "name: X\norganization: Y\ndepartment: legal\nchannels: {phone: 0612345670}\n")
    result = run_build(str(kb_copy), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "contacts/broken.yml:4:19: error E201" in result.output
    assert not (tmp_path / "out").exists()


def plant_sentinels(kb: Path) -> None:
    """A public record with a restricted override and a non-public field, and an
    internal record: none of their secrets may reach the public site."""
    account = kb / "accounts" / "linkedin-cycles-morvan.yml"
    text = account.read_text(encoding="utf-8")
    assert "\nbest_times:" in text  # an internal-only field of a public record
    text = re.sub(r"\nbest_times:.*", f'\nbest_times: "{SENTINEL_TEXT} best times"', text)
    account.write_text(text, encoding="utf-8")
    contact = kb / "contacts" / "helene-vasseur.yml"
    contact.write_text(contact.read_text(encoding="utf-8").replace("channels:", f'channels:\n  mobile: "{SENTINEL_PHONE}"', 1), encoding="utf-8")
    write(kb, "influencers/sentinel-public.yml",
          "name: Public Sentinel\nhandles: {x: '@publicsentinel'}\nstance: neutral\nvisibility: public\n"
          f"field_visibility: {{topics: restricted}}\ntopics: ['{SENTINEL_TEXT} topic']\nnotes: '{SENTINEL_TEXT} notes'\n")


def test_public_build_leaks_nothing(kb_copy: Path, tmp_path: Path):
    plant_sentinels(kb_copy)
    out = tmp_path / "public"
    result = run_build(str(kb_copy), "--audience", "public", "--strict", "-d", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "influencers" / "sentinel-public" / "index.html").is_file()  # the public record is there
    assert (out / "accounts" / "linkedin-cycles-morvan" / "index.html").is_file()
    assert not (out / "contacts" / "helene-vasseur").exists()  # internal record: absent
    needles = (SENTINEL_TEXT, SENTINEL_PHONE, SENTINEL_PHONE.replace(" ", ""), "helene-vasseur", "Hélène Vasseur", "lea-martin")
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js", ".xml", ".txt", ".md"):
            text = unescape_json(path.read_text(encoding="utf-8", errors="replace"))
            for needle in needles:
                assert needle not in text, f"{needle} leaked into {path.relative_to(out)}"
    assert (out / "_handover" / "search" / "index.js").is_file() and (out / "sitemap.xml").is_file()
    assert not (out / "search").exists()  # Material's search index is not built


def unescape_json(text: str) -> str:
    """`H\\u00e9l\\u00e8ne` as `Hélène`, in case a JSON writer escapes what is not ASCII."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def plant_token(kb: Path) -> tuple[str, int, int]:
    """The token in an internal field of a public record; returns where validate must say it is."""
    account = kb / "accounts" / "linkedin-cycles-morvan.yml"
    text = account.read_text(encoding="utf-8")
    assert "\nnotes: |\n" in text and "\nvisibility: public\n" in text  # notes: internal-only field of a public record
    text = text.replace("\nnotes: |\n", f"\nnotes: |\n  Jeton de la page, à révoquer : {SENTINEL_TOKEN}\n")
    account.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"  Jeton de la page, à révoquer : {SENTINEL_TOKEN}") + 1
    return "accounts/linkedin-cycles-morvan.yml", line, len("  Jeton de la page, à révoquer : ") + 1


def test_sentinel_phone_and_token_never_reach_the_public_site_nor_the_public_pack(tmp_path: Path):
    """Issue 8's proof: a private phone number and a token planted in a copy of the
    bundled kb (in git, so that the pack could carry history). Validate fails on the
    token, located; the public build refuses; a public pack forced despite the secret
    carries neither, in any of its files; and a public site built after a reviewer
    wrongly allow-listed the token carries neither either."""
    import zipfile

    from gitkb import Repo

    repo = Repo(tmp_path / "repo", BUNDLED_KB)
    kb = repo.kb
    plant_sentinels(kb)
    file, line, col = plant_token(kb)
    repo.commit("Plant the sentinels", "lea", "2026-11-20T10:00:00+01:00")
    needles = (SENTINEL_TOKEN, SENTINEL_TOKEN[:24], SENTINEL_PHONE, SENTINEL_PHONE.replace(" ", ""), "33699887766", SENTINEL_TEXT)

    validated = CliRunner().invoke(cli, ["validate", str(kb), "--today", KB_TODAY.isoformat()])
    assert validated.exit_code == 1
    assert f"{file}:{line}:{col}: error E602 a Meta (Facebook/Instagram) access token" in validated.output
    assert [n for n in needles if n in validated.output] == []  # the report itself does not repeat it

    refused = run_build(str(kb), "--audience", "public", "-d", str(tmp_path / "refused"))
    assert refused.exit_code == 1 and "E602" in refused.output and not (tmp_path / "refused").exists()

    pack = tmp_path / "public.zip"
    exported = CliRunner().invoke(cli, ["export", "--kb", str(kb), "--audience", "public", "--force", "-o", str(pack), "--today", KB_TODAY.isoformat()])
    assert exported.exit_code == 0, exported.output
    assert "made despite: 1 secret(s)" in exported.output
    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
        assert any(n.endswith("/site/_handover/search/index.js") for n in names) and any(n.endswith("/data.json") for n in names)
        assert not any(n.endswith(".bundle") for n in names)  # a public pack carries no history
        for name in names:
            content = unescape_json(archive.read(name).decode("utf-8", errors="replace"))
            assert [n for n in needles if n in content] == [], f"leaked into {name}"

    from handover.records.secretwords import fingerprint

    config = kb / "handover.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"secrets_allow:\n  - file: {file}\n    fingerprint: {fingerprint(SENTINEL_TOKEN)}\n"
                      "    reason: wrongly judged harmless, to prove the audience filter holds on its own\n", encoding="utf-8")
    out = tmp_path / "public"
    built = run_build(str(kb), "--audience", "public", "-d", str(out))
    assert built.exit_code == 0, built.output
    files = [p for p in out.rglob("*") if p.is_file()]
    assert out / "_handover" / "search" / "index.js" in files and out / "sitemap.xml" in files
    for path in files:
        content = unescape_json(path.read_bytes().decode("utf-8", errors="replace"))
        assert [n for n in needles if n in content] == [], f"leaked into {path.relative_to(out)}"


def test_internal_build_keeps_restricted_fields_out(kb_copy: Path, tmp_path: Path):
    plant_sentinels(kb_copy)
    out = tmp_path / "internal"
    assert run_build(str(kb_copy), "-d", str(out)).exit_code == 0
    page = (out / "influencers" / "sentinel-public" / "index.html").read_text(encoding="utf-8")
    assert f"{SENTINEL_TEXT} notes" in page  # internal field: shown to the team
    assert f"{SENTINEL_TEXT} topic" not in page  # restricted: never built
    assert SENTINEL_PHONE in (out / "contacts" / "helene-vasseur" / "index.html").read_text(encoding="utf-8")


def test_offline_build_needs_no_network(tmp_path: Path):
    out = tmp_path / "offline"
    result = run_build(str(BUNDLED_KB), "--offline", "-d", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "_handover" / "search" / "index.js").is_file() and not (out / "search").exists()
    assert (out / "index.html").is_file() and (out / "contacts" / "cabinet-lemaire.html").is_file()  # file:// friendly URLs
    html = (out / "index.html").read_text(encoding="utf-8")
    # handover's search loads its index as scripts: no worker, so no iframe-worker polyfill from unpkg
    assert "unpkg.com" not in html and "iframe-worker" not in html and "_handover/handover-search.js" in html


def test_an_older_mkdocs_yml_with_materials_search_gets_handovers_instead(tmp_path: Path):
    """A mkdocs.yml written by an earlier `handover init` lists Material's search plugin:
    the handover plugin switches it off, so its whole-site index is neither built nor
    downloaded, and the header holds handover's box alone."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nplugins:\n" in config and "- search" not in config
    older = tmp_path / "mkdocs.yml"
    older.write_text(config.replace("\nplugins:\n", "\nplugins:\n  - search:\n      lang: [fr, en]\n")
                     .replace("docs_dir: kb", f"docs_dir: {BUNDLED_KB}"), encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(str(BUNDLED_KB), "-f", str(older), "-d", str(out))
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "search").exists() and 'class="md-search"' not in html and "_handover/handover-search.js" in html
    assert (out / "_handover" / "search" / "index.js").is_file()


def test_a_kb_without_mkdocs_yml_builds_with_defaults(tmp_path: Path):
    write(tmp_path / "kb", "handover.yml", "community: Petite communauté\nlanguage: fr\n")
    write(tmp_path / "kb", "team/ana.yml", "name: Ana\nrole: CM\nemail: ana@example.fr\nstart: 2025-01-01\nstatus: active\n")
    result = run_build(str(tmp_path / "kb"), "--strict", "-d", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "Petite communauté" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


# --- reading: dates, sentences, headers, drafts (issue 21) -------------------------


@pytest.fixture(scope="module")
def public_site():
    return generate(load_kb(str(BUNDLED_KB)), "public", KB_TODAY, [])


def test_dates_in_sentences_read_as_the_language_writes_them(internal_site):
    import datetime as dt

    from handover.records.labels import long_date

    assert long_date(dt.date(2026, 12, 18), "fr") == "18 décembre 2026"
    assert long_date(dt.date(2026, 8, 1), "fr") == "1er août 2026"
    assert long_date(dt.date(2026, 12, 18), "en") == "18 December 2026"
    home = internal_site.pages["index.md"]
    assert "part le 18 décembre 2026 (dans 27 jours)" in home
    assert "part le 2026-12-18" not in home
    assert re.search(r"en retard depuis le \d{1,2}(er)? [a-zéû]+ \d{4}", home)
    response = internal_site.pages["responses/candidature-spontanee.md"]
    assert "Léa Martin part le 18 décembre 2026 : aucun successeur désigné." in response
    assert "Dernière relecture : 5 novembre 2026 · prochaine relecture avant le 4 mai 2027" in response


def test_a_sentence_after_a_full_stop_starts_with_a_capital(internal_site):
    home = internal_site.pages["index.md"]
    assert "aucun successeur désigné</strong>. Détient encore 11 fiches" in home
    assert ". détient" not in home


def test_no_table_has_an_empty_header(internal_site, public_site):
    for site in (internal_site, public_site):
        for uri, page in site.pages.items():
            assert "<th></th>" not in page, uri


def test_the_leavers_page_lists_each_record_once(internal_site):
    page = internal_site.pages["team/lea-martin.md"]
    held = page[page.index("## Responsabilités"):].split("## ")[1]
    rows = re.findall(r"<tr><td>(.*?)</td>", held)
    assert len(rows) == len(set(rows)) == 11, rows
    assert "Responsable, Identifiants › Partagée avec, Double authentification › Détenue par" in held  # TikTok: all roles, one row


def test_a_draft_response_says_so_where_its_text_is_copied(internal_site):
    draft = internal_site.pages["responses/candidature-spontanee.md"]
    heading = draft.index("## Texte à copier")
    assert heading < draft.index('class="ho-draft"') < draft.index("```text")
    assert 'class="ho-copy-text"' in draft
    approved = internal_site.pages["responses/remboursement-demande.md"]
    assert 'class="ho-draft"' not in approved and 'class="ho-copy-text"' in approved


def test_public_home_says_what_it_is_and_shows_no_empty_internals(public_site, internal_site):
    home = public_site.pages["index.md"]
    assert "La partie publique de la base" in home
    accounts = home[home.index("## Les comptes"):]
    head = re.search(r"<thead>(.*?)</thead>", accounts)
    assert head and re.findall(r"<th>(.*?)</th>", head.group(1)) == ["Identifiant", "Statut", "Abonnés"]
    assert "<td></td>" not in accounts
    # the open incidents are internal: the public page does not claim there are none
    assert "Incidents en cours" not in home and "Aucun." not in home
    assert "## Incidents en cours" in internal_site.pages["index.md"]


def test_format_and_public_build_agree_on_follower_counts(public_site):
    """A public field's value is published whole: the format marks its parts public too."""
    from handover.records.fieldtypes import ListOf, MapOf, Obj
    from handover.records.kinds import KINDS

    for kind in KINDS.values():
        for spec in kind.all_fields().values():
            inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
            inner = inner.value if isinstance(inner, MapOf) else inner
            if spec.public and isinstance(inner, Obj):
                assert all(part.public for part in inner.fields), f"{kind.folder}.{spec.name}"
    assert "Abonnés : 6\u202f400" in public_site.pages["accounts/linkedin-cycles-morvan.md"]  # as the format says: public
    assert "<td>6\u202f400</td>" in public_site.pages["index.md"]


# --- the offline switch -------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "yes", "TRUE"])
def test_handover_offline_variable_turns_the_offline_site_on(value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HANDOVER_OFFLINE", value)
    out = tmp_path / "site"
    result = run_build(str(BUNDLED_KB), "-d", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "contacts" / "cabinet-lemaire.html").is_file() and not (out / "contacts" / "cabinet-lemaire").exists()


def test_handover_offline_no_builds_the_online_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HANDOVER_OFFLINE", "0")
    out = tmp_path / "site"
    assert run_build(str(BUNDLED_KB), "-d", str(out)).exit_code == 0
    assert (out / "contacts" / "cabinet-lemaire" / "index.html").is_file() and not (out / "contacts" / "cabinet-lemaire.html").exists()


def test_an_invalid_handover_offline_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HANDOVER_OFFLINE", "maybe")
    out = tmp_path / "site"
    result = run_build(str(BUNDLED_KB), "-d", str(out))
    assert result.exit_code == 1
    assert "HANDOVER_OFFLINE='maybe' is neither yes nor no" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_plain_mkdocs_build_reads_handover_offline(tmp_path: Path):
    import os

    env = {**os.environ, "HANDOVER_OFFLINE": "1", "HANDOVER_TODAY": KB_TODAY.isoformat()}
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
                          check=False, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (out / "contacts" / "cabinet-lemaire.html").is_file() and (out / "index.html").is_file()
    env["HANDOVER_OFFLINE"] = "peut-être"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp_path / "bad")],
                          check=False, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0 and "is neither yes nor no" in done.stderr


def test_the_built_site_shows_the_checklist_and_the_last_exchanges(built_site: Path):
    """A real MkDocs build: the dashboard and Léa's page carry her checklist, a
    relationship's page its last exchanges."""
    import html as html_module

    def visible(relative: str) -> str:
        raw = (built_site / relative).read_text(encoding="utf-8")
        return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw[raw.index("<article"): raw.index("</article>")])))

    home = visible("index.html")
    assert "Liste de départ" in home and "0 étape(s) sur 30 faites ou sans objet, 30 à faire" in home
    assert "TikTok @cyclesmorvan : basculer la double authentification" in home
    lea = visible("team/lea-martin/index.html")
    assert "Liste de départ" in lea and "accounts/facebook-cyclesmorvan:access" in lea and "handover checklist lea-martin --done" in lea
    julie = visible("influencers/julie-roule/index.html")
    assert "Derniers échanges" in julie and "Intéressée, attend une proposition écrite" in julie
