"""How text becomes indexed words: folded, stemmed, stop words out (Whoosh analyzers).

One analyzer for indexing, queries and snippets alike, so that `modérateurs`,
`moderateurs` and `Modération` meet on one stem; the pair analyzer joins each word
to the next, for phrases (see phrases.py).
"""

from __future__ import annotations

import itertools
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

# A phone number is a word of its own, however written: its international digits
# (`+33 6 12 34 56 78`, `06.12.34.56.78` and `+33612345678` all give 33612345678),
# read in the kb's country when written the national way. What does not read as a
# number keeps its words. (E-mail addresses need nothing of the kind: their words,
# folded, all required, find them in any case and wrapping; a whole-address word
# doubled the index's vocabulary for nothing.)
# A phone-like run is 8 to 15 digits, single spaces, dots or dashes between them, an
# optional + first. The pattern starts with a character class, which lets the regex
# engine skip to candidates in C; that a run does not start inside a word is checked
# after (see _phones).
PHONE_RE = re.compile(r"[+\d](?:[ .\-]?\d){7,14}(?!\w)")

_FORMS: dict[str, dict[str, str]] = {}  # per language: word as written → indexed form ("" for a stop word)
_LAST_FORMS: list[tuple[Any, Any, list[str]]] = [(None, None, [])]  # (text, analyzer's setting, its marked forms), see marked_forms
_PHONES: dict[tuple[str, str, str], str] = {}  # (number as written, country, language) → its form ("" when not a number)
Span = tuple[int, int, "str | None"]  # a word of a text: start, end, its form when already known (a phone number)


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
        phones = _phones(value)
        found = self._forms_with_phones(value, phones) if phones else self._word_forms(WORD_OR_BREAK_RE.findall(value))
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

    def _forms_with_phones(self, value: str, phones: list[tuple[int, int]]) -> list[str]:
        """`marked_forms` of a text holding phone-like numbers: the stretches of plain
        words between them still go through `_word_forms` in one go."""
        found: list[str] = []
        at = 0
        for start, end in phones:
            found += self._word_forms(WORD_OR_BREAK_RE.findall(value, at, start))
            form = self.phone_form(value[start:end])
            found += [form] if form else self._word_forms(WORD_OR_BREAK_RE.findall(value, start, end))
            at = end
        found += self._word_forms(WORD_OR_BREAK_RE.findall(value, at))
        return found

    def spans(self, value: str, pattern: re.Pattern[str] = WORD_RE) -> Iterator[Span]:
        """The words of `value` in order (`pattern` finds the plain ones), with the
        form of each phone number worked out (None for a plain word)."""
        at = 0
        for start, end in _phones(value):
            yield from ((m.start(), m.end(), None) for m in pattern.finditer(value, at, start))
            form = self.phone_form(value[start:end])
            if form:
                yield start, end, form
            else:
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
            form = _PHONES[key] = e164.lstrip("+") if e164 else ""  # digits are not stemmed (see normal_form)
        return form

    def normalized_query(self, text: str) -> str:
        """`text` with each phone number written as one word, its indexed form: a
        query parser would split `06 12 34 56 78` into five words."""
        for start, end in reversed(_phones(text)):
            text = text[:start] + (self.phone_form(text[start:end]) or text[start:end]) + text[end:]
        return text

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


def _phones(value: str) -> list[tuple[int, int]]:
    """(start, end) of each phone-like number in `value`, in order."""
    return [m.span() for m in PHONE_RE.finditer(value) if not _in_word(value, m.start())]


def _in_word(value: str, start: int) -> bool:
    before = value[start - 1] if start else " "
    return before.isalnum() or before in "_+"


def pairs_of(words: list[str]) -> list[str]:
    """The pairs of consecutive indexed words, as the `pairs` field holds them."""
    return [a + PAIR_JOIN + b for a, b in itertools.pairwise(words)]


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
    elif folded.isdigit():
        form = folded  # numbers are kept whole (a stemmer leaves them so, more slowly)
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


def stop_words(language: str) -> frozenset[str]:
    """The words left out of the index (folded): the language's and English's."""
    return _stop_set(language)


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
    except whoosh_lang.NoStopWords:  # no list for that language: keep every word
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

