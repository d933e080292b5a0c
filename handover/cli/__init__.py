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
from handover.core.errors import HandoverError

if TYPE_CHECKING:
    from handover.checks import Report

FORMATS = ("text", "json", "github")


def _today(value: str | None, epoch: bool = False) -> dt.date:
    """--today (or HANDOVER_TODAY): run as if on another date, for drills and reproducible reports.
    With `epoch`, SOURCE_DATE_EPOCH (reproducible builds) gives the date when neither is set."""
    text = value or os.environ.get("HANDOVER_TODAY")
    source_date = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not text and epoch and source_date.isdigit():
        return dt.datetime.fromtimestamp(int(source_date), dt.timezone.utc).date()
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
    from handover.records.model import load_kb

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
    from handover.records.model import load_kb

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
    from handover.site.mkdocs.build import build_site

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

    from handover.records.model import load_kb

    kb = _run(lambda: load_kb(path))
    _quiet_mkdocs(True)
    from handover.site.mkdocs.build import serve_site

    _run(lambda: serve_site(kb, audience=audience, address=dev_addr, config_file=Path(config_file) if config_file else None))


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@today_option
def status(path: str | None, as_json: bool, today: str | None) -> None:
    """The continuity view: accounts with owner, backup and cadence; who is leaving
    with what; orphaned items; open incidents; drafts; stale records.

    Exit 0 when nothing is orphaned and nobody leaving still holds anything, 1 otherwise."""
    from handover.records.model import load_kb
    from handover.commands.status import continuity_status, format_status, status_as_dict

    day = _today(today)
    kb = _run(lambda: load_kb(path))
    view = continuity_status(kb, day)
    click.echo(json.dumps(status_as_dict(view), ensure_ascii=False, indent=2) if as_json else format_status(view))
    sys.exit(0 if view.clean else 1)


@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--kb", "path", metavar="PATH", help="The knowledge base (default: found from here).")
@click.option("--kind", type=click.Choice(("team", "accounts", "contacts", "influencers", "charter", "responses", "incidents")), help="Only records of this kind.")
@click.option("--backup", metavar="ID", help="Who backs up the accounts TO already backs up and now owns.")
@click.option("--dry-run", is_flag=True, help="Show the changes as a diff; write nothing.")
@click.option("--commit", "make_commit", is_flag=True, help="Commit the changed files, and only them, with a message listing the changes.")
@today_option
def transfer(source: str, target: str, path: str | None, kind: str | None, backup: str | None, dry_run: bool, make_commit: bool, today: str | None) -> None:
    """Hand over everything FROM holds (owner, backup, 2FA and recovery holder, vault
    access, actions, relationships) to TO, editing only those values in place.

    Refuses while the knowledge base has uncommitted changes, so that `git diff`
    (and --commit) shows the handover alone."""
    from contextlib import ExitStack

    from handover.files.lock import kb_lock

    day = _today(today)
    root, _ = _kb_root(path)
    with ExitStack() as stack:
        if not dry_run:  # the lock spans the read, the plan and the writes
            _run(lambda: stack.enter_context(kb_lock(root, "transfer")))
        _transfer(str(root), source, target, kind, backup, dry_run, make_commit, day)


def _transfer(path: str, source: str, target: str, kind: str | None, backup: str | None, dry_run: bool, make_commit: bool, day: dt.date) -> None:
    import difflib

    from handover.checks import run_checks
    from handover.records.model import load_kb
    from handover.commands.transfer import apply_transfer, plan_transfer
    from handover.files.yamlio import read_text

    kb = _run(lambda: load_kb(path))
    plan = _run(lambda: plan_transfer(kb, source, target, day, kind=kind, backup=backup))
    for change in plan.changes:
        click.echo(change.describe())
    for note in plan.notes:
        click.echo(f"to do by hand: {note}")
    if dry_run:
        for file in plan.files:
            old = read_text(file, str(file))[0] or ""
            click.echo("".join(difflib.unified_diff(old.splitlines(True), plan.texts[file].splitlines(True), f"a/{plan.displays[file]}", f"b/{plan.displays[file]}")), nl=False)
        click.echo(f"dry run: {len(plan.changes)} change(s) in {len(plan.files)} file(s); nothing written")
        return
    repo = _transfer_repository(kb.root, make_commit)
    if repo is not None:
        pending = _run(repo.uncommitted)
        if pending:
            _fail(HandoverError("the knowledge base has uncommitted changes: " + ", ".join(pending[:10]) + (" …" if len(pending) > 10 else ""),
                                hint="commit or stash them first, so that the transfer's diff holds only the transfer"))
    written = _run(lambda: apply_transfer(plan))
    click.echo(f"transferred {len(plan.changes)} value(s) from {source} to {target} in {len(written)} file(s)")
    if repo is not None and make_commit:
        message = plan.commit_message()
        sha = _run(lambda: repo.commit_paths([str(p.resolve().relative_to(kb.root.resolve())) for p in written], message))
        click.echo(f"committed {sha[:8]}: {message.splitlines()[0]}")
    after = run_checks(_run(lambda: load_kb(path)), day)
    click.echo(f"validation after the transfer: {after.summary()}")
    sys.exit(0 if after.errors == 0 else 1)


