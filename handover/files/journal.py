"""Several files changed as one: a journal written first, replayed by the next command.

`transfer` and `forget` change many files. Each file is replaced atomically, but a
process killed between two of them used to leave some changed and others not. Now:

1. prepare: every new content (and every deletion) is written, fsynced, into
   `.handover-cache/journal.tmp-PID-…/` with a manifest; then that folder is renamed
   `journal/`: the commit point. Killed before it, nothing has changed and the
   temporary folder is thrown away by the next command (rolled back).
2. apply: each file is replaced atomically from the journal (or deleted).
3. done: `journal/` is renamed away, then deleted.

A command that finds `journal/` (killed during 2) replays it whole before anything
else: writing the same contents again is harmless, so the files end all new. The
next command is any command that takes the knowledge base's lock (transfer, forget,
new…) or loads the knowledge base (validate, status, build…): see `recover`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path

from handover.core.errors import HandoverError
from handover.files.atomic import atomic_write_bytes, fsync_folder

JOURNAL = "journal"
_PREPARING = "journal.tmp-"
_DONE = "journal.done-"
_MANIFEST = "manifest.json"
_CACHE = ".handover-cache"  # files/lock.py's CACHE_DIR (lock.py imports this module)


@dataclass
class Transaction:
    """What one command changes: files to write (text) or delete (None), relative to the
    knowledge base, and whether the rebuildable caches must be emptied after."""

    root: Path
    changes: dict[Path, str | None] = field(default_factory=dict)
    clear_caches: bool = False

    def write(self, path: Path, text: str) -> None:
        self.changes[path] = text

    def delete(self, path: Path) -> None:
        self.changes[path] = None


def pending(root: Path) -> bool:
    """Whether a journal or a leftover of one is there (one stat in the common case)."""
    folder = root / _CACHE
    if not folder.is_dir():
        return False
    return any(entry.name == JOURNAL or entry.name.startswith((_PREPARING, _DONE)) for entry in os.scandir(folder))


def commit(transaction: Transaction, after: Callable[[], None] | None = None) -> list[Path]:
    """Make every change of the transaction, all or nothing (see the module docstring).
    The caller holds the knowledge base's lock. `after` runs once the files are written
    (emptying the caches); it runs again on replay, so it must be repeatable."""
    root = transaction.root
    entries = []
    for path in transaction.changes:
        relative = _relative(root, path)
        entries.append((relative, path))
    folder = root / _CACHE
    folder.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{_PREPARING}{os.getpid()}-", dir=folder))
    manifest: list[dict[str, object]] = []
    for index, (relative, path) in enumerate(entries):
        text = transaction.changes[path]
        item: dict[str, object] = {"path": relative, "content": None}
        if text is not None:
            data = text.encode("utf-8")
            name = f"{index:06d}.new"
            _write_synced(staging / name, data)
            item.update(content=name, sha256=hashlib.sha256(data).hexdigest())
        manifest.append(item)
    _write_synced(staging / _MANIFEST, json.dumps({"changes": manifest, "clear_caches": transaction.clear_caches},
                                                  ensure_ascii=False, indent=1).encode("utf-8"))
    fsync_folder(staging)
    journal = folder / JOURNAL
    os.rename(staging, journal)  # the commit point: from here on, the change happens
    fsync_folder(folder)
    _replay(root, journal, after)
    return [path for _, path in entries]


def recover(root: Path, after: Callable[[], None] | None = None) -> str | None:
    """Finish what a killed command left (the caller holds the lock): replay a
    committed journal, throw away one that was never committed. Says what it did."""
    folder = root / _CACHE
    if not folder.is_dir():
        return None
    said = None
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith((_PREPARING, _DONE)) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
            if entry.name.startswith(_PREPARING):
                said = said or "an interrupted change had not started: nothing to undo (its journal was removed)"
    journal = folder / JOURNAL
    if journal.is_dir() and not journal.is_symlink():
        count = _replay(root, journal, after)
        said = f"an interrupted change was finished from its journal ({count} file{'s' if count != 1 else ''})"
    return said


def _replay(root: Path, journal: Path, after: Callable[[], None] | None) -> int:
    try:
        manifest = json.loads((journal / _MANIFEST).read_text(encoding="utf-8"))
        changes = manifest["changes"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HandoverError(f"{journal}: the journal of an interrupted change cannot be read ({exc})",
                            hint="check the files with git status, then delete that folder") from None
    plan: list[tuple[Path, bytes | None]] = []
    for item in changes:
        target = root / _relative(root, root / str(item["path"]))
        data = None
        if item.get("content") is not None:
            data = (journal / str(item["content"])).read_bytes()
            if hashlib.sha256(data).hexdigest() != item.get("sha256"):
                raise HandoverError(f"{journal}: the journal of an interrupted change is damaged ({item['path']})",
                                    hint="check the files with git status, then delete that folder")
        plan.append((target, data))
    for target, data in plan:
        _drop_temporaries(target)
        if data is None:
            try:
                target.unlink()
            except FileNotFoundError:
                pass
            else:
                fsync_folder(target.parent)
        else:
            atomic_write_bytes(target, data)
    if manifest.get("clear_caches") and after is not None:
        after()
    done = journal.with_name(f"{_DONE}{os.getpid()}")
    if done.exists():
        shutil.rmtree(done)
    os.rename(journal, done)
    fsync_folder(journal.parent)
    shutil.rmtree(done)
    return len(plan)


def _drop_temporaries(target: Path) -> None:
    """The hidden `.NAME.XXXXXXXX.tmp` files an atomic write of `target` killed before
    its rename left beside it (the lock says no other writer is at work)."""
    try:
        leftovers = [p for p in target.parent.glob(f".{glob_escape(target.name)}.*.tmp") if p.is_file() and not p.is_symlink()]
    except OSError:
        return
    for leftover in leftovers:
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _relative(root: Path, path: Path) -> str:
    """A path inside the knowledge base, as '/'-separated text; anything else is refused
    (a journal must never write outside the knowledge base)."""
    base = os.path.abspath(root)
    full = os.path.abspath(path)
    relative = os.path.relpath(full, base)
    if relative == "." or relative.startswith("..") or os.path.isabs(relative) or relative.split(os.sep)[0] == _CACHE:
        raise HandoverError(f"{path}: not a file of the knowledge base {root}; the change was refused")
    return relative.replace(os.sep, "/")


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
