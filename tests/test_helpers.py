"""One of each helper (issue 14): where two copies disagreed, the behaviour chosen."""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import PluginError

from conftest import BUNDLED_KB, KB_TODAY, write

from handover.checks import run_checks
from handover.cli import cli
from handover.commands.triage import find_author
from handover.core import environment
from handover.core.errors import UsageError
from handover.files.atomic import atomic_output, atomic_write, new_file_mode
from handover.files.lock import CACHE_DIR, LockHeld, kb_lock
from handover.git.changes import by_author
from handover.git.commits import Commit
from handover.records.fold import fold, fold_in_columns, slugify
from handover.records.model import load_kb
from handover.records.values import normalise_handle
from handover.search.cache import BUILD_LOCK, build_lock, cache_folder
from handover.site.mkdocs.plugin import HandoverPlugin


def test_slug_spells_out_ligatures():
    # model._suggest_slug gave "lebuf", commands/new.slugify "leboeuf": one slug now.
    assert slugify("Frédérique Lebœuf") == "frederique-leboeuf"
    assert slugify("Æsa Straße, Łódź") == "aesa-strasse-lodz"
    assert slugify("¡¿?!") == ""
    assert slugify("un titre " * 20, limit=20) == "un-titre-un-titre"  # cut at a hyphen


def test_file_name_hint_and_new_id_agree(valid_kb: Path):
    write(valid_kb, "contacts/Lebœuf.yml", "name: Frédérique Lebœuf\n")
    problems = [p for p in run_checks(load_kb(str(valid_kb)), KB_TODAY).problems if p.code == "E111"]
    assert len(problems) == 1 and "e.g. leboeuf.yml" in problems[0].message
    result = CliRunner().invoke(cli, ["new", "contacts", "--kb", str(valid_kb), "--no-input", "--today", KB_TODAY.isoformat(),
                                      "-s", "name=Frédérique Lebœuf", "-s", "organization=Presse", "-s", "department=legal",
                                      "-s", "channels.email=fl@example.org"])
    assert result.exit_code == 0, result.output
    assert (valid_kb / "contacts" / "frederique-leboeuf.yml").is_file()


def test_fold_drops_accents_and_spells_out_ligatures():
    assert fold("Modération") == "Moderation"
    assert fold("Lebœuf Æsir Straße") == "Leboeuf Aesir Strasse"
    assert fold("securite") == "securite"


def test_fold_in_columns_keeps_one_character_for_one():
    text = "Mot de passe: Lebœuf"
    folded = fold_in_columns("MOT DE PASSE: Élodie Lebœuf")
    assert folded == "mot de passe: elodie lebœuf" and len(folded) == len("MOT DE PASSE: Élodie Lebœuf")
    assert fold_in_columns(text) == text.lower()


def test_author_filter_ignores_accents_case_and_ligatures():
    commit = Commit("0" * 40, (), "Léa Lebœuf", "lea@example.org", dt.datetime(2026, 11, 1, tzinfo=dt.UTC), "x")
    assert by_author(commit, "lea") and by_author(commit, "LEBOEUF") and by_author(commit, " lebœuf ")
    assert not by_author(commit, "claire")


def test_handle_normalisation_ignores_at_case_and_surrounding_spaces():
    assert normalise_handle("@CyclisteGrinch") == normalise_handle("cyclistegrinch") == normalise_handle("  @cyclisteGrinch\n") == "cyclistegrinch"
    assert normalise_handle("cycliste grinch") != "cyclistegrinch"  # inner spaces are not trimmed away


def test_triage_and_validate_compare_handles_the_same_way(valid_kb: Path):
    kb = load_kb(str(valid_kb))
    record = next(r for r in kb.records["influencers"].values() if isinstance(r.data.get("handles"), dict) and r.data["handles"])
    platform, handle = next(iter(record.data["handles"].items()))
    found = find_author(kb, f"  @{handle.lstrip('@').upper()} ", platform)
    assert found is not None and (found.kind, found.id) == ("influencers", record.id)
    # the same handle, written otherwise, on a second influencer is a duplicate for validate
    write(valid_kb, "influencers/twin.yml", f"name: Twin\nhandles:\n  {platform}: '@{handle.lstrip('@').upper()}'\n")
    problems = run_checks(load_kb(str(valid_kb)), KB_TODAY).problems
    assert any(p.code == "E304" and "twin.yml" in p.path for p in problems)