def _transfer_repository(root: Any, required: bool) -> Any:
    """The repository to check (and commit to); None outside git unless --commit needs it."""
    from handover.git.history import HistoryUnavailable, open_repository

    try:
        return open_repository(root)
    except HistoryUnavailable as exc:
        if required:
            _fail(HandoverError(f"--commit needs git: {exc.message}", hint=exc.hint))
        return None


@cli.command()
@click.argument("record", metavar="ID")
@click.option("--kb", "path", metavar="PATH", help="The knowledge base (default: found from here).")
@click.option("--reason", default="erasure request", show_default=True, help="Why, for the tombstone (no personal data here).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@today_option
def forget(record: str, path: str | None, reason: str, dry_run: bool, today: str | None) -> None:
    """Erase a person (contact, influencer, or team member who holds nothing): their
    record, every reference to it, every mention of their name, handles, emails and
    phones; leave a tombstone without personal data; empty the caches.

    Then list the commits that still hold the data and print (never run) the command
    that would purge them from git's history. ID is KIND/ID or the ID alone."""
    from contextlib import ExitStack

    from handover.files.lock import kb_lock

    day = _today(today)
    root, display = _kb_root(path)
    with ExitStack() as stack:
        if not dry_run:
            _run(lambda: stack.enter_context(kb_lock(root, "forget")))
        _forget(str(root), display, record, reason, dry_run, day)


def _forget(path: str, display: str, ident: str, reason: str, dry_run: bool, day: dt.date) -> None:
    from handover.commands.forget import apply_forget, plan_forget, purge_command
    from handover.records.model import load_kb

    kb = _run(lambda: load_kb(path))
    plan = _run(lambda: plan_forget(kb, ident))
    person = plan.record
    click.echo(f"{person.display}: the record{' would be' if dry_run else ' is'} deleted")
    for where in plan.references:
        click.echo(f"{where}: reference removed")
    for where in plan.mentions:
        click.echo(f"{where}: mention replaced by {plan.marker}")
    for blocker in plan.blockers:
        click.echo(f"handover: to do by hand first: {blocker}", err=True)
    if plan.blockers:
        sys.exit(1)
    if dry_run:
        click.echo(f"dry run: {len(plan.references)} reference(s), {len(plan.mentions)} mention(s) in {len(plan.files)} file(s); nothing written")
        return
    _run(lambda: apply_forget(kb, plan, day, reason))
    click.echo(f"forgotten: {person.ref}; {len(plan.references)} reference(s) and {len(plan.mentions)} mention(s) removed from {len(plan.files)} file(s); "
               "tombstone in forgotten.yml; caches emptied")
    _report_history(kb.root, person, plan)


def _report_history(root: Any, person: Any, plan: Any) -> None:
    """git's history still holds the person: say where, and how it could be purged."""
    from pathlib import Path

    from handover.commands.forget import purge_command
    from handover.git.history import HistoryUnavailable, open_repository

    try:
        repo = open_repository(root)
        relative = str(Path(person.path).resolve().relative_to(Path(root).resolve()))
        commits = repo.commits_holding([relative], plan.strings)
    except HistoryUnavailable as exc:
        click.echo(f"history: not checked ({exc.message})")
        return
    if not commits:
        click.echo("history: no commit holds this person's data")
        return
    click.echo(f"history: {len(commits)} commit(s) still hold this person's data (git keeps what was once committed):")
    for commit in commits[:20]:
        click.echo(f"  {commit.short} {commit.date.date()} {commit.subject}")
    if len(commits) > 20:
        click.echo(f"  … and {len(commits) - 20} more")
    click.echo("to purge them from history (rewrites every commit; not run by handover; needs git-filter-repo), after committing this change:")
    click.echo(purge_command([repo.repository_path(relative)], plan.strings, plan.marker))


@cli.command()
@click.option("--kb", "path", metavar="PATH", help="The knowledge base (default: found from here).")
@click.option("--person", metavar="ID", help="The person leaving (default: the whole team's pack).")
@click.option("--successor", metavar="ID", help="Who takes over (default: the person's `successor` field).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The archive to write (default: handover-PERSON-DATE.zip here).")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True)
@click.option("--force", is_flag=True, help="Make the pack despite validation errors or secrets (listed).")
@today_option
def export(path: str | None, person: str | None, successor: str | None, output: str | None, audience: str, force: bool, today: str | None) -> None:
    """Make the handover pack: HANDOVER.md/.html, the offline site, data.json, the
    validation report and a verified git bundle, in one zip archive.

    Tells what will be orphaned because nobody is named to take it over."""
    from pathlib import Path

    from handover.commands.export import export_pack, repository_for
    from handover.records.model import load_kb

    day = _today(today, epoch=True)
    kb = _run(lambda: load_kb(path))
    _quiet_mkdocs(False)
    out = Path(output) if output else Path(f"handover-{person or 'team'}-{day.isoformat()}.zip")
    result = _run(lambda: export_pack(kb, out, today=day, person=person, successor=successor, audience=audience, force=force,
                                      repository=repository_for(kb)))
    for reason in result.forced:
        click.echo(f"handover: warning: made despite: {reason}", err=True)
    if result.orphaned:
        click.echo(f"will be orphaned (nobody is named to take it over): {len(result.orphaned)}")
        for item in result.orphaned:
            click.echo(f"  {item}")
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(f"pack written: {result.archive} ({len(result.entries)} files; validation: {result.report.summary()})")


