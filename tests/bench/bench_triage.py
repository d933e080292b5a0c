"""Benchmark `handover triage` as a whole process on the bundled knowledge base.

    python tests/bench/bench_triage.py [--messages 20] [--repeat 1] [--baseline REF] [--json OUT]

Works on a private copy of kb/ (its search index built once before timing, as after
any first use). Measures in the same run, each a new interpreter (what a user waits
for):

    T  `handover triage MESSAGE --platform P` for messages of the evaluation
       (tests/evaluation/triage_messages.yaml, every n-th one), median per message
    H  `handover --help`: the interpreter and the command line alone
    V  `handover validate` on the same copy: loading and checking every record
    B  with --baseline REF (a git commit, e.g. main): T for the `handover` package of
       that commit (extracted with git archive), run alternately with T

Target (issue 17): T <= 0.5 s. Prints medians (wall and CPU: on a shared machine the
CPU time is what the command itself costs), best runs and the ratios T/H and T/V,
with a calibration (a fixed Python loop timed at the start and the end of the run) to
read the figures against how busy the machine was. Always exits 0: the numbers are
what matter. Not a pytest test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_search import calibrate, handover_command, mark, timed

TARGET = 0.5
MESSAGES = REPO / "tests" / "evaluation" / "triage_messages.yaml"


def messages(count: int) -> list[dict[str, Any]]:
    """`count` messages spread over the evaluation (every n-th)."""
    import yaml

    found = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    if not isinstance(found, list) or not found:
        raise SystemExit(f"{MESSAGES}: no messages")
    step = max(1, len(found) // count)
    return found[::step][:count]


def baseline_command(ref: str, folder: Path) -> list[str]:
    """A command running the `handover` package of commit `ref`, extracted to `folder`."""
    archive = subprocess.run(["git", "archive", ref, "handover"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    code = f"import sys; sys.path.insert(0, {str(folder)!r}); sys.argv[0] = 'handover'; from handover.cli import main; main()"
    return [sys.executable, "-c", code]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20, help="messages of the evaluation to time (default 20)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each message (default 1)")
    parser.add_argument("--baseline", metavar="REF", help="also time triage as of this git commit (e.g. main), in the same run")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    handover = handover_command()
    chosen = messages(args.messages)
    calibration_start = calibrate()
    with tempfile.TemporaryDirectory(prefix="handover-bench-triage-") as tmp:
        kb = Path(tmp) / "kb"
        shutil.copytree(REPO / "kb", kb, ignore=shutil.ignore_patterns(".handover-cache"))
        timed([*handover, "search", "bonjour", "--kb", str(kb)])  # builds the index once, as any first use does
        helps = [timed([*handover, "--help"])[:2] for _ in range(5)]
        validates = [timed([*handover, "validate", str(kb)])[:2] for _ in range(3)]
        help_runs, validate_runs = [w for w, _ in helps], [w for w, _ in validates]
        baseline = baseline_command(args.baseline, Path(tmp)) if args.baseline else None
        if baseline:  # its bytecode compiled once, before timing
            timed([*baseline, "triage", "bonjour", "--kb", str(kb)])
        runs: list[float] = []
        cpu: list[float] = []
        base_runs: list[float] = []
        base_cpu: list[float] = []
        for message in chosen:
            for _ in range(args.repeat):
                arguments = ["triage", str(message["text"]), "--platform", str(message["platform"]), "--kb", str(kb)]
                if baseline:
                    base_wall, base_used, _ = timed([*baseline, *arguments])
                    base_runs.append(base_wall)
                    base_cpu.append(base_used)
                wall, used, _ = timed([*handover, *arguments])
                runs.append(wall)
                cpu.append(used)
    calibration_end = calibrate()
    median = statistics.median(runs)
    help_median, validate_median = statistics.median(help_runs), statistics.median(validate_runs)
    print(f"calibration loop: {calibration_start:.2f} s at the start, {calibration_end:.2f} s at the end")
    help_cpu, validate_cpu = statistics.median(c for _, c in helps), statistics.median(c for _, c in validates)
    print(f"H handover --help:   median {help_median:.3f} s (best {min(help_runs):.3f}, CPU median {help_cpu:.3f} s)")
    print(f"V handover validate: median {validate_median:.3f} s (best {min(validate_runs):.3f}, CPU median {validate_cpu:.3f} s)")
    print(f"T handover triage:   median {median:.3f} s per message over {len(runs)} runs "
          f"(best {min(runs):.3f}, worst {max(runs):.3f}, CPU median {statistics.median(cpu):.3f} s)  "
          f"target <= {TARGET} s: {mark(median, TARGET)}")
    if base_runs:
        base = statistics.median(base_runs)
        print(f"B triage at {args.baseline}: median {base:.3f} s per message over {len(base_runs)} runs "
              f"(best {min(base_runs):.3f}, worst {max(base_runs):.3f}, CPU median {statistics.median(base_cpu):.3f} s); "
              f"T/B = {median / base:.2f} (wall), {statistics.median(cpu) / statistics.median(base_cpu):.2f} (CPU)")
    triage_cpu = statistics.median(cpu)
    print(f"ratios (wall): T/H = {median / help_median:.2f}, T/V = {median / validate_median:.2f}; "
          f"(CPU): T/H = {triage_cpu / help_cpu:.2f}, T/V = {triage_cpu / validate_cpu:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"triage": runs, "help": help_runs, "validate": validate_runs, "median": median,
                                         "calibration": [calibration_start, calibration_end]}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
