"""Writing a whole search index in one go (Whoosh; search/ is the Whoosh adapter).

Whoosh's own writer handles each posting (one word of one record) several times over
in pure Python: put in a pool, sorted with all the others, read back, its record's
length looked up again, then checked and appended to a block. At 10,000 records
that is 1.8 million postings and about two thirds of a full build. A full build
needs none of that generality: records arrive in order and nothing is deleted. So
`SegmentBuilder` keeps each word's postings together as they are made (the record
numbers come in rising order, the lengths are at hand) and hands each word's
postings, in order, to the codec's field writer, which fills and writes the blocks. The files are Whoosh's own format,
the same bytes its writer makes for the same records (tests/test_search_build.py
compares the two).

`write_index` spreads the records over forked processes, each reading, analysing and
writing its own segment, then lists the segments in the index's table of contents.
Incremental updates keep Whoosh's writer (search/update.py): they touch a few records.
Only Whoosh's public API is used: the field writer's `add`, the codec's writers,
the segment's and storage's methods; no private attribute is read or set.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any, TypeVar

from whoosh import codec as _whoosh_codec
from whoosh import index as _whoosh_index
from whoosh.fields import FieldType
from whoosh.util.numeric import byte_to_length, length_to_byte

from handover.core import forked

whoosh_codec: Any = _whoosh_codec  # untyped: Whoosh's codec and table of contents
whoosh_index: Any = _whoosh_index
log = logging.getLogger(__name__)
Item = TypeVar("Item")
Info = TypeVar("Info")
Document = dict[str, Any]
# A word's postings, flat: record number, weight, encoded value, record number… (one
# call per posting to add, C-speed slices to take apart)
Postings = list[Any]


class SegmentBuilder:
    """One new segment of `ix`, from documents given in order. Supports what the
    handover schema uses: indexed and stored fields, columns; not term vectors or
    separate spelling fields."""

    def __init__(self, ix: Any) -> None:
        codec = whoosh_codec.default_codec()
        self.schema = ix.schema
        self.storage = ix.storage
        self.segment = codec.new_segment(self.storage, ix.indexname)
        # The per-record writer keeps its columns in a temporary folder named after
        # the index; builders working side by side each need their own.
        self._temporary = self.storage.temp_storage(f"{ix.indexname}.{self.segment.segid}.tmp")
        self._perdoc = codec.per_document_writer(_OwnTemporaryStorage(self.storage, self._temporary), self.segment)
        self._fields = codec.field_writer(self.storage, self.segment)
        self.docnum = 0
        # field → word → postings; a word is kept as str where the field makes one (code
        # point order is the order of the UTF-8 bytes Whoosh sorts by), else as bytes
        self._postings: dict[str, dict[Any, Postings]] = {}
        # field → the length byte of each record's value (as stored in the length column)
        self._lengths: dict[str, bytearray] = {}
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r}: term vectors and spelling fields are not supported by the bulk builder")

    def add_document(self, document: Document) -> None:
        """Like Whoosh's `add_document(**document)`, without boosts (`_` keys)."""
        docnum = self.docnum
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        for name in sorted(document):  # Whoosh's order: the stored fields come out alike
            value = document[name]
            if value is None:
                continue
            field = self.schema[name]
            length = 0
            if field.indexed:
                length = self._add_postings(name, field, value, docnum)
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1

    def _add_postings(self, name: str, field: Any, value: Any, docnum: int) -> int:
        terms = self._postings.get(name)
        if terms is None:
            terms = self._postings[name] = {}
        length = 0
        if type(field).index is FieldType.index:  # words as str, encoded to UTF-8 when written
            items: Iterable[tuple[Any, int, float, bytes]] = field.format.word_values(value, field.analyzer, mode="index")
        else:  # a field type with its own encoding (numbers, dates): words come as bytes
            items = field.index(value)
        for word, freq, weight, vbytes in items:
            postings = terms.get(word)
            if postings is None:
                terms[word] = [docnum, weight, vbytes]
            else:
                postings.extend((docnum, weight, vbytes))
            length += freq
        if not field.scorable:
            return 0
        lengths = self._lengths.get(name)
        if lengths is None:
            lengths = self._lengths[name] = bytearray()
        lengths.extend(bytes(docnum - len(lengths)))  # records without this field
        lengths.append(length_to_byte(length))
        return length

    def finish(self) -> Any:
        """Write the postings, close the segment's files and return the segment."""
        self._perdoc.close()
        self.discard_temporary()
        fields = self._fields
        for name in sorted(self._postings):
            fields.start_field(name, self.schema[name])
            lengths = self._lengths.get(name)
            # Each record's length as Whoosh's writer hands it over: read back from its length byte.
            decoded = list(map(_LENGTHS.__getitem__, lengths)) if lengths is not None else None
            terms = self._postings[name]
            for word in sorted(terms):
                fields.start_term(word.encode("utf-8") if isinstance(word, str) else word)
                _add_postings(fields.add, terms[word], decoded)
                fields.finish_term()
            fields.finish_field()
        fields.close()
        self.segment.set_doc_count(self.docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment

    def discard_temporary(self) -> None:
        """Remove the temporary folder (done by `finish`; call it when giving up)."""
        temporary, self._temporary = self._temporary, None
        if temporary is not None:
            with contextlib.suppress(OSError):  # gone already
                temporary.destroy()


_LENGTHS = [byte_to_length(byte) for byte in range(256)]  # a length byte → the length Whoosh reads back


def _add_postings(add: Callable[[int, float, bytes, int], None], postings: Postings, lengths: list[int] | None) -> None:
    """One word's postings, through the field writer's public `add` (which fills and
    writes the blocks, with their statistics, as Whoosh's writer does). The loop runs
    in C (`map`): one Python call per posting, Whoosh's own."""
    ids, weights, values = postings[0::3], postings[1::3], postings[2::3]
    found = map(lengths.__getitem__, ids) if lengths is not None else repeat(0, len(ids))
    deque(map(add, ids, weights, values, found), maxlen=0)


class _OwnTemporaryStorage:
    """A storage that hands out one given temporary storage."""

    def __init__(self, storage: Any, temporary: Any) -> None:
        self._storage = storage
        self._temporary = temporary

    def temp_storage(self, name: str | None = None) -> Any:
        return self._temporary

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)


