"""Benchmark: `handover report` for one week on a large knowledge base with a long history.

Run on demand (not collected by pytest):

    python tests/bench/bench_report.py [--records 10000] [--commits 1000] [--repeat 3] [--dir CACHE]

Also measures, in one process, the 12 weeks' reports of the site's Rapports section
made together (as the build does) against 12 separate reports.

Reuses bench_history's repository (the generated knowledge base, then `--commits`
commits by six authors, eight hours apart). Measures as whole cold processes, in
interleaved rounds, the report of the ISO week of the last commit (target ≤ 5 s),
against `handover validate` of the same knowledge base (the cost of loading and
checking it, which the report also pays) measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_history import build_repository, git

from generate import ensure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "handover-bench")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = ensure(args.dir / f"kb-{args.records}", args.records).root
    repo = args.dir / f"history-{args.records}-{args.commits}"
    marker = repo / ".bench.json"
    if not (marker.is_file() and json.loads(marker.read_text())["commits"] == args.commits):
        started = time.perf_counter()
        first = build_repository(source, repo, args.commits)
        marker.write_text(json.dumps({"commits": args.commits, "first": first}))
        print(f"built the repository in {time.perf_counter() - started:.1f} s: {repo}")
    kb = repo / "kb"
    last = dt.datetime.fromtimestamp(int(git(repo, "log", "-1", "--format=%at")), dt.UTC).date()
    year, week, _ = last.isocalendar()
    label = f"{year}-W{week:02d}"
    commits = git(repo, "rev-list", "--count", f"--since={dt.date.fromisocalendar(year, week, 1)}", "HEAD")
    print(f"report of {label} ({commits} commits that week), today = {last + dt.timedelta(days=1)}")
    handover = [sys.executable, "-m", "handover"]
    today = (last + dt.timedelta(days=1)).isoformat()
    jobs = {
        "report --week (markdown)": handover + ["report", str(kb), "--week", label, "--today", today],
        "report --week --format json": handover + ["report", str(kb), "--week", label, "--today", today, "--format", "json"],
        "validate (baseline)": handover + ["validate", str(kb), "--today", today],
    }
    for name, command in jobs.items():  # warm-up (page cache, .pyc files); the report must succeed
        code = subprocess.run(command, check=False, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if code.returncode and name.startswith("report"):
            raise SystemExit(f"{name} failed:\n{code.stderr[-2000:]}")
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(args.repeat):
        for name, command in jobs.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - started)
    print(f"\n{'whole process, seconds':<32} {'median':>8} {'best':>8}")
    for name, values in times.items():
        print(f"{name:<32} {statistics.median(values):>8.2f} {min(values):>8.2f}")
    report, baseline = statistics.median(times["report --week (markdown)"]), statistics.median(times["validate (baseline)"])
    print(f"\nreport / validate: x{report / baseline:.2f}")
    print(f"target report of one week ≤ 5 s: {report:.2f} s {'PASS' if report <= 5 else 'MISS'}")
    twelve_weeks(kb, last + dt.timedelta(days=1), args.repeat)


def twelve_weeks(kb: Path, today: dt.date, repeat: int) -> None:
    """The site's Rapports: the 12 weeks' reports in one process, as the build makes
    them (shared view, dates and repository), against 12 separate weekly_report calls."""
    from handover.records.model import load_kb
    from handover.report.model import last_weeks, weekly_report, weekly_reports

    loaded = load_kb(str(kb))
    spans = last_weeks(today, 12)
    shared: list[float] = []
    single: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        together = weekly_reports(loaded, spans, today)
        shared.append(time.perf_counter() - started)
        started = time.perf_counter()
        apart = [weekly_report(loaded, span, today) for span in spans]
        single.append(time.perf_counter() - started)
        assert [len(r.changed) for r in together] == [len(r.changed) for r in apart]
    print(f"\n12 weeks for the site (in process): {statistics.median(shared):.2f} s shared, "
          f"{statistics.median(single):.2f} s as 12 separate reports (x{statistics.median(single) / statistics.median(shared):.1f})")


if __name__ == "__main__":
    main()
