"""Benchmark the site's search in Chromium: a reader's cold first search, and what it downloads.

    python tests/bench/bench_site_search.py [--records 1000 10000] [--dir CACHE] [--pagefind]

For the bundled kb and for generated knowledge bases of each size (generate.py, no
mistakes), builds the site (online, served on 127.0.0.1 by a thread) and measures, in
a new browser context each time (nothing cached):

    M  Material's search (lunr): milliseconds from the loaded home page to the first
       result of a typed query, and the bytes of search files fetched for it
    P  with --pagefind (needs `pip install pagefind-bin`, not a dependency of handover):
       Pagefind indexes the same site (article text, French), then its JS API answers
       the same query from a blank page; milliseconds and bytes fetched

Target (issue 21): at 10,000 records, first result in at most 1 s and at most 2 MB
downloaded for it. Prints one line per measure. The machine is shared and noisy: read
the figures for their order of magnitude. Always exits 0. Not a pytest test.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from generate import ensure

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
QUERY = "remboursement"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(kb: Path, out: Path) -> None:
    handover = Path(sys.executable).with_name("handover")
    subprocess.run([str(handover), "build", str(kb), "-d", str(out), "--today", "2026-11-21", "-f", str(REPO / "mkdocs.yml")],
                   check=True, capture_output=True)


def material(browser: Any, url: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers.get("content-length", 0))))
    page.goto(url, wait_until="load")
    started = time.perf_counter()
    page.locator("input.md-search__input").click()
    page.keyboard.type(QUERY)
    page.wait_for_selector(".md-search-result__item", timeout=300_000)
    seconds = time.perf_counter() - started
    fetched = sum(size for address, size in sizes.items() if "/search" in address)
    context.close()
    return seconds, fetched


def pagefind(browser: Any, url: str) -> tuple[float, int, int]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "blank.html", wait_until="load")
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers.get("content-length", 0))))
    started = time.perf_counter()
    count = page.evaluate("""async (q) => {
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const found = await pf.search(q);
        await Promise.all(found.results.slice(0, 5).map(r => r.data()));
        return found.results.length;
    }""", QUERY)
    seconds = time.perf_counter() - started
    context.close()
    return seconds, sum(sizes.values()), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="*", default=[1000, 10_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/handover-bench-site-search"))
    parser.add_argument("--pagefind", action="store_true", help="also index with Pagefind and measure it")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    kbs = [("bundled", REPO / "kb")] + [(f"{n}", ensure(args.dir / f"kb-{n}", n, problem_rate=0.0).root) for n in args.records]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, kb in kbs:
            site = args.dir / f"site-{name}"
            started = time.perf_counter()
            build(kb, site)
            print(f"{name}: site built in {time.perf_counter() - started:.0f} s", flush=True)
            (site / "blank.html").write_text("<!doctype html><title>blank</title>", encoding="utf-8")
            with served(site) as url:
                seconds, fetched = material(browser, url)
                print(f"{name}: M Material (lunr) first result {seconds * 1000:.0f} ms, {fetched / 1e6:.2f} MB of search files", flush=True)
                if args.pagefind:
                    started = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "pagefind_bin", "--site", str(site), "--root-selector", "article", "--force-language", "fr"],
                                   check=True, capture_output=True)
                    print(f"{name}: Pagefind index built in {time.perf_counter() - started:.0f} s", flush=True)
                    seconds, fetched, count = pagefind(browser, url)
                    print(f"{name}: P Pagefind first results ({count}) {seconds * 1000:.0f} ms, {fetched / 1e6:.2f} MB fetched", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
