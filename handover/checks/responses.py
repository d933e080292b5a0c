"""Canned responses: placeholders declared and used; the text, rendered with its
defaults, fits the character limit of every platform it lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from handover.checks.memo import CheckMemo, per_record
from handover.core.errors import Problem, error
from handover.records.model import KnowledgeBase, Record
from handover.records.replies import X_PLATFORMS, placeholders, platform_length, render


def check(kb: KnowledgeBase, today: dt.date, memo: CheckMemo | None = None) -> Iterator[Problem]:
    for record in kb.records["responses"].values():
        yield from per_record(memo, "responses", record, partial(check_response, record, kb))


def check_response(record: Record, kb: KnowledgeBase) -> Iterator[Problem]:
    body = record.body or ""
    if not body.strip():
        yield error(record.display, record.body_line or 1, 1, "E506", "the response has no text; write it below the front matter")
        return
    variables = record.data.get("variables")
    variables = variables if isinstance(variables, dict) else {}
    used: set[str] = set()
    for placeholder in placeholders(body):
        used.add(placeholder.name)
        if placeholder.name not in variables:
            yield error(record.display, record.body_line + placeholder.line, placeholder.col + 1, "E501",
                        f'placeholder {{{placeholder.name}}} is not declared; add it under variables with a description and a default')
    for name in variables:
        if name not in used:
            yield record.warning(("variables", name, "<key>"), "W502", f'variable "{name}" is declared but the text never uses {{{name}}}')
    text = render(body, variables)
    platforms = record.data.get("platforms")
    for index, platform in enumerate(platforms if isinstance(platforms, list) else []):
        spec = kb.config.platforms.get(platform) if isinstance(platform, str) else None
        length = platform_length(text, spec.name) if spec and spec.limit else 0
        if spec and spec.limit and length > spec.limit:
            counted = f" (as {spec.label} counts them: a link is 23)" if spec.name in X_PLATFORMS else ""
            yield record.error(("platforms", index), "E503", f"rendered with its defaults the text is {length} characters{counted}; {spec.label} allows {spec.limit}: shorten it or remove {platform}")
    if record.data.get("status") == "approved" and not record.data.get("approved_by"):
        yield record.warning(("status",), "W505", "approved, but approved_by does not say by whom")
