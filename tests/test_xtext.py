"""twitter-text's own conformance suite (../shared/data/twitter-text, see its SOURCE),
run against handover's X measurements: every weighted-length case and every URL
extraction case must agree with X."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BUNDLED_KB, REPO

from handover.records import xtext
from handover.records.replies import links, platform_length, x_length

SUITE = REPO.parent / "shared" / "data" / "twitter-text"


def _cases(name: str, *sections: str) -> list[Any]:
    tests = yaml.safe_load((SUITE / name).read_text(encoding="utf-8"))["tests"]
    return [pytest.param(section, case, id=f"{section}: {case['description']}") for section in sections for case in tests[section]]


# The version-2 section predates emoji parsing; X counts with version 3 (the other two sections).
WEIGHTED = _cases("validate.yml", "WeightedTweetsCounterTest", "WeightedTweetsWithDiscountedEmojiCounterTest", "UnicodeDirectionalMarkerCounterTest")
URLS = _cases("extract.yml", "urls", "tco_urls_with_params")
URLS_WITH_INDICES = _cases("extract.yml", "urls_with_indices", "urls_with_directional_markers")


def test_the_suite_is_there_and_whole():
    assert (len(WEIGHTED), len(URLS), len(URLS_WITH_INDICES)) == (44, 96, 12)


@pytest.mark.parametrize(("section", "case"), WEIGHTED)
def test_weighted_length(section: str, case: dict[str, Any]):
    version = 2 if section == "WeightedTweetsCounterTest" else 3
    assert xtext.weighted_length(case["text"], version) == case["expected"]["weightedLength"]
    if version == 3:  # what validate, reply and the site use
        assert x_length(case["text"]) == case["expected"]["weightedLength"]
        assert platform_length(case["text"], "x") == case["expected"]["weightedLength"]


@pytest.mark.parametrize(("section", "case"), URLS)
def test_url_extraction(section: str, case: dict[str, Any]):
    assert links(case["text"]) == case["expected"]


@pytest.mark.parametrize(("section", "case"), URLS_WITH_INDICES)
def test_url_extraction_with_indices(section: str, case: dict[str, Any]):
    expected = [(found["url"], *found["indices"]) for found in case["expected"]]
    assert xtext.links_with_indices(case["text"]) == expected


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("1\u20e3", 2),  # a keycap sequence counts as one emoji
        ("\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 2),  # England's flag, a tag sequence
        ("Tout est sur cyclesmorvan.bike", len("Tout est sur ") + 23),  # a bare domain on a newer gTLD is a link
        ("marie.le@cyclesmorvan.fr", len("marie.le@cyclesmorvan.fr")),  # an e-mail address is not
        ("https://" + "a" * 64 + ".com", len("https://" + "a" * 64 + ".com")),  # a label over 63 characters: no host, no link
        ("voir https://example.com/\u200f", len("voir ") + 23 + 2),  # the mark after the link stays outside, and counts 2
        ("a\r\nb", 3),  # a line end counts once
        ("", 0),
    ],
)
def test_the_failure_classes_of_issue_16(text: str, length: int):
    assert x_length(text) == length


def test_ascii_shortcut_agrees_with_the_library():
    for text in ("Bonjour, à bientôt", "plain words only", "a\rb", "x" * 300):
        assert x_length(text) == xtext.weighted_length(text)


def test_the_plain_shortcut_agrees_with_the_library():
    """xtext counts plain texts (no character past U+10FF, nothing a link could be made
    of) without the library: on every response of the bundled kb and on variations of
    them, cut at each sentence, the shortcut must give the library's answer."""
    import twitter_text
    from twitter_text.config import config

    from handover.records.model import load_kb
    from handover.records.xtext import _plainly_counted

    texts = [r.body or "" for r in load_kb(str(BUNDLED_KB)).records["responses"].values()]
    texts += [part for text in texts for part in text.split(". ")] + ["Déjà vu à Noël : ça coûte 12 €", "Ça roule… «oui» — non", "e\u0301te\u0301"]
    checked = 0
    for text in texts:
        plain = _plainly_counted(text)
        if plain is not None and text:
            options = dict(config["version3"])
            assert plain == twitter_text.parse_tweet(text, options=options).weightedLength, text
            checked += 1
    assert checked > 50


def test_remembered_lengths_are_the_librarys_and_spare_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    memo = tmp_path / "cache" / "x-lengths.json"
    text = "Infos : https://cyclesmorvan.bike/rappel-freins-2026 et https://example.com/a/very/long/path 🚲"
    expected = xtext.weighted_length(text)
    xtext.weighted_length.cache_clear()
    with xtext.remembered(memo):
        assert xtext.weighted_length(text) == expected
    assert memo.exists()
    xtext.weighted_length.cache_clear()
    monkeypatch.setattr(xtext, "_library", lambda: pytest.fail("the library was asked again"))
    with xtext.remembered(memo):
        assert xtext.weighted_length(text) == expected
    xtext.weighted_length.cache_clear()
    memo.write_text("{not json", encoding="utf-8")  # a damaged cache is only ignored
    monkeypatch.undo()
    with xtext.remembered(memo):
        assert xtext.weighted_length(text) == expected
    xtext.weighted_length.cache_clear()
