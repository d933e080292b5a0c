"""Plain-text reports of `handover history` and `handover changes` (the CLI prints them)."""

from __future__ import annotations

from handover.git.changes import ChangesReport, RecordChange, RecordHistory, summary_counts
from handover.git.commits import Commit
from handover.git.diffs import describe

MARK = {"added": "+", "changed": "~", "removed": "-", "as of": "="}


def when(commit: Commit) -> str:
    return commit.date.strftime("%Y-%m-%d %H:%M")


def detail_lines(change: RecordChange, indent: str = "    ") -> list[str]:
    lines = [indent + describe(f) for f in change.fields]
    if change.text:
        lines.append(f"{indent}text: {change.text.added + change.text.removed} lines changed (+{change.text.added} −{change.text.removed})")
    if change.note:
        lines.append(f"{indent}({change.note})")
    return lines


def render_history(history: RecordHistory, display_root: str) -> str:
    """Newest first: date, author, commit, message, then what changed."""
    name = (history.kind and f"{history.kind}/{history.id}") or history.path
    count = len(history.entries)
    out = [f"{name} ({display_root.rstrip('/')}/{history.path}): {count} change{'s' if count != 1 else ''}", ""]
    for entry in history.entries:
        commit, change = entry.commit, entry.change
        out.append(f"{when(commit)}  {commit.author} <{commit.email}>  {commit.short}  {change.status}")
        out.append(f"    {commit.subject}")
        for line in commit.body.splitlines():
            out.append(f"    {line}".rstrip())
        out.extend(detail_lines(change, "      "))
        out.append("")
    if not history.entries:
        out.append("no commit has changed it yet (is it committed?)")
    return "\n".join(out).rstrip() + "\n"


def render_changes(report: ChangesReport) -> str:
    """By kind: a count line, then each record with its last change and field detail."""
    authors = sorted({c.author for c in report.commits})
    who = f" by {report.author}" if report.author else ""
    head = f"Changes since {report.since}{who}: {len(report.commits)} commit{'s' if len(report.commits) != 1 else ''}"
    if authors and not report.author:
        head += f" by {len(authors)} author{'s' if len(authors) != 1 else ''} ({', '.join(authors[:6])}{', …' if len(authors) > 6 else ''})"
    out = [head]
    if not report.records:
        out.append("nothing changed in the knowledge base.")
        return "\n".join(out) + "\n"
    counts = summary_counts(report.records)
    by_kind: dict[str, list[RecordChange]] = {}
    for record in report.records:
        by_kind.setdefault(record.kind or "other", []).append(record)
    for kind, records in by_kind.items():
        parts = [f"{n} {status}" for status, n in counts[kind].items() if n]
        out += ["", f"{kind if kind != 'other' else 'other files'}: {', '.join(parts)}"]
        for record in records:
            line = f"  {MARK[record.status]} {record.ref}"
            if record.commits:
                last = record.commits[0]
                more = f" (+{len(record.commits) - 1} more)" if len(record.commits) > 1 else ""
                line = f"{line:<48} {last.date:%Y-%m-%d} {last.author}{more}"
            out.append(line)
            out.extend(detail_lines(record, "      "))
    return "\n".join(out) + "\n"
