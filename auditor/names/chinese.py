"""Chinese names in the transcriptions European news writes them in.

English and Polish news write Mandarin names in pinyin (Xi Jinping, Li Keqiang); Czech and
Slovak news in the Czech transcription (Si Ťin-pching, Li Kche-čchiang), which writes the
aspirated stops pinyin spells p, t, k, q, c as pch, tch, kch, čch, cch and their unaspirated
partners b, d, g, j, z as p, t, k, ť, c; older English texts and Taiwan's names use Wade-Giles
(Mao Tse-tung, Chiang Kai-shek). No letter rule of ``translit`` meets across those systems:
they are tables over syllables. So a name whose words all divide into pinyin syllables is
also read as it would be written in Czech and in Wade-Giles (pypinyin's table), syllable by
syllable, and the whole name (family name first, hyphens and spaces out) is the key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

# The Czech transcription of pinyin initials (Czech ch is English kh, č is ch, š is sh, ž is
# zh, ť is a soft t, c is ts).
_CZECH_INITIALS = {
    "b": "p", "p": "pch", "m": "m", "f": "f", "d": "t", "t": "tch", "n": "n", "l": "l",
    "g": "k", "k": "kch", "h": "ch", "j": "ť", "q": "čch", "x": "s", "zh": "č", "ch": "čch",
    "sh": "š", "r": "ž", "z": "c", "c": "cch", "s": "s", "": "",
}  # fmt: skip
# Finals: Czech writes j for the glide i, ou for pinyin's contracted iu, e for its a in ian,
# ue for its ui, u for its o in ong; the vowel of zi, ci, si, zhi, chi, shi, ri is not written.
_CZECH_FINALS = {
    "ai": "aj", "ei": "ej", "iu": "iou", "ian": "ien", "iong": "iung", "ong": "ung",
    "uai": "uaj", "ui": "uej", "ue": "üe", "v": "ü", "ve": "üe",
}  # fmt: skip
# Syllables without an initial, as pinyin spells them and as Czech does.
_CZECH_ZERO = {
    "yi": "i", "ya": "ja", "ye": "je", "yao": "jao", "you": "jou", "yan": "jen", "yin": "jin",
    "yang": "jang", "ying": "jing", "yong": "jung", "yu": "jü", "yue": "jüe", "yuan": "jüan",
    "yun": "jün", "wu": "wu", "wa": "wa", "wo": "wo", "wai": "waj", "wei": "wej", "wan": "wan",
    "wen": "wen", "wang": "wang", "weng": "weng",
}  # fmt: skip
_INITIALS = sorted(_CZECH_INITIALS, key=len, reverse=True)
_FINALS = """a o e ai ei ao ou an en ang eng ong er i ia ie iao iu ian in iang ing iong u ua uo
uai ui uan un uang v ve ue""".split()
_WORD = re.compile(r"[a-zü]+")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Pinyin syllables: initials before the finals they take (j, q, x only before i and ü;
    the sibilants and velars never before a glide i), and the zero-initial forms. A little
    too generous (a few combinations no word has) is harmless here."""
    out = set(_CZECH_ZERO) | {f for f in _FINALS if f[0] in "aoe"}
    for initial in _INITIALS:
        for final in _FINALS:
            front = final[0] in "iv" or final in ("u", "ue", "uan", "un")
            if not initial or (initial in ("j", "q", "x") and not front):
                continue
            if initial in ("zh", "ch", "sh", "r", "z", "c", "s", "g", "k", "h") and (
                final[0] == "v" or (final[0] == "i" and final != "i")
            ):
                continue
            out.add(initial + final)
    return frozenset(out)


def _czech(syllable: str) -> str:
    if syllable in _CZECH_ZERO:
        return _CZECH_ZERO[syllable]
    initial = next(i for i in _INITIALS if syllable.startswith(i))
    final = syllable[len(initial) :]
    if initial in ("j", "q", "x") and final[:1] == "u":
        final = "ü" + final[1:]  # ju, qu, xu are jü, qü, xü
    elif final == "i" and initial in ("z", "c", "s", "zh", "ch", "sh", "r"):
        final = ""
    final = _CZECH_FINALS.get(final, final)
    return _CZECH_INITIALS[initial] + final


def _wade_giles(syllable: str) -> str:
    from pypinyin import Style
    from pypinyin.style import convert

    return convert(syllable.replace("v", "ü"), Style.WADEGILES, strict=True)


def _divisions(word: str) -> list[list[str]]:
    """Every way ``word`` divides into pinyin syllables (Xi'an, xian: two ways)."""
    syllables = _syllables()
    out: list[list[str]] = []

    def walk(rest: str, done: list[str]) -> None:
        if not rest:
            out.append(done)
            return
        for n in range(min(6, len(rest)), 0, -1):
            if rest[:n] in syllables:
                walk(rest[n:], [*done, rest[:n]])

    walk(word, [])
    return out


def spelled(name: str) -> str:
    """The name as written, one string: case, hyphens, spaces and apostrophes out."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", name.casefold())).replace("ü", "u")


def _pinyin_words(name: str) -> list[str]:
    """The words of ``name`` without tone marks, ü as v (as pinyin is typed); [] when a word
    has a letter pinyin does not write."""
    text = unicodedata.normalize("NFD", name.casefold().replace("ü", "v"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[^\W\d_]+", re.sub(r"['’]", "", text))
    return words if all(re.fullmatch(r"[a-z]+", w) for w in words) else []


@lru_cache(maxsize=65536)
def readings(name: str) -> frozenset[str]:
    """The name as Czech and as Wade-Giles would write it, were it pinyin (in the form of
    ``spelled``); empty when a word of it is not pinyin or it has one word only."""
    words = _pinyin_words(name)
    if len(words) < 2:
        return frozenset()
    per_word = [_divisions(w) for w in words]
    if not all(per_word):
        return frozenset()
    out = set()
    for division in product(*per_word):
        syllables = [s for word in division for s in word]
        out.add(spelled("".join(_czech(s) for s in syllables)))
        out.add(spelled("".join(_wade_giles(s) for s in syllables)))
    return frozenset(out - {spelled(name)})
