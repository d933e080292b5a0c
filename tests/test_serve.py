"""`handover serve` and plain `mkdocs serve` show an edited record's new content (issue 15, item 3).

A real server process on a free port, a real edit of the record file, the page
fetched over HTTP until it changes (or the time runs out)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED_KB, REPO

PAGE = "team/lea-martin/"
BEFORE = "Stagiaire de Master 2 communication numérique"
AFTER = "Stagiaire de Master 2 en alternance bimensuelle, communication numérique"
NEW_KEY = "bimensuell"  # `bimensuelle` as the search index keys it (searchindex.word_key); in no other record


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, seconds: float) -> float | None:
    """Seconds until the page holds `text`, or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in fetch(url):
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def index_script(port: int, path: str) -> list[Any]:
    """The arguments of one file of the site's search index (`HandoverSearch.call(a, b);`)."""
    text = fetch(f"http://127.0.0.1:{port}/_handover/search/{path}")
    if not text:
        return []
    return list(json.loads("[" + text[text.index("(") + 1 : text.rindex(")")] + "]"))


def indexed_pages(port: int) -> tuple[set[str], set[str]]:
    """The URLs of the search index's documents and every key it holds."""
    manifest = (index_script(port, "index.js") or [{}])[0]
    urls: set[str] = set()
    for bucket in range(0, manifest.get("documents", 0), manifest.get("bucket", 100)):
        urls |= {row[1] for row in index_script(port, f"d/{bucket // manifest['bucket']}.js")[1]}
    keys: set[str] = set()
    for name in manifest.get("shards", {}).values():
        keys |= set(index_script(port, f"t/{name}.js")[1])
    return urls, keys


@pytest.mark.parametrize("server", ["handover", "mkdocs"])
def test_an_edited_record_is_served_with_its_new_content(tmp_path: Path, server: str):
    shutil.copytree(BUNDLED_KB, tmp_path / "kb")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    port = free_port()
    command = ([sys.executable, "-m", "handover", "serve", "kb", "-a", f"127.0.0.1:{port}"] if server == "handover"
               else [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"])
    env = {k: v for k, v in os.environ.items() if k != "HANDOVER_KB"}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/{PAGE}"
        assert wait_for(url, BEFORE, 180) is not None, "the server never served the page"
        pages_before, keys_before = indexed_pages(port)
        assert len(pages_before) > 50 and NEW_KEY not in keys_before
        record = tmp_path / "kb" / "team" / "lea-martin.yml"
        record.write_text(record.read_text(encoding="utf-8").replace("Stagiaire de Master 2 communication numérique",
                                                                     AFTER), encoding="utf-8")
        assert wait_for(url, AFTER, 120) is not None, "the edited record's page still shows the old content"
        # the search index still covers every page, and knows the new word (a dirty
        # rebuild writes only the pages whose Markdown changed, and the whole index)
        deadline = time.monotonic() + 60
        while NEW_KEY not in indexed_pages(port)[1] and time.monotonic() < deadline:
            time.sleep(0.5)
        pages_after, keys_after = indexed_pages(port)
        assert pages_after == pages_before and "team/lea-martin/" in pages_after
        assert NEW_KEY in keys_after
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