def commit_segments(ix: Any, segments: list[Any]) -> None:
    """Make `segments` the index's content (a new table of contents), and delete
    any file no segment owns (a process that failed halfway leaves some)."""
    generation = ix.latest_generation() + 1
    whoosh_index.TOC(ix.schema, segments, generation).write(ix.storage, ix.indexname)
    whoosh_index.clean_files(ix.storage, ix.indexname, generation, segments)


def _feed(items: Sequence[Item], documents_of: Callable[[Item], tuple[Info, Iterable[Document]]],
          add: Callable[[Document], None]) -> list[Info]:
    """Each item's documents to `add`; the items' infos, in order."""
    infos = []
    for item in items:
        info, documents = documents_of(item)
        infos.append(info)
        for document in documents:
            add(document)
    return infos


def _build_segment(ix: Any, items: Sequence[Item], documents_of: Callable[[Item], tuple[Info, Iterable[Document]]]) -> tuple[Any, list[Info]]:
    builder = SegmentBuilder(ix)
    try:
        infos = _feed(items, documents_of, builder.add_document)
        segment = builder.finish() if builder.docnum else None
    finally:
        builder.discard_temporary()
    return segment, infos


def write_index(ix: Any, items: Sequence[Item], documents_of: Callable[[Item], tuple[Info, Iterable[Document]]], *,
                jobs: int = 1, weight: Callable[[Item], int] | None = None) -> list[Info]:
    """Index `items` into the empty index `ix`: `documents_of(item)` gives what to
    remember of the item and its documents. With `jobs` > 1 (and a storage on disk),
    contiguous runs of items, cut by `weight`, are indexed in forked processes, a
    segment each; a process that fails has its run redone here. Returns the infos
    in the items' order."""
    if not writes_as_whoosh():
        log.warning("the bulk index builder does not write what this version of Whoosh writes: using Whoosh's writer "
                    "(slower); report it with the output of `pip show whoosh3`")
        return _write_with_whoosh(ix, items, documents_of)
    if jobs > 1 and getattr(ix.storage, "supports_multiproc_writing", False):
        runs = forked.shards(items, jobs, weight)
        results = forked.Forked(lambda run: _build_segment(ix, run, documents_of), runs).join()
    else:
        results = [_build_segment(ix, items, documents_of)]
    commit_segments(ix, [segment for segment, _ in results if segment is not None])
    return [info for _, infos in results for info in infos]


def _write_with_whoosh(ix: Any, items: Sequence[Item], documents_of: Callable[[Item], tuple[Info, Iterable[Document]]]) -> list[Info]:
    writer = ix.writer()
    try:
        infos = _feed(items, documents_of, lambda document: writer.add_document(**document))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return infos


def segment_contents(ix: Any) -> dict[str, Any]:
    """Everything a one-segment index holds, to compare two: the bytes of each of the
    segment's files (its random id taken out of their names), its record count and
    the fields' total lengths. Through Whoosh's public reader and segment API."""
    reader = ix.reader()
    try:
        segment = reader.segment()
        segid = segment.segment_id()
        storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
        files = {name.replace(segid, "SEGMENT"): storage.open_file(name).read() for name in sorted(storage.list()) if segid in name}
        return {
            "files": {name: data for name, data in files.items() if not name.endswith(".seg")},  # a compound file is its parts
            "documents": segment.doc_count_all(),
            "totals": {name: reader.field_length(name) for name in ix.schema.names()},
        }
    finally:
        reader.close()


@functools.cache
def writes_as_whoosh() -> bool:
    """Whether the builder writes what the installed Whoosh's writer writes, checked
    once per process on a small index in memory (a tenth of a second, before a full
    build only): the builder fills the codec's blocks itself, and a new Whoosh
    release may change them."""
    from whoosh.fields import ID, KEYWORD, TEXT, Schema
    from whoosh.filedb import filestore

    in_memory: Any = filestore.RamStorage
    # A boost of 1.3 gives weights that 32-bit floats round (the blocks keep the exact maximum).
    probe = Schema(id=ID(stored=True), title=TEXT(stored=True, field_boost=1.3), body=TEXT(phrase=True), tag=KEYWORD(scorable=True))
    words = ["accueil", "annulation", "commande", "crise", "délai", "été", "livraison", "modération", "remboursement", "retard"]
    documents = [{"id": f"r{n}", "title": f"{words[n % 10]} {words[n % 7]}", "body": " ".join(words[n % 10:] + words[: n % 3]),
                  "tag": words[n % 4]} for n in range(140)]  # 140: words with two blocks of postings (128 a block)

    def as_item(document: Document) -> tuple[None, list[Document]]:
        return None, [document]

    try:
        by_whoosh, by_builder = in_memory().create_index(probe), in_memory().create_index(probe)
        _write_with_whoosh(by_whoosh, documents, as_item)
        commit_segments(by_builder, [_build_segment(by_builder, documents, as_item)[0]])
        return segment_contents(by_builder) == segment_contents(by_whoosh)
    except Exception:  # noqa: BLE001 - a Whoosh whose internals moved: its own writer does the work
        return False