@cli.command()
@click.argument("page", type=click.Choice(("format", "problems")))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
def docs(page: str, output: str | None) -> None:
    """Print a reference page: the knowledge-base FORMAT or the PROBLEMS codes."""
    from handover.reference.pages import format_reference, problems_reference

    text = format_reference() if page == "format" else problems_reference()
    if output:
        from pathlib import Path

        from handover.files.yamlio import atomic_write

        _run(lambda: atomic_write(Path(output), text))
    else:
        click.echo(text, nl=False)


def _kb_root(path: str | None) -> tuple[Any, str]:
    """The knowledge base's folder and how to show it, without loading its records."""
    from handover.records.config import find_root
    from handover.records.model import display_path

    root = _run(lambda: find_root(path))
    return root, display_path(root.resolve()) if root.is_absolute() else str(root)


def _notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"handover: note: {note}", err=True)


@cli.command()
@click.argument("record", metavar="ID")
@click.option("--kb", "path", metavar="PATH", help="The knowledge-base folder (default: found from here).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def history(record: str, path: str | None, as_json: bool) -> None:
    """The changes git holds for one record: date, author, message, and the fields
    each commit changed (old value → new value).

    ID is KIND/ID (contacts/service-juridique), the ID alone when it is unique, or the
    record's file."""
    from handover.git.changes import record_history
    from handover.git.historytext import render_history

    root, display = _kb_root(path)
    result = _run(lambda: record_history(root, display, record))
    _notes(result.notes)
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if as_json else render_history(result, display), nl=as_json)


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--since", metavar="DATE|REV", help="A date (YYYY-MM-DD) or a revision (commit, tag, branch); default: 30 days ago.")
@click.option("--author", metavar="NAME", help="Only what this author changed (part of the name or e-mail, any case).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@today_option
def changes(path: str | None, since: str | None, author: str | None, as_json: bool, today: str | None) -> None:
    """What changed in the knowledge base: records added, changed (field by field) and
    removed, by kind, with who changed them and when."""
    from handover.git.changes import changes_since
    from handover.git.historytext import render_changes

    day = _today(today)
    root, display = _kb_root(path)
    report = _run(lambda: changes_since(root, display, since, day, author))
    _notes(report.notes)
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if as_json else render_changes(report), nl=as_json)


