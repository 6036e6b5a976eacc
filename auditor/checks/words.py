"""Word-level knowledge shared by the language (UNT) and lexicon (LEX) checks.

Frequencies come from wordfreq (Zipf scale: 7 is "the", 3 is once per million words, 0 is
absent). Russian is added in Latin script by transliterating wordfreq's Russian list, since
MT leaks Russian words romanized, not in Cyrillic. Word lists (loanwords, accept, reject,
transliteration cues) are reviewed data in ``corpora/lexicon``.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..document import Document, Finding, Sentence, Token
from ..paths import corpora_dir, parse_yaml

# Source languages looked for in English copy, as wordfreq codes; "ru-Latn" is romanized Russian.
FOREIGN = ("de", "it", "nb", "fr", "es", "pl", "nl", "ru-Latn")
# The codes reports use (ISO 639-1, as langdetect and front matter write them).
REPORT_CODE = {"nb": "no", "ru-Latn": "ru"}
LANGUAGE_NAMES = {
    "de": "German",
    "it": "Italian",
    "no": "Norwegian",
    "fr": "French",
    "es": "Spanish",
    "pl": "Polish",
    "nl": "Dutch",
    "ru": "Russian",
    "pt": "Portuguese",
    "sv": "Swedish",
    "da": "Danish",
    "cs": "Czech",
    "uk": "Ukrainian",
    "fi": "Finnish",
    "ro": "Romanian",
    "hu": "Hungarian",
    "tr": "Turkish",
    "hr": "Croatian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "bg": "Bulgarian",
    "el": "Greek",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "he": "Hebrew",
    "fa": "Persian",
    "hi": "Hindi",
}
# Foreign words below this Zipf frequency are left out of the tables: too rare to be evidence.
FOREIGN_MIN_ZIPF = 2.0
ENGLISH_MIN_ZIPF = 1.0
VOCABULARY_ZIPF = 1.5  # English words this frequent are offered as spelling suggestions
COMMON_WORD_ZIPF = 5.0  # articles, pronouns, prepositions: "The", "Die", "Il" start no name

_RU_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+|\b\w+\.(?:com|org|net|de|it)\b")
# Every match of _URLISH holds one of these; most sentences hold none, and _URLISH is slow to
# rule out (``\S+@`` retries from every position).
_URL_HINT = re.compile(r"://|www\.|[@#]|\.(?:com|org|net|de|it)\b")


def code(lang: str) -> str:
    return REPORT_CODE.get(lang, lang)


def language_name(report_code: str) -> str:
    return LANGUAGE_NAMES.get(report_code, report_code)


@lru_cache(maxsize=1 << 16)
def normalize(word: str) -> str:
    """The key wordfreq stores a word under: NFC, case-folded, typographic apostrophe as '."""
    return unicodedata.normalize("NFC", word).casefold().replace("’", "'")


def romanize_russian(word: str) -> str:
    return "".join(_RU_LATIN.get(ch, ch) for ch in word)


def _zipf_table(lang: str, min_zipf: float) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    floor = 10 ** (min_zipf - 9)
    return {
        w: round(math.log10(f) + 9, 2)
        for w, f in get_frequency_dict(lang, "large").items()
        if f >= floor and not any(ch.isdigit() for ch in w)
    }


_COLUMNS = ("en", *FOREIGN)
_SQL_COLUMN = {lang: lang.replace("-", "_").lower() for lang in _COLUMNS}


