"""handover.yml declared with the field vocabulary of the records (fieldtypes.py).

One declaration, SETTINGS, drives the check of handover.yml (config.py), its
reference page (`handover docs format`) and its JSON Schema (`handover schema
config`), so the three cannot disagree. A setting is a `Field` (name, type, doc,
example, default) and the function that turns its checked value into what `Config`
holds. The types are the records' own; `Worded` says a problem in the words
handover.yml has always used (E010 "leaving_window must be a duration like 90d…"),
where a record would get the generic message of its type.

To add a setting: one `Setting(...)` entry below and one attribute of `Config`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handover.files.yamlio import KEY_MARK
from handover.records.fieldtypes import (
    Boolean,
    Choice,
    Date,
    Field,
    FieldType,
    Integer,
    ListOf,
    MapOf,
    Number,
    Obj,
    Pattern,
    RuleRef,
    Text,
    duration,
)
from handover.records.settingtypes import Free, Reading, Setting, Worded
from handover.records.values import SLUG_RE, as_date, parse_duration
from handover.records.watch import WatchSettings, read_watch

DEFAULT_PLATFORMS: dict[str, tuple[str, int | None]] = {
    "facebook": ("Facebook", 8000),
    "instagram": ("Instagram", 2200),
    "x": ("X (Twitter)", 280),
    "tiktok": ("TikTok", 150),
    "linkedin": ("LinkedIn", 1250),
    "youtube": ("YouTube", 10000),
    "forum": ("Forum", None),
    "blog": ("Blog", None),
    "email": ("E-mail", None),
}
DEFAULT_TIERS = {"default": {"micro": 10000, "mid": 50000, "macro": 300000, "mega": 1000000}}
TIER_NAMES = ("nano", "micro", "mid", "macro", "mega")
DEFAULT_TOPICS = ("legal", "refund", "delivery", "warranty", "press", "safety", "recall", "outage",
                  "security", "privacy", "hr", "product", "crisis", "partnership", "harassment")
DEFAULT_REVIEW_EVERY = {"team": "180d", "accounts": "90d", "contacts": "180d", "influencers": "120d",
                        "charter": "365d", "responses": "180d", "incidents": "365d"}


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    limit: int | None  # characters allowed in one reply; None when unlimited


@dataclass(frozen=True)
class SecretAllow:
    """A reviewed false positive of the secret scan (handover.yml: secrets_allow)."""

    file: str  # relative to the knowledge base, with '/'
    match: str | None  # the matched text itself, or
    fingerprint: str | None  # its fingerprint (sha256:…), as the problem message gives it
    reason: str
    line: int
    col: int
    problem: str | None = None  # why the entry cannot be used (E605)


@dataclass(frozen=True)
class PulseSettings:
    """How activity is judged against cadence (handover.yml: pulse)."""

    quiet_factor: float = 2.0  # cadence intervals without a post before an active account is quiet
    below_ratio: float = 0.75  # posts/week over 4 weeks below this share of the cadence
    failing_after: dt.timedelta = dt.timedelta(days=3)  # a feed failing this long is reported
    stale_after: dt.timedelta = dt.timedelta(days=7)  # activity read longer ago is too old to tell


def days(text: str) -> dt.timedelta:
    parsed = parse_duration(text)
    assert parsed is not None, text
    return parsed


def _platforms(value: dict[Any, Any], read: Reading) -> dict[str, Platform]:
    platforms = {}
    for name, spec in value.items():
        if read.ok("platforms", name):
            spec = spec or {}
            limit = spec.get("limit") if read.ok("platforms", name, "limit") else None
            label = spec.get("label", name) if read.ok("platforms", name, "label") else name
            platforms[name] = Platform(name, str(label), limit)
    return platforms


def _review_every(value: dict[Any, Any], read: Reading) -> dict[str, dt.timedelta]:
    review = {kind: days(text) for kind, text in DEFAULT_REVIEW_EVERY.items()}
    for kind, text in value.items():
        review[str(kind)] = days(text) if read.ok("review_every", kind) else review.get(str(kind), dt.timedelta(days=180))
    return review


def _stay_in_touch(value: dict[Any, Any], read: Reading) -> dict[str, dict[str, dt.timedelta]]:
    intervals: dict[str, dict[str, dt.timedelta]] = {}
    for kind, spec in value.items():
        if read.ok("stay_in_touch", kind) and isinstance(spec, dict):
            for key, text in spec.items():
                if ("stay_in_touch", kind, key, KEY_MARK) not in read.bad:
                    good = read.ok("stay_in_touch", kind, key)
                    intervals.setdefault(str(kind), {})[str(key)] = days(text) if good else dt.timedelta(days=90)
    return intervals


def _pulse(value: dict[Any, Any], read: Reading) -> PulseSettings:
    values: dict[str, Any] = {}
    for key, item in value.items():
        if read.ok("pulse", key):
            values[key] = days(item) if isinstance(item, str) else float(item)
    return PulseSettings(**values)


def _secrets_allow(value: Any, read: Reading) -> list[SecretAllow]:
    """The allow-list entries; an incomplete one is kept with its problem (E605)."""
    if not isinstance(value, list):
        line, col = read.mark(("secrets_allow",))
        return [SecretAllow("", None, None, "", line, col, "secrets_allow must be a list of {file, fingerprint or match, reason}")]
    result = []
    for index, entry in enumerate(value):
        line, col = read.mark(("secrets_allow", index))
        item = entry if isinstance(entry, dict) else {}
        file, match, print_, reason = (item.get(k) for k in ("file", "match", "fingerprint", "reason"))
        problem = None
        if not isinstance(file, str) or not file.strip():
            problem = "a secrets_allow entry needs file: the record's path in the knowledge base, e.g. incidents/2025-09-instagram-pirate.md"
        elif not (isinstance(match, str) and match) and not (isinstance(print_, str) and print_.startswith("sha256:")):
            problem = "a secrets_allow entry needs fingerprint: (sha256:…, from the problem message) or match: (the text found)"
        elif not isinstance(reason, str) or not reason.strip():
            problem = "a secrets_allow entry needs reason: why this is not a secret (who reviewed it)"
        result.append(SecretAllow(str(file or "").strip().lstrip("./"), match if isinstance(match, str) else None,
                                  print_ if isinstance(print_, str) else None, str(reason or ""), line, col, problem))
    return result


def _watch(value: Any, read: Reading) -> WatchSettings:
    """records/watch.py reads the group and says its mistakes (E010) itself."""
    settings = read_watch(read.loaded, read.display)
    read.problems.extend(settings.problems)
    return settings


def _as_is(value: Any, read: Reading) -> Any:
    return value


def _duration(value: str, read: Reading) -> dt.timedelta:
    return days(value)


def _text(name: str) -> Worded:
    return Worded(Text(blank_ok=True), f"{name} must be text; put it in quotes")


def _mapping(inner: FieldType, **words: Any) -> Worded:
    return Worded(inner, "{path} must be a mapping", **words)


def _wait(what: str = "") -> Worded:
    return Worded(duration(), "{path} must be a duration like 90d, 6w, 3m or 1y" + what)


def _ratio(default: float) -> Worded:
    return Worded(Number(positive=True), "{path} must be a positive number, like " + str(default))


PLATFORM = Obj(fields=(
    Field("label", _text("label"), "How the site and messages name the platform.", "Instagram"),
    Field("limit", Worded(Integer(minimum=1), "{path} must be a positive whole number of characters"),
          "Characters allowed in one reply; no limit when absent.", 2200),
))
TRIAGE = Obj(fields=(
    Field("priority", ListOf(Obj(fields=(
        Field("topic", Text(), "An escalation topic.", "safety", required=True),
        Field("rule", RuleRef(), "The charter rule for it.", "safety-first", required=True),
        Field("writer", Boolean(), "Only when the author is one (a journalist…).", True),
        Field("always_answer", Boolean(), "A message naming the topic is answered even if it reads like one not to answer.", True),
    ))), "The charter's order when a message raises several topics."),
    Field("silent", ListOf(Obj(fields=(
        Field("signal", Text(), "spam, hate, abuse, others-data, troll or mood.", "troll", required=True),
        Field("rule", RuleRef(), "The charter rule that says what to do.", "no-feeding-trolls", required=True),
        Field("action", Text(), "What the rule says to do instead of answering.", "ignore", default="ignore"),
    ))), "The charter rule and action for messages not to answer with a canned response."),
    Field("words", MapOf(Text(), Free(label="word lists by language")), "Word lists added to the bundled ones, by topic.",
          {"refund": {"fr": ["rembours"], "en": ["refund"]}}),
))
PULSE = Obj(fields=(
    Field("quiet_factor", _ratio(PulseSettings.quiet_factor), "Cadence intervals without a post before an active account is quiet (W701).", 2),
    Field("below_ratio", _ratio(PulseSettings.below_ratio), "Posts a week over 4 weeks below this share of the cadence (W702).", 0.75),
    Field("failing_after", _wait(), "A feed failing this long is reported (W703).", "3d"),
    Field("stale_after", _wait(), "Activity last read longer ago is too old to tell (W704).", "7d"),
))
WATCHED = Obj(fields=(
    Field("name", Text(), "The name shown.", "Vélonova", required=True),
    Field("terms", Free(label="list of words or phrases"), "The words that mean it, as whole words, accents and case ignored; the name when absent.",
          ["Vélonova"]),
))
WATCH = Obj(fields=(
    Field("brand", WATCHED, "The community's own brand.", {"name": "Cycles Morvan", "terms": ["Cycles Morvan", "CyclesMorvan"]}),
    Field("competitors", ListOf(WATCHED), "The competitors, in the order the report shows them.", [{"name": "Vélonova", "terms": ["Vélonova"]}]),
    Field("feeds", ListOf(Obj(fields=(
        Field("name", Text(), "How the report names the feed; its address when absent.", "Alertes presse"),
        Field("url", Pattern(re.compile(r"^https?://"), label="URL"), "The feed's address (RSS or Atom).", "https://example.org/alerts.rss",
              required=True),
    ))), "The feeds read by `handover pulse --fetch`.", [{"name": "Alertes presse", "url": "https://…"}]),
))
SECRET_ALLOW = Obj(fields=(
    Field("file", Text(), "The record's path in the knowledge base.", "incidents/2025-09-instagram-pirate.md", required=True),
    Field("fingerprint", Pattern(re.compile(r"^sha256:"), label="fingerprint"), "sha256:…, from the problem message.", "sha256:…"),
    Field("match", Text(), "The text found, instead of its fingerprint.", None),
    Field("reason", Text(), "Why this is not a secret (who reviewed it).", "revoked example token, checked by Karim", required=True),
))

SETTINGS: tuple[Setting, ...] = (
    Setting(Field("community", _text("community"), "The community's name, shown on the site and in the handover pack.",
                  "Cycles Morvan", default="Community"), _as_is),
    Setting(Field("description", _text("description"), "One paragraph about the community.", "Communauté en ligne de Cycles Morvan…"), _as_is),
    Setting(Field("language", _text("language"), "Language of the content (`fr`, `en`…): site labels, search stemming.", "fr", default="en"), _as_is),
    Setting(Field("country", Worded(Pattern(re.compile(r"^(?:[A-Z]{2})?$"), label="text"),
                                    'country "{value}" must be a two-letter ISO 3166 code in capitals, like FR, BE or CH (quote NO for Norway)'),
                  "Two-letter ISO 3166 code of the community's country (`FR`): phone numbers imported without a `+` prefix are read as numbers of this country.",
                  "FR"), _as_is),
    Setting(Field("platforms", _mapping(MapOf(Worded(Pattern(SLUG_RE), 'platform name "{key}" must be a lowercase slug like instagram'),
                                              Worded(PLATFORM, "{path} must be a mapping like {{label: Instagram, limit: 2200}}", empty_ok=True))),
                  "Platform name → `{label: …, limit: N}`; `limit` is the characters allowed in one reply (no limit when absent). "
                  "Records may only name these platforms.", {"instagram": {"label": "Instagram", "limit": 2200}},
                  default={name: {"label": label, "limit": limit} for name, (label, limit) in DEFAULT_PLATFORMS.items()}),
            _platforms, shown="Facebook, Instagram, X, TikTok, LinkedIn, YouTube, forum, blog, e-mail"),
    Setting(Field("tiers", _mapping(MapOf(Text(), Worded(MapOf(Choice(TIER_NAMES), Integer(minimum=0)), deep=True,
                                                         message="{path} must map tier names (micro, mid, macro, mega) to follower counts"))),
                  "Influencer tier thresholds (lowest follower count of each tier) per platform, `default` for the others. Below `micro`: `nano`.",
                  {"youtube": {"micro": 5000, "mid": 30000}}, default=DEFAULT_TIERS),
            lambda value, read: {str(name): item for name, item in value.items() if read.clean("tiers", name)},
            shown="`default: {micro: 10000, mid: 50000, macro: 300000, mega: 1000000}`"),
    Setting(Field("escalation_topics", Worded(ListOf(Pattern(SLUG_RE), unique=False), deep=True,
                                              message="escalation_topics must be a list of lowercase slugs like legal, refund"),
                  "Topics contacts take escalations for.", ["legal", "refund"], default=list(DEFAULT_TOPICS)),
            lambda value, read: tuple(value), shown=", ".join(DEFAULT_TOPICS)),
    Setting(Field("review_every", _mapping(MapOf(Text(), _wait())), "Default review interval per kind.", {"accounts": "90d"},
                  default=DEFAULT_REVIEW_EVERY),
            _review_every, shown=", ".join(f"{kind} {value}" for kind, value in DEFAULT_REVIEW_EVERY.items())),
    Setting(Field("leaving_window", _wait(), "How long before a team member's `end` their holdings are flagged.", "60d", default="60d"), _duration),
    Setting(Field("audience_max_age", _wait(), "Audience figures older than this are flagged.", "180d", default="180d"), _duration),
    Setting(Field("last_contact_max_age", _wait(), "Relationships silent longer than this are flagged.", "365d", default="365d"), _duration),
    Setting(Field("stay_in_touch", _mapping(Obj(fields=tuple(
        Field(kind, Worded(MapOf(key, _wait()), "stay_in_touch.{key}: write influencers: {{TIER: 60d}} or contacts: {{DEPARTMENT: 90d}}"), doc, example)
        for kind, key, doc, example in (
            ("influencers", Worded(Choice(TIER_NAMES), '"{key}" is not a tier; use one of ' + ", ".join(TIER_NAMES)), "By tier.", {"mega": "30d"}),
            ("contacts", Text(), "By department.", {"media": "90d"})))),
        unknown="stay_in_touch.{key}: write influencers: {{TIER: 60d}} or contacts: {{DEPARTMENT: 90d}}"),
        "Key relationships and how long each may stay silent: `influencers: {mega: 30d, macro: 45d, mid: 60d, micro: 90d}` by tier, "
        "`contacts: {media: 90d, partner: 120d}` by department. The last contact is the later of `last_contact` and the newest "
        "`interactions` entry; a silence beyond the interval is flagged naming the owner (W408).", {"contacts": {"media": "90d"}}),
        _stay_in_touch),
    Setting(Field("site", _mapping(Obj(fields=(Field("title", Text(), "The site's title; the community's name when absent.", "Cycles Morvan — passation"),))),
                  "Site options (`title`).", {"title": "Cycles Morvan — passation"}), _as_is),
    Setting(Field("as_of", Worded(Date(label="date"), "as_of must be a date like 2026-12-02 (the day a sample knowledge base's story is told)"),
                  "For a sample or training knowledge base only: the day its story is told (`2026-12-02`). Date-based checks (departures, "
                  "reviews, silent relationships, retention) then judge it as of that day, whatever the clock says, so it passes on any date "
                  "while still showing what it teaches; validate, status, the site and the pack say \"sample knowledge base, dated …\". "
                  "`--today` still judges it on another day. Leave it out of a real knowledge base: its dates must follow the calendar.",
                  "2026-12-02"), lambda value, read: as_date(value)),
    Setting(Field("secrets_allow", ListOf(SECRET_ALLOW),
                  "Reviewed false positives of the secret scan (E601–E604): each entry `{file: incidents/x.md, fingerprint: sha256:…, "
                  "reason: …}` (or `match:` with the text itself); `reason` is mandatory. An entry that matches nothing any more is "
                  "flagged (W606).", [{"file": "incidents/x.md", "fingerprint": "sha256:…", "reason": "…"}]),
            _secrets_allow, checked_elsewhere="E605 (checks/secrets.py): an incomplete entry is kept with its problem"),
    Setting(Field("triage", _mapping(TRIAGE),
                  "How `handover triage` applies the charter: `priority`, the charter's order when a message raises several topics "
                  "(`{topic: safety, rule: safety-first}`…; the responses whose first charter rule is the rule of the message's first "
                  "topic come first; `writer: true`: only when the author is one, e.g. a journalist); `silent`, the charter rule and "
                  "action for messages not to answer with a canned response (`{signal: troll, rule: no-feeding-trolls, action: ignore}`; "
                  "signals: spam, hate, abuse, others-data, troll, mood); `words`, word lists added to the bundled ones "
                  "(`{refund: {fr: [rembours], en: [refund]}}`).", {"silent": [{"signal": "troll", "rule": "no-feeding-trolls", "action": "ignore"}]}),
            _as_is),
    Setting(Field("pulse", _mapping(PULSE, unknown='unknown pulse setting "{key}"; known: ' + ", ".join(f.name for f in PULSE.fields)),
                  "How activity is judged against each account's cadence: `quiet_factor` cadence intervals without a post make an active "
                  "account quiet (W701; at 2, a 5/week account is quiet after about 3 days, a 1/week one after 2 weeks); fewer posts a "
                  "week over the last 4 weeks than `below_ratio` × the cadence is W702; a feed failing for `failing_after` is W703; "
                  "activity last read longer than `stale_after` ago is too old to tell (W704).", {"quiet_factor": 3},
                  default={"quiet_factor": 2, "below_ratio": 0.75, "failing_after": "3d", "stale_after": "7d"}),
            _pulse, shown="`{quiet_factor: 2, below_ratio: 0.75, failing_after: 3d, stale_after: 7d}`"),
    Setting(Field("watch", WATCH,
                  "The brand and its competitors, and the feeds that mention them, for the weekly report's \"noise against competitors\": "
                  "`brand: {name: Cycles Morvan, terms: [Cycles Morvan, CyclesMorvan]}`, `competitors: [{name: Vélonova, terms: [Vélonova]}]` "
                  "(`terms` defaults to the name), `feeds: [{name: Alertes presse, url: \"https://…\"}]` (any RSS or Atom feed: a news alert, "
                  "a Mastodon tag feed `https://INSTANCE/tags/TAG.rss`, a forum's search feed). `handover pulse --fetch` reads the feeds and "
                  "keeps in `activity/watch/mentions.yml` each item naming the brand or a competitor (a fingerprint of its link, its day, the "
                  "names; no text); an item mentions a name when one of its terms appears in its title or summary, accents and case ignored, "
                  "as whole words; the same link in two feeds counts once. Mistakes are E010, and `report` and `pulse --fetch` stop on them.",
                  {"brand": {"name": "Cycles Morvan"}}),
            _watch, checked_elsewhere="records/watch.py: E010 for each mistake, the rest of the group kept"),
)
SETTING_NAMES = tuple(setting.name for setting in SETTINGS)


def triage_rules(data: dict[Any, Any], mark: Callable[[tuple[Any, ...]], tuple[int, int]]) -> list[tuple[str, int, int]]:
    """The charter rules triage names, with line and column (checks/refs.py checks them)."""
    triage = data.get("triage")
    found = []
    for section in ("priority", "silent"):
        entries = triage.get(section) if isinstance(triage, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and isinstance(entry.get("rule"), str):
                found.append((entry["rule"], *mark(("triage", section, index, "rule"))))
    return found
