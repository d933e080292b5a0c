"""What a secret looks like: credential words, known token shapes, high-entropy strings.

Pure text functions, no knowledge base: `checks/secrets.py` runs them on records and
pages, and any command that writes user input (imports, new records) can run
`scan_text` before writing. The scan is heuristic by nature: it finds the usual
shapes and the usual words, not every secret (see guide/guarantees.md).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

# Known token shapes, case-sensitive: (name, pattern). Each is specific enough that a
# match is a secret whatever the words around it.
TOKEN_SHAPES: tuple[tuple[str, str], ...] = (
    ("a private key block", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("an X (Twitter) bearer token", r"AAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{20,}"),
    ("a Meta (Facebook/Instagram) access token", r"EAA[A-Za-z0-9]{6}[A-Za-z0-9]{24,}"),
    ("a GitHub token", r"gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}"),
    ("a Slack token", r"xox[abposr]-[A-Za-z0-9-]{10,}"),
    ("an AWS access key", r"(?:AKIA|ASIA)[0-9A-Z]{16}"),
    ("a Google API key", r"AIza[0-9A-Za-z_\-]{35}"),
    ("a JSON Web Token", r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("a Stripe secret key", r"[sr]k_live_[A-Za-z0-9]{16,}"),
)
_SHAPES_RE = re.compile("|".join(f"(?P<s{i}>{pattern})" for i, (_, pattern) in enumerate(TOKEN_SHAPES)))

# Credential words, matched on text folded to lowercase ASCII (accents dropped):
# English and French, with the usual separators (api_key, api-key, apikey, mot_de_passe).
_SEP = r"[ _.\-]?"
CREDENTIAL_WORDS = (
    r"pass(?:word|wd|phrase)s?", r"pwd", r"mdp", rf"mots?{_SEP}de{_SEP}passe", r"motdepasse",
    r"(?:access|auth|api|bearer|refresh|page|app)?{_SEP}tokens?".replace("{_SEP}", _SEP),
    r"secrets?", r"secrete?s?", rf"client{_SEP}secret", rf"api{_SEP}keys?", rf"private{_SEP}keys?",
    rf"secret{_SEP}keys?", rf"access{_SEP}keys?", rf"cles?{_SEP}(?:api|secretes?|privees?)", r"bearer", r"passcode",
)
_WORD = "(?:" + "|".join(CREDENTIAL_WORDS) + ")"
# A field name that holds a credential: the whole name is (or ends with) such a word.
_KEY_RE = re.compile(rf"^(?:[a-z0-9]+{_SEP})*{_WORD}$")
# In prose: a credential word, a separator that introduces its value, then the value.
_ASSIGN_RE = re.compile(rf"(?<![a-z0-9]){_WORD}(?![a-z0-9])[ \t]*(?:[:=]|->|→|\bis\b|\best\b|\bc'est\b)[ \t]*[\"'`«]?[ \t]*(?P<value>[^\s\"'`»]+)")
_WORD_RE = re.compile(rf"(?<![a-z0-9]){_WORD}(?![a-z0-9])")
# A long run of token characters (for the entropy rule).
_RUN_RE = re.compile(r"[A-Za-z0-9+/=_\-.~%]{20,}")
_URL_RE = re.compile(r"[a-z][a-z0-9+.-]*://\S+|www\.\S+|\S+@\S+\.\S+", re.I)

# Cheap test on a whole file: only files that pass it are scanned. It must let
# through whatever the rules above can find. First a few plain substring tests (C
# speed) on the lowercased text, then, for the few texts that pass, a closer regex:
# one case-insensitive regex of many alternatives on every file cost 30 times more.
_TRIGGERS = ("pass", "pwd", "mdp", "token", "secr", "bearer", "key", "xox", "gh", "_pat_", "k_live_", "clé", " cle", "\ncle")
_EXACT_NEEDLES = ("AAAAAAAAAAAAAAAAAAAA", "EAA", "AKIA", "ASIA", "AIza", "eyJ")
_CLOSER_RE = re.compile(
    r"pass(?:w|ph|code)|pwd|mdp|mots?[ _.\-]?de[ _.\-]?pass|token|secr[eè]t|bearer|(?:api|private|access|secret)[ _.\-]?key"
    r"|xox[abposr]-|gh[pousr]_|github_pat_|k_live_|cl[eé]s?[ _.\-]?(?:api|secr|priv)"
)


def suspect(text: str) -> bool:
    """Whether `text` may hold something the scan finds (false positives are fine:
    they only cost a closer look)."""
    if any(needle in text for needle in _EXACT_NEEDLES):
        return True
    lowered = text.lower()
    if lowered.startswith("cle"):  # the word at the very start: no character before it
        return _CLOSER_RE.search(lowered) is not None
    return any(trigger in lowered for trigger in _TRIGGERS) and _CLOSER_RE.search(lowered) is not None


ENTROPY_MIN_BITS = 3.5  # per character; English words score about 2.5-3, random tokens 4.5+


@dataclass(frozen=True)
class Finding:
    """A suspected secret in a text: 1-based line and column, what was found."""

    line: int
    col: int
    rule: str  # "shape", "assign", "entropy"
    what: str  # a description: "a Meta (Facebook/Instagram) access token"
    text: str  # the matched secret itself (never printed: see mask())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def fingerprint(text: str) -> str:
    """A stable, non-reversible name for a matched text, for the allow-list."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def mask(text: str) -> str:
    """Enough of a secret to recognise it, not enough to use it."""
    shown = text[:4] if len(text) >= 16 else text[:2] if len(text) >= 8 else ""
    return f'"{shown}…" ({len(text)} characters)'


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """Lowercase, accents dropped, one character for one (so columns still line up)."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def is_credential_key(name: str) -> bool:
    """Whether a field name says it holds a credential (password, api_key, mdp…)."""
    return bool(_KEY_RE.match(fold(name).strip()))


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_like_secret(value: str) -> bool:
    """A value written after `password:` that is a password, not prose ("dans Bitwarden",
    "changé", a date): no spaces, at least 6 characters, letters mixed with digits or
    symbols, or digits only (a PIN or code), or a long high-entropy run."""
    value = value.strip("*_~").rstrip(".,;:)]}*_~")  # Markdown emphasis and sentence punctuation
    if len(value) < 6 or _URL_RE.fullmatch(value):
        return False
    if re.fullmatch(r"\d+(?:[/.\-]\d+)+", value):  # a date or a version number
        return False
    if value.isdigit():
        return True
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    if has_letter and (has_digit or has_symbol) and not re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", value):
        return True
    return len(value) >= 20 and entropy(value) >= ENTROPY_MIN_BITS


def _high_entropy(run: str) -> bool:
    classes = sum((any(c.islower() for c in run), any(c.isupper() for c in run), any(c.isdigit() for c in run)))
    return classes >= 2 and any(c.isdigit() for c in run) and entropy(run) >= ENTROPY_MIN_BITS


def scan_text(text: str, first_line: int = 1) -> Iterator[Finding]:
    """Every suspected secret in `text`, one per place; `first_line` is the line
    number of the text's first line in its file."""
    if not suspect(text):
        return
    for offset, line in enumerate(text.splitlines()):
        if not suspect(line):
            continue
        yield from _scan_line(line, first_line + offset)


