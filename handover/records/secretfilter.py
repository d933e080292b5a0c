"""The cheap first look at a text: whether it may hold anything secretwords.py's scan
finds. Validate asks it of every record file and search of every document, so a
text it clears is never scanned in full; it must let through whatever the scan
(and the `credentials` field check of checks/secrets.py) can find. False positives
only cost a closer look. Split from secretwords.py, whose rules it mirrors.
"""

from __future__ import annotations

import re

from handover.records.fold import fold_in_columns
from handover.records.secretshapes import IDENT_CHARS, OPERATOR_RE

# Cheap test on a whole file: only files that pass it are scanned. It must let
# through whatever the rules above can find. First a few plain substring tests (C
# speed) on the lowercased text, then, for the few texts that pass, a closer regex:
# one case-insensitive regex of many alternatives on every file cost 30 times more.
# The weak words (auth, cred, key: WEAK_PART) are not among them: they are in every
# account (`credentials:`, `method: security-key`) and in surnames (Gauthier), and
# they can only matter as the name of an assignment; `_weak_words_matter` looks at
# each of them. A key is strong after api, private, access (api_key: the credential
# words of CREDENTIAL_WORDS and STRONG_PART) or secret (a strong needle of its own).
_TRIGGERS = ("pass", "pwd", "mdp", "token", "secr", "bearer", "key", "xox", "xapp", "gh", "_pat_", "k_live_", "clé", " cle", "\ncle",
             "hooks.slack")
_EXACT_NEEDLES = ("AAAAAAAAAAAAAAAAAAAA", "EAA", "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "AIza", "yJ", ".ey", "-----BEGIN", "MII")
# Each list as one pattern: one pass of the regex engine over a text instead of a
# Python-level `in` per needle (validate asks this of every value of every record).
# A JWT's "eyJ" is looked for as "yJ": the regex tries each needle where its first
# letter stands, and e is the commonest letter of French and English.
_EXACT_NEEDLES_RE = re.compile("|".join(map(re.escape, _EXACT_NEEDLES)))
_TRIGGERS_RE = re.compile("|".join(map(re.escape, _TRIGGERS)))
_CLOSER_RE = re.compile(
    r"pass(?!e[rz]|age|e?port|e[^a-z0-9])|pwd|mdp|token|secr[eè]t|bearer"
    r"|xox[abposre][-.]|xapp-|gh[pousr]_|github_pat_|k_live_|cl[eé]s?[ _.\-]?(?:api|secr|priv)|hooks\.slack\.com"
)
_USERINFO_NEEDLE_RE = re.compile(r"://[^/\s:@]+:[^/\s@]+@")
_WEAK_WORDS = ("auth", "cred", "key")
# PART_RE's weak alternatives, found as PART_RE finds them (case-insensitive, in the raw line).
_WEAK_RE = re.compile("|".join(_WEAK_WORDS), re.IGNORECASE)
_PASSE_RE = re.compile("passe", re.IGNORECASE)
_MOT_DE_RE = re.compile(r"mots?[ _.\-]?de[ _.\-]?$")  # before passe: the credential word (CREDENTIAL_WORDS)
# `credentials:` alone on its line, its value a block mapping (`manager: …` indented
# below it): where a login lives, which the field check allows (checks/secrets.py).
_CREDENTIALS_MAPPING_RE = re.compile(r"( *)credentials:[ \t]*\n\1 +[A-Za-z0-9_][\w.\-]*:(?=[ \t\n])")
_VALUE_MIN = 20  # a weak name's value is a secret only if random_looking(): 20 characters at least
_STRONG_KEY_RE = re.compile(r"(?:api|private|access)[ _.\-]?key")
_OTHER_BREAKS_RE = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


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
    """Whether `text` may hold something the scan finds, or a value the field check
    reports (a `credentials:` field that is not a mapping); false positives are fine:
    they only cost a closer look."""
    if _EXACT_NEEDLES_RE.search(text):
        return True
    if "@" in text and "://" in text and _USERINFO_NEEDLE_RE.search(text):
        return True
    if _digits_before_pipe(text):
        return True
    lowered = text.lower()
    if lowered.startswith("cle"):  # the word at the very start: no character before it
        if _CLOSER_RE.search(lowered) is not None:
            return True
    # the closer regex first: it rejects most texts in one pass (cheaper than the triggers' pass)
    elif _CLOSER_RE.search(lowered) is not None and _TRIGGERS_RE.search(lowered) is not None:
        return True
    if "key" in lowered and _STRONG_KEY_RE.search(lowered):
        return True
    if "passe" in lowered and _names_matter(text, _PASSE_RE, strong=True):
        return True
    return any(word in lowered for word in _WEAK_WORDS) and _names_matter(text, _WEAK_RE)


def _names_matter(text: str, words: re.Pattern[str], strong: bool = False) -> bool:
    """Whether a word `words` finds in a text without the strong needles may matter: a
    weak word (auth, cred, key) or the word passe. Alone, it is only ever a name: of an assignment (`_code_assignments`: an operator or
    a quote right after the name, then a value of 20 characters or more on the same line,
    as random_looking asks), of an XML tag (`_multiline`: a `<` on the line), of a name
    compared with a value (REVERSED_RE: `==` or `!=` on the line), or of a field named
    `credentials` whose value is not a mapping (checks/secrets.py, E601). A name that
    holds a strong part as well (authToken, api_key, db_password) was let through by the
    strong needles already; accents are dropped before the credential words are matched,
    so a key after an accented `àpi` is looked for here. With `strong` (passe), any
    value may be a password, and "mot de passe" is a credential word wherever it is."""
    for match in words.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start : end if end >= 0 else len(text)]
        if _OTHER_BREAKS_RE.search(line) or "<" in line or "==" in line or "!=" in line:
            return True  # a line that splitlines() cuts further, an XML tag, a comparison
        first, last = match.start() - start, match.end() - start
        if strong and _MOT_DE_RE.search(fold_in_columns(line[max(0, first - 8) : first])):
            return True
        if not strong and not line.isascii() and _STRONG_KEY_RE.search(fold_in_columns(line)):
            return True  # an accented strong key (àpi_key)
        while first > 0 and line[first - 1] in IDENT_CHARS:
            first -= 1
        while last < len(line) and line[last] in IDENT_CHARS:
            last += 1
        if not strong and line[first:last] == "credentials":  # maybe a field: only a block mapping under it is known harmless
            found = _CREDENTIALS_MAPPING_RE.match(text, start)
            if found is None or found.end(1) != start + first:
                return True
            continue
        while last > first and line[last - 1] in ".-":
            last -= 1
        if strong or len(line) - last > _VALUE_MIN:  # room for an operator and a value
            rest = OPERATOR_RE.match(line, last)
            if rest is None or rest.group("op") or rest.group("q") or rest.group("close"):
                return True
    return False
