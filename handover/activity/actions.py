"""What the pulse commands do to the knowledge base: log a post, import an export,
read the feeds. Each holds the knowledge base's lock for its read-modify-write and
writes each activity file atomically; a failure keeps what was stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from handover.activity.store import Activity, add_log, load_activity, save
from handover.core.errors import HandoverError, UsageError
from handover.files.lock import kb_lock
from handover.records.model import KnowledgeBase, Record
from handover.records.values import URL_RE


def find_account(kb: KnowledgeBase, name: str) -> Record:
    """An account by id (`instagram-cyclesmorvan`, `accounts/…`), or by platform when only one account is on it."""
    ident = name.rpartition("/")[2]
    record = kb.get("accounts", ident)
    if record:
        return record
    on_platform = [r for r in kb.records["accounts"].values() if r.data.get("platform") == ident]
    if len(on_platform) == 1:
        return on_platform[0]
    known = ", ".join(sorted(kb.records["accounts"])) or "none"
    raise UsageError(f'no account "{name}" in {kb.display_root}', hint=f"accounts: {known}")


@dataclass
class LogResult:
    account: Record
    activity: Activity
    added: bool
    path: Path


def log_post(kb: KnowledgeBase, name: str, day: dt.date, url: str, note: str, today: dt.date) -> LogResult:
    """`handover log`: one post on `day`, recorded in the account's activity."""
    account = find_account(kb, name)
    if url and not URL_RE.match(url):
        raise UsageError(f'"{url}" is not a web address', hint="give the post's link, starting with https://")
    if day > today + dt.timedelta(days=1):
        raise UsageError(f"--date {day} is in the future", hint="log a post once it is published")
    if "\n" in note or len(note) > 200:
        raise UsageError("--note must be one short line (200 characters at most)", hint="a word about the post, no personal data")
    with kb_lock(kb.root, f"log a post of {account.id}"):
        activity = load_activity(kb.root, account.id, kb.display_root)
        added = add_log(activity, day, url, note, today)
        path = save(kb.root, activity)
    return LogResult(account, activity, added, path)


@dataclass
class ImportResult:
    account: Record
    source: str
    read: int  # posts found in the file
    added: int  # posts new to the stored counts
    skipped: list[str] = field(default_factory=list)  # why some entries were not counted
    path: Path | None = None


def check_account_writable(activity: Activity) -> None:
    if activity.problems:
        raise HandoverError(f"{activity.display} cannot be read as activity; nothing was changed",
                            hint=activity.problems[0].format_gnu())
