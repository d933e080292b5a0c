"""pulse, log: is each account actually being fed?"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from handover.cli.app import cli
from handover.cli.common import kb_option, parse_today, run, today_option


@cli.command()
@click.argument("account")
@click.option("--date", "day", metavar="DATE", help="Day of the post (YYYY-MM-DD; default: today).")
@click.option("--url", default="", metavar="URL", help="The post's link.")
@click.option("--note", default="", metavar="TEXT", help="A word about the post (no personal data).")
@kb_option
@today_option
def log(account: str, day: str | None, url: str, note: str, kb_path: str | None, today: str | None) -> None:
    """Record one post of ACCOUNT by hand (for platforms with no feed and no export)."""
    from handover.activity.actions import log_post
    from handover.records.model import load_kb

    now = parse_today(today)
    try:
        when = dt.date.fromisoformat(day) if day else now
    except ValueError:
        raise click.BadParameter(f'"{day}" is not a date; write YYYY-MM-DD', param_hint="--date") from None
    kb = run(lambda: load_kb(kb_path))
    result = run(lambda: log_post(kb, account, when, url, note, now))
    if result.added:
        click.echo(f"logged a post of {result.account.ref} on {when} in {result.activity.display}")
    else:
        click.echo(f"already logged: {result.account.ref} on {when}{' ' + url if url else ''}; nothing added")


@cli.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--fetch", is_flag=True, help="Read every account's feed first (records the counts), and the watch feeds (records the mentions).")
@click.option("--import", "imports", multiple=True, metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="Import an export first: an X archive's tweets.js, a Meta Business Suite CSV, Instagram or TikTok JSON. Repeatable.")
@click.option("--account", "account_name", metavar="ID", help="Only this account; the account an --import belongs to (default: the one account on the file's platform).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@today_option
def pulse(path: str | None, fetch: bool, imports: tuple[str, ...], account_name: str | None, as_json: bool, today: str | None) -> None:
    """Every account with owner, backup, cadence, last post, posts a week over 4 and
    12 weeks against the cadence, the trend, and what to do.

    Exit 1 while an active account is quiet (as `status`), 0 otherwise."""
    from handover.activity.analysis import pulses
    from handover.activity.report import format_pulse, pulse_report
    from handover.records.model import load_kb

    day = parse_today(today)
    kb = run(lambda: load_kb(path))
    notes: list[str] = []
    for file in imports:
        from handover.activity.importers import import_file

        result = run(lambda file=file: import_file(kb, file, account_name, day))
        notes.append(f"imported {file} into {result.account.ref} ({result.source}): {result.read} posts read, {result.added} new"
                     + "".join(f"; {s}" for s in result.skipped))
    if fetch:
        from handover.activity.fetch import fetch_all
        from handover.activity.watchfetch import fetch_watch
        from handover.records.watch import require_valid

        run(lambda: require_valid(kb.config.watch))
        for outcome in run(lambda: fetch_all(kb, day)):
            notes.append(outcome.line())
        notes.extend(run(lambda: fetch_watch(kb, day)))
    found = pulses(kb, day)
    if account_name:
        from handover.activity.actions import find_account

        chosen = run(lambda: find_account(kb, account_name))
        found = [p for p in found if p.account.id == chosen.id]
    for note in notes:
        click.echo(f"handover: {note}", err=True)
    click.echo(json.dumps(pulse_report(found, day), ensure_ascii=False, indent=2) if as_json else format_pulse(found, day))
    sys.exit(1 if any(p.active and p.quiet for p in found) else 0)
