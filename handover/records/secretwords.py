"""What a secret looks like: credential words, known token shapes, high-entropy strings.

Pure text functions, no knowledge base: `checks/secrets.py` runs them on records and
pages, and any command that writes user input (imports, new records) can run
`scan_text` before writing. The scan is heuristic by nature: it finds the usual
shapes and the usual words, not every secret (see guide/guarantees.md). Its recall
and false-positive rate per family are measured on public scanners' labelled strings
by tests/test_secrets_evaluation.py.

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
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from handover.records.fold import fold_in_columns

# Known token shapes, case-sensitive: (name, pattern). Each is specific enough that a
# match is a secret whatever the words around it (stand-ins aside, see _stand_in).
_B = r"(?<![A-Za-z0-9])"  # not inside a longer word: ASIA in "TODAYINASIA" is no key
_E = r"(?![A-Za-z0-9])"
TOKEN_SHAPES: tuple[tuple[str, str], ...] = (
    ("an X (Twitter) bearer token", _B + r"AAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{20,}"),
    ("a Meta (Facebook/Instagram) access token", _B + r"EAA[A-Za-z0-9]{6}[A-Za-z0-9]{24,}"),
    ("a Meta (Facebook/Instagram) app access token", r"(?<![0-9])[0-9]{15,16}(?:\||%7[Cc])[0-9A-Za-z_\-]{27,40}" + _E),
    ("a GitHub token", r"gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}"),
    # Slack's token kinds, as gitleaks writes them (bot, user, app, configuration, legacy).
    ("a Slack token", (r"xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*|xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}"
                      r"|(?i:xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]+)|(?i:xoxe\.xox[bp]-[0-9]-[A-Z0-9]{163,166})|(?i:xoxe-[0-9]-[A-Z0-9]{146})"
                      r"|xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}|xox[ar]-(?:[0-9]-)?[0-9a-zA-Z]{8,48}|xox[os]-[0-9]+-[0-9]+-[0-9]+-[a-fA-F0-9]+"
                      r"|xox[abposr]-(?:[0-9]{5,}-){2,}[a-z0-9]{8,}(?![\w#*-])")),  # detect-secrets' form
    ("a Slack webhook URL", r"(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}"),
    ("an AWS access key", _B + r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + _E),
    ("a Google API key", r"(?<![\w-])AIza[\w-]{35}(?![\w-])"),
    ("a JSON Web Token", r"(?<![\w-])e[yw][A-Za-z0-9_-]{15,}\.ey[A-Za-z0-9_\\/-]{15,}(?:\.(?:[A-Za-z0-9_\\/-]{8,}={0,2})?)?"),
    ("a Stripe secret key", r"[sr]k_live_[A-Za-z0-9]{16,}"),
)
_SHAPES_RE = re.compile("|".join(f"(?P<s{i}>{pattern})" for i, (_, pattern) in enumerate(TOKEN_SHAPES)))
_JWT = next(i for i, (name, _) in enumerate(TOKEN_SHAPES) if "JSON Web" in name)
_PEM_RE = re.compile(
    r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
    r"(?:[ \t]*(?:\r?\n|\\r\\n|\\n)[A-Za-z-]+:[^\n\\]*)*"  # Proc-Type:, DEK-Info: headers
    r"[ \t\"'`]*(?:\r?\n|\\r\\n|\\n)+[ \t\"'`]*(?!-----END)(?P<body>[^\n\\]{12,})"
)
# A DER private key written in base64 without its armour; not within a certificate or a public key.
_DER_RE = re.compile(r"(?<![A-Za-z0-9+/])MII[BCEJ][A-Za-z0-9+/]{60,}={0,2}")
_PUBLIC_ARMOUR_RE = re.compile(r"-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE REQUEST)-----")

# Sample values published by their issuers and the scanners (gitleaks lists them too):
# documentation, not credentials.
PUBLISHED_SAMPLES = frozenset({
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    # Firebase's Android SDK examples
    "AIzaSyabcdefghijklmnopqrstuvwxyz1234567", "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs", "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM",
    "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU", "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0", "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
    "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c", "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4", "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY",
    "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM", "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
    "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU", "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw", "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE",
    "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
})

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
# Linear: each repetition takes exactly one separator (a nested `([a-z0-9]+[ _.-]?)*`
# backtracks exponentially on a long name that does not match).
_KEY_RE = re.compile(rf"^(?:[a-z0-9]*[ _.\-])*[a-z0-9]*?{_WORD}$")
_WORD_RE = re.compile(rf"(?<![a-z0-9]){_WORD}(?![a-z0-9])")
# In prose: a credential word, a separator that introduces its value, then the value.
_ASSIGN_RE = re.compile(rf"(?<![a-z0-9]){_WORD}(?![a-z0-9])[ \t]*(?:[:=]|->|→|\bis\b|\best\b|\bc'est\b)[ \t]*[\"'`«]?[ \t]*(?P<value>[^\s\"'`»]+)")

# In code and configuration: a name holding a credential word (camelCase, snake_case or
# run together: twitterToken, AWS_TOKEN, fooapikeyfoo, db_pass), maybe quoted or
# subscripted, an operator, then a value, maybe quoted.
_STRONG_PART = r"pass(?:word|wd|phrase|code)?s?|pwd|mdp|token|secret|apikey|api_key|private_?key|bearer"
_WEAK_PART = r"auth|credentials?|creds|access_?key|secret_?key|key"
_PART_RE = re.compile(_STRONG_PART + "|" + _WEAK_PART, re.IGNORECASE)
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_OPERATOR_RE = re.compile(r"""[ \t]*(?:\[\])?(?P<close>['"`\]]*)[ \t]*(?:(?:string|String|str|&str|\[\]byte)[ \t]+)?(?P<op>:::=|::=|:=|\?=|\.=|=>|->|===|!==|==|!=|=|:|,)?[ \t]*@?(?P<q>["'`])?""")
# A value compared with a credential name the other way round: if ("…" == password)
_QUOTE_ONLY_RE = re.compile(r"[ \t]*(?P<op>)(?P<q>[\"'`])")
_REVERSED_RE = re.compile(r"""(?P<q>["'`])(?P<value>[^"'`]{4,})(?P=q)[ \t]*(?:===|!==|==|!=)[ \t]*(?P<name>[A-Za-z_][\w.]*)""")
_XML_RE = re.compile(r"<(?P<tag>[A-Za-z_][\w.\-]*)>\s*(?P<value>[^<>\s]{6,})\s*</(?P=tag)>")
_USERINFO_RE = re.compile(r"://[^/\s:@'\"<>]+:(?P<value>[^/\s@'\"<>]{6,})@[\w.\-]+")

