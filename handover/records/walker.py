"""The one walk over a knowledge base's record files, for every command.

`load_kb` (validate, build, status…) and the search index both find their record
files here, so a file one of them refuses the other never reads: a record that is a
link to outside the knowledge base, a kind folder that is itself a link, a file
whose name is not an id. Each file of a kind folder comes with a verdict; only
RECORD files are records. Stats only, no reading: a warm search walks 10,000 files
on every query.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from handover.records.kinds import KINDS, Kind
from handover.records.values import SLUG_RE

PAGE_NAMES = {"index.md", "README.md"}  # Markdown pages that may sit among records

RECORD = "record"
PAGE = "page"  # index.md or README.md in a kind folder: a page, not a record
WRONG_EXTENSION = "wrong-extension"  # not the kind's extension (W113)
OUTSIDE = "outside"  # a link to a file outside the knowledge base (E111)
BAD_ID = "bad-id"  # the name is not an id: lowercase letters, digits, hyphens (E111)


class Found(NamedTuple):
    """A file in a kind folder: its verdict, relative path (with "/"), directory entry."""

    verdict: str
    relative: str
    entry: os.DirEntry[str]
    kind: Kind

    @property
    def stem(self) -> str:
        return os.path.splitext(self.entry.name)[0]


def kind_files(root: str) -> Iterator[Found]:
    """Every file of every kind folder of the knowledge base at `root`, folder by
    folder in name order (see `kind_folder`)."""
    real_root = os.path.realpath(root)
    for folder in sorted(KINDS):
        yield from kind_folder(root, KINDS[folder], real_root)


def kind_folder(root: str, kind: Kind, real_root: str = "") -> Iterator[Found]:
    """Every file of one kind folder, each folder's files by name before its
    subfolders. Names starting with "." or "_" are skipped, files and folders alike;
    a kind folder that is a link, and linked subfolders, are not entered."""
    path = os.path.join(root, kind.folder)
    if os.path.isdir(path) and not os.path.islink(path):
        yield from _walk(path, kind.folder + "/", kind, real_root or os.path.realpath(root))


def record_files(root: str) -> Iterator[Found]:
    """The record files only (verdict RECORD), in no particular order. A warm search
    calls it for each query: one generator between the folders and the caller."""
    real_root = os.path.realpath(root)
    for folder in sorted(KINDS):
        path = os.path.join(root, folder)
        if os.path.isdir(path) and not os.path.islink(path):
            for found in _walk(path, folder + "/", KINDS[folder], real_root, ordered=False):  # the index sorts them
                if found.verdict == RECORD:
                    yield found


def records_of(root: Path, kind: Kind) -> list[Path]:
    """The record files of one kind, as the loader reads them, in path order."""
    return sorted(Path(found.entry.path) for found in kind_folder(str(root), kind) if found.verdict == RECORD)


def _walk(path: str, prefix: str, kind: Kind, real_root: str, ordered: bool = True) -> Iterator[Found]:
    try:
        with os.scandir(path) as scanned:
            entries = sorted(scanned, key=_NAME) if ordered else list(scanned)
    except OSError:
        return
    record_name = _record_name(kind)
    folders = []
    for entry in entries:
        name = entry.name
        if name[0] in "._":
            continue
        try:
            if record_name(name) and name not in PAGE_NAMES and not entry.is_symlink():  # most files: a record, said in C
                yield Found(RECORD, prefix + name, entry, kind)
                continue
            if entry.is_dir():
                if not entry.is_symlink():
                    folders.append(entry)
                continue
        except OSError:
            continue
        yield Found(_verdict(entry, kind, real_root), prefix + name, entry, kind)
    for entry in folders:
        yield from _walk(entry.path, prefix + entry.name + "/", kind, real_root, ordered)


_NAME = attrgetter("name")
_RECORD_NAMES: dict[str, Callable[[str], object]] = {}


def _record_name(kind: Kind) -> Callable[[str], object]:
    """A test of a file name: an id and the kind's extension."""
    test = _RECORD_NAMES.get(kind.folder)
    if test is None:
        test = _RECORD_NAMES[kind.folder] = re.compile(SLUG_RE.pattern.rstrip("$") + re.escape(kind.extension) + "$").match
    return test


def _verdict(entry: os.DirEntry[str], kind: Kind, real_root: str) -> str:
    name = entry.name
    if name in PAGE_NAMES:
        return PAGE
    stem, extension = os.path.splitext(name)
    if extension != kind.extension:
        return WRONG_EXTENSION
    if entry.is_symlink() and not _under(os.path.realpath(entry.path), real_root):
        return OUTSIDE
    if not SLUG_RE.match(stem):
        return BAD_ID
    return RECORD


def _under(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, links resolved, lies inside `root`."""
    return _under(os.path.realpath(path), os.path.realpath(root))
