"""handover search: analysis, query syntax, incremental updates and recovery, on real
Whoosh indexes of copies of the bundled knowledge base."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BUNDLED_KB, REPO, write

from handover.cli import cli
from handover.core.errors import UsageError
from handover.records.model import load_kb
from handover.search.cache import cache_folder, current
from handover.search.index import SCHEMA_VERSION, open_index, schema, using_index

LANGUAGE = "fr"


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled kb with its index built once, for the read-only tests."""
    root = tmp_path_factory.mktemp("search") / "kb"
    shutil.copytree(BUNDLED_KB, root, ignore=shutil.ignore_patterns(".handover-cache"))
    open_index(root, LANGUAGE).close()
    return root


def search(root: Path, query: str, **options):
    return using_index(root, LANGUAGE, lambda index: index.search(query, **options))


def refs(root: Path, query: str, limit: int = 200, **options) -> list[str]:
    return [hit.ref for hit in search(root, query, limit=limit, **options).hits]


# --------------------------------------------------------------------------- analysis


def test_inflections_accents_and_case_meet(shared_kb: Path):
    with open_index(shared_kb, LANGUAGE) as index:
        forms = {w: index.words(w) for w in ("moderateurs", "modération", "Modérateur", "MODERATION", "modérer")}
        assert len({tuple(f) for f in forms.values()}) == 1, forms
        assert index.words("annulée") == index.words("annulé") == index.words("annulee")
    found = [refs(shared_kb, q) for q in ("moderateurs", "modération", "Modérateur")]
    assert found[0] == found[1] == found[2]
    assert "charter/moderation" in found[0][:3]


def test_counted_formats_give_whooshs_postings():
    """The text fields count a record's words in one go (CountedFrequency,
    CountedPositions): the postings are the ones Whoosh's own formats make."""
    fields = schema(LANGUAGE)
    text = (BUNDLED_KB / "charter" / "escalade.md").read_text(encoding="utf-8") + " Où est mon vélo ? où EST mon VÉLO"
    for name in ("title", "when", "keywords", "content"):
        field = fields[name]
        own = super(type(field.format), field.format).word_values(text, field.analyzer, mode="index")
        assert sorted(field.format.word_values(text, field.analyzer, mode="index")) == sorted(own), name


def test_stop_words_do_not_match(shared_kb: Path):
    with open_index(shared_kb, LANGUAGE) as index:
        assert index.words("où est mon le la les the my is") == []


def test_typos_widened_only_when_the_exact_word_is_nowhere(shared_kb: Path):
    result = search(shared_kb, "rembourssement")
    assert result.fuzzy == ["rembourssement"]  # as the user wrote it, not its stem
    assert result.hits and result.hits[0].ref == "responses/remboursement-demande"
    livraison = search(shared_kb, "livraizon retard")
    assert livraison.fuzzy == ["livraizon"] and livraison.hits[0].ref == "responses/retard-livraison"
    exact = search(shared_kb, "remboursement")
    assert exact.fuzzy == [] and exact.hits[0].ref == "responses/remboursement-demande"


def test_a_pasted_token_is_not_widened_as_a_typo(shared_kb: Path):
    # a hash or "aaaa…" is no word with a typo (its close spellings cost the cube of its length)
    pasted = search(shared_kb, "remboursment " + "qwertzuiop" * 6)
    assert pasted.fuzzy == ["remboursment"] and pasted.hits[0].ref == "responses/remboursement-demande"


def test_snippet_marks_the_matched_words(shared_kb: Path):
    hit = search(shared_kb, "avocat", kinds=["response"]).hits[0]
    assert hit.ref == "responses/menace-juridique"
    assert "**avocat**" in hit.snippet


# --------------------------------------------------------------------------- query syntax


def test_passages_cut_later_are_those_of_the_search(shared_kb: Path):
    """match_text without passages, then passages() for the hits shown (triage)."""
    message = "remboursement toujours pas reçu, je veux mon argent"
    fields = {"when": 3.0, "title": 2.0, "content": 0.7}
    with open_index(shared_kb, LANGUAGE) as index:
        full = index.match_text(message, kinds=["responses"], limit=5, fields=fields)
        bare = index.match_text(message, kinds=["responses"], limit=5, fields=fields, passages=False)
        later = index.passages(message, "responses", [hit.id for hit in bare.hits], fields=fields)
    assert [h.id for h in bare.hits] == [h.id for h in full.hits] and all(h.snippet == "" for h in bare.hits)
    assert later == {hit.id: hit.snippet for hit in full.hits} and any("**" in text for text in later.values())


