"""Decoding exported files: UTF-8, UTF-16 (Outlook's "Unicode" exports), or the
Windows-1252 / Latin-1 that older Outlook and Excel versions write."""

from __future__ import annotations

import codecs

from handover.core.errors import HandoverError


def decode(raw: bytes, display: str) -> tuple[str, str]:
    """The text and the name of the encoding it was read as."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8):], "utf-8", display), "UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", display), "UTF-16"
    sample = raw[:4000]
    if len(sample) >= 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        if sample[1::2].count(0) > len(sample) // 4:
            return _strict(raw, "utf-16-le", display), "UTF-16"
        if sample[0::2].count(0) > len(sample) // 4:
            return _strict(raw, "utf-16-be", display), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"  # decodes any byte


def _strict(raw: bytes, encoding: str, display: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise HandoverError(f"{display}: byte {exc.start} is not valid {encoding.upper()}", hint="export the file again, as UTF-8 if the program offers it") from None
