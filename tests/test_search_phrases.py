"""Phrases in `handover search`: looked up as word pairs (the `pairs` field), checked
on word positions for three words or more, on real Whoosh indexes of a copy of the
bundled knowledge base with a few records written for the purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import BUNDLED_KB, write

import handover.search.update as search_module
from handover.search.cache import cache_folder, current
from handover.search.index import PAIRS, PairAnalyzer, analyzer, index_fields, mark_words, open_index, using_index

LANGUAGE = "fr"

# Invented words, so that only these records hold them.
RECORDS = {
    # the three words side by side, with a stop word between the first two
    "contacts/phrase-ensemble.yml": "name: Agnès Ferrandou\norganization: Atelier Ferrandou\ndepartment: media\n"
                                    "notes: Elle tient la guirlande de Quimperlé tressée chaque hiver.\n",
    # inflected, accented and capitalised otherwise
    "contacts/phrase-flechie.yml": "name: Basile Ferrandou\norganization: Atelier Ferrandou\ndepartment: media\n"
                                   "notes: Les Guirlandes de QUIMPERLE, tressées à la main.\n",
    # "guirlande de Quimperlé" and "Quimperlé tressée" both, never the three together
    "contacts/phrase-disjointe.yml": "name: Chloé Ferrandou\norganization: Atelier Ferrandou\ndepartment: media\n"
                                     "notes: Une guirlande de Quimperlé pend au mur. À Quimperlé tressée ou non, peu importe.\n",
    # the words, in another order
    "contacts/phrase-desordre.yml": "name: Denis Ferrandou\norganization: Atelier Ferrandou\ndepartment: media\n"
                                    "notes: Tressée à Quimperlé, une belle guirlande.\n",
    # the words apart, in the right order
    "contacts/phrase-ecartee.yml": "name: Élise Ferrandou\norganization: Atelier Ferrandou\ndepartment: media\n"
                                   "notes: La guirlande rouge vient de Quimperlé.\n",
    # the phrase in an incident, and in a response
    "incidents/2026-01-guirlande.md": "---\ntitle: Panne de la guirlande de Quimperlé\nstarted: 2026-01-05\nseverity: 2\nstatus: closed\n---\n"
                                      "La guirlande de Quimperlé tressée s'est éteinte pendant le direct.\n",
    # the last word of the title, then the first word of the first situation
    "responses/phrase-titre.md": "---\ntitle: Question sur une guirlande\nwhen:\n  - \"Quimperlé, est-ce loin ?\"\nplatforms: [x]\n"
                                 "language: fr\nstatus: draft\n---\nBonjour, merci pour votre question.\n",
}


@pytest.fixture(scope="module")
def phrase_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("phrases") / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    for relative, text in RECORDS.items():
        write(root, relative, text)
    open_index(root, LANGUAGE).close()
    return root


def search(root: Path, query: str, **options):
    return using_index(root, LANGUAGE, lambda index: index.search(query, **options))


def refs(root: Path, query: str, **options) -> set[str]:
    result = search(root, query, limit=500, **options)
    assert result.total == len(result.hits)  # the count agrees with what is listed
    return {hit.ref for hit in result.hits}


TOGETHER = {"contacts/phrase-ensemble", "contacts/phrase-flechie", "incidents/2026-01-guirlande"}


# --------------------------------------------------------------------------- two words: one pair


def test_two_word_phrase_matches_adjacent_words_only(phrase_kb: Path):
    found = refs(phrase_kb, '"guirlande de Quimperlé"')
    assert found == TOGETHER | {"contacts/phrase-disjointe"}
    # each word alone is in more records: the reversed and the separated ones
    assert {"contacts/phrase-desordre", "contacts/phrase-ecartee"} <= refs(phrase_kb, "guirlande AND quimperlé") - found


@pytest.mark.parametrize("query", ['"Guirlandes de QUIMPERLE"', '"guirlande Quimperle"', '"GUIRLANDE DE QUIMPERLÉ"'])
def test_phrase_folds_accents_case_and_inflections(phrase_kb: Path, query: str):
    assert refs(phrase_kb, query) == refs(phrase_kb, '"guirlande de Quimperlé"')


def test_reversed_phrase_is_another_phrase(phrase_kb: Path):
    assert refs(phrase_kb, '"Quimperlé guirlande"') == set()
    assert refs(phrase_kb, '"tressée à Quimperlé"') == {"contacts/phrase-desordre"}
    assert refs(phrase_kb, '"Quimperlé tressée"') == TOGETHER | {"contacts/phrase-disjointe"}


def test_phrase_does_not_run_from_one_field_into_the_next(phrase_kb: Path):
    """The response's title ends with "guirlande" and its first situation starts with
    "Quimperlé": in a record's text they follow each other, but they are not a phrase."""
    assert "responses/phrase-titre" in refs(phrase_kb, "guirlande AND quimperlé")
    assert "responses/phrase-titre" not in refs(phrase_kb, '"guirlande Quimperlé"')


