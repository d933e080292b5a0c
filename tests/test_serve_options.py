"""`handover serve` gives the MkDocs plugin its audience through the configuration MkDocs
loads (the plugin's `audience` option), not through the process's environment (issue 14).

A real server is exercised by test_serve.py; here the configuration `handover serve`
hands to MkDocs' serve is loaded and built by MkDocs itself, as serve does on each
rebuild, and the audience must come through."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from conftest import REPO, write

from handover.records.model import load_kb
from handover.site.mkdocs.build import serve_options


def _build(options: dict[str, object], site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(site_dir=str(site), **options))


def test_serve_builds_for_the_audience_it_is_given(kb_copy: Path, tmp_path: Path):
    shutil.copy(REPO / "mkdocs.yml", kb_copy.parent / "mkdocs.yml")
    environment = dict(os.environ)
    kb = load_kb(str(kb_copy))
    for audience in ("public", "internal"):
        options = serve_options(kb, audience=audience, scratch=tmp_path)
        assert options["config_file"] == str(kb_copy.parent / "mkdocs.yml")
        _build(options, tmp_path / audience)
        _build(options, tmp_path / audience)  # serve loads the same options again on every rebuild
    public, internal = tmp_path / "public", tmp_path / "internal"
    assert (public / "accounts" / "forum-roue-libre" / "index.html").is_file()  # visibility: public
    assert not (public / "team" / "lea-martin" / "index.html").exists()  # internal: not on the public site
    assert (internal / "team" / "lea-martin" / "index.html").is_file()
    assert {k: v for k, v in os.environ.items() if k.startswith("HANDOVER")} == {k: v for k, v in environment.items() if k.startswith("HANDOVER")}


def test_the_plugins_of_mkdocs_yml_are_kept_in_their_order(tmp_path: Path):
    kb_root = tmp_path / "kb"
    write(kb_root, "handover.yml", "community: Test\n")
    kb = load_kb(str(kb_root))
    write(tmp_path, "mkdocs.yml", "site_name: T\nplugins:\n  - search:\n      lang: [en]\n  - handover:\n      history: false\n  - tags\n")
    assert serve_options(kb, audience="public", scratch=tmp_path)["plugins"] == [{"search": {"lang": ["en"]}}, {"handover": {"history": False, "audience": "public"}}, "tags"]
    write(tmp_path, "mkdocs.yml", "site_name: T\nplugins:\n  search: {}\n")  # the mapping form, without handover: it is added
    assert serve_options(kb, audience="restricted", scratch=tmp_path)["plugins"] == [{"search": {}}, {"handover": {"audience": "restricted"}}]
    (tmp_path / "mkdocs.yml").unlink()  # no mkdocs.yml: a made-up one, with the handover plugin
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    options = serve_options(kb, audience="internal", scratch=scratch)
    assert Path(str(options["config_file"])).name == "mkdocs.yml" and {"handover": {"audience": "internal"}} in options["plugins"]  # type: ignore[operator]


def test_no_code_passes_the_audience_through_the_environment():
    sources = [p for p in (REPO / "handover").rglob("*.py") if "HANDOVER_AUDIENCE" in p.read_text(encoding="utf-8")]
    assert sources == []


def test_the_made_up_mkdocs_yml_goes_with_the_server(kb_copy: Path, tmp_path: Path):
    """A kb without mkdocs.yml is served with one made up in a temporary folder, which
    must not outlive the server: here `handover serve` stops at once (its port is
    taken). In a process of its own: MkDocs keeps a served plugin for later builds."""
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        env = {**os.environ, "TMPDIR": str(scratch_root)}
        env.pop("HANDOVER_KB", None)
        done = subprocess.run([sys.executable, "-m", "handover", "serve", str(kb_copy), "-a", f"127.0.0.1:{taken.getsockname()[1]}"],
                              env=env, capture_output=True, text=True, timeout=120)
    finally:
        taken.close()
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert not list(scratch_root.glob("handover-serve-*"))
