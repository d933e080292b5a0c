"""serve: edits to the knowledge base noticed by the kernel, not by polling it.

MkDocs' server polls every file of the folder it watches every half second: at
10,000 records one poll takes 0.1-0.2 s of the interpreter's time, so the poller
held it a fifth of the time and slowed every rebuild by as much, and an edit waited
up to 0.65 s to be seen. Where the system tells of file changes (inotify on Linux,
through watchdog, MkDocs' own watcher library), the plugin stops MkDocs watching
the knowledge base (`server.unwatch`, MkDocs' public plugin API), has the kernel
watch it, and on each change hands MkDocs' server the event its poller of a
one-file folder would have found (internals.wake_server), at once instead of at the
next poll; where that cannot be done, it appends to the folder's file, which MkDocs
polls at no cost. Either way the rebuild goes through MkDocs' own loop (waiting for
changes to settle, reloading the browsers). Elsewhere, or when the system refuses
the watch, MkDocs keeps polling as before.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import tempfile
from typing import Any

from handover.site.mkdocs.internals import wake_server

log = logging.getLogger("mkdocs.plugins.handover")
PREFIX = "handover-serve-changes-"  # then the server's process id and a "-"


def _remove_orphans() -> None:
    """The folders of servers that were killed (SIGTERM runs no cleanup): each names its process."""
    for path in glob.glob(os.path.join(tempfile.gettempdir(), PREFIX + "*-*")):
        pid = os.path.basename(path)[len(PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or os.listdir(path) not in ([], ["changed"]):
            continue  # not one of ours
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass  # alive, or another user's


class KernelWatch:
    """Forwards every file change under the knowledge base to a file MkDocs polls."""

    def __init__(self) -> None:
        self.observer: Any = None
        self.folder: str | None = None

    def attach(self, server: Any, docs_dir: str) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        if Observer is PollingObserver:
            return  # no kernel notifications here: MkDocs' poller is as good
        _remove_orphans()
        folder = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
        trigger = os.path.join(folder, "changed")

        class Forward(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                    return
                if not wake_server(server, folder, trigger):  # at once, not at MkDocs' next poll
                    with open(trigger, "a", encoding="utf-8") as out:
                        out.write(".")  # one byte more: the poller sees the size change

        observer = Observer()
        try:
            observer.schedule(Forward(), docs_dir, recursive=True)
            observer.start()
        except OSError as exc:  # e.g. the system's limit of watches reached
            log.info("handover: watching %s by polling (%s)", docs_dir, exc)
            shutil.rmtree(folder, ignore_errors=True)
            return
        self.observer, self.folder = observer, folder
        server.watch(folder)
        server.unwatch(docs_dir)

    def close(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)  # ours: made by attach
            self.folder = None
