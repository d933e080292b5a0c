"""handover.yml's `watch:` group: the brand, its competitors and the feeds that mention
them (news or alert feeds, a Mastodon tag feed, a forum's search feed), for the
weekly report's "noise against competitors". Parsed here, in one place:

    watch:
      brand: {name: Cycles Lumière, terms: [Cycles Lumière, Lumière Cycles]}
      competitors:
        - {name: Vélonova, terms: [Vélonova]}
      feeds:
        - {name: Alertes presse, url: "https://example.org/alerts.rss"}

`terms` defaults to the name. Every mistake is a located problem (E010), and an
entry with one is left out, so the rest of the group still works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handover.core.errors import HandoverError, Problem, error
from handover.files.yamlio import Loaded

KEY = "watch"
CODE = "E010"


@dataclass(frozen=True)
class Watched:
    """The brand or a competitor: the name shown, the words that mean it."""

    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class WatchFeed:
    name: str
    url: str


@dataclass
class WatchSettings:
    brand: Watched | None = None
    competitors: list[Watched] = field(default_factory=list)
    feeds: list[WatchFeed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # also in the config's problems

    @property
    def names(self) -> list[Watched]:
        """The brand first, then the competitors, in the order written."""
        return ([self.brand] if self.brand else []) + self.competitors


def require_valid(settings: WatchSettings) -> None:
    """Stop a command that reads the watch group while it has mistakes, each located."""
    if settings.problems:
        raise HandoverError("\n".join(p.format_gnu() for p in settings.problems),
                            hint="fix the watch group of handover.yml (README: The weekly report)")


EXAMPLE = 'watch: {brand: {name: Brand, terms: [Brand]}, competitors: [{name: Rival, terms: [Rival]}], feeds: [{name: Alerts, url: "https://…"}]}'


def read_watch(loaded: Loaded, display: str) -> WatchSettings:
    """The watch group of a loaded handover.yml (empty when there is none)."""
    settings = WatchSettings()
    spec = loaded.data.get(KEY)
    if spec is None:
        return settings

    def bad(path: tuple[Any, ...], message: str) -> None:
        line, col = loaded.mark((KEY, *path))
        settings.problems.append(error(display, line, col, CODE, message))

    if not isinstance(spec, dict):
        bad((), f"watch must be a mapping, like {EXAMPLE}")
        return settings
    for key in spec:
        if key not in ("brand", "competitors", "feeds"):
            bad((key, "<key>"), f'unknown watch setting "{key}"; known: brand, competitors, feeds')
    if "brand" in spec:
        settings.brand = _watched(spec["brand"], ("brand",), bad)
    for index, item in _listed(spec, "competitors", bad):
        found = _watched(item, ("competitors", index), bad)
        if found:
            settings.competitors.append(found)
    for index, item in _listed(spec, "feeds", bad):
        feed = _feed(item, ("feeds", index), bad)
        if feed and any(f.name == feed.name for f in settings.feeds):
            bad(("feeds", index, "name"), f'watch.feeds: the name "{feed.name}" is used twice; give each feed its own')
        elif feed:
            settings.feeds.append(feed)
    return settings


def _listed(spec: dict[Any, Any], key: str, bad: Any) -> list[tuple[int, Any]]:
    value = spec.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        bad((key,), f"watch.{key} must be a list of entries (- name: …)")
        return []
    return list(enumerate(value))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _watched(item: Any, path: tuple[Any, ...], bad: Any) -> Watched | None:
    where = "watch." + ".".join(str(p) for p in path)
    if not isinstance(item, dict):
        bad(path, f"{where} must be a mapping with name and terms, like {{name: Rival, terms: [Rival, Rival Bikes]}}")
        return None
    for key in item:
        if key not in ("name", "terms"):
            bad((*path, key, "<key>"), f'{where}: unknown key "{key}"; known: name, terms')
    name = _text(item.get("name"))
    if name is None:
        bad(path, f"{where} needs a name (text)")
        return None
    terms = item.get("terms", [name])
    if isinstance(terms, str):
        terms = [terms]
    if not isinstance(terms, list) or not terms or not all(_text(t) for t in terms):
        bad((*path, "terms"), f"{where}.terms must be a list of words or phrases, like [{name}]")
        return None
    return Watched(name, tuple(str(t).strip() for t in terms))


def _feed(item: Any, path: tuple[Any, ...], bad: Any) -> WatchFeed | None:
    where = "watch." + ".".join(str(p) for p in path)
    if not isinstance(item, dict):
        bad(path, f'{where} must be a mapping with name and url, like {{name: Alerts, url: "https://…"}}')
        return None
    for key in item:
        if key not in ("name", "url"):
            bad((*path, key, "<key>"), f'{where}: unknown key "{key}"; known: name, url')
    url = _text(item.get("url"))
    if url is None or not url.startswith(("http://", "https://")):
        bad((*path, "url") if "url" in item else path, f"{where}.url must be the feed's address, starting with https://")
        return None
    return WatchFeed(_text(item.get("name")) or url, url)
