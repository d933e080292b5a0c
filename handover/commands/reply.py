"""`handover reply`: a canned response rendered with its variables, ready to paste.

Only handover.yml and the one response are read, so a reply is instant on any
knowledge base. Each `{placeholder}` takes the value given (`--var`), else the
variable's `fallback` (written to be safe in any reply, e.g. "à vous"), else its
`default` (an example: the caller is told, so that no one pastes "Camille" to Paul).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError, UsageError
from handover.files.yamlio import load_document
from handover.records.config import Config, find_root, load_config
from handover.records.model import display_path
from handover.records.replies import placeholders, platform_length, render
from handover.records.settings import Platform
from handover.records.values import close_match


@dataclass(frozen=True)
class Fit:
    """The rendered text against one platform's limit."""

    platform: Platform
    length: int

    @property
    def fits(self) -> bool:
        return self.platform.limit is None or self.length <= self.platform.limit


@dataclass
class Reply:
    """A rendered response and what the person pasting it should know."""

    ident: str
    title: str
    text: str
    status: str
    reply_in: str | None
    escalate_to: list[str]
    fits: list[Fit]  # the chosen platform, or every platform the response lists
    from_default: dict[str, str] = field(default_factory=dict)  # variable → example value used
    unlisted_platform: bool = False  # the chosen platform is not one the response is written for


def parse_assignments(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`NAME=VALUE` pairs (from --var) as a mapping; the value may hold '=' itself."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f'"{item}" is not NAME=VALUE', hint='write --var prenom=Paul (quote values with spaces: --var "signature=Léa, Cycles Morvan")')
        values[name.strip()] = value
    return values


def find_response(root: Path, ident: str) -> Path:
    """The file of response `ident` (responses/ and its sub-folders)."""
    from handover.records.kinds import KINDS
    from handover.records.walker import records_of

    folder = root / "responses"
    files = records_of(root, KINDS["responses"])  # the loader's walk: a link to outside the kb is no response
    matches = [path for path in files if path.stem == ident]
    if matches:
        return matches[0]
    known = sorted(path.stem for path in files)
    close = close_match(ident, known)
    hint = f'did you mean "{close}"?' if close else ("the responses are: " + ", ".join(known[:20]) if known else "this knowledge base has no responses/ folder yet")
    raise HandoverError(f'no canned response "{ident}" in {display_path(folder)}', hint=hint)


def compose_reply(ident: str, values: dict[str, str], platform: str | None = None, kb_path: str | None = None) -> Reply:
    """Render response `ident` with the given values and measure it."""
    root = find_root(kb_path)
    config = load_config(root, display_path(root))
    path = find_response(root, ident)
    display = display_path(path)
    document = load_document(path, display, markdown=True)
    if not document.loaded.ok:
        first = document.loaded.problems[0]
        raise HandoverError(f"{first.format_gnu()}", hint=f"fix the file, then check it with: handover validate {display_path(root)}")
    data = document.loaded.data
    declared = data.get("variables")
    variables: dict[str, Any] = declared if isinstance(declared, dict) else {}
    body = document.body or ""
    if not body.strip():
        raise HandoverError(f"{display}: the response has no text", hint="write it below the front matter")
    unknown = sorted(set(values) - set(variables))
    if unknown:
        declared = ", ".join(variables) or "none"
        raise UsageError(f'{display}: no variable named {", ".join(unknown)}', hint=f"its variables are: {declared}")
    chosen = _platform(config, platform) if platform else None
    used = {p.name for p in placeholders(body)}
    from_default = {}
    for name in sorted(used & set(variables) - set(values)):
        spec = variables.get(name)
        if isinstance(spec, dict) and not isinstance(spec.get("fallback"), str) and isinstance(spec.get("default"), str):
            from_default[name] = spec["default"]
    text = render(body, variables, values, prefer="fallback")
    listed = [p for p in data.get("platforms") or [] if isinstance(p, str)]
    targets = [chosen] if chosen else [config.platforms[p] for p in listed if p in config.platforms]
    escalate = data.get("escalate_to")
    return Reply(
        ident=ident,
        title=str(data.get("title") or ident),
        text=text,
        status=str(data.get("status") or "draft"),
        reply_in=data.get("reply_in") if isinstance(data.get("reply_in"), str) else None,
        escalate_to=[e for e in escalate if isinstance(e, str)] if isinstance(escalate, list) else [],
        fits=[Fit(target, platform_length(text, target.name)) for target in targets],
        from_default=from_default,
        unlisted_platform=bool(chosen and chosen.name not in listed),
    )


def _platform(config: Config, name: str) -> Platform:
    found = config.platforms.get(name)
    if found is None:
        raise UsageError(f'unknown platform "{name}"', hint=f"the platforms of handover.yml are: {', '.join(config.platforms)}")
    return found


def describe_fit(fit: Fit) -> str:
    """`X: 212/280 characters` (with how X counts, where it matters)."""
    limit = fit.platform.limit
    counted = " (a link counts 23)" if fit.platform.name in ("x", "twitter") else ""
    if limit is None:
        return f"{fit.platform.label}: {fit.length} characters, no limit"
    return f"{fit.platform.label}: {fit.length}/{limit} characters{counted}"

