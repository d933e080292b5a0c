"""The site's search index as site/pages/searchindex.py writes it (the browser side is
tests/e2e/test_site_search.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BUNDLED_KB, KB_TODAY

from handover.records.model import load_kb
from handover.search.analysis import stop_words
from handover.site.pages.context import SiteContext
from handover.site.pages.searchdocs import SearchDoc, plain_text, search_documents
from handover.site.pages.searchindex import SHARD_BYTES, keys_of, search_files, word_key


def arguments(content: str) -> list:
    """The arguments of one index file (`HandoverSearch.call(a, b);`)."""
    return json.loads("[" + content[content.index("(") + 1 : content.rindex(")")] + "]")


@pytest.fixture(scope="module")
def bundled() -> tuple[list[SearchDoc], dict[str, str]]:
    kb = load_kb(str(BUNDLED_KB))
    guide = sorted((page.relative, page.relative) for page in kb.pages if page.relative.startswith("guide/"))
    docs = [doc for docs in search_documents(SiteContext(kb, "internal", KB_TODAY), guide).values() for doc in docs]
    return docs, search_files(docs, kb.config.language)[0]


def test_words_are_keyed_folded_without_plural_or_final_e() -> None:
    assert [word_key(w) for w in ("freins", "brule", "donnees", "sav", "rue")] == ["frein", "brul", "donne", "sav", "rue"]
    # stop words are left out: `de` (Material appended `*` to it, and it matched the tag `depart`)
    assert keys_of("Photo de la facture brûlée", stop_words("fr")) == ["photo", "factur", "brule"]


def test_a_situation_outweighs_the_same_word_in_the_prose_and_a_title_a_tag() -> None:
    docs = [SearchDoc("A", "a/", "", "", "a", {"title": "Réponse", "body": "facture " + "texte " * 30}),
            SearchDoc("B", "b/", "", "", "b", {"title": "Réponse", "when": "photo de facture"}),
            SearchDoc("C", "c/", "", "", "c", {"title": "Facture perdue", "keywords": "autre"}),
            SearchDoc("D", "d/", "", "", "d", {"title": "Autre chose", "keywords": "facture"})]
    row = dict(search_files(docs, "fr")[1].postings["factur"])  # document number → its weight
    assert row[2] > row[1] > row[0] and row[2] > row[3] > row[0]


def test_every_document_of_the_bundled_site_is_in_a_bucket_with_a_clean_preview(bundled: tuple[list[SearchDoc], dict[str, str]]) -> None:
    docs, files = bundled
    manifest = arguments(files["index.js"])[0]
    rows = [row for name, content in sorted(files.items()) if name.startswith("d/") for row in arguments(content)[1]]
    assert manifest["documents"] == len(docs) == len(rows) > 100
    refs = {row[4] for row in rows}
    assert {"charter/escalade#crisis-cell", "accounts/tiktok-cyclesmorvan", "responses/remboursement-demande", "guide/glossaire"} <= refs
    for title, url, kind, preview, _ in rows:
        assert title and kind and not url.startswith("/") and not any(mark in preview for mark in ("|", "**", "](", "{#", "<"))


def test_shards_are_small_and_hold_each_key_once_under_its_prefix(bundled: tuple[list[SearchDoc], dict[str, str]]) -> None:
    _, files = bundled
    shards = arguments(files["index.js"])[0]["shards"]
    seen: set[str] = set()
    for prefix, name in shards.items():
        content = files[f"t/{name}.js"]
        shard_prefix, keys = arguments(content)
        assert shard_prefix == prefix and all(key.startswith(prefix) for key in keys)
        assert len(content) <= SHARD_BYTES + 200 or len(keys) == 1
        assert not seen & set(keys)
        seen |= set(keys)
    assert {"remboursement", "tiktok", "seuil", "brul"} <= seen


def test_a_table_reads_as_cells_apart() -> None:
    assert plain_text("| Fiche | Rôle |\n|---|---|\n| **Stagiaire** | [CM](team/x.md) |") == "Fiche · Rôle · Stagiaire · CM"


def test_the_public_index_holds_no_internal_record(tmp_path: Path) -> None:
    kb = load_kb(str(BUNDLED_KB))
    docs = [doc for docs in search_documents(SiteContext(kb, "public", KB_TODAY), []).values() for doc in docs]
    assert docs and not [d.ref for d in docs if d.ref.startswith(("contacts/", "team/"))]


def fresh(doc: SearchDoc, **fields: str) -> SearchDoc:
    """A new document object as a rebuild makes it for an edited record (nothing counted)."""
    return SearchDoc(doc.title, doc.url, doc.label, doc.preview, doc.ref, {**doc.fields, **fields})


def test_a_rebuild_that_reuses_the_index_writes_the_same_files_as_a_full_build() -> None:
    """serve's rebuild passes the previous IndexState and rewrites only the postings of
    the edited documents' keys; the files must be those of a build from scratch, for an
    edit that swaps one word for another (field lengths kept, so the other documents'
    weights are kept too and the reuse is taken), and for one that also adds a word."""
    base = [SearchDoc(f"T{i}", f"p{i}/", "", "", f"k/{i}", {"title": f"Titre {i}", "body": f"velo frein{i % 7} facture selle guidon"})
            for i in range(60)]
    _, state = search_files(base, "fr")
    for number, fields in ((5, {"body": "velo frein5 remboursement selle guidon"}),
                           (17, {"body": "velo frein3 facture selle guidon sonnette"})):
        edited = list(base)
        edited[number] = fresh(base[number], **fields)
        reused, _ = search_files(edited, "fr", state)
        scratch, _ = search_files([fresh(doc) for doc in edited], "fr")
        assert reused == scratch
        assert any("rembours" in content for content in reused.values()) or number == 17
    # the reuse is taken: the untouched documents' weights are the same objects (the
    # second edit above moved the averages, so start again from a build of `base`)
    _, state = search_files(base, "fr")
    edited = list(base)
    edited[5] = fresh(base[5], body="velo frein5 remboursement selle guidon")
    _, after = search_files(edited, "fr", state)
    assert all(after.scored[n] is state.scored[n] for n in range(60) if n != 5)


def test_a_renamed_record_keeps_every_document_in_its_place(kb_copy: Path) -> None:
    """Documents are numbered by record id, not by title: renaming a record (its title
    now sorts last) must not renumber the documents after it, or a `serve` rebuild
    would rewrite the postings of nearly every key instead of the renamed one's."""
    def refs() -> list[str]:
        kb = load_kb(str(kb_copy))
        return [doc.ref for docs in search_documents(SiteContext(kb, "internal", KB_TODAY), []).values() for doc in docs]

    before = refs()
    record = kb_copy / "contacts" / "agence-pedale-douce.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("name: Agence Pédale Douce", "name: Zodiaque Pédale Douce", 1), encoding="utf-8")
    assert refs() == before