def test_atomic_write_gives_a_new_file_the_usual_permissions(tmp_path: Path):
    target = tmp_path / "new.txt"
    atomic_write(target, "x\n")
    assert stat.S_IMODE(target.stat().st_mode) == new_file_mode() != 0o600
    os.chmod(target, 0o640)
    with atomic_output(target) as handle:
        handle.write(b"y\n")
    assert target.read_bytes() == b"y\n" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_atomic_output_leaves_the_target_whole_on_error(tmp_path: Path):
    target = tmp_path / "keep.txt"
    target.write_text("old\n", encoding="utf-8")
    try:
        with atomic_output(target) as handle:
            handle.write(b"half")
            raise RuntimeError("killed halfway")
    except RuntimeError:
        pass
    assert target.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_export_zip_has_normal_permissions(valid_kb: Path, tmp_path: Path):
    # The pack went through mkstemp alone and came out 0600; it now honours the umask,
    # and a pack written over an existing one keeps that file's permissions.
    out = tmp_path / "out" / "pack.zip"
    args = ["export", "--kb", str(valid_kb), "-o", str(out), "--today", KB_TODAY.isoformat()]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == new_file_mode()
    assert zipfile.ZipFile(out).testzip() is None
    os.chmod(out, 0o600)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["pack.zip"]


def test_one_cache_folder_and_one_lock(tmp_path: Path):
    # search/cache and files/lock each had their own CACHE_DIR and their own flock.
    folder = cache_folder(tmp_path)
    assert folder.parent == tmp_path / CACHE_DIR
    with build_lock(folder):
        with pytest.raises(LockHeld, match=r"\(build the search index, process \d+, since "), kb_lock(tmp_path, "search", cache=BUILD_LOCK, wait=0.1):
            pass
        with kb_lock(tmp_path, "transfer", wait=0):  # the index's build does not stop a transfer
            pass
    with kb_lock(tmp_path, "search", cache=BUILD_LOCK, wait=0):  # released with the block
        pass


def test_today_is_parsed_in_one_place(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("HANDOVER_TODAY", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21 00:00 UTC
    assert environment.today("2026-12-18") == dt.date(2026, 12, 18)
    assert environment.today(epoch=True) == dt.date(2026, 11, 21)
    monkeypatch.setenv("HANDOVER_TODAY", "2026-12-01")
    assert environment.today() == environment.today(epoch=True) == dt.date(2026, 12, 1)
    monkeypatch.setenv("HANDOVER_TODAY", "1er décembre")
    with pytest.raises(UsageError, match="is not a date; write YYYY-MM-DD"):
        environment.today()
    # the CLI and the MkDocs plugin say it in their own way, from the same parser
    result = CliRunner().invoke(cli, ["validate", str(BUNDLED_KB)])
    assert result.exit_code == 2 and '"1er décembre" is not a date; write YYYY-MM-DD' in result.output
    undated = load_kb(str(BUNDLED_KB))
    undated.config.as_of = None  # a real knowledge base: judged on the clock
    with pytest.raises(PluginError, match="HANDOVER_TODAY: \"1er décembre\" is not a date"):
        HandoverPlugin()._today(undated)
    monkeypatch.setenv("HANDOVER_TODAY", "2026-12-01")
    assert HandoverPlugin()._today(undated) == dt.date(2026, 12, 1)


def test_environment_values(monkeypatch: pytest.MonkeyPatch):
    for text, jobs in (("3", 3), ("0", None), ("many", None), ("", None)):
        monkeypatch.setenv("HANDOVER_JOBS", text)
        assert environment.jobs() == jobs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert environment.source_date_epoch() is None
    monkeypatch.setenv("HANDOVER_KB", "")
    assert environment.kb_path() is None