def _scan_line(line: str, number: int) -> Iterator[Finding]:
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        if any(start < e and s < end for s, e in taken):
            return False
        taken.append((start, end))
        return True

    for match in _SHAPES_RE.finditer(line):
        index = int(match.lastgroup[1:]) if match.lastgroup else 0
        if free(match.start(), match.end()):
            yield Finding(number, match.start() + 1, "shape", TOKEN_SHAPES[index][0], match.group())
    folded = fold(line)
    if len(folded) != len(line):  # a character whose lowercase is longer: keep columns right
        folded = line.lower() if len(line.lower()) == len(line) else line
    words = list(_WORD_RE.finditer(folded))
    if not words:
        return
    for match in _ASSIGN_RE.finditer(folded):
        start, end = match.span("value")
        value = line[start:end].rstrip(".,;:)]}*_~")
        if looks_like_secret(value) and not _WORD_RE.fullmatch(fold(value)) and free(start, start + len(value)):
            yield Finding(number, start + 1, "assign", f'a credential written after "{line[match.start():match.start("value")].strip()}"', value)
    urls = [m.span() for m in _URL_RE.finditer(line)]
    for run in _RUN_RE.finditer(line):
        start, end = run.span()
        if any(s <= start and end <= e for s, e in urls) or not _high_entropy(run.group()):
            continue
        near = any(abs(w.start() - start) <= 80 or abs(w.end() - start) <= 80 for w in words)
        if near and free(start, end):
            yield Finding(number, start + 1, "entropy", "a long random-looking string next to a credential word", run.group())


def redacted(text: str) -> str:
    """`text` with every suspected secret replaced by what validate shows of it: its
    first characters and its fingerprint (`[secret "EAAB…" sha256:0123456789abcdef]`).
    For commands that print what people wrote (search results and passages)."""
    if not suspect(text):
        return text
    out: list[str] = []
    for line in text.splitlines(keepends=True):  # as scan_text splits them
        content = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        found = sorted(scan_text(content), key=lambda finding: finding.col)
        at = 0
        for finding in found:
            start = finding.col - 1
            out += [content[at:start], hidden(finding.text)]
            at = start + len(finding.text)
        out += [content[at:], line[len(content):]]
    return "".join(out)


def hidden(secret: str) -> str:
    """What is shown in place of a secret."""
    shown = secret[:4] if len(secret) >= 16 else secret[:2] if len(secret) >= 8 else ""
    return f'[secret "{shown}…" {fingerprint(secret)}]'
