"""`handover review` as plain text (the terminal) or Markdown (a merge request comment)."""

from __future__ import annotations

import html

from handover.git.diffs import WORD_RE, describe, inline_word_diff
from handover.git.review import Citing, DocumentReview, Review, RuleChange

MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]#|~"})
EXCERPT_WORDS = 60


def _md(text: str) -> str:
    """Plain text made inert in Markdown (and in the HTML tags around it)."""
    return html.escape(text, quote=False).translate(MD_SPECIAL)


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    found = WORD_RE.findall(text)
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def _rule_diff(rule: RuleChange, markdown: bool) -> list[str]:
    """The lines under a rule: its wording diff, or an excerpt when added or removed."""
    old, new = rule.old, rule.new
    prefix = "  > " if markdown else "      "

    def show(text: str) -> str:
        return _md(text) if markdown else text

    def diff(before: str, after: str) -> str:
        return " ".join(_md_diff(before, after)) if markdown else inline_word_diff(before, after)

    if rule.change == "added" and new:
        return [prefix + show(_excerpt(new.text))]
    if rule.change == "removed" and old:
        return [prefix + show(_excerpt(old.text))]
    lines: list[str] = []
    if old and new and rule.change == "reworded":
        if old.title != new.title:
            lines.append(prefix + ("Title: " if markdown else "title: ") + diff(old.title, new.title))
        if WORD_RE.findall(old.text) != WORD_RE.findall(new.text):
            if lines and markdown:
                lines.append("  >")
            lines.append(prefix + diff(old.text, new.text))
    return lines


def _md_diff(old: str, new: str) -> list[str]:
    from handover.git.diffs import word_diff

    parts = []
    for hunk in word_diff(old, new, context=8):
        text = _md(" ".join(hunk.words))
        parts.append({"skip": "…", "removed": f"<del>{text}</del>", "added": f"<ins>{text}</ins>"}.get(hunk.kind, text))
    return parts


def _rule_line(rule: RuleChange, markdown: bool) -> str:
    verb = {"added": "added", "removed": "removed", "reworded": "reworded", "moved": "moved", "reflowed": "reflowed (spacing only)"}[rule.change]
    moved = f", moved from {rule.moved_from}" if rule.moved_from and rule.change == "reworded" else f" from {rule.moved_from}" if rule.moved_from else ""
    if markdown:
        return f"- **{verb.capitalize()}{moved}** `{rule.id}` — {_md(rule.title)}"
    return f"  {verb}{moved}: {rule.id} — {rule.title}"


def _citing_line(item: Citing, markdown: bool) -> str:
    state = "re-approved in this change" if item.reapproved else "draft" if item.status == "draft" else "needs re-approval"
    rules = ", ".join(item.rules)
    if markdown:
        mark = "⚠️ " if item.needs_reapproval else ""
        return f"| {mark}`responses/{item.id}` {_md(item.title)} | {_md(item.status)} | {rules} | {state} |"
    return f"  {'!' if item.needs_reapproval else ' '} responses/{item.id} ({item.status}): cites {rules}: {state}"


def _document(doc: DocumentReview, markdown: bool) -> list[str]:
    out: list[str] = []
    if markdown:
        out.append(f"##### {doc.status.capitalize()}: `{doc.path}` — {_md(doc.title)}")
        out.append("")
        out += [f"- {_md(describe(f))}" for f in doc.fields]
    else:
        out.append(f"{doc.status}: {doc.path} — {doc.title}")
        out += [f"  {describe(f)}" for f in doc.fields]
    if doc.note:
        out.append(f"- ({_md(doc.note)})" if markdown else f"  ({doc.note})")
    for rule in doc.rules:
        out.append(_rule_line(rule, markdown))
        out += _rule_diff(rule, markdown)
    if doc.path.startswith("responses/") and doc.status == "changed" and doc.old_body.strip() != doc.new_body.strip():
        if markdown:
            out.append("- Text: " + " ".join(_md_diff(doc.old_body, doc.new_body)))
        else:
            out.append("  text: " + inline_word_diff(doc.old_body, doc.new_body))
    out.append("")
    return out


def render_review(result: Review, markdown: bool = False) -> str:
    """The whole review; Markdown is meant to be pasted into a merge request."""
    rules, flagged = result.rule_changes, result.flagged
    need = [c for c in result.citing if c.needs_reapproval]
    counts = {change: sum(1 for r in rules if r.change == change) for change in ("added", "removed", "reworded", "moved")}
    summary = ", ".join(f"{n} {change}" for change, n in counts.items() if n) or "no rule changed"
    what = f"{result.base_label}..{result.head_label} ({result.base[:8]}..{result.head[:8]})"
    out: list[str] = []
    if markdown:
        out += [f"### Charter and responses review: `{what}`", "",
                f"**Rules:** {summary} · **responses changed:** {len(result.responses)} · **to re-approve:** {len(need)}", ""]
    else:
        out += [f"Review of {what}", f"rules: {summary}; responses changed: {len(result.responses)}; responses to re-approve: {len(need)}", ""]
    if flagged:
        out.append("#### ⚠️ Charter changed without re-approval" if markdown else "CHARTER CHANGED WITHOUT RE-APPROVAL")
        out.append("")
        for doc in flagged:
            fix = "set a new `version` and `approved_on` once the departments have approved it"
            out.append(f"- `{doc.path}` ({_md(doc.title)}): {_md(doc.unapproved)}; {fix}." if markdown else f"  ! {doc.path}: {doc.unapproved}; {fix.replace('`', '')}.")
        out.append("")
    if result.charter:
        out += ["#### Charter" if markdown else "CHARTER", ""]
        for doc in result.charter:
            out += _document(doc, markdown)
    if result.citing:
        out += ["#### Responses citing a changed rule" if markdown else "RESPONSES CITING A CHANGED RULE", ""]
        if markdown:
            out += ["| Response | Status | Changed rules cited | |", "|---|---|---|---|"]
        out += [_citing_line(item, markdown) for item in result.citing]
        out.append("")
    if result.responses:
        out += ["#### Canned responses" if markdown else "CANNED RESPONSES", ""]
        for doc in result.responses:
            out += _document(doc, markdown)
    if not result.charter and not result.responses:
        out.append("No change to the charter or the canned responses.")
    return "\n".join(out).rstrip() + "\n"
