"""The fast build path (pages converted ahead, written on every core) must give the
same site, byte for byte, as MkDocs' own one-page-at-a-time build."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest

from conftest import BUNDLED_KB, KB_TODAY

from handover.core import forked
from handover.records.model import load_kb
from handover.site.mkdocs import build, internals


def build_bundled(out: Path) -> Path:
    kb = load_kb(str(BUNDLED_KB))
    build.build_site(kb, site_dir=out, strict=True, today=KB_TODAY)
    return out


def site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """MkDocs' own path: no pre-rendering, no forked page writers."""
    patch = pytest.MonkeyPatch()
    patch.setattr(internals, "AVAILABLE", False)  # as with an MkDocs whose private parts moved
    try:
        return site_files(build_bundled(tmp_path_factory.mktemp("plain")))
    finally:
        patch.undo()


def test_one_process_fast_path_gives_the_same_site(plain_site: dict[str, bytes], tmp_path: Path) -> None:
    assert internals.AVAILABLE  # else this compares the plain path with itself
    fast = site_files(build_bundled(tmp_path / "site"))
    assert fast.keys() == plain_site.keys()
    assert [name for name in fast if fast[name] != plain_site[name]] == []


def test_forked_build_gives_the_same_site(plain_site: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(forked, "MIN_PAGES", 1)  # the bundled kb is small: fork anyway
    monkeypatch.setenv("HANDOVER_JOBS", "3")
    forks = []
    real_start = forked.Forked._start
    monkeypatch.setattr(forked.Forked, "_start", lambda self, run: forks.append(len(run)) or real_start(self, run))
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        fast = site_files(build_bundled(tmp_path / "site"))
    assert len(forks) == 4 and all(forks), forks  # two children converting, two writing pages
    assert fast.keys() == plain_site.keys()
    assert [name for name in fast if fast[name] != plain_site[name]] == []
    assert not [r for r in caplog.records if "Page skipped" in r.getMessage()]


def test_a_failed_child_has_its_pages_built_here(plain_site: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "MIN_PAGES", 1)
    monkeypatch.setenv("HANDOVER_JOBS", "2")

    def crash(self: forked.Forked, run: list) -> tuple[int, int, list]:  # a child that dies before answering
        import os

        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os._exit(9)
        os.close(write_end)
        return (pid, read_end, run)

    monkeypatch.setattr(forked.Forked, "_start", crash)
    fast = site_files(build_bundled(tmp_path / "site"))
    assert [name for name in fast if fast[name] != plain_site[name]] == []


def test_shards_cover_every_item_once_in_order() -> None:
    items = list(range(10))
    runs = forked.shards(items, 3)
    assert [len(run) for run in runs] == [4, 3, 3]
    assert [item for run in runs for item in run] == items
    assert forked.shards([1], 4) == [[1]]


def test_weighted_shards_balance_the_work_not_the_count() -> None:
    costs = [1] * 20 + [10] * 2  # cheap pages first, as contacts come before incidents
    runs = forked.shards(costs, 2, weight=lambda cost: cost)
    assert [sum(run) for run in runs] == [20, 20] and [len(run) for run in runs] == [20, 2]
    assert [item for run in runs for item in run] == costs
    assert len(forked.shards(costs, 5, weight=lambda cost: cost)) == 5
    assert forked.shards([3], 2, weight=lambda cost: cost) == [[3]]


def test_squeeze_keeps_verbatim_text_and_one_whitespace() -> None:
    from handover.site.pages.squeeze import squeeze_html

    html = ("<div>\n    <p>Bonjour\n        à tous</p>\n  <pre><code>def f():\n    return 1\n</code></pre>\n"
            "  <script>\n  if (a) {\n    b()\n  }\n</script>\n\t<textarea>\n  gardé</textarea>\n</div>")
    assert squeeze_html(html) == ("<div>\n<p>Bonjour\nà tous</p>\n<pre><code>def f():\n    return 1\n</code></pre>\n"
                                  "<script>\n  if (a) {\n    b()\n  }\n</script>\n<textarea>\n  gardé</textarea>\n</div>")
