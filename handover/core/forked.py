"""Spreading page work over forked processes, one per core.

A large knowledge base means thousands of generated pages, each converted from
Markdown and then rendered by Material's templates: work that is independent per
page and bound by one core. Forked children inherit the whole build state (config,
files, navigation, Jinja environment) for free; they send back only small, picklable
results. Whatever a child logs is sent back too and logged again here, so MkDocs'
strict mode counts it. A child that fails for any reason has its share redone here:
parallelism can make a build faster, never different.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from handover.core import environment

log = logging.getLogger("mkdocs.plugins.handover")

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many pages, forking costs more than it saves (and `mkdocs serve`, which
# runs threads, keeps building in one process).
MIN_PAGES = 400


def jobs_for(pages: int) -> int:
    """Processes to use for `pages` pages: one below MIN_PAGES, else $HANDOVER_JOBS,
    else the cores this process may run on."""
    if pages < MIN_PAGES:
        return 1
    requested = environment.jobs()
    if requested is not None:
        return requested
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def shards(items: Sequence[Item], jobs: int, weight: Callable[[Item], int] | None = None) -> list[list[Item]]:
    """`items` cut into `jobs` contiguous runs (fewer if short) of near-equal length or,
    given `weight` (the work an item costs, in any unit), of near-equal total weight:
    pages differ tenfold in cost, and the slowest run sets the build's time."""
    jobs = max(1, min(jobs, len(items)))
    runs: list[list[Item]] = []
    if weight is None:
        size, extra = divmod(len(items), jobs)
        start = 0
        for index in range(jobs):
            end = start + size + (1 if index < extra else 0)
            runs.append(list(items[start:end]))
            start = end
        return runs
    weights = [max(1, weight(item)) for item in items]
    total = sum(weights)
    current: list[Item] = []
    done = 0
    for item, cost in zip(items, weights, strict=True):
        # Close the run when this item would end more than halfway past its share.
        if current and len(runs) < jobs - 1 and done + cost / 2 > total * (len(runs) + 1) / jobs:
            runs.append(current)
            current = []
        current.append(item)
        done += cost
    runs.append(current)
    return runs


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class Forked(Generic[Item, Result]):
    """Work started in forked children; `join` collects it in shard order."""

    def __init__(self, work: Callable[[list[Item]], Result], runs: list[list[Item]]) -> None:
        self._work = work
        self._children: list[tuple[int, int, list[Item]]] = []
        if not hasattr(os, "fork"):
            self._children = [(-1, -1, run) for run in runs]  # done in join, here
            return
        # Out of the collector's reach, inherited objects are not touched (and so not
        # copied) by a child's collections. Not unfrozen after: the build needs them
        # to the end, and the loaded records were frozen already (model.py).
        gc.freeze()
        for run in runs:
            self._children.append(self._start(run))

    def _start(self, run: list[Item]) -> tuple[int, int, list[Item]]:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return (-1, -1, run)
        if pid == 0:  # the child: work, send the result back, leave without cleanup
            os.close(read_end)
            status = 0
            try:
                capture = _Capture()
                root = logging.getLogger("mkdocs")
                root.handlers, root.propagate = [capture], False
                payload = pickle.dumps(("ok", self._work(run), capture.records), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which redoes the work
                payload, status = pickle.dumps(("failed", f"{type(exc).__name__}: {exc}", [])), 1
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            os._exit(status)
        os.close(write_end)
        return (pid, read_end, run)

    def join(self) -> list[Result]:
        results = []
        for pid, read_end, run in self._children:
            outcome = None
            if pid > 0:
                with os.fdopen(read_end, "rb") as pipe:
                    data = pipe.read()
                os.waitpid(pid, 0)
                try:
                    outcome = pickle.loads(data)
                except Exception:  # noqa: BLE001 - a child killed halfway: redo its share
                    outcome = None
            if outcome and outcome[0] == "ok":
                for name, level, message in outcome[2]:
                    logging.getLogger(name).log(level, "%s", message)
                results.append(outcome[1])
            else:
                if outcome:
                    log.debug("a build process failed (%s); doing its share here", outcome[1])
                results.append(self._work(run))
        self._children = []
        return results