# A long run of token characters (for the entropy rule).
_RUN_RE = re.compile(r"[A-Za-z0-9+/=_\-.~%]{20,}")
# Each alternative starts only where a run starts (the lookbehinds): linear on long runs.
_URL_RE = re.compile(r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://\S+|www\.\S+|(?<!\S)\S+@\S+\.\S+", re.IGNORECASE)

# Stand-ins: what a guide writes where a secret would go.
_TEMPLATE_RE = re.compile(r"""^(?:\{\{.*\}\}|\{[^{}]*\}|\$\{.*\}|\$\(.*\)|<[^<>]*>.*|%[sd(].*|\[[^\[\]]*\]|\(\(.*\)\))$|^\{.*\}$|^<.*>$""")
_PLACEHOLDER_WORD_RE = re.compile(
    r"(?:example|your[_\-]?|here\b|here$|placeholder|redacted|dummy|fake|sample|changeme|randomstring)"  # written in one case: a
    r"|(?:EXAMPLE|YOUR[_\-]?|HERE\b|HERE$|PLACEHOLDER|REDACTED|DUMMY|FAKE|SAMPLE|CHANGEME|RANDOMSTRING)"  # random token may hold "lFaKe"
    r"|(?:Example|Your|Here$|Placeholder|Redacted|Dummy|Fake|Sample|PersonalAccess)|xxxx|\*\*\*\*|####|\.\.\.\."
)
# A value that starts like a known token but does not have its form: a shortened or made-up example.
_TOKEN_PREFIX_RE = re.compile(r"xox[a-z][-.]|xapp-|gh[pousr]_|github_pat_|(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]|AIza|[sr]k_live_|hooks\.slack\.com")
_REFERENCE_RE = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$-]*)+(?:[(\[].*)?$|^[A-Za-z_$][\w$.]*[(\[].*$|^\$[A-Za-z_]\w*$")
_LITERALS = {"true", "false", "none", "null", "nil", "undefined", "yes", "no", "on", "off", "required", "optional", "string", "env", "secret", "password", "token"}
_SEQUENCE_RE = re.compile("|".join(alphabet[i : i + 10] for alphabet in ("abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba") for i in range(17)))
# A line holds a token shape only if it holds one of these.
_SHAPE_NEEDLES = ("AAAAAAAAAAAAAAAAAAAA", "EAA", "gh", "github_pat_", "xox", "xapp", "XOX", "XAPP", "hooks.slack", "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "AIza", ".ey", "k_live_", "|", "%7")

# Cheap test on a whole file: only files that pass it are scanned. It must let
# through whatever the rules above can find. First a few plain substring tests (C
# speed) on the lowercased text, then, for the few texts that pass, a closer regex:
# one case-insensitive regex of many alternatives on every file cost 30 times more.
_TRIGGERS = ("pass", "pwd", "mdp", "token", "secr", "bearer", "key", "xox", "xapp", "gh", "_pat_", "k_live_", "clé", " cle", "\ncle",
             "auth", "cred", "hooks.slack")
_EXACT_NEEDLES = ("AAAAAAAAAAAAAAAAAAAA", "EAA", "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "AIza", "eyJ", ".ey", "-----BEGIN", "MII")
# Each list as one pattern: one pass of the regex engine over a text instead of a
# Python-level `in` per needle (validate asks this of every value of every record).
_EXACT_NEEDLES_RE = re.compile("|".join(map(re.escape, _EXACT_NEEDLES)))
_TRIGGERS_RE = re.compile("|".join(map(re.escape, _TRIGGERS)))
_CLOSER_RE = re.compile(
    r"pass|pwd|mdp|mots?[ _.\-]?de[ _.\-]?pass|token|secr[eè]t|bearer|key|auth|cred"
    r"|xox[abposre][-.]|xapp-|gh[pousr]_|github_pat_|k_live_|cl[eé]s?[ _.\-]?(?:api|secr|priv)|hooks\.slack\.com"
)
_USERINFO_NEEDLE_RE = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


def _digits_before_pipe(text: str) -> bool:
    """Whether 15 digits stand before a | or %7C somewhere (a Meta APPID|secret);
    a loop over the pipes, cheaper than a regex over tables full of them."""
    for mark in ("|", "%7"):
        index = text.find(mark)
        while index >= 0:
            if index >= 15 and text[index - 15 : index].isdigit():
                return True
            index = text.find(mark, index + 1)
    return False


def suspect(text: str) -> bool:
    """Whether `text` may hold something the scan finds (false positives are fine:
    they only cost a closer look)."""
    if _EXACT_NEEDLES_RE.search(text):
        return True
    if "@" in text and "://" in text and _USERINFO_NEEDLE_RE.search(text):
        return True
    if _digits_before_pipe(text):
        return True
    lowered = text.lower()
    if lowered.startswith("cle"):  # the word at the very start: no character before it
        return _CLOSER_RE.search(lowered) is not None
    # the closer regex first: it rejects most texts in one pass (cheaper than the triggers' pass)
    return _CLOSER_RE.search(lowered) is not None and _TRIGGERS_RE.search(lowered) is not None


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


def is_credential_key(name: str) -> bool:
    """Whether a field name says it holds a credential (password, api_key, mdp…)."""
    return bool(_KEY_RE.match(fold_in_columns(name).strip()))


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def stand_in(value: str) -> bool:
    """Whether a value is what guides write where a secret would go: a placeholder
    (`{name}`, `{{ x }}`, `${X}`, `<token>`, `%s`), a run of x, * or #, a value that
    says it is an example or a fake, a published sample, an alphabet."""
    text = value.strip().strip("\"'`")
    if not text or text in PUBLISHED_SAMPLES or _TEMPLATE_RE.match(text):
        return True
    if text.upper().endswith("EXAMPLE") or _PLACEHOLDER_WORD_RE.search(text):
        return True
    lowered = text.lower()
    if _SEQUENCE_RE.search(lowered):  # abcdefghij…: an alphabet, not a secret
        return True
    if re.search(r"x{8}|X{8}|\*{4}|#{4}|0{8}", text):  # xxxxxxxx, ####, 00000000: a masked or blank value
        return True
    return len(text) >= 30 and entropy(text) < 2.0  # AIzaaaaaaaa…: one character over and over


def looks_like_secret(value: str) -> bool:
    """A value written after `password:` that is a password, not prose ("dans Bitwarden",
    "changé", a date): no spaces, at least 6 characters, letters mixed with digits or
    symbols, or digits only (a PIN or code), or a long high-entropy run."""
    value = value.strip("*_~").rstrip(".,;:)]}*_~")  # Markdown emphasis and sentence punctuation
    if len(value) < 6 or _URL_RE.fullmatch(value) or stand_in(value) or any(c.isspace() for c in value):
        return False
    if value.count("/") >= 3 and re.fullmatch(r"[a-z0-9_.\-]*(?:/[a-z0-9_.\-]*)+", value):  # a path
        return False
    if re.fullmatch(r"\d+(?:[/.\-]\d+)+", value):  # a date or a version number
        return False
    if value.isdigit():
        return True
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    if has_letter and (has_digit or has_symbol) and not re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", value):
        return not _REFERENCE_RE.match(value) and not value.startswith("-----")
    return len(value) >= 20 and entropy(value) >= ENTROPY_MIN_BITS


def _random_looking(value: str) -> bool:
    """For names that only may hold a credential (auth, credentials, key): a value random
    enough to be a token, not a name, an id or a path."""
    if re.fullmatch(r"(?i)[a-z0-9]+(?:_[a-z0-9]+){2,}", value) or _REFERENCE_RE.match(value):  # a snake_name, a.dotted.name
        return False
    if len(re.findall(r"[A-Za-z][a-z]{3,}", value)) >= 2 and len(re.findall(r"[-_.]", value)) >= 3:  # id-Gost28147-89-None-KeyMeshing
        return False
    return len(value) >= 20 and entropy(value) >= ENTROPY_MIN_BITS and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _high_entropy(run: str) -> bool:
    if re.fullmatch(r"[A-Z0-9]+(?:_[A-Z0-9]+)+|[a-z0-9]+(?:_[a-z0-9]+)+", run):  # a CONSTANT_NAME or a snake_name
        return False
    classes = sum((any(c.islower() for c in run), any(c.isupper() for c in run), any(c.isdigit() for c in run)))
    return classes >= 2 and any(c.isdigit() for c in run) and entropy(run) >= ENTROPY_MIN_BITS and not stand_in(run)


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
        for match in _PEM_RE.finditer(text):
            line, col = _line_col(starts, match.start(), first_line)
            yield Finding(line, col, "shape", "a private key block", match.group())
    if "MII" in text and not _PUBLIC_ARMOUR_RE.search(text) and "PRIVATE KEY" not in text:
        for match in _DER_RE.finditer(text):
            line, col = _line_col(starts, match.start(), first_line)
            yield Finding(line, col, "shape", "a private key (base64, without its armour)", match.group())
    if "<" in text:
        for match in _XML_RE.finditer(text):
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
    if re.search(_STRONG_PART, lowered):
        return "strong"
    if re.search(_WEAK_PART, lowered):
        return "weak"
    return ""


def _secret_value(value: str, name: str, quoted: bool) -> bool:
    value = value.strip()
    if quoted:
        if not value or stand_in(value) or _REFERENCE_RE.match(value):
            return False
    else:
        value = value.rstrip(",;)")
        if not value or stand_in(value) or _REFERENCE_RE.match(value):
            return False
    if value.lower() in _LITERALS or fold_in_columns(value) == fold_in_columns(name) or value.startswith("-----") or _TOKEN_PREFIX_RE.match(value):
        return False
    strength = _credential_name(name)
    if strength == "strong":
        if looks_like_secret(value):
            return True
        # A passphrase: a quoted value of several words after a name from code (`password = "…"`).
        return quoted and len(value) >= 8 and " " in value.strip() and not _URL_RE.search(value) and not any(c in value for c in "\"'`|") and len(value) <= 100
    return strength == "weak" and _random_looking(value)


def _scan_line(line: str, number: int) -> Iterator[Finding]:
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        if any(start < e and s < end for s, e in taken):
            return False
        taken.append((start, end))
        return True

    for match in _SHAPES_RE.finditer(line) if any(needle in line for needle in _SHAPE_NEEDLES) else ():
        index = int(match.lastgroup[1:]) if match.lastgroup else 0
        token = match.group()
        if _stand_in_token(token, index):
            continue
        if free(match.start(), match.end()):
            yield Finding(number, match.start() + 1, "shape", TOKEN_SHAPES[index][0], token)
    for match in _USERINFO_RE.finditer(line) if "@" in line and "://" in line else ():
        start, end = match.span("value")
        if looks_like_secret(match.group("value")) and free(start, end):
            yield Finding(number, start + 1, "assign", "a password written in a web address", match.group("value"))
    folded = fold_in_columns(line)
    if len(folded) != len(line):  # a character whose lowercase is longer: keep columns right
        folded = line.lower() if len(line.lower()) == len(line) else line
    for match in _ASSIGN_RE.finditer(folded):
        start, end = match.span("value")
        value = line[start:end].rstrip(".,;:)]}*_~")
        if stand_in(line[start:end].rstrip(".,;:*_~")) or _TOKEN_PREFIX_RE.match(value) or _excluded_name(_enclosing_name(folded, match.start(), match.start() + 1)):
            continue
        if looks_like_secret(value) and not _WORD_RE.fullmatch(fold_in_columns(value)) and free(start, start + len(value)):
            yield Finding(number, start + 1, "assign", f'a credential written after "{line[match.start():match.start("value")].strip()}"', value)
    yield from _code_assignments(line, number, free)
    words = [w for w in _WORD_RE.finditer(folded) if not _excluded_name(_enclosing_name(folded, w.start(), w.end()))]
    if not words:
        return
    urls = [m.span() for m in _URL_RE.finditer(line)]
    for run in _RUN_RE.finditer(line):
        start, end = run.span()
        if any(s <= start and end <= e for s, e in urls) or not _high_entropy(run.group()) or line[start - 1 : start] == "$":
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
    if index == _JWT:
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
    for part in _PART_RE.finditer(line):
        if part.start() < done:
            continue  # within a name already looked at
        first, last = part.start(), part.end()
        while first > 0 and line[first - 1] in _IDENT_CHARS:
            first -= 1
        while last < len(line) and line[last] in _IDENT_CHARS:
            last += 1
        done = last
        while first < last and line[first] in ".-":
            first += 1
        while last > first and line[last - 1] in ".-":
            last -= 1
        name = line[first:last]
        if not _credential_name(name):
            continue
        rest = _OPERATOR_RE.match(line, last)
        if rest is None:
            continue
        opened = line[first - 1 : first] in ("'", '"', "`", "[")
        if rest.group("close") and not opened and "]" not in rest.group("close"):  # apikey"value": the quote opens the value
            rest = _QUOTE_ONLY_RE.match(line, last)
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
    for match in _REVERSED_RE.finditer(line):
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
