"""history, changes, review, textconv: the knowledge base seen through git."""

from __future__ import annotations

import json

import click

from handover.cli.app import cli
from handover.cli.common import (
    fail,
    kb_option,
    kb_root,
    parse_today,
    print_notes,
    run,
    today_option,
)
from handover.core.errors import HandoverError


@cli.command()
@click.argument("record", metavar="ID")
@kb_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def history(record: str, kb_path: str | None, as_json: bool) -> None:
    """The changes git holds for one record: date, author, message, and the fields
    each commit changed (old value → new value).

    ID is KIND/ID (contacts/service-juridique), the ID alone when it is unique, or the
    record's file."""
    from handover.git.changes import record_history
    from handover.git.historytext import render_history

    root, display = kb_root(kb_path)
    result = run(lambda: record_history(root, display, record))
    print_notes(result.notes)
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

    day = parse_today(today)
    root, display = kb_root(path)
    report = run(lambda: changes_since(root, display, since, day, author))
    print_notes(report.notes)
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if as_json else render_changes(report), nl=as_json)


@cli.command()
@click.argument("revisions", required=False, metavar="[BASE[..HEAD]]")
@kb_option
@click.option("--format", "output_format", type=click.Choice(("text", "markdown")), default="text", show_default=True,
              help="markdown: to paste into a merge request.")
def review(revisions: str | None, kb_path: str | None, output_format: str) -> None:
    """Review a branch's charter and canned-response changes, rule by rule.

    Compares HEAD (or the given HEAD) with its merge base with BASE, as a merge request
    does; BASE defaults to origin/HEAD, origin/main, origin/master, main or master.
    Lists the rules added, removed and reworded (word by word), the responses changed,
    the responses citing a changed rule (to re-approve), and flags charter documents
    whose rules changed without a new version and approved_on."""
    from handover.git.review import review as run_review
    from handover.git.reviewtext import render_review

    root, display = kb_root(kb_path)
    result = run(lambda: run_review(root, display, revisions))
    print_notes(result.notes)
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
        fail(HandoverError(f"{file}: cannot read it: {exc.strerror or exc}"))
    click.echo(one_sentence_per_line(text) if file.endswith(".md") else text, nl=False)
