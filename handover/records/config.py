"""Finding the knowledge base and reading its settings (handover.yml)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core import environment
from handover.core.errors import KnowledgeBaseNotFound, Problem, error, warning
from handover.files.yamlio import Loaded, parse_mapping, read_text
from handover.records.fieldtypes import SLUG_RE, parse_duration
from handover.records.watch import WatchSettings, read_watch

CONFIG_NAME = "handover.yml"

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
KNOWN_KEYS = ("community", "description", "language", "country", "platforms", "tiers", "escalation_topics",
              "review_every", "leaving_window", "audience_max_age", "last_contact_max_age", "stay_in_touch", "site", "secrets_allow",
              "triage", "pulse", "as_of", "watch")
STAY_IN_TOUCH_KINDS = ("influencers", "contacts")


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


@dataclass
class Config:
    """Settings of one knowledge base, defaults filled in."""

    root: Path
    community: str = "Community"
    description: str = ""
    language: str = "en"
    country: str = ""  # ISO 3166 code (FR): phone numbers written without +33 are read as this country's
    platforms: dict[str, Platform] = field(default_factory=dict)
    tiers: dict[str, dict[str, int]] = field(default_factory=lambda: dict(DEFAULT_TIERS))
    escalation_topics: tuple[str, ...] = DEFAULT_TOPICS
    review_every: dict[str, dt.timedelta] = field(default_factory=dict)
    leaving_window: dt.timedelta = dt.timedelta(days=60)
    audience_max_age: dt.timedelta = dt.timedelta(days=180)
    last_contact_max_age: dt.timedelta = dt.timedelta(days=365)
    # how long a key relationship may stay silent: influencers by tier, contacts by department
    stay_in_touch: dict[str, dict[str, dt.timedelta]] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    triage: dict[str, Any] = field(default_factory=dict)  # handover triage's priorities and words (commands/triage_signals.py)
    triage_rules: list[tuple[str, int, int]] = field(default_factory=list)  # charter rules it names, with line and column
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    secrets_allow: list[SecretAllow] = field(default_factory=list)
    pulse: PulseSettings = field(default_factory=PulseSettings)
    as_of: dt.date | None = None  # a sample knowledge base: the day its story is told, when date-based checks judge it
    watch: WatchSettings = field(default_factory=WatchSettings)  # the brand, competitors and feeds (records/watch.py)

    def judging_day(self, given: dt.date | None, clock: dt.date) -> dt.date:
        """The day the date-based checks judge the knowledge base on: the day asked for
        (--today), else the day a sample knowledge base is told (as_of), else the clock."""
        return given or self.as_of or clock

    def dated_note(self, day: dt.date) -> str | None:
        """What to tell the reader of a sample knowledge base judged on its day; None for
        a real one, or when --today judges it on another day."""
        if self.as_of is None or day != self.as_of:
            return None
        return f"sample knowledge base, dated {self.as_of}: date-based checks judge it as of that day (--today DATE judges another)"

    def choices(self, name: str) -> tuple[str, ...]:
        """Allowed values of a vocabulary named in the format (platforms, topics)."""
        if name == "platforms":
            return tuple(self.platforms)
        if name == "escalation_topics":
            return self.escalation_topics
        raise KeyError(name)

    def tier_for(self, platform: str, followers: int) -> str:
        """The tier of an audience on a platform, from the thresholds."""
        thresholds = self.tiers.get(platform) or self.tiers.get("default") or DEFAULT_TIERS["default"]
        tier = "nano"
        for name in TIER_NAMES[1:]:
            if name in thresholds and followers >= thresholds[name]:
                tier = name
        return tier


def find_root(path: str | None, cwd: Path | None = None) -> Path:
    """The knowledge base folder: PATH if given, else $HANDOVER_KB, else the first
    folder from here upwards that holds handover.yml (or a kb/ folder holding one)."""
    given = path or environment.kb_path()
    if given:
        root = Path(given)
        if not root.exists():
            raise KnowledgeBaseNotFound(f"{given}: no such folder", hint="give the folder of the knowledge base, e.g. `handover validate kb`")
        if not root.is_dir():
            raise KnowledgeBaseNotFound(f"{given}: is a file, not a knowledge-base folder", hint="give the folder that holds handover.yml")
        return root
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / "kb" / CONFIG_NAME).is_file():
            return folder / "kb"
    raise KnowledgeBaseNotFound(
        f"no knowledge base found in {here} or above (looked for {CONFIG_NAME})",
        hint="run from inside a knowledge base, pass its folder (`handover validate kb`), set HANDOVER_KB, or create one with `handover init`",
    )


def load_config(root: Path, display_root: str) -> Config:
    """Read handover.yml if present; every bad setting is a located problem and
    falls back to its default, so the rest of the knowledge base is still checked."""
    config = Config(root=root)
    config.platforms = {name: Platform(name, label, limit) for name, (label, limit) in DEFAULT_PLATFORMS.items()}
    config.review_every = {kind: _days(text) for kind, text in DEFAULT_REVIEW_EVERY.items()}
    path = root / CONFIG_NAME
    display = os.path.join(display_root, CONFIG_NAME)
    if not path.is_file():
        config.problems.append(warning(display, 0, 0, "W001", f"no {CONFIG_NAME} in {display_root}; defaults are used (see guide/format.md)"))
        return config
    config.path = path
    text, problems = read_text(path, display)
    if text is None:
        config.problems.extend(problems)
        return config
    loaded = parse_mapping(text, display)
    config.problems.extend(loaded.problems)
    if loaded.ok:
        _apply(config, loaded, display)
    return config


def _days(text: str) -> dt.timedelta:
    parsed = parse_duration(text)
    assert parsed is not None, text
    return parsed


class _Reader:
    """Small helpers that read one setting and report where it is wrong."""

    def __init__(self, loaded: Loaded, display: str, problems: list[Problem]) -> None:
        self.loaded, self.display, self.problems = loaded, display, problems

    def bad(self, path: tuple[Any, ...], message: str) -> None:
        line, col = self.loaded.mark(path)
        self.problems.append(error(self.display, line, col, "E010", message))

    def text(self, key: str, default: str) -> str:
        value = self.loaded.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            self.bad((key,), f"{key} must be text; put it in quotes")
            return default
        return value

    def duration(self, path: tuple[Any, ...], value: Any, default: dt.timedelta) -> dt.timedelta:
        parsed = parse_duration(value) if isinstance(value, str) else None
        if parsed is None:
            self.bad(path, f"{'.'.join(map(str, path))} must be a duration like 90d, 6w, 3m or 1y")
            return default
        return parsed

    def mapping(self, key: str) -> dict[Any, Any] | None:
        value = self.loaded.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.bad((key,), f"{key} must be a mapping")
            return None
        return value


def _apply(config: Config, loaded: Loaded, display: str) -> None:
    read = _Reader(loaded, display, config.problems)
    data = loaded.data
    for key in data:
        if key not in KNOWN_KEYS:
            from difflib import get_close_matches

            close = get_close_matches(str(key), KNOWN_KEYS, n=1)
            line, col = loaded.mark((key, "<key>"))
            hint = f'; did you mean "{close[0]}"?' if close else ""
            config.problems.append(warning(display, line, col, "W220", f'unknown setting "{key}"{hint}'))
    config.community = read.text("community", config.community)
    config.description = read.text("description", "")
    config.language = read.text("language", config.language)
    country = read.text("country", "")
    if country and not re.match(r"^[A-Z]{2}$", country):
        read.bad(("country",), f'country "{country}" must be a two-letter ISO 3166 code in capitals, like FR, BE or CH (quote NO for Norway)')
    else:
        config.country = country
    platforms = read.mapping("platforms")
    if platforms is not None:
        config.platforms = {}
        for name, spec in platforms.items():
            if not isinstance(name, str) or not SLUG_RE.match(name):
                read.bad(("platforms", name, "<key>"), f'platform name "{name}" must be a lowercase slug like instagram')
                continue
            spec = spec or {}
            if not isinstance(spec, dict):
                read.bad(("platforms", name), f"platforms.{name} must be a mapping like {{label: Instagram, limit: 2200}}")
                continue
            limit = spec.get("limit")
            if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0):
                read.bad(("platforms", name, "limit"), f"platforms.{name}.limit must be a positive whole number of characters")
                limit = None
            label = spec.get("label", name)
            config.platforms[name] = Platform(name, str(label), limit)
    tiers = read.mapping("tiers")
    if tiers is not None:
        config.tiers = {}
        for platform, thresholds in tiers.items():
            if not isinstance(thresholds, dict) or not all(
                k in TIER_NAMES and isinstance(v, int) and not isinstance(v, bool) and v >= 0 for k, v in thresholds.items()
            ):
                read.bad(("tiers", platform), f"tiers.{platform} must map tier names ({', '.join(TIER_NAMES[1:])}) to follower counts")
                continue
            config.tiers[str(platform)] = thresholds
    topics = data.get("escalation_topics")
    if topics is not None:
        if isinstance(topics, list) and all(isinstance(t, str) and SLUG_RE.match(t) for t in topics):
            config.escalation_topics = tuple(topics)
        else:
            read.bad(("escalation_topics",), "escalation_topics must be a list of lowercase slugs like legal, refund")
    review = read.mapping("review_every")
    if review is not None:
        for kind, value in review.items():
            config.review_every[str(kind)] = read.duration(("review_every", kind), value, config.review_every.get(str(kind), dt.timedelta(days=180)))
    for key in ("leaving_window", "audience_max_age", "last_contact_max_age"):
        if data.get(key) is not None:
            setattr(config, key, read.duration((key,), data[key], getattr(config, key)))
    _stay_in_touch(config, read)
    as_of = data.get("as_of")
    if as_of is not None:
        if isinstance(as_of, str):
            with contextlib.suppress(ValueError):
                as_of = dt.date.fromisoformat(as_of)
        if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime):
            config.as_of = as_of
        else:
            read.bad(("as_of",), "as_of must be a date like 2026-12-02 (the day a sample knowledge base's story is told)")
    site = read.mapping("site")
    if site is not None:
        config.site = site
    triage = read.mapping("triage")
    if triage is not None:
        config.triage = triage
        for section in ("priority", "silent"):
            entries = triage.get(section)
            for index, entry in enumerate(entries if isinstance(entries, list) else []):
                if isinstance(entry, dict) and isinstance(entry.get("rule"), str):
                    config.triage_rules.append((entry["rule"], *loaded.mark(("triage", section, index, "rule"))))
    config.secrets_allow = _secrets_allow(loaded)
    config.watch = read_watch(loaded, display)
    config.problems.extend(config.watch.problems)
    pulse = read.mapping("pulse")
    if pulse is not None:
        config.pulse = _pulse(read, pulse)


def _pulse(read: _Reader, spec: dict[Any, Any]) -> PulseSettings:
    """The pulse settings; a bad one is a located problem and keeps its default."""
    default = PulseSettings()
    values: dict[str, Any] = {}
    for key, value in spec.items():
        if key in ("quiet_factor", "below_ratio"):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
                values[key] = float(value)
            else:
                read.bad(("pulse", key), f"pulse.{key} must be a positive number, like {getattr(default, key)}")
        elif key in ("failing_after", "stale_after"):
            values[key] = read.duration(("pulse", key), value, getattr(default, key))
        else:
            read.bad(("pulse", key), f'unknown pulse setting "{key}"; known: quiet_factor, below_ratio, failing_after, stale_after')
    return PulseSettings(**values)


def _stay_in_touch(config: Config, read: _Reader) -> None:
    """stay_in_touch: {influencers: {TIER: DURATION}, contacts: {DEPARTMENT: DURATION}}."""
    section = read.mapping("stay_in_touch")
    for kind, intervals in (section or {}).items():
        if kind not in STAY_IN_TOUCH_KINDS or not isinstance(intervals, dict):
            read.bad(("stay_in_touch", kind), f"stay_in_touch.{kind}: write influencers: {{TIER: 60d}} or contacts: {{DEPARTMENT: 90d}}")
            continue
        for key, value in intervals.items():
            if kind == "influencers" and key not in TIER_NAMES:
                read.bad(("stay_in_touch", kind, key, "<key>"), f'"{key}" is not a tier; use one of {", ".join(TIER_NAMES)}')
                continue
            config.stay_in_touch.setdefault(str(kind), {})[str(key)] = read.duration(("stay_in_touch", kind, key), value, dt.timedelta(days=90))


def _secrets_allow(loaded: Loaded) -> list[SecretAllow]:
    """The allow-list entries; an incomplete one is kept with its problem (E605)."""
    entries = loaded.data.get("secrets_allow")
    if entries is None:
        return []
    if not isinstance(entries, list):
        line, col = loaded.mark(("secrets_allow",))
        return [SecretAllow("", None, None, "", line, col, "secrets_allow must be a list of {file, fingerprint or match, reason}")]
    result = []
    for index, entry in enumerate(entries):
        line, col = loaded.mark(("secrets_allow", index))
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
