"""What a secret looks like: credential words, known token shapes, high-entropy strings.

Pure text functions, no knowledge base: `checks/secrets.py` runs them on records and
pages, and any command that writes user input (imports, new records) can run
`scan_text` before writing. The scan is heuristic by nature: it finds the usual
shapes and the usual words, not every secret (see guide/guarantees.md). Its recall
and false-positive rate per family are measured on public scanners' labelled strings
by tests/test_secrets_evaluation.py. The shapes, words and value judgements it uses
are in secretshapes.py; this module scans texts with them and redacts.

Three rules:
- shape: a token whose form names its issuer (GitHub `ghp_…`, Slack `xoxb-…` and
  webhook URLs, AWS `AKIA…`/`ASIA…`/`ABIA…`/`ACCA…`, Google `AIza…`, Meta `EAA…` and
  `APPID|secret`, X bearer tokens, JWTs, Stripe, private-key blocks), wherever it is;
- assign: a value given to a credential name, in prose (`mot de passe : Velo2024!`) or
  in code and configuration (`twitterToken = "…"`, `"api_key": "…"`, `db_pass: …`,
  `apikey := …`, `<password>…</password>`, `https://user:pass@host`);
- entropy: a long random-looking run next to a credential word.
Whatever looks like a stand-in is never a secret: a placeholder (`{lien_aide}`,
`{{ var }}`, `${VAR}`, `<your-token>`, `%s`), a run of x or *, a value naming itself
an example (`…EXAMPLE`, `your_token_here`, `fake`), a variable or call
(`this.apiKey`, `get_secret()`, `$input`), a known published sample key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from handover.records.fold import fold_in_columns
from handover.records.secretfilter import suspect
from handover.records.secretshapes import (
    ASSIGN_RE,
    DER_RE,
    IDENT_CHARS,
    JWT,
    KEY_RE,
    LITERALS,
    OPERATOR_RE,
    PART_RE,
    PEM_RE,
    PUBLIC_ARMOUR_RE,
    QUOTE_ONLY_RE,
    REFERENCE_RE,
    REVERSED_RE,
    RUN_RE,
    SHAPES_RE,
    STRONG_PART,
    TOKEN_PREFIX_RE,
    TOKEN_SHAPES,
    URL_RE,
    USERINFO_RE,
    WEAK_PART,
    WORD_RE,
    XML_RE,
    high_entropy,
    looks_like_secret,
    random_looking,
    stand_in,
)

# A line holds a token shape only if it holds one of these.
_SHAPE_NEEDLES = ("AAAAAAAAAAAAAAAAAAAA", "EAA", "gh", "github_pat_", "xox", "xapp", "XOX", "XAPP", "hooks.slack", "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "AIza", ".ey", "k_live_", "|", "%7")

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


def is_credential_key(name: str) -> bool:
    """Whether a field name says it holds a credential (password, api_key, mdp…)."""
    return bool(KEY_RE.match(fold_in_columns(name).strip()))



def scan_text(text: str, first_line: int = 1) -> Iterator[Finding]:
    """Every suspected secret in `text`, one per place; `first_line` is the line
    number of the text's first line in its file."""
    if not suspect(text):
        return
    lines = text.splitlines()
    starts: list[int] = []
    position = 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    taken: set[tuple[int, int]] = set()
    for finding in _multiline(text, starts, first_line):
        taken.add((finding.line, finding.col))
        yield finding
    for offset, line in enumerate(lines):
        if not suspect(line):
            continue
        for finding in _scan_line(line, first_line + offset):
            if (finding.line, finding.col) not in taken:
                yield finding


def _line_col(starts: list[int], index: int, first_line: int) -> tuple[int, int]:
    import bisect

    row = bisect.bisect_right(starts, index) - 1
    return first_line + row, index - starts[row] + 1


