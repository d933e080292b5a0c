"""Export importers: the real samples of ../shared/data/activity/, files written from
the documented formats, and broken ones. Importing twice adds nothing twice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from feedserver import ACTIVITY

from conftest import write

from handover.activity.importers import ImportRefused, read_export
from handover.activity.store import load_activity
from handover.cli import cli

TODAY = dt.date(2026, 12, 2)
META_IG_HEADER = ('"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)","Publish time",'
                  'Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,Follows,Comments,Saves\n')


@pytest.fixture()
def kb(kb_copy: Path) -> Path:
    shutil.rmtree(kb_copy / "activity", ignore_errors=True)
    return kb_copy


def pulse_import(kb: Path, *files: Path | str, account: str | None = None):
    args = ["pulse", str(kb), "--today", TODAY.isoformat()]
    for file in files:
        args += ["--import", str(file)]
    if account:
        args += ["--account", account]
    return CliRunner().invoke(cli, args)


def test_x_archive_sample(kb: Path):
    export = read_export(ACTIVITY / "x-archive" / "tweets.js", TODAY)
    assert export.platform == "x" and export.source == "x-archive/part0" and len(export.posts) == 7
    assert {p.date for p in export.posts} <= {dt.date(2023, 2, d) for d in range(1, 29)}
    assert "https://x.com/darkliquid/status/1627031510963441664" in {p.url for p in export.posts}  # userName from manifest.js beside it
    result = pulse_import(kb, ACTIVITY / "x-archive" / "tweets.js")
    assert "into accounts/x-cyclesmorvan (x-archive/part0): 7 posts read, 7 new" in result.output
    again = pulse_import(kb, ACTIVITY / "x-archive" / "tweets.js")
    assert "7 posts read, 0 new" in again.output
    assert load_activity(kb, "x-cyclesmorvan").sources["x-archive/part0"].posts == 7


def test_meta_business_suite_facebook_sample(kb: Path):
    export = read_export(ACTIVITY / "meta" / "Sep-01-2025_Sep-30-2025_884684340719315.csv", TODAY)
    assert export.platform == "facebook" and len(export.posts) == 164
    first = export.posts[0]
    assert (first.date, first.id) == (dt.date(2025, 9, 8), "122154362828762707")  # "09/08/2025 00:00" is 8 September; the id stays a string
    assert first.url.startswith("https://www.facebook.com/Juan365officialpage/posts/pfbid")
    assert "164 posts read, 164 new" in pulse_import(kb, ACTIVITY / "meta" / "Sep-01-2025_Sep-30-2025_884684340719315.csv").output
    text = (kb / "activity" / "facebook-cyclesmorvan.yml").read_text(encoding="utf-8")
    assert "Juankada" not in text and "Huwag" not in text  # no post text


def test_instagram_posts_and_reels_are_parts_of_one_export(kb: Path):
    result = pulse_import(kb, ACTIVITY / "instagram" / "posts_carousel_test_images.json", ACTIVITY / "instagram" / "reels_test_video.json",
                          ACTIVITY / "instagram" / "posts_single_image_test_image.json")
    assert "(instagram-export/reels): 1 posts read, 1 new" in result.output, result.output
    activity = load_activity(kb, "instagram-cyclesmorvan")
    assert dt.date(2016, 3, 23) in {s.last_post for s in activity.sources.values()}  # the reel's creation_timestamp 1458732736
    assert sum(activity.weeks().values()) == sum(s.posts for s in activity.sources.values())  # posts and reels add up


def test_tiktok_sample_without_posts_and_a_documented_one_with_posts(kb: Path, tmp_path: Path):
    assert read_export(ACTIVITY / "tiktok" / "user_data_tiktok.json", TODAY).posts == []  # VideoList is null: never posted
    data = json.loads((ACTIVITY / "tiktok" / "user_data_tiktok.json").read_text(encoding="utf-8"))
    data["Post"]["Posts"]["VideoList"] = [
        {"Date": "2026-11-18 18:30:00", "Link": "https://www.tiktokv.com/share/video/7437000000000000001/", "Likes": "120"},
        {"Date": "2026-11-20 19:00:00", "Link": "https://www.tiktokv.com/share/video/7437000000000000002/", "Likes": "98"},
    ]
    data["Profile"]["Profile Info"]["ProfileMap"]["userName"] = "cyclesmorvan"
    file = write(tmp_path, "user_data_tiktok.json", json.dumps(data))
    assert pulse_import(kb, file).exit_code == 1  # imported, and TikTok is now quiet (2/week, last post 12 days ago)
    activity = load_activity(kb, "tiktok-cyclesmorvan")
    assert activity.last_post() == (dt.date(2026, 11, 20), "https://www.tiktok.com/@cyclesmorvan/video/7437000000000000002")
    old = {"Activity": {}, "Video": {"Videos": {"VideoList": [{"Date": "2020-01-02 10:00:00", "Link": ""}]}}}
    assert len(read_export(write(tmp_path, "user_data.json", json.dumps(old)), TODAY).posts) == 1  # the older layout


def test_linkedin_shares_sample():
    export = read_export(ACTIVITY / "linkedin" / "Shares.csv", TODAY)
    assert export.platform == "linkedin" and len(export.posts) == 202
    assert all(p.url.startswith("https://www.linkedin.com/feed/update/urn") for p in export.posts)


def test_meta_instagram_export_from_the_documented_header(kb: Path, tmp_path: Path):
    rows = ['17900000000000001,1784,cyclesmorvan,Cycles Morvan,"Nouveau\nvélo",0,"11/16/2026 07:45",https://www.instagram.com/p/DA1/,IG carousel,,Lifetime,10,9,8,0,0,0,0',
            '17900000000000002,1784,cyclesmorvan,Cycles Morvan,Reel,15,"11/20/2026 18:00",https://www.instagram.com/reel/DA2/,IG reel,,Lifetime,10,9,8,0,0,0,0']
    file = write(tmp_path, "export.csv", "\ufeff" + META_IG_HEADER + "\n".join(rows) + "\n")
    export = read_export(file, TODAY)
    assert export.platform == "instagram" and [p.date for p in export.posts] == [dt.date(2026, 11, 16), dt.date(2026, 11, 20)]
    assert pulse_import(kb, file).exit_code == 1  # Instagram: last post 20/11, quiet on 2/12
    assert load_activity(kb, "instagram-cyclesmorvan").last_post() == (dt.date(2026, 11, 20), "https://www.instagram.com/reel/DA2/")


def test_meta_columns_are_read_by_name_and_unpadded_times_accepted(tmp_path: Path):
    header = '"Publish time","Post type",Permalink,"Post ID",Title\n'
    file = write(tmp_path, "nov.csv", header + '"11/13/2025 6:00",Photos,https://www.facebook.com/p/1,122166000000000001,x\n')
    assert [(p.date, p.id) for p in read_export(file, TODAY).posts] == [(dt.date(2025, 11, 13), "122166000000000001")]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("excel.csv", '"Post ID","Publish time",Permalink,"Post type"\n1.22166E+17,"11/13/2025 6:00",https://www.facebook.com/p/1,Photos\n',
     "Post ID '1.22166E+17' was turned into a number by a spreadsheet"),
    ("columns.csv", '"Post ID",Date,Views\n1,Lifetime,3\n', "a CSV without the columns Publish time, Permalink, Post type; a Meta Business Suite post export has Post ID, Publish time, Permalink, Post type"),
    ("time.csv", '"Post ID","Publish time",Permalink,"Post type"\n1,"2025-11-13T06:00",https://www.facebook.com/p/1,Photos\n', "Publish time '2025-11-13T06:00' is not like"),
    ("tweets.js", 'window.YTD.tweets.part0 = [\n  {\n    "tweet" : {\n      "id_str" : "1627031510963441664",\n', "not valid JSON at line 4"),
    ("tweets2.js", 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"}}]', "entry 1 is not a tweet; each entry needs tweet.created_at and tweet.id_str"),
    ("other.json", '{"followers": [], "likes": []}', "a JSON file handover does not know (top-level keys: followers, likes)"),
    ("posts_1.json", '[{"title": "x"}]', "entry 1 has no creation_timestamp"),
    ("tiktok.json", '{"Profile": {}, "Post": {"Posts": {}}}', "a TikTok export without Post > Posts > VideoList"),
    ("notes.txt", "just some notes\n", "not an export handover knows"),
    ("latin1.csv", b'"Post ID"\n'.decode() + "caf\xe9", "not UTF-8 text"),
])
def test_unknown_or_broken_exports_are_refused_and_keep_the_stored_data(kb: Path, tmp_path: Path, name: str, content: str, message: str):
    assert "into accounts/facebook-cyclesmorvan" in pulse_import(kb, ACTIVITY / "x-archive" / "tweets.js", account="facebook-cyclesmorvan").output
    before = (kb / "activity" / "facebook-cyclesmorvan.yml").read_text(encoding="utf-8")
    file = tmp_path / name
    file.write_bytes(content.encode("latin-1") if name == "latin1.csv" else content.encode("utf-8"))
    with pytest.raises(ImportRefused) as refused:
        read_export(file, TODAY)
    assert message in str(refused.value), str(refused.value)
    result = pulse_import(kb, file, account="facebook-cyclesmorvan")
    assert result.exit_code == 1 and f"handover: error: nothing imported into accounts/facebook-cyclesmorvan: {file}" in result.output
    assert "Traceback" not in result.output
    assert (kb / "activity" / "facebook-cyclesmorvan.yml").read_text(encoding="utf-8") == before


def test_the_account_is_found_by_platform_or_named(kb: Path, tmp_path: Path):
    shutil.copy(kb / "accounts" / "x-cyclesmorvan.yml", kb / "accounts" / "x-support.yml")
    (kb / "accounts" / "x-support.yml").write_text((kb / "accounts" / "x-support.yml").read_text(encoding="utf-8").replace("@CyclesMorvan", "@MorvanSAV"), encoding="utf-8")
    ambiguous = pulse_import(kb, ACTIVITY / "x-archive" / "tweets.js")
    assert ambiguous.exit_code == 2 and "2 accounts are on x (x-cyclesmorvan, x-support)" in ambiguous.output and "--account ID" in ambiguous.output
    assert "into accounts/x-support (x-archive/part0): 7 posts read" in pulse_import(kb, ACTIVITY / "x-archive" / "tweets.js", account="x-support").output
    assert (kb / "activity" / "x-support.yml").is_file()


def test_future_dates_in_an_export_are_not_counted(tmp_path: Path):
    file = write(tmp_path, "tweets.js", 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "created_at": "Fri Jan 01 10:00:00 +0000 2027", "full_text": "x"}},'
                 ' {"tweet": {"id_str": "2", "created_at": "Mon Nov 30 10:00:00 +0000 2026", "full_text": "RT @someone: y"}}]')
    export = read_export(file, TODAY)
    assert export.posts == [] and export.skipped == ["1 retweets not counted (not the account's own posts)", "1 posts dated in the future not counted"]
