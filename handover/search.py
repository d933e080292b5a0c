"""The search index (Whoosh): schema, analysis, incremental update, queries.

The only module that imports whoosh. The index is a cache, never data: it lives in
`.handover-cache/search/` under the knowledge-base root (git ignores it), and is
rebuilt from the files whenever it is missing, made by an older schema or another
language, or damaged. A rebuild is written to a temporary folder first, renamed, then
made current by replacing the one-line `CURRENT` file: a reader sees the old index or
the new one, never half of one.

On each use only the files' sizes and modification times are read (a directory scan);
a file whose stat changed is hashed, and re-indexed only if its content changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.lang import has_stemmer, stopwords_for_language
from whoosh.qparser import AndGroup, MultifieldParser

from handover.errors import HandoverError, UsageError
from handover.searchdocs import KIND_ALIASES, SourceFile, read_documents, scan_sources
from handover.site.searchfold import fold
from handover.yamlio import atomic_write

log = logging.getLogger(__name__)
T = TypeVar("T")

# Raise whenever the schema or the analysis changes: older indexes are then rebuilt.
SCHEMA_VERSION = 1
CACHE_DIR = ".handover-cache"
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
LOCK_WAIT = 3.0  # seconds to wait for another process updating the index

# Free text is looked for in these fields, with these weights.
TEXT_FIELDS = {"title": 2.0, "when": 2.5, "keywords": 1.5, "body": 1.0, "text": 0.6}
# Field filters (`tag:crise`), always required, never fuzzy.
FILTER_FIELDS = ("kind", "id", "path", "owner", "tag", "status", "language", "platform", "rule", "topic", "stance")
SNIPPET_FIELDS = ("when", "body", "title")
MIN_FUZZY_LENGTH = 4


class FoldFilter(Filter):
    """Accent folding (`modération` → `moderation`), the site's own (searchfold.fold)."""

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


_STEMS: dict[str, dict[str, str]] = {}  # per language, word → stem; outside the filter so it is not pickled


class FoldedStemFilter(Filter):
    """Snowball stemming of accent-folded words.

    The stemmers expect accents: on folded words they leave a final e behind
    (`annulee` → annule, `annule` → annul). Dropping it lets the forms meet, whether
    the word was typed with its accents or not."""

    is_morph = True

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        from whoosh.lang import stemmer_for_language

        stem = stemmer_for_language(self.language)
        cache = _STEMS.setdefault(self.language, {})
        for token in tokens:
            if not token.stopped:
                text = token.text
                stemmed = cache.get(text)
                if stemmed is None:
                    stemmed = stem(text)
                    if len(stemmed) > 3:
                        stemmed = stemmed.rstrip("e") or stemmed
                    cache[text] = stemmed
                token.text = stemmed
            yield token


def analyzer(language: str) -> Any:
    """Words, lowercased, accent-folded, stop words out, stemmed in the kb's language.

    Folding comes before stemming so that `modérateurs`, `moderateurs` and
    `Modération` meet on one stem. English stop words go too: a French kb holds
    English responses, and English messages come in."""
    stops = {fold(w) for lang in dict.fromkeys((language, "en")) for w in _stopwords(lang)}
    chain = RegexTokenizer() | LowercaseFilter() | FoldFilter() | StopFilter(stoplist=stops, minsize=2)
    if has_stemmer(language):
        chain = chain | FoldedStemFilter(language)
    return chain


def _stopwords(language: str) -> frozenset[str]:
    try:
        return frozenset(stopwords_for_language(language))
    except Exception:  # no list for that language: keep every word
        return frozenset()


def schema(language: str) -> Schema:
    """The index's fields; searchdocs.record_documents fills them."""
    text = analyzer(language)
    keyword = {"lowercase": True, "scorable": False}
    return Schema(
        ref=ID(stored=True, unique=True),
        path=ID(stored=True),
        kind=ID(stored=True),
        id=ID(stored=True),
        title=TEXT(analyzer=text, stored=True),
        when=TEXT(analyzer=text, stored=True),
        keywords=TEXT(analyzer=text),
        body=TEXT(analyzer=text, stored=True),
        text=TEXT(analyzer=text),
        **{name: KEYWORD(**keyword) for name in FILTER_FIELDS if name not in ("kind", "id", "path")},
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Hit:
    ref: str
    kind: str
    id: str
    title: str
    path: str
    score: float
    snippet: str
    matched: tuple[tuple[str, str], ...] = ()  # (field, indexed word) pairs that matched

    def words_in(self, *fields: str) -> set[str]:
        """The distinct indexed words (stems) that matched in these fields."""
        return {word for name, word in self.matched if name in fields}

    def as_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "kind": self.kind, "id": self.id, "title": self.title, "path": self.path,
                "score": round(self.score, 3), "snippet": self.snippet}


