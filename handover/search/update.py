"""Keeping the index fresh: open it, update it from the files that changed, rebuild
it when it is missing, outdated or damaged.

The index is a cache, never data: it lives in `.handover-cache/search/` under the
knowledge-base root (git ignores it), and is rebuilt from the files whenever it is
missing, made by an older schema or another language, or damaged. A rebuild is
written to a temporary folder first, renamed, then made current by replacing the
one-line `CURRENT` file: a reader sees the old index or the new one, never half of one.

On each use only the files' sizes and modification times are read (a directory scan);
a file whose stat changed is hashed, and re-indexed only if its content changed.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index

from handover.core.errors import HandoverError
from handover.files.lock import CACHE_DIR, CannotLock
from handover.search import cache
from handover.search.documents import SourceFile, read_documents, scan_changes, scan_sources, source_of
from handover.search.query import SearchIndex
from handover.search.results import IndexStatus
from handover.search.schema import SCHEMA_VERSION, index_fields, schema

log = logging.getLogger(__name__)
T = TypeVar("T")
LOCK_WAIT = 3.0  # seconds to wait for another process updating the index


def open_index(root: Path, language: str, *, country: str | None = None, rebuild: str = "") -> SearchIndex:
    """The knowledge base's index, brought up to date first (rebuilt if needed, or
    when `rebuild` gives a reason to). `country` (handover.yml's, read from there
    when not given) is where phone numbers written the national way are read.

    Never fails because of the cache: a damaged index is rebuilt; a cache folder that
    cannot be written gives an index built in memory for this run."""
    started = time.perf_counter()
    folder = cache.cache_folder(root)
    country = _country(root) if country is None else country
    try:
        index = _open_on_disk(root, folder, language, country, rebuild)
    except (OSError, CannotLock) as exc:  # a read-only folder: the lock cannot be made either
        log.warning("cannot write the search cache in %s (%s); building in memory", folder, exc)
        index = _build_in_memory(root, language, country, f"the cache folder cannot be written ({getattr(exc, 'strerror', None) or exc})")
    index.status.seconds = time.perf_counter() - started
    return index


def _country(root: Path) -> str:
    """handover.yml's country ("" when it cannot be read: validate reports why)."""
    from handover.records.config import load_config

    try:
        return load_config(root, str(root)).country
    except HandoverError:
        return ""


def using_index(root: Path, language: str, action: Callable[[SearchIndex], T], *, country: str | None = None) -> T:
    """Run `action` on the up-to-date index. If Whoosh trips on a damaged file while
    searching (files are read lazily, so opening may not notice), rebuild and run again."""
    country = _country(root) if country is None else country
    index = open_index(root, language, country=country)
    try:
        return action(index)
    except HandoverError:
        raise
    except Exception as exc:
        if index.status.rebuilt:
            raise HandoverError(f"searching a fresh index failed: {type(exc).__name__}: {exc}",
                                hint="please report it; set HANDOVER_DEBUG=1 for details") from exc
        log.warning("search index unreadable (%s: %s); rebuilding", type(exc).__name__, exc)
        index.close()
        index = open_index(root, language, country=country, rebuild=f"the index could not be read ({type(exc).__name__})")
        return action(index)
    finally:
        index.close()


def _open_on_disk(root: Path, folder: Path, language: str, country: str, reason: str) -> SearchIndex:
    current = cache.current(folder)
    if current is not None and not reason:
        try:
            return _refresh(root, current, language, country)
        except cache.Damaged as why:
            reason = f"the index must be rebuilt: {why}"
        except Exception as exc:  # noqa: BLE001 - whoosh read a damaged file: the index is a cache, rebuild it
            reason = f"the index could not be read ({type(exc).__name__})"
    reason = reason or "no index yet"
    with cache.build_lock(folder):
        latest = cache.current(folder)
        if latest is not None and latest != current:  # built by another process while we waited
            try:
                return _refresh(root, latest, language, country)
            except Exception:  # noqa: BLE001 - not usable either: build our own
                pass
        try:
            return _rebuild(root, folder, language, country, reason)
        except OSError:
            raise
        except Exception as exc:
            raise HandoverError(f"the search index in {folder} could not be built: {type(exc).__name__}: {exc}",
                                hint=f"delete the folder {root / CACHE_DIR} and try again; report the problem if it persists") from exc


def _refresh(root: Path, ixdir: Path, language: str, country: str) -> SearchIndex:
    stamp = cache.manifest_stamp(ixdir)
    manifest = cache.read_manifest(ixdir, SCHEMA_VERSION, language)
    if manifest.get("country", "") != country:
        raise cache.Damaged(f"it was built for country {manifest.get('country', '')!r}, handover.yml now says {country!r}")
    ix = whoosh_index.open_dir(str(ixdir))
    status = IndexStatus()
    changed, gone = scan_changes(str(root), manifest["files"])
    if changed or gone:
        manifest = _apply_changes(ix, root, ixdir, language, manifest, stamp, scan_sources(str(root)) if gone else changed, gone, status)
    index = SearchIndex(ix, root, language, status, country)
    status.documents = index.document_count()
    status.unreadable = sorted(rel for rel, recorded in manifest["files"].items() if not cache.entry_readable(recorded))
    return index


