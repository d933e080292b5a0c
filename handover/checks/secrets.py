"""Secrets: credentials must never be written in the knowledge base.

Accounts say where a login lives (`credentials: {manager, entry}`), never the login
itself. Three kinds of finding, each located at file:line:col:
- E601: a field named like a credential (password, mdp, api_key, token…) holding a value;
- E602: a known token shape anywhere in a file (Meta `EAA…`, X bearer, GitHub, Slack,
  AWS, Google, JWT, private-key blocks), comments and Markdown text included;
- E603: a credential written in text after its word (`mdp: Velo2024!`);
- E604: a long random-looking string next to a credential word.
False positives go in handover.yml's reviewed allow-list (`secrets_allow`), each
with a reason: E605 when an entry is incomplete, W606 when one no longer matches.

Messages never repeat a secret: they show its first characters and a fingerprint.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from handover.checks.memo import CheckMemo, per_record
from handover.core.errors import Problem, error, warning
from handover.files.yamlio import KEY_MARK, read_text
from handover.records.model import KnowledgeBase, Page, Record
from handover.records.secretshapes import looks_like_secret
from handover.records.secretwords import Finding, fingerprint, is_credential_key, mask, scan_text
from handover.records.settings import SecretAllow

CODE_BY_RULE = {"shape": "E602", "assign": "E603", "entropy": "E604"}
FIX = "remove it, store it in the password manager and name the entry (accounts: credentials: {manager, entry}); then change it, since git keeps what was committed"


def check(kb: KnowledgeBase, today: dt.date, memo: CheckMemo | None = None) -> Iterator[Problem]:
    allow = kb.config.secrets_allow
    used: set[int] = set()
    for record in kb.all_records():
        if record.suspect:
            raws = per_record(memo, "secrets", record, partial(_record_findings, kb, record))
            yield from _allowed(iter(raws), allow, used)
    for page in [*kb.pages, *kb.unparsed, *_activity_files(kb)]:  # a record with a YAML error is still scanned, as text
        text, _ = read_text(page.path, "")
        if text:
            display = os.path.join(kb.display_root, page.relative)
            found = [(display, _relative(kb, page.path), f) for f in scan_text(text)]
            yield from _allowed(((d, r, f.line, f.col, CODE_BY_RULE[f.rule], f.what, f.text) for d, r, f in found), allow, used)
    config_display = os.path.join(kb.display_root, "handover.yml")
    for index, entry in enumerate(allow):
        if entry.problem:
            yield error(config_display, entry.line, entry.col, "E605", entry.problem)
        elif index not in used:
            yield warning(config_display, entry.line, entry.col, "W606", f"secrets_allow entry for {entry.file} matches nothing any more; remove it")


def _activity_files(kb: KnowledgeBase) -> list[Page]:
    """The activity files (pulse): written by handover, but `handover log --note` takes free text."""
    folder = kb.root / "activity"
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".yml") and not entry.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [Page(folder / name, f"activity/{name}") for name in names]


Raw = tuple[str, str, int, int, str, str, str]  # display, relative path, line, col, code, what, text


def _relative(kb: KnowledgeBase, path: Path) -> str:
    return os.path.relpath(path, kb.root).replace(os.sep, "/")


def _record_findings(kb: KnowledgeBase, record: Record) -> Iterator[Raw]:
    relative = _relative(kb, record.path)
    key_lines: set[int] = set()
    for path, value in _credential_values(record.data, ()):
        line, col = record.mark(*path)
        key_lines.add(line)
        name = ".".join(str(p) for p in path if not isinstance(p, int))
        yield record.display, relative, line, col, "E601", f'the field "{name}" holds a credential', str(value)
    text, _ = read_text(record.path, record.display)
    declared = _declared_placeholders(record)
    for finding in scan_text(text or ""):
        if finding.line in key_lines and finding.rule != "shape":
            continue  # the field itself is reported
        if declared and finding.rule != "shape" and not looks_like_secret(declared.sub("", finding.text)):
            continue  # `{lien_aide}` after "mot de passe :" is a variable the response declares, not a password
        yield record.display, relative, finding.line, finding.col, CODE_BY_RULE[finding.rule], finding.what, finding.text


def _declared_placeholders(record: Record) -> re.Pattern[str] | None:
    """The `{name}` placeholders a canned response declares under `variables`."""
    variables = record.data.get("variables")
    if not isinstance(variables, dict) or not variables:
        return None
    names = "|".join(re.escape(str(name)) for name in variables if name != KEY_MARK)
    return re.compile(r"\{(?:" + names + r")\}") if names else None


def _credential_values(data: Any, path: tuple[Any, ...], under_key: bool = False) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) of every scalar held by a credential-like field."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == KEY_MARK:
                continue
            name = str(key)
            if name == "credentials" and isinstance(value, dict):
                yield from _credential_values(value, path + (key,), under_key)  # where it lives: allowed
            else:
                yield from _credential_values(value, path + (key,), under_key or is_credential_key(name) or name == "credentials")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _credential_values(item, path + (index,), under_key)
    elif under_key and data is not None and not isinstance(data, bool) and str(data).strip():
        yield path, data


def _allowed(found: Iterator[Raw], allow: list[SecretAllow], used: set[int]) -> Iterator[Problem]:
    for display, relative, line, col, code, what, text in found:
        print_ = fingerprint(text)
        match = next((i for i, e in enumerate(allow) if not e.problem and e.file == relative and (e.match == text or e.fingerprint == print_)), None)
        if match is not None:
            used.add(match)
            continue
        yield error(display, line, col, code, f"{what}: {mask(text)}, fingerprint {print_}; {FIX}. "
                    f"If it is not a secret, list it in handover.yml under secrets_allow with file, fingerprint and reason")


__all__ = ["Finding", "check"]