def test_field_filters_match_the_records(shared_kb: Path):
    kb = load_kb(str(shared_kb))
    expected = {f"responses/{r.id}" for r in kb.records["responses"].values()
                if "instagram" in r.get("platforms", []) and "crise" in r.get("tags", [])}
    assert expected  # the bundled kb has some
    assert set(refs(shared_kb, "kind:response platform:instagram tag:crise")) == expected
    held = {r.ref for r in kb.all_records() if r.data.get("owner") == "lea-martin"}
    assert set(refs(shared_kb, "owner:lea-martin")) == held
    drafts = {f"responses/{r.id}" for r in kb.records["responses"].values() if r.data.get("status") == "draft"}
    assert set(refs(shared_kb, "kind:responses status:draft")) == drafts


def test_filters_combine_with_words(shared_kb: Path):
    hits = search(shared_kb, "platform:x frein").hits
    assert hits
    kb = load_kb(str(shared_kb))
    for hit in hits:
        record = kb.get(hit.kind, hit.id)
        platforms = set(record.get("platforms", [])) | {record.get("platform")} | set(record.get("handles", {}) or {})
        assert "x" in platforms, hit.ref


def test_kind_option_and_aliases(shared_kb: Path):
    by_option = refs(shared_kb, "frein", kinds=["incident"])
    assert by_option and all(r.startswith("incidents/") for r in by_option)
    assert refs(shared_kb, "kind:incidents frein") == refs(shared_kb, "kind:incident frein") == by_option
    rules = refs(shared_kb, "kind:rule supprimer")
    assert rules and all(r.startswith("charter/") and "#" in r for r in rules)
    assert "charter/moderation#no-delete" in rules
    with pytest.raises(UsageError, match="unknown kind"):
        search(shared_kb, "kind:tweet frein")


def test_boolean_operators_and_phrases(shared_kb: Path):
    any_word = set(refs(shared_kb, "journaliste freins"))
    both = set(refs(shared_kb, "journaliste AND freins"))
    assert both and both < any_word
    phrase = set(refs(shared_kb, '"droit de réponse"'))
    assert "charter/escalade#right-of-reply" in phrase
    assert phrase <= set(refs(shared_kb, "droit AND réponse"))
    without = refs(shared_kb, "frein NOT kind:incident")
    assert without and not any(r.startswith("incidents/") for r in without)
    either = set(refs(shared_kb, "tag:boycott OR tag:piratage"))
    assert either == set(refs(shared_kb, "tag:boycott")) | set(refs(shared_kb, "tag:piratage"))


def test_any_of_the_words_ranked_by_how_many_match(shared_kb: Path):
    hits = search(shared_kb, "commande annulée où est mon argent").hits
    assert hits[0].ref == "responses/remboursement-demande"
    assert len(hits) > 1  # the records with only some of the words come after


def test_common_words_only_rank(shared_kb: Path):
    with open_index(shared_kb, LANGUAGE) as index:
        common, = index.words("vélo")
        rare, = index.words("avocat")
        assert index.frequency(common) > 0.1 * index.document_count() >= index.frequency(rare)
    both = search(shared_kb, "vélo avocat", limit=200)
    assert {h.ref for h in both.hits} == set(refs(shared_kb, "avocat"))  # "vélo" selects nothing more
    assert set(refs(shared_kb, "vélo")) - set(refs(shared_kb, "avocat"))  # alone, it still selects records


# --------------------------------------------------------------------------- incremental updates


def test_one_changed_file_is_the_only_one_reindexed(kb_copy: Path):
    open_index(kb_copy, LANGUAGE).close()
    path = kb_copy / "contacts" / "camille-rey.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# Nouveau : elle couvre aussi le cyclotourisme en Ardèche.\n", encoding="utf-8")
    write(kb_copy, "contacts/nouveau-contact.yml", "name: Zoé Quintard\norganization: Radio Ardèche\ndepartment: media\nchannels: {email: zoe@radio.example}\nnotes: spécialiste du xylophone\n")
    with open_index(kb_copy, LANGUAGE) as index:
        assert (index.status.updated, index.status.added, index.status.removed, index.status.rebuilt) == (1, 1, 0, False)
        assert [h.ref for h in index.search("xylophone").hits] == ["contacts/nouveau-contact"]
    with open_index(kb_copy, LANGUAGE) as index:  # nothing changed since
        assert (index.status.updated, index.status.added, index.status.removed) == (0, 0, 0)


