"""MECH: the mechanical slips MT and scraping leave that any editor sees at a glance: "an
ceasefire", "weapons.Said", a space before a full stop, "the the", a quotation mark or bracket
left open. Each finding carries the one fix, which ``auditor fix`` applies.

What does the work, and why it is written here: the choice of "a" or "an" goes by how the
next word is said, which inflect (maintained, offline) knows ("an hour", "a university", "a
one-off"); figures and all-capital abbreviations are left alone, as inflect reads "8" and "SUV"
by their letters and newsrooms say both "a URL" and "an URL". LanguageTool has the other rules,
but it needs Java and a download of its own, which this tool cannot count on; no maintained
Python library checks spacing, doubled words or balance, so they are small patterns here,
run on the audited text with what Markdown markup left blank never read as a space.
"""

from __future__ import annotations

import bisect
import functools
import re

from ..document import Document, Finding
from ..lexicon.tokens import url_spans
from ..rules import Example, Family, Rule
from ..spans import SpanSet
from . import NOTHING, Check, Handover

CHECK = "mechanics"
FAMILY = Family(
    prefix="MECH",
    check=CHECK,
    title="mechanics",
    color="#882255",
    order=48,  # after spelling (LEX, 40), before debris (BOIL, 50)
    reads=("BOIL", "UNT"),  # page debris and text in another language are not judged
    rules=(
        Rule("MECH001", CHECK, "article-a-an", "Fluency/Grammar", "minor",
             '"a" where the next word is said with a vowel sound, or "an" before a consonant '
             "sound; the fix is the other article.",
             examples=(
                 Example("Both sides agreed to an ceasefire on Monday.", flags="an", fix="a"),
                 Example("The talks lasted an hour and ended in a unanimous vote."),
             )),
        Rule("MECH002", CHECK, "missing-space", "Fluency/Punctuation", "minor",
             "No space after a full stop, question mark, exclamation mark, comma or semicolon "
             "between two words; the fix puts one in.",
             examples=(
                 Example("The army said it had no more weapons.Said a spokesman: none.",
                         flags="weapons.Said", fix="weapons. Said"),
                 Example("The U.S. envoy paid 3.5 million on www.example.com for it."),
             )),
        Rule("MECH003", CHECK, "space-before-punctuation", "Fluency/Punctuation", "minor",
             "A space before a full stop, comma, semicolon, question or exclamation mark; the "
             "fix removes it.",
             examples=(
                 Example("The minister said the talks were over .", flags="over .",
                         fix="over."),
                 Example("The minister said the talks were over... for now."),
             )),
        Rule("MECH004", CHECK, "doubled-word", "Fluency/Duplication", "major",
             'The same word twice in a row ("the the"); the fix keeps one. Doubles English '
             'uses ("had had", "that that") are left alone.',
             examples=(
                 Example("The minister said the the talks would go on.", flags="the the",
                         fix="the"),
                 Example("She said that that was all the ministry had had to say."),
             )),
        Rule("MECH005", CHECK, "unbalanced-mark", "Fluency/Punctuation", "minor",
             "A quotation mark or bracket with no partner in its paragraph; the fix removes "
             "it. A quotation that runs on into the next paragraph, which opens with a "
             "quotation mark again, is how news writes long quotes.",
             examples=(
                 Example('He said "we will return to the table on Monday.', flags='"', fix=""),
                 Example('He said "we will return (on Monday)" and left.'),
             )),
    ),
)  # fmt: skip

# "had had", "that that", "is is" (what it is is...), and emphatic or reduplicated words.
ALLOWED_DOUBLES = frozenset("had that is do so no bye ha yes well now there".split())
# "an" before these is an older usage both forms of which editors accept.
EITHER_ARTICLE = frozenset("historic historical hotel hotels herb herbs herbal homage".split())

_ARTICLE = re.compile(r"(?<![\w'’-])([Aa]n?)(\s+)([^\W\d_][\w'’-]*)")
_MISSING_SPACE = re.compile(
    r"\b([^\W_]*[^\W\d_][^\W_]*[”\"’)]?|\d+)([.!?,;])([^\W\d_]{2,}|[AI](?=\s))\b"
)
_SPACE_BEFORE = re.compile(r"([^\W_]|[\"”’)\]])([ \t\u00a0]+)([.,;!?])(?![.!?])")
_DOUBLED = re.compile(r"\b([^\W\d_]+)(\s+)(\1)\b", re.IGNORECASE)
_OPENERS = {"(": ")", "[": "]", "“": "”"}
QUOTES = frozenset('"“”')
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_LIST_MARKER = re.compile(r"(?:^|\s)(?:\d{1,2}|[a-z])\)")
_EMOTICON = re.compile(r"[:;]-?[()\]\[]")
_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}")  # "U.S.", "e.g." end with a stop


