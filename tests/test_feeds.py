"""Feeds read over real HTTP from a server on 127.0.0.1 serving the recorded feeds of
../shared/data/activity/feeds/ and the failures a feed reader meets."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from feedserver import FeedServer, rss, serving

from handover.activity.fetch import fetch_all
from handover.activity.http import USER_AGENT, Limits
from handover.activity.store import load_activity
from handover.checks import run_checks
from handover.cli import cli
from handover.records.model import load_kb

TODAY = dt.date(2026, 12, 2)
FAST = Limits(timeout=0.5, max_bytes=200_000, max_redirects=3, retries=1, backoff=0.01)


@pytest.fixture()
def feed_server() -> Iterator[FeedServer]:
    with serving() as server:
        yield server


@pytest.fixture()
def kb(kb_copy: Path) -> Path:
    shutil.rmtree(kb_copy / "activity", ignore_errors=True)
    return kb_copy


def set_feed(kb: Path, account: str, url: str) -> None:
    path = kb / "accounts" / f"{account}.yml"
    text = re.sub(r"^feed: .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    path.write_text(re.sub(r"^(url: .*\n)", rf"\1feed: {url}\n", text, count=1, flags=re.MULTILINE), encoding="utf-8")


def fetch(kb: Path, today: dt.date = TODAY, limits: Limits = FAST, only: str | None = None):
    outcomes = fetch_all(load_kb(str(kb)), today, limits, only)
    return {o.account.id: o for o in outcomes}


@pytest.mark.parametrize(("name", "items", "last"), [
    ("youtube_channel_pbs-space-time_2019.xml", 14, "2019-11-18"),
    ("youtube_channel_digital-foundry_2025.xml", 15, "2025-01-01"),
    ("mastodon_account_nuclearpasta_mastodon-art.xml", 20, "2025-05-12"),
    ("wordpress_feed_arstechnica.xml", 20, "2023-12-04"),
    ("discourse_latest_forum-stackstorm.rss", 30, "2021-08-27"),
    ("discourse_category_forum-stackstorm_18.rss", 3, None),
    ("discourse_topic_forum-stackstorm_75.rss", 1, "2018-03-14"),
    ("odd_nixos-news_js-date-strings_no-guid.xml", 99, "2018-10-06"),
    ("odd_androidauthority_blank-lines-before-xml-declaration.xml", 10, "2019-05-15"),
])
def test_recorded_feeds_of_each_kind_are_counted(kb: Path, feed_server: FeedServer, name: str, items: int, last: str | None):
    set_feed(kb, "forum-roue-libre", feed_server.url(f"/feeds/{name}"))
    outcome = fetch(kb)["forum-roue-libre"]
    assert outcome.ok and outcome.read == items, outcome.line()
    activity = load_activity(kb, "forum-roue-libre")
    feed = activity.sources["feed"]
    assert feed.posts == items and feed.last_read == TODAY and feed.extra["last_ok"] == TODAY
    if last:
        assert str(activity.last_post()[0]) == last
    text = (kb / "activity" / "forum-roue-libre.yml").read_text(encoding="utf-8")
    assert "<" not in text and "description" not in text  # counts, dates and links: no post text


def test_youtube_counts_the_publication_date_not_the_refresh(kb: Path, feed_server: FeedServer):
    set_feed(kb, "youtube-cyclesmorvan", feed_server.url("/feeds/youtube_channel_pbs-space-time_2019.xml"))
    fetch(kb)
    activity = load_activity(kb, "youtube-cyclesmorvan")
    last, url = activity.last_post()
    assert (str(last), url) == ("2019-11-18", "https://www.youtube.com/watch?v=q-6oU3jXAho")  # <updated> says 2019-11-20


def test_conditional_requests_and_an_honest_user_agent(kb: Path, feed_server: FeedServer):
    set_feed(kb, "forum-roue-libre", feed_server.url("/feeds/discourse_latest_forum-stackstorm.rss"))
    first = fetch(kb)["forum-roue-libre"]
    second = fetch(kb, TODAY + dt.timedelta(days=1))["forum-roue-libre"]
    assert first.added == 30 and second.not_modified and "not modified" in second.line()
    assert feed_server.conditional["/feeds/discourse_latest_forum-stackstorm.rss"] == 1
    feed = load_activity(kb, "forum-roue-libre").sources["feed"]
    assert feed.posts == 30 and feed.last_read == TODAY + dt.timedelta(days=1) and feed.extra["etag"].startswith('"')
    assert USER_AGENT.startswith("handover/") and "feed reader" in USER_AGENT


def test_a_redirect_is_followed(kb: Path, feed_server: FeedServer):
    set_feed(kb, "forum-roue-libre", feed_server.url("/moved"))
    assert fetch(kb)["forum-roue-libre"].read == 20


def test_a_transient_error_is_retried(kb: Path, feed_server: FeedServer):
    set_feed(kb, "forum-roue-libre", feed_server.url("/flaky"))
    outcome = fetch(kb)["forum-roue-libre"]
    assert outcome.ok and outcome.read == 20 and feed_server.hits["/flaky"] == 2


FAILURES = [
    ("/html", "not an RSS or Atom feed (it starts with '<!DOCTYPE html>"),
    ("/huge", "too large: 320,044 bytes announced, the limit is 200,000"),
    ("/huge-unannounced", "too large: more than 200,000 bytes, stopped reading"),
    ("/loop", "more than 3 redirects (a redirect loop?)"),
    ("/slow", "no answer within 0.5 seconds (timeout)"),
    ("/status/404", "HTTP 404 Not Found (the feed is gone: remove feed: or give its new address)"),
    ("/status/410", "HTTP 410 Gone (the feed is gone"),
    ("/status/429", "HTTP 429 Too Many Requests from the server (too many requests)"),
    ("/status/500", "HTTP 500 Internal Server Error from the server"),
    ("/feeds/odd_reuters_truncated-with-server-error.xml", "the feed is broken and holds no item"),
    ("/feeds/feedparser_encoding_bozo_invalid-bytes-with-bom.xml", "the feed is broken and holds no item"),
    ("/nodates", "none of its 3 items has a date, so nothing can be counted"),
]


@pytest.mark.parametrize(("path", "message"), FAILURES)
def test_each_failure_is_named_and_keeps_the_stored_counts(kb: Path, feed_server: FeedServer, path: str, message: str):
    feed_server.extra["/nodates"] = rss([("a", None), ("b", None), ("c", None)])
    set_feed(kb, "forum-roue-libre", feed_server.url("/feeds/discourse_latest_forum-stackstorm.rss"))
    fetch(kb, TODAY - dt.timedelta(days=5))
    before = load_activity(kb, "forum-roue-libre").sources["feed"]
    set_feed(kb, "forum-roue-libre", feed_server.url(path))
    outcome = fetch(kb)["forum-roue-libre"]
    assert not outcome.ok and message in outcome.error, outcome.error
    assert outcome.line().startswith(f"accounts/forum-roue-libre: feed {feed_server.url(path)}: failed: ") and "counts already stored are kept" in outcome.line()
    after = load_activity(kb, "forum-roue-libre").sources["feed"]
    assert after.weeks == before.weeks and after.last_read == before.last_read and after.extra["failing_since"] == TODAY
    # Failing for days is a documented warning naming the account and the source.
    later = TODAY + dt.timedelta(days=3)
    fetch(kb, later)
    failing = [p for p in run_checks(load_kb(str(kb)), later).problems if p.code == "W703"]
    assert failing and "accounts/forum-roue-libre: the feed has failed for 3 days (since 2026-12-02)" in failing[0].message


def test_changed_ids_future_dates_and_undated_items_are_said_and_not_counted_twice(kb: Path, feed_server: FeedServer):
    days = ["Mon, 23 Nov 2026 10:00:00 +0000", "Tue, 24 Nov 2026 10:00:00 +0000", "Mon, 30 Nov 2026 10:00:00 +0000"]
    feed_server.extra["/feed.rss"] = rss([(f"old-{n}", d) for n, d in enumerate(days)])
    set_feed(kb, "forum-roue-libre", feed_server.url("/feed.rss"))
    assert fetch(kb)["forum-roue-libre"].added == 3
    feed_server.extra["/feed.rss"] = rss([(f"new-{n}", d) for n, d in enumerate(days)] + [("later", "Fri, 01 Jan 2027 10:00:00 +0000"), ("undated", None)])
    outcome = fetch(kb, TODAY + dt.timedelta(days=1))["forum-roue-libre"]
    assert outcome.ok and outcome.added == 0
    assert "the feed changed its items' ids since the last read" in outcome.line()
    assert "1 items dated in the future were not counted" in outcome.line() and "1 items without a date were not counted" in outcome.line()
    assert load_activity(kb, "forum-roue-libre").weeks() == {"2026-W48": 2, "2026-W49": 1}


def test_bluesky_dates_without_weekday_or_seconds(kb: Path, feed_server: FeedServer):
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>@cyclesmorvan.bsky.social</title>'
            '<link>https://bsky.app/profile/cyclesmorvan.bsky.social</link><item><link>https://bsky.app/profile/cyclesmorvan.bsky.social/post/3l</link>'
            '<description>Nouveau&#xA;vélo</description><pubDate>01 Dec 2026 16:33 +0000</pubDate>'
            '<guid isPermaLink="false">at://did:plc:abc/app.bsky.feed.post/3l</guid></item></channel></rss>')
    feed_server.extra["/profile/rss"] = body.encode()
    set_feed(kb, "forum-roue-libre", feed_server.url("/profile/rss"))
    fetch(kb)
    assert load_activity(kb, "forum-roue-libre").last_post() == (dt.date(2026, 12, 1), "https://bsky.app/profile/cyclesmorvan.bsky.social/post/3l")


def test_pulse_fetch_from_the_command_line(kb: Path, feed_server: FeedServer):
    set_feed(kb, "forum-roue-libre", feed_server.url("/feeds/discourse_latest_forum-stackstorm.rss"))
    set_feed(kb, "youtube-cyclesmorvan", feed_server.url("/status/404"))
    result = CliRunner().invoke(cli, ["pulse", str(kb), "--fetch", "--today", TODAY.isoformat()])
    assert "accounts/forum-roue-libre: feed " in result.output and "30 dated items, 30 new posts" in result.output
    assert "accounts/youtube-cyclesmorvan: feed " in result.output and "failed: HTTP 404 Not Found" in result.output
    assert "Traceback" not in result.output


def test_many_feeds_at_once_are_parsed_over_the_cores_and_recorded_alike(kb: Path, feed_server: FeedServer):
    names = ["youtube_channel_pbs-space-time_2019.xml", "mastodon_account_nuclearpasta_mastodon-art.xml", "wordpress_feed_arstechnica.xml",
             "discourse_latest_forum-stackstorm.rss", "odd_nixos-news_js-date-strings_no-guid.xml"]
    template = (kb / "accounts" / "forum-roue-libre.yml").read_text(encoding="utf-8")
    expected = {}
    for n in range(10):
        account = f"forum-{n}"
        (kb / "accounts" / f"{account}.yml").write_text(template.replace("handle: roue-libre", f"handle: roue-{n}"), encoding="utf-8")
        set_feed(kb, account, feed_server.url(f"/feeds/{names[n % 5]}") if n != 7 else feed_server.url("/status/500"))
        expected[account] = {0: 14, 1: 20, 2: 20, 3: 30, 4: 99}[n % 5] if n != 7 else None
    outcomes = fetch(kb)
    for account, items in expected.items():
        assert (outcomes[account].read if outcomes[account].ok else None) == items, outcomes[account].line()
    assert load_activity(kb, "forum-4").sources["feed"].posts == 99