def _multiline(text: str, starts: list[int], first_line: int) -> Iterator[Finding]:
    """Secrets written over several lines: private-key blocks, <password>…</password>."""
    if "PRIVATE KEY" in text:
        for match in PEM_RE.finditer(text):
            line, col = _line_col(starts, match.start(), first_line)
            yield Finding(line, col, "shape", "a private key block", match.group())
    if "MII" in text and not PUBLIC_ARMOUR_RE.search(text) and "PRIVATE KEY" not in text:
        for match in DER_RE.finditer(text):
            line, col = _line_col(starts, match.start(), first_line)
            yield Finding(line, col, "shape", "a private key (base64, without its armour)", match.group())
    if "<" in text:
        for match in XML_RE.finditer(text):
            if "\n" in match.group() and _credential_name(match.group("tag")) and _secret_value(match.group("value"), match.group("tag"), quoted=False):
                line, col = _line_col(starts, match.start("value"), first_line)
                yield Finding(line, col, "assign", f'a credential in <{match.group("tag")}>', match.group("value"))


_NOT_A_CREDENTIAL_NAME = re.compile(
    r"public|pubkey|csrf|xsrf|length|size|count|url|uri|endpoint|file|path|name|type|ids?$|version|tokeniz|webtoken|secretar|secretair"
    r"|keyword|keyboard|keypress|keycode|keyframe|monkey|turkey|passage|passe[rz]|bypass|compass|passport|passeport"
)


def _excluded_name(name: str) -> bool:
    """Names with a credential word that hold no credential: public_key, csrf_token,
    token_url, secret_length, key_id, io.jsonwebtoken, secretary, keyword, passport…"""
    return _NOT_A_CREDENTIAL_NAME.search(fold_in_columns(name).replace("-", "_")) is not None


def _credential_name(name: str) -> str:
    """"strong" when a name says it holds a credential (password, token, apiKey, db_pass),
    "weak" when it only may (auth, credentials, key), "" when it does not."""
    lowered = fold_in_columns(name).replace("-", "_")
    if _excluded_name(lowered):
        return ""
    if re.search(STRONG_PART, lowered):
        return "strong"
    if re.search(WEAK_PART, lowered):
        return "weak"
    return ""


def _secret_value(value: str, name: str, quoted: bool) -> bool:
    value = value.strip()
    if quoted:
        if not value or stand_in(value) or REFERENCE_RE.match(value):
            return False
    else:
        value = value.rstrip(",;)")
        if not value or stand_in(value) or REFERENCE_RE.match(value):
            return False
    if value.lower() in LITERALS or fold_in_columns(value) == fold_in_columns(name) or value.startswith("-----") or TOKEN_PREFIX_RE.match(value):
        return False
    strength = _credential_name(name)
    if strength == "strong":
        if looks_like_secret(value):
            return True
        # A passphrase: a quoted value of several words after a name from code (`password = "…"`).
        return quoted and len(value) >= 8 and " " in value.strip() and not URL_RE.search(value) and not any(c in value for c in "\"'`|") and len(value) <= 100
    return strength == "weak" and random_looking(value)


def _scan_line(line: str, number: int) -> Iterator[Finding]:
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        if any(start < e and s < end for s, e in taken):
            return False
        taken.append((start, end))
        return True

    for match in SHAPES_RE.finditer(line) if any(needle in line for needle in _SHAPE_NEEDLES) else ():
        index = int(match.lastgroup[1:]) if match.lastgroup else 0
        token = match.group()
        if _stand_in_token(token, index):
            continue
        if free(match.start(), match.end()):
            yield Finding(number, match.start() + 1, "shape", TOKEN_SHAPES[index][0], token)
    for match in USERINFO_RE.finditer(line) if "@" in line and "://" in line else ():
        start, end = match.span("value")
        if looks_like_secret(match.group("value")) and free(start, end):
            yield Finding(number, start + 1, "assign", "a password written in a web address", match.group("value"))
    folded = fold_in_columns(line)
    if len(folded) != len(line):  # a character whose lowercase is longer: keep columns right
        folded = line.lower() if len(line.lower()) == len(line) else line
    for match in ASSIGN_RE.finditer(folded):
        start, end = match.span("value")
        value = line[start:end].rstrip(".,;:)]}*_~")
        if stand_in(line[start:end].rstrip(".,;:*_~")) or TOKEN_PREFIX_RE.match(value) or _excluded_name(_enclosing_name(folded, match.start(), match.start() + 1)):
            continue
        if looks_like_secret(value) and not WORD_RE.fullmatch(fold_in_columns(value)) and free(start, start + len(value)):
            yield Finding(number, start + 1, "assign", f'a credential written after "{line[match.start():match.start("value")].strip()}"', value)
    yield from _code_assignments(line, number, free)
    words = [w for w in WORD_RE.finditer(folded) if not _excluded_name(_enclosing_name(folded, w.start(), w.end()))]
    if not words:
        return
    urls = [m.span() for m in URL_RE.finditer(line)]
    for run in RUN_RE.finditer(line):
        start, end = run.span()
        if any(s <= start and end <= e for s, e in urls) or not high_entropy(run.group()) or line[start - 1 : start] == "$":
            continue
        near = any(abs(w.start() - start) <= 80 or abs(w.end() - start) <= 80 for w in words)
        if near and free(start, end):
            yield Finding(number, start + 1, "entropy", "a long random-looking string next to a credential word", run.group())


