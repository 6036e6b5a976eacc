"""Paragraphs, sentences and tokens, each with code-point offsets into the document text.

Rule-based and deterministic, tuned for news copy: headlines and standfirsts without final
punctuation are sentences of their own, abbreviations (U.S., Dr., No. 10) and initials do not
end sentences, closing quotes and brackets stay with the sentence they close.
"""

from __future__ import annotations

import re

from .document import Document, Paragraph, Sentence, Token

_BLOCK_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_TOKEN = re.compile(
    r"(?P<number>\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s|%)?)"
    r"|(?P<word>(?:[^\W\d_]\.){2,}|\w+(?:['’\-]\w+)*)"
    r"|(?P<punct>[.,;:!?…\"“”„«»‘’'()\[\]{}\-–—/])"
    r"|(?P<symbol>[^\w\s])"
)
# A sentence ends at . ! ? … (and runs of them), then any closing quotes or brackets.
# Possessive, and only from the start of a run of end marks: linear time even on a line of
# 100,000 dots (backtracking into the run could never succeed, as no mark is whitespace).
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"”’»)\]]*+(?=\s|$)")
# How far back from a full stop the abbreviation tests look (the last word and its neighbour).
_LOOKBACK = 100
# What may follow a sentence end: a word, perhaps after an opening quote or bracket, or a teaser
# fragment cut just after a colon (": NATO chief calls on ..."); Spanish opens with ¿ and ¡.
_NEXT_START = re.compile(r"\s+(?:[:;,][ \t]+)?[\"“„«‘'(\[¿¡]?[\w\d]")
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr mt ft
    no nos vol art fig p pp ed eds est approx dept univ corp inc ltd co bros vs etc al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.n e.u u.s.a e.g i.e a.m p.m d.c""".split()
)
_SHORT_WORD_STOP = re.compile(r"(?:^|[\s(\[\"“„«‘'])[^\W\d_]{1,3}\.$")
_LINE_END_PUNCT = tuple('.!?…:;"”’»)')

# Longer than any real word, even a German compound ("Donaudampfschifffahrtsgesellschaft" has
# 34 letters): a run of letters or digits this long is a hash, an encoded blob or keyboard debris.
MAX_WORD_CHARS = 64
# What is text but not words: links, data URIs (an embedded image), base64 runs and overlong
# runs of alphabetic-script letters (CJK writes sentences without spaces, so it is left alone).
# Each alternative is linear and possessive, so a megabyte-long token costs one scan.
_NOT_WORDS = re.compile(
    r"\bdata:[\w.+-]++/[\w.+-]++[^\s,()]*+,[^\s()\]]*+"
    r"|\b(?:(?:https?|ftp)://|www\.)[^\s<>\"“”‘’()\[\]]*[^\s<>\"“”‘’()\[\].,;:!?']"
    r"|(?<![\w+/])(?=[A-Za-z0-9+/]{0,63}[0-9+/])[A-Za-z0-9+/]{64,}+=*+"
    r"|[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f_'’\-]{" + str(MAX_WORD_CHARS + 1) + ",}+"
)


def blank_non_words(text: str) -> str:
    """``text`` with links, data URIs, base64 runs and overlong tokens blanked (spaces, as code
    blocks are): offsets stay, and no check spends work that grows with a token's length."""
    if not _NOT_WORDS.search(text):
        return text
    return _NOT_WORDS.sub(lambda m: " " * len(m.group()), text)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "symbol"
        tokens.append(Token(offset + m.start(), offset + m.end(), m.group(), kind))
    return tokens


