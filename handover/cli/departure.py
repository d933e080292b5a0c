"""transfer, forget, export: moving what a leaver holds, erasing a person, the handover pack."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from handover.cli.app import cli
from handover.cli.common import (
    fail,
    judging_day,
    kb_option,
    kb_root,
    parse_today,
    quiet_mkdocs,
    run,
    today_option,
)
from handover.core.errors import HandoverError


@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@kb_option
@click.option("--kind", type=click.Choice(("team", "accounts", "contacts", "influencers", "charter", "responses", "incidents")), help="Only records of this kind.")
@click.option("--backup", metavar="ID", help="Who backs up the accounts TO already backs up and now owns.")
@click.option("--dry-run", is_flag=True, help="Show the changes as a diff; write nothing.")
@click.option("--commit", "make_commit", is_flag=True, help="Commit the changed files, and only them, with a message listing the changes.")
@today_option
def transfer(source: str, target: str, kb_path: str | None, kind: str | None, backup: str | None, dry_run: bool, make_commit: bool, today: str | None) -> None:
    """Hand over everything FROM holds (owner, backup, 2FA and recovery holder, vault
    access, actions, relationships) to TO, editing only those values in place.

    Refuses while the knowledge base has uncommitted changes, so that `git diff`
    (and --commit) shows the handover alone."""
    from contextlib import ExitStack

    from handover.files.lock import kb_lock

    day = parse_today(today)
    root, _ = kb_root(kb_path)
    with ExitStack() as stack:
        if not dry_run:  # the lock spans the read, the plan and the writes
            run(lambda: stack.enter_context(kb_lock(root, "transfer")))
        _transfer(str(root), source, target, kind, backup, dry_run, make_commit, day)


def _transfer(path: str, source: str, target: str, kind: str | None, backup: str | None, dry_run: bool, make_commit: bool, day: dt.date) -> None:
    import difflib

    from handover.checks import run_checks
    from handover.commands.transfer import apply_transfer, plan_transfer
    from handover.files.yamlio import read_text
    from handover.records.model import load_kb

    kb = run(lambda: load_kb(path))
    plan = run(lambda: plan_transfer(kb, source, target, day, kind=kind, backup=backup))
    for change in plan.changes:
        click.echo(change.describe())
    for note in plan.notes:
        click.echo(f"to do by hand: {note}")
    for flag in plan.flagged:
        click.echo(f"flagged: {flag}")
    if dry_run:
        for file in plan.files:
            old = read_text(file, str(file))[0] or ""
            click.echo("".join(difflib.unified_diff(old.splitlines(True), plan.texts[file].splitlines(True), f"a/{plan.displays[file]}", f"b/{plan.displays[file]}")), nl=False)
        before = _checklist_before(kb, source, day)
        if before is not None:
            from handover.commands.checklist import transferred_steps

            _, ticked = transferred_steps(before, *_transferred(plan), target, day)
            click.echo(f"checklist of {before.person.id}: {len(ticked)} step(s) would be done by this transfer")
        click.echo(f"dry run: {len(plan.changes)} change(s) in {len(plan.files)} file(s); nothing written")
        return
    repo = _transfer_repository(kb.root, make_commit)
    if repo is not None:
        pending = run(repo.uncommitted)
        if pending:
            fail(HandoverError("the knowledge base has uncommitted changes: " + ", ".join(pending[:10]) + (" …" if len(pending) > 10 else ""),
                                hint="commit or stash them first, so that the transfer's diff holds only the transfer"))
    before = _checklist_before(kb, source, day)
    checklist = _ticked_checklist(kb, before, plan, target, day) if before is not None else None
    also = {checklist[0]: checklist[1]} if checklist is not None else {}
    written = run(lambda: apply_transfer(plan, kb.root, also))
    click.echo(f"transferred {len(plan.changes)} value(s) from {source} to {target} in {len(plan.files)} file(s)")
    if before is not None and checklist is not None:
        left = len([s for s in before.steps if s.state == "todo"]) - len(checklist[2])
        click.echo(f"checklist of {before.person.id}: {len(checklist[2])} step(s) done by this transfer, {left} still open (handover checklist {before.person.id})")
    if repo is not None and make_commit:
        message = plan.commit_message()
        sha = run(lambda: repo.commit_paths([str(p.resolve().relative_to(kb.root.resolve())) for p in written], message))
        click.echo(f"committed {sha[:8]}: {message.splitlines()[0]}")
    after = run_checks(run(lambda: load_kb(path)), day)
    click.echo(f"validation after the transfer: {after.summary()}")
    sys.exit(0 if after.errors == 0 else 1)


def _transferred(plan: Any) -> tuple[set[str], set[str]]:
    """(records whose holder the plan changes, `RECORD:action-N` of the actions it moves)."""
    refs = {c.record.ref for c in plan.changes if c.path[0] != "actions"}
    actions = {f"{c.record.ref}:action-{int(c.path[1]) + 1}" for c in plan.changes if c.path[0] == "actions"}
    return refs, actions


def _checklist_before(kb: Any, source: str, day: dt.date) -> Any:
    """FROM's departure checklist as it stands before the transfer (None: not on the team)."""
    from handover.commands.checklist import person_departure

    return person_departure(kb, source, day) if source in kb.records["team"] else None