def build_frequency_db(path: Path) -> None:
    """One table, a row per word: its Zipf frequency in English and in each source language.
    Built once from wordfreq (seconds), then opened by every process at no cost: the cold-start
    budget of ``auditor check`` cannot pay for loading a million-word dictionary."""
    import os
    import sqlite3
    import tempfile

    tables = {"en": _zipf_table("en", ENGLISH_MIN_ZIPF)}
    for lang in FOREIGN:
        if lang == "ru-Latn":
            table: dict[str, float] = {}
            for w, z in _zipf_table("ru", FOREIGN_MIN_ZIPF + 1.0).items():
                if re.fullmatch(r"[а-яё]+", w):
                    latin = romanize_russian(w)
                    table[latin] = max(z, table.get(latin, 0.0))
            tables[lang] = table
        else:
            tables[lang] = _zipf_table(lang, FOREIGN_MIN_ZIPF)
    words = sorted(set().union(*tables.values()))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        columns = ", ".join(f"{_SQL_COLUMN[c]} REAL NOT NULL" for c in _COLUMNS)
        db.execute(f"CREATE TABLE words (word TEXT PRIMARY KEY, {columns}) WITHOUT ROWID")
        db.executemany(
            f"INSERT INTO words VALUES (?{', ?' * len(_COLUMNS)})",
            ((w, *(tables[c].get(w, 0.0) for c in _COLUMNS)) for w in words),
        )
        # English words to suggest, most frequent first, one row per word length.
        english = tables["en"]
        by_length: dict[int, list[str]] = {}
        for w in sorted(english, key=lambda w: (-english[w], w)):
            if english[w] >= VOCABULARY_ZIPF and w.isalpha() and len(w) >= 2:
                by_length.setdefault(len(w), []).append(w)
        db.execute("CREATE TABLE vocabulary (length INTEGER PRIMARY KEY, words TEXT NOT NULL)")
        db.executemany(
            "INSERT INTO vocabulary VALUES (?, ?)",
            ((n, "\n".join(ws)) for n, ws in sorted(by_length.items())),
        )
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _cache_dir() -> Path:
    import os

    root = os.environ.get("AUDITOR_CACHE_DIR")
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("auditor")
    return Path(root) / "words"


def frequency_db_path() -> Path:
    from importlib.metadata import version

    # Anything that changes the contents changes the name, so a stale file is never read.
    params = "-".join(
        map(
            str,
            (
                version("wordfreq"),
                ".".join(FOREIGN),
                FOREIGN_MIN_ZIPF,
                ENGLISH_MIN_ZIPF,
                VOCABULARY_ZIPF,
                "v3",
            ),
        )
    )
    return _cache_dir() / f"frequencies-{params}.sqlite3"


class Frequencies:
    """Zipf frequencies of words in English and in the source languages MT leaks from, read
    from the cached database one word at a time (and remembered)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or frequency_db_path()
        if not self.path.is_file():
            print(
                f"auditor: building the word-frequency cache {self.path} (once per wordfreq "
                "version, a few seconds)",
                file=sys.stderr,
            )
            try:
                build_frequency_db(self.path)
            except OSError:
                # No writable cache (read-only home, sandbox): build where this process can.
                import tempfile

                self.path = Path(tempfile.mkdtemp(prefix="auditor-words-")) / self.path.name
                build_frequency_db(self.path)
        self._pid = None
        self._db = None
        self._rows: dict[str, tuple[float, ...]] = {}
        self._none = (0.0,) * len(_COLUMNS)

    def _connection(self):
        import os
        import sqlite3

        if self._db is None or self._pid != os.getpid():  # never share one across a fork
            self._db = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
            )
            self._pid = os.getpid()
        return self._db

    def _row(self, key: str) -> tuple[float, ...]:
        row = self._rows.get(key)
        if row is None:
            found = (
                self._connection().execute("SELECT * FROM words WHERE word = ?", (key,)).fetchone()
            )
            row = tuple(found[1:]) if found else self._none
            if len(self._rows) < 200_000:
                self._rows[key] = row
        return row

    def en(self, word: str) -> float:
        return self._row(normalize(word))[0]

    def zipf(self, word: str, lang: str) -> float:
        return self._row(normalize(word))[_COLUMNS.index(lang)]

    def by_language(self, word: str) -> dict[str, float]:
        row = self._row(normalize(word))
        return {lang: z for lang, z in zip(FOREIGN, row[1:], strict=True) if z > 0.0}

    def max_foreign(self, word: str) -> float:
        """The highest Zipf frequency of ``word`` in any source language (0 when in none)."""
        return max(self._row(normalize(word))[1:])

    def max_english(self, words) -> float:
        """The highest English Zipf frequency among ``words`` (already normalized)."""
        words = list(words)
        best = 0.0
        for i in range(0, len(words), 900):
            chunk = words[i : i + 900]
            marks = ",".join("?" * len(chunk))
            found = (
                self._connection()
                .execute(f"SELECT max(en) FROM words WHERE word IN ({marks})", chunk)
                .fetchone()[0]
            )
            best = max(best, found or 0.0)
        return best

    def english_vocabulary(self) -> dict[int, list[str]]:
        """English words at least VOCABULARY_ZIPF frequent, by length, most frequent first."""
        rows = self._connection().execute("SELECT length, words FROM vocabulary")
        return {length: words.split("\n") for length, words in rows}


def frequencies(resources) -> Frequencies:
    return resources.get("words.frequencies", Frequencies)


def accepted_words(resources, config) -> WordList:
    """The house accept list plus the content repo's own (config ``accept``), loaded once."""
    return resources.get(
        f"lexicon.accept:{config.accept}",
        lambda: load_word_list(lexicon_file("accept.txt"), *config.accept),
    )


