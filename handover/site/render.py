"""`handover render`: the whole site source as plain files, for any engine.

Writes, into one folder, what an engine needs to build the site without handover's
plugin: `docs/` with the generated Markdown pages (records, indexes, dashboard, tags,
recent changes), the guide pages the audience may see, the other files of the
knowledge base (images…), the site's own CSS and JS, and a `mkdocs.yml` with the
navigation. MkDocs, ProperDocs (its maintained fork) and Zensical (Material's
successor, which reads mkdocs.yml) build it as it is. The pages come from the same
renderer as the plugin's (site/pages/generate.py); only the generated HTML lines lose
the marker that lets the plugin's Markdown extension skip parsing them, so an engine
reads them as ordinary raw HTML blocks.

The folder is written beside its target and swapped in whole; an existing folder is
replaced only if handover rendered it (it holds RENDER_MARK), never otherwise.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from handover.core.errors import HandoverError
from handover.files.atomic import swap_folder_in
from handover.files.yamlio import dump
from handover.records.audience import page_visible
from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase
from handover.site.pages.generate import ASSET_DIR, generate
from handover.site.pages.guide import page_meta, strip_front_matter
from handover.site.pages.rawhtml import MARKER

ASSETS = Path(__file__).parent / "pages" / "assets"
RENDER_MARK = ".handover-render"
MARKDOWN_EXTENSIONS: list[object] = ["admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}},
                                     "pymdownx.superfences", "pymdownx.details"]
FEATURES = ["content.code.copy", "navigation.instant", "navigation.top", "navigation.tracking", "toc.follow"]


@dataclass(frozen=True)
class RenderResult:
    folder: Path
    pages: int  # Markdown pages written (generated and guide)
    files: int  # every file written


def render_site(kb: KnowledgeBase, out: Path, *, audience: str = "internal", today: dt.date, with_history: bool = True) -> RenderResult:
    """Write the site source of `kb` for `audience` into `out` (see the module docstring)."""
    _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        count = _write_tree(kb, staging, audience, today, with_history)
        swap_folder_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return RenderResult(out, count, files)


def _check_target(out: Path) -> None:
    if out.exists() and not (out.is_dir() and (out / RENDER_MARK).is_file()):
        what = "a folder that handover did not render" if out.is_dir() else "a file"
        raise HandoverError(f"{out}: is {what}; render writes only into a new folder or one it rendered before",
                            hint="choose another -o folder, or remove this one yourself if it is yours to remove")


def _write_tree(kb: KnowledgeBase, root: Path, audience: str, today: dt.date, with_history: bool) -> int:
    docs = root / "docs"
    docs.mkdir()
    guide, home_intro = _copy_ordinary_files(kb, docs, audience)
    history = None
    if with_history:
        from handover.git.history import site_history

        history = site_history(Path(kb.root))
    site = generate(kb, audience, today, sorted(guide), home_intro, history, directory_urls=True)
    for uri, content in site.pages.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_plain_markdown(content), encoding="utf-8")
    (docs / ASSET_DIR).mkdir(exist_ok=True)
    for asset in ("handover.css", "handover.js", "handover-search.js"):
        shutil.copyfile(ASSETS / asset, docs / ASSET_DIR / asset)
    for path, content in site.assets.items():  # the search index
        target = docs / ASSET_DIR / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    (root / "mkdocs.yml").write_text(_mkdocs_yml(kb, site.nav), encoding="utf-8")
    (root / RENDER_MARK).write_text(f"Rendered by handover for the {audience} audience on {today}.\n", encoding="utf-8")
    return len(site.pages) + len(guide)


def _copy_ordinary_files(kb: KnowledgeBase, docs: Path, audience: str) -> tuple[list[tuple[str, str]], str]:
    """Guide pages the audience may see, and other files (images), as the plugin keeps
    them: never a record file, a YAML file or a hidden one. Returns the guide pages
    (path, title) and the home page's introduction."""
    guide: list[tuple[str, str]] = []
    home_intro = ""
    root = Path(kb.root)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        top = relative.split("/", 1)[0]
        if not path.is_file() or path.is_symlink() or top in KINDS or relative.endswith((".yml", ".yaml")) \
                or any(part.startswith((".", "_")) for part in relative.split("/")):
            continue
        if relative.endswith(".md"):
            meta, title = page_meta(path)
            if not page_visible(meta, audience):
                continue
            if relative == "index.md":
                home_intro = strip_front_matter(path.read_text(encoding="utf-8"))
                continue
            guide.append((relative, title))
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return guide, home_intro


def _plain_markdown(content: str) -> str:
    """The page without the plugin's marker: each generated line is then a raw HTML
    block (blank lines around it already), which every Markdown engine passes on."""
    return content.replace(MARKER, "")


def _mkdocs_yml(kb: KnowledgeBase, nav: list[object]) -> str:
    language = kb.config.language
    config = {
        "site_name": kb.config.site.get("title") or kb.config.community,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": language, "features": FEATURES, "font": False},
        "plugins": ["tags"],  # no engine's search: handover's own (handover-search.js and its index) comes with the pages
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "extra_css": [f"{ASSET_DIR}/handover.css"],
        "extra_javascript": [f"{ASSET_DIR}/handover.js", f"{ASSET_DIR}/handover-search.js"],
        "nav": nav,
    }
    header = ("# Written by `handover render`: the site source, buildable without handover's plugin\n"
              "# (mkdocs build, properdocs build, zensical build). Rendered again, this folder is replaced.\n")
    return header + dump(config)