@dataclass
class IndexStatus:
    """What opening the index took: a rebuild (and why), or an update of some files."""

    rebuilt: bool = False
    reason: str = ""
    added: int = 0
    updated: int = 0
    removed: int = 0
    unreadable: list[str] = field(default_factory=list)  # files that are not readable records
    stale: bool = False  # another process held the index: results may miss its latest changes
    in_memory: bool = False  # the cache folder could not be written: built for this run only
    seconds: float = 0.0
    documents: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("rebuilt", "reason", "added", "updated", "removed", "unreadable", "stale", "in_memory", "documents")} | {"seconds": round(self.seconds, 3)}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    fuzzy: list[str]  # words found nowhere, widened to close spellings
    status: IndexStatus


class MarkFormatter(Formatter):
    """Matched words as **word**: readable as plain text, as Markdown and in JSON."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{get_text(text, token, replace)}**"


# --------------------------------------------------------------------------- the index


class SearchIndex:
    """An up-to-date index of one knowledge base, open for queries. Use `open_index`."""

    def __init__(self, ix: Any, language: str, status: IndexStatus) -> None:
        self._ix = ix
        self.language = language
        self.status = status
        self._searcher = ix.searcher()
        self._analyzer = ix.schema["body"].analyzer

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def words(self, text: str) -> list[str]:
        """The indexed forms (folded stems) of the words of `text`, stop words left out."""
        return [t.text for t in self._analyzer(text, mode="query")]

    def rarity(self, field: str, word: str) -> float:
        """How telling a word is in a field: its inverse document frequency (BM25's)."""
        return float(self._searcher.idf(field, word))

    def document_count(self) -> int:
        return int(self._searcher.doc_count())

    def search(self, text: str, *, kinds: Iterable[str] = (), limit: int = 10) -> SearchResult:
        """Query syntax: words (any of them, ranked by how many match; `AND` between
        words requires all), "phrases", `NOT word`, `OR`, and field filters
        (`kind:response tag:crise owner:lea-martin platform:instagram`), always required."""
        parser = MultifieldParser(list(TEXT_FIELDS), self._ix.schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
        parsed = parser.parse(text)
        parsed = _map_kinds(parsed)
        query, restriction = _split(parsed, all_words=" AND " in f" {text} ")
        return self._run(text, query, kinds, limit, restriction)

    def match_text(self, text: str, *, kinds: Iterable[str] = (), limit: int = 10, fields: dict[str, float] | None = None) -> SearchResult:
        """Rank records against free text (an incoming message): every word, any of
        them; no query syntax, so quotes, colons or a stray `NOT` in a message are words."""
        fields = fields or TEXT_FIELDS
        words = list(dict.fromkeys(t.text for t in self._analyzer(text, mode="query")))
        per_word = [wq.Or([wq.Term(name, word, boost=boost) for name, boost in fields.items()]) for word in words]
        query = wq.Or(per_word, scale=0.9) if per_word else wq.NullQuery
        return self._run(text, query, kinds, limit)

    def _run(self, text: str, query: Any, kinds: Iterable[str], limit: int, restriction: Any = None) -> SearchResult:
        query, fuzzy = self._widen_unknown_words(query)
        folders = [_kind_folder(k) for k in kinds]
        filters = [f for f in (wq.Or([wq.Term("kind", k) for k in folders]) if folders else None, restriction) if f is not None]
        if filters:  # required, adding nothing to the score (Searcher's filter= miscounts, Require trips an assertion)
            query = wq.And([query, wq.ConstantScoreQuery(wq.And(filters) if len(filters) > 1 else filters[0], 0.0)])
        results = self._searcher.search(query, limit=max(limit, 1), terms=True)
        results.fragmenter = ContextFragmenter(maxchars=160, surround=50)
        results.formatter = MarkFormatter()
        hits = []
        for hit in results[:limit]:
            stored = hit.fields()
            matched = tuple(sorted((name, _text(word)) for name, word in (hit.matched_terms() if results.has_matched_terms() else ())))
            hits.append(Hit(stored["ref"], stored["kind"], stored["id"], stored.get("title", stored["id"]), stored["path"],
                            float(hit.score or 0.0), _snippet(hit, stored), matched))
        return SearchResult(text, hits, len(results), fuzzy, self.status)

    def _widen_unknown_words(self, query: Any) -> tuple[Any, list[str]]:
        """Typo tolerance, only where exact terms find nothing: a word that occurs in
        no text field is replaced by its close spellings (edit distance 1, or 2 for
        long words; the first letter is kept)."""
        reader = self._searcher.reader()
        terms = [t for t in _leaves(query) if isinstance(t, wq.Term) and t.fieldname in TEXT_FIELDS]
        known = {t.text for t in terms if reader.doc_frequency(t.fieldname, t.text) > 0}
        unknown = sorted({t.text for t in terms if t.text not in known and len(t.text) >= MIN_FUZZY_LENGTH})
        if not unknown:
            return query, []

        def widen(node: Any) -> Any:
            if isinstance(node, wq.Term) and node.fieldname in TEXT_FIELDS and node.text in unknown:
                distance = 1 if len(node.text) < 8 else 2
                return wq.FuzzyTerm(node.fieldname, node.text, boost=node.boost * 0.8, maxdist=distance, prefixlength=1)
            return node.apply(widen) if node.is_leaf() is False else node

        return widen(query), unknown


def guess_language(text: str, languages: Iterable[str]) -> str | None:
    """The language among `languages` whose stop words the text uses most, if any."""
    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    counts = {}
    for language in languages:
        stops = {fold(w) for w in _stopwords(language)}
        counts[language] = sum(1 for w in words if w in stops)
    best = max(counts, key=lambda lang: counts[lang], default=None)
    if best is None or counts[best] == 0 or list(counts.values()).count(counts[best]) > 1:
        return None
    return best


def _text(word: Any) -> str:
    return word.decode("utf-8", "replace") if isinstance(word, bytes) else str(word)


def _snippet(hit: Any, stored: dict[str, Any]) -> str:
    for name in SNIPPET_FIELDS:
        if stored.get(name):
            try:
                text = hit.highlights(name, top=2)
            except Exception:  # a snippet is a nicety: never let it cost the answer
                text = ""
            if text:
                return " ".join(text.split())
    body = " ".join(str(stored.get("body") or stored.get("when") or "").split())
    return body[:157] + "…" if len(body) > 160 else body


def _leaves(query: Any) -> Iterator[Any]:
    children = list(query.children())
    if not children:
        yield query
    for child in children:
        yield from _leaves(child)


def _kind_folder(name: str) -> str:
    folder = KIND_ALIASES.get(name.lower())
    if folder is None:
        choices = ", ".join(sorted({k for k in KIND_ALIASES if not k.endswith("s") or k == "rules"}))
        raise UsageError(f'unknown kind "{name}"', hint=f"use one of: {choices}")
    return folder


def _map_kinds(query: Any) -> Any:
    """`kind:response` and `kind:responses` both mean the responses folder."""
    if isinstance(query, wq.Term) and query.fieldname == "kind":
        return wq.Term("kind", _kind_folder(str(query.text)), boost=query.boost)
    return query.apply(_map_kinds) if query.is_leaf() is False else query


def _is_filter(query: Any) -> bool:
    leaves = list(_leaves(query))
    return bool(leaves) and all(getattr(leaf, "fieldname", None) in FILTER_FIELDS for leaf in leaves) or isinstance(query, wq.Not)


def _split(query: Any, all_words: bool) -> tuple[Any, Any | None]:
    """(the scored words, the required filters). Field filters and NOTs restrict; the
    words are any-of, ranked by how many match (unless the query says AND)."""
    parts = list(query.subqueries) if isinstance(query, wq.And) else [query]
    filters = [p for p in parts if _is_filter(p)]
    words = [p for p in parts if not _is_filter(p)]
    if not words:
        scored: Any = wq.Every()
    elif all_words or len(words) == 1:
        scored = wq.And(words) if len(words) > 1 else words[0]
    else:
        scored = wq.Or(words, scale=0.9)
    restriction = (wq.And(filters) if len(filters) > 1 else filters[0]) if filters else None
    return scored, restriction


# --------------------------------------------------------------------------- keeping it fresh


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR / "search"


def open_index(root: Path, language: str, *, rebuild: str = "") -> SearchIndex:
    """The knowledge base's index, brought up to date first (rebuilt if needed, or
    when `rebuild` gives a reason to).

    Never fails because of the cache: a damaged index is rebuilt; a cache folder that
    cannot be written gives an index built in memory for this run."""
    started = time.perf_counter()
    folder = cache_folder(root)
    try:
        index = _open_on_disk(root, folder, language, rebuild)
    except OSError as exc:
        log.warning("cannot write the search cache in %s (%s); building in memory", folder, exc)
        index = _build_in_memory(root, language, f"the cache folder cannot be written ({exc.strerror or exc})")
    index.status.seconds = time.perf_counter() - started
    return index


def using_index(root: Path, language: str, action: Callable[[SearchIndex], T]) -> T:
    """Run `action` on the up-to-date index. If Whoosh trips on a damaged file while
    searching (files are read lazily, so opening did not notice), rebuild and run again."""
    index = open_index(root, language)
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
        index = open_index(root, language, rebuild=f"the index could not be read ({type(exc).__name__})")
        return action(index)
    finally:
        index.close()


def _open_on_disk(root: Path, folder: Path, language: str, reason: str) -> SearchIndex:
    current = _current(folder)
    if current is None and not reason:
        reason = "no index yet"
    for _ in range(2):
        if current is None or reason:
            break
        try:
            return _refresh(root, current, language)
        except _Rebuild as why:
            reason = str(why)
        except Exception as exc:  # whoosh read a damaged file: the index is a cache, rebuild it
            reason = f"the index could not be read ({type(exc).__name__})"
        latest = _current(folder)
        if latest is not None and latest != current:
            current, reason = latest, ""  # another process rebuilt it meanwhile: use theirs
    try:
        return _rebuild(root, folder, language, reason)
    except OSError:
        raise
    except Exception as exc:
        raise HandoverError(f"the search index in {folder} could not be built: {type(exc).__name__}: {exc}",
                            hint=f"delete the folder {root / CACHE_DIR} and try again; report the problem if it persists") from exc


class _Rebuild(Exception):
    """The index must be rebuilt; the message says why."""


def _current(folder: Path) -> Path | None:
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not re.fullmatch(r"ix-[0-9a-f]+", name):
        return None
    return folder / name


def _refresh(root: Path, ixdir: Path, language: str) -> SearchIndex:
    manifest = _read_manifest(ixdir)
    if manifest.get("schema") != SCHEMA_VERSION or manifest.get("language") != language:
        raise _Rebuild("the index was built by another version or for another language")
    if not _fingerprint_matches(ixdir, manifest.get("index_files")):
        raise _Rebuild("index files are missing or were changed")
    ix = whoosh_index.open_dir(str(ixdir))
    status = IndexStatus()
    sources = scan_sources(str(root))
    files: dict[str, list[Any]] = manifest["files"]
    changed = [s for rel, s in sources.items() if files.get(rel, [None, None])[:2] != [s.mtime_ns, s.size]]
    removed = [rel for rel in files if rel not in sources]
    if changed or removed:
        _apply_changes(ix, ixdir, manifest, sources, status)
    status.documents = int(manifest.get("documents", 0))
    status.unreadable = sorted(rel for rel, entry in manifest["files"].items() if not entry[3])
    return SearchIndex(ix, language, status)


def _apply_changes(ix: Any, ixdir: Path, manifest: dict[str, Any], sources: dict[str, SourceFile], status: IndexStatus) -> None:
    from whoosh.index import LockError

    try:
        writer = ix.writer(timeout=LOCK_WAIT, delay=0.05)
    except LockError:
        status.stale = True  # someone else is writing it: search what is there
        return
    try:
        manifest = _read_manifest(ixdir)  # reread under the lock: the other writer may have done our work
        files: dict[str, list[Any]] = manifest["files"]
        touched = False
        for rel in [rel for rel in files if rel not in sources]:
            writer.delete_by_term("path", rel)
            del files[rel]
            status.removed += 1
            touched = True
        for rel, source in sources.items():
            entry = files.get(rel)
            if entry and entry[:2] == [source.mtime_ns, source.size]:
                continue
            digest = _digest(source.path)
            if entry and entry[2] == digest:  # touched, not changed: remember the new stat only
                files[rel] = [source.mtime_ns, source.size, digest, entry[3]]
                continue
            documents = read_documents(source)
            if entry:
                writer.delete_by_term("path", rel)
                status.updated += 1
            else:
                status.added += 1
            for document in documents or ():
                writer.add_document(**document)
            files[rel] = [source.mtime_ns, source.size, digest, documents is not None]
            touched = True
        if touched:
            writer.commit()
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    manifest["documents"] = ix.doc_count()
    manifest["index_files"] = _fingerprint(ixdir)
    atomic_write(ixdir / MANIFEST, json.dumps(manifest, separators=(",", ":")))


def _rebuild(root: Path, folder: Path, language: str, reason: str) -> SearchIndex:
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(6)
    building = folder / f"tmp-{token}"
    building.mkdir()
    try:
        ix = whoosh_index.create_in(str(building), schema(language))
        manifest, status = _fill(ix, root, language)
        manifest["index_files"] = _fingerprint(building)
        atomic_write(building / MANIFEST, json.dumps(manifest, separators=(",", ":")))
        final = folder / f"ix-{token}"
        os.rename(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    atomic_write(folder / CURRENT, final.name + "\n")
    _remove_old(folder, keep=final.name)
    status.rebuilt, status.reason = True, reason
    return SearchIndex(whoosh_index.open_dir(str(final)), language, status)


def _build_in_memory(root: Path, language: str, reason: str) -> SearchIndex:
    from whoosh.filedb.filestore import RamStorage

    ix = RamStorage().create_index(schema(language))
    _, status = _fill(ix, root, language)
    status.rebuilt, status.reason, status.in_memory = True, reason, True
    return SearchIndex(ix, language, status)


def _fill(ix: Any, root: Path, language: str) -> tuple[dict[str, Any], IndexStatus]:
    """Index every record file; the manifest remembers each file's stat and hash."""
    status = IndexStatus()
    files: dict[str, list[Any]] = {}
    writer = ix.writer(limitmb=256)
    try:
        for rel, source in sorted(scan_sources(str(root)).items()):
            digest = _digest(source.path)
            documents = read_documents(source)
            for document in documents or ():
                writer.add_document(**document)
            files[rel] = [source.mtime_ns, source.size, digest, documents is not None]
            status.added += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    status.documents = ix.doc_count()
    status.unreadable = sorted(rel for rel, entry in files.items() if not entry[3])
    manifest = {"schema": SCHEMA_VERSION, "language": language, "documents": status.documents, "files": files}
    return manifest, status


def _remove_old(folder: Path, keep: str) -> None:
    """Other index folders are superseded; unfinished builds older than an hour died."""
    for entry in os.scandir(folder):
        if entry.name == keep or not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith("ix-") or (entry.name.startswith("tmp-") and time.time() - entry.stat().st_mtime > 3600):
            shutil.rmtree(entry.path, ignore_errors=True)


def _read_manifest(ixdir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((ixdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _Rebuild(f"the index's manifest is missing or unreadable ({type(exc).__name__})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise _Rebuild("the index's manifest is damaged")
    return manifest


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return ""


def _fingerprint(ixdir: Path) -> dict[str, list[int]]:
    """Size and modification time of each index file, to notice damage cheaply."""
    prints = {}
    for entry in os.scandir(ixdir):
        if entry.name == MANIFEST or entry.name.endswith("LOCK") or not entry.is_file():
            continue
        stat = entry.stat()
        prints[entry.name] = [stat.st_size, stat.st_mtime_ns]
    return prints


def _fingerprint_matches(ixdir: Path, recorded: Any) -> bool:
    if not isinstance(recorded, dict) or not recorded:
        return False
    actual = _fingerprint(ixdir)
    return all(actual.get(name) == list(value) for name, value in recorded.items())