def _apply_changes(ix: Any, root: Path, ixdir: Path, language: str, manifest: dict[str, Any], stamp: tuple[int, int],
                   sources: dict[str, tuple[int, int]], complete: bool, status: IndexStatus) -> dict[str, Any]:
    """Re-index the files whose content changed; when `sources` is the complete list
    of record files, also drop the index entries of the files that are gone."""
    from whoosh.index import LockError

    try:
        writer = ix.writer(timeout=LOCK_WAIT, delay=0.05)
    except LockError:
        status.stale = True  # someone else is writing it: search what is there
        return manifest
    try:
        if cache.manifest_stamp(ixdir) != stamp:  # another process updated it meanwhile: start from its manifest
            manifest = cache.read_manifest(ixdir, SCHEMA_VERSION, language)
        files: dict[str, str] = manifest["files"]
        changed = False
        for rel in [rel for rel in files if rel not in sources] if complete else []:
            writer.delete_by_term("path", rel)
            del files[rel]
            status.removed += 1
            changed = True
        for rel, (mtime_ns, size) in sources.items():
            recorded = files.get(rel)
            if cache.same_stat(recorded, mtime_ns, size):
                continue
            source = source_of(str(root), rel)
            raw = _read(source.path)
            digest = cache.digest_of(raw)
            if recorded is not None and cache.entry_digest(recorded) == digest:  # touched, not changed: remember the new stat
                files[rel] = cache.entry(mtime_ns, size, digest, cache.entry_readable(recorded))
                continue
            if recorded is not None:
                writer.delete_by_term("path", rel)
                status.updated += 1
            else:
                status.added += 1
            files[rel] = cache.entry(mtime_ns, size, digest, _add(writer, source, raw))
            changed = True
        if changed:
            writer.commit(mergetype=_merge_small_segments)
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    cache.write_manifest(ixdir, manifest)
    return manifest


SMALL_SEGMENT = 500  # documents
SMALL_SEGMENTS_KEPT = 2


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for updates: once more than two small segments have piled up
    (one per update), fold them into the one being written. Each search pays for
    each segment; Whoosh's own policy lets five accumulate."""
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() - s.deleted_count() <= SMALL_SEGMENT]
    if len(small) <= SMALL_SEGMENTS_KEPT:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _index_documents(source: SourceFile, raw: bytes | None) -> list[dict[str, str]] | None:
    """One record file's documents as the schema takes them; None when it is not a
    readable record."""
    documents = read_documents(source, raw) if raw is not None else None
    return None if documents is None else [index_fields(document) for document in documents]


def _add(writer: Any, source: SourceFile, raw: bytes | None) -> bool:
    """Index one record file; False when it is not a readable record."""
    documents = _index_documents(source, raw)
    for document in documents or ():
        writer.add_document(**document)
    return documents is not None


def _rebuild(root: Path, folder: Path, language: str, country: str, reason: str) -> SearchIndex:
    building = cache.new_build_folder(folder)
    try:
        ix = whoosh_index.create_in(str(building), schema(language, country))
        manifest, status = _fill(ix, root, language, country)
        cache.write_manifest(building, manifest)
        final = cache.publish(folder, building)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    status.rebuilt, status.reason = True, reason
    return SearchIndex(whoosh_index.open_dir(str(final)), root, language, status, country)


def _build_in_memory(root: Path, language: str, country: str, reason: str) -> SearchIndex:
    from whoosh.filedb import filestore as _filestore

    filestore: Any = _filestore  # untyped
    storage = filestore.RamStorage()
    ix = storage.create_index(schema(language, country))
    _, status = _fill(ix, root, language, country)
    status.rebuilt, status.reason, status.in_memory = True, reason, True
    return SearchIndex(ix, root, language, status, country)


PARALLEL_FROM = 1500  # files: below this, starting worker processes costs more than it saves


def _build_jobs(files: int) -> int:
    """Processes for a full build: one per core from PARALLEL_FROM files (Whoosh is
    pure Python: a 10,000-record base takes twice as long on one core)."""
    from handover.core import forked

    return forked.jobs_for(files) if files >= PARALLEL_FROM else 1


def _fill(ix: Any, root: Path, language: str, country: str) -> tuple[dict[str, Any], IndexStatus]:
    """Index every record file (bulk.py); the manifest remembers each file's
    stat and hash."""
    from handover.search import bulk  # full builds only: a search on a current index does without

    status = IndexStatus()
    sources = sorted(scan_sources(str(root)).items())

    def documents_of(item: tuple[str, tuple[int, int]]) -> tuple[tuple[str, str], list[dict[str, str]]]:
        rel, (mtime_ns, size) = item
        source = source_of(str(root), rel)
        raw = _read(source.path)
        documents = _index_documents(source, raw)
        return (rel, cache.entry(mtime_ns, size, cache.digest_of(raw), documents is not None)), documents or []

    # A file's cost is about its size, plus the work of opening and reading it.
    entries = bulk.write_index(ix, sources, documents_of, jobs=_build_jobs(len(sources)), weight=lambda item: item[1][1] + 1000)
    files = dict(entries)
    status.added = len(files)
    status.documents = ix.doc_count()
    status.unreadable = sorted(rel for rel, recorded in files.items() if not cache.entry_readable(recorded))
    return {"schema": SCHEMA_VERSION, "language": language, "country": country, "documents": status.documents, "files": files}, status