def test_a_changed_record_is_found_by_its_new_words_only(kb_copy: Path):
    open_index(kb_copy, LANGUAGE).close()
    path = kb_copy / "responses" / "retard-livraison.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Retard de livraison", "Livraison en souffrance"), encoding="utf-8")
    with open_index(kb_copy, LANGUAGE) as index:
        assert index.status.updated == 1
        assert index.search("souffrance").hits[0].ref == "responses/retard-livraison"
        assert index.search("title:retard").total == 0 or all(h.ref != "responses/retard-livraison" for h in index.search("title:retard").hits)


def test_deleted_file_is_removed(kb_copy: Path):
    assert "responses/menace-juridique" in refs(kb_copy, "avocat")
    (kb_copy / "responses" / "menace-juridique.md").unlink()
    with open_index(kb_copy, LANGUAGE) as index:
        assert (index.status.removed, index.status.updated, index.status.rebuilt) == (1, 0, False)
        assert "responses/menace-juridique" not in [h.ref for h in index.search("avocat", limit=100).hits]


def test_touched_but_unchanged_file_is_not_reindexed(kb_copy: Path):
    open_index(kb_copy, LANGUAGE).close()
    path = kb_copy / "team" / "lea-martin.yml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    with open_index(kb_copy, LANGUAGE) as index:
        assert (index.status.updated, index.status.added, index.status.rebuilt) == (0, 0, False)
    with open_index(kb_copy, LANGUAGE) as index:  # the new stat was remembered: not even hashed again
        assert index.status.updated == 0


def test_unreadable_record_is_skipped_and_reported(kb_copy: Path):
    write(kb_copy, "contacts/casse.yml", "name: [unclosed\n")
    with open_index(kb_copy, LANGUAGE) as index:
        assert index.status.unreadable == ["contacts/casse.yml"]
        assert index.search("avocat").hits  # the others still answer


# --------------------------------------------------------------------------- recovery


def index_dir(root: Path) -> Path:
    folder = current(cache_folder(root))
    assert folder is not None
    return folder


def whoosh_files(root: Path) -> list[Path]:
    return sorted(p for p in index_dir(root).iterdir() if p.name != "manifest.json" and not p.name.endswith("LOCK"))


def test_missing_index_is_built(kb_copy: Path):
    result = search(kb_copy, "avocat")
    assert result.status.rebuilt and result.status.reason == "no index yet"
    assert result.hits and (kb_copy / ".handover-cache" / "search" / "CURRENT").is_file()


@pytest.mark.parametrize("damage", ["delete", "garble", "truncate"])
def test_damaged_index_file_is_rebuilt(kb_copy: Path, damage: str):
    before = refs(kb_copy, "avocat")
    for number in range(len(whoosh_files(kb_copy))):  # each file in turn (a rebuild renames them)
        victim = whoosh_files(kb_copy)[number]
        if damage == "delete":
            victim.unlink()
        elif damage == "garble":
            victim.write_bytes(b"\x00garbage\xff" * 100)
        else:
            victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
        result = search(kb_copy, "avocat", limit=200)
        assert result.status.rebuilt and "index" in result.status.reason, damage
        assert [hit.ref for hit in result.hits] == before


def test_garbled_file_with_the_same_size_and_date_is_caught_while_searching(kb_copy: Path):
    """Damage the fingerprint cannot see: Whoosh trips on it, the search rebuilds and answers."""
    before = refs(kb_copy, "avocat")
    for number in range(len(whoosh_files(kb_copy))):
        victim = whoosh_files(kb_copy)[number]
        stat = victim.stat()
        victim.write_bytes(bytes(255 - b for b in victim.read_bytes()))
        os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert refs(kb_copy, "avocat") == before


