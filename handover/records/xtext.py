"""X (Twitter) text: the only module that uses `twitter_text` (twitter-text-parser).

X counts a post's length its own way (twitter-text, configuration version 3): every
link counts 23 whatever its length, most scripts count 1 a code point, the rest (CJK,
emoji…) 2, an emoji sequence (ZWJ family, keycap, flag, tag sequence) counts 2 once.
Which strings are links is twitter-text's own call: a scheme, or a bare domain on a
TLD of its bundled list (`cyclesmorvan.bike` is one, `marie@cyclesmorvan.fr` is not),
with hosts and labels of legal lengths and directional marks left outside.

Why a library rather than rules of our own: twitter-text-parser is a port of
twitter-text's own regular expressions, TLD list and emoji table, published with the
conformance suite it passes (tests/test_xtext.py runs that suite: every weighted-length
and URL-extraction case). Hand rules had missed keycaps, tag sequences, new gTLDs and
e-mail addresses. Its TLD list is bundled with it: nothing is fetched at run time.
It is imported on the first measurement only, not when handover starts; and a
command that measures the same texts run after run (triage) keeps the library's
answers in the kb's cache (`remembered`), so that it need not import it at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

X_URL_LENGTH = 23  # twitter-text's transformed_url_length
X_MAX_LENGTH = 280


@lru_cache(maxsize=1)
def _library() -> Any:
    import twitter_text  # type: ignore[import-untyped]

    return twitter_text


def _options(version: int) -> dict[str, Any]:
    from twitter_text.config import config  # type: ignore[import-untyped]

    options = dict(config[f"version{version}"])
    options.setdefault("emoji_parsing_enabled", False)
    return options


# Where twitter-text's answer is plain to see: no character past U+10FF (every one
# weighs 1 in both configurations; © and ® can start an emoji; X counts CR LF as one)
# and nothing a link could be made of (a link needs a dot followed by a letter or digit). The library costs
# about 3 ms a text, plus half a second to import; validate measures every response
# for X. tests/test_xtext.py checks the shortcut against the library.
_SIMPLE_LIMIT = 0x10FF
_LINK_CANDIDATE_RE = re.compile(r"\.\w")


def _plainly_counted(text: str) -> int | None:
    """len(text) where it is surely X's count, else None (ask the library)."""
    normalized = unicodedata.normalize("NFC", text)
    if _LINK_CANDIDATE_RE.search(normalized) or "\r" in normalized or "©" in normalized or "®" in normalized:
        return None
    if any(ord(char) > _SIMPLE_LIMIT for char in normalized):
        return None
    return len(normalized)


@lru_cache(maxsize=4096)  # one text is measured for each platform that shows it
def weighted_length(text: str, version: int = 3) -> int:
    """The length X gives `text` (configuration `version` 2 or 3; X uses 3)."""
    if not text:
        return 0
    plain = _plainly_counted(text)
    if plain is not None:
        return plain
    key = f"{version}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
    if _memo is not None and key in _memo.lengths:
        return _memo.lengths[key]
    length = int(_library().parse_tweet(text, options=_options(version)).weightedLength)
    if _memo is not None:
        _memo.lengths[key] = length
        _memo.added = True
    return length


class _Memo:
    def __init__(self, lengths: dict[str, int]) -> None:
        self.lengths = lengths
        self.added = False


_memo: _Memo | None = None


def _library_identity() -> str:
    """Which twitter-text is installed, without importing it: its files' size and
    time (another version may count otherwise)."""
    import importlib.util

    spec = importlib.util.find_spec("twitter_text")
    if spec is None or spec.origin is None:
        return ""
    stat = Path(spec.origin).stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


@contextlib.contextmanager
def remembered(path: Path) -> Iterator[None]:
    """Within the block, the library's answers (weighted lengths, keyed by the text's
    hash) are read from and added to `path` (JSON), a rebuildable cache: a text
    measured once, by this version of the library, is not measured again. An
    unreadable file is ignored and one that cannot be written is not kept."""
    global _memo
    identity = _library_identity()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        lengths = stored["lengths"] if stored.get("library") == identity and isinstance(stored.get("lengths"), dict) else {}
    except (OSError, ValueError, AttributeError, KeyError):
        lengths = {}
    _memo, previous = _Memo({k: v for k, v in lengths.items() if isinstance(v, int)}), _memo
    try:
        yield
    finally:
        memo, _memo = _memo, previous
        if memo.added:
            _keep(path, {"library": identity, "lengths": memo.lengths})


def _keep(path: Path, data: dict[str, Any]) -> None:
    from handover.files.atomic import atomic_output

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path, durable=False) as handle:
            handle.write(json.dumps(data, sort_keys=True).encode("utf-8"))


def links(text: str) -> list[str]:
    """The links X finds in `text`, in order, as written."""
    return [str(url) for url in _library().extract_urls(text)]


def links_with_indices(text: str) -> list[tuple[str, int, int]]:
    """The links X finds, each with its start and end (code point offsets)."""
    return [(str(found["url"]), int(found["indices"][0]), int(found["indices"][1])) for found in _library().extract_urls_with_indices(text)]