def _enclosing_name(text: str, start: int, end: int) -> str:
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in "_.-"):
        end += 1
    return text[start:end]


def _stand_in_token(token: str, index: int) -> bool:
    if stand_in(token):
        return True
    if index == JWT:
        return _damaged_jwt(token)
    return False


def _damaged_jwt(token: str) -> bool:
    """A JWT whose header is visibly a JSON object ({"…) but is cut short: an example
    edited or truncated by hand, not a token."""
    header = token.split(".", 1)[0]
    if not header.startswith("eyJ"):
        return False
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
    except (binascii.Error, ValueError):
        return True
    printable = sum(32 <= byte < 127 for byte in decoded)
    return not decoded.rstrip().endswith(b"}") or printable < 0.8 * len(decoded)  # JSON is text


def _code_assignments(line: str, number: int, free: Callable[[int, int], bool]) -> Iterator[Finding]:
    """`name = value` as code and configuration files write it, the name holding a
    credential word: twitterToken := "…", "api_key": "…", db_pass: …, fooapikeyfoo"…";"""
    done = -1
    for part in PART_RE.finditer(line):
        if part.start() < done:
            continue  # within a name already looked at
        first, last = part.start(), part.end()
        while first > 0 and line[first - 1] in IDENT_CHARS:
            first -= 1
        while last < len(line) and line[last] in IDENT_CHARS:
            last += 1
        done = last
        while first < last and line[first] in ".-":
            first += 1
        while last > first and line[last - 1] in ".-":
            last -= 1
        name = line[first:last]
        if not _credential_name(name):
            continue
        rest = OPERATOR_RE.match(line, last)
        if rest is None:
            continue
        opened = line[first - 1 : first] in ("'", '"', "`", "[")
        if rest.group("close") and not opened and "]" not in rest.group("close"):  # apikey"value": the quote opens the value
            rest = QUOTE_ONLY_RE.match(line, last)
            if rest is None:
                continue
        op, quote = rest.group("op") or None, rest.group("q")
        start = rest.end()
        if op is None and quote is None:
            continue  # a name followed by a word: prose ("the token expired")
        if op == "," and line[first - 1 : first] not in ("'", '"'):
            continue  # a list of names, not ("NAME", "value")
        if quote:
            close = line.find(quote, start)
            if close < 0:
                continue
            value, end = line[start:close], close
        else:
            if op in (None, ","):
                continue
            value_match = re.match(r"[^\s\"'`]+(?:[ \t]+[^\s\"'`]+)*" if _spaced_name(name) else r"[^\s\"'`,;]+", line[start:])
            if value_match is None:
                continue
            value = value_match.group().rstrip(",;")
            end = start + len(value)
        if value and _secret_value(value, name, quoted=bool(quote) or " " in value) and free(start, end):
            yield Finding(number, start + 1, "assign", f'a credential given to "{name}"', value)
    for match in REVERSED_RE.finditer(line):
        name = match.group("name")
        start, end = match.span("value")
        if _credential_name(name) and _secret_value(match.group("value"), name, quoted=True) and free(start, end):
            yield Finding(number, start + 1, "assign", f'a credential compared with "{name}"', match.group("value"))


def _spaced_name(name: str) -> bool:
    """A name from a configuration file (aws_secret_access_key), whose unquoted value
    runs to the end of the line, spaces and all."""
    return "_" in name and name.lower() == name and len(name) > 8


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
