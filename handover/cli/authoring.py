"""init, new, reply, import: creating knowledge bases, records and replies."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from handover.cli.app import cli
from handover.cli.common import (
    complete_kinds,
    complete_responses,
    fail_usage,
    kb_option,
    parse_today,
    run,
    today_option,
)


@cli.command()
@click.argument("directory", required=False, default=".", metavar="[DIR]")
@click.option("--community", help="The community's name (asked when not given and a terminal is attached).")
@click.option("--language", default="en", show_default=True, help="Language of the content and the site: fr, en…")
@click.option("--country", default="", help="ISO code of the country (FR): phone numbers without +NN are read as its numbers.")
@click.option("--package", metavar="SPEC", help="What CI installs handover from, e.g. git+https://…/handover@v0.1.0 (default: the git repository this handover was installed from). Never the bare name handover: another project owns it on PyPI.")
@click.option("--no-git", is_flag=True, help="Do not run git init.")
@today_option
def init(directory: str, community: str | None, language: str, country: str, package: str | None, no_git: bool, today: str | None) -> None:
    """Start a knowledge base for your community in DIR (default: here), which must
    be empty: records to replace, settings, site configuration, CI, pre-commit, editor
    schemas, and a git repository."""
    from pathlib import Path

    from handover.commands.scaffold import check_target, create_knowledge_base

    target = Path(directory)
    day = parse_today(today)
    run(lambda: check_target(target))  # before asking anything
    if not community:
        suggested = target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My Community"
        community = click.prompt("Community name", default=suggested, err=True) if sys.stdin.isatty() else suggested
    result = run(lambda: create_knowledge_base(target, community=community, language=language, country=country,
                                                package=package, today=day, git=not no_git))
    click.echo(f"created {len(result.files)} files in {result.root}")
    click.echo(f"CI installs handover from: {result.package}")
    for note in result.notes:
        click.echo(f"handover: note: {note}", err=True)
    if result.git:
        click.echo(result.git.message)
    from handover.checks import run_checks
    from handover.records.model import load_kb

    report = run_checks(run(lambda: load_kb(str(target / "kb"))), day)
    click.echo(f"validate: {report.summary()}")
    where = "" if directory == "." else f"cd {directory} && "
    tag = "exemple" if language == "fr" else "example"
    click.echo(f"next: {where}handover validate; replace the example records (tagged {tag}) with your own: handover new team; "
               "handover serve to see the site")


@cli.command()
@click.argument("ident", metavar="ID", shell_complete=complete_responses)
@click.option("--var", "assignments", multiple=True, metavar="NAME=VALUE", help="A value for a {placeholder}; repeat for each.")
@click.option("-p", "--platform", help="Check the length against this platform's limit (exit 1 when too long).")
@kb_option
def reply(ident: str, assignments: tuple[str, ...], platform: str | None, kb_path: str | None) -> None:
    """Print canned response ID with its variables filled in, ready to paste.

    A placeholder without --var takes the variable's fallback, else its default (an
    example value: you are told which). The text goes to standard output; the length
    check and reminders go to standard error."""
    from handover.commands.reply import compose_reply, describe_fit, parse_assignments

    result = run(lambda: compose_reply(ident, parse_assignments(assignments), platform, kb_path))
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
@click.argument("kind", shell_complete=complete_kinds)
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
    from handover.checks import run_checks
    from handover.commands import new as a
    from handover.commands import new_questions as q
    from handover.commands.reply import parse_assignments
    from handover.records.model import load_kb
    from handover.reference.schemas import modeline

    day = parse_today(today)
    spec = run(lambda: a.kind_named(kind))
    kb = run(lambda: a.survey(kb_path))
    config = kb.config
    draft = a.Draft(spec)
    if ident:  # refuse at once, before any question
        run(a.record_path, kb.root, spec, ident)
    for name, value in run(lambda: parse_assignments(settings)).items():
        question = run(q.setting_question, spec, name, config, kb.ids, kb.rule_ids)
        try:
            a.assign(draft, question.path, q.convert(question, value, config, day))
        except ValueError as exc:
            raise click.BadParameter(f"{name}: {exc}", param_hint="--set") from None
    if body is not None:
        a.assign(draft, (q.BODY,), body)
    for question in q.questions(spec, config, day, kb.ids, kb.rule_ids):
        if _answered(draft, question.path):
            continue
        if no_input:
            if question.required and question.default is None:
                fail_usage(f"{question.label} is required: give --set {question.label}=… (or leave out --no-input to be asked)")
            if question.default is not None:
                a.assign(draft, question.path, q.convert(question, question.default, config, day))
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
    ident = ident or run(lambda: a.suggest_id(draft))
    path = run(lambda: a.record_path(kb.root, spec, ident))
    if spec.is_markdown and not draft.body:
        draft.body = a.template_body(spec, config.language, ident)
    text = a.render_record(draft, modeline(path, spec.folder, kb.root))
    run(lambda: a.write_record(path, text))
    click.echo(f"created {path}")
    for name in added:
        click.echo(f"note: {{{name}}} was declared under variables; describe it and give a fallback", err=True)
    if edit:
        click.edit(filename=str(path))
    _validate_new_record(path, kb_path, day, run_checks, load_kb)


def _answered(draft: Any, path: tuple[str, ...]) -> bool:
    from handover.commands.new_questions import BODY

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
    from handover.commands.new_questions import convert

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


def _validate_new_record(path: Any, kb_path: str | None, day: dt.date, run_checks: Any, load_kb: Any) -> None:
    """Validate the knowledge base and report what concerns the new file."""
    import os.path

    kb = run(lambda: load_kb(kb_path))
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

    day = parse_today(today)
    kb = run(lambda: load_kb(kb_path))
    book = run(lambda: read_address_book(Path(file)))
    shown = display_path(Path(file).resolve()) if Path(file).is_absolute() else file
    click.echo(f"{shown}: {book.format}, read as {book.encoding}, {len(book.people)} people")
    plan = run(lambda: plan_contacts(kb, book, organization=organization, department=department, owner=owner,
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
    report = run_checks(run(lambda: load_kb(kb_path)), day)
    written = {str(p.resolve()) for p in result.written}
    own = [p for p in report.problems if str(Path(p.path).resolve()) in written]
    for problem in own:
        click.echo(problem.format_gnu())
    errors = sum(1 for p in own if p.is_error)
    click.echo(f"validated: {errors} error{'s' if errors != 1 else ''}, {len(own) - errors} warning{'s' if len(own) - errors != 1 else ''} in the files written")
    if errors or result.failed:
        sys.exit(1)
