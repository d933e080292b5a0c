"""The passage shown under a hit: cut around the first matched words, which are put
in **bold**, from the record's situations or its text (read again from the file: the
index keeps no bodies)."""

from __future__ import annotations

from typing import Any

from handover.search.analysis import PAIR_JOIN
from handover.search.documents import read_documents, source_of

SNIPPET_SOURCES = ("when", "body", "text", "title")
SNIPPET_WIDTH = 160
Sources = dict[str, list[dict[str, str]] | None]  # a record file's documents, read once per search


def snippet(root: str, stored: dict[str, Any], wanted: set[str], analyze: Any, sources: Sources) -> str:
    """A passage around the first matched words: from the stored situations, else
    from the record file (read again: the index does not store bodies)."""
    texts = [str(stored.get("when") or "")]
    path = str(stored["path"])
    if path not in sources:
        sources[path] = read_documents(source_of(root, path))
    document = next((d for d in sources[path] or () if d.get("ref") == stored["ref"]), {})
    texts += [document.get(name, "") for name in SNIPPET_SOURCES[1:]]
    for text in texts:
        if text:
            marked = mark_words(text, wanted, analyze)
            if marked:
                return marked
    plain = " ".join(next((t for t in texts if t), "").split())
    return plain[: SNIPPET_WIDTH - 1] + "…" if len(plain) > SNIPPET_WIDTH else plain


def mark_words(text: str, wanted: set[str], analyze: Any, width: int = SNIPPET_WIDTH) -> str:
    """The passage of `text` around the first word whose indexed form is in `wanted`,
    with those words in **bold**; "" when none is there. A phrase in `wanted` (its
    forms joined by PAIR_JOIN) is marked where its words follow each other, as one
    stretch with the stop words between them ("**cellule de crise**")."""
    if not wanted:  # filters only: nothing to mark, no need to read the words
        return ""
    sizes = sorted({word.count(PAIR_JOIN) + 1 for word in wanted}, reverse=True)  # in words, longest first
    forms: list[str] = []
    starts: list[int] = []
    spans: list[tuple[int, int]] = []
    for token in analyze(text, chars=True, mode="query"):
        forms.append(token.text)
        starts.append(token.startchar)
        for size in sizes:
            if size <= len(forms) and (PAIR_JOIN.join(forms[-size:]) if size > 1 else token.text) in wanted:
                break
        else:
            continue
        start = starts[-size]
        if spans and start <= spans[-1][1]:  # the next word of a phrase being marked
            spans[-1] = (spans[-1][0], token.endchar)
            continue
        if spans and start > spans[0][0] + width - 40:
            break
        spans.append((start, token.endchar))
    if not spans:
        return ""
    start = max(0, spans[0][0] - 40)
    if start:
        start = text.find(" ", start) + 1 or start  # start on a word
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", spans[0][1], end)
        end = cut if cut > 0 else end
    out, at = [], start
    for left, right in spans:
        if right > end:
            break
        out += [text[at:left], "**", text[left:right], "**"]
        at = right
    out.append(text[at:end])
    passage = " ".join("".join(out).split())
    return ("… " if start else "") + passage + (" …" if end < len(text) else "")