def _is_abbreviation(before: str) -> bool:
    """Does the text ending with '.' end in an abbreviation or an initial?"""
    m = re.search(r"(\S+)\.$", before)
    if not m:
        return False
    word = m.group(1).lstrip("\"“„«‘'([").lower()
    if word in ABBREVIATIONS:
        return True
    # Single initials ("J. Smith") and dotted acronyms ("U.S.", "a.m.").
    return bool(re.fullmatch(r"[a-z]|(?:[a-z]\.)+[a-z]", word))


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph blocks: separated by blank lines; lines of a block that are not hard-wrapped
    prose (headlines, teasers, one paragraph per line) become blocks of their own."""
    blocks = []
    pos = 0
    for m in list(_BLOCK_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        blocks.extend(_split_lines(text, pos, end))
        pos = m.end() if m else len(text)
    return [(s, e) for s, e in blocks if text[s:e].strip()]


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    if len(lines) <= 1:
        return lines
    lengths = [len(text[s:e].strip()) for s, e in lines]
    ends_open = sum(not text[s:e].rstrip().endswith(_LINE_END_PUNCT) for s, e in lines[:-1])
    # Hard-wrapped prose: lines of similar, bounded width that mostly break mid-sentence.
    if max(lengths) <= 100 and ends_open >= (len(lines) - 1) / 2 and min(lengths[:-1]) >= 40:
        return [(lines[0][0], lines[-1][1])]
    return lines


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    block = text[start:end]
    for m in _END.finditer(block):
        stop = start + m.end()
        if stop >= end:
            break
        next_start = _NEXT_START.match(text, stop, end)
        if not next_start:
            continue
        if m.group().startswith(".") and len(m.group().rstrip('"”’»)]')) == 1:
            before = text[max(cursor, stop - _LOOKBACK) : stop]
            # A full stop after a word of one to three letters, before a lowercase word, ends no
            # sentence: an abbreviation no list holds, in any language ("Šis el. pašto
            # adresas", "Sinopec Ltd. is"). After a longer word it does: a lowercase start
            # there is a fragment cut from a teaser ("by the authorities. over the past year."),
            # which BOIL005 reports.
            if next_start.group()[-1:].islower() and _SHORT_WORD_STOP.search(before):
                continue
            if _is_abbreviation(before.rstrip('"”’»)]')):
                following = next_start.group().lstrip()
                # "No. 10", "U.S. officials": a lowercase or digit continuation never starts
                # a sentence after an abbreviation; a capital does only after sentence-final ones.
                if (
                    not following[:1].isupper()
                    or before.lower().endswith(
                        ("mr.", "mrs.", "ms.", "dr.", "prof.", "gen.", "st.", "no.", "sen.", "gov.")
                    )
                    or re.search(r"(?:^|\s)[A-Z]\.$", before)
                ):
                    continue
        spans.append(_trim(text, cursor, stop))
        cursor = stop
    spans.append(_trim(text, cursor, end))
    return [(s, e) for s, e in spans if e > s]


# Line breaks are lost when an article is scraped, extracted from HTML or pasted into one JSONL
# field; its headlines, teaser fragments and page chrome then run into the sentences around them.
# Where a capitalized word can only start something new, a block (a would-be line) starts there,
# whether or not the input had a line break: the checks see the same units either way.
# Words that never start a name mid-sentence: after a word, with no punctuation between, they
# start a headline, a sentence or a line of chrome ("... peace negotiations | The President").
_STARTS = frozenset(
    """The An A If In On At As But And Or So Yet We He She It They You Your Our Their His Her
    Its This That These Those There Here When While After Before Since Although Though Meanwhile
    However According Despite During Following Until Unless Because Why What How Who Where
    Which""".split()
)
# Lowercase words after which a capitalized word continues the phrase (of The Hague, and The
# Edge, the International Criminal Court).
_JOINING = frozenset(
    """the a an of and or to in on at for with by from as into over under about against between
    its his her their our my your this that these those de von van der den del della di da du
    des la le el al bin ibn""".split()
)


def _is_lower_word(token: Token | None) -> bool:
    return token is not None and token.kind == "word" and token.text[:1].islower()


def _is_title_word(token: Token) -> bool:
    """A capitalized word with nothing but lowercase letters after its first: Avoid, not NATO."""
    word = token.text
    return token.kind == "word" and word[:1].isupper() and word[1:].islower() and word.isalpha()


class _Casing:
    """Punkt's orthographic evidence (Kiss and Strunk 2006), gathered over one document: which
    words it writes in lowercase, and which capitalized words it writes after a lowercase word
    (names and titles: "former President Trump", "spokesman Peskov")."""

    def __init__(self, tokens: list[Token]) -> None:
        self.lower = {t.text for t in tokens if _is_lower_word(t)}
        self.capitalized_after_lower: dict[str, int] = {}
        for before, token in zip(tokens, tokens[1:], strict=False):
            if _is_lower_word(before) and _is_title_word(token):
                count = self.capitalized_after_lower.get(token.text, 0)
                self.capitalized_after_lower[token.text] = count + 1

    def is_common_word(self, token: Token) -> bool:
        """Written in lowercase elsewhere, and capitalized after a lowercase word only here."""
        return (
            token.text.lower() in self.lower
            and self.capitalized_after_lower.get(token.text, 0) <= 1
        )


def _starts_here(text: str, tokens: list[Token], i: int, casing: _Casing) -> bool:
    """Does token ``i`` start a new block although no punctuation ends the text before it?"""
    token, before = tokens[i], tokens[i - 1]
    if before.kind not in ("word", "number") or text[before.end : token.start] != " ":
        return False  # punctuation between, or a no-break space that binds them
    if before.text.lower() in _JOINING or not token.text[:1].isupper():
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.text in _STARTS:
        # Unless the words before are Title Case ("Biden Meets With Refugees In Poland").
        words = [t for t in tokens[max(0, i - 5) : i] if t.kind == "word"][-4:]
        return _is_lower_word(after) or any(
            _is_lower_word(t) and t.text not in _JOINING for t in words
        )
    return (
        _is_lower_word(before)
        and _is_lower_word(after)
        and _is_title_word(token)
        and casing.is_common_word(token)
    )


_Span = tuple[int, int, list[Token]]  # a sentence: start, end, its tokens


def _runs_on(text: str, units: list[list[_Span]]) -> bool:
    """May a sentence starting in lowercase continue the one before? After a quotation (“…
    another.” the report said) or an ellipsis it may; elsewhere it starts mid-phrase."""
    start, end, _ = units[-1][-1]
    return text[max(start, end - 3) : end].rstrip(".!?").endswith(('"', "”", "’", "»", "…", ".."))


def _units(text: str, spans: list[_Span], casing: _Casing) -> list[list[_Span]]:
    """A block's sentences grouped into would-be blocks: a new one starts where a sentence
    starts mid-phrase (lowercase or after a colon: a cut teaser) or where a capitalized word can
    only start something new (``_starts_here``), which also ends the sentence before it."""
    units: list[list[_Span]] = [[]]
    for s, e, tokens in spans:
        if units[-1] and (text[s] in ":;," or (text[s].islower() and not _runs_on(text, units))):
            units.append([])
        first = 0
        for i in range(1, len(tokens)):
            if _starts_here(text, tokens, i, casing):
                units[-1].append((s, tokens[i - 1].end, tokens[first:i]))
                units.append([])
                s, first = tokens[i].start, i
        units[-1].append((s, e, tokens[first:]))
    return [u for u in units if u]


def segment(doc: Document) -> Document:
    """Fill ``doc.paragraphs`` and ``doc.sentences`` in place and return the document."""
    text = doc.text = blank_non_words(doc.text)
    doc.paragraphs = []
    doc.sentences = []
    doc.forget_derived()
    blocks = []
    for b_start, b_end in _blocks(text):
        b_start, b_end = _trim(text, b_start, b_end)
        spans = split_sentences(text, b_start, b_end)
        blocks.append([(s, e, tokenize(text[s:e], s)) for s, e in spans])
    casing = _Casing([t for spans in blocks for _, _, tokens in spans for t in tokens])
    for spans in blocks:
        for unit in _units(text, spans, casing):
            index = len(doc.paragraphs)
            doc.paragraphs.append(Paragraph(unit[0][0], unit[-1][1]))
            for s, e, tokens in unit:
                sentence_text = text[s:e]
                is_headline = len(unit) == 1 and not sentence_text.rstrip('"”’»)]').endswith(
                    (".", "!", "?", "…")
                )
                doc.sentences.append(Sentence(s, e, sentence_text, tokens, index, is_headline))
    return doc
