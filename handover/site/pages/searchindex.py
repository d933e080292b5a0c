"""The site's own search index: small script files a page loads as it needs them.

Built here, in pure Python, from the search documents (searchdocs.py); read by
assets/handover-search.js. A word is indexed by its key: lowercased, accents folded
(records/fold.py), a final s/x then e taken off (`brûlés` → `brul`), stop words left
out (search/analysis.py's list). For each key, each document that has it gets one
weight, computed here once: BM25 in each field, times the field's weight (a title
weighs most, then a response's situations, keywords, short fields, prose).

The files, under `_handover/search/`:
- `index.js`: the number of documents, the stop words, the list of term shards;
  loaded on the first keystroke;
- `t/PREFIX.js`: the keys starting with PREFIX and their postings (document numbers
  as gaps, each with its weight); a shard too large is split by one more letter;
- `d/N.js`: the title, URL, kind and preview of documents N×100 to N×100+99.

Each file calls a global function (`HandoverSearch.shard(...)`) instead of holding
JSON: a `<script>` element loads from file:// where fetch and XHR are refused, so the
online and the offline site search the same way, without a worker.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from handover.records.fold import fold
from handover.search.analysis import stop_words
from handover.site.pages.searchdocs import SearchDoc

FOLDER = "search"  # under the site's asset folder
BUCKET = 100  # documents per metadata file
SHARD_BYTES = 48_000  # a shard larger than this is split by one more letter (a single key may exceed it)
MAX_PREFIX = 6
# Each field's weight against the prose's; BM25's k1 and b per field.
FIELD_WEIGHTS = {"title": 8.0, "when": 5.0, "keywords": 4.0, "platform": 1.0, "text": 1.5, "body": 1.0}
K1, B = 1.2, 0.75
_WORD_RE = re.compile(r"[^\W_]+")
_SAFE_RE = re.compile(r"[a-z0-9]+")


def word_key(word: str) -> str:
    """A folded, lowercased word as the index keys it (handover-search.js does the same)."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word


def keys_of(text: str, stops: frozenset[str]) -> list[str]:
    """The index keys of a text, in order, stop words and single letters left out."""
    return [word_key(w) for w in _WORD_RE.findall(fold(text.lower())) if len(w) > 1 and w not in stops]


def _counted(doc: SearchDoc, stops: frozenset[str]) -> dict[str, Counter[str]]:
    if doc.counted is None:
        doc.counted = {name: Counter(keys_of(text, stops)) for name, text in doc.fields.items() if FIELD_WEIGHTS.get(name)}
    return doc.counted


@dataclass
class IndexState:
    """What the next `serve` rebuild reuses: each document's weights, by its number (the
    same dict while the document and the field averages are unchanged), each key's
    postings as (number, weight) and its JSON member."""

    scored: list[dict[str, int]]
    postings: dict[str, list[tuple[int, int]]]
    members: dict[str, str]


def _scored(docs: list[SearchDoc], stops: frozenset[str]) -> list[dict[str, int]]:
    """Each document's weight per key, computed again only for a new document or when
    the field averages move."""
    counted = [_counted(doc, stops) for doc in docs]
    average = _average_lengths(counted)
    scored = []
    for doc, fields in zip(docs, counted, strict=True):
        if doc.scored is None or doc.scored[0] != average:
            doc.scored = (average, _scores(fields, dict(zip(FIELD_WEIGHTS, average, strict=True))))
        scored.append(doc.scored[1])
    return scored


def _all_postings(scored: list[dict[str, int]]) -> dict[str, list[tuple[int, int]]]:
    postings: dict[str, list[tuple[int, int]]] = {}
    for number, weighed in enumerate(scored):
        for key, weight in weighed.items():
            row = postings.get(key)
            if row is None:
                row = postings[key] = []
            row.append((number, weight))
    return postings


def _gaps(row: list[tuple[int, int]]) -> list[int]:
    flat: list[int] = []
    last = 0
    for number, weight in row:
        flat += (number - last, weight)
        last = number
    return flat


