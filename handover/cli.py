"""The command line: parse, call one core function, print, set the exit code.

The only module that imports click and the only one that writes to the terminal.
Core modules are imported inside each command so that `handover --help` stays fast
and never loads MkDocs or git.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, NoReturn

import click

from handover import __version__
from handover.errors import HandoverError

if TYPE_CHECKING:
    from handover.checks import Report

FORMATS = ("text", "json", "github")


def _today(value: str | None) -> dt.date:
    """--today (or HANDOVER_TODAY): run as if on another date, for drills and reproducible reports."""
    text = value or os.environ.get("HANDOVER_TODAY")
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f'"{text}" is not a date; write YYYY-MM-DD', param_hint="--today / HANDOVER_TODAY") from None


def _fail(exc: HandoverError) -> NoReturn:
    click.echo(f"handover: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except HandoverError as exc:
        _fail(exc)


today_option = click.option("--today", metavar="DATE", help="Check as if today were DATE (YYYY-MM-DD); also HANDOVER_TODAY.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="handover")
def cli() -> None:
    """Keep a community's working knowledge in git: validate it, search it, publish it,
    and hand it over when someone leaves."""


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@today_option
def validate(path: str | None, strict: bool, output_format: str, today: str | None) -> None:
    """Check the knowledge base at PATH (default: found from here) and report problems.

    Exit 0 when there are no errors (no warnings either with --strict), 1 otherwise.
    """
    from handover.checks import run_checks
    from handover.model import load_kb

    day = _today(today)
    kb = _run(lambda: load_kb(path))
    report = run_checks(kb, day)
    _print_report(report, output_format, strict)
    sys.exit(0 if report.passed(strict) else 1)


def _quiet_mkdocs(verbose: bool) -> None:
    """MkDocs logs through `logging`; show its warnings (and more with -v) on stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--strict", is_flag=True, help="Fail on any MkDocs warning (validation errors always stop the build).")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True, help="public: only records and fields marked public.")
@click.option("--offline", is_flag=True, help="A site that works from file://, search included.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Where to write the site (default: mkdocs.yml's site_dir).")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, exists=True), help="mkdocs.yml to use (default: found beside the knowledge base).")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress.")
@today_option
def build(path: str | None, strict: bool, audience: str, offline: bool, site_dir: str | None, config_file: str | None, verbose: bool, today: str | None) -> None:
    """Validate the knowledge base, then build its site.

    Validation errors stop the build, with the same report as validate; warnings are
    counted and the build goes on."""
    from pathlib import Path

    from handover.checks import run_checks
    from handover.model import load_kb

    day = _today(today)
    kb = _run(lambda: load_kb(path))
    report = run_checks(kb, day)
    if report.errors:
        _print_report(report, "text", False)
        click.echo("handover: the site was not built: fix the errors above", err=True)
        sys.exit(1)
    if report.warnings:
        click.echo(f"validation: {report.summary()} (see handover validate)", err=True)
    _quiet_mkdocs(verbose)
    from handover.site.build import build_site

    result = _run(lambda: build_site(kb, site_dir=Path(site_dir) if site_dir else None, audience=audience, offline=offline,
                                     strict=strict, today=day, config_file=Path(config_file) if config_file else None))
    click.echo(f"built {result.pages} pages ({result.bytes / 1e6:.1f} MB, {audience}{', offline' if offline else ''}) in {result.seconds:.1f} s: {result.site_dir}")


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help="Address to serve on.")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, exists=True))
def serve(path: str | None, audience: str, dev_addr: str, config_file: str | None) -> None:
    """Preview the site, rebuilt live when a record changes."""
    from pathlib import Path

    from handover.model import load_kb

    kb = _run(lambda: load_kb(path))
    _quiet_mkdocs(True)
    from handover.site.build import serve_site

    _run(lambda: serve_site(kb, audience=audience, address=dev_addr, config_file=Path(config_file) if config_file else None))


@cli.command()
@click.argument("page", type=click.Choice(("format", "problems")))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
def docs(page: str, output: str | None) -> None:
    """Print a reference page: the knowledge-base FORMAT or the PROBLEMS codes."""
    from handover.reference import format_reference, problems_reference

    text = format_reference() if page == "format" else problems_reference()
    if output:
        from pathlib import Path

        from handover.yamlio import atomic_write

        _run(lambda: atomic_write(Path(output), text))
    else:
        click.echo(text, nl=False)


