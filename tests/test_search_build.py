"""The bulk index builder (handover/search/bulk.py): it must write what Whoosh's own
writer writes for the same records, byte for byte, in one process or several, and
leave nothing behind when a worker process fails. Real Whoosh indexes in temporary
folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import Term

from conftest import BUNDLED_KB

import handover.search.update as search_module
from handover.search import bulk
from handover.search.documents import read_documents, scan_sources, source_of
from handover.search.index import index_fields, open_index, schema

LANGUAGE = "fr"


def bundled_documents() -> list[dict[str, Any]]:
    """The bundled kb's documents, as a full build indexes them, in path order."""
    documents = []
    for relative in sorted(scan_sources(str(BUNDLED_KB))):
        source = source_of(str(BUNDLED_KB), relative)
        documents.extend(index_fields(document) for document in read_documents(source) or ())
    return documents


def with_whoosh(folder: Path, index_schema: Schema, documents: list[dict[str, Any]]) -> Any:
    ix = whoosh_index.create_in(str(folder), index_schema)
    writer = ix.writer()
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    return ix


def with_builder(folder: Path, index_schema: Schema, documents: list[dict[str, Any]]) -> Any:
    ix = whoosh_index.create_in(str(folder), index_schema)
    builder = bulk.SegmentBuilder(ix)
    for document in documents:
        builder.add_document(document)
    bulk.commit_segments(ix, [builder.finish()])
    return ix


def test_the_bundled_kb_is_written_byte_for_byte_as_whoosh_writes_it(tmp_path: Path):
    documents = bundled_documents()
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "builder").mkdir()
    expected = bulk.segment_contents(with_whoosh(tmp_path / "whoosh", schema(LANGUAGE), documents))
    written = bulk.segment_contents(with_builder(tmp_path / "builder", schema(LANGUAGE), documents))
    assert written["documents"] == len(documents) > 50
    sizes = {name.rpartition(".")[2]: len(data) for name, data in written["files"].items()}
    assert sizes["trm"] > 100_000 and sizes["pst"] > 100_000 and sizes["col"] > 0  # a real index, not two empty ones
    assert written["files"].keys() == expected["files"].keys()
    for part in expected:
        assert written[part] == expected[part], part


def test_other_field_types_and_non_ascii_words_are_written_as_whoosh_writes_them(tmp_path: Path):
    """Words sort as UTF-8 bytes in Whoosh (here kept as str: the same order), a
    number field makes its own bytes, a boosted field has weights a 32-bit float
    rounds (the blocks keep the unrounded maximum), long postings lists take several
    blocks."""
    other = Schema(title=TEXT(stored=True, field_boost=1.3), tag=KEYWORD(lowercase=True, commas=True, scorable=True),
                   year=NUMERIC(stored=True), note=STORED())
    tags = ["été", "zèbre", "ÉCOLE", "abc", "日本", "émoji🙂", "z"]
    documents = [{"title": f"Réunion numéro {n} à Nantes {'été' if n % 3 else 'hiver'}", "tag": ",".join(tags[n % len(tags):]),
                  "year": 1990 + n % 40, "note": {"n": n}} for n in range(700)]
    documents.append({"note": "only stored"})
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "builder").mkdir()
    expected = bulk.segment_contents(with_whoosh(tmp_path / "whoosh", other, documents))
    written = bulk.segment_contents(with_builder(tmp_path / "builder", other, documents))
    for part in expected:
        assert written[part] == expected[part], part


def test_the_installed_whoosh_is_written_as_it_writes_itself():
    """Checked at each full build; if a Whoosh release broke it, builds would fall
    back to Whoosh's writer (slower), and this test says so."""
    bulk.writes_as_whoosh.cache_clear()
    assert bulk.writes_as_whoosh()


