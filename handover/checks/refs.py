"""References and uniqueness: every id named in a record must exist; a handle is
used by one record per platform."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from handover.checks.memo import CheckMemo, per_record
from handover.core.errors import Problem
from handover.records.fieldtypes import Ref
from handover.records.model import KnowledgeBase, Record
from handover.records.values import SLUG_RE, close_match, normalise_handle


def check(kb: KnowledgeBase, today: dt.date, memo: CheckMemo | None = None) -> Iterator[Problem]:
    for record in kb.all_records():
        yield from per_record(memo, "refs", record, partial(_references, record, kb), names=True)  # it reads only the ids
    yield from _unique_handles(kb)
    yield from _triage_rules(kb)


def _triage_rules(kb: KnowledgeBase) -> Iterator[Problem]:
    """The charter rules handover.yml's `triage:` names (its priorities, its "don't
    answer" cases) must exist: triage would quietly leave an unknown one out."""
    import os

    from handover.core.errors import error
    from handover.records.config import CONFIG_NAME

    display = os.path.join(kb.display_root, CONFIG_NAME)
    for rule, line, col in kb.config.triage_rules:
        if rule not in kb.rules:
            yield error(display, line, col, "E302", f'triage: charter rule "{rule}" does not exist{_suggest_rule(kb, rule)}')


def _references(record: Record, kb: KnowledgeBase) -> Iterator[Problem]:
    for path, value, ftype in record.references():
        field_name = ".".join(str(p) for p in path)
        if isinstance(ftype, Ref):
            kind, _, ident = value.rpartition("/")
            if (kind and kind not in ftype.kinds) or not SLUG_RE.match(ident):
                continue  # reported by the schema check
            if kb.resolve(value, ftype.kinds) is None:
                where = " or ".join(f"{k}/" for k in ((kind,) if kind else ftype.kinds))
                yield record.error(path, "E301", f'{field_name}: "{value}" does not exist in {where}{_suggest(kb, ident, (kind,) if kind else ftype.kinds)}')
        elif value not in kb.rules and SLUG_RE.match(value):
            yield record.error(path, "E302", f'{field_name}: charter rule "{value}" does not exist{_suggest_rule(kb, value)}')


def _suggest(kb: KnowledgeBase, ident: str, kinds: tuple[str, ...]) -> str:
    close = close_match(ident, (i for k in kinds for i in kb.records.get(k, {})))
    return f'; did you mean "{close}"?' if close else ""


def _suggest_rule(kb: KnowledgeBase, rule_id: str) -> str:
    close = close_match(rule_id, kb.rules)
    return f'; did you mean "{close}"?' if close else "; rules are `## Title {#id}` headings in charter/"


def _unique_handles(kb: KnowledgeBase) -> Iterator[Problem]:
    """The same handle on the same platform in two records of a kind is one of them wrong."""
    for kind in ("accounts", "influencers", "contacts"):
        seen: dict[tuple[str, str], Record] = {}
        for record in kb.records[kind].values():
            for platform, handle, path in _handles(record):
                key = (platform, normalise_handle(handle))
                first = seen.get(key)
                if first:
                    yield record.error(path, "E304", f'{platform} handle "{handle}" is also used by {first.display}; one record per handle')
                else:
                    seen[key] = record


def _handles(record: Record) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    if record.kind.folder == "accounts":
        platform, handle = record.data.get("platform"), record.data.get("handle")
        if isinstance(platform, str) and isinstance(handle, str):
            yield platform, handle, ("handle",)
    else:
        handles = record.data.get("handles")
        if isinstance(handles, dict):
            for platform, handle in handles.items():
                if isinstance(handle, str):
                    yield str(platform), handle, ("handles", platform)
