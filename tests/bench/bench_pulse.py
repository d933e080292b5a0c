"""Benchmark pulse: feeds, the X archive importer, and what pulse costs `status`.

    python tests/bench/bench_pulse.py [--feeds 50] [--tweets 50000] [--records 10000] [--repeat 5] [--dir CACHE]

Each measure is printed beside a baseline run in the same process or on the same
machine in the same run, with the ratio and the issue's target:

    1. 50 feeds fetched from a local http.server (127.0.0.1) serving the recorded
       feeds of ../shared/data/activity/feeds/, parsed and recorded (atomic writes,
       under the lock): target ≤ 5 s. Baseline: the same 50 GETs with httpx alone.
    2. An X archive of 50,000 tweets (the sample's byte layout) imported: target
       ≤ 5 s. Baseline: json.loads of the same file.
    3. `handover status` on the generated 10,000-record base, as whole processes,
       this branch against the code before pulse (the merge base with main, taken
       with `git archive` into a temporary folder: no checkout): target ≤ 1.10.
       Also with an activity file for every account, to show what reading them costs.

Always exits 0: the numbers are what matter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from feedserver import FEEDS, serving

from generate import ensure

from handover.activity.fetch import fetch_all
from handover.activity.http import Client
from handover.activity.importers import import_file
from handover.activity.store import Activity, Post, record, save
from handover.records.model import load_kb

TODAY = dt.date(2026, 12, 2)
GOOD_FEEDS = sorted(p.name for p in FEEDS.iterdir() if not p.name.startswith(("feedparser_", "odd_reuters")))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def bench_feeds(count: int, work: Path) -> None:
    kb = work / "feeds-kb"
    shutil.rmtree(kb, ignore_errors=True)
    shutil.copytree(REPO / "kb", kb, ignore=shutil.ignore_patterns("activity"))
    template = (kb / "accounts" / "forum-roue-libre.yml").read_text(encoding="utf-8")
    with serving() as server:
        urls = []
        for n in range(count):
            name = GOOD_FEEDS[n % len(GOOD_FEEDS)]
            server.extra[f"/f{n}.xml"] = (FEEDS / name).read_bytes()
            urls.append(server.url(f"/f{n}.xml"))
            text = re.sub(r"^handle: .*$", f"handle: bench-{n}", template, count=1, flags=re.MULTILINE)
            text = re.sub(r"^url: .*$", f"url: https://forum{n}.example.org\nfeed: {urls[-1]}", text, count=1, flags=re.MULTILINE)
            (kb / "accounts" / f"bench-feed-{n:02d}.yml").write_text(text, encoding="utf-8")
        loaded = load_kb(str(kb))
        start = time.perf_counter()
        with Client() as client:
            sizes = [len(client.get(url).body) for url in urls]
        bare = time.perf_counter() - start
        start = time.perf_counter()
        outcomes = fetch_all(loaded, TODAY)
        full = time.perf_counter() - start
    ok = [o for o in outcomes if o.ok and o.account.id.startswith("bench-feed-")]
    posts = sum(o.read for o in ok)
    print(f"1. {count} feeds ({sum(sizes) / 1e6:.1f} MB, {posts} dated items) fetched, parsed and recorded: {full:.2f} s"
          f"  (baseline, GETs only: {bare:.2f} s; ratio {full / bare:.1f})  target <= 5 s: {verdict(full <= 5 and len(ok) == count)}")


def write_archive(path: Path, tweets: int) -> None:
    """tweets.js in the sample's layout: `"key" : value`, numbers as strings, no final newline."""
    start = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC)
    items = []
    for n in range(tweets):
        when = start + dt.timedelta(minutes=17 * n)
        ident = str(1627031510963441664 + n * 7919)
        items.append("""  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "%s"
          ],
          "editableUntil" : "%s",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\\"https://mobile.twitter.com\\" rel=\\"nofollow\\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "120"
      ],
      "favorite_count" : "3",
      "id_str" : "%s",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "%s",
      "created_at" : "%s",
      "favorited" : false,
      "full_text" : "Info trafic : les lignes T1 et T2 reprennent ce matin. Bonne route à vélo ! Tweet numéro %d.",
      "lang" : "fr"
    }
  }""" % (ident, when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), ident, ident, when.strftime("%a %b %d %H:%M:%S +0000 %Y"), n))  # noqa: UP031 - the braces are JSON's
    path.write_text("window.YTD.tweets.part0 = [\n" + ",\n".join(items) + "\n]", encoding="utf-8")


