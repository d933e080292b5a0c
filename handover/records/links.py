"""Links between records, both ways: who names whom, and which responses apply a rule.

Built once per command from the references the format declares, so that a contact's
page can list the incidents that mention it and a rule its responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handover.records.fieldtypes import Ref
from handover.records.model import KnowledgeBase, Record


@dataclass(frozen=True)
class Link:
    source: Record
    path: tuple[Any, ...]  # where in the source, e.g. ("people", 2)
    target: Record

    @property
    def field(self) -> str:
        return str(self.path[0])


@dataclass
class LinkIndex:
    incoming: dict[str, list[Link]] = field(default_factory=dict)  # target ref → links
    rule_users: dict[str, list[Record]] = field(default_factory=dict)  # rule id → records citing it

    def to(self, record: Record) -> list[Link]:
        return self.incoming.get(record.ref, [])


def build_links(kb: KnowledgeBase) -> LinkIndex:
    index = LinkIndex()
    for record in kb.all_records():
        for path, value, ftype in record.references():
            if isinstance(ftype, Ref):
                target = kb.resolve(value, ftype.kinds)
                if target is not None and target is not record:
                    index.incoming.setdefault(target.ref, []).append(Link(record, path, target))
            elif value in kb.rules:
                users = index.rule_users.setdefault(value, [])
                if record not in users:
                    users.append(record)
    return index
