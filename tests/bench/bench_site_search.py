"""Benchmark the site's search in Chromium: a reader's cold first search, and what it downloads.

    python tests/bench/bench_site_search.py [--records 1000 10000] [--dir CACHE] [--query TEXT] [--pagefind]

For the bundled kb and for generated knowledge bases of each size (generate.py, no
mistakes), builds the site twice, online (served on 127.0.0.1 by a thread) and
offline (`--offline`, opened from file://, no server), and measures, in a new
browser context each time (nothing cached):

    H  handover's search (site/pages/searchindex.py, handover-search.js): milliseconds
       from the loaded home page to the first result of a typed query, and the bytes
       of the search index's files loaded for it (their sizes on disk: file:// has no
       Content-Length); online and from file://
    P  with --pagefind (needs `pip install pagefind-bin`, not a dependency of handover):
       Pagefind indexes the same online site (article text, French), then its JS API
       answers the same query from a blank page; milliseconds and bytes fetched

Target (issue 21): at 10,000 records, first result in at most 1 s and at most 2 MB
downloaded for it, online and from file://. Prints one line per measure; each size's
lines come from the same run as the bundled kb's. The machine is shared and noisy:
read the figures for their order of magnitude. Always exits 0. Not a pytest test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # tests/: sitehttp

from sitehttp import serving

from generate import ensure

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
QUERY = "remboursement"


def build(kb: Path, out: Path, *extra: str) -> None:
    handover = Path(sys.executable).with_name("handover")
    subprocess.run([str(handover), "build", str(kb), "-d", str(out), "--today", "2026-11-21", "-f", str(REPO / "mkdocs.yml"), *extra],
                   check=True, capture_output=True)


def handover_search(browser: Any, site: Path, url: str, query: str) -> tuple[float, int, int]:
    """Milliseconds to the first result, bytes of index files loaded, how many files."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    loaded: set[str] = set()
    page.on("request", lambda r: loaded.add(r.url) if "/_handover/search/" in r.url else None)
    page.goto(url, wait_until="load")
    started = time.perf_counter()
    page.locator("#ho-search-input").click()
    page.keyboard.type(query)
    page.wait_for_selector(".ho-search__result", timeout=300_000)
    seconds = time.perf_counter() - started
    context.close()
    files = [site / "_handover" / "search" / address.split("/_handover/search/", 1)[1] for address in loaded]
    return seconds, sum(f.stat().st_size for f in files), len(files)


def pagefind(browser: Any, url: str, query: str) -> tuple[float, int, int]:
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
    }""", query)
    seconds = time.perf_counter() - started
    context.close()
    return seconds, sum(sizes.values()), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="*", default=[1000, 10_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/handover-bench-site-search"))
    parser.add_argument("--query", default=QUERY, help=f"what the reader types, key by key (default: {QUERY})")
    parser.add_argument("--pagefind", action="store_true", help="also index with Pagefind and measure it")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    kbs = [("bundled", REPO / "kb")] + [(f"{n}", ensure(args.dir / f"kb-{n}", n, problem_rate=0.0).root) for n in args.records]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, kb in kbs:
            site, offline = args.dir / f"site-{name}", args.dir / f"site-{name}-offline"
            started = time.perf_counter()
            build(kb, site)
            build(kb, offline, "--offline")
            print(f"{name}: sites built (online and offline) in {time.perf_counter() - started:.0f} s", flush=True)
            with serving(site) as url:
                seconds, size, count = handover_search(browser, site, url, args.query)
                print(f"{name}: H handover search, online   first result {seconds * 1000:.0f} ms, {size / 1e6:.3f} MB in {count} index files", flush=True)
                seconds, size, count = handover_search(browser, offline, (offline / "index.html").as_uri(), args.query)
                print(f"{name}: H handover search, file://  first result {seconds * 1000:.0f} ms, {size / 1e6:.3f} MB in {count} index files", flush=True)
                if args.pagefind:
                    (site / "blank.html").write_text("<!doctype html><title>blank</title>", encoding="utf-8")
                    started = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "pagefind_bin", "--site", str(site), "--root-selector", "article", "--force-language", "fr"],
                                   check=True, capture_output=True)
                    print(f"{name}: Pagefind index built in {time.perf_counter() - started:.0f} s", flush=True)
                    seconds, fetched, found = pagefind(browser, url, args.query)
                    print(f"{name}: P Pagefind first results ({found}) {seconds * 1000:.0f} ms, {fetched / 1e6:.2f} MB fetched", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
