"""Benchmark `handover validate` against a bare PyYAML load and check-jsonschema.

    python tests/bench/bench_validate.py [--records 10000] [--repeat 5] [--repeat-c 3] [--dir CACHE] [--json OUT]

On a generated knowledge base (tests/bench/generate.py), measures in the same run,
each as a whole cold process, after one warm-up round that fills the OS file cache:

    A  a bare script that only loads every record file with yaml.CSafeLoader
       (the front matter only, for Markdown records);
    B  handover validate DIR;
    C  check-jsonschema validating the same records against an equivalent JSON
       Schema, once per kind (front matters written out as .yml files beforehand,
       outside the timing);
    D  handover --help.

Prints the medians and the ratios the issue sets as targets (B/A ≤ 1.5, B/C < 1,
D < 0.3 s) with PASS or MISS. Always exits 0: the numbers are what matter. Not a
pytest test (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from generate import GeneratedKb, ensure, generate

from handover.records import fieldtypes as ft
from handover.records.kinds import KINDS, Kind

TARGET_B_OVER_A = 1.5
TARGET_B_OVER_C = 1.0
TARGET_HELP = 0.3

# --------------------------------------------------------------------------- A: the bare load

BARE_SCRIPT = '''\
"""Load every record file with PyYAML's C loader, and nothing else."""
import os
import sys

import yaml

KINDS = {kinds!r}
root = sys.argv[1]
loader = yaml.CSafeLoader
count = 0
for kind, extension in KINDS.items():
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, kind)):
        for name in filenames:
            if not name.endswith(extension):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                text = handle.read()
            if extension == ".md":
                lines = text.split("\\n")
                text = "\\n".join(lines[1:lines.index("---", 1)])
            yaml.load(text, Loader=loader)
            count += 1
