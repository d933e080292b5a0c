"""Building and serving the site with MkDocs: the only place that drives MkDocs.

The repository's mkdocs.yml is used when there is one (in the knowledge base or the
folder above it); otherwise a plain Material configuration is made up from
handover.yml, so any knowledge-base folder builds.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handover.core import environment
from handover.core.errors import HandoverError
from handover.files.atomic import swap_folder_in
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
                  "features": ["content.code.copy", "navigation.instant"]},
        "plugins": ["tags", {"offline": {"enabled": False}}, "handover"],
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
    target = Path(config.site_dir)
    check_replaceable(target)  # before any work: never delete what handover did not make
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.handover-build-", dir=_parent(target)))
    config.site_dir = str(staging)
    plugin = _plugin(config, "handover", HandoverPlugin)
    plugin.config.audience = audience
    plugin.config.check = False  # handover build validated already
    plugin.kb, plugin.today = kb, today
    offline_plugin = _plugin(config, "material/offline", OfflinePlugin)
    offline_plugin.config.enabled = offline or offline_requested()
    started = time.perf_counter()
    try:
        try:
            build(config)
        except Abort as exc:
            raise HandoverError(f"the site build stopped: {exc}", hint="with --strict, every MkDocs warning above stops the build") from None
        except (BuildError, PluginError, OSError) as exc:
            raise HandoverError(f"the site build failed: {exc}") from None
        files = [p for p in staging.rglob("*") if p.is_file()]
        write_marker(staging, files)
        swap_folder_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)  # ours: made above, never a user's folder
    seconds = time.perf_counter() - started
    files = [target / p.relative_to(staging) for p in files]
    pages = sum(1 for p in files if p.suffix == ".html")
    return BuildResult(target, pages, len(files), sum(p.stat().st_size for p in files), seconds)


# A site handover built holds this file: the list of every file the build wrote. A
# later build replaces the folder only when it holds nothing else, so nothing that
# handover did not make is ever deleted.
MARKER = ".handover-site"
MARKER_HEAD = "# Made by `handover build`: the files of this site, which the next build replaces. Do not add files here.\n"


def _parent(target: Path) -> Path:
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def write_marker(site: Path, files: list[Path]) -> None:
    listing = sorted(p.relative_to(site).as_posix() for p in files)
    (site / MARKER).write_text(MARKER_HEAD + "".join(f"{name}\n" for name in listing), encoding="utf-8")


def foreign_files(site: Path) -> list[str]:
    """Files in an existing site folder that no handover build wrote (all of them when there is no marker)."""
    marker = site / MARKER
    made: set[str] = set()
    if marker.is_file():
        made = {line for line in marker.read_text(encoding="utf-8", errors="replace").splitlines() if line and not line.startswith("#")}
        made.add(MARKER)
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if (p.is_file() or p.is_symlink()) and p.relative_to(site).as_posix() not in made)


def check_replaceable(target: Path) -> None:
    """Refuse a site folder holding anything a handover build did not write."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise HandoverError(f"{target}: is not a folder; the site was not built",
                            hint="choose another site folder (-d DIR)")
    foreign = foreign_files(target)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        how = "holds files handover did not write" if (target / MARKER).is_file() else f"is not a site handover built (no {MARKER} in it)"
        raise HandoverError(f"{target}: {how} ({shown}); the site was not built and nothing was deleted",
                            hint="handover only replaces a folder it made: build elsewhere (-d DIR), or move those files out (or delete the folder yourself) first")


def serve_options(kb: KnowledgeBase, *, audience: str, scratch: Path, config_file: Path | None = None) -> dict[str, Any]:
    """What `handover serve` hands to MkDocs' serve, which loads the configuration again
    from them on every rebuild: the mkdocs.yml (made up in `scratch`, a folder that
    lives as long as the server, when there is none), the knowledge base as docs_dir, and the plugins of
    mkdocs.yml with the handover plugin's `audience` option set. The audience travels in
    the configuration, as every other option does; nothing is left in the process's
    environment."""
    config_file = config_file or find_mkdocs_config(kb.root)
    if config_file is None:
        generated = scratch / "mkdocs.yml"
        generated.write_text(default_config(kb), encoding="utf-8")
        config_file = generated
    return {"config_file": str(config_file), "docs_dir": str(kb.root.resolve()), "plugins": _plugins_with(config_file, audience)}


def _plugins_with(config_file: Path, audience: str) -> list[Any]:
    """mkdocs.yml's `plugins` as written (a list or a mapping), with `handover` given
    the audience (and added when mkdocs.yml leaves it out, as `handover build` does)."""
    from handover.site.mkdocs.internals import read_mkdocs_yml

    with _plain_offline_variable(), config_file.open("rb") as stream:
        raw = read_mkdocs_yml(stream) or {}
    entries = raw.get("plugins", ["search"])
    pairs = list(entries.items()) if isinstance(entries, dict) else [
        (entry, None) if isinstance(entry, str) else next(iter(entry.items())) for entry in entries]
    if "handover" not in (name for name, _ in pairs):
        pairs.append(("handover", None))
    return _ReadAfresh({name: {**(options or {}), "audience": audience}} if name == "handover" else {name: options} if options is not None else name
                       for name, options in pairs)


class _ReadAfresh(list[Any]):
    """A list MkDocs may read more than once: serve validates the same `plugins`
    override on every rebuild, and validation empties each entry it reads
    (`dict.popitem`), so each reading gets copies."""

    def __iter__(self) -> Iterator[Any]:
        return iter(copy.deepcopy([*list.__iter__(self)]))


def serve_site(kb: KnowledgeBase, *, audience: str, address: str, config_file: Path | None = None) -> None:
    """Preview with live reload: a record edited on disk rebuilds the site."""
    _quiet_material()
    from mkdocs.commands.serve import serve

    # dirty: a rebuild builds only the pages whose content changed (the plugin tells
    # MkDocs which generated pages did not), so an edit shows in seconds, not minutes
    # the made-up mkdocs.yml lives as long as the server, and goes with it
    with tempfile.TemporaryDirectory(prefix="handover-serve-") as scratch:
        options = serve_options(kb, audience=audience, config_file=config_file, scratch=Path(scratch))
        serve(livereload=True, build_type="dirty", dev_addr=address, **options)