kb_option = click.option("--kb", "kb_path", metavar="PATH", help="The knowledge base (default: $HANDOVER_KB, or found from here upwards).")


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
      "exact phrase"     words in this order
      a AND b            both words required;  NOT word, a OR b, (groups)
      field:value        filters, always required: kind:response  tag:crise
                         owner:lea-martin  platform:instagram  status:draft
                         language:en  rule:no-delete  topic:legal  id:ID
    \b
    The index lives in .handover-cache/ beside the records and is updated from
    the files that changed since the last search (rebuilt when needed)."""
    from handover.config import find_root, load_config
    from handover.model import display_path
    from handover.search import using_index

    def run() -> Any:
        root = find_root(kb_path)
        config = load_config(root, display_path(root))
        return using_index(root, config.language, lambda index: index.search(query, kinds=kinds, limit=limit))

    result = _run(run)
    status = result.status.as_dict()
    if as_json:
        payload = {"query": query, "total": result.total, "results": [h.as_dict() for h in result.hits],
                   "fuzzy": result.fuzzy, "index": status}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _index_notes(status, result.fuzzy)
    if not result.hits:
        click.echo(f'no results for "{query}"')
        return
    shown = f"{len(result.hits)} of {result.total}" if result.total > len(result.hits) else str(result.total)
    click.echo(f'{shown} result{"s" if result.total != 1 else ""} for "{query}"')
    for hit in result.hits:
        click.echo("")
        click.echo(f"{click.style(hit.ref, bold=True) if sys.stdout.isatty() else hit.ref}  {hit.title}")
        if hit.snippet:
            click.echo(f"    {_emphasis(hit.snippet)}")


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
    from handover.model import load_kb
    from handover.triage import triage as run_triage

    if message == "-":
        message = sys.stdin.read()
    kb = _run(lambda: load_kb(kb_path))
    result = _run(lambda: run_triage(kb, message, author=author, platform=platform, limit=limit))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _index_notes(result.index, result.index.get("fuzzy", []))
    _print_triage(result, kb.config.platforms)


def _print_triage(result: Any, platforms: dict[str, Any]) -> None:
    from textwrap import indent, shorten

    def heading(text: str) -> None:
        click.echo("")
        click.echo(click.style(text, bold=True) if sys.stdout.isatty() else text)

    label = platforms[result.platform].label if result.platform else None
    click.echo(f'Message: "{shorten(" ".join(result.message.split()), 160, placeholder=" …")}"' + (f" (on {label})" if label else ""))
    if result.author_handle:
        heading("Author")
        author = result.author
        if author is None:
            click.echo(f"  {result.author_handle}: not in the knowledge base (neither an influencer nor a contact)")
        else:
            what = "influencer" if author.kind == "influencers" else "contact"
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
    if result.topics:
        heading("Topics")
        for topic, why in result.topics.items():
            click.echo(f"  {topic}: {why}")
    heading("Suggested responses")
    if not result.suggestions:
        click.echo("  none fits: write your own following the charter, then propose it as a response (status: draft)")
    for rank, suggestion in enumerate(result.suggestions, 1):
        click.echo(f"  {rank}. {suggestion.id}: {suggestion.title}  [{suggestion.status}, {suggestion.language}, reply in {suggestion.reply_in or '?'}]")
        if suggestion.matched:
            click.echo(f"     matched: {_emphasis(suggestion.matched)}")
        click.echo(f"     {_fit(suggestion, platforms)}")
        click.echo(indent(suggestion.text, "     | ", lambda line: True))
    if result.rules:
        heading(f"Charter rules ({result.suggestions[0].id} applies them)")
        for rule in result.rules:
            click.echo(f"  {rule.id}: {rule.title}  ({rule.where})")
    if result.escalations:
        heading("Escalate to")
        for contact in result.escalations:
            why = ", ".join(contact.topics) or "named by the response"
            reach = ", ".join(x for x in (contact.phone, contact.email) if x)
            click.echo(f"  {contact.name} ({contact.organization}): {why}. {reach}")
            if contact.availability:
                click.echo(f"     hours: {contact.availability}")
            if contact.out_of_hours:
                click.echo(f"     out of hours: {shorten(contact.out_of_hours, 200, placeholder=' …')}")
    if result.incidents:
        heading("Similar past incidents")
        for incident in result.incidents:
            facts = ", ".join(x for x in (incident.started, f"severity {incident.severity}" if incident.severity else "", incident.status) if x)
            click.echo(f"  incidents/{incident.id}: {incident.title} ({facts}): {incident.why}")


def _fit(suggestion: Any, platforms: dict[str, Any]) -> str:
    """One line on the response's length against the platform (or its own platforms)."""
    if suggestion.platform:
        label = platforms[suggestion.platform].label
        listed = "" if suggestion.listed else f"; not written for {label} (it lists {', '.join(suggestion.platforms)})"
        if suggestion.limit is None:
            return f"{suggestion.length} characters, no limit on {label}{listed}"
        verdict = "fits" if suggestion.fits else "TOO LONG for"
        return f"{verdict} {label}: {suggestion.length}/{suggestion.limit} characters{listed}"
    if suggestion.too_long_for:
        return f"{suggestion.length} characters: too long for {', '.join(suggestion.too_long_for)}"
    return f"{suggestion.length} characters, fits every platform it lists ({', '.join(suggestion.platforms)})"


def _print_report(report: Report, output_format: str, strict: bool) -> None:
    if output_format == "json":
        payload = {
            "problems": [p.as_dict() for p in report.problems],
            "summary": {"errors": report.errors, "warnings": report.warnings, "records": report.records, "passed": report.passed(strict)},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if output_format == "github":
        for problem in report.problems:
            level = "error" if problem.is_error else "warning"
            location = f"file={problem.path}"
            if problem.line:
                location += f",line={problem.line},col={problem.col or 1}"
            message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            click.echo(f"::{level} {location},title={problem.code}::{message}")
        click.echo(report.summary())
        return
    for problem in report.problems:
        click.echo(problem.format_gnu())
    click.echo(report.summary(), err=False)


def main() -> None:
    """Console-script entry point: no input, however broken, ends in a traceback."""
    try:
        cli.main(prog_name="handover", standalone_mode=True)
    except SystemExit as exc:
        _exit_now(exc.code)
    except KeyboardInterrupt:
        click.echo("handover: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly, traceback only on request
        if os.environ.get("HANDOVER_DEBUG"):
            raise
        click.echo(f"handover: internal error: {type(exc).__name__}: {exc}\n  please report it; set HANDOVER_DEBUG=1 for details", err=True)
        sys.exit(1)


def _exit_now(code: object) -> NoReturn:
    """Exit without tearing the heap down: freeing a large knowledge base object by
    object takes longer than validating it. Output is flushed first; nothing else
    is pending (every file the tool writes is written atomically before this)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        click.echo(str(code), err=True)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)