def test_phrase_of_one_word_is_the_word(phrase_kb: Path):
    assert refs(phrase_kb, '"Quimperlé"') == refs(phrase_kb, "quimperlé")
    assert refs(phrase_kb, '"de la"') == set()  # stop words only: nothing to look for


# --------------------------------------------------------------------------- three words and more


def test_three_word_phrase_needs_the_words_in_a_row(phrase_kb: Path):
    """phrase-disjointe holds both pairs ("guirlande Quimperlé", "Quimperlé tressée"),
    apart: the word positions rule it out."""
    assert refs(phrase_kb, '"guirlande de Quimperlé tressée"') == TOGETHER
    assert refs(phrase_kb, '"guirlandes de quimperle tressees"') == TOGETHER
    assert refs(phrase_kb, '"la guirlande de Quimperlé tressée chaque hiver"') == {"contacts/phrase-ensemble"}
    assert refs(phrase_kb, '"guirlande de Quimperlé tressée à la main"') == {"contacts/phrase-flechie"}


def test_long_phrase_among_many_records_with_its_pairs(kb_copy: Path):
    """Many records hold the pairs of a phrase apart, one holds the phrase: the position
    check must skip the others whichever order the index has them in."""
    for number in range(40):
        write(kb_copy, f"contacts/apart-{number:02}.yml", "name: Apart\ndepartment: media\n"
              "notes: Le marché de Landerneau ouvre tard. Landerneau ouvre ses portes.\n")
    write(kb_copy, "contacts/apart-20b.yml", "name: Together\ndepartment: media\nnotes: Le marché de Landerneau ouvre ses portes.\n")
    result = search(kb_copy, '"marché de Landerneau ouvre ses portes"', limit=100)
    assert [hit.ref for hit in result.hits] == ["contacts/apart-20b"] and result.total == 1
    assert search(kb_copy, '"marché de Landerneau ouvre"', limit=100).total == 41


# --------------------------------------------------------------------------- with the rest of the syntax


def test_phrase_with_filters_and_not(phrase_kb: Path):
    phrase = '"guirlande de Quimperlé"'
    assert refs(phrase_kb, f"{phrase} kind:incident") == {"incidents/2026-01-guirlande"}
    contacts = {"contacts/phrase-ensemble", "contacts/phrase-flechie", "contacts/phrase-disjointe"}
    assert refs(phrase_kb, phrase, kinds=["contact"]) == contacts
    assert refs(phrase_kb, f"{phrase} NOT kind:contact") == {"incidents/2026-01-guirlande"}
    assert refs(phrase_kb, f"{phrase} NOT hiver") == (TOGETHER | contacts) - {"contacts/phrase-ensemble"}
    assert refs(phrase_kb, f'{phrase} NOT "tressée chaque hiver"') == (TOGETHER | contacts) - {"contacts/phrase-ensemble"}
    assert refs(phrase_kb, f'{phrase} NOT "pend au mur"') == TOGETHER  # not phrase-disjointe
    assert refs(phrase_kb, f'{phrase} NOT "pend au plafond"') == TOGETHER | contacts
    assert refs(phrase_kb, f"{phrase} AND hiver") == {"contacts/phrase-ensemble"}
    assert refs(phrase_kb, 'kind:contact NOT "guirlande de Quimperlé"') >= {"contacts/phrase-desordre", "contacts/phrase-ecartee"}
    assert not refs(phrase_kb, 'kind:contact NOT "guirlande de Quimperlé"') & contacts


def test_phrase_or_phrase(phrase_kb: Path):
    either = refs(phrase_kb, '"guirlande rouge" OR "tressée à Quimperlé"')
    assert either == {"contacts/phrase-ecartee", "contacts/phrase-desordre"}


def test_phrase_and_words_rank_together(phrase_kb: Path):
    """A phrase among words counts like a word: of the contacts that hold the
    phrase once, the one that also says "hiver" comes first."""
    ranked = [hit.ref for hit in search(phrase_kb, '"guirlande de Quimperlé" hiver', limit=20).hits]
    contacts = [ref for ref in ranked if ref.startswith("contacts/phrase-")]
    assert contacts[0] == "contacts/phrase-ensemble"
    assert set(ranked) >= TOGETHER


