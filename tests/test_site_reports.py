"""The site's "Rapports" section: real MkDocs builds of the bundled knowledge base, one
page per week for the 12 complete weeks before its day (as_of 2026-12-02), each
showing what `handover report --week` says of the same week."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB

from handover.cli import cli

WEEKS = [f"2026-W{n}" for n in range(37, 49)]  # W49 holds 2 Dec 2026, the bundled kb's day: not complete yet


def build(kb: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(kb), "-d", str(out), "--strict", *args])
    assert result.exit_code == 0, result.output
    return out


def page_text(site: Path, week: str) -> str:
    article = re.search(r"<article.*?</article>", (site / "reports" / week / "index.html").read_text(encoding="utf-8"), re.DOTALL)
    assert article is not None
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article.group(0))))


SPARKLINE = re.compile(r" [▁▂▃▄▅▆▇█·]{12}(?= |$)")  # the command's 12 weeks in block characters: the site draws charts


def cli_lines(kb: Path, week: str) -> list[str]:
    result = CliRunner().invoke(cli, ["report", str(kb), "--week", week])
    assert result.exit_code == 0, result.output
    return [SPARKLINE.sub("", re.sub(r"\s+", " ", line[2:])) for line in result.stdout.splitlines() if line.startswith("- ")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(BUNDLED_KB, tmp_path_factory.mktemp("site"))


def test_twelve_weekly_pages_in_the_navigation(site: Path) -> None:
    assert sorted(p.name for p in (site / "reports").iterdir()) == WEEKS
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home.split('class="md-nav__title"', 1)[1]
    assert "Rapports" in nav
    for week in WEEKS:
        assert f'href="reports/{week}/"' in nav
    assert nav.index('href="reports/2026-W48/"') < nav.index('href="reports/2026-W37/"')  # newest first


@pytest.mark.parametrize("week", ["2026-W48", "2026-W45", "2026-W37"])
def test_each_page_says_what_the_command_says(site: Path, week: str) -> None:
    text = page_text(site, week)
    assert f"Rapport de la semaine {week}" in text
    lines = cli_lines(BUNDLED_KB, week)
    assert len(lines) > 10
    for line in lines:
        assert line in text, line
    page = (site / "reports" / week / "index.html").read_text(encoding="utf-8")
    for account in ("facebook-cyclesmorvan", "instagram-cyclesmorvan", "x-cyclesmorvan"):  # each tracked account's chart
        assert page.count(f'aria-labelledby="report-{account}-t report-{account}-d"') == 1
    assert "▆" not in text


def test_the_public_site_has_no_reports(tmp_path: Path) -> None:
    public = build(BUNDLED_KB, tmp_path / "public", "--audience", "public")
    assert not (public / "reports").exists()
    assert "Rapports" not in (public / "index.html").read_text(encoding="utf-8")


def test_the_noise_chart_and_table_match_the_command(kb_copy: Path, tmp_path: Path) -> None:
    with (kb_copy / "handover.yml").open("a", encoding="utf-8") as out:
        out.write('\nwatch:\n  brand: {name: Cycles Morvan}\n  competitors: [{name: Vélonova}]\n'
                  '  feeds: [{name: Alertes, url: "https://alerts.example/cycles.rss"}]\n')
    store = kb_copy / "activity" / "watch" / "mentions.yml"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("feeds:\n  Alertes: {url: 'https://alerts.example/cycles.rss', last_read: 2026-12-02, last_ok: 2026-12-02}\n"
                     "items:\n"
                     "  aaaaaaaaa1: {date: 2026-11-24, names: [Cycles Morvan, Vélonova]}\n"
                     "  aaaaaaaaa2: {date: 2026-11-26, names: [Vélonova]}\n"
                     "  aaaaaaaaa3: {date: 2026-11-27, names: [Vélonova]}\n"
                     "  aaaaaaaaa4: {date: 2026-10-01, names: [Cycles Morvan]}\n", encoding="utf-8")
    shutil.rmtree(kb_copy / ".handover-cache", ignore_errors=True)
    site = build(kb_copy, tmp_path / "site")
    command = json.loads(CliRunner().invoke(cli, ["report", str(kb_copy), "--week", "2026-W48", "--format", "json"]).stdout)["noise"]
    assert command["in_span"] == {"Cycles Morvan": 1, "Vélonova": 3}
    assert command["weeks"]["2026-W40"] == {"Cycles Morvan": 1, "Vélonova": 0}
    text = page_text(site, "2026-W48")
    assert "Cycles Morvan (marque) : 1" in text and "Vélonova : 3" in text
    assert "2026-W48 1 3" in text and "2026-W40 1 0" in text  # the table under the chart
    page = (site / "reports" / "2026-W48" / "index.html").read_text(encoding="utf-8")
    assert page.count('aria-labelledby="noise-2026-W48-t noise-2026-W48-d"') == 1
    assert "2026-W48: Cycles Morvan 1, Vélonova 3" in page  # the chart's description


def test_the_weeks_word_their_as_of_today_lists_once_and_alike() -> None:
    """The 12 reports share the lists judged as of today (AS_OF_TODAY): worded once for
    all of them (`shared`), each report reads as it does worded alone, and the site's
    audience filter keeps exactly those lists for the next weeks."""
    import datetime as dt

    from conftest import KB_TODAY

    from handover.records.model import load_kb
    from handover.report.model import AS_OF_TODAY, last_weeks, weekly_reports
    from handover.report.text import SharedParts, render_markdown
    from handover.site.pages.context import SiteContext
    from handover.site.pages.reports import _visible

    kb = load_kb(str(BUNDLED_KB))
    reports = weekly_reports(kb, last_weeks(KB_TODAY + dt.timedelta(days=60), 12), KB_TODAY + dt.timedelta(days=60), use_git=False)
    shared: SharedParts = {}
    assert [render_markdown(r, "fr", shared=shared) for r in reports] == [render_markdown(r, "fr") for r in reports]
    assert set(shared) == set(AS_OF_TODAY)
    assert sum(bool(part.lines) for part in shared.values()) >= 3, "too few lists to show anything: pick a later day"
    seen: dict[str, object] = {}
    _visible(SiteContext(kb, "internal", KB_TODAY), reports[0], seen)
    assert set(seen) == set(AS_OF_TODAY)
