"""Reviewed word lists in ``corpora/lexicon``, as Vale's vocabularies: accepted and rejected
words (the content repo adds its own), loanwords, heads that end names ("...platz"), and the
spelling cues that give away a transliteration's language ("Selenskyj": German)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import corpora_dir, parse_yaml
from .frequencies import normalize


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
