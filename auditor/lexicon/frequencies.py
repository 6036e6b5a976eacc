"""Word frequencies in English and in the source languages MT leaks from, and the words of a
dictionary of English.

Frequencies come from wordfreq (Zipf scale: 7 is "the", 3 is once per million words, 0 is
absent), kept in a SQLite file in the user cache, built once per wordfreq version. Russian is
added in Latin script by transliterating wordfreq's Russian list, since MT leaks Russian words
romanized, not in Cyrillic. A frequency list drawn from the web lacks the rare words of real
English ("jobbery", "muntjacs"): the dictionary is the evidence that such a word exists.
Webster's New International Dictionary, 2nd edition (1934), as the ``english-words`` package
ships it ("web2", public domain): lemmas only, with British and archaic spellings ("gaoler",
"connexion"); its capitalized entries (names) are left out.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

# Source languages looked for in English copy, as wordfreq codes; "ru-Latn" is romanized Russian.
FOREIGN = ("de", "it", "nb", "fr", "es", "pl", "nl", "ru-Latn")
# Foreign words below this Zipf frequency are left out of the tables: too rare to be evidence.
FOREIGN_MIN_ZIPF = 2.0
ENGLISH_MIN_ZIPF = 1.0
VOCABULARY_ZIPF = 1.5  # English words this frequent are offered as spelling suggestions

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


def dictionary_words() -> set[str]:
    """The lowercase entries of Webster's 2nd (names are the capitalized ones), normalized."""
    from english_words import get_english_words_set

    return {normalize(w) for w in get_english_words_set(["web2"]) if w[:1].islower()}


def build_frequency_db(path: Path) -> None:
    """One table, a row per word: its Zipf frequency in English and in each source language;
    and the words of the dictionary. Built once from wordfreq (seconds), then opened by every
    process at no cost: the cold-start budget of ``auditor check`` cannot pay for loading a
    million-word dictionary."""
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
        db.execute("CREATE TABLE dictionary (word TEXT PRIMARY KEY) WITHOUT ROWID")
        db.executemany(
            "INSERT INTO dictionary VALUES (?)", ((w,) for w in sorted(dictionary_words()))
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
                version("english-words"),
                ".".join(FOREIGN),
                FOREIGN_MIN_ZIPF,
                ENGLISH_MIN_ZIPF,
                VOCABULARY_ZIPF,
                "v4",
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
        self._listed: dict[str, bool] = {}

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

    def listed(self, word: str) -> bool:
        """The dictionary lists ``word`` as written, in any case (not its inflections)."""
        key = normalize(word)
        found = self._listed.get(key)
        if found is None:
            query = "SELECT 1 FROM dictionary WHERE word = ?"
            found = self._connection().execute(query, (key,)).fetchone() is not None
            if len(self._listed) < 200_000:
                self._listed[key] = found
        return found

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