@pytest.mark.parametrize("damage", ["manifest", "current", "schema", "language"])
def test_bookkeeping_damage_is_rebuilt(kb_copy: Path, damage: str):
    before = refs(kb_copy, "avocat")
    manifest = index_dir(kb_copy) / "manifest.json"
    if damage == "manifest":
        manifest.write_text("{not json", encoding="utf-8")
    elif damage == "current":
        (cache_folder(kb_copy) / "CURRENT").write_text("../../etc\n", encoding="utf-8")
    else:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["schema" if damage == "schema" else "language"] = SCHEMA_VERSION - 1 if damage == "schema" else "de"
        manifest.write_text(json.dumps(data), encoding="utf-8")
    result = search(kb_copy, "avocat", limit=200)
    assert result.status.rebuilt and [hit.ref for hit in result.hits] == before
    assert len([p for p in cache_folder(kb_copy).iterdir() if p.is_dir()]) == 1  # the old index is gone


def test_language_change_rebuilds(kb_copy: Path):
    open_index(kb_copy, LANGUAGE).close()
    with open_index(kb_copy, "en") as index:
        assert index.status.rebuilt and "language" in index.status.reason


def test_cache_that_cannot_be_written_gives_an_index_in_memory(kb_copy: Path, shared_kb: Path):
    (kb_copy / ".handover-cache").write_text("not a folder", encoding="utf-8")
    result = search(kb_copy, "avocat", limit=200)
    assert result.status.in_memory and [hit.ref for hit in result.hits] == refs(shared_kb, "avocat")


def test_concurrent_first_searches_both_answer(kb_copy: Path):
    command = [sys.executable, "-m", "handover", "search", "avocat", "--kb", str(kb_copy), "--json"]
    processes = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in processes]
    answers = []
    for (out, err), process in zip(outputs, processes, strict=True):
        assert process.returncode == 0, err
        answers.append(json.loads(out))
    assert [a["results"] for a in answers[1:]] == [answers[0]["results"]] * 2
    assert sum(a["index"]["rebuilt"] for a in answers) == 1  # one built it, the others waited and used it
    assert search(kb_copy, "avocat").status.rebuilt is False


# --------------------------------------------------------------------------- the command


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_cli_search_text(shared_kb: Path):
    result = run("search", "moderateurs", "--kb", str(shared_kb), "-n", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("2 of ") and 'results for "moderateurs"' in lines[0]
    assert any(line.startswith("charter/moderation  Charte de modération") for line in lines)
    assert "**" in result.output


def test_cli_search_json(shared_kb: Path):
    result = run("search", "avocat", "--kb", str(shared_kb), "--kind", "response", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["results"][0]["ref"] == "responses/menace-juridique"
    assert set(payload["results"][0]) == {"ref", "kind", "id", "title", "path", "score", "snippet"}
    assert payload["index"]["rebuilt"] is False and payload["fuzzy"] == []


def test_cli_search_no_results_and_bad_kind(shared_kb: Path):
    empty = run("search", "kind:response tag:inexistant", "--kb", str(shared_kb))
    assert empty.exit_code == 0 and 'no results for "kind:response tag:inexistant"' in empty.output
    bad = run("search", "frein", "--kind", "tweet", "--kb", str(shared_kb))
    assert bad.exit_code == 2 and "unknown kind" in bad.output


@pytest.mark.parametrize("query", ['"unclosed', "((frein", "kind:", "tag:", "AND", "NOT", "OR OR", ":", "*", "frein~", "title:[a TO", "^2", "\\", ""])
def test_odd_queries_never_trace_back(shared_kb: Path, query: str):
    process = subprocess.run([sys.executable, "-m", "handover", "search", query, "--kb", str(shared_kb)],
                             cwd=REPO, capture_output=True, text=True)
    assert process.returncode in (0, 2), process.stderr
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr


def test_cli_rebuild_after_damage_answers_without_traceback(kb_copy: Path):
    open_index(kb_copy, LANGUAGE).close()
    for victim in whoosh_files(kb_copy):
        victim.write_bytes(b"garbled")
    process = subprocess.run([sys.executable, "-m", "handover", "search", "avocat", "--kb", str(kb_copy)],
                             cwd=REPO, capture_output=True, text=True)
    assert process.returncode == 0 and "responses/menace-juridique" in process.stdout and "contacts/cabinet-lemaire" in process.stdout
    assert "search index built" in process.stderr and "Traceback" not in process.stderr
