"""Benchmark: `handover build` at scale, and why the navigation lists no records.

Run on demand (not collected by pytest):

    python tests/bench/bench_build.py [--records 10000] [--naive-records 1000] [--dir CACHE]

Measures, as whole processes in the same run:
- `handover build` of the generated knowledge base (target: ≤ 60 s and a site of
  ≤ 200 MB at 10k records), with peak memory;
- the same at --naive-records, in our layout and in the naive one (one page per record
  and every record in the navigation, which Material writes into every page), and
  prints the ratios of their times and sizes;
- linearity: time and size per record at the small and the large size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from generate import ensure

TODAY = "2026-11-21"


def site_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed_build(kb: Path, out: Path, config_file: Path | None = None) -> tuple[float, float, int]:
    """(seconds, peak MB, site bytes) of one `handover build` process."""
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "handover", "build", str(kb), "-d", str(out), "--today", TODAY]
    if config_file:
        command += ["-f", str(config_file)]
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    process = subprocess.run(timer + command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{process.stderr[-3000:]}")
    peak_mb = float(process.stderr.strip().splitlines()[-1]) / 1024 if timer else float("nan")
    return seconds, peak_mb, site_bytes(out)


def naive_config(kb: Path, folder: Path) -> Path:
    """mkdocs.yml listing every record in the navigation: the layout we avoid."""
    kinds = ["team", "accounts", "contacts", "influencers", "charter", "responses", "incidents"]
    nav: list[object] = [{"Accueil": "index.md"}]
    for kind in kinds:
        entries = [{path.stem: f"{kind}/{path.stem}.md"} for path in sorted((kb / kind).rglob("*.*"))]
        nav.append({kind: [{"Index": f"{kind}/index.md"}, *entries]})
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: kb", f"docs_dir: {kb}").replace("  - offline:\n      enabled: !ENV [HANDOVER_OFFLINE, false]\n", "")
    config = folder / "mkdocs-naive.yml"
    config.write_text(text + "\nnav: " + json.dumps(nav, ensure_ascii=False) + "\n", encoding="utf-8")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--naive-records", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "handover-bench")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args.dir.mkdir(parents=True, exist_ok=True)
    # No sprinkled mistakes: errors stop a build.
    small = ensure(args.dir / f"kb-{args.naive_records}", args.naive_records, problem_rate=0.0).root
    large = ensure(args.dir / f"kb-{args.records}", args.records, problem_rate=0.0).root
    out = args.dir / "site"

    ours_small = timed_build(small, out)
    naive_small = timed_build(small, out, naive_config(small, args.dir))
    ours_large = timed_build(large, out)

    def row(name: str, n: int, figures: tuple[float, float, int]) -> str:
        seconds, peak, size = figures
        return f"{name:<34} {n:>7} {seconds:>9.1f} {peak:>9.0f} {size / 1e6:>9.1f} {1000 * seconds / n:>9.2f} {size / n / 1e3:>9.1f}"

    print(f"{'build':<34} {'records':>7} {'seconds':>9} {'peak MB':>9} {'site MB':>9} {'ms/rec':>9} {'kB/rec':>9}")
    print(row("handover layout", args.naive_records, ours_small))
    print(row("naive layout (full navigation)", args.naive_records, naive_small))
    print(row("handover layout", args.records, ours_large))
    print()
    print(f"naive / handover at {args.naive_records}: time x{naive_small[0] / ours_small[0]:.1f}, size x{naive_small[2] / ours_small[2]:.1f}, peak memory x{naive_small[1] / ours_small[1]:.1f}")
    per_small, per_large = ours_small[0] / args.naive_records, ours_large[0] / args.records
    print(f"linearity (time per record, {args.records} vs {args.naive_records}): x{per_large / per_small:.2f}; size per record: x{(ours_large[2] / args.records) / (ours_small[2] / args.naive_records):.2f}")
    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    print(f"target build ≤ 60 s at {args.records}: {ours_large[0]:.1f} s {verdict(ours_large[0] <= 60)}")
    print(f"target site ≤ 200 MB at {args.records}: {ours_large[2] / 1e6:.1f} MB {verdict(ours_large[2] <= 200e6)}")


if __name__ == "__main__":
    main()