@cli.command()
@click.argument("revisions", required=False, metavar="[BASE[..HEAD]]")
@click.option("--kb", "path", metavar="PATH", help="The knowledge-base folder (default: found from here).")
@click.option("--format", "output_format", type=click.Choice(("text", "markdown")), default="text", show_default=True,
              help="markdown: to paste into a merge request.")
def review(revisions: str | None, path: str | None, output_format: str) -> None:
    """Review a branch's charter and canned-response changes, rule by rule.

    Compares HEAD (or the given HEAD) with its merge base with BASE, as a merge request
    does; BASE defaults to origin/HEAD, origin/main, origin/master, main or master.
    Lists the rules added, removed and reworded (word by word), the responses changed,
    the responses citing a changed rule (to re-approve), and flags charter documents
    whose rules changed without a new version and approved_on."""
    from handover.git.review import review as run_review
    from handover.git.reviewtext import render_review

    root, display = _kb_root(path)
    result = _run(lambda: run_review(root, display, revisions))
    _notes(result.notes)
    click.echo(render_review(result, markdown=output_format == "markdown"), nl=False)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
def textconv(file: str) -> None:
    """Print a Markdown FILE one sentence per line, for readable `git diff`s.

    Meant for git: `git config diff.markdown.textconv "handover textconv"` (see README,
    "Readable diffs"). Other files are printed as they are."""
    from pathlib import Path

    from handover.git.prose import one_sentence_per_line

    try:
        text = Path(file).read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        _fail(HandoverError(f"{file}: cannot read it: {exc.strerror or exc}"))
    click.echo(one_sentence_per_line(text) if file.endswith(".md") else text, nl=False)
def _complete_kinds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from handover.records.kinds import KINDS

    return [k for k in KINDS if k.startswith(incomplete)]