def test_phrase_in_the_title_field_is_its_words_there_as_before(phrase_kb: Path):
    """`title` keeps no pairs and no positions: a phrase there is looked for as its
    words, in any order, as before the pairs (alone in a query, any of them may match)."""
    hits = search(phrase_kb, 'title:"guirlande de Quimperlé"', limit=50).hits
    assert hits[0].ref == "incidents/2026-01-guirlande"
    assert {hit.ref for hit in hits} == refs(phrase_kb, "title:guirlande OR title:quimperlé")
    assert refs(phrase_kb, 'title:"Quimperlé panne" kind:incident') == {"incidents/2026-01-guirlande"}
    assert refs(phrase_kb, 'title:"guirlande de Quimperlé" kind:contact') == set()


def test_phrase_with_slop_reads_positions(phrase_kb: Path):
    near = refs(phrase_kb, '"guirlande Quimperlé"~3')
    assert "contacts/phrase-ecartee" in near  # "guirlande rouge vient de Quimperlé": two words between
    assert "contacts/phrase-desordre" not in near  # the other order


# --------------------------------------------------------------------------- what is shown


def test_snippet_marks_the_phrase_where_its_words_follow_each_other(phrase_kb: Path):
    hit = next(h for h in search(phrase_kb, '"guirlande de Quimperlé"', limit=20).hits if h.ref == "contacts/phrase-disjointe")
    assert "**guirlande de Quimperlé**" in hit.snippet
    assert hit.snippet.count("**") == 2  # the second "Quimperlé" is not part of the phrase
    long = next(h for h in search(phrase_kb, '"guirlande de Quimperlé tressée"').hits if h.ref == "contacts/phrase-ensemble")
    assert "**guirlande de Quimperlé tressée**" in long.snippet


def test_title_holding_the_phrase_ranks_first(phrase_kb: Path):
    hits = search(phrase_kb, '"guirlande de Quimperlé"').hits
    assert hits[0].ref == "incidents/2026-01-guirlande"
    assert hits[0].score > hits[1].score


def test_mark_words_marks_phrases_and_words():
    fold = analyzer(LANGUAGE)
    text = "La cellule de crise se réunit ; une autre cellule, de garde, gère la crise."
    assert mark_words(text, {"cellul cris"}, fold) == "La **cellule de crise** se réunit ; une autre cellule, de garde, gère la crise."
    assert mark_words(text, {"cellul cris reun"}, fold).startswith("La **cellule de crise se réunit** ;")
    both = mark_words(text, {"cellul cris", "gard"}, fold)
    assert "**cellule de crise**" in both and "**garde**" in both and both.count("**") == 4


# --------------------------------------------------------------------------- the index


def test_pairs_are_the_consecutive_indexed_words_of_each_value():
    fields = index_fields({"ref": "x/y", "title": "La cellule de crise", "when": "client fâché \nrappel urgent",
                           "body": "Une Cellule\nde crise.", "text": "fiche-radio \nRadio Ardèche"})
    pairs = PairAnalyzer(LANGUAGE).forms(fields[PAIRS])
    assert pairs.count("cellul cris") == 3  # the title twice, and the body across its line break
    assert {"client fach", "rappel urgent", "fich radio", "radio ardech"} <= set(pairs)
    assert not {"cris client", "fach rappel", "urgent cellul", "radio radio"} & set(pairs)  # never from one value into the next
    # the same words as `content`, where stop words take no position either
    assert [t.text for t in analyzer(LANGUAGE)(fields["content"])] == analyzer(LANGUAGE).forms(fields["content"])


def test_index_of_the_previous_schema_is_rebuilt_with_pairs(kb_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """An index from before the pairs (schema 5, no `pairs` field) is rebuilt on first use."""
    with monkeypatch.context() as before:
        before.setattr(search_module, "SCHEMA_VERSION", 5)
        before.setattr(search_module, "schema", _schema_without_pairs)
        before.setattr(search_module, "index_fields", lambda document: {k: v for k, v in index_fields(document).items() if k != PAIRS})
        assert search(kb_copy, "avocat").status.rebuilt
    manifest = json.loads((current(cache_folder(kb_copy)) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == 5
    result = search(kb_copy, '"droit de réponse"')
    assert result.status.rebuilt and "schema 5" in result.status.reason
    assert "charter/escalade#right-of-reply" in {hit.ref for hit in result.hits}
    assert not search(kb_copy, '"droit de réponse"').status.rebuilt


_SCHEMA = search_module.schema


def _schema_without_pairs(language: str, country: str = ""):
    older = _SCHEMA(language, country)
    older.remove(PAIRS)
    return older
