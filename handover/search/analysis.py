"""How text becomes indexed words: folded, stemmed, stop words out (Whoosh analyzers).

One analyzer for indexing, queries and snippets alike, so that `modérateurs`,
`moderateurs` and `Modération` meet on one stem; the pair analyzer joins each word
to the next, for phrases (see phrases.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from whoosh import lang as _whoosh_lang
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer

from handover.records.fold import fold

whoosh_lang: Any = _whoosh_lang  # Whoosh's language helpers, untyped

# Whoosh's default tokens (`cycles-morvan.fr` gives cycles, morvan.fr), written
# `\w+(?:\.?\w+)*` there: the same matches, found faster without the optional dot.
WORD_RE = re.compile(r"\w+(?:\.\w+)*")
PART_BREAK = "\x1e"  # between the values of a record in `pairs`: no pair spans two of them
WORD_OR_BREAK_RE = re.compile(WORD_RE.pattern + "|" + PART_BREAK)

# E-mail addresses and phone numbers are words of their own, however written: an
# address whole, folded (`jean.dupont@cycles-morvan.fr`, then its words as before);
# a phone number as its international digits (`+33 6 12 34 56 78`, `06.12.34.56.78`
# and `+33612345678` all give 33612345678), read in the kb's country when written
# the national way. What does not read as a number keeps its words.
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ .\-]?\d){7,14}(?!\w)")
SPECIAL_RE = re.compile(f"(?P<email>{EMAIL_RE.pattern})|(?P<phone>{PHONE_RE.pattern})")

_FORMS: dict[str, dict[str, str]] = {}  # per language: word as written → indexed form ("" for a stop word)
_LAST_FORMS: list[tuple[Any, Any, list[str]]] = [(None, None, [])]  # (text, analyzer's setting, its marked forms), see marked_forms
_PHONES: dict[tuple[str, str, str], str] = {}  # (number as written, country, language) → its form ("" when not a number)
Span = tuple[int, int, "str | None"]  # a word of a text: start, end, its form when already known (an address, a number)


class FoldingAnalyzer(Analyzer):
    """Words → lowercased, accent-folded, stop words out, stemmed in the kb's language.

    Folding comes before stemming so that `modérateurs`, `moderateurs` and
    `Modération` meet on one stem. The Snowball stemmers expect accents, and leave
    a final e on folded words (`annulee` → annule, `annule` → annul): it is dropped
    so the forms meet. English stop words go too: a French kb holds English
    responses, and English messages come in.

    One pass, and each distinct word is worked out once (a dictionary, kept outside
    the analyzer so the schema Whoosh pickles stays small): Whoosh's chain of five
    filters cost several times more per word."""

    def __init__(self, language: str, country: str = "") -> None:
        self.language = language
        self.country = country  # where phone numbers written the national way are read

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and (self.language, self.country) == (getattr(other, "language", None), getattr(other, "country", None))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.language!r}, {self.country!r})"

    def has_morph(self) -> bool:
        return True

    def forms(self, value: str) -> list[str]:
        """The indexed forms of the words of `value`, stop words out: what the
        analyzer yields when indexing, without making a token for each word."""
        marked = self.marked_forms(value)
        return [form for form in marked if form != PART_BREAK] if PART_BREAK in value else marked

    def marked_forms(self, value: str) -> list[str]:
        """`forms`, with PART_BREAK kept where `value` has one. The last answer is
        remembered (`content` and `pairs` index the same string, one after the
        other): callers must not change the list."""
        last, setting, found = _LAST_FORMS[0]
        if last is value and setting == (self.language, self.country):
            return found
        if "@" in value or PHONE_RE.search(value):
            found = [form for form in self._span_forms(value, WORD_OR_BREAK_RE) if form]
        else:
            found = self._word_forms(WORD_OR_BREAK_RE.findall(value))
        _LAST_FORMS[0] = (value, (self.language, self.country), found)
        return found

    def _word_forms(self, words: list[str]) -> list[str]:
        forms = _FORMS.get(self.language) or _forms(self.language)
        known = list(map(forms.get, words))  # one dictionary look-up per word, in C
        if None in known:
            for word in set(words).difference(forms):
                normal_form(word, self.language)
            known = list(map(forms.get, words))
        return list(filter(None, known))  # stop words have the form ""

    def _span_forms(self, value: str, pattern: re.Pattern[str]) -> Iterator[str]:
        forms = _FORMS.get(self.language) or _forms(self.language)
        for start, end, form in self.spans(value, pattern):
            if form is None:
                word = value[start:end]
                form = forms.get(word)
                if form is None:
                    form = normal_form(word, self.language)
            yield form

    def spans(self, value: str, pattern: re.Pattern[str] = WORD_RE) -> Iterator[Span]:
        """The words of `value` in order (`pattern` finds the plain ones), with the
        form of each address and number worked out (None for a plain word)."""
        at = 0
        for special in SPECIAL_RE.finditer(value) if "@" in value or PHONE_RE.search(value) else ():
            start, end = special.span()
            yield from ((m.start(), m.end(), None) for m in pattern.finditer(value, at, start))
            form = value[start:end].lower() if special.lastgroup == "email" else self.phone_form(special.group())
            if form:
                yield start, end, fold(form)
            if not form or special.lastgroup == "email":  # an address's words are words too
                yield from ((m.start(), m.end(), None) for m in pattern.finditer(value, start, end))
            at = end
        yield from ((m.start(), m.end(), None) for m in pattern.finditer(value, at))

    def phone_form(self, written: str) -> str:
        """The indexed form of a phone number as written: its international digits,
        as the word `+33612345678` gives them ("" when it does not read as a number)."""
        key = (written, self.country, self.language)
        form = _PHONES.get(key)
        if form is None:
            from handover.records.phones import match_key

            e164 = match_key(written, self.country)
            form = _PHONES[key] = normal_form(e164.lstrip("+"), self.language) if e164 else ""
        return form

    def normalized_query(self, text: str) -> str:
        """`text` with each phone number written as one word, its indexed form: a
        query parser would split `06 12 34 56 78` into five words."""
        if not PHONE_RE.search(text):
            return text
        return PHONE_RE.sub(lambda match: self.phone_form(match.group()) or match.group(), text)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False, removestops: bool = True,
                 start_pos: int = 0, start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Any]:
        forms = _FORMS.get(self.language) or _forms(self.language)
        token: Any = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        if not tokenize:
            token.original = value
            token.text = forms.get(value) or normal_form(value, self.language)
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for start, end, known in self.spans(value):
            word = value[start:end]
            form = known if known is not None else forms.get(word)
            if form is None:
                form = normal_form(word, self.language)
            if not form:
                if removestops:
                    continue  # like Whoosh's StopFilter: stop words take no position
                token.stopped, token.text = True, fold(word.lower())
            else:
                token.stopped, token.text = False, form
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


PAIRS = "pairs"  # the field of word pairs, for phrases in `content`
PAIR_JOIN = " "  # never inside an indexed word (WORD_RE takes no spaces)


class PairAnalyzer(FoldingAnalyzer):
    """Each indexed word joined to the next one: "la cellule de crise" gives
    `cellul cris`. A phrase is then looked up as its pairs, a posting list each,
    rather than by reading the word positions of every record that holds all of
    its words (a common phrase took ten times the target at 10,000 records). Stop
    words take no position in `content` either, so pairs meet the same phrases,
    except across two values of a record (a title and the next field), which
    PART_BREAK keeps apart: such pairs were half of the distinct ones, for nothing."""

    def forms(self, value: str) -> list[str]:
        pairs = []
        previous = ""
        for form in self.marked_forms(value):
            if form == PART_BREAK:
                previous = ""
                continue
            if previous:
                pairs.append(previous + PAIR_JOIN + form)
            previous = form
        return pairs

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False, removestops: bool = True,
                 start_pos: int = 0, start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Any]:
        token: Any = Token(positions, False, removestops=removestops, mode=mode, **kwargs)
        token.boost, token.stopped = 1.0, False
        for number, pair in enumerate(self.forms(value) if tokenize else [value]):
            token.text = pair
            if positions:
                token.pos = start_pos + number
            yield token


def pairs_of(words: list[str]) -> list[str]:
    """The pairs of consecutive indexed words, as the `pairs` field holds them."""
    return [a + PAIR_JOIN + b for a, b in zip(words, words[1:])]


# Whoosh's formats count a field's words one token object at a time: about a third
# of the index work at 10,000 records. These count the analyzer's list of forms in


def _forms(language: str) -> dict[str, str]:
    return _FORMS.setdefault(language, {PART_BREAK: PART_BREAK})


def normal_form(word: str, language: str) -> str:
    """How a word is indexed ("" for a stop word); remembered for the next time."""
    forms = _forms(language)
    folded = fold(word.lower())
    if len(folded) < 2 or folded in _stop_set(language) or (len(folded) < 3 and folded.isdigit()):
        form = ""  # stop words, single letters, and numbers like 06 or 12 (pieces of phones and dates)
    elif whoosh_lang.has_stemmer(language):
        form = _stemmer(language)(folded)
        if len(form) > 3:
            form = form.rstrip("e") or form
    else:
        form = folded
    forms[word] = form
    return form


_STOPS: dict[str, frozenset[str]] = {}
# Common words the Snowball lists lack (folded).
EXTRA_STOPS = {"fr": ("les", "cette", "cet", "cela", "ca", "si", "ni", "donc", "car", "dont", "quoi", "alors", "aussi", "tres")}
_STEMMERS: dict[str, Callable[[str], str]] = {}


def _stop_set(language: str) -> frozenset[str]:
    stops = _STOPS.get(language)
    if stops is None:
        languages = dict.fromkeys((language, "en"))
        stops = _STOPS[language] = frozenset(fold(w) for lang in languages for w in (*_stopwords(lang), *EXTRA_STOPS.get(lang, ())))
    return stops


def _stemmer(language: str) -> Callable[[str], str]:
    stem = _STEMMERS.get(language)
    if stem is None:
        stem = _STEMMERS[language] = whoosh_lang.stemmer_for_language(language)
    return stem


def _stopwords(language: str) -> frozenset[str]:
    try:
        return frozenset(whoosh_lang.stopwords_for_language(language))
    except Exception:  # no list for that language: keep every word
        return frozenset()


def analyzer(language: str, country: str = "") -> FoldingAnalyzer:
    return FoldingAnalyzer(language, country)



def guess_language(text: str, languages: Iterable[str]) -> str | None:
    """The language among `languages` whose stop words the text uses most, if one does."""
    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    counts = {}
    for language in languages:
        stops = {fold(w) for w in _stopwords(language)}
        counts[language] = sum(1 for w in words if w in stops)
    best = max(counts, key=lambda lang: counts[lang], default=None)
    if best is None or counts[best] == 0 or list(counts.values()).count(counts[best]) > 1:
        return None
    return best

