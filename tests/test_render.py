"""handover render: the site's source as plain files, built by MkDocs, ProperDocs and
Zensical without handover's plugin, giving the pages `handover build` gives."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB

from handover.cli import cli
from handover.records.model import load_kb

TODAY = "2026-12-02"
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "-q"],
    "properdocs": [str(Path(sys.executable).with_name("properdocs")), "build", "-q"],
    "zensical": [str(Path(sys.executable).with_name("zensical")), "build"],
}


def render(kb: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    result = CliRunner().invoke(cli, ["render", str(kb), "-o", str(out), "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    return None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "source"
    render(BUNDLED_KB, out)
    return out


def record_pages() -> list[str]:
    kb = load_kb(str(BUNDLED_KB))
    return [f"{record.kind.folder}/{record.id}/index.html" for record in kb.all_records()]


def article_text(page: Path) -> str:
    match = re.search(r"<article[^>]*>(.*?)</article>", page.read_text(encoding="utf-8"), re.DOTALL)
    assert match, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_the_tree_needs_no_plugin(rendered: Path):
    config = (rendered / "mkdocs.yml").read_text(encoding="utf-8")
    assert "handover" not in re.findall(r"^plugins:\n((?:- .*\n|  .*\n)*)", config, re.MULTILINE)[0]
    assert "<!--handover-html-->" not in (rendered / "docs" / "accounts" / "instagram-cyclesmorvan.md").read_text(encoding="utf-8")
    assert not list((rendered / "docs").rglob("*.yml"))  # raw records are never published as they are
    assert (rendered / "docs" / "guide" / "bienvenue.md").is_file() and (rendered / "docs" / "_handover" / "handover.css").is_file()


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_each_engine_builds_every_record_page(rendered: Path, tmp_path: Path, engine: str):
    tree = tmp_path / "tree"
    shutil.copytree(rendered, tree)
    result = subprocess.run(ENGINES[engine], check=False, cwd=tree, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    missing = [page for page in record_pages() if not (tree / "site" / page).is_file()]
    assert missing == []
    assert "Léa Martin" in (tree / "site" / "team" / "lea-martin" / "index.html").read_text(encoding="utf-8")
    # handover's search is plain assets: its index and its script come along, on every engine
    assert (tree / "site" / "_handover" / "search" / "index.js").is_file()
    assert "_handover/handover-search.js" in (tree / "site" / "team" / "lea-martin" / "index.html").read_text(encoding="utf-8")


def test_same_pages_as_handover_build(rendered: Path, tmp_path: Path):
    built = tmp_path / "built"
    result = CliRunner().invoke(cli, ["build", str(BUNDLED_KB), "-d", str(built), "--today", TODAY])
    assert result.exit_code == 0, result.output
    tree = tmp_path / "tree"
    shutil.copytree(rendered, tree)
    subprocess.run(ENGINES["mkdocs"], cwd=tree, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    ours = {p.relative_to(built).as_posix() for p in built.rglob("*.html")}
    theirs = {p.relative_to(tree / "site").as_posix() for p in (tree / "site").rglob("*.html")}
    assert ours == theirs
    different = [page for page in sorted(ours) if article_text(built / page) != article_text(tree / "site" / page)] if ours else ["none"]
    assert different == []
    index = {p.relative_to(built).as_posix(): p.read_bytes() for p in (built / "_handover" / "search").rglob("*.js")}
    assert index and index == {p.relative_to(tree / "site").as_posix(): p.read_bytes() for p in (tree / "site" / "_handover" / "search").rglob("*.js")}


def test_public_render_leaves_out_internal_records(tmp_path: Path):
    render(BUNDLED_KB, tmp_path / "public", "--audience", "public")
    docs = tmp_path / "public" / "docs"
    assert not (docs / "team" / "lea-martin.md").exists() and not (docs / "contacts").exists()


def test_never_replaces_a_folder_it_did_not_make(tmp_path: Path):
    out = tmp_path / "site-source"
    out.mkdir()
    (out / "important.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(BUNDLED_KB), "-o", str(out), "--today", TODAY])
    assert result.exit_code == 1 and "did not render" in result.output and "Traceback" not in result.output
    assert (out / "important.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site-source"]  # no staging folder left behind


def test_rendering_again_replaces_its_own_folder(tmp_path: Path):
    out = tmp_path / "source"
    render(BUNDLED_KB, out)
    (out / "docs" / "stale.md").write_text("# left from last time", encoding="utf-8")
    render(BUNDLED_KB, out)
    assert not (out / "docs" / "stale.md").exists() and (out / "mkdocs.yml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source"]
