"""What `handover search` must find however it is typed (issue 17: typos, phone
numbers, e-mail addresses), and what it must never show or read (issue 15: secrets,
record files linked from outside the knowledge base). Real Whoosh indexes of copies
of the bundled knowledge base, through the CLI where the user would see it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB

from handover.cli import cli


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled kb, searched read-only by the tests of this module."""
    root = tmp_path_factory.mktemp("findable") / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    return root


def search_json(root: Path, query: str, limit: int = 200) -> dict:
    result = CliRunner().invoke(cli, ["search", query, "--kb", str(root), "--json", "-n", str(limit)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def found(root: Path, query: str, limit: int = 200) -> list[str]:
    return [hit["ref"] for hit in search_json(root, query, limit)["results"]]


# --------------------------------------------------------------------------- typos


@pytest.mark.parametrize(("typo", "word"), [
    ("remboursment", "remboursement"),  # a letter missing
    ("remboursemnt", "remboursement"),  # another one, near the end: stemmed apart from the word
    ("moderatoin", "moderation"),  # two letters swapped
    ("modératoin", "modération"),  # with its accent
    ("remboursemant", "remboursement"),  # a wrong letter
    ("rembourssement", "remboursement"),  # an extra letter
])
def test_a_one_letter_typo_finds_what_the_word_finds(shared_kb: Path, typo: str, word: str):
    """The README promises one-letter tolerance: the typo's results are the word's, in
    the same order, and the JSON says the typo was widened."""
    exact = search_json(shared_kb, word)
    widened = search_json(shared_kb, typo)
    assert exact["fuzzy"] == [] and exact["total"] >= 5
    assert widened["fuzzy"] == [typo]
    assert [hit["ref"] for hit in widened["results"]] == [hit["ref"] for hit in exact["results"]]


def test_a_typo_in_the_text_output_says_close_spellings_were_searched(shared_kb: Path):
    result = CliRunner().invoke(cli, ["search", "remboursment", "--kb", str(shared_kb)])
    assert result.exit_code == 0
    assert 'no exact match for "remboursment": close spellings searched instead' in result.stderr
    assert "responses/remboursement-demande" in result.stdout


def test_a_word_found_nowhere_and_close_to_nothing_finds_nothing(shared_kb: Path):
    assert found(shared_kb, "xylophonique") == []


# --------------------------------------------------------------------------- one walk


def test_a_record_linked_from_outside_is_refused_by_validate_and_never_searched(tmp_path: Path):
    """validate refuses a record file that links outside the knowledge base (E111);
    search walks the record files the same way, so it neither indexes nor prints it."""
    root = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "zorglub.yml").write_text('name: Zorglub Zorglubien\norganization: Ailleurs\ndepartment: Dehors\n'
                                          'channels:\n  email: zorglub@ailleurs.example\n', encoding="utf-8")
    (root / "contacts" / "zorglub.yml").symlink_to(outside / "zorglub.yml")
    linked_folder = outside / "more"
    linked_folder.mkdir()
    (linked_folder / "zorglub-bis.yml").write_text((outside / "zorglub.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "contacts" / "more").symlink_to(linked_folder)  # a linked folder is not entered either

    validate = CliRunner().invoke(cli, ["validate", str(root), "--today", "2026-11-21", "--format", "json"])
    problems = json.loads(validate.stdout)["problems"]
    assert any(p["code"] == "E111" and p["path"].endswith("contacts/zorglub.yml") for p in problems)
    assert not any("zorglub-bis" in p["path"] for p in problems)

    for query in ("zorglubien", "kind:contact Ailleurs", "id:zorglub"):
        payload = search_json(root, query)
        assert payload["results"] == [] and payload["total"] == 0, query
    text = CliRunner().invoke(cli, ["search", "zorglubien", "--kb", str(root)])
    assert "zorglub" not in text.stdout.lower().replace('"zorglubien"', "")


def test_reply_does_not_print_a_response_linked_from_outside(tmp_path: Path):
    """The same walk finds responses for `handover reply` (and its completion)."""
    root = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: Dehors\n---\nTexte venu d'ailleurs, jamais lu.\n", encoding="utf-8")
    (root / "responses" / "dehors.md").symlink_to(outside)
    result = CliRunner().invoke(cli, ["reply", "dehors", "--kb", str(root)])
    assert result.exit_code == 1 and "ailleurs" not in result.stdout
    assert 'no canned response "dehors"' in result.output


# --------------------------------------------------------------------------- secrets

TOKEN = "EAABsbCS1iHgBAKZCZCZBZBZCZBZCZAZBZAZCZDZEZFZGZHZ1234"  # a Meta token's shape, planted
PASSWORD = "Velo2024!Morvan"
FIELD_PASSWORD = "Hunter2-Cargo!"


@pytest.fixture(scope="module")
def planted_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled kb with a token and a password in an account's notes, and a
    password field: validate refuses them (E601-E603); search must not print them."""
    root = tmp_path_factory.mktemp("planted") / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    account = root / "accounts" / "instagram-cyclesmorvan.yml"
    text = account.read_text(encoding="utf-8").replace(
        "notes: |\n", f"password: \"{FIELD_PASSWORD}\"\nnotes: |\n  Jeton de la page pour l'outil de planification : {TOKEN} (renouveler en mars).\n"
                      f"  Accès de secours à la console, mdp: {PASSWORD}\n", 1)
    account.write_text(text, encoding="utf-8")
    return root


def test_validate_finds_the_planted_secrets(planted_kb: Path):
    validate = CliRunner().invoke(cli, ["validate", str(planted_kb), "--today", "2026-11-21", "--format", "json"])
    codes = {p["code"] for p in json.loads(validate.stdout)["problems"] if p["path"].endswith("instagram-cyclesmorvan.yml")}
    assert {"E601", "E602", "E603"} <= codes


@pytest.mark.parametrize("query", ["planification jeton", "console secours", "kind:account instagram", "Hunter2", TOKEN])
def test_search_never_prints_a_secret(planted_kb: Path, query: str):
    text = CliRunner().invoke(cli, ["search", query, "--kb", str(planted_kb), "-n", "50"])
    as_json = CliRunner().invoke(cli, ["search", query, "--kb", str(planted_kb), "-n", "50", "--json"])
    assert text.exit_code == 0 and as_json.exit_code == 0
    for output in (text.output, as_json.output):
        for secret in (TOKEN, PASSWORD, FIELD_PASSWORD, TOKEN[4:20], "Hunter2"[:6] + "-"):
            assert secret not in output, (query, secret)


def test_a_secret_in_a_passage_is_shown_as_validate_shows_it(planted_kb: Path):
    """The passage keeps its words and shows the secret's first characters and its
    fingerprint, the one validate reports (so it can be found and allowed)."""
    from handover.records.secretwords import fingerprint

    hits = search_json(planted_kb, "planification jeton")["results"]
    hit = next(hit for hit in hits if hit["ref"] == "accounts/instagram-cyclesmorvan")
    assert f'[secret "EAAB…" {fingerprint(TOKEN)}]' in hit["snippet"] and "**planification**" in hit["snippet"]
    hits = search_json(planted_kb, "console secours")["results"]
    hit = next(hit for hit in hits if hit["ref"] == "accounts/instagram-cyclesmorvan")
    assert f'mdp: [secret "Ve…" {fingerprint(PASSWORD)}]' in hit["snippet"]


# --------------------------------------------------------------------------- phones and e-mail addresses


@pytest.mark.parametrize("written", [
    "+33 4 72 60 14 65",  # as stored
    "+33472601465",  # E.164
    "04 72 60 14 65",  # the national way, read in handover.yml's country (FR)
    "0472601465",
    "04.72.60.14.65",
    "04-72-60-14-65",
    "0033 4 72 60 14 65",
    "appeler le 04 72 60 14 65 demain",  # among words
])
def test_a_phone_number_is_found_however_it_is_written(shared_kb: Path, written: str):
    payload = search_json(shared_kb, written)
    assert [hit["ref"] for hit in payload["results"]][:1] == ["contacts/antoine-girard"]
    if not written.startswith("appeler"):
        assert "**+33 4 72 60 14 65**" in payload["results"][0]["snippet"]  # the number marked as stored


def test_a_phone_number_nobody_has_finds_nothing(shared_kb: Path):
    """No typo tolerance on numbers: a number one digit off is another person's."""
    assert found(shared_kb, "+33 4 72 60 14 66") == []
    assert found(shared_kb, "06 99 99 99 99") == []


@pytest.mark.parametrize("written", [
    "antoine.girard@cycles-morvan.fr",  # as stored
    "Antoine.Girard@Cycles-Morvan.FR",  # in capitals
    "<antoine.girard@cycles-morvan.fr>",  # as a mail client copies it
    "mailto:antoine.girard@cycles-morvan.fr",
])
def test_an_email_address_is_found_however_it_is_written(shared_kb: Path, written: str):
    assert found(shared_kb, written) == ["contacts/antoine-girard"]  # that address only, not everyone at cycles-morvan.fr


def test_the_words_of_an_address_still_match(shared_kb: Path):
    assert "contacts/service-client" in found(shared_kb, "sav")


def test_numbers_are_indexed_as_queries_read_them():
    """The index side (a list of forms) and the query side (tokens) agree on phone
    numbers, as on words (the counted formats rely on it)."""
    from handover.search.index import analyzer

    text = "Appelez le +33 6 12 34 56 78 ou 06.12.34.56.78 ; jean.dupont@Cycles-Morvan.fr, le 2026-11-21 à 12:30"
    analyze = analyzer("fr", "FR")
    forms = analyze.forms(text)
    assert forms == [token.text for token in analyze(text)]
    assert forms.count("33612345678") == 2 and {"jean.dupont", "morvan.fr"} <= set(forms)
    assert "2026" in forms  # a date is not a phone number
