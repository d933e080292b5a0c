"""What the search index holds: the record files of a knowledge base, found with a
cheap scan, and each one turned into flat documents (plain strings per field).

No Whoosh here (the other modules of search/ are its adapter) and no whole-base loading: a warm
search only stats the files, and only the files that changed are read again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from handover.core.errors import Problem
from handover.files.yamlio import MAX_FILE_BYTES, decode, parse_mapping, split_front_matter
from handover.records.kinds import KINDS, Kind
from handover.records.rules import parse_rules
from handover.records.secretfilter import suspect
from handover.records.secretwords import is_credential_key, redacted
from handover.records.values import SLUG_RE
from handover.records.walker import record_files

RULES = "rules"  # the kind of the charter rules, indexed one document per rule
# What users may type after `kind:`; each alias maps to the folder name.
KIND_ALIASES: dict[str, str] = {
    **{name: name for name in KINDS},
    **{name.rstrip("s"): name for name in KINDS},
    RULES: RULES,
    "rule": RULES,
    "person": "team",
    "member": "team",
}
# Fields that say nothing about the content (or that other fields already index).
SKIPPED_KEYS = {"visibility", "field_visibility", "review_every", "reviewed_on", "variables"}
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z0-9_\-]+)\}")


@dataclass(frozen=True)
class SourceFile:
    """A record file to read: its path relative to the kb (always with "/"), kind and path."""

    relative: str  # "responses/retard-livraison.md"
    kind: str
    path: str


def scan_sources(root: str) -> dict[str, tuple[int, int]]:
    """Every record file under the kind folders: relative path → (mtime_ns, size).

    The loader's own walk (records/walker.py): the files it refuses (a link to
    outside the knowledge base, a name that is not an id…) are not indexed either;
    `handover validate` is the place to report them."""
    return dict(_walk(root))


def scan_changes(root: str, recorded: dict[str, str]) -> tuple[dict[str, tuple[int, int]], bool]:
    """(the record files that are new or whose size or time differ from `recorded`,
    whether a recorded file is gone): the warm path, in one pass over the folders.
    `recorded` maps a relative path to its manifest entry, "mtime_ns size …"
    (cache.entry)."""
    changed: dict[str, tuple[int, int]] = {}
    unchanged = 0
    for rel, stat in _walk(root):
        entry = recorded.get(rel)
        if entry is not None and entry.startswith(f"{stat[0]} {stat[1]} "):
            unchanged += 1
        else:
            changed[rel] = stat
            if entry is not None:
                unchanged += 1  # still there, only changed
    return changed, unchanged < len(recorded)


def _walk(root: str) -> Iterator[tuple[str, tuple[int, int]]]:
    """(relative path, (mtime_ns, size)) of each record file, as the loader finds
    them (records/walker.py, the one walk for every command): stats only."""
    for found in record_files(root):
        try:
            stat = found.entry.stat()
        except OSError:
            continue
        yield found.relative, (stat.st_mtime_ns, stat.st_size)


def source_of(root: str, relative: str) -> SourceFile:
    """The SourceFile of a record file named by its relative path."""
    return SourceFile(relative, relative.split("/", 1)[0], os.path.join(root, *relative.split("/")))


def read_documents(source: SourceFile, raw: bytes | None = None) -> list[dict[str, str]] | None:
    """The documents of one record file (one, or one per rule for a charter
    document), or None when the file cannot be read as a record. `raw` is the file's
    content when the caller has already read it (to hash it)."""
    kind = KINDS[source.kind]
    if raw is None:
        try:
            with open(source.path, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            return None
    if len(raw) > MAX_FILE_BYTES:
        return None
    text, _ = decode(raw, source.relative)
    if text is None:
        return None
    body, raw_text = "", text
    if kind.is_markdown:
        split = split_front_matter(text, source.relative)
        if isinstance(split, Problem):
            return None
        text, body, _ = split
    loaded = parse_mapping(text, source.relative, line_offset=1 if kind.is_markdown else 0)
    if not loaded.ok or not isinstance(loaded.data, dict):
        return None
    ident = os.path.splitext(os.path.basename(source.relative))[0]
    if not suspect(raw_text):
        return record_documents(kind, ident, source.relative, loaded.data, body)
    # What the secret scan finds is neither indexed nor shown (results, passages, JSON):
    # a credential field's value goes, a token or password in text is shown as validate shows it.
    documents = record_documents(kind, ident, source.relative, _without_credentials(loaded.data), body)
    return [{name: redacted(value) for name, value in document.items()} for document in documents]


def _without_credentials(data: Any, under_key: bool = False) -> Any:
    """`data` without the values of fields named like a credential (as checks/secrets.py
    finds them: `credentials: {manager, entry}` says where a login lives, and stays)."""
    if isinstance(data, dict):
        kept = {}
        for key, value in data.items():
            name = str(key)
            credential = under_key or is_credential_key(name) or (name == "credentials" and not isinstance(value, dict))
            if not (credential and not isinstance(value, (dict, list))):
                kept[key] = _without_credentials(value, credential)
        return kept
    if isinstance(data, list):
        return [item for item in (_without_credentials(item, under_key) for item in data) if not (under_key and isinstance(item, str))]
    return data


def record_documents(kind: Kind, ident: str, relative: str, data: dict[str, Any], body: str) -> list[dict[str, str]]:
    """Flat documents for one record: the field values schema.py names."""
    title = data.get(kind.title_field)
    doc: dict[str, str] = {
        "ref": f"{kind.folder}/{ident}",
        "path": relative,
        "kind": kind.folder,
        "id": ident,
        "title": title if isinstance(title, str) and title.strip() else ident,
        "owner": _words(data.get("owner")),
        "tag": _words(data.get("tags")),
        "status": _words(data.get("status")),
        "language": _words(data.get("language")),
        "platform": _words(_platforms(data)),
        "body": _body(kind, data, body),
        "text": " \n".join([ident] + _strings(data, exclude={kind.title_field, "notes", "when", "tags", "topics", "escalate_for"})),
    }
    keywords = _strings(data.get("tags")) + _strings(data.get("topics")) + _strings(data.get("escalate_for"))
    doc["keywords"] = " \n".join(keywords)
    if kind.folder == "responses":
        doc["when"] = " \n".join(_strings(data.get("when")))
        doc["rule"] = _words(data.get("charter"))
    if kind.folder == "contacts":
        doc["topic"] = _words(data.get("escalate_for"))
    if kind.folder == "influencers":
        doc["stance"] = _words([data.get("stance"), data.get("stage")])
    documents = [{k: v for k, v in doc.items() if v}]
    if kind.folder == "charter":
        documents.extend(_rule_documents(ident, relative, doc["title"], body, data))
    return documents


def _rule_documents(document_id: str, relative: str, document_title: str, body: str, data: dict[str, Any]) -> Iterator[dict[str, str]]:
    """One document per `## Title {#id}` rule of a charter document, read as the
    knowledge base reads them (records/rules.py); a heading whose id is no slug has none."""
    owner, tags = _words(data.get("owner")), _words(data.get("tags"))  # the document's, for each of its rules
    for section in parse_rules(body, 1):
        if section.id and SLUG_RE.match(section.id):
            yield {
                "ref": f"charter/{document_id}#{section.id}",
                "path": relative,
                "kind": RULES,
                "id": section.id,
                "title": section.title,
                "body": section.text,
                "text": f"{section.id}\n{document_title}",
                "owner": owner,
                "tag": tags,
            }


def _body(kind: Kind, data: dict[str, Any], body: str) -> str:
    """The prose of a record: its Markdown body, or its notes. A response's
    placeholders are left as `…`: their defaults are examples (a first name, a
    signature) that would make every response match "Karim"."""
    if kind.folder == "responses":
        return PLACEHOLDER_RE.sub("…", body).replace("{{", "{").replace("}}", "}").strip()
    if kind.is_markdown:
        return body.strip()
    notes = data.get("notes")
    return notes.strip() if isinstance(notes, str) else ""


def _platforms(data: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key in ("platform", "platforms"):
        names.extend(_strings(data.get(key)))
    for key in ("handles", "audience"):
        value = data.get(key)
        if isinstance(value, dict):
            names.extend(str(k) for k in value)
    return list(dict.fromkeys(names))


def _words(value: Any) -> str:
    """Keyword values, space-separated (ids, slugs, platform names)."""
    return " ".join(dict.fromkeys(s for s in _strings(value) if s))


def _strings(value: Any, exclude: set[str] | None = None) -> list[str]:
    """Every piece of text in a value, depth first; dates and numbers are left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if key in SKIPPED_KEYS or (exclude and key in exclude):
                continue
            out.extend(_strings(item))
        return out
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []
