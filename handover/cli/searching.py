"""search and triage: finding the record or the response for a situation."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from handover.cli.app import cli
from handover.cli.common import (
    kb_option,
    run,
)


@cli.command()
@click.argument("query")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only records of this kind (response, contact, influencer, incident, rule, charter, account, team); repeatable.")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Results as JSON.")
@kb_option
def search(query: str, kinds: tuple[str, ...], limit: int, as_json: bool, kb_path: str | None) -> None:
    """Search the knowledge base: ranked records with the matching passage.

    \b
    Words match in any form and with or without accents (moderateurs finds
    modération); any of the words may match, the records matching most come first.
    \b
      "exact phrase"     its words side by side, in this order
      a AND b            both words required;  NOT word, a OR b, (groups)
      field:value        filters, always required: kind:response  tag:crise
                         owner:lea-martin  platform:instagram  status:draft
                         language:en  rule:no-delete  topic:legal  id:ID
    \b
    The index lives in .handover-cache/ beside the records and is updated from
    the files that changed since the last search (rebuilt when needed)."""
    from handover.records.config import find_root, load_config
    from handover.records.model import display_path
    from handover.search.index import using_index

    def search_index() -> Any:
        root = find_root(kb_path)
        config = load_config(root, display_path(root))
        return using_index(root, config.language, lambda index: index.search(query, kinds=kinds, limit=limit), country=config.country)

    result = run(search_index)
    status = result.status.as_dict()
    if as_json:
        payload = {"query": result.query, "total": result.total, "results": [h.as_dict() for h in result.hits],
                   "fuzzy": result.fuzzy, "index": status}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _index_notes(status, result.fuzzy)
    if not result.hits:
        click.echo(f'no results for "{result.query}"')
        return
    shown = f"{len(result.hits)} of {result.total}" if result.total > len(result.hits) else str(result.total)
    click.echo(f'{shown} result{"s" if result.total != 1 else ""} for "{result.query}"')  # secrets in it redacted
    for hit in result.hits:
        click.echo("")
        click.echo(f"{click.style(hit.ref, bold=True) if sys.stdout.isatty() else hit.ref}  {hit.title}")
        if hit.snippet:
            click.echo(f"    {_emphasis(hit.snippet)}")


def _emphasis(text: str) -> str:
    """`**word**` (matched words) in bold on a terminal; kept as is in a pipe."""
    if not sys.stdout.isatty():
        return text
    parts = text.split("**")
    return "".join(click.style(part, bold=True) if i % 2 else part for i, part in enumerate(parts))


def _index_notes(status: dict[str, Any], fuzzy: list[str]) -> None:
    """What keeping the index fresh took, and the words widened to close spellings, on stderr."""
    if status["rebuilt"]:
        where = "in memory only" if status["in_memory"] else "built"
        click.echo(f"search index {where}: {status['documents']} entries in {status['seconds']:.1f} s ({status['reason']})", err=True)
    elif status["added"] or status["updated"] or status["removed"]:
        click.echo(f"search index updated: {status['added']} new, {status['updated']} changed, {status['removed']} removed file(s)", err=True)
    if status["stale"]:
        click.echo("search index: another handover is updating it; results may miss its latest changes", err=True)
    if status["unreadable"]:
        click.echo(f"{len(status['unreadable'])} file(s) could not be read as records and are not searched (see handover validate): "
                   + ", ".join(status["unreadable"][:5]) + (" …" if len(status["unreadable"]) > 5 else ""), err=True)
    if fuzzy:
        click.echo("no exact match for " + ", ".join(f'"{w}"' for w in fuzzy) + ": close spellings searched instead", err=True)


@cli.command()
@click.argument("message")
@click.option("--author", metavar="HANDLE", help="Who wrote it (@handle): recognised among influencers and contacts.")
@click.option("--platform", metavar="PLATFORM", help="Where it was posted: responses are checked against its length limit.")
@click.option("-n", "--limit", type=click.IntRange(1, 20), default=3, show_default=True, help="How many responses to suggest.")
@click.option("--json", "as_json", is_flag=True, help="The triage as JSON.")
@kb_option
def triage(message: str, author: str | None, platform: str | None, limit: int, as_json: bool, kb_path: str | None) -> None:
    """What to do with an incoming MESSAGE (a comment, a DM; - reads it from stdin):
    who wrote it, the best canned responses rendered for the platform, the charter
    rules they apply, whom to alert, and similar past incidents.

    An aid to sorting, not a decision: when in doubt, apply the charter and ask."""
    from handover.commands.triage import triage as run_triage
    from handover.records.model import load_kb

    if message == "-":
        message = sys.stdin.read()
    kb = run(lambda: load_kb(kb_path))
    result = run(lambda: run_triage(kb, message, author=author, platform=platform, limit=limit))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _index_notes(result.index, result.index.get("fuzzy", []))
    _print_triage(result, kb.config.platforms)


def _print_triage(result: Any, platforms: dict[str, Any]) -> None:
    from textwrap import shorten

    label = platforms[result.platform].label if result.platform else None
    click.echo(f'Message: "{shorten(" ".join(result.message.split()), 160, placeholder=" …")}"' + (f" (on {label})" if label else ""))
    if result.author_handle or result.author:
        _heading("Author")
        _print_author(result.author_handle, result.author)
    if result.topics:
        _heading("Topics")
        for topic, why in result.topics.items():
            click.echo(f"  {topic}: {why}")
    if result.silent:
        silent = result.silent
        _heading("Do not answer with a canned response")
        click.echo(f"  {silent.action}: charter rule {silent.rule}, {silent.title}  ({silent.where})")
        click.echo(f"  why: {silent.why}")
    _print_suggestions(result, platforms)
    if result.rules:
        _heading(f"Charter rules ({result.suggestions[0].id} applies them)")
        for rule in result.rules:
            click.echo(f"  {rule.id}: {rule.title}  ({rule.where})")
    _print_escalations(result.escalations)
    if result.incidents:
        _heading("Similar past incidents")
        for incident in result.incidents:
            facts = ", ".join(x for x in (incident.started, f"severity {incident.severity}" if incident.severity else "", incident.status) if x)
            click.echo(f"  incidents/{incident.id}: {incident.title} ({facts}): {incident.why}")


def _heading(text: str) -> None:
    click.echo("")
    click.echo(click.style(text, bold=True) if sys.stdout.isatty() else text)


def _print_author(handle: str | None, author: Any) -> None:
    from textwrap import shorten

    if author is None:
        click.echo(f"  {handle}: not in the knowledge base (neither an influencer nor a contact)")
        return
    what = "influencer" if author.kind == "influencers" else "contact"
    if author.signed:
        click.echo(f"  {author.name}, {what} ({author.kind}/{author.id}): the message opens or ends with this name")
    else:
        click.echo(f"  {author.handle} on {author.platform}: {author.name}, {what} ({author.kind}/{author.id})")
    details = [f"tier {author.tier}" if author.tier else "", f"stance {author.stance}" if author.stance else "",
               f"relationship {author.stage}" if author.stage else "", author.organization or "", author.role or ""]
    if any(details):
        click.echo("  " + ", ".join(d for d in details if d))
    owner = f"{author.owner_name} ({author.owner})" if author.owner_name else (author.owner or "nobody")
    leaving = f", who leaves on {author.owner_leaving}" if author.owner_leaving else ""
    click.echo(f"  relationship owner: {owner}{leaving}; last contact: {author.last_contact or 'never recorded'}")
    if author.notes:
        click.echo(f"  {shorten(author.notes, 300, placeholder=' …')}")


def _print_suggestions(result: Any, platforms: dict[str, Any]) -> None:
    from textwrap import indent

    from handover.commands.triage import fit_line

    _heading("Suggested responses" + (" (if you answer after all)" if result.silent else ""))
    if result.priority:
        click.echo(f"  {result.priority}")
    if not result.suggestions:
        click.echo("  none fits: write your own following the charter, then propose it as a response (status: draft)")
    for rank, suggestion in enumerate(result.suggestions, 1):
        click.echo(f"  {rank}. {suggestion.id}: {suggestion.title}  [{suggestion.status}, {suggestion.language}, reply in {suggestion.reply_in or '?'}]")
        if suggestion.matched:
            click.echo(f"     matched: {_emphasis(suggestion.matched)}")
        click.echo(f"     {fit_line(suggestion, platforms)}")
        click.echo(indent(suggestion.shown or suggestion.text, "     | ", lambda line: True))
    if any(s.examples for s in result.suggestions):
        click.echo("  [e.g. …] values are examples: replace them (handover reply ID --var NAME=VALUE)")
    if result.nothing_fits and result.platform:
        click.echo(f"  none of these fits {platforms[result.platform].label} ({platforms[result.platform].limit} characters): "
                   "shorten one, or answer in private")


def _print_escalations(escalations: list[Any]) -> None:
    from textwrap import shorten

    if not escalations:
        return
    _heading("Escalate to")
    for contact in escalations:
        why = ", ".join(contact.topics) or "named by the response"
        reach = ", ".join(x for x in (contact.phone, contact.email) if x)
        click.echo(f"  {contact.name} ({contact.organization}): {why}. {reach}")
        if contact.availability:
            click.echo(f"     hours: {contact.availability}")
        if contact.out_of_hours:
            click.echo(f"     out of hours: {shorten(contact.out_of_hours, 200, placeholder=' …')}")
