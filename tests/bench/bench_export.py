"""Benchmark: `handover export` of the generated knowledge base (target: ≤ 120 s at 10k).

Run on demand (not collected by pytest):

    python tests/bench/bench_export.py [--records 10000] [--dir CACHE]

The knowledge base is put in a git repository first (one commit, outside the timing)
so that the pack carries its verified bundle. Measures, as whole processes in the same
run: `handover build --offline` of the same knowledge base (the baseline: the pack
holds that site) and `handover export` (whole team), and prints the ratio, the
archive's size and PASS or MISS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from generate import ensure

TODAY = "2026-11-21"
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org", "GIT_AUTHOR_DATE": "2026-11-20T10:00:00Z",
           "GIT_COMMITTER_DATE": "2026-11-20T10:00:00Z"}


def in_git(kb: Path, folder: Path) -> Path:
    """A copy of `kb` committed in a fresh repository (reused when already made)."""
    repo = folder / f"export-repo-{kb.name}"
    if not (repo / ".git").is_dir():
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(kb, repo / "kb")
        env = {**os.environ, **GIT_ENV}
        for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Knowledge base"]):
            subprocess.run(["git", *command], cwd=repo, env=env, check=True)
    return repo / "kb"


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:4])} failed:\n{process.stdout[-2000:]}\n{process.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "handover-bench")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args.dir.mkdir(parents=True, exist_ok=True)
    kb = in_git(ensure(args.dir / f"kb-{args.records}", args.records, problem_rate=0.0).root, args.dir)
    site, archive = args.dir / "export-site", args.dir / "export.zip"
    shutil.rmtree(site, ignore_errors=True)
    archive.unlink(missing_ok=True)

    build = timed([sys.executable, "-m", "handover", "build", str(kb), "--offline", "-d", str(site), "--today", TODAY])
    export = timed([sys.executable, "-m", "handover", "export", "--kb", str(kb), "-o", str(archive), "--today", TODAY])
    with zipfile.ZipFile(archive) as pack:
        names = pack.namelist()
    has_bundle = any(name.endswith("/repository.bundle") for name in names)

    print(f"{'step':<36} {'records':>7} {'seconds':>9}")
    print(f"{'A  handover build --offline':<36} {args.records:>7} {build:>9.1f}")
    print(f"{'B  handover export (whole team)':<36} {args.records:>7} {export:>9.1f}")
    print(f"B/A: x{export / build:.2f}; archive {archive.stat().st_size / 1e6:.1f} MB, {len(names)} files, bundle {'verified and included' if has_bundle else 'MISSING'}")
    verdict = "PASS" if export <= 120 and has_bundle else "MISS"
    print(f"target export ≤ 120 s at {args.records}: {export:.1f} s {verdict}")


if __name__ == "__main__":
    main()