def test_a_whoosh_the_builder_does_not_match_builds_with_its_own_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         caplog: pytest.LogCaptureFixture):
    one, _ = index_of(tmp_path / "builder", 2, documents_of)
    monkeypatch.setattr(bulk, "writes_as_whoosh", lambda: False)
    fallback, infos = index_of(tmp_path / "whoosh", 2, documents_of)
    assert "using Whoosh's writer" in caplog.text
    assert infos == sorted(scan_sources(str(BUNDLED_KB)))
    assert len(fallback.reader().leaf_readers()) == 1
    assert stored_in_order(fallback) == stored_in_order(one)


def test_fields_the_builder_cannot_write_are_refused(tmp_path: Path):
    ix = whoosh_index.create_in(str(tmp_path), Schema(body=TEXT(vector=True)))
    with pytest.raises(ValueError, match="body"):
        bulk.SegmentBuilder(ix)


def index_of(folder: Path, jobs: int, documents_of: Any) -> tuple[Any, list[str]]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema(LANGUAGE))
    items = sorted(scan_sources(str(BUNDLED_KB)))
    infos = bulk.write_index(ix, items, documents_of, jobs=jobs, weight=lambda item: 1)
    return ix, infos


def documents_of(relative: str) -> tuple[str, list[dict[str, Any]]]:
    source = source_of(str(BUNDLED_KB), relative)
    return relative, [index_fields(document) for document in read_documents(source) or ()]


def stored_in_order(ix: Any) -> list[dict[str, Any]]:
    with ix.searcher() as searcher:
        return list(searcher.all_stored_fields())


def test_a_forked_build_holds_the_same_records_in_the_same_order_as_one_process(tmp_path: Path):
    one, one_infos = index_of(tmp_path / "one", 1, documents_of)
    two, two_infos = index_of(tmp_path / "two", 2, documents_of)
    assert len(one._segments()) == 1 and len(two._segments()) == 2  # two processes, a segment each
    assert two_infos == one_infos == sorted(scan_sources(str(BUNDLED_KB)))
    assert stored_in_order(two) == stored_in_order(one)  # record numbers follow the files' order either way
    with one.searcher() as first, two.searcher() as second:
        for word in ("avocat", "moder", "rembours", "cris"):
            hits = [[(hit["ref"], round(hit.score, 6)) for hit in s.search(Term("content", word), limit=None)]
                    for s in (first, second)]
            assert hits[0] and hits[0] == hits[1], word


def test_a_worker_that_fails_has_its_share_redone_and_leaves_no_files(tmp_path: Path):
    parent = os.getpid()

    def failing_in_workers(relative: str) -> tuple[str, list[dict[str, Any]]]:
        if os.getpid() != parent and relative.startswith("responses/"):
            raise RuntimeError("a worker process fails halfway")
        return documents_of(relative)

    one, _ = index_of(tmp_path / "one", 1, documents_of)
    redone, infos = index_of(tmp_path / "redone", 2, failing_in_workers)
    assert infos == sorted(scan_sources(str(BUNDLED_KB)))
    assert stored_in_order(redone) == stored_in_order(one)
    segment_files = {name for segment in redone._segments() for name in segment.list_files(redone.storage)}
    left = {path.name for path in (tmp_path / "redone").iterdir()}
    assert left == segment_files | {"_MAIN_1.toc"}  # the failed worker's half-written files are gone


def test_a_full_build_through_search_uses_the_builder_and_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`handover search` on a kb without an index: built in two processes when the
    kb is large (forced here), with the same answers as in one."""
    answers = []
    for jobs in (1, 2):
        root = tmp_path / f"kb{jobs}"
        shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
        monkeypatch.setattr(search_module, "_build_jobs", lambda files, jobs=jobs: jobs)
        with open_index(root, LANGUAGE) as index:
            assert index.status.rebuilt and index.status.added == len(scan_sources(str(root)))
            assert len(index._ix._segments()) == jobs
            answers.append([(hit.ref, round(hit.score, 6), hit.snippet) for query in ("avocat", '"cellule de crise"', "kind:response remboursement")
                            for hit in index.search(query, limit=20).hits])
    assert answers[0] and answers[0] == answers[1]
