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


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own session, as a terminal's Ctrl-C would (SIGINT:
    plain `mkdocs serve` then removes its temporary site folder); kill it if it hangs."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


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
        stop(process)


def test_added_deleted_and_invalid_records_while_serving(tmp_path: Path):
    """A record added gets its page and its row in the index; a record deleted loses
    both; an edit that makes the knowledge base invalid is reported on stderr, and
    mending it is served. (handover serve keeps each record's parse and checks between
    rebuilds and hears of edits from the kernel: none of that may hide a change.)"""
    shutil.copytree(BUNDLED_KB, tmp_path / "kb")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    kb = tmp_path / "kb"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HANDOVER_KB"}
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "handover", "serve", "kb", "-a", f"127.0.0.1:{port}"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/contacts/hugo-lefebvre/", "Hugo", 180) is not None, "the server never served the page"
        assert "Hugo" in fetch(f"{base}/contacts/")
        (kb / "contacts" / "ines-nouvelle.yml").write_text("name: Inès Nouvelle\norganization: Vélo Club de Test\ndepartment: media\n"
                                                          "reviewed_on: 2026-11-01\n", encoding="utf-8")
        assert wait_for(f"{base}/contacts/ines-nouvelle/", "Vélo Club de Test", 120) is not None, "the added record has no page"
        assert wait_for(f"{base}/contacts/", "Inès Nouvelle", 60) is not None, "the added record is not in its index"
        (kb / "contacts" / "hugo-lefebvre.yml").unlink()
        deadline = time.monotonic() + 120
        while "Hugo Lefebvre" in fetch(f"{base}/contacts/") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "Hugo Lefebvre" not in fetch(f"{base}/contacts/"), "the deleted record is still in its index"
        assert "Hugo" not in fetch(f"{base}/contacts/hugo-lefebvre/"), "the deleted record's page is still served"
        record = kb / "contacts" / "ines-nouvelle.yml"
        record.write_text(record.read_text(encoding="utf-8").replace("department: media", "department: [pas, un, service]"), encoding="utf-8")
        deadline = time.monotonic() + 120
        while "ines-nouvelle.yml" not in (tmp_path / "serve.log").read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        reported = (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert "the knowledge base has 1 error" in reported and "contacts/ines-nouvelle.yml" in reported, reported[-2000:]
        record.write_text(record.read_text(encoding="utf-8").replace("department: [pas, un, service]", "department: media")
                          .replace("Vélo Club de Test", "Vélo Club Réparé"), encoding="utf-8")
        assert wait_for(f"{base}/contacts/ines-nouvelle/", "Vélo Club Réparé", 120) is not None, "the mended record is not served"
    finally:
        stop(process)
        log.close()


def test_the_change_folders_of_killed_servers_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """serve's one-file folder (site/mkdocs/watch.py) outlives a server killed by
    SIGTERM; the next server removes it, and nothing of a live process or not ours."""
    from handover.site.mkdocs import watch

    monkeypatch.setattr(watch.tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    folders = {name: tmp_path / f"{watch.PREFIX}{pid}-x" for name, pid in (("dead", dead.stdout.strip()), ("alive", os.getpid()))}
    for folder in folders.values():
        folder.mkdir()
        (folder / "changed").write_text("..", encoding="utf-8")
    not_ours = tmp_path / f"{watch.PREFIX}{dead.stdout.strip()}-y"
    not_ours.mkdir()
    (not_ours / "notes.txt").write_text("mine", encoding="utf-8")
    watch._remove_orphans()
    assert not folders["dead"].exists()
    assert folders["alive"].exists() and not_ours.exists()


def test_a_server_stopped_by_sigterm_leaves_nothing_in_tmp(tmp_path: Path):
    """SIGTERM (a service manager, `kill`) stops `handover serve` as Ctrl-C does: no
    traceback, exit 0, and neither the made-up mkdocs.yml's folder (a kb without one)
    nor the change folder is left in the temporary folder."""
    shutil.copytree(BUNDLED_KB, tmp_path / "kb")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "HANDOVER_KB"}, "TMPDIR": str(scratch)}
    process = subprocess.Popen([sys.executable, "-m", "handover", "serve", "kb", "-a", f"127.0.0.1:{port}"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/{PAGE}", BEFORE, 180) is not None, "the server never served the page"
        assert list(scratch.glob("handover-serve-*")), "the server made no mkdocs.yml of its own: the test would prove nothing"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            stop(process)
    assert process.returncode == 0 and b"Traceback" not in stderr, stderr.decode("utf-8", "replace")[-2000:]
    assert list(scratch.iterdir()) == []


def test_a_kernel_reported_change_reaches_mkdocs_at_once(tmp_path: Path):
    """The kernel's report of an edit is handed to MkDocs' live-reload server as the event
    its poller would find (site/mkdocs/internals.wake_server), not left for the next
    poll: with this MkDocs and watchdog the direct way is taken, and the event reaches
    the handlers of the folder MkDocs watches (a second handler on the same watch here,
    as MkDocs' own sits beside it)."""
    import threading

    from mkdocs.livereload import LiveReloadServer
    from watchdog.events import FileSystemEvent, FileSystemEventHandler

    from handover.site.mkdocs.internals import wake_server

    folder = tmp_path / "changes"
    folder.mkdir()
    (tmp_path / "site").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path / "site"))
    heard = threading.Event()

    class Listener(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.src_path == str(folder / "changed"):
                heard.set()

    server.watch(str(folder))
    server.observer.schedule(Listener(), str(folder), recursive=True)
    server.observer.start()
    try:
        assert wake_server(server, str(folder), str(folder / "changed"))
        assert heard.wait(10), "the event never reached the folder's handlers"
        assert not (folder / "changed").exists()  # no file touched: MkDocs' poller has nothing to find again
    finally:
        server.observer.stop()
        server.observer.join(timeout=5)
        server.server_close()
