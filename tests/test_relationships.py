"""Relationships with a memory: the interaction log, the last contact derived from it,
the stay-in-touch intervals of handover.yml and the warning that names the owner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from conftest import BUNDLED_KB, KB_TODAY, write

from handover.checks import run_checks
from handover.cli import cli
from handover.records.model import load_kb
from handover.records.relationships import interactions, last_contact, stay_in_touch
from handover.site.pages.context import SiteContext
from handover.site.pages.records import render_record

CONTACT = """name: Jeanne Test
organization: Le Journal
department: media
channels: {{email: jeanne@example.org}}
owner: karim-benali
{extra}"""


def contact(kb: Path, extra: str) -> None:
    write(kb, "contacts/jeanne-test.yml", CONTACT.format(extra=extra))


def problems(kb: Path, ident: str, today: dt.date = KB_TODAY) -> list[str]:
    report = run_checks(load_kb(str(kb)), today)
    return [f"{p.code} {p.message}" for p in report.problems if ident in p.path]


def test_last_contact_is_derived_from_the_log(kb_copy: Path):
    contact(kb_copy, "last_contact: 2026-06-01\ninteractions:\n"
            "  - {date: 2026-10-02, channel: téléphone, who: karim-benali, note: Point sur le dossier rappel.}\n"
            "  - {date: 2026-09-01, channel: e-mail, who: lea-martin, note: Envoi du communiqué.}\n")
    record = load_kb(str(kb_copy)).records["contacts"]["jeanne-test"]
    assert [i.date for i in interactions(record)] == [dt.date(2026, 10, 2), dt.date(2026, 9, 1)]  # newest first
    assert last_contact(record) == dt.date(2026, 10, 2)
    assert problems(kb_copy, "jeanne-test") == []  # the media interval (90 days) is kept


def test_a_written_last_contact_later_than_the_log_still_counts(kb_copy: Path):
    contact(kb_copy, "last_contact: 2026-11-10\ninteractions:\n  - {date: 2026-03-02, channel: salon, who: karim-benali, note: Rencontre.}\n")
    assert last_contact(load_kb(str(kb_copy)).records["contacts"]["jeanne-test"]) == dt.date(2026, 11, 10)


def test_every_bundled_last_contact_keeps_working():
    kb = load_kb(str(BUNDLED_KB))
    for kind in ("contacts", "influencers"):
        for record in kb.records[kind].values():
            written = record.date("last_contact")
            assert written is None or last_contact(record) >= written


def test_intervals_come_from_handover_yml_by_tier_and_department():
    kb = load_kb(str(BUNDLED_KB))
    assert kb.config.stay_in_touch["influencers"]["mid"] == dt.timedelta(days=60)
    assert stay_in_touch(kb.records["contacts"]["camille-rey"], kb) == dt.timedelta(days=90)  # media
    assert stay_in_touch(kb.records["contacts"]["helene-vasseur"], kb) is None  # legal: not a key relationship here
    assert stay_in_touch(kb.records["influencers"]["velo-test-labo"], kb) == dt.timedelta(days=45)  # macro on YouTube
    assert stay_in_touch(kb.records["influencers"]["monsieur-rayon"], kb) is None  # do-not-contact: never chased


def test_a_silent_key_relationship_names_its_owner(kb_copy: Path):
    contact(kb_copy, "last_contact: 2026-07-01\n")
    found = problems(kb_copy, "jeanne-test")
    assert found == [('W408 key relationship silent: no contact since 2026-07-01, longer than its 90-day stay-in-touch interval; '
                     'owner "karim-benali" should get in touch and log it under interactions')]
    # logging an exchange silences it
    contact(kb_copy, "last_contact: 2026-07-01\ninteractions:\n  - {date: 2026-11-20, channel: e-mail, who: karim-benali, note: Relance.}\n")
    assert problems(kb_copy, "jeanne-test") == []


def test_a_relationship_never_contacted_and_the_bad_settings(kb_copy: Path):
    contact(kb_copy, "")
    assert problems(kb_copy, "jeanne-test")[0].startswith("W408 key relationship silent: no contact ever recorded")
    config = (kb_copy / "handover.yml").read_text(encoding="utf-8")
    (kb_copy / "handover.yml").write_text(config.replace("mega: 30d, macro", "giga: 30d, macro").replace("media: 90d", "media: soon"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(kb_copy), "--today", KB_TODAY.isoformat()])
    assert result.exit_code == 1
    assert '"giga" is not a tier' in result.output and "stay_in_touch.contacts.media must be a duration" in result.output


def test_an_interaction_in_the_future_and_an_unknown_teller(kb_copy: Path):
    contact(kb_copy, "interactions:\n  - {date: 2027-01-05, channel: e-mail, who: nobody-here, note: Oups.}\n")
    found = problems(kb_copy, "jeanne-test")
    assert any(p.startswith("W406 interaction dated 2027-01-05 is in the future") for p in found)
    assert any(p.startswith("E301") and "nobody-here" in p for p in found)


def test_the_record_page_lists_the_last_exchanges():
    kb = load_kb(str(BUNDLED_KB))
    page = render_record(SiteContext(kb, "internal", KB_TODAY), kb.records["influencers"]["julie-roule"])
    assert "## Derniers échanges" in page and "Dernier contact (d'après le journal) : 2026-11-17" in page
    assert page.index("Question sur la rumeur batterie") < page.index("Premier contact : idée de collaboration")  # newest first
    public = render_record(SiteContext(kb, "public", KB_TODAY), kb.records["influencers"]["julie-roule"])
    assert "Derniers échanges" not in public
