"""No half-written file: every file handover writes goes through here (records,
transfers, forget, the reference pages, the JSON Schemas, the pack, the search
index's pointer and manifest).

The content goes to a hidden temporary file beside the target (`.NAME.*.tmp`, which
the loader never reads as a record), is fsynced, then renamed over the target, or
hard-linked to a new name that must not exist yet. The result has the target's
permissions, or a new file's usual ones (0666 less the umask, as open() gives; not
mkstemp's 0600). The folder is fsynced last, so the rename itself survives a power
cut. A process killed at any moment leaves the old file or the new one, whole; at
worst a temporary file. A whole folder (a site) is made beside its target and swapped
in (swap_folder_in).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def new_file_mode() -> int:
    """The permissions of a new file: 0666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_output(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content into. When the block ends without
    an error, it replaces `path` whole, keeping `path`'s permissions (a new file's
    usual ones if there was none); on an error `path` is untouched and the temporary
    file removed. `durable=False` skips the fsyncs: for a cache, rebuilt if lost."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_folder(path.parent)


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8), atomically: see atomic_output."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, atomically: see atomic_output."""
    with atomic_output(path) as handle:
        handle.write(data)


def atomic_create(path: Path, text: str) -> None:
    """Write a new file atomically, refusing to replace an existing one: the text is
    written to a temporary file, fsynced, then hard-linked to its name, which fails
    if the name is taken (FileExistsError), even when another process races us."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, new_file_mode())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create instead
            with open(path, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (where the system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems cannot open a folder: the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def swap_folder_in(staging: Path, target: Path) -> None:
    """Put a folder made beside `target` (a built site, a rendered tree) in its place:
    an atomic exchange where Linux offers it, else two renames; the old folder is then
    deleted (the caller checked that its files are all handover's)."""
    if not target.exists():
        os.replace(staging, target)
        return
    if not _exchange(staging, target):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.handover-old-", dir=target.absolute().parent))
        os.replace(target, old / "site")
        os.replace(staging, target)
        staging = old
    shutil.rmtree(staging)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two paths in one step (Linux 3.15+, glibc 2.28+)."""
    if sys.platform != "linux":
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(done == 0)
