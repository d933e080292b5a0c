"""Finding the knowledge base and reading its settings (handover.yml)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from handover.core import environment
from handover.core.errors import KnowledgeBaseNotFound, Problem, error, warning
from handover.files.yamlio import KEY_MARK, Loaded, parse_mapping, read_text
from handover.records.settings import (
    DEFAULT_PLATFORMS,
    DEFAULT_REVIEW_EVERY,
    DEFAULT_TIERS,
    DEFAULT_TOPICS,
    SETTING_NAMES,
    SETTINGS,
    TIER_NAMES,
    Platform,
    PulseSettings,
    SecretAllow,
    days,
    triage_rules,
)
from handover.records.settingtypes import Reading, check_setting, dotted
from handover.records.watch import WatchSettings

CONFIG_NAME = "handover.yml"


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
    config.review_every = {kind: days(text) for kind, text in DEFAULT_REVIEW_EVERY.items()}
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


def _apply(config: Config, loaded: Loaded, display: str) -> None:
    """Check each key of handover.yml against its declaration (settings.py) and keep
    what is right; a wrong value is a located problem and keeps its default."""
    bad: set[tuple[Any, ...]] = set()

    def report(at: tuple[Any, ...], code: str, message: str) -> None:
        if code not in ("E010", "W220"):  # a type's own words: say which setting
            code, message = "E010", f"{dotted(at)}: {message}"
        line, col = loaded.mark(at)
        if code.startswith("E"):
            bad.add(at)
        config.problems.append((error if code.startswith("E") else warning)(display, line, col, code, message))

    for key in loaded.data:
        if key not in SETTING_NAMES:
            close = get_close_matches(str(key), SETTING_NAMES, n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            report((key, KEY_MARK), "W220", f'unknown setting "{key}"{hint}')
    read = Reading(bad, loaded, display, config.problems)
    for setting in SETTINGS:
        value = loaded.data.get(setting.name)
        if value is None:
            continue
        check_setting(setting, value, report)
        if read.ok(setting.name):
            setattr(config, setting.name, setting.convert(value, read))
    config.triage_rules = triage_rules(loaded.data, loaded.mark)
