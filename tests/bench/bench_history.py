"""Benchmark: `handover changes` and the site's git data on a long history.

Run on demand (not collected by pytest):

    python tests/bench/bench_history.py [--records 10000] [--commits 1000] [--repeat 3] [--dir CACHE]

Builds (once, cached in --dir) a git repository holding the generated knowledge base
and `--commits` commits: the first adds every record, the others (by six authors, a
few hours apart) edit fields of 1 to 50 records each, about 5 on average, and now and
then add or remove one; written with `git fast-import`. Then measures, as whole cold
processes, in interleaved rounds:
- A `handover changes KB --since <first commit>` (target ≤ 3 s), against the baseline
  `git log --name-status <first>..HEAD` over the same range;
- B the git data of a whole site build, `history.site_history()` in a fresh Python
  process (target ≤ 3 s), against the baseline `git log --name-status HEAD`;
- for information: `handover history ID` of a much-edited record and `handover review
  <first commit>`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from generate import ensure

AUTHORS = [("Léa Martin", "lea@example.org"), ("Karim Benali", "karim@example.org"), ("Claire Fontaine", "claire@example.org"),
           ("Julien Roux", "julien@example.org"), ("Nadia Haddad", "nadia@example.org"), ("Thomas Petit", "thomas@example.org")]
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
START = 1_735_725_600  # 2025-01-01 10:00 UTC
STEP = 8 * 3600
REVIEWED_RE = re.compile(r"^reviewed_on: .*$", re.M)
CONTACT_RE = re.compile(r"^last_contact: .*$", re.M)


def git(cwd: Path, *args: str, **kwargs: object) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode:
        raise SystemExit(f"git {' '.join(args)}: {result.stderr}")
    return str(result.stdout).strip()


def files_per_commit(rng: random.Random) -> int:
    roll = rng.random()
    return rng.randint(1, 3) if roll < 0.70 else rng.randint(4, 10) if roll < 0.95 else rng.randint(20, 50)


def edit(text: str, day: str, rng: random.Random, serial: int) -> str:
    """A realistic edit: a review date, a last contact, a tag, a sentence of notes."""
    text = REVIEWED_RE.sub(f"reviewed_on: {day}", text, count=1) if REVIEWED_RE.search(text) else text.replace("\n", f"\nreviewed_on: {day}\n", 1)
    roll = rng.random()
    if roll < 0.4 and CONTACT_RE.search(text):
        text = CONTACT_RE.sub(f"last_contact: {day}", text, count=1)
    elif roll < 0.7:
        text = text.replace("\ntags: [", f"\ntags: [suivi-{serial % 7}, ", 1)
    elif text.startswith("---"):
        text = text.rstrip("\n") + f"\n\nMise à jour {serial} : relu et complété.\n"
    return text


def build_repository(kb_source: Path, repo: Path, commits: int, seed: int = 5) -> str:
    """The repository, its first commit id returned; cached by the caller."""
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(kb_source, repo / "kb", ignore=shutil.ignore_patterns(".*"))
    git(repo, "init", "-q", "-b", "main")
    name, email = AUTHORS[2]
    stamp = f"@{START} +0000"
    first_env = {**ENV, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
                 "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "add", "-A"], cwd=repo, env=first_env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "Knowledge base"], cwd=repo, env=first_env, check=True)
    first = git(repo, "rev-parse", "HEAD")
    rng = random.Random(seed)
    texts = {p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8") for p in (repo / "kb").rglob("*.*") if p.suffix in (".yml", ".md")}
    records = sorted(path for path in texts if path.count("/") == 2)
    hot = rng.sample(records, 200)  # some records are edited again and again
    stream: list[bytes] = []
    for serial in range(1, commits):
        name, email = AUTHORS[serial % len(AUTHORS)]
        when = START + serial * STEP
        day = time.strftime("%Y-%m-%d", time.gmtime(when))
        message = f"Update {serial}: reviews and follow-ups".encode()
        lines = [f"commit refs/heads/main\nauthor {name} <{email}> {when} +0100\ncommitter {name} <{email}> {when} +0100\n".encode(),
                 b"data %d\n" % len(message), message, b"\n"]
        if serial == 1:
            lines.append(f"from {first}\n".encode())
        chosen = {rng.choice(hot) if rng.random() < 0.3 else rng.choice(records) for _ in range(files_per_commit(rng))}
        for path in sorted(chosen):
            if path not in texts:
                continue
            if rng.random() < 0.01:  # now and then a record goes
                del texts[path]
                records.remove(path)
                lines.append(f"D {path}\n".encode())
                continue
            texts[path] = edit(texts[path], day, rng, serial)
            data = texts[path].encode()
            lines += [f"M 100644 inline {path}\n".encode(), b"data %d\n" % len(data), data, b"\n"]
        if rng.random() < 0.05:  # and now and then one comes
            path = f"kb/contacts/nouveau-contact-{serial}.yml"
            data = f"name: Nouveau contact {serial}\norganization: Partenaire\ndepartment: partner\nchannels:\n  email: c{serial}@example.org\n".encode()
            texts[path] = data.decode()
            records.append(path)
            lines += [f"M 100644 inline {path}\n".encode(), b"data %d\n" % len(data), data, b"\n"]
        stream.append(b"".join(lines) + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, env=ENV, input=b"".join(stream), check=True)
    git(repo, "reset", "-q", "--hard", "main")
    return first


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "handover-bench")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = ensure(args.dir / f"kb-{args.records}", args.records).root  # reused as it is, never modified
    repo = args.dir / f"history-{args.records}-{args.commits}"
    marker = repo / ".bench.json"
    if marker.is_file() and json.loads(marker.read_text())["commits"] == args.commits:
        first = json.loads(marker.read_text())["first"]
    else:
        started = time.perf_counter()
        first = build_repository(source, repo, args.commits)
        marker.write_text(json.dumps({"commits": args.commits, "first": first}))
        print(f"built the repository in {time.perf_counter() - started:.1f} s: {repo}")
    kb = repo / "kb"
    count = git(repo, "rev-list", "--count", "HEAD")
    touched = git(repo, "log", "--format=", "--name-only", f"{first}..HEAD").split()
    hot = max(set(touched), key=touched.count)
    print(f"{count} commits, {len(touched)} file changes after the first commit ({len(set(touched))} files); most edited: {hot} ({touched.count(hot)}x)")

    python, handover = sys.executable, [sys.executable, "-m", "handover"]
    site_code = f"from pathlib import Path; from handover.git.history import site_history; h = site_history(Path({str(kb)!r})); assert h and h.last"
    jobs = {
        "A  handover changes --since FIRST": handover + ["changes", str(kb), "--since", first],
        "A0 git log --name-status FIRST..HEAD": ["git", "log", "--name-status", f"{first}..HEAD", "--", "kb"],
        "B  site git data (site_history)": [python, "-c", site_code],
        "B0 git log --name-status HEAD": ["git", "log", "--name-status", "HEAD", "--", "kb"],
        "   handover history (most edited)": handover + ["history", hot.removeprefix("kb/"), "--kb", str(kb)],
        "   handover review FIRST": handover + ["review", first, "--kb", str(kb)],
        "   python -c pass (startup)": [python, "-c", "pass"],
    }
    for command in jobs.values():  # warm-up round: page cache, .pyc files
        timed(command, repo)
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(args.repeat):
        for name, command in jobs.items():
            times[name].append(timed(command, repo))
    print(f"\n{'whole process, seconds':<40} {'median':>8} {'best':>8}")
    for name, values in times.items():
        print(f"{name:<40} {statistics.median(values):>8.2f} {min(values):>8.2f}")
    names = list(jobs)
    changes, changes_base = statistics.median(times[names[0]]), statistics.median(times[names[1]])
    site, site_base = statistics.median(times[names[2]]), statistics.median(times[names[3]])
    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    print(f"\nchanges / git log over the same range: x{changes / changes_base:.1f}")
    print(f"site git data / git log of the whole history: x{site / site_base:.1f}")
    print(f"target changes --since FIRST ≤ 3 s: {changes:.2f} s {verdict(changes <= 3)}")
    print(f"target site git data ≤ 3 s: {site:.2f} s {verdict(site <= 3)}")


if __name__ == "__main__":
    main()