print(count)
'''


# --------------------------------------------------------------------------- C: JSON Schema

def json_schema(kind: Kind, vocab: ft.Vocabulary) -> dict[str, Any]:
    """The JSON Schema `handover schema` exports for `kind` (handover/reference/schemas.py): what
    editors and check-jsonschema use, generated from handover/records/kinds.py."""
    from handover.reference.schemas import kind_schema

    return kind_schema(kind, vocab)


# --------------------------------------------------------------------------- running

def console_script(name: str) -> list[str]:
    """The console script of the same environment as this Python, or `python -m`."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return [str(candidate)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, "-m", name.replace("-", "_")]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds user+system, exit code) of one whole process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu, result.returncode


def prepare_schemas(kb: GeneratedKb, work: Path) -> list[tuple[str, list[str]]]:
    """Write one JSON Schema per kind and the Markdown front matters as .yml files;
    return the check-jsonschema commands (arguments after the executable), one per kind."""
    from handover.records.config import load_config

    vocab = load_config(kb.root, str(kb.root))
    commands: list[tuple[str, list[str]]] = []
    for folder, kind in KINDS.items():
        schema_path = work / "schemas" / f"{folder}.json"
        schema_path.parent.mkdir(parents=True, exist_ok=True)
        schema_path.write_text(json.dumps(json_schema(kind, vocab), ensure_ascii=False, indent=1), encoding="utf-8")
        files = kb.record_files(folder)
        if kind.is_markdown:
            target = work / "front-matter" / folder
            target.mkdir(parents=True, exist_ok=True)
            converted = []
            for path in files:
                lines = path.read_text(encoding="utf-8").split("\n")
                out = target / (path.stem + ".yml")
                out.write_text("\n".join(lines[1:lines.index("---", 1)]) + "\n", encoding="utf-8")
                converted.append(str(out))
            names = converted
        else:
            names = [str(p) for p in files]
        if names:
            commands.append((folder, ["--schemafile", str(schema_path), *names]))
    return commands


def check_sprinkled(kb: GeneratedKb, handover: list[str]) -> tuple[int, int, list[str]]:
    """Run validate once (untimed, JSON) and count the sprinkled problems it reports."""
    result = subprocess.run([*handover, "validate", str(kb.root), "--today", kb.today.isoformat(), "--format", "json"],
                            capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        return 0, len(kb.problems), [f"validate printed no JSON (exit {result.returncode}): {result.stderr.strip()[:300]}"]
    found = {(p["path"].replace(os.sep, "/"), p["line"], p["code"]) for p in report["problems"]}
    missed = []
    for expected in kb.problems:
        if not any(path.endswith("/" + expected.path) and line == expected.line and code == expected.code for path, line, code in found):
            missed.append(f"{expected.path}:{expected.line}:{expected.col} {expected.code} ({expected.mistake})")
    expected_errors = {p.path for p in kb.problems if p.is_error}
    extra = [f"{p['path']}:{p['line']}:{p['col']} {p['code']} {p['message']}" for p in report["problems"]
             if p["severity"] == "error" and not any(p["path"].replace(os.sep, "/").endswith("/" + e) for e in expected_errors)]
    return len(kb.problems) - len(missed), len(kb.problems), missed + [f"unexpected: {e}" for e in extra]


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="records in the generated kb (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--problems", type=float, default=0.01, help="share of records with a sprinkled mistake (default 0.01)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of A, B and D, after one warm-up (default 5)")
    parser.add_argument("--repeat-c", type=int, default=3, help="timed runs of C, the slow one (default 3)")
    parser.add_argument("--dir", type=Path, help="generate the kb here, or reuse it if it was generated with the same arguments")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="handover-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        kb = ensure(args.dir.resolve(), args.records, args.seed, args.problems) if args.dir else generate(work / "kb", args.records, args.seed, args.problems)
        generated_in = time.perf_counter() - started
        total_bytes = sum(p.stat().st_size for p in kb.record_files())
        print(f"knowledge base: {kb.root} ({sum(kb.counts.values())} records: "
              + ", ".join(f"{k} {n}" for k, n in kb.counts.items())
              + f"; {kb.rules} charter rules; {len(kb.problems)} sprinkled problems; {total_bytes / 1e6:.1f} MB; ready in {generated_in:.1f} s)")

        bare = work / "bare_load.py"
        bare.write_text(BARE_SCRIPT.format(kinds={folder: kind.extension for folder, kind in KINDS.items()}), encoding="utf-8")
        handover = console_script("handover")
        checker = console_script("check-jsonschema")
        schema_commands = prepare_schemas(kb, work)
        today = ["--today", kb.today.isoformat()]

        measures: dict[str, Any] = {
            "A": ("bare PyYAML CSafeLoader load", lambda: [timed([sys.executable, str(bare), str(kb.root)])]),
            "B": ("handover validate", lambda: [timed([*handover, "validate", str(kb.root), *today])]),
            "C": (f"check-jsonschema ({len(schema_commands)} kinds)", lambda: [timed([*checker, *command]) for _, command in schema_commands]),
            "D": ("handover --help", lambda: [timed([*handover, "--help"])]),
        }
        times: dict[str, list[float]] = {key: [] for key in measures}
        cpu: dict[str, list[float]] = {key: [] for key in measures}
        exits: dict[str, list[int]] = {key: [] for key in measures}
        # Round 0 is the warm-up. Rounds interleave the measures, in alternate order
        # (A B C D, then D C B A…) so that a machine getting faster or slower during
        # the run does not favour one of them.
        for round_no in range(max(args.repeat, args.repeat_c) + 1):
            keys = list(measures) if round_no % 2 == 0 else list(reversed(measures))
            for key in keys:
                if round_no > (args.repeat_c if key == "C" else args.repeat):
                    continue
                results = measures[key][1]()
                if round_no:
                    times[key].append(sum(r[0] for r in results))
                    cpu[key].append(sum(r[1] for r in results))
                    exits[key] = [r[2] for r in results]
        median = {key: statistics.median(values) for key, values in times.items()}
        median_cpu = {key: statistics.median(values) for key, values in cpu.items()}

        found, expected, notes = check_sprinkled(kb, handover)

    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"median of {args.repeat} runs (C: {args.repeat_c}) after 1 warm-up; whole processes, cold (new interpreter each time)")
    print()
    print(f"    {'measure':<34} {'wall':>9} {'cpu':>9} {'best':>9}   wall of each run (s)")
    for key, (label, _) in measures.items():
        runs = " ".join(f"{t:.3f}" for t in times[key])
        print(f"  {key} {label:<34} {median[key]:>7.3f} s {median_cpu[key]:>7.3f} s {min(times[key]):>7.3f} s   {runs}   exit {','.join(str(c) for c in exits[key])}")
    ratio_ba = median["B"] / median["A"]
    ratio_bc = median["B"] / median["C"]
    print()
    print(f"  B/A  {ratio_ba:6.2f}     target <= {TARGET_B_OVER_A}    {mark(ratio_ba <= TARGET_B_OVER_A)}   "
          f"(cpu: {median_cpu['B'] / median_cpu['A']:.2f}, best: {min(times['B']) / min(times['A']):.2f})")
    print(f"  B/C  {ratio_bc:6.2f}     target <  {TARGET_B_OVER_C:g}      {mark(ratio_bc < TARGET_B_OVER_C)}   "
          f"(cpu: {median_cpu['B'] / median_cpu['C']:.2f}, best: {min(times['B']) / min(times['C']):.2f})")
    print(f"  D    {median['D']:6.3f} s   target <  {TARGET_HELP} s  {mark(median['D'] < TARGET_HELP)}")
    print("  (the wall-clock medians decide; cpu = user+system time of the processes, best = fastest run:")
    print("   both are less sensitive to other load on the machine, worth a look when the runs spread widely)")
    print()
    print(f"sprinkled problems reported by handover validate: {found}/{expected}")
    for note in notes[:20]:
        print(f"  {note}")
    if len(notes) > 20:
        print(f"  … and {len(notes) - 20} more")
    print("(exit codes: A 0; B and C 1 because of the sprinkled problems; D 0)")

    if args.json:
        args.json.write_text(json.dumps({
            "records": sum(kb.counts.values()), "counts": kb.counts, "bytes": total_bytes, "repeat": args.repeat, "repeat_c": args.repeat_c,
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "times": times, "median": median, "cpu": cpu, "median_cpu": median_cpu, "ratios": {"B/A": ratio_ba, "B/C": ratio_bc},
            "pass": {"B/A": ratio_ba <= TARGET_B_OVER_A, "B/C": ratio_bc < TARGET_B_OVER_C, "D": median["D"] < TARGET_HELP},
            "sprinkled_found": found, "sprinkled": expected,
        }, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