@dataclass(frozen=True)
class WordList:
    """A Vale-style vocabulary: words or regular expressions matched against whole tokens.

    All-lowercase entries match any capitalization; entries with capitals match as written.
    ``corrections`` maps an entry to the replacement written after ``=>`` (reject lists).
    """

    words: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    corrections: dict[str, str]
    # Every token of every article is looked up, mostly the same few thousand words.
    _answers: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def __contains__(self, token: str) -> bool:
        return self.correction(token) is not None

    def correction(self, token: str) -> str | None:
        """'' when the token matches an entry without a correction, None when it matches none."""
        try:
            return self._answers[token]
        except KeyError:
            answer = self._match(token)
            if len(self._answers) < 1 << 16:  # bounded: frequent words are met early
                self._answers[token] = answer
            return answer

    def _match(self, token: str) -> str | None:
        for candidate in (token, normalize(token)):
            if candidate in self.words:
                return self.corrections.get(candidate, "")
        for pattern in self.patterns:
            if pattern.fullmatch(token):
                return self.corrections.get(pattern.pattern, "")
        return None


_PLAIN = re.compile(r"[\w'’\-. ]+")


def load_word_list(*paths: str | Path) -> WordList:
    """Merge word-list files: `entry`, `entry => correction` or `entry language` per line."""
    words: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    corrections: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: cannot read word list: {exc}") from exc
        for number, raw in enumerate(lines, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            entry, _, correction = (part.strip() for part in line.partition("=>"))
            entry = entry.split()[0] if _PLAIN.fullmatch(entry) else entry
            key = entry if not entry.islower() else normalize(entry)
            if _PLAIN.fullmatch(entry):
                words.add(key)
            else:
                try:
                    flags = re.IGNORECASE if entry.islower() else 0
                    patterns.append(re.compile(entry, flags))
                except re.error as exc:
                    raise ValueError(f"{path}:{number}: bad pattern {entry!r}: {exc}") from exc
                key = entry
            if correction:
                corrections[key] = correction
    return WordList(frozenset(words), tuple(patterns), corrections)


def lexicon_file(name: str) -> Path:
    return corpora_dir() / "lexicon" / name


def _read_lines(path: Path) -> list[str]:
    return [
        line.split("#", 1)[0].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    ]


def name_heads() -> tuple[str, ...]:
    return tuple(_read_lines(lexicon_file("name_heads.txt")))


@dataclass(frozen=True)
class TransliterationCue:
    lang: str
    regex: re.Pattern[str]
    weight: float


def load_transliteration_cues(path: Path | None = None) -> list[TransliterationCue]:
    path = path or lexicon_file("transliteration.yaml")
    data = parse_yaml(path.read_text(encoding="utf-8"))
    cues = []
    for lang, entries in sorted(data["cues"].items()):
        for entry in entries:
            try:
                regex = re.compile(entry["regex"])
            except re.error as exc:
                raise ValueError(f"{path}: {lang}: bad regex {entry['regex']!r}: {exc}") from exc
            cues.append(TransliterationCue(str(lang), regex, float(entry["weight"])))
    return cues


# --- Which tokens are names, codes or numbers, not words to judge --------------------------

_CAPITALIZED = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:[-'’][^\W\d_]+)*")
# Lowercase words inside names ("Ursula von der Leyen", "Bank of England", "Hochschule für
# Musik und Theater").
_NAME_PARTICLES = frozenset(
    """von van der den de da di del della dei degli des du le la bin al ter ten of zu am im für
    und et y e i og""".split()
)


def is_capitalized(text: str) -> bool:
    return text[:1].isupper()


@lru_cache(maxsize=1 << 16)
def is_plain_word(text: str) -> bool:
    """Letters only (with inner hyphens or apostrophes): not a number, code, acronym or mixed
    case like "iPhone" or "McKinsey" that no dictionary decides."""
    if not _CAPITALIZED.fullmatch(text):
        return False
    letters = text.replace("-", "").replace("'", "").replace("’", "")
    if letters.isupper() and len(letters) > 1:
        return False
    return not any(ch.isupper() for ch in letters[1:])


_CLAUSE_OPENERS = frozenset(':–—"“„«‘')


def is_sentence_initial(sentence: Sentence, token: Token) -> bool:
    """First word of the sentence, or after a colon, dash or opening quote (a new clause that
    English capitalizes)."""
    if sentence.words and sentence.words[0].start == token.start:
        return True
    # The character before the token, spaces skipped, found by walking back from the token
    # (copying the sentence up to every token would be quadratic in its length).
    text, i = sentence.text, token.start - sentence.start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] in _CLAUSE_OPENERS


def in_slashed_list(text: str, token: Token) -> bool:
    """A token joined to others by slashes: a credit line ("dpa/AFP/cibo"), a path, a pair of
    datelines ("Kyiv/Moscow") — codes and names, not words to judge."""
    return text[token.start - 1 : token.start] == "/" or text[token.end : token.end + 1] == "/"


def url_spans(sentence: Sentence) -> list[tuple[int, int]]:
    if not _URL_HINT.search(sentence.text):
        return []
    return [
        (sentence.start + m.start(), sentence.start + m.end())
        for m in _URLISH.finditer(sentence.text)
    ]


def covered(start: int, end: int, spans) -> bool:
    return any(s < end and start < e for s, e in spans)


def name_tokens(
    doc: Document, prior: list[Finding] | tuple = (), freq: Frequencies | None = None
) -> set[str]:
    """Capitalized words this article uses as names: in a run of two or more capitalized words
    ("Rustem Umjerow", "Den Haag"), or named by a NAME finding. A word used once as part of a
    name counts as a name everywhere in the article. With ``freq``, a sentence's first word
    that is a common word in some language ("The", "Die", "Il") starts no run: "Die Regierung"
    is German, not a name."""
    names = set(_run_names(doc, freq))
    for f in prior:
        if f.rule.startswith("NAME"):
            names.update(w for w in re.findall(r"\w+", f.text) if is_capitalized(w))
    return names


def _run_names(doc: Document, freq: Frequencies | None) -> frozenset[str]:
    """The capitalized words of the article's runs of two or more: the costly part of
    ``name_tokens``, worked out once per article for the language and lexicon checks."""
    key = "words.run_names:common-first-words" if freq else "words.run_names"
    return doc.derived(key, lambda: frozenset(_find_run_names(doc, freq)))


def _find_run_names(doc: Document, freq: Frequencies | None) -> set[str]:
    names: set[str] = set()
    for sentence in doc.sentences:
        if _title_case(sentence):
            continue  # "Russia Makes Demands for Ceasefire": capitals say nothing here
        run: list[Token] = []
        first = sentence.words[0] if sentence.words else None
        for token in [*sentence.tokens, None]:
            if (
                token is not None
                and token.kind == "word"
                and (is_capitalized(token.text) or (run and token.text in _NAME_PARTICLES))
                and not (freq and token is first and _common_word(freq, token.text))
            ):
                run.append(token)
                continue
            if not run:
                continue
            while run and not is_capitalized(run[-1].text):
                run.pop()
            capitals = [t for t in run if is_capitalized(t.text)]
            if len(capitals) >= 2:
                names.update(t.text for t in capitals)
            run = []
    return names


def _common_word(freq: Frequencies, word: str) -> bool:
    return max(freq.en(word), freq.max_foreign(word)) >= COMMON_WORD_ZIPF


def _title_case(sentence: Sentence) -> bool:
    """A headline in title case: every word longer than three letters is capitalized."""
    long_words = 0
    for t in sentence.words:
        if t.kind == "word" and len(t.text) > 3:
            if not is_capitalized(t.text):
                return False  # prose, mostly decided by the first few words
            long_words += 1
    return long_words >= 2
