"""The weekly report's "noise against competitors": watch feeds served on 127.0.0.1,
read by `handover pulse --fetch`, counted by `handover report`; each count checked."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from feedserver import FeedServer, serving

from handover.activity.http import Limits
from handover.activity.mentions import load_mentions
from handover.activity.watchfetch import fetch_watch
from handover.cli import cli
from handover.records.model import load_kb

TODAY = "2026-12-02"
FAST = Limits(timeout=0.5, max_bytes=200_000, max_redirects=3, retries=0, backoff=0.01)


def news_rss(items: list[tuple[str, str, str, str]]) -> bytes:
    """RSS 2.0: (link, pubDate, title, description with HTML) per item."""
    body = "".join(f"<item><title>{title}</title><link>https://news.example/{link}</link><guid>news-{link}</guid>"
                   f"<pubDate>{date}</pubDate><description><![CDATA[{summary}]]></description></item>" for link, date, title, summary in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Alertes</title>{body}</channel></rss>'.encode()


def tag_atom(items: list[tuple[str, str, str]]) -> bytes:
    """Atom, as a Mastodon tag feed or a forum search: (link, published, content) per entry."""
    body = "".join(f'<entry><id>tag:social.example,2026:{n}</id><title>Post {n}</title><link href="https://news.example/{link}"/>'
                   f'<published>{date}</published><updated>{date}</updated><summary type="html">{content}</summary></entry>'
                   for n, (link, date, content) in enumerate(items))
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>#velo</title><id>x</id><updated>2026-12-01T00:00:00Z</updated>{body}</feed>'.encode()


NEWS = news_rss([
    ("a1", "Tue, 24 Nov 2026 08:00:00 GMT", "Cycles Morvan lance un vélo cargo", "<p>Face à <b>VELONOVA</b>, la marque mise sur le Morvan.</p>"),
    ("a2", "Wed, 25 Nov 2026 08:00:00 GMT", "Les Vélonovas du salon", "<p>Un mot qui n'est pas la marque.</p>"),
    ("a3", "Tue, 17 Nov 2026 08:00:00 GMT", "Bicyclette   Express rappelle un modèle", "<p>Rappel.</p>"),
    ("a4", "Thu, 26 Nov 2026 08:00:00 GMT", "Entretien", "<p>Chez cycles morvan, on répare.</p>"),
    ("a5", "Fri, 27 Nov 2026 08:00:00 GMT", "Rien à voir", "<p>Le Tour de France.</p>"),
])
TAGS = tag_atom([
    ("a1", "2026-11-24T09:00:00Z", "Vu : Cycles Morvan et son cargo"),  # the same article as the news feed's a1
    ("b2", "2026-11-27T10:00:00Z", "Mon &lt;b&gt;Vélonova&lt;/b&gt; est arrivé !"),
    ("b3", "2026-12-01T07:00:00Z", "#CyclesMorvan en panne ?"),
])
BROKEN = b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>V\xc3\xa9lonova</ti'

WATCH = """
watch:
  brand: {name: Cycles Morvan, terms: [Cycles Morvan, CyclesMorvan]}
  competitors:
    - {name: Vélonova}
    - {name: Bicyclette Express, terms: [Bicyclette Express, BikeX]}
  feeds:
