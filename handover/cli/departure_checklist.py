"""checklist: a departure's steps, shown, ticked or waived."""

from __future__ import annotations

import click

from handover.cli.app import cli
from handover.cli.common import kb_option, kb_root, parse_today, run, today_option


@cli.command()
@click.argument("person", metavar="PERSON")
@kb_option
@click.option("--done", "done", multiple=True, metavar="STEP", help="Mark STEP done (its id, or the end of it: tiktok-cyclesmorvan:two-factor). Repeatable.")
@click.option("--waive", "waive", multiple=True, metavar="STEP", help="Mark STEP not needed; needs --why. Repeatable.")
@click.option("--why", metavar="TEXT", help="Why the waived steps are not needed.")
@click.option("--by", "by", metavar="ID", help="Who did it (team member or contact id); required with --done or --waive.")
@click.option("--decided-by", metavar="ID", help="Who decided to waive (default: --by).")
@click.option("--note", metavar="TEXT", help="A line on how it was done.")
@today_option
def checklist(person: str, kb_path: str | None, done: tuple[str, ...], waive: tuple[str, ...], why: str | None, by: str | None,
              decided_by: str | None, note: str | None, today: str | None) -> None:
    """Show PERSON's departure checklist (derived from what they hold, kept in
    departures/PERSON.yml), or mark steps done or waived.

    Exit 1 while a step is open after the person's last day."""
    import sys
    from contextlib import ExitStack

    from handover.cli.common import fail_usage
    from handover.commands.checklist import format_checklist, mark, person_departure
    from handover.files.lock import kb_lock
    from handover.records.model import load_kb

    day = parse_today(today)
    if (done or waive) and not by:
        fail_usage("--by ID is required with --done or --waive: say who did it")
    if waive and not why:
        fail_usage("--waive needs --why TEXT: say why the step is not needed")
    if why and not waive:
        fail_usage("--why goes with --waive")
    root, _ = kb_root(kb_path)
    with ExitStack() as stack:
        if done or waive:
            run(lambda: stack.enter_context(kb_lock(root, "checklist")))
        kb = run(lambda: load_kb(str(root)))
        departure = run(lambda: person_departure(kb, person, day))
        for state, wanted in (("done", done), ("waived", waive)):
            if wanted:
                assert by is not None
                marked = run(mark, kb, person, day, list(wanted), state, by, why, decided_by, note)
                for step in marked.changed:
                    click.echo(f"{state}: {step.id}")
                departure = marked.departure
                kb = run(load_kb, str(root))
    click.echo(format_checklist(departure))
    sys.exit(1 if departure.overdue_steps else 0)
