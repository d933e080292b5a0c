"""Pulse: activity stored per account, `handover log`, the checks, `status` and `pulse`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write

from handover.activity.derive import propose_feed
from handover.activity.store import Post, Source, load_activity, record, week_key
from handover.checks import run_checks
from handover.cli import cli
from handover.files.lock import kb_lock
from handover.records.model import load_kb

TODAY = dt.date(2026, 12, 2)


def run(*args: str, today: dt.date = TODAY):
    return CliRunner().invoke(cli, [*args, "--today", today.isoformat()])


@pytest.fixture()
def kb(kb_copy: Path) -> Path:
    """The bundled kb without its recorded activity: each test writes its own."""
    shutil.rmtree(kb_copy / "activity", ignore_errors=True)
    return kb_copy


def log_days(kb: Path, account: str, days: list[dt.date]) -> None:
    for day in days:
        result = run("log", account, "--date", day.isoformat(), "--kb", str(kb), today=day)
        assert result.exit_code == 0, result.output


def weekdays_until(last: dt.date, weeks: int, per_week: int) -> list[dt.date]:
    """`per_week` posts a week (Monday onwards) for `weeks` weeks, the last on `last`."""
    start = last - dt.timedelta(weeks=weeks)
    days = [start + dt.timedelta(days=n) for n in range((last - start).days + 1)]
    return [d for d in days if d.weekday() < per_week]


def codes(kb: Path, today: dt.date = TODAY) -> list[tuple[str, str]]:
    report = run_checks(load_kb(str(kb)), today)
    return [(p.code, p.path.rsplit("/", 1)[-1]) for p in report.problems if p.code.startswith("W7") or (p.path.endswith(".yml") and "activity" in p.path)]


def test_week_keys_are_iso_weeks():
    assert week_key(dt.date(2026, 12, 2)) == "2026-W49"
    assert week_key(dt.date(2027, 1, 1)) == "2026-W53"  # ISO: the Friday belongs to 2026's week 53
    assert week_key(dt.date(2024, 12, 30)) == "2025-W01"


def test_recording_a_source_again_adds_nothing_twice():
    source = Source("feed")
    posts = [Post(dt.date(2026, 11, 16), "a"), Post(dt.date(2026, 11, 17), "b"), Post(dt.date(2026, 11, 24), "c", "https://e.example/c")]
    assert record(source, posts, TODAY) == 3
    assert record(source, posts, TODAY) == 0
    assert record(source, posts[1:], TODAY) == 0  # a window that slid: the older week keeps its count
    assert source.weeks == {"2026-W47": 2, "2026-W48": 1}
    assert (source.last_post, source.last_url) == (dt.date(2026, 11, 24), "https://e.example/c")


def test_log_writes_a_small_file_and_the_same_line_twice_is_one_post(kb: Path):
    first = run("log", "instagram-cyclesmorvan", "--date", "2026-11-30", "--url", "https://www.instagram.com/p/ABC/", "--note", "reel atelier", "--kb", str(kb))
    again = run("log", "instagram-cyclesmorvan", "--date", "2026-11-30", "--url", "https://www.instagram.com/p/ABC/", "--kb", str(kb))
    assert first.exit_code == 0 and "logged a post of accounts/instagram-cyclesmorvan on 2026-11-30" in first.output
    assert again.exit_code == 0 and "already logged" in again.output
    text = (kb / "activity" / "instagram-cyclesmorvan.yml").read_text(encoding="utf-8")
    assert "2026-W49: 1" in text and "url: https://www.instagram.com/p/ABC/" in text and "last_read: 2026-12-02" in text
    activity = load_activity(kb, "instagram-cyclesmorvan")
    assert activity.weeks() == {"2026-W49": 1} and activity.last_post() == (dt.date(2026, 11, 30), "https://www.instagram.com/p/ABC/")
    assert [p for p in run_checks(load_kb(str(kb)), TODAY).problems if "activity" in p.path] == []  # the file we write is valid
    assert not list((kb / "activity").glob(".*.tmp"))


def test_log_by_platform_name_and_bad_input(kb: Path):
    assert run("log", "tiktok", "--kb", str(kb)).exit_code == 0  # the one TikTok account
    missing = run("log", "myspace", "--kb", str(kb))
    assert missing.exit_code == 2 and 'no account "myspace"' in missing.output and "instagram-cyclesmorvan" in missing.output
    future = run("log", "tiktok", "--date", "2027-01-10", "--kb", str(kb))
    assert future.exit_code == 2 and "in the future" in future.output
    bad_url = run("log", "tiktok", "--url", "javascript:alert(1)", "--kb", str(kb))
    assert bad_url.exit_code == 2 and "not a web address" in bad_url.output
    bad_date = run("log", "tiktok", "--date", "30/11/2026", "--kb", str(kb))
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output


def test_log_waits_for_no_one_while_the_kb_is_locked(kb: Path):
    with kb_lock(kb, "transfer"):
        result = run("log", "tiktok", "--kb", str(kb))
    assert result.exit_code == 1 and "another handover command is using this knowledge base (transfer, process" in result.output
    assert not (kb / "activity" / "tiktok-cyclesmorvan.yml").exists()


def test_a_broken_activity_file_is_reported_and_never_overwritten(kb: Path):
    path = write(kb, "activity/tiktok-cyclesmorvan.yml", "account: tiktok-cyclesmorvan\nsources: [oops\n")
    report = run_checks(load_kb(str(kb)), TODAY)
    assert any(p.code == "E101" and p.path.endswith("activity/tiktok-cyclesmorvan.yml") for p in report.problems)
    result = run("log", "tiktok", "--kb", str(kb))
    assert result.exit_code == 1 and "cannot be read as activity" in result.output
    assert path.read_text(encoding="utf-8").endswith("[oops\n")


def test_activity_file_shape_and_strays_are_checked(kb: Path):
    write(kb, "activity/tiktok-cyclesmorvan.yml", "account: tiktok-cyclesmorvan\nsources:\n  log:\n    weeks: {2026-W60: 1}\n    last_read: yesterday\n")
    write(kb, "activity/myspace-old.yml", "account: myspace-old\nsources: {}\n")
    report = run_checks(load_kb(str(kb)), TODAY)
    found = {(p.code, p.path.rsplit("/", 1)[-1]) for p in report.problems if "activity/" in p.path}
    assert ("E216", "tiktok-cyclesmorvan.yml") in found  # 2026-W60 is no ISO week; yesterday is no date
    assert ("W705", "myspace-old.yml") in found


def test_a_fed_account_is_clean_and_a_quiet_one_fails_status_naming_it_and_its_owner(kb: Path):
    log_days(kb, "instagram-cyclesmorvan", weekdays_until(dt.date(2026, 12, 1), 12, 5))
    assert codes(kb) == []
    later = dt.date(2026, 12, 8)  # a week without a post, for 5/week: quiet after about 3 days
    status = run("status", str(kb), today=later)
    assert status.exit_code == 1
    assert "accounts/instagram-cyclesmorvan: last post 2026-12-01 (7 days ago)" in status.output and "owner lea-martin, backup karim-benali" in status.output
    assert ("W701", "instagram-cyclesmorvan.yml") in codes(kb, later)
    data = json.loads(run("status", str(kb), "--json", today=later).output)
    assert [q["id"] for q in data["quiet"]] == ["accounts/instagram-cyclesmorvan"] and data["quiet"][0]["owner"] == "lea-martin"


def test_cadence_sets_how_long_silence_is_allowed_and_the_factor_is_configurable(kb: Path):
    log_days(kb, "linkedin-cycles-morvan", [dt.date(2026, 11, 3) + dt.timedelta(weeks=n) for n in range(4)])  # 1/week, last on 24/11
    assert not [c for c in codes(kb, dt.date(2026, 12, 7)) if c[0] == "W701"]  # 13 days: 1/week allows about 2 weeks
    assert ("W701", "linkedin-cycles-morvan.yml") in codes(kb, dt.date(2026, 12, 9))
    config = kb / "handover.yml"
    config.write_text(config.read_text(encoding="utf-8") + "pulse:\n  quiet_factor: 3\n  stale_after: 30d\n", encoding="utf-8")
    assert not [c for c in codes(kb, dt.date(2026, 12, 9)) if c[0] == "W701"]
    config.write_text(config.read_text(encoding="utf-8").replace("quiet_factor: 3", "quiet_factor: lots"), encoding="utf-8")
    report = run_checks(load_kb(str(kb)), TODAY)
    assert any(p.code == "E010" and "pulse.quiet_factor must be a positive number" in p.message for p in report.problems)


def test_below_cadence_and_too_old_to_tell(kb: Path):
    log_days(kb, "instagram-cyclesmorvan", weekdays_until(dt.date(2026, 12, 1), 6, 2))  # 2 a week for 5/week
    found = codes(kb)
    assert ("W702", "instagram-cyclesmorvan.yml") in found and ("W701", "instagram-cyclesmorvan.yml") not in found
    activity = kb / "activity" / "instagram-cyclesmorvan.yml"
    activity.write_text(activity.read_text(encoding="utf-8").replace("last_read: 2026-12-01", "last_read: 2026-11-13"), encoding="utf-8")
    stale = [p for p in run_checks(load_kb(str(kb)), TODAY).problems if p.code == "W704"]
    assert stale and "last read 19 days ago (2026-11-13), too old to tell" in stale[0].message


def test_pulse_lists_every_account_with_rates_trend_and_what_to_do(kb: Path):
    log_days(kb, "instagram-cyclesmorvan", weekdays_until(dt.date(2026, 11, 20), 11, 5))
    forum = kb / "accounts" / "forum-roue-libre.yml"
    forum.write_text(forum.read_text(encoding="utf-8").replace("feed: https://forum.cycles-morvan.fr/latest.rss\n", ""), encoding="utf-8")
    result = run("pulse", str(kb))
    assert result.exit_code == 1  # Instagram is quiet
    out = result.output
    assert out.index("instagram-cyclesmorvan  [QUIET]") < out.index("facebook-cyclesmorvan  [UNTRACKED]")
    assert "last post: 2026-11-20 (12 days ago)" in out and "trend falling" in out
    assert "feed: none named; add  feed: https://forum.cycles-morvan.fr/latest.rss" in out
    assert "1 quiet account: instagram-cyclesmorvan (owner lea-martin)" in out
    data = json.loads(run("pulse", str(kb), "--json").output)
    insta = next(a for a in data["accounts"] if a["id"] == "accounts/instagram-cyclesmorvan")
    assert insta["state"] == "quiet" and insta["per_week_12"] > 3 and insta["per_week_4"] < insta["per_week_12"] and insta["cadence_per_week"] == 5
    assert len(insta["weeks"]) == 12 and insta["weeks"]["2026-W49"] == 0 and insta["owner"] == "lea-martin"


@pytest.mark.parametrize(("url", "platform", "feed"), [
    ("https://www.youtube.com/channel/UC7_gcs09iThXybpVgjHZ_7g", "youtube", "https://www.youtube.com/feeds/videos.xml?channel_id=UC7_gcs09iThXybpVgjHZ_7g"),
    ("https://www.youtube.com/@CyclesMorvan", "youtube", None),
    ("https://mastodon.art/@nuclearpasta", "mastodon", "https://mastodon.art/@nuclearpasta.rss"),
    ("https://bsky.app/profile/cyclesmorvan.bsky.social", "bluesky", "https://bsky.app/profile/cyclesmorvan.bsky.social/rss"),
    ("https://blog.cycles-morvan.fr/", "blog", "https://blog.cycles-morvan.fr/feed/"),
    ("https://forum.cycles-morvan.fr", "forum", "https://forum.cycles-morvan.fr/latest.rss"),
    ("https://www.instagram.com/cyclesmorvan/", "instagram", None),
])
def test_feeds_are_proposed_where_the_address_gives_them(url: str, platform: str, feed: str | None):
    assert propose_feed(url, platform) == feed


def test_drill_lea_leaves_and_instagram_goes_quiet_until_someone_posts(kb_copy: Path, tmp_path: Path):
    """The issue's drill on the bundled kb and its recorded activity: Léa's accounts are
    handed to Karim, then nobody posts on Instagram for 10 days after her last post."""
    kb = kb_copy
    handed = run("transfer", "lea-martin", "karim-benali", "--backup", "julien-roux", "--kb", str(kb), today=dt.date(2026, 11, 20))
    assert handed.exit_code == 0, handed.output
    ten_days = dt.date(2026, 11, 30)
    status = run("status", str(kb), today=ten_days)
    assert status.exit_code == 1, status.output
    assert "accounts/instagram-cyclesmorvan: last post 2026-11-20 (10 days ago)" in status.output
    assert "owner karim-benali, backup julien-roux" in status.output.split("accounts/instagram-cyclesmorvan: last post", 1)[1].splitlines()[0]
    assert "accounts/tiktok-cyclesmorvan: last post 2026-11-19 (11 days ago)" in status.output  # 2/week allows about 7 days
    # Karim posts on Instagram and logs it; TikTok's next export is imported.
    assert run("log", "instagram", "--url", "https://www.instagram.com/p/DKarim1/", "--kb", str(kb), today=ten_days).exit_code == 0
    export = {"Profile": {"Profile Info": {"ProfileMap": {"userName": "cyclesmorvan"}}},
              "Post": {"Posts": {"VideoList": [{"Date": "2026-11-29 18:00:00", "Link": "https://www.tiktokv.com/share/video/7440000000000000001/"}]}}}
    imported = run("pulse", str(kb), "--import", str(write(tmp_path, "user_data_tiktok.json", json.dumps(export))), today=ten_days)
    assert imported.exit_code == 0, imported.output
    status = run("status", str(kb), today=ten_days)
    assert "Quiet (active accounts not fed at their cadence):\n  none" in status.output, status.output
    # Still red for one reason only: the transfer flagged, rather than moved, the action
    # "Transmettre le dossier à Karim", which Léa still holds (see test_departure.py).
    held = status.output.split("Leaving:", 1)[1]
    assert status.exit_code == 1 and "holds 1 record" in held and "incidents/2026-11-rumeur-batterie" in held


def test_a_secret_written_in_a_log_note_is_caught(kb: Path):
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    assert run("log", "linkedin", "--note", f"token {token}", "--kb", str(kb)).exit_code == 0
    report = run_checks(load_kb(str(kb)), TODAY)
    found = [p for p in report.problems if p.code == "E602"]
    assert found and found[0].path.endswith("activity/linkedin-cycles-morvan.yml") and token not in found[0].message


def test_pulse_for_one_account(kb: Path):
    log_days(kb, "tiktok-cyclesmorvan", [dt.date(2026, 11, 30)])
    result = run("pulse", str(kb), "--account", "tiktok")
    assert result.exit_code == 0 and "tiktok-cyclesmorvan  [OK]" in result.output and "instagram" not in result.output
