"""Benchmark the authoring commands on a large knowledge base, against validate.

    python tests/bench/bench_authoring.py [--records 10000] [--people 1000] [--repeat 3] [--dir CACHE]

On a generated knowledge base (tests/bench/generate.py), measures as whole cold
processes, in interleaved rounds after one warm-up round:

    V  handover validate DIR                          (the baseline)
    H  handover --help                                (the interpreter and Click)
    R  handover reply ID --platform x                 (reads handover.yml and one response)
    r  the same reply on the bundled kb (73 records)  (the baseline for R: size must not matter)
    N  handover new contacts --no-input --set …       (loads the kb, writes, validates)
    I  handover import contacts FILE.vcf (dry run)    (loads the kb, matches PEOPLE cards)
    S  handover schema -o DIR                         (the seven JSON Schemas)

Targets: R/r ≤ 1.3 (a reply costs the same whatever the size of the kb);
N/V ≤ 2.5 (one load to ask, one validation after writing); I/V ≤ 2 for 1,000 people
(matching is indexed, not a scan per person); S/r ≤ 1.5 (like a reply, a start-up
and handover.yml, whatever the size of the kb). Prints medians, ratios and
PASS or MISS. Always exits 0. Not a pytest test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import console_script
from generate import ensure, generate

TARGETS = {"R": ("r", 1.3), "N": ("V", 2.5), "I": ("V", 2.0), "S": ("r", 1.5)}
BUNDLED_KB = HERE.parents[1] / "kb"


def timed(command: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, result.returncode


def address_book(path: Path, people: int, existing_emails: list[str]) -> None:
    """vCard 3.0 cards: one in ten is an existing contact (by email), the rest new."""
    cards = []
    for n in range(people):
        email = existing_emails[n % len(existing_emails)] if n % 10 == 0 and existing_emails else f"person{n}@bench.example"
        cards.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Personne {n:05d} Banc\r\nN:Banc;Personne {n:05d};;;\r\n"
                     f"ORG:Organisation {n % 97}\r\nEMAIL;TYPE=INTERNET:{email}\r\nTEL;TYPE=CELL:06 {n % 90 + 10:02d} {n % 100:02d} {n // 100 % 100:02d} 42\r\n"
                     "END:VCARD\r\n")
    path.write_text("".join(cards), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=1_000, help="cards in the imported address book (default 1000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="generate the kb here, or reuse it (same arguments as bench_validate)")
    args = parser.parse_args(argv)

    handover = console_script("handover")
    with tempfile.TemporaryDirectory(prefix="handover-bench-authoring-") as tmp:
        work = Path(tmp)
        source = ensure(args.dir.resolve(), args.records) if args.dir else generate(work / "source", args.records)
        kb = work / "kb"
        shutil.copytree(source.root, kb)  # new writes into it: never into the cached copy
        responses = sorted(p.stem for p in (kb / "responses").rglob("*.md"))
        emails = []
        for path in sorted((kb / "contacts").rglob("*.yml"))[:200]:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip().startswith("email:"):
                    emails.append(line.split(":", 1)[1].strip().strip('"'))
                    break
        book = work / "people.vcf"
        address_book(book, args.people, emails)
        today = ["--today", source.today.isoformat()]
        counter = iter(range(10**6))

        def new_contact() -> list[str]:
            n = next(counter)
            return [*handover, "new", "contacts", f"bench-new-{n}", "--kb", str(kb), "--no-input", *today,
                    "--set", f"name=Bench New {n}", "--set", "organization=Bench", "--set", "department=other",
                    "--set", f"channels.email=new{n}@bench.example"]

        measures: dict[str, tuple[str, Callable[[], list[str]]]] = {
            "V": ("handover validate", lambda: [*handover, "validate", str(kb), *today]),
            "H": ("handover --help", lambda: [*handover, "--help"]),
            "R": ("handover reply (one response)", lambda: [*handover, "reply", responses[0], "--kb", str(kb), "--platform", "x"]),
            "r": ("handover reply, bundled kb", lambda: [*handover, "reply", "sav-rendez-vous", "--kb", str(BUNDLED_KB), "--platform", "x"]),
            "N": ("handover new contacts --no-input", new_contact),
            "I": (f"handover import contacts ({args.people} cards, dry run)", lambda: [*handover, "import", "contacts", str(book), "--kb", str(kb), *today]),
            "S": ("handover schema -o DIR", lambda: [*handover, "schema", "-o", str(work / "schemas"), "--kb", str(kb)]),
        }
        times: dict[str, list[float]] = {key: [] for key in measures}
        exits: dict[str, int] = {}
        for round_no in range(args.repeat + 1):
            keys = list(measures) if round_no % 2 == 0 else list(reversed(measures))
            for key in keys:
                seconds, code = timed(measures[key][1]())
                if round_no:
                    times[key].append(seconds)
                    exits[key] = code
        median = {key: statistics.median(values) for key, values in times.items()}
        records = sum(1 for _ in kb.rglob("*.yml")) + sum(1 for _ in kb.rglob("*.md"))

    print(f"knowledge base: {args.records} generated records ({records} files after the runs of new); "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs; median of {args.repeat} cold runs after 1 warm-up")
    print()
    for key, (label, _) in measures.items():
        spread = f"{min(times[key]):.2f}–{max(times[key]):.2f}"
        print(f"  {key}  {label:<48} {median[key]:7.2f} s   (runs {spread} s, exit {exits[key]})")
    print()
    for key, (base, target) in TARGETS.items():
        ratio = median[key] / median[base]
        verdict = "PASS" if ratio <= target else "MISS"
        print(f"  {key}/{base} = {ratio:5.2f}   target ≤ {target}   {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
