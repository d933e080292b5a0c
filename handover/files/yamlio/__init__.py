"""The only package that parses or writes YAML.

PyYAML (with libyaml's C composer when present) builds the node graph; we construct
the values ourselves so that every value keeps its line and column, and so that the
traps PyYAML accepts silently become located problems: duplicate keys, anchors and
aliases, YAML 1.1 booleans (`no`), octal or signed numbers (`0612345670`,
`+33612345678`), sexagesimal numbers (`12:30`), impossible dates (`2026-02-30`).
A trapped value is kept as the text the user wrote, so later checks still run.

load.py reads a file and parses its one mapping; build.py turns the nodes into
values with their marks; problems.py finds what the parser cannot survive or says
badly; write.py dumps and edits in place. What the rest of handover uses is here.
"""

from handover.files.yamlio.build import KEY_MARK, MAX_DEPTH, MAX_FILE_BYTES, KeyPath, Mark
from handover.files.yamlio.load import (
    Document,
    Loaded,
    decode,
    load_document,
    load_packaged,
    parse_document,
    parse_field,
    parse_mapping,
    read_text,
    split_front_matter,
    top_level_blocks,
)
from handover.files.yamlio.write import ValueEdit, dump, dump_record, edit_values, insert_fields

__all__ = [
    "KEY_MARK", "MAX_DEPTH", "MAX_FILE_BYTES", "Document", "KeyPath", "Loaded", "Mark", "ValueEdit", "decode", "dump", "dump_record",
    "edit_values", "insert_fields", "load_document", "load_packaged", "parse_document", "parse_field", "parse_mapping", "read_text",
    "split_front_matter", "top_level_blocks",
]