@functools.lru_cache(maxsize=1 << 14)
def _article_for(word: str) -> str:
    """ "a" or "an" before ``word``, as it is said (inflect)."""
    return _inflect().a(word).split(" ", 1)[0].lower()


@functools.cache
def _inflect():
    import inflect

    return inflect.engine()


class MechanicsCheck(Check):
    family = FAMILY

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        taken = SpanSet(earlier.spans())
        urls = SpanSet(span for s in doc.sentences for span in url_spans(s))
        blank = _blanked(doc)
        found = [
            *self._articles(doc),
            *self._missing_spaces(doc, urls),
            *self._spaces_before(doc, blank),
            *self._doubled(doc),
            *self._unbalanced(doc),
        ]
        kept = [f for f in found if not taken.overlaps(f.start, f.end)]
        return sorted(kept, key=lambda f: (f.start, f.end, f.rule))

    def _articles(self, doc: Document):
        text = doc.text
        for m in _ARTICLE.finditer(text):
            article, word = m.group(1), m.group(3)
            if article[0] == "A" and not _starts_sentence(text, m.start()):
                continue  # "Plan A", "Type A": a letter, not the article
            head = re.split(r"[-'’]", word, maxsplit=1)[0]
            if (
                len(head) < 2 or head.isupper() or word.lower() in EITHER_ARTICLE
            ):  # "an FBI agent", "a URL": by letters or as a word, both are heard
                continue
            if text[m.end() : m.end() + 1] == "." and len(word) <= 3:
                continue  # "a m." style abbreviations
            wanted = _article_for(word)
            if wanted == article.lower():
                continue
            fix = wanted.capitalize() if article[0] == "A" else wanted
            yield doc.finding(
                FAMILY.rule("MECH001"), m.start(1), m.end(1),
                f'"{article} {word}": "{word}" is said with a '
                f'{"vowel" if wanted == "an" else "consonant"} sound, so "{fix}"',
                replacements=[fix],
            )  # fmt: skip

    def _missing_spaces(self, doc: Document, urls: SpanSet):
        text = doc.text
        for m in _MISSING_SPACE.finditer(text):
            left, mark, right = m.groups()
            if urls.overlaps(m.start(), m.end()) or _in_token_with(text, m, "@/:\\_"):
                continue  # links, handles, file names
            if mark in ".!?" and not right[0].isupper():
                continue  # "Node.js", "example.com": a name or a link, not two sentences
            if mark == "." and (len(left) <= 2 and left[0].isupper() or _abbreviated(text, m)):
                continue  # "U.S.Army", "Dr.Smith" are left to the editor
            if (
                (right.isupper() and len(right) > 1)
                or (mark in ",;" and left.rstrip('”"’)').isupper())
                or (left.isdigit() and mark != ".")
            ):
                continue  # codes ("ECNS.CN"), numbers ("1,000")
            yield doc.finding(
                FAMILY.rule("MECH002"), m.start(), m.end(),
                f'no space after "{mark}"',
                replacements=[f"{left}{mark} {right}"],
            )  # fmt: skip

    def _spaces_before(self, doc: Document, blank: list[bool]):
        text = doc.text
        for m in _SPACE_BEFORE.finditer(text):
            gap_start, gap_end = m.span(2)
            if any(blank[gap_start:gap_end]):
                continue  # markup was there ("**no** ."): the page shows no space
            start = _word_start(text, m.start(1))
            yield doc.finding(
                FAMILY.rule("MECH003"), start, m.end(),
                f'a space before "{m.group(3)}"',
                replacements=[text[start : m.end(1)] + m.group(3)],
            )  # fmt: skip

    def _doubled(self, doc: Document):
        text = doc.text
        for m in _DOUBLED.finditer(text):
            first, gap, second = m.groups()
            if "\n\n" in gap or first.lower() in ALLOWED_DOUBLES:
                continue
            if second[0].isupper():
                continue  # "Sirhan Sirhan", "Duran Duran", "the The Hague": names
            yield doc.finding(
                FAMILY.rule("MECH004"), m.start(), m.end(),
                f'"{first}" twice in a row',
                replacements=[first],
            )  # fmt: skip

    def _unbalanced(self, doc: Document):
        text = doc.text
        paragraphs = [(p.start, p.end) for p in doc.paragraphs]
        strays = [_stray_marks(text[start:end]) for start, end in paragraphs]
        # A quotation may run on over paragraphs (news opens each of its paragraphs with a
        # quotation mark and closes only the last): a quotation mark left open is stray only
        # when none is left unclosed after it, one left unclosed only when none is open before.
        quotes = [
            (start + offset, _opens(text[start:end], offset))
            for (start, end), marks in zip(paragraphs, strays, strict=True)
            for offset, mark in marks
            if mark in QUOTES
        ]
        last_closer = max((at for at, opens in quotes if not opens), default=-1)
        first_opener = min((at for at, opens in quotes if opens), default=len(text))
        starts = [start for start, _ in paragraphs]

        def reopened(at: int) -> bool:  # the next paragraph opens with a quotation mark
            i = bisect.bisect_right(starts, at)
            return i < len(starts) and text[starts[i]] in QUOTES

        partnered = {
            at
            for at, opens in quotes
            if (at < last_closer or reopened(at) if opens else at > first_opener)
        }
        for (start, _end), marks in zip(paragraphs, strays, strict=True):
            for offset, mark in marks:
                if start + offset in partnered:
                    continue
                yield doc.finding(
                    FAMILY.rule("MECH005"), start + offset, start + offset + 1,
                    f'"{mark}" has no partner in its paragraph',
                    replacements=[""],
                )  # fmt: skip


