"""Where the search index lives and how we know it is intact (no Whoosh here).

    <kb>/.handover-cache/search/CURRENT        the name of the index in use: ix-<token>
    <kb>/.handover-cache/search/ix-<token>/    Whoosh's files, and manifest.json

The manifest records, for every record file, its size, modification time and content
hash (to re-index only what changed), the schema version and language the index was
built with, and the size and modification time of each index file (so that a
damaged or missing index file is noticed before Whoosh trips on it). A new index is
built in `tmp-<token>/`, renamed to `ix-<token>/`, then made current by replacing
CURRENT atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from handover.files.yamlio import atomic_write

CACHE_DIR = ".handover-cache"
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
STALE_BUILD = 3600  # seconds after which an unfinished build folder is taken as abandoned


class Damaged(Exception):
    """The index must be rebuilt; the message says why."""


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR / "search"


def _make(folder: Path) -> None:
    """The search folder inside the kb's cache, which carries a .gitignore of its own
    (lock.cache_dir): an index must never show up as a change to commit."""
    from handover.files.lock import cache_dir

    cache_dir(folder.parent.parent)
    folder.mkdir(exist_ok=True)


def current(folder: Path) -> Path | None:
    """The index folder in use, or None when there is none (or CURRENT is garbled)."""
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not re.fullmatch(r"ix-[0-9a-f]+", name):
        return None
    return folder / name


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """One builder at a time: a second search arriving during a build waits for it,
    then uses the new index instead of building its own. (Where fcntl is missing,
    builders do not wait; each publishes a complete index, the last one wins.)"""
    _make(folder)
    try:
        import fcntl
    except ImportError:  # not on this platform
        yield
        return
    with open(folder / "BUILD.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def new_build_folder(folder: Path) -> Path:
    _make(folder)
    building = folder / f"tmp-{secrets.token_hex(6)}"
    building.mkdir()
    return building


def publish(folder: Path, building: Path) -> Path:
    """Make a finished build the index in use; remove the ones it replaces."""
    final = folder / ("ix-" + building.name.partition("-")[2])
    os.rename(building, final)
    atomic_write(folder / CURRENT, final.name + "\n")
    for entry in os.scandir(folder):
        if entry.name == final.name or not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith("ix-") or (entry.name.startswith("tmp-") and time.time() - entry.stat().st_mtime > STALE_BUILD):
            shutil.rmtree(entry.path, ignore_errors=True)
    return final


def read_manifest(ixdir: Path, schema_version: int, language: str) -> dict[str, Any]:
    """The manifest of an index folder; Damaged if it is missing, garbled, from another
    schema or language, or if the index files it lists were removed or changed."""
    try:
        manifest = json.loads((ixdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Damaged(f"its manifest is missing or unreadable ({type(exc).__name__})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) or not all(isinstance(v, str) for v in manifest["files"].values()):
        raise Damaged("its manifest is damaged")
    if manifest.get("schema") != schema_version:
        raise Damaged(f"it was built by another version of handover (schema {manifest.get('schema')}, now {schema_version})")
    if manifest.get("language") != language:
        raise Damaged(f"it was built for language {manifest.get('language')!r}, handover.yml now says {language!r}")
    recorded = manifest.get("index_files")
    actual = fingerprint(ixdir)
    if not isinstance(recorded, dict) or not recorded or any(actual.get(name) != value for name, value in recorded.items()):
        raise Damaged("index files are missing or were changed")
    return manifest


def write_manifest(ixdir: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (temporary file, rename). Not fsynced: a cache
    lost in a crash is rebuilt, and an fsync costs a tenth of a second."""
    manifest["index_files"] = fingerprint(ixdir)
    path = ixdir / MANIFEST
    temporary = ixdir / f".{MANIFEST}.{secrets.token_hex(4)}.tmp"
    try:
        temporary.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def manifest_stamp(ixdir: Path) -> tuple[int, int]:
    """(mtime_ns, size) of the manifest: to tell whether another process rewrote it."""
    stat = (ixdir / MANIFEST).stat()
    return stat.st_mtime_ns, stat.st_size


# A file's entry in the manifest: "mtime_ns size digest readable", one string (JSON
# reads 10,000 strings much faster than 10,000 lists, and a warm search reads them all).


def entry(mtime_ns: int, size: int, digest: str, readable: bool) -> str:
    return f"{mtime_ns} {size} {digest or '-'} {int(readable)}"


def same_stat(recorded: str | None, mtime_ns: int, size: int) -> bool:
    """Whether a manifest entry records this modification time and size."""
    return recorded is not None and recorded.startswith(f"{mtime_ns} {size} ")


def entry_digest(recorded: str) -> str:
    return recorded.split(" ")[2]


def entry_readable(recorded: str) -> bool:
    return recorded.endswith(" 1")


def fingerprint(ixdir: Path) -> dict[str, list[int]]:
    """Size and modification time of each index file (locks and the manifest aside)."""
    prints = {}
    for entry in os.scandir(ixdir):
        if entry.name == MANIFEST or entry.name.endswith("LOCK") or entry.name.startswith(".") or not entry.is_file():
            continue
        stat = entry.stat()
        prints[entry.name] = [stat.st_size, stat.st_mtime_ns]
    return prints


def digest_of(raw: bytes | None) -> str:
    """The content hash of a record file's bytes ("" when it could not be read)."""
    return "" if raw is None else hashlib.blake2b(raw, digest_size=12).hexdigest()