def bench_archive(tweets: int, work: Path) -> None:
    kb = work / "archive-kb"
    shutil.rmtree(kb, ignore_errors=True)
    shutil.copytree(REPO / "kb", kb, ignore=shutil.ignore_patterns("activity"))
    archive = work / "data" / "tweets.js"
    archive.parent.mkdir(parents=True, exist_ok=True)
    write_archive(archive, tweets)
    start = time.perf_counter()
    json.loads(archive.read_text(encoding="utf-8").split("=", 1)[1])
    bare = time.perf_counter() - start
    loaded = load_kb(str(kb))
    start = time.perf_counter()
    result = import_file(loaded, str(archive), "x-cyclesmorvan", TODAY)
    full = time.perf_counter() - start
    again = import_file(loaded, str(archive), "x-cyclesmorvan", TODAY)
    size = (kb / "activity" / "x-cyclesmorvan.yml").stat().st_size
    print(f"2. X archive of {tweets:,} tweets ({archive.stat().st_size / 1e6:.0f} MB) imported: {full:.2f} s  (baseline, json.loads alone: {bare:.2f} s; "
          f"ratio {full / bare:.1f}); {result.added:,} posts recorded, {again.added} on re-import, activity file {size / 1000:.0f} kB  "
          f"target <= 5 s: {verdict(full <= 5 and result.added == tweets and again.added == 0)}")


def base_code(work: Path) -> Path:
    """The package as it was before pulse: the merge base with main, by git archive (no checkout)."""
    base = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    target = work / f"base-{base[:12]}"
    if not (target / "handover").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", base, "handover"], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def status_run(code: Path, kb: Path) -> float:
    script = f"import sys; sys.path.insert(0, {str(code)!r}); sys.argv = ['handover', 'status', {str(kb)!r}, '--today', '2026-11-21']; from handover.cli import main; main()"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], capture_output=True, check=False, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return time.perf_counter() - start


def bench_status(records: int, repeat: int, work: Path) -> None:
    generated = ensure(work / f"kb-{records}", records)
    kb = generated.root
    base = base_code(work)
    with_activity = work / f"kb-{records}-activity"
    if not with_activity.is_dir():
        shutil.copytree(kb, with_activity)
        for account in sorted((with_activity / "accounts").glob("*.yml")):
            activity = Activity(account.stem)
            record(activity.source("log"), [Post(TODAY - dt.timedelta(days=3 * n)) for n in range(30)], TODAY)
            save(with_activity, activity)
    accounts = len(list((with_activity / "accounts").glob("*.yml")))
    runs: dict[str, list[float]] = {"base": [], "pulse": [], "pulse+activity": []}
    for round_ in range(repeat + 1):  # the first round warms the caches and is dropped
        for name, code, target in (("base", base, kb), ("pulse", REPO, kb), ("pulse+activity", REPO, with_activity)):
            took = status_run(code, target)
            if round_:
                runs[name].append(took)
    med = {name: statistics.median(values) for name, values in runs.items()}
    ratio = med["pulse"] / med["base"]
    print(f"3. handover status on {records:,} records, median of {repeat}: before pulse {med['base']:.2f} s, with pulse {med['pulse']:.2f} s "
          f"(ratio {ratio:.3f}; best {min(runs['pulse']):.2f} vs {min(runs['base']):.2f})  target <= 1.10: {verdict(ratio <= 1.10)}")
    print(f"   with an activity file for each of the {accounts} accounts: {med['pulse+activity']:.2f} s (ratio {med['pulse+activity'] / med['base']:.3f} to before pulse)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="cache folder for the generated bases (default: a temporary folder)")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-pulse-"))
    work.mkdir(parents=True, exist_ok=True)
    bench_feeds(args.feeds, work)
    bench_archive(args.tweets, work)
    bench_status(args.records, args.repeat, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
