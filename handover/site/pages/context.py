"""What every page renderer needs: the records this audience may see, labels, links,
and how to write a value or a link in HTML."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from handover.records.audience import record_visible, visible_data
from handover.records.departure import Departure, Holding, departures, holdings
from handover.records.departure import departure_state as departure
from handover.records.fieldtypes import (
    Boolean,
    Choice,
    Field,
    FieldType,
    Integer,
    ListOf,
    MapOf,
    Obj,
    Pattern,
    Ref,
    RuleRef,
    Text,
)
from handover.records.labels import Labels
from handover.records.links import LinkIndex, build_links
from handover.records.model import KnowledgeBase, Record

if TYPE_CHECKING:
    from handover.activity.analysis import Pulse
    from handover.git.commits import SiteHistory


def record_uri(record: Record) -> str:
    """Where a record's page lives in the site's source tree."""
    return f"{record.kind.folder}/{record.id}.md"


def page_url(uri: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the page at source path `uri` (relative to the site root)."""
    stem = uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(from_uri: str, to_uri: str, directory_urls: bool) -> str:
    """A link from one page to another, as MkDocs would write it from `[…](x.md)`."""
    source, target = page_url(from_uri, directory_urls), page_url(to_uri, directory_urls)
    folders = source.split("/")[:-1]  # where the page sits: "contacts/x/" → contacts, x
    parts = target.split("/")
    common = 0
    while common < len(folders) and common < len(parts) - 1 and folders[common] == parts[common]:
        common += 1
    relative = "../" * (len(folders) - common) + "/".join(parts[common:])
    return relative or "./"


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: accents and case ignored (É with E)."""
    from handover.records.fold import fold

    return fold(text).casefold()


def escape(text: str) -> str:
    """Plain text made safe to place in Markdown (headings): no HTML, no accidental markup."""
    escaped = html.escape(text, quote=False)
    for char in ("*", "_", "`", "[", "]"):
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def text(value: str) -> str:
    """Plain text made safe to place in HTML (generated blocks)."""
    return html.escape(value, quote=False)


def attr(value: str) -> str:
    """Plain text made safe for an HTML attribute value in double quotes."""
    return html.escape(value, quote=True)


@dataclass
class SiteContext:
    kb: KnowledgeBase
    audience: str
    today: dt.date
    history: SiteHistory | None = None  # last change of each file and recent commits; None without git
    directory_urls: bool = True  # MkDocs' use_directory_urls: how links between pages are written
    labels: Labels = field(init=False)
    _visible_data: dict[int, dict[str, Any]] = field(init=False, default_factory=dict)  # by id() of the record
    _sorted: dict[str, list[Record]] = field(init=False, default_factory=dict)  # by kind: records() sorts each kind once

    def __post_init__(self) -> None:
        self.labels = Labels(self.kb.config.language)

    @cached_property
    def links(self) -> LinkIndex:
        return build_links(self.kb)

    @cached_property
    def pulses(self) -> dict[str, Pulse]:
        """Each account's activity against its cadence, by account id (activity/ read once)."""
        from handover.activity.analysis import pulses

        return {p.account.id: p for p in pulses(self.kb, self.today)}

    @cached_property
    def holdings(self) -> Mapping[str, list[Holding]]:
        return holdings(self.kb)

    @cached_property
    def departures(self) -> dict[str, Departure]:
        """Everyone leaving (or gone with something pending), by id: computed once."""
        return {d.person.id: d for d in departures(self.kb, self.today, self.holdings)}

    @cached_property
    def holdings_by_record(self) -> dict[int, list[Holding]]:
        """Record (by identity) → the holdings naming someone on it."""
        index: dict[int, list[Holding]] = {}
        for items in self.holdings.values():
            for holding in items:
                index.setdefault(id(holding.record), []).append(holding)
        return index

    def visible(self, record: Record | None) -> bool:
        return record is not None and record_visible(record, self.audience)

    def records(self, kind: str) -> list[Record]:
        """Visible records of a kind, sorted by title (a new list: the caller may reorder it)."""
        found = self._sorted.get(kind)
        if found is None:
            found = self._sorted[kind] = sorted((r for r in self.kb.records[kind].values() if self.visible(r)), key=lambda r: sort_key(self.title(r)))
        return list(found)

    def data(self, record: Record) -> dict[str, Any]:
        """The fields of `record` this audience may see (worked out once per record:
        every index table and backlink asks again)."""
        key = id(record)
        shown = self._visible_data.get(key)
        if shown is None:
            shown = self._visible_data[key] = visible_data(record, self.audience)
        return shown

    def departure(self, person: Record) -> tuple[str, dt.date | None]:
        return departure(person, self.today, self.kb.config.leaving_window)

    def title(self, record: Record) -> str:
        """How a record is named on the site: accounts by platform and handle."""
        if record.kind.folder == "accounts":
            platform = self.kb.config.platforms.get(str(record.data.get("platform")))
            label = platform.label if platform else str(record.data.get("platform", ""))
            return f"{label} {record.title}".strip()
        if record.kind.folder == "departures":  # named after the person who leaves
            person = self.kb.resolve(str(record.data.get("person", "")), ("team",))
            return person.title if person is not None else record.title
        return record.title

    # -- links -------------------------------------------------------------

    def link(self, from_uri: str, record: Record, label: str | None = None, anchor: str = "") -> str:
        """An HTML link from page `from_uri` to a record's page, or the plain title when
        the record is not shown to this audience."""
        shown = text(label if label is not None else self.title(record))
        if not self.visible(record):
            return shown if label is not None else ""
        target = relative_url(from_uri, record_uri(record), self.directory_urls)
        return f'<a href="{attr(target)}{"#" + attr(anchor) if anchor else ""}">{shown}</a>'

    def ref_link(self, from_uri: str, value: str, kinds: tuple[str, ...]) -> str:
        target = self.kb.resolve(value, kinds)
        if target is None:
            return f"{text(value)} ⚠"
        return self.link(from_uri, target)

    def rule_link(self, from_uri: str, rule_id: str) -> str:
        rule = self.kb.rules.get(rule_id)
        if rule is None:
            return f"{text(rule_id)} ⚠"
        if not self.visible(rule.document):
            return text(rule.title) if self.audience != "public" else ""
        return self.link(from_uri, rule.document, rule.title, anchor=rule.id)

    # -- values --------------------------------------------------------------

    def value(self, from_uri: str, value: Any, ftype: FieldType) -> str:
        """A field's value as inline HTML (lists joined, mappings as `key: value`)."""
        if value is None:
            return ""
        if isinstance(ftype, Ref) and isinstance(value, str):
            return self.ref_link(from_uri, value, ftype.kinds)
        if isinstance(ftype, RuleRef) and isinstance(value, str):
            return self.rule_link(from_uri, value)
        if isinstance(ftype, ListOf) and isinstance(value, list):
            parts = [self.value(from_uri, item, ftype.item) for item in value]
            separator = "<br>" if isinstance(ftype.item, Text) and any(len(p) > 30 for p in parts) else ", "
            return separator.join(p for p in parts if p)
        if isinstance(ftype, Obj) and isinstance(value, dict):
            specs = ftype.by_name()
            return " · ".join(f"{text(self.labels[k])}{self.colon} {self.value(from_uri, v, specs[k].type)}"
                              for k, v in value.items() if k in specs and v is not None)
        if isinstance(ftype, MapOf) and isinstance(value, dict):
            parts = []
            for key, item in value.items():
                key_text = self.platform_label(str(key)) if isinstance(ftype.key, Choice) else text(str(key))
                parts.append(f"{key_text}{self.colon} {self.value(from_uri, item, ftype.value)}")
            return " · ".join(parts)
        return self.scalar(value, ftype)

    @property
    def colon(self) -> str:
        """A colon as the language writes it after a label (Labels.colon)."""
        return self.labels.colon

    def scalar(self, value: Any, ftype: FieldType) -> str:
        """A single value as inline HTML."""
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        if isinstance(ftype, Boolean) or isinstance(value, bool):
            return text(self.labels.value("yes" if value else "no"))
        if isinstance(ftype, Integer) and isinstance(value, int):
            return self.labels.number(value)
        if isinstance(ftype, Choice) and isinstance(value, str):
            if ftype.vocabulary == "platforms":
                return self.platform_label(value)
            return text(self.labels.value(value))
        if isinstance(ftype, Pattern) and isinstance(value, str):
            if ftype.label == "email address":
                return f'<a href="mailto:{attr(value)}">{text(value)}</a>'
            if ftype.label == "URL":
                return f'<a href="{attr(value)}">{text(value)}</a>'
            if ftype.label == "cadence":
                return text(self.labels.cadence(value))
            if ftype.label == "phone number":
                return f'<a href="tel:{attr(value.replace(" ", ""))}">{text(value)}</a>'
        return text(str(value))

    def platform_label(self, name: str) -> str:
        platform = self.kb.config.platforms.get(name)
        return text(platform.label if platform else name)

    def field_rows(self, from_uri: str, record: Record, fields: list[Field]) -> list[tuple[str, str]]:
        """(label, value) HTML cells for the short fields of a record."""
        data = self.data(record)
        rows = []
        for spec in fields:
            if spec.name == record.kind.title_field and record.kind.folder != "accounts":
                continue  # it is the page's heading
            if spec.name not in data or data[spec.name] is None:
                continue
            shown = self.value(from_uri, data[spec.name], spec.type)
            if shown:
                rows.append((text(self.labels[spec.name]), shown))
        return rows
