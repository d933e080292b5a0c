"""`handover export`: the handover pack, one deterministic zip archive.

    HANDOVER.md, HANDOVER.html   what the person hands over, most urgent first (pack.py)
    site/                        the offline site: works from file://, search included
    data.json                    every record this audience may see, with a schema version
    validation.txt, .json        the validation report
    repository.bundle            the git repository, verified (history.py), when there is one

Same commit, same day, same bytes (the bundle aside): entries sorted, timestamps
from SOURCE_DATE_EPOCH (else the commit's date), no local paths inside. The archive
is written to a temporary file beside its destination and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handover.checks import Report, run_checks
from handover.commands.pack import PersonChanges, record_as_json, render_person, render_team
from handover.commands.status import StatusView, continuity_status
from handover.core import environment
from handover.core.errors import HandoverError
from handover.files.atomic import atomic_output
from handover.records.audience import visible_records
from handover.records.kinds import KINDS
from handover.records.model import KnowledgeBase, Record

SCHEMA_VERSION = 1
SECRET_CODE_PREFIX = "E6"  # the secrets check family


@dataclass
class ExportResult:
    archive: Path
    entries: list[str]
    report: Report
    orphaned: list[str] = field(default_factory=list)  # what will have nobody, as "kind/id (roles)"
    to_revoke: list[str] = field(default_factory=list)  # vault access to revoke on accounts others hold
    forced: list[str] = field(default_factory=list)  # reasons to refuse that --force overrode
    notes: list[str] = field(default_factory=list)


@dataclass
class Repository:
    """What the export needs from git; filled by the CLI through history.py, or empty."""

    commit: str | None = None
    commit_time: int | None = None  # seconds since the epoch
    changes_of: Callable[[str], PersonChanges] | None = None
    write_bundle: Callable[[Path], None] | None = None  # writes and verifies a bundle
    unavailable: str | None = None  # why there is no git data


def repository_for(kb: KnowledgeBase) -> Repository:
    """What git can give the pack (history.py): the commit, its time, a person's
    commits, a verified bundle; or why it cannot."""
    from handover.git.changes import by_author
    from handover.git.history import HistoryUnavailable, open_repository

    try:
        repo = open_repository(kb.root)
        commit_time = repo.head_time()
    except HistoryUnavailable as exc:
        return Repository(unavailable=exc.message)

    def changes_of(person_id: str) -> PersonChanges:
        person = kb.records["team"].get(person_id)
        names = [str(person.data.get(k)) for k in ("name", "email") if person is not None and person.data.get(k)] or [person_id]
        start = person.date("start") if person is not None else None
        try:
            logged = repo.log(["HEAD"])
        except HistoryUnavailable as exc:
            return PersonChanges(unavailable=exc.message)
        lines = []
        for item in logged:
            commit = item.commit
            if any(by_author(commit, name) for name in names) and (start is None or commit.date.date() >= start):
                files = ", ".join(f"`{f.path}`" for f in item.files[:4]) + (f" +{len(item.files) - 4}" if len(item.files) > 4 else "")
                lines.append(f"{commit.date.date()} — {commit.subject} (`{commit.short}`){': ' + files if files else ''}")
        return PersonChanges(lines)

    return Repository(commit=repo.head[:12], commit_time=commit_time, changes_of=changes_of, write_bundle=repo.write_bundle,
                      unavailable=None)


def default_destination(name: str, cwd: Path) -> Path:
    """Where the pack goes without -o: here, unless here is inside a git working tree
    that would not ignore it; then beside that repository, never in it (the pack holds
    every phone number and, in its bundle, the whole history)."""
    from handover.git.commandline import exposure

    here = cwd / name
    where = exposure(here)
    if where.exposed and where.top is not None:
        return where.top.parent / name
    return here


def exposure_warning(archive: Path) -> str | None:
    """A warning when git would take the pack (`git add -A`): tracked, or in a working tree and not ignored."""
    from handover.git.commandline import exposure

    where = exposure(archive)
    if not where.exposed:
        return None
    how = "is tracked by git" if where.state == "tracked" else "is not ignored by git"
    return (f"{archive} is inside the git repository {where.top} and {how}: `git add -A` would commit the pack, "
            "every phone number and the history with it; move it out of the repository, or add it to .gitignore")


def refusals(kb: KnowledgeBase, report: Report) -> list[str]:
    """Every reason the pack should not be made: errors, secrets."""
    reasons = []
    secrets = [p for p in report.problems if p.is_error and p.code.startswith(SECRET_CODE_PREFIX)]
    if secrets:
        reasons.append(f"{len(secrets)} secret(s) in the knowledge base; a pack would carry them: " + "; ".join(p.format_gnu() for p in secrets[:5]))
    others = [p for p in report.problems if p.is_error and not p.code.startswith(SECRET_CODE_PREFIX)]
    if others:
        reasons.append(f"validation has {len(others)} error(s), first: " + "; ".join(p.format_gnu() for p in others[:5]))
    return reasons


def zip_timestamp(repository: Repository) -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH, else the commit's time, else the zip format's first day."""
    seconds = environment.source_date_epoch()
    if seconds is None:
        seconds = repository.commit_time
    if seconds is None:
        return (1980, 1, 1, 0, 0, 0)
    moment = dt.datetime.fromtimestamp(max(seconds, 315532800), dt.UTC)  # zip cannot say before 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def export_pack(kb: KnowledgeBase, out: Path, *, today: dt.date, person: str | None = None, successor: str | None = None,
                audience: str = "internal", force: bool = False, repository: Repository | None = None,
                build_site: Callable[..., object] | None = None) -> ExportResult:
    """Make the pack. Raises HandoverError listing every reason to refuse (unless force)."""
    repository = repository or Repository()
    if audience != "internal":
        # The history holds every field of every record ever committed: never in a public pack.
        repository = Repository(commit=repository.commit, commit_time=repository.commit_time,
                                unavailable="a public pack carries no history (it holds every field of every record ever committed)")
    report = run_checks(kb, today)
    view = continuity_status(kb, today)
    person_record = _team_member(kb, person, successor)
    reasons = refusals(kb, report)
    if reasons and not force:
        raise HandoverError("the pack was not made:\n  " + "\n  ".join(reasons), hint="fix the problems (handover validate), or pass --force to export anyway")
    successor = successor or (person_record.data.get("successor") if person_record is not None and isinstance(person_record.data.get("successor"), str) else None)

    if person_record is not None:
        changes = repository.changes_of(person_record.id) if repository.changes_of else PersonChanges(unavailable=repository.unavailable or "no git repository")
        handover_md = render_person(kb, view, person_record, successor, audience=audience, changes=changes, commit=repository.commit)
        orphaned = [] if successor else _orphaned_of(view, person_record.id)
        to_revoke = _to_revoke_of(view, person_record.id)
    else:
        handover_md = render_team(kb, view, audience=audience, commit=repository.commit)
        orphaned = [f"{o.record.ref} ({o.role})" for o in view.orphans]
        to_revoke = []

    name = f"handover-{person or 'team'}-{today.isoformat()}"
    with tempfile.TemporaryDirectory(prefix="handover-export-") as work:
        root = Path(work) / name
        root.mkdir()
        (root / "HANDOVER.md").write_text(handover_md, encoding="utf-8")
        from handover.site.pages.standalone import markdown_page

        (root / "HANDOVER.html").write_text(markdown_page(handover_md, kb.config.language), encoding="utf-8")
        (root / "data.json").write_text(json.dumps(_data(kb, view, audience), ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        (root / "validation.txt").write_text("\n".join([p.format_gnu() for p in report.problems] + [report.summary()]) + "\n", encoding="utf-8")
        (root / "validation.json").write_text(json.dumps({"problems": [p.as_dict() for p in report.problems], "summary": report.summary()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if build_site is None:
            from handover.site.mkdocs.build import build_site as build_site_default

            build_site = build_site_default
        build_site(kb, site_dir=root / "site", audience=audience, offline=True, today=today)
        notes = []
        if repository.write_bundle is not None:
            from handover.git.history import HistoryUnavailable

            try:
                repository.write_bundle(root / "repository.bundle")
            except HistoryUnavailable as exc:
                notes.append(f"no git bundle: {exc.message}")
        else:
            notes.append(f"no git bundle: {repository.unavailable or 'the knowledge base is not in a git repository'}")
        entries = _write_zip(root, out, zip_timestamp(repository))
    return ExportResult(out, entries, report, orphaned, to_revoke, reasons if force else [], notes)


def _team_member(kb: KnowledgeBase, person: str | None, successor: str | None) -> Record | None:
    """The leaver's team record (None for the team's pack); the successor named must be
    on the team too."""
    team = kb.records["team"]
    record = None
    if person is not None:
        record = team.get(person)
        if record is None:
            raise HandoverError(f'"{person}" is not a team member', hint="use a team id: " + ", ".join(sorted(team)))
    if successor is not None and successor not in team:
        raise HandoverError(f'successor "{successor}" is not a team member', hint="use a team id: " + ", ".join(sorted(team)))
    return record


def _orphaned_of(view: StatusView, person_id: str) -> list[str]:
    """What will have nobody: the departure's holdings but the mere vault access."""
    for departure in view.departures:
        if departure.person.id == person_id:
            return [f"{h.record.ref} ({', '.join(h.roles)})" for h in departure.no_holder]
    return []


def _to_revoke_of(view: StatusView, person_id: str) -> list[str]:
    for departure in view.departures:
        if departure.person.id == person_id:
            return [h.record.ref for h in departure.to_revoke]
    return []


def _data(kb: KnowledgeBase, view: StatusView, audience: str) -> dict[str, object]:
    from handover.activity.analysis import pulse_as_dict

    records = visible_records(kb, audience)
    return {
        "schema_version": SCHEMA_VERSION,
        "community": kb.config.community,
        "language": kb.config.language,
        "audience": audience,
        "made_on": view.today.isoformat(),
        "records": {kind: {ident: record_as_json(records[kind][ident], audience) for ident in sorted(records[kind])} for kind in KINDS},
        # What each account actually published against its cadence (internal only, like the site's views).
        "activity": {p.account.id: pulse_as_dict(p) for p in view.pulses if audience != "public" and p.account.id in records["accounts"]},
    }


def _write_zip(root: Path, out: Path, timestamp: tuple[int, int, int, int, int, int]) -> list[str]:
    """A zip whose bytes depend only on the files' names and contents."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    names = [p.relative_to(root.parent).as_posix() for p in files]
    with atomic_output(out.resolve()) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path, name in zip(files, names, strict=True):
            info = zipfile.ZipInfo(name, timestamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
    return names

