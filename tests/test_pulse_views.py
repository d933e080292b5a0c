"""Pulse on the site (dashboard cards, account pages: inline SVG charts with a text
alternative) and in the handover pack."""

from __future__ import annotations

import datetime as dt
import re

from conftest import BUNDLED_KB

from handover.commands.pack import render_team
from handover.commands.status import continuity_status
from handover.records.model import load_kb
from handover.site.pages.generate import generate

TODAY = dt.date(2026, 12, 2)


def pages(audience: str = "internal") -> dict[str, str]:
    return generate(load_kb(str(BUNDLED_KB)), audience, TODAY, []).pages


def test_dashboard_shows_each_account_last_post_and_a_small_chart_quiet_ones_first():
    home = pages()["index.md"]
    section = home.split("### Activité : publications par semaine, 12 semaines", 1)[1]
    assert section.index("Instagram @cyclesmorvan") < section.index("TikTok @cyclesmorvan") < section.index("Facebook cyclesmorvan")
    assert "20 novembre 2026 (il y a 12 jours)" in section and "silencieux" in section
    charts = re.findall(r"<svg [^>]*>", section)
    assert len(charts) == 7 and all('role="img"' in c and "aria-labelledby" in c for c in charts)
    assert '<title id="s-instagram-cyclesmorvan-t">Instagram @cyclesmorvan : publications par semaine sur les 12 dernières semaines, pour un rythme de 5 par semaine</title>' in section


def test_account_page_has_the_chart_with_every_week_as_text_and_what_to_do():
    page = pages()["accounts/instagram-cyclesmorvan.md"]
    activity = page.split("## Activité", 1)[1]
    desc = re.search(r'<desc id="l-instagram-cyclesmorvan-d">(.*?)</desc>', activity)
    assert desc and desc.group(1).startswith("semaine 38 : 5; semaine 39 : 4") and desc.group(1).endswith("semaine 48 : 0; semaine 49 : 0 (la dernière semaine est en cours)")
    assert "3,2 par semaine sur 4 semaines, 4,2 sur 12 semaines, pour un rythme de 5 par semaine; tendance en baisse" in activity
    assert "lea-martin (ou le suppléant, karim-benali) doit publier maintenant" in activity
    assert "<code>meta-export</code> (51, lu le 1er décembre 2026)" in activity


def test_charts_work_offline_and_the_same_data_gives_the_same_bytes():
    first, second = pages(), pages()
    home = first["index.md"]
    svgs = re.findall(r"<svg .*?</svg>", home)
    assert svgs and first == second  # no random ids, no dated comment
    for svg in svgs:
        assert "<script" not in svg and not re.search(r'(?:src|href)="https?:', svg)


def test_the_public_site_shows_no_activity():
    public = pages("public")
    assert all("<svg" not in text and "ho-pulse" not in text for text in public.values())


def test_the_pack_shows_each_account_activity():
    kb = load_kb(str(BUNDLED_KB))
    text = render_team(kb, continuity_status(kb, TODAY), audience="internal", commit=None)
    instagram = text.split("### Instagram @cyclesmorvan", 1)[1].split("###", 1)[0]
    assert "Activité : dernière publication 20 novembre 2026 (il y a 12 jours) — **silencieux**" in instagram
    assert "`█▇██▇███▇▇▁▁`" in instagram and "tendance en baisse" in instagram


def test_the_pack_data_carries_each_account_activity():
    from handover.commands.export import _data

    kb = load_kb(str(BUNDLED_KB))
    view = continuity_status(kb, TODAY)
    internal = _data(kb, view, "internal")["activity"]
    assert internal["instagram-cyclesmorvan"]["state"] == "quiet" and internal["instagram-cyclesmorvan"]["last_post"] == "2026-11-20"
    assert _data(kb, view, "public")["activity"] == {}