"""


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    with serving() as running:
        running.extra.update({"/alerts.rss": NEWS, "/tag.atom": TAGS, "/broken.rss": BROKEN})
        yield running


def watched_kb(kb_copy: Path, server: FeedServer, feeds: list[tuple[str, str]]) -> Path:
    """The bundled knowledge base with watch feeds on the local server, and no account
    feed (pulse --fetch must ask nothing of any other host)."""
    shutil.rmtree(kb_copy / "activity" / "watch", ignore_errors=True)
    for account in (kb_copy / "accounts").glob("*.yml"):
        account.write_text(re.sub(r"^feed: .*\n", "", account.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    lines = "".join(f'    - {{name: "{name}", url: "{server.url(path)}"}}\n' for name, path in feeds)
    with (kb_copy / "handover.yml").open("a", encoding="utf-8") as out:
        out.write(WATCH + lines)
    return kb_copy


def report_json(kb: Path, week: str) -> dict:
    result = CliRunner().invoke(cli, ["report", str(kb), "--week", week, "--format", "json", "--today", TODAY])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_mentions_counted_per_week_once_per_article(kb_copy: Path, server: FeedServer) -> None:
    kb = watched_kb(kb_copy, server, [("Alertes presse", "/alerts.rss"), ("Mastodon #velo", "/tag.atom")])
    fetched = CliRunner().invoke(cli, ["pulse", str(kb), "--fetch", "--today", TODAY])
    assert "Alertes presse" in fetched.output and "Traceback" not in fetched.output
    noise = report_json(kb, "2026-W48")["noise"]
    # W48: a1 (brand + Vélonova, in both feeds: once), a4 (brand, folded), b2 (Vélonova); a2 "Vélonovas" is another word
    assert noise["in_span"] == {"Cycles Morvan": 2, "Vélonova": 2, "Bicyclette Express": 0}
    assert noise["weeks"]["2026-W47"] == {"Cycles Morvan": 0, "Vélonova": 0, "Bicyclette Express": 1}  # a3, spaces inside the phrase
    assert noise["weeks"]["2026-W48"] == {"Cycles Morvan": 2, "Vélonova": 2, "Bicyclette Express": 0}
    assert next(iter(noise["weeks"])) == "2026-W37" and len(noise["weeks"]) == 12
    assert noise["notes"] == [] and noise["brand"] == "Cycles Morvan"
    assert report_json(kb, "2026-W49")["noise"]["in_span"] == {"Cycles Morvan": 1, "Vélonova": 0, "Bicyclette Express": 0}  # b3
    stored = load_mentions(kb)
    assert len(stored.items) == 5  # a1, a3, a4, b2, b3: no text kept
    assert "cargo" not in (kb / "activity" / "watch" / "mentions.yml").read_text(encoding="utf-8")
    again = CliRunner().invoke(cli, ["pulse", str(kb), "--fetch", "--today", "2026-12-03"])
    assert "not modified" in again.output
    assert report_json(kb, "2026-W48")["noise"]["in_span"] == {"Cycles Morvan": 2, "Vélonova": 2, "Bicyclette Express": 0}


def test_markdown_and_html_show_the_counts_and_the_table(kb_copy: Path, server: FeedServer) -> None:
    kb = watched_kb(kb_copy, server, [("Alertes presse", "/alerts.rss"), ("Mastodon #velo", "/tag.atom")])
    fetch_watch(load_kb(str(kb)), dt.date(2026, 12, 2), FAST)
    markdown = CliRunner().invoke(cli, ["report", str(kb), "--week", "2026-W48", "--today", TODAY]).stdout
    section = markdown.split("## Le bruit face aux concurrents", 1)[1].split("\n## ", 1)[0]
    assert "- Cycles Morvan (marque) : 2\n- Vélonova : 2\n- Bicyclette Express : 0" in section
    assert "| Semaine | Cycles Morvan | Vélonova | Bicyclette Express |" in section
    assert "| 2026-W47 | 0 | 0 | 1 |" in section and "| 2026-W48 | 2 | 2 | 0 |" in section
    html = CliRunner().invoke(cli, ["report", str(kb), "--week", "2026-W48", "--today", TODAY, "--format", "html"]).stdout
    assert html.count('<svg role="img" aria-labelledby="report-noise-t report-noise-d"') == 1
    assert "2026-W48: Cycles Morvan 2, Vélonova 2, Bicyclette Express 0" in html  # the chart's description
    assert '<th scope="row" style="border-bottom:1px solid #ddd;padding:.1em .6em;text-align:right">2026-W47</th>' in html


def test_failing_feeds_are_named_and_the_rest_is_intact(kb_copy: Path, server: FeedServer) -> None:
    kb = watched_kb(kb_copy, server, [("Alertes presse", "/alerts.rss"), ("Forum en panne", "/status/500"),
                                      ("Flux cassé", "/broken.rss"), ("Trop lent", "/slow")])
    lines = fetch_watch(load_kb(str(kb)), dt.date(2026, 12, 2), FAST)
    assert any(line.startswith('watch feed "Forum en panne"') and "failed" in line and "500" in line for line in lines), lines
    assert any(line.startswith('watch feed "Flux cassé"') and "failed" in line for line in lines), lines
    assert any(line.startswith('watch feed "Trop lent"') and "failed" in line for line in lines), lines
    noise = report_json(kb, "2026-W48")["noise"]
    assert noise["in_span"] == {"Cycles Morvan": 2, "Vélonova": 1, "Bicyclette Express": 0}  # a1, a4; a1 — from the one feed that works
    notes = "\n".join(noise["notes"])
    assert '"Forum en panne"' in notes and "500" in notes
    assert '"Flux cassé"' in notes and "feed" in notes.split('"Flux cassé"', 1)[1]
    assert '"Trop lent"' in notes and "time" in notes.split('"Trop lent"', 1)[1].lower()
    assert len(noise["notes"]) == 3
    report = report_json(kb, "2026-W48")
    assert report["incidents"]["still_open"] and report["accounts"]  # the other sections are all there


def test_no_watch_feed_says_how_to_add_one(kb_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(kb_copy), "--week", "2026-W48", "--today", TODAY])
    section = result.stdout.split("## Le bruit face aux concurrents", 1)[1].split("\n## ", 1)[0]
    assert "Aucun flux de veille n'est configuré" in section and "watch" in section and "handover pulse --fetch" in section
    assert report_json(kb_copy, "2026-W48")["noise"]["configured"] is False


def test_a_feed_not_read_yet_is_noted(kb_copy: Path, server: FeedServer) -> None:
    kb = watched_kb(kb_copy, server, [("Alertes presse", "/alerts.rss")])
    noise = report_json(kb, "2026-W48")["noise"]
    assert noise["notes"] == ['watch feed "Alertes presse" has not been read yet: run handover pulse --fetch']
    assert noise["in_span"] == {"Cycles Morvan": 0, "Vélonova": 0, "Bicyclette Express": 0}


@pytest.mark.parametrize(("entry", "where", "message"), [
    ('    - {name: Alertes}\n', (4, 7), "watch.feeds.0.url must be the feed's address"),
    ('    - {name: Alertes, url: "ftp://x"}\n', (4, 28), "watch.feeds.0.url must be the feed's address"),
    ('    - "https://x.example/feed"\n', (4, 7), "watch.feeds.0 must be a mapping with name and url"),
])
def test_a_malformed_watch_entry_is_located(kb_copy: Path, entry: str, where: tuple[int, int], message: str) -> None:
    config = kb_copy / "handover.yml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + WATCH + entry, encoding="utf-8")
    line = base.count("\n") + WATCH.count("\n") + 1
    for args in (["report", str(kb_copy), "--today", TODAY], ["pulse", str(kb_copy), "--fetch", "--today", TODAY]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert f"handover.yml:{line}:{where[1]}: error E010 {message}" in result.output
        assert "Traceback" not in result.output


def test_competitor_without_terms_or_name(kb_copy: Path) -> None:
    config = kb_copy / "handover.yml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + "\nwatch:\n  competitors:\n    - {terms: [x]}\n    - {name: Rival, terms: []}\n  colour: red\n", encoding="utf-8")
    start = base.count("\n") + 2
    result = CliRunner().invoke(cli, ["validate", str(kb_copy), "--today", TODAY])
    assert result.exit_code == 1
    assert f"handover.yml:{start + 2}:7: error E010 watch.competitors.0 needs a name" in result.output
    assert f"handover.yml:{start + 3}:" in result.output and "watch.competitors.1.terms must be a list of words" in result.output
    assert f"handover.yml:{start + 4}:3: error E010 unknown watch setting \"colour\"" in result.output