def _ticked_checklist(kb: Any, before: Any, plan: Any, target: str, day: dt.date) -> Any:
    """(path, text, steps ticked) of FROM's checklist with the steps the transfer does marked done."""
    from handover.commands.checklist import ticked_checklist

    refs, actions = _transferred(plan)
    return run(lambda: ticked_checklist(kb, before, refs, actions, target, day))


def _transfer_repository(root: Any, required: bool) -> Any:
    """The repository to check (and commit to); None outside git unless --commit needs it."""
    from handover.git.history import HistoryUnavailable, open_repository

    try:
        return open_repository(root)
    except HistoryUnavailable as exc:
        if required:
            fail(HandoverError(f"--commit needs git: {exc.message}", hint=exc.hint))
        return None


@cli.command()
@click.argument("record", metavar="ID")
@kb_option
@click.option("--reason", default="erasure request", show_default=True, help="Why, for the tombstone (no personal data here).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@today_option
def forget(record: str, kb_path: str | None, reason: str, dry_run: bool, today: str | None) -> None:
    """Erase a person (contact, influencer, or team member who holds nothing): their
    record, every reference to it, every mention of their name, handles, emails and
    phones; leave a tombstone without personal data; empty the caches.

    Then list the commits that still hold the data and print (never run) the command
    that would purge them from git's history. ID is KIND/ID or the ID alone."""
    from contextlib import ExitStack

    from handover.files.lock import kb_lock

    day = parse_today(today)
    root, display = kb_root(kb_path)
    with ExitStack() as stack:
        if not dry_run:
            run(lambda: stack.enter_context(kb_lock(root, "forget")))
        _forget(str(root), display, record, reason, dry_run, day)


def _forget(path: str, display: str, ident: str, reason: str, dry_run: bool, day: dt.date) -> None:
    from handover.commands.forget import apply_forget, plan_forget
    from handover.records.model import load_kb

    kb = run(lambda: load_kb(path))
    plan = run(lambda: plan_forget(kb, ident))
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
    run(lambda: apply_forget(kb, plan, day, reason))
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
@kb_option
@click.option("--person", metavar="ID", help="The person leaving (default: the whole team's pack).")
@click.option("--successor", metavar="ID", help="Who takes over (default: the person's `successor` field).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The archive to write (default: handover-PERSON-DATE.zip here, or beside the git repository when here is inside one that would not ignore it).")
@click.option("--audience", type=click.Choice(("internal", "public")), default="internal", show_default=True)
@click.option("--force", is_flag=True, help="Make the pack despite validation errors or secrets (listed).")
@today_option
def export(kb_path: str | None, person: str | None, successor: str | None, output: str | None, audience: str, force: bool, today: str | None) -> None:
    """Make the handover pack: HANDOVER.md/.html, the offline site, data.json, the
    validation report and a verified git bundle, in one zip archive.

    Tells what will be orphaned because nobody is named to take it over."""
    from pathlib import Path

    from handover.commands.export import default_destination, export_pack, exposure_warning, repository_for
    from handover.records.model import load_kb

    kb = run(lambda: load_kb(kb_path))
    day = judging_day(kb, today, epoch=True)
    quiet_mkdocs(False)
    out = Path(output) if output else default_destination(f"handover-{person or 'team'}-{day.isoformat()}.zip", Path.cwd())
    result = run(lambda: export_pack(kb, out, today=day, person=person, successor=successor, audience=audience, force=force,
                                      repository=repository_for(kb)))
    exposed = exposure_warning(result.archive)
    if exposed:
        click.echo(f"handover: warning: {exposed}", err=True)
    for reason in result.forced:
        click.echo(f"handover: warning: made despite: {reason}", err=True)
    if result.orphaned:
        click.echo(f"will be orphaned (nobody is named to take it over): {len(result.orphaned)}")
        for item in result.orphaned:
            click.echo(f"  {item}")
    if result.to_revoke:
        click.echo(f"access to revoke (the account keeps its holders): {len(result.to_revoke)}")
        for item in result.to_revoke:
            click.echo(f"  {item}")
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(f"pack written: {result.archive} ({len(result.entries)} files; validation: {result.report.summary()})")
