"""What secrets, and what stand-ins for them, look like: the known token shapes, the
credential words and the patterns built on them, and the judgement of one value
(a password or prose? random or a name? a placeholder?). secretwords.py scans texts
with them."""

from __future__ import annotations

import math
import re

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
SHAPES_RE = re.compile("|".join(f"(?P<s{i}>{pattern})" for i, (_, pattern) in enumerate(TOKEN_SHAPES)))
JWT = next(i for i, (name, _) in enumerate(TOKEN_SHAPES) if "JSON Web" in name)
PEM_RE = re.compile(
    r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
    r"(?:[ \t]*(?:\r?\n|\\r\\n|\\n)[A-Za-z-]+:[^\n\\]*)*"  # Proc-Type:, DEK-Info: headers
    r"[ \t\"'`]*(?:\r?\n|\\r\\n|\\n)+[ \t\"'`]*(?!-----END)(?P<body>[^\n\\]{12,})"
)
# A DER private key written in base64 without its armour; not within a certificate or a public key.
DER_RE = re.compile(r"(?<![A-Za-z0-9+/])MII[BCEJ][A-Za-z0-9+/]{60,}={0,2}")
PUBLIC_ARMOUR_RE = re.compile(r"-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE REQUEST)-----")

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
KEY_RE = re.compile(rf"^(?:[a-z0-9]*[ _.\-])*[a-z0-9]*?{_WORD}$")
WORD_RE = re.compile(rf"(?<![a-z0-9]){_WORD}(?![a-z0-9])")
# In prose: a credential word, a separator that introduces its value, then the value.
ASSIGN_RE = re.compile(rf"(?<![a-z0-9]){_WORD}(?![a-z0-9])[ \t]*(?:[:=]|->|→|\bis\b|\best\b|\bc'est\b)[ \t]*[\"'`«]?[ \t]*(?P<value>[^\s\"'`»]+)")

# In code and configuration: a name holding a credential word (camelCase, snake_case or
# run together: twitterToken, AWS_TOKEN, fooapikeyfoo, db_pass), maybe quoted or
# subscripted, an operator, then a value, maybe quoted.
STRONG_PART = r"pass(?:word|wd|phrase|code)?s?|pwd|mdp|token|secret|apikey|api_key|private_?key|bearer"
WEAK_PART = r"auth|credentials?|creds|access_?key|secret_?key|key"
PART_RE = re.compile(STRONG_PART + "|" + WEAK_PART, re.IGNORECASE)
IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
OPERATOR_RE = re.compile(r"""[ \t]*(?:\[\])?(?P<close>['"`\]]*)[ \t]*(?:(?:string|String|str|&str|\[\]byte)[ \t]+)?(?P<op>:::=|::=|:=|\?=|\.=|=>|->|===|!==|==|!=|=|:|,)?[ \t]*@?(?P<q>["'`])?""")
# A value compared with a credential name the other way round: if ("…" == password)
QUOTE_ONLY_RE = re.compile(r"[ \t]*(?P<op>)(?P<q>[\"'`])")
REVERSED_RE = re.compile(r"""(?P<q>["'`])(?P<value>[^"'`]{4,})(?P=q)[ \t]*(?:===|!==|==|!=)[ \t]*(?P<name>[A-Za-z_][\w.]*)""")
XML_RE = re.compile(r"<(?P<tag>[A-Za-z_][\w.\-]*)>\s*(?P<value>[^<>\s]{6,})\s*</(?P=tag)>")
USERINFO_RE = re.compile(r"://[^/\s:@'\"<>]+:(?P<value>[^/\s@'\"<>]{6,})@[\w.\-]+")

# A long run of token characters (for the entropy rule).
RUN_RE = re.compile(r"[A-Za-z0-9+/=_\-.~%]{20,}")
# Each alternative starts only where a run starts (the lookbehinds): linear on long runs.
URL_RE = re.compile(r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://\S+|www\.\S+|(?<!\S)\S+@\S+\.\S+", re.IGNORECASE)

# Stand-ins: what a guide writes where a secret would go.
_TEMPLATE_RE = re.compile(r"""^(?:\{\{.*\}\}|\{[^{}]*\}|\$\{.*\}|\$\(.*\)|<[^<>]*>.*|%[sd(].*|\[[^\[\]]*\]|\(\(.*\)\))$|^\{.*\}$|^<.*>$""")
_PLACEHOLDER_WORD_RE = re.compile(
    r"(?:example|your[_\-]?|here\b|here$|placeholder|redacted|dummy|fake|sample|changeme|randomstring)"  # written in one case: a
    r"|(?:EXAMPLE|YOUR[_\-]?|HERE\b|HERE$|PLACEHOLDER|REDACTED|DUMMY|FAKE|SAMPLE|CHANGEME|RANDOMSTRING)"  # random token may hold "lFaKe"
    r"|(?:Example|Your|Here$|Placeholder|Redacted|Dummy|Fake|Sample|PersonalAccess)|xxxx|\*\*\*\*|####|\.\.\.\."
)
# A value that starts like a known token but does not have its form: a shortened or made-up example.
TOKEN_PREFIX_RE = re.compile(r"xox[a-z][-.]|xapp-|gh[pousr]_|github_pat_|(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]|AIza|[sr]k_live_|hooks\.slack\.com")
REFERENCE_RE = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$-]*)+(?:[(\[].*)?$|^[A-Za-z_$][\w$.]*[(\[].*$|^\$[A-Za-z_]\w*$")
LITERALS = {"true", "false", "none", "null", "nil", "undefined", "yes", "no", "on", "off", "required", "optional", "string", "env", "secret", "password", "token"}
_SEQUENCE_RE = re.compile("|".join(alphabet[i : i + 10] for alphabet in ("abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba") for i in range(17)))

ENTROPY_MIN_BITS = 3.5  # per character; English words score about 2.5-3, random tokens 4.5+


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
    if len(value) < 6 or URL_RE.fullmatch(value) or stand_in(value) or any(c.isspace() for c in value):
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
        return not REFERENCE_RE.match(value) and not value.startswith("-----")
    return len(value) >= 20 and entropy(value) >= ENTROPY_MIN_BITS


def random_looking(value: str) -> bool:
    """For names that only may hold a credential (auth, credentials, key): a value random
    enough to be a token, not a name, an id or a path."""
    if re.fullmatch(r"(?i)[a-z0-9]+(?:_[a-z0-9]+){2,}", value) or REFERENCE_RE.match(value):  # a snake_name, a.dotted.name
        return False
    if len(re.findall(r"[A-Za-z][a-z]{3,}", value)) >= 2 and len(re.findall(r"[-_.]", value)) >= 3:  # id-Gost28147-89-None-KeyMeshing
        return False
    return len(value) >= 20 and entropy(value) >= ENTROPY_MIN_BITS and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def high_entropy(run: str) -> bool:
    if re.fullmatch(r"[A-Z0-9]+(?:_[A-Z0-9]+)+|[a-z0-9]+(?:_[a-z0-9]+)+", run):  # a CONSTANT_NAME or a snake_name
        return False
    classes = sum((any(c.islower() for c in run), any(c.isupper() for c in run), any(c.isdigit() for c in run)))
    return classes >= 2 and any(c.isdigit() for c in run) and entropy(run) >= ENTROPY_MIN_BITS and not stand_in(run)
