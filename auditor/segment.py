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
_NEXT_START = re.compile(r"\s+[\"“„«‘'(\[]?[\w\d]")
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr mt ft
    no nos vol art fig p pp ed eds est approx dept univ corp inc ltd co bros vs etc al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.n e.u u.s.a e.g i.e a.m p.m d.c""".split()
)
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


def segment(doc: Document) -> Document:
    """Fill ``doc.paragraphs`` and ``doc.sentences`` in place and return the document."""
    text = doc.text = blank_non_words(doc.text)
    doc.paragraphs = []
    doc.sentences = []
    doc.forget_derived()
    for index, (b_start, b_end) in enumerate(_blocks(text)):
        b_start, b_end = _trim(text, b_start, b_end)
        doc.paragraphs.append(Paragraph(b_start, b_end))
        spans = split_sentences(text, b_start, b_end)
        for s, e in spans:
            sentence_text = text[s:e]
            is_headline = len(spans) == 1 and not sentence_text.rstrip('"”’»)]').endswith(
                (".", "!", "?", "…")
            )
            doc.sentences.append(
                Sentence(s, e, sentence_text, tokenize(sentence_text, s), index, is_headline)
            )
    return doc
