"""One writer at a time: an advisory lock on a knowledge base.

Commands that change records (transfer, forget, and the authoring commands) take the
exclusive lock for the whole read-modify-write; readers of a cache that another
command may be rebuilding (search while the index is updated) take it shared. The
lock is an `flock` on `<kb>/.handover-cache/LOCK`: the system releases it when the
process ends, however it ends, so a killed command never leaves a stale lock.
The file records who holds it, for the message the next command shows.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handover.core.errors import HandoverError

CACHE_DIR = ".handover-cache"
LOCK_NAME = "LOCK"


class LockHeld(HandoverError):
    """Another handover process holds the knowledge base's lock."""


class CannotLock(HandoverError):
    """The lock file cannot be created: a folder that cannot be written."""


def cache_dir(root: Path) -> Path:
    """The knowledge base's rebuildable cache folder (never read as records), created
    with a `.gitignore` of its own so git never sees it as a change to commit."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# handover's rebuildable cache: never committed\n*\n", encoding="utf-8")
    return folder


def clear_cache_dir(root: Path) -> None:
    """Empty the rebuildable caches (the search index…). The lock files, the folder's
    .gitignore and a change's journal (files/journal.py) stay."""
    import shutil

    folder = root / CACHE_DIR
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name in (LOCK_NAME, ".gitignore") or entry.name.endswith(".lock") or entry.name.startswith("journal"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


@contextmanager
def kb_lock(root: Path, what: str, *, shared: bool = False, wait: float | None = 0.0, cache: str = LOCK_NAME) -> Iterator[None]:
    """Hold the knowledge base's lock while the block runs.

    `what` names the command, for the message another process will show. `shared`
    lets several readers in at once but no writer. `wait` is how many seconds to keep
    trying before giving up with LockHeld; 0 fails at once, None waits as long as it
    takes (for a lock held only while a cache is rebuilt). `cache` names another lock
    file in the same folder, for a lock that guards one cache only (e.g. "search.lock"
    for the search index), so a long index update does not block a transfer."""
    try:
        folder = cache_dir(root)
        fd = os.open(folder / cache, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CannotLock(f"cannot create the lock file {root / CACHE_DIR / cache}: {exc.strerror or exc}",
                         hint="check that the knowledge-base folder is writable") from None
    held = False
    try:
        _acquire(fd, folder / cache, what, shared, wait)
        held = True
        if not shared:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {what} {dt.datetime.now().isoformat(timespec='seconds')}\n".encode())
            if cache == LOCK_NAME:  # the knowledge base's writer finishes what a killed one left
                from handover.files.journal import recover

                recover(root, after=lambda: clear_cache_dir(root))
        yield
    finally:
        if held and not shared:
            os.ftruncate(fd, 0)  # the next message must not name a process that is gone
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, path: Path, what: str, shared: bool, wait: float | None) -> None:
    if wait is None:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        return
    mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, mode)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
    holder = _holder(path)
    raise LockHeld(f"cannot {what}: another handover command is using this knowledge base{holder}",
                   hint="wait for it to finish and run the command again (the lock goes away by itself when that process ends)")


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").split()
    except OSError:
        return ""
    if len(text) >= 3 and text[0].isdigit():  # "pid what… since", `what` may hold spaces
        return f" ({' '.join(text[1:-1])}, process {text[0]}, since {text[-1]})"
    return ""
