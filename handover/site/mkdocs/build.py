"""Building and serving the site with MkDocs: the only place that drives MkDocs.

The repository's mkdocs.yml is used when there is one (in the knowledge base or the
folder above it); otherwise a plain Material configuration is made up from
handover.yml, so any knowledge-base folder builds.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handover.core import environment
from handover.core.errors import HandoverError
from handover.records.model import KnowledgeBase
from handover.site.mkdocs.switches import OFFLINE_VARIABLE, offline_requested


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    files: int
    bytes: int
    seconds: float


def find_mkdocs_config(kb_root: Path) -> Path | None:
    """mkdocs.yml in the knowledge base, or beside it, whose docs_dir is the kb."""
    for folder in (kb_root, kb_root.parent):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


def default_config(kb: KnowledgeBase) -> str:
    """A mkdocs.yml for a knowledge base that has none (JSON is valid YAML)."""
    config = {
        "site_name": kb.config.site.get("title") or kb.config.community,
        "theme": {"name": "material", "language": kb.config.language, "font": False, "palette": _palette(kb.config.language),
                  "features": ["content.code.copy", "navigation.instant", "search.highlight", "search.suggest"]},
        "plugins": [{"search": {"lang": sorted({kb.config.language, "en"}), "pipeline": ["stemmer", "stopWordFilter", "trimmer"]}},
                    "tags", {"offline": {"enabled": False}}, "handover"],
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}, "pymdownx.superfences"],
    }
    return json.dumps(config, ensure_ascii=False)


def _palette(language: str) -> list[dict[str, Any]]:
    """As in the bundled mkdocs.yml: links that pass WCAG AA, the system's light or dark
    scheme followed, a toggle to override it."""
    french = language == "fr"
    names = (("Passer au mode clair", "Passer au mode sombre", "Suivre le réglage du système") if french
             else ("Switch to light mode", "Switch to dark mode", "Follow the system setting"))
    return [
        {"media": "(prefers-color-scheme)", "toggle": {"icon": "material/brightness-auto", "name": names[0]}},
        {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "deep purple",
         "toggle": {"icon": "material/brightness-7", "name": names[1]}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "light blue",
         "toggle": {"icon": "material/brightness-4", "name": names[2]}},
    ]


def load_mkdocs_config(kb: KnowledgeBase, config_file: Path | None, **overrides: Any) -> Any:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = config_file or find_mkdocs_config(kb.root)
    overrides["docs_dir"] = str(kb.root.resolve())
    try:
        with _plain_offline_variable():
            if config_file is None:
                stream = io.StringIO(default_config(kb))
                # MkDocs wants docs_dir below the config's folder: pretend it sits beside the kb.
                stream.name = str(kb.root.resolve().parent / "mkdocs.yml")
                return load_config(config_file=stream, **overrides)
            return load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as exc:
        where = config_file or "the default configuration"
        raise HandoverError(f"{where}: the MkDocs configuration is not valid: {exc}", hint="fix mkdocs.yml (see mkdocs.yml of the handover repository for a working one)") from None


def _quiet_material() -> None:
    """Material prints an end-of-life banner when imported under an `mkdocs` command;
    it is for maintainers, not our users. Set when handover drives MkDocs, never at
    import: importing this module changes nothing."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@contextmanager
def _plain_offline_variable() -> Iterator[None]:
    """HANDOVER_OFFLINE as `true`/`false` while MkDocs reads the configuration.

    A mkdocs.yml written by an earlier `handover init` reads the variable with
    `!ENV`, where `1` is a number that MkDocs refuses for a switch; an invalid value
    stops here, with the values that work."""
    value = environment.offline()
    if value is None:
        yield
        return
    os.environ[OFFLINE_VARIABLE] = "true" if offline_requested() else "false"
    try:
        yield
    finally:
        os.environ[OFFLINE_VARIABLE] = value


def _plugin(config: Any, key: str, factory: Any) -> Any:
    """The plugin instance registered under `key`, added when mkdocs.yml lacks it."""
    if key not in config.plugins:
        plugin = factory()
        plugin.load_config({})
        config.plugins[key] = plugin
    return config.plugins[key]


def build_site(kb: KnowledgeBase, *, site_dir: Path | None = None, audience: str = "internal", offline: bool = False,
               strict: bool = False, today: dt.date | None = None, config_file: Path | None = None) -> BuildResult:
    """Build the site of an already loaded (and validated) knowledge base."""
    _quiet_material()
    from material.plugins.offline.plugin import OfflinePlugin
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, BuildError, PluginError

    from handover.site.mkdocs.plugin import HandoverPlugin

    overrides: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    config = load_mkdocs_config(kb, config_file, **overrides)
    plugin = _plugin(config, "handover", HandoverPlugin)
    plugin.config.audience = audience
    plugin.config.check = False  # handover build validated already
    plugin.kb, plugin.today = kb, today
    offline_plugin = _plugin(config, "material/offline", OfflinePlugin)
    offline_plugin.config.enabled = offline or offline_requested()
    started = time.perf_counter()
    try:
        build(config)
    except Abort as exc:
        raise HandoverError(f"the site build stopped: {exc}", hint="with --strict, every MkDocs warning above stops the build") from None
    except (BuildError, PluginError, OSError) as exc:
        raise HandoverError(f"the site build failed: {exc}") from None
    seconds = time.perf_counter() - started
    out = Path(config.site_dir)
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    return BuildResult(out, pages, len(files), sum(p.stat().st_size for p in files), seconds)


def serve_site(kb: KnowledgeBase, *, audience: str, address: str, config_file: Path | None = None) -> None:
    """Preview with live reload: a record edited on disk rebuilds the site."""
    _quiet_material()
    from mkdocs.commands.serve import serve

    os.environ["HANDOVER_AUDIENCE"] = audience
    config_file = config_file or find_mkdocs_config(kb.root)
    if config_file is None:
        import tempfile

        generated = Path(tempfile.mkdtemp(prefix="handover-serve-")) / "mkdocs.yml"
        generated.write_text(default_config(kb), encoding="utf-8")
        config_file = generated
    serve(config_file=str(config_file), livereload=True, dev_addr=address, docs_dir=str(kb.root.resolve()))