def _updated(previous: IndexState | None, scored: list[dict[str, int]]) -> tuple[dict[str, list[tuple[int, int]]], set[str] | None]:
    """The postings, and the keys whose postings changed since `previous` (None: all of
    them, when the documents were renumbered or many changed): a `serve` rebuild after
    an edit rewrites only the postings of the edited documents' keys."""
    if previous is None or len(previous.scored) != len(scored):
        return _all_postings(scored), None
    changed = [n for n, (old, new) in enumerate(zip(previous.scored, scored, strict=True)) if old is not new]
    if len(changed) > len(scored) // 10:
        return _all_postings(scored), None
    touched = {key for n in changed for key in (*previous.scored[n], *scored[n])}
    numbers = set(changed)
    postings = dict(previous.postings)  # the touched keys get new lists: `previous` stays as it was
    for key in touched:
        row = [posting for posting in postings.get(key, ()) if posting[0] not in numbers]
        row += [(n, scored[n][key]) for n in changed if key in scored[n]]
        row.sort()
        if row:
            postings[key] = row
        else:
            postings.pop(key, None)
    return postings, touched


def _average_lengths(counted: list[dict[str, Counter[str]]]) -> tuple[float, ...]:
    """Each field's average length in keys, to three significant digits: an edit to one
    document of thousands then seldom moves it, and the other documents' weights, which
    depend on it, are kept by a `serve` rebuild (a full build computes the same)."""
    averages = []
    for name in FIELD_WEIGHTS:
        lengths = [sum(c[name].values()) for c in counted if name in c]
        averages.append(float(f"{sum(lengths) / len(lengths):.3g}") if lengths and sum(lengths) else 1.0)
    return tuple(averages)


def _scores(fields: dict[str, Counter[str]], average: dict[str, float]) -> dict[str, int]:
    """One document's weight for each of its keys, summed over its fields."""
    scores: dict[str, float] = {}
    for name, counts in fields.items():
        weight = FIELD_WEIGHTS[name] * (K1 + 1)
        norm = K1 * (1 - B + B * sum(counts.values()) / average[name])
        for key, tf in counts.items():
            scores[key] = scores.get(key, 0.0) + weight * tf / (tf + norm)
    return {key: max(1, round(score * 10)) for key, score in scores.items()}


def _shards(keys: dict[str, str], prefix: str, length: int) -> dict[str, dict[str, str]]:
    """Keys (each with its JSON member, `"key":[postings]`) grouped by their first
    `length` letters, a group too large split again."""
    groups: dict[str, dict[str, str]] = {}
    for key, member in keys.items():
        groups.setdefault(key[:length] if len(key) >= length else prefix, {})[key] = member
    out: dict[str, dict[str, str]] = {}
    for group_prefix, group in groups.items():
        size = sum(map(len, group.values())) + len(group) + 1
        if size > SHARD_BYTES and length < MAX_PREFIX and group_prefix != prefix and len(group) > 1:
            out.update(_shards(group, group_prefix, length + 1))
        else:
            out.setdefault(group_prefix, {}).update(group)
    return out


def _file_name(prefix: str) -> str:
    return prefix if _SAFE_RE.fullmatch(prefix) else "u" + prefix.encode("utf-8").hex()


def _script(call: str, *arguments: object) -> str:
    return f"HandoverSearch.{call}(" + ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in arguments) + ");\n"


def search_files(docs: list[SearchDoc], language: str, previous: IndexState | None = None) -> tuple[dict[str, str], IndexState]:
    """The index's files (path under the search folder → content), and what the next
    `serve` rebuild reuses (give it back as `previous`)."""
    stops = stop_words(language)
    scored = _scored(docs, stops)
    postings, touched = _updated(previous, scored)
    # each key's JSON member is written once (kept when its postings are), and measured
    # from it when shards are cut
    members = {key: previous.members[key] if previous is not None and touched is not None and key not in touched
               else json.dumps(key, ensure_ascii=False) + ":" + json.dumps(_gaps(row), separators=(",", ":"))
               for key, row in postings.items()}
    shards = _shards(members, "", 2)
    files: dict[str, str] = {}
    names: dict[str, str] = {}
    for prefix, group in sorted(shards.items()):
        names[prefix] = _file_name(prefix)
        body = ",".join(group[key] for key in sorted(group))  # sorted: the same file however the postings were made
        files[f"t/{names[prefix]}.js"] = f"HandoverSearch.shard({json.dumps(prefix, ensure_ascii=False)},{{{body}}});\n"
    for start in range(0, len(docs), BUCKET):
        rows = [[d.title, d.url, d.label, d.preview, d.ref] for d in docs[start:start + BUCKET]]
        files[f"d/{start // BUCKET}.js"] = _script("docs", start // BUCKET, rows)
    manifest = {"documents": len(docs), "bucket": BUCKET, "stops": sorted(stops), "shards": names}
    files["index.js"] = _script("manifest", manifest)
    return files, IndexState(scored, postings, members)