def _opens(body: str, i: int) -> bool:
    """Does the mark at ``i`` open a quotation or bracket (rather than close one)? A straight
    quotation mark opens where a word follows it after a space or the start."""
    if body[i] in "“([":
        return True
    if body[i] in "”)]":
        return False
    after = body[i + 1 : i + 2]
    return (i == 0 or body[i - 1].isspace() or body[i - 1] in "([—–-") and not (
        after == "" or after.isspace()
    )


def _spaced(body: str, i: int) -> bool:
    """A mark with a space (or the paragraph's edge) on both sides, which may open or close."""
    return (i == 0 or body[i - 1].isspace()) and body[i + 1 : i + 2] in ("", " ")


def _stray_marks(body: str) -> list[tuple[int, str]]:
    """(offset, mark) of each quotation mark or bracket in ``body`` without a partner. Any
    quotation mark closes any other ("“...sore. \"" is one quotation, typed in two styles)."""
    ignored = {m.end() - 1 for m in _LIST_MARKER.finditer(body)}
    ignored |= {i for m in _EMOTICON.finditer(body) for i in range(m.start(), m.end())}
    brackets: list[tuple[int, str]] = []
    quotes: list[tuple[int, str]] = []
    stray: list[tuple[int, str]] = []
    for i, ch in enumerate(body):
        if i in ignored:
            continue
        if ch in "([":
            brackets.append((i, ch))
        elif ch in ")]":
            if brackets and _OPENERS[brackets[-1][1]] == ch:
                brackets.pop()
            else:
                stray.append((i, ch))
        elif ch in QUOTES and not (ch == '"' and i > 0 and body[i - 1].isdigit()):
            # 5'11" is inches. A straight mark closes one left open, else opens unless it
            # can only close ('Draft" (here...').
            if ch == '"':
                closes = bool(quotes) or not _opens(body, i) and not _spaced(body, i)
            else:
                closes = not _opens(body, i)
            if not closes:
                quotes.append((i, ch))
            elif quotes:
                quotes.pop()
            else:
                stray.append((i, ch))
    return sorted({*stray, *brackets, *quotes})


def _blanked(doc: Document) -> list[bool]:
    """Per character of ``doc.text``: markup the reader blanked (the file has something else
    there). Only where the text is the file's own, as for Markdown and plain text."""
    text, source, base = doc.text, doc.source, doc.base
    blank = [False] * len(text)
    if not source or len(source) - base < len(text):
        return blank
    for i, ch in enumerate(text):
        if ch == " " and source[base + i] != " ":
            blank[i] = True
    return blank


def _starts_sentence(text: str, i: int) -> bool:
    before = text[:i].rstrip(" \t\"“'‘([")
    return not before or before[-1] in ".!?:\n"


def _word_start(text: str, i: int) -> int:
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "'’-"):
        i -= 1
    return i


def _in_token_with(text: str, m: re.Match, chars: str) -> bool:
    """The whitespace-delimited token around the match holds one of ``chars``."""
    start = text.rfind(" ", 0, m.start()) + 1
    end = text.find(" ", m.end())
    token = text[start : end if end >= 0 else len(text)]
    return any(c in token for c in chars)


def _abbreviated(text: str, m: re.Match) -> bool:
    """The word before the stop is an abbreviation's last letter ("U.S.Army")."""
    return bool(_ABBREVIATION.search(text, max(0, m.start() - 8), m.start(2) + 1))