def _complete_responses(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Response ids of the knowledge base found from here (or --kb), for Tab."""
    from handover.records.config import find_root
    from handover.core.errors import HandoverError

    try:
        root = find_root(ctx.params.get("kb_path"))
    except HandoverError:
        return []
    from handover.records.kinds import KINDS
    from handover.records.walker import records_of

    return sorted(path.stem for path in records_of(root, KINDS["responses"]) if path.stem.startswith(incomplete))


@cli.command()
@click.argument("directory", required=False, default=".", metavar="[DIR]")
@click.option("--community", help="The community's name (asked when not given and a terminal is attached).")
@click.option("--language", default="en", show_default=True, help="Language of the content and the site: fr, en…")
@click.option("--country", default="", help="ISO code of the country (FR): phone numbers without +NN are read as its numbers.")
@click.option("--package", metavar="SPEC", help="What CI installs handover from (default: handover==VERSION); e.g. git+https://…/handover@v0.1.0")
@click.option("--no-git", is_flag=True, help="Do not run git init.")
@today_option
def init(directory: str, community: str | None, language: str, country: str, package: str | None, no_git: bool, today: str | None) -> None:
    """Start a knowledge base for your community in DIR (default: here), which must
    be empty: records to replace, settings, site configuration, CI, pre-commit, editor
    schemas, and a git repository."""
    from pathlib import Path

    from handover.commands.scaffold import check_target, create_knowledge_base

    target = Path(directory)
    day = _today(today)
    _run(lambda: check_target(target))  # before asking anything
    if not community:
        suggested = target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My Community"
        community = click.prompt("Community name", default=suggested, err=True) if sys.stdin.isatty() else suggested
    result = _run(lambda: create_knowledge_base(target, community=community, language=language, country=country,
                                                package=package, today=day, git=not no_git))
    click.echo(f"created {len(result.files)} files in {result.root}")
    if result.git:
        click.echo(result.git.message)
    from handover.checks import run_checks
    from handover.records.model import load_kb

    report = run_checks(_run(lambda: load_kb(str(target / "kb"))), day)
    click.echo(f"validate: {report.summary()}")
    where = "" if directory == "." else f"cd {directory} && "
    tag = "exemple" if language == "fr" else "example"
    click.echo(f"next: {where}handover validate; replace the example records (tagged {tag}) with your own: handover new team; "
               "handover serve to see the site")


kb_option = click.option("--kb", "kb_path", metavar="PATH", help="The knowledge-base folder (default: $HANDOVER_KB, or found from here upwards).")


@cli.command()
@click.argument("kind", required=False, shell_complete=_complete_kinds)
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), help="Write KIND.schema.json files into this folder instead of printing.")
@kb_option
def schema(kind: str | None, output_dir: str | None, kb_path: str | None) -> None:
    """Print (or write) the JSON Schema of a record KIND, or of every kind.

    Editors that speak JSON Schema (yaml-language-server in VS Code and others) then
    complete fields and allowed values and flag mistakes as you type. Platforms and
    escalation topics come from the knowledge base's handover.yml."""
    from pathlib import Path

    from handover.records.config import find_root, load_config
    from handover.reference.schemas import schemas_for, to_json, write_schemas

    def config() -> Any:
        root = find_root(kb_path)
        return load_config(root, str(root))

    vocab = _run(config)
    if output_dir:
        for path in _run(lambda: write_schemas(Path(output_dir), vocab, kind)):
            click.echo(f"wrote {path}")
        return
    found = _run(lambda: schemas_for(vocab, kind))
    click.echo(to_json(found[kind] if kind else found), nl=False)


@cli.command()
@click.argument("ident", metavar="ID", shell_complete=_complete_responses)
@click.option("--var", "assignments", multiple=True, metavar="NAME=VALUE", help="A value for a {placeholder}; repeat for each.")
@click.option("-p", "--platform", help="Check the length against this platform's limit (exit 1 when too long).")
@kb_option
def reply(ident: str, assignments: tuple[str, ...], platform: str | None, kb_path: str | None) -> None:
    """Print canned response ID with its variables filled in, ready to paste.

    A placeholder without --var takes the variable's fallback, else its default (an
    example value: you are told which). The text goes to standard output; the length
    check and reminders go to standard error."""
    from handover.commands.reply import compose_reply, describe_fit, parse_assignments

    result = _run(lambda: compose_reply(ident, parse_assignments(assignments), platform, kb_path))
    click.echo(result.text)
    if result.status != "approved":
        click.echo(f"note: {ident} is a {result.status}, not approved yet", err=True)
    for name, value in result.from_default.items():
        click.echo(f'note: {{{name}}} is the example value "{value}"; give --var {name}=… if it differs', err=True)
    if result.unlisted_platform and platform:
        click.echo(f"note: {ident} is not written for {platform}", err=True)
    if result.reply_in == "private":
        click.echo("note: answer in a private message", err=True)
    elif result.reply_in == "both":
        click.echo("note: answer in public, then continue in a private message", err=True)
    if result.escalate_to:
        click.echo(f"note: also alert {', '.join(result.escalate_to)}", err=True)
    too_long = [fit for fit in result.fits if not fit.fits]
    for fit in result.fits:
        click.echo(("too long for " if not fit.fits else "fits ") + describe_fit(fit), err=True)
    if platform and too_long:
        sys.exit(1)


@cli.command("new")
@click.argument("kind", shell_complete=_complete_kinds)
@click.argument("ident", required=False, metavar="[ID]")
@click.option("-s", "--set", "settings", multiple=True, metavar="FIELD=VALUE",
              help="A field's value, without being asked (lists comma-separated; channels.email for nested fields). Repeat for each.")
@click.option("--body", help="The text of a Markdown record (a response's text).")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR before validating it.")
@click.option("--no-input", is_flag=True, help="Never ask: use defaults, and fail if a required value is missing (for scripts).")
@kb_option
@today_option
def new(kind: str, ident: str | None, settings: tuple[str, ...], body: str | None, edit: bool, no_input: bool,
        kb_path: str | None, today: str | None) -> None:
    """Create a record of KIND (team, accounts, contacts, influencers, charter,
    responses, incidents) from a template, asking for the required fields.

    The id is made from the name or title unless ID is given. The file lists the
    other fields as comments; it is validated right after it is written, and an
    existing record is never replaced."""
    from handover.commands import new as a
    from handover.checks import run_checks
    from handover.records.model import load_kb
    from handover.commands.reply import parse_assignments
    from handover.reference.schemas import modeline

    day = _today(today)
    spec = _run(lambda: a.kind_named(kind))
    kb = _run(lambda: a.survey(kb_path))
    config = kb.config
    draft = a.Draft(spec)
    if ident:  # refuse at once, before any question
        given = ident
        _run(lambda: a.record_path(kb.root, spec, given))
    for name, value in _run(lambda: parse_assignments(settings)).items():
        question = _run(lambda: a.setting_question(spec, name, config, kb.ids, kb.rule_ids))
        try:
            a.assign(draft, question.path, a.convert(question, value, config, day))
        except ValueError as exc:
            raise click.BadParameter(f"{name}: {exc}", param_hint="--set") from None
    if body is not None:
        a.assign(draft, (a.BODY,), body)
    for question in a.questions(spec, config, day, kb.ids, kb.rule_ids):
        if _answered(draft, question.path):
            continue
        if no_input:
            if question.required and question.default is None:
                _fail_usage(f"{question.label} is required: give --set {question.label}=… (or leave out --no-input to be asked)")
            if question.default is not None:
                a.assign(draft, question.path, a.convert(question, question.default, config, day))
            continue
        a.assign(draft, question.path, _ask(question, config, day))
    added = a.declare_placeholders(draft)
    draft.data.setdefault("reviewed_on", day)
    problems = a.record_problems(draft, config)
    if problems:
        for problem in problems:
            click.echo(f"handover: error: {problem}", err=True)
        click.echo("handover: nothing was written; give the values with --set FIELD=VALUE (see guide/format.md)", err=True)
        sys.exit(1)
    ident = ident or _run(lambda: a.suggest_id(draft))
    path = _run(lambda: a.record_path(kb.root, spec, ident))
    if spec.is_markdown and not draft.body:
        draft.body = a.template_body(spec, config.language, ident)
    text = a.render_record(draft, modeline(path, spec.folder, kb.root))
    _run(lambda: a.write_record(path, text))
    click.echo(f"created {path}")
    for name in added:
        click.echo(f"note: {{{name}}} was declared under variables; describe it and give a fallback", err=True)
    if edit:
        click.edit(filename=str(path))
    _validate_new_record(path, kb_path, day, run_checks, load_kb)


def _answered(draft: Any, path: tuple[str, ...]) -> bool:
    from handover.commands.new import BODY

    if path == (BODY,):
        return bool(draft.body)
    target = draft.data
    for key in path:
        if not isinstance(target, dict) or key not in target:
            return False
        target = target[key]
    return True


def _ask(question: Any, config: Any, day: dt.date) -> Any:
    """Ask until the answer is valid (an optional question may be skipped)."""
    from handover.commands.new import convert

    hint = question.hint()
    if question.known:
        shown = ", ".join(question.known[:8]) + (", …" if len(question.known) > 8 else "")
        hint = (hint + "; " if hint else "") + f"known: {shown}"
    label = question.label + ("" if question.required else " (optional, Enter to skip)")
    click.echo(click.style(question.doc, dim=True) + (f" [{hint}]" if hint else ""), err=True)
    while True:
        answer = click.prompt(label, default=question.default if question.default is not None else "",
                              show_default=question.default is not None, err=True)
        try:
            return convert(question, answer, config, day)
        except ValueError as exc:
            click.echo(f"  {exc}", err=True)


def _fail_usage(message: str) -> NoReturn:
    click.echo(f"handover: error: {message}", err=True)
    sys.exit(2)


def _validate_new_record(path: Any, kb_path: str | None, day: dt.date, run_checks: Any, load_kb: Any) -> None:
    """Validate the knowledge base and report what concerns the new file."""
    import os.path

    kb = _run(lambda: load_kb(kb_path))
    report = run_checks(kb, day)
    target = os.path.abspath(path)
    name = os.path.basename(target)
    # Its own problems, and those it causes elsewhere (a handle or id another record has).
    own = [p for p in report.problems if os.path.abspath(p.path) == target or (p.is_error and name in p.message)]
    for problem in own:
        click.echo(problem.format_gnu())
    errors = sum(1 for p in own if p.is_error)
    click.echo(f"validated: {errors} error{'s' if errors != 1 else ''}, {len(own) - errors} warning{'s' if len(own) - errors != 1 else ''} about the new record")
    if errors:
        click.echo(f"handover: fix the file, then run: handover validate {kb.display_root}", err=True)
        sys.exit(1)


@cli.group("import")
def import_group() -> None:
    """Bring in what you already keep elsewhere (address books)."""


@import_group.command("contacts")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--apply", "apply_changes", is_flag=True, help="Write the records (without it: a dry run that only reports).")
@click.option("--organization", help="Organization for the people who have none in the file.")
@click.option("--department", default="other", show_default=True, help="Department when the file's does not say (legal, press, media…).")
@click.option("--owner", metavar="TEAM_ID", help="Team member who owns the new contacts.")
@click.option("--country", metavar="CODE", help="Country of numbers written without +NN (default: country in handover.yml).")
@kb_option
@today_option
def import_contacts(file: str, apply_changes: bool, organization: str | None, department: str, owner: str | None,
                    country: str | None, kb_path: str | None, today: str | None) -> None:
    """Import contacts from FILE: a Google or Outlook CSV export, or vCard (.vcf).

    A person already in contacts/ (same email, or same phone however written) is
    merged: only what the record lacks is added. Phones are written in international
    format. Reports what would be created, merged and skipped, and why; bad rows are
    reported and left out. Nothing is written without --apply."""
    from pathlib import Path

    from handover.commands.importers import read_address_book
    from handover.commands.importers.contacts import apply_plan, plan_contacts
    from handover.records.model import display_path, load_kb

    day = _today(today)
    kb = _run(lambda: load_kb(kb_path))
    book = _run(lambda: read_address_book(Path(file)))
    shown = display_path(Path(file).resolve()) if Path(file).is_absolute() else file
    click.echo(f"{shown}: {book.format}, read as {book.encoding}, {len(book.people)} people")
    plan = _run(lambda: plan_contacts(kb, book, organization=organization, department=department, owner=owner,
                                      country=country.upper() if country else None, today=day))
    entries: list[tuple[int, int, str]] = []
    for issue in book.issues:
        entries.append((issue.line, 0, f"{shown}:{issue.line}: bad row: {issue.message}"))
    for action in plan.actions:
        if action.action == "create":
            text = f"create contacts/{action.ident}: {action.reason}"
        elif action.action == "merge":
            adds = ", ".join(f'{name} "{value}"' for name, value in action.added.items())
            text = f"merge into contacts/{action.ident} ({action.reason}): add {adds}"
        else:
            text = f"skip {action.name}: {action.reason}"
        entries.append((action.line, 1, f"{shown}:{action.line}: {text}"))
    for note in plan.notes:
        entries.append((note.line, 2, f"{shown}:{note.line}: note: {note.message}"))
    for _, _, text in sorted(entries, key=lambda e: (e[0], e[1])):
        click.echo(text)
    counts = f"{plan.count('create')} to create, {plan.count('merge')} to merge, {plan.count('skip')} skipped, {len(book.issues)} bad row{'s' if len(book.issues) != 1 else ''}"
    if not apply_changes:
        click.echo(f"{counts}; dry run: nothing written (add --apply to write)")
        return
    from handover.checks import run_checks

    result = apply_plan(kb, plan, day)
    for issue in result.failed:
        click.echo(f"{shown}:{issue.line}: not written: {issue.message}", err=True)
    click.echo(f"{counts}; wrote {len(result.written)} file{'s' if len(result.written) != 1 else ''}")
    report = run_checks(_run(lambda: load_kb(kb_path)), day)
    written = {str(p.resolve()) for p in result.written}
    own = [p for p in report.problems if str(Path(p.path).resolve()) in written]
    for problem in own:
        click.echo(problem.format_gnu())
    errors = sum(1 for p in own if p.is_error)
    click.echo(f"validated: {errors} error{'s' if errors != 1 else ''}, {len(own) - errors} warning{'s' if len(own) - errors != 1 else ''} in the files written")
    if errors or result.failed:
        sys.exit(1)


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

    def run() -> Any:
        root = find_root(kb_path)
        config = load_config(root, display_path(root))
        return using_index(root, config.language, lambda index: index.search(query, kinds=kinds, limit=limit), country=config.country)

    result = _run(run)
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
    from handover.records.model import load_kb
    from handover.commands.triage import triage as run_triage

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
