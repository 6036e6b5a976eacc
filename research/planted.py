"""Planted errors: recall per kind on professional English the checks were not tuned on.

    python -m research planted [--half check|tune] [--per-kind N] [--seed N] [--clean-docs N]
                               [--source django|allauth|weblate] [--kinds PREFIX,...]

Host text is the development data's human translations (newstest2020 zh-en, ``is_human``
rows), read at run time. Documents are split by the first byte of sha256(doc id): odd bytes
are the check half (the default; nobody reads them while tuning), even bytes the tune half.
Into a host paragraph (a segment with the next one after it, in its whole article, whose
other segments are paragraphs of their own), one error is planted per item, with a seeded RNG,
and the article is audited as ``auditor check --no-lm`` would (every family but the language
model's and the reference's). An item is found when a finding of the
expected rule overlaps the planted span; for a foreign sentence, ``right language`` asks that
its ``lang`` be the planted language; for a misspelling and a mechanical slip, ``with fix``
asks that the first replacement restore the text.

What is planted, and where the planted words come from (text the checks were not tuned on):
- German words: the capitalized nouns of Faker's de_DE word list (a basic vocabulary,
  "Grundwortschatz 500") at a sentence's start, after "The", and mid-sentence, and its de_DE
  job titles (closed compounds, "Chirurgiemechaniker") and the long nouns of wordfreq's German
  list (12 letters or more, with a noun's suffix: -ung, -heit, -keit, -schaft...)
  mid-sentence. Words English writes too
  ("Hotel", "Ball": wordfreq English Zipf >= 2.5) are left out: they cannot be untranslated;
  so are words wordfreq's German list lacks. A word at the start stands before a lowercase
  word, one mid-sentence between two: beside a capitalized word it would read as a name.
- Misspellings of common English words (wordfreq Zipf >= 4, five letters or more, lowercase)
  found in the host text, by a general error model: a letter dropped, two swapped, one
  doubled, one replaced by a key beside it on a QWERTY keyboard, or one inserted. A result
  that is itself an English word (Zipf >= 3) is drawn again.
- Mechanical slips: "a"/"an" swapped by spelling (before a word that starts with a consonant
  letter, or a, i, o), the space after a full stop removed, a space put before a full stop or
  comma, a word doubled, an opening quotation mark or bracket left without its partner.
- Foreign sentences: Django's translators' message catalogs (interface sentences of five
  words or more, without placeholders) in 26 languages. Limits: interface language, not news;
  short; one translator team per language. ``--source allauth`` takes them from
  django-allauth's catalogs (another project and other translators, added after UNT was
  fitted on Django's: nobody tuned on it), to report a change on text it was not fitted to.
  ``--source weblate`` takes them from Weblate's (a third project, its own translators; added
  after the close-kin step and the Danish markers, and measured only: nobody tunes on it).
  A language whose half holds fewer sentences than the draws asked for is named in the
  output (its sentences are drawn more than once); one that holds none is not planted.
Word lists and sentence lists are split into halves by sha256 of the word or sentence too, so
``--half tune`` plants only what ``--half check`` never does. ``--kinds foreign`` audits only
the kinds with that prefix (every kind is still planted, so each sees the text of a whole run).

``--clean-docs N`` also audits N human articles of the tune half unchanged and prints the new
rules' findings (MECH, UNT003) per 2,000 words: the false alarms they add on clean copy.
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from auditor.config import load_config
from auditor.document import Document
from auditor.pipeline import Auditor
from research.data import DEV_DATA
from research.data import half as half_of  # ``half`` names the half asked for below

LANGUAGES = "cs sk da sv fi hu ro hr sl pt lt lv et tr ru uk bg sr el de nb it fr es pl nl".split()
REPORT_CODE = {"nb": "no"}
FAMILIES = ["BOIL", "NAME", "UNT", "LEX", "MECH", "ENC"]
GERMAN_KINDS = ("german_start", "german_after_the", "german_mid", "german_compound")
SLIP_KINDS = (
    "an_for_a",
    "a_for_an",
    "missing_space",
    "space_before",
    "doubled_word",
    "open_quote",
    "open_bracket",
)
KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NOUN_SUFFIXES = ("ung", "heit", "keit", "schaft", "ium", "ministerin", "minister", "gesetz")


def host_documents(half: str) -> list[list[str]]:
    """The human translations of the half's documents: one list of segments per document and
    translator."""
    docs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    with gzip.open(DEV_DATA, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if not row.get("is_human") or half_of(row["doc"]) != half:
                continue
            text = " ".join(str(row["target"]).split())
            docs[(row["system"], row["doc"])].append((row["doc_seg"], text))
    return [[t for _, t in sorted(segs)] for _, segs in sorted(docs.items())]


def german_words(half: str) -> tuple[list[str], list[str]]:
    """(nouns, compounds) from Faker's de_DE word lists, in this half."""
    from faker.providers.job.de_DE import Provider as Jobs
    from faker.providers.lorem.de_DE import Provider as Lorem
    from wordfreq import top_n_list, zipf_frequency

    def german_only(word: str) -> bool:  # German ("Minutenmir", a slip in the list, is not)
        return (
            zipf_frequency(word, "en") < 2.5
            and zipf_frequency(word, "de") >= 2.5
            and half_of(word) == half
        )

    nouns = sorted(
        {w for w in Lorem.word_list if w[:1].isupper() and len(w) >= 4 and german_only(w)}
    )
    compounds = {w for w in Jobs.jobs if re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]{9,}", w)}
    # Long nouns of wordfreq's German list, known by the suffixes German nouns take.
    compounds |= {
        w.capitalize()
        for w in top_n_list("de", 50_000)
        if len(w) >= 12 and w.endswith(NOUN_SUFFIXES) and w.isalpha()
    }
    return nouns, sorted(w for w in compounds if german_only(w))


# Where the planted foreign sentences come from: a package whose translators' message catalogs
# hold interface sentences in every language planted. "django" is the one the checks were
# fitted against; "allauth" (django-allauth: another project, other translators) came later
# and was not tuned on, so a change is reported on both; "weblate" (a translation platform
# whose catalogs its own community translates, installed by `make setup` without its
# dependencies: only the catalogs are read) is a third held-out one, measured and never tuned
# on. Each is pinned in pyproject.toml (dev) or, for weblate, the Makefile.
SOURCES = {"django": "django", "allauth": "allauth", "weblate": "weblate"}


def foreign_sentences(lang: str, half: str, source: str = "django") -> list[str]:
    """Sentences of ``source``'s message catalogs in ``lang`` (five words or more, no
    placeholders or markup), in this half."""
    import importlib.util

    # Found, not imported: only the catalogs are read (weblate's code would want its settings).
    package = Path(importlib.util.find_spec(SOURCES[source]).origin).parent
    found = set()
    # The language's own catalog; its regional ones (pt_PT, pt_BR) where there is none.
    catalogs = sorted(package.rglob(f"locale/{lang}/LC_MESSAGES/*.mo")) or sorted(
        package.rglob(f"locale/{lang}_*/LC_MESSAGES/*.mo")
    )
    for mo in catalogs:
        with mo.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog  # noqa: SLF001
        for key, value in catalog.items():
            if not isinstance(key, str) or not key or not isinstance(value, str):
                continue
            value = " ".join(value.split())
            if re.search(r"[%{}<>_]|\\", value) or len(value.split()) < 5:
                continue
            if value[-1:] in ".?!" and half_of(value) == half:
                found.add(value)
    return sorted(found)


def misspell(word: str, rng: random.Random) -> str:
    from wordfreq import zipf_frequency

    for _ in range(50):
        i = rng.randrange(1, len(word) - 1)  # first and last letters kept, as typists do
        kind = rng.choice(("drop", "swap", "double", "key", "insert"))
        if kind == "drop":
            out = word[:i] + word[i + 1 :]
        elif kind == "swap":
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "double":
            out = word[:i] + word[i] + word[i:]
        elif kind == "key":
            row = next((r for r in KEYBOARD if word[i] in r), None)
            if row is None:
                continue
            j = row.index(word[i])
            near = [row[k] for k in (j - 1, j + 1) if 0 <= k < len(row)]
            out = word[:i] + rng.choice(near) + word[i + 1 :]
        else:
            out = word[:i] + rng.choice("aeioulnrst") + word[i:]
        if out != word and zipf_frequency(out, "en") < 3.0:
            return out
    return ""


class Planter:
    """Plants one error of a kind into a host paragraph: (text, span, expected rule, extra)."""

    def __init__(self, half: str, rng: random.Random, source: str = "django") -> None:
        self.rng = rng
        self.half = half
        self.source = source
        self.nouns, self.compounds = german_words(half)

    def plant(self, kind: str, host: str, follow: str):
        rng = self.rng
        words = list(re.finditer(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])", host))
        if kind in GERMAN_KINDS:
            # Where a sentence starts (its first word, before a lowercase one: before a
            # capitalized one it would be a name's first word), after "The", or between two
            # lowercase words (beside a capitalized one it would be part of a name).
            if kind == "german_start":
                at = re.match(r"[A-Z][a-z]+(?= [a-z])", host)
            elif kind == "german_after_the":
                at = re.match(r"", host)
            else:
                mid = [
                    m
                    for m in words
                    if m.start() > 10
                    and re.search(r"(?:^|\s)[a-z]+,? $", host[: m.start()])
                    and re.match(r" [a-z]", host[m.end() :])
                ]
                at = rng.choice(mid) if mid else None
            if at is None:
                return None
            word = self._next(kind, self.compounds if kind == "german_compound" else self.nouns)
            if kind == "german_after_the":
                text = f"The {word} said {host[:1].lower()}{host[1:]}"
                return self._done(text, follow, 4, 4 + len(word), "UNT002", "de")
            return self._replace(host, follow, at.start(), at.end(), word, "UNT002", "de")
        if kind == "misspelling":
            from wordfreq import zipf_frequency

            common = [
                m
                for m in words
                if len(m.group()) >= 5
                and zipf_frequency(m.group(), "en") >= 4.0
                and half_of(m.group()) == self.half
            ]
            if not common:
                return None
            m = rng.choice(common)
            wrong = misspell(m.group(), rng)
            if not wrong:
                return None
            return self._replace(host, follow, m.start(), m.end(), wrong, "LEX001", m.group())
        if kind in ("an_for_a", "a_for_an"):
            starts = "bcdfgjklmnpqrstvwz" if kind == "an_for_a" else "aio"
            wrong = "an" if kind == "an_for_a" else "a"
            right = "a" if kind == "an_for_a" else "an"
            found = [m for m in words if m.group()[0] in starts and m.start() > 4]
            found = [m for m in found if host[m.start() - 4 : m.start()] == "the "]
            if not found:
                return None
            m = rng.choice(found)
            return self._replace(
                host, follow, m.start() - 4, m.start() - 1, wrong, "MECH001", right
            )
        if kind == "missing_space":
            if not host.endswith(".") or not follow[:1].isupper():
                return None
            text = host + follow
            return text, (len(host) - 1, len(host) + 1), "MECH002", ". "
        if kind == "space_before":
            commas = [m.start() for m in re.finditer(r"[a-z],", host)]
            at = rng.choice(commas) + 1 if commas and rng.random() < 0.5 else len(host) - 1
            if host[at] not in ".," or not host[at - 1].isalpha():
                return None
            text = host[:at] + " " + host[at:]
            return text + " " + follow, (at, at + 2), "MECH003", host[at]
        if kind == "doubled_word":
            m = rng.choice(words) if words else None
            if m is None or m.group() in ("that", "had"):
                return None
            text = host[: m.end()] + " " + m.group() + host[m.end() :]
            return (
                text + " " + follow,
                (m.start(), m.end() + 1 + len(m.group())),
                "MECH004",
                m.group(),
            )
        if kind in ("open_quote", "open_bracket"):
            if re.search(r"[\"“”()\[\]]", host + follow):
                return None
            mid = [m for m in words if m.start() > 0]
            if not mid:
                return None
            m = rng.choice(mid)
            mark = "“" if kind == "open_quote" else "("
            text = host[: m.start()] + mark + host[m.start() :]
            return text + " " + follow, (m.start(), m.start() + 1), "MECH005", ""
        lang = kind.removeprefix("foreign_")
        if not re.search(r"[.!?][”\"’)]*$", host):
            return None  # a headline: a sentence set after it would be glued to it
        sentence = self._next(kind, self.sentences(lang))
        text = f"{host} {sentence} {follow}"
        start = len(host) + 1
        return text, (start, start + len(sentence)), "UNT001", REPORT_CODE.get(lang, lang)

    def _next(self, kind: str, items: list[str]) -> str:
        """The next of ``items`` in a seeded shuffle, each once before any again: a rate over
        many items, not many draws of a few."""
        queues = self.__dict__.setdefault("_queues", {})
        if not queues.get(kind):
            queues[kind] = self.rng.sample(items, len(items))
        return queues[kind].pop()

    def sentences(self, lang: str) -> list[str]:
        cache = self.__dict__.setdefault("_sentences", {})
        if lang not in cache:
            cache[lang] = foreign_sentences(lang, self.half, self.source)
        return cache[lang]

    @staticmethod
    def _replace(host, follow, start, end, word, rule, extra=None):
        text = host[:start] + word + host[end:]
        return text + " " + follow, (start, start + len(word)), rule, extra

    @staticmethod
    def _done(text, follow, start, end, rule, extra):
        return text + " " + follow, (start, end), rule, extra


def judge(kind: str, findings, span, rule: str, extra) -> tuple[bool, bool]:
    """(found, right language or right fix)."""
    # A foreign sentence may make the article mostly foreign (UNT003): found all the same.
    rules = (rule, "UNT003") if rule == "UNT001" else (rule,)
    hits = [f for f in findings if f.rule in rules and f.start < span[1] and span[0] < f.end]
    if not hits:
        return False, False
    f = hits[0]
    if kind.startswith("foreign_"):
        return True, any(h.evidence.get("lang") == extra for h in hits)
    if kind.startswith("german"):
        return True, f.evidence.get("lang") == "de"
    if kind == "misspelling":
        return True, bool(f.replacements) and f.replacements[0].lower() == extra
    if kind == "missing_space":
        return True, bool(f.replacements) and extra in f.replacements[0]
    if kind == "space_before":
        return True, bool(f.replacements) and " " not in f.replacements[0]
    if kind == "doubled_word":
        return True, f.replacements[:1] == [extra]
    return True, f.replacements[:1] == [extra]


def recall(
    half: str,
    per_kind: int,
    seed: int,
    auditor: Auditor,
    source: str = "django",
    only: tuple[str, ...] = (),
) -> dict:
    """Found and right per kind; ``only``: audit just the kinds with these prefixes (the
    others are still planted, so each kind sees the same text as in a whole run)."""
    rng = random.Random(seed)
    docs = [d for d in host_documents(half) if len(d) >= 2]
    planter = Planter(half, rng, source)
    kinds = [*GERMAN_KINDS, "misspelling", *SLIP_KINDS, *(f"foreign_{x}" for x in LANGUAGES)]
    table: dict[str, Counter] = {}
    misses: dict[str, list[str]] = defaultdict(list)
    few: dict[str, int] = {}  # languages with fewer sentences than draws: how many they have
    for kind in kinds:
        counts = Counter()
        tries = 0
        if kind.startswith("foreign_"):
            # Said, not hidden: a short list is drawn more than once, an empty one not at all.
            have = len(planter.sentences(kind.removeprefix("foreign_")))
            if have < per_kind:
                few[kind] = have
            if not have:
                continue
        while counts["planted"] < per_kind and tries < per_kind * 30:
            tries += 1
            doc = rng.choice(docs)
            i = rng.randrange(len(doc) - 1)
            planted = planter.plant(kind, doc[i], doc[i + 1])
            if planted is None:
                continue
            counts["planted"] += 1
            if only and not kind.startswith(only):
                continue
            text, (start, end), rule, extra = planted
            # The whole host article, the planted paragraph in place of segments i and i+1.
            before = "".join(f"{seg}\n\n" for seg in doc[:i])
            after = "".join(f"\n\n{seg}" for seg in doc[i + 2 :])
            span = (len(before) + start, len(before) + end)
            text = before + text + after
            article = Document(path=f"planted/{kind}", id=f"{kind}-{tries}", text=text)
            findings = auditor.audit_document(article).findings
            found, right = judge(kind, findings, span, rule, extra)
            counts["found"] += found
            counts["right"] += right
            if not right and len(misses[kind]) < 3:
                named = {f.evidence.get("lang") for f in findings if f.rule.startswith("UNT")}
                got = f" (named {', '.join(sorted(map(str, named)))})" if found else ""
                misses[kind].append(text[max(0, span[0] - 30) : span[1] + 30] + got)
        if not only or kind.startswith(only):
            table[kind] = counts
    return {"table": table, "misses": misses, "few": few}


def clean_rates(docs_n: int, auditor: Auditor) -> dict:
    """The new rules' findings on the tune half's human articles, unchanged."""
    counts: Counter = Counter()
    words = 0
    examples: dict[str, list[str]] = defaultdict(list)
    for segments in host_documents("tune")[:docs_n]:
        text = "\n\n".join(segments)
        result = auditor.audit_document(Document(path="clean", id="clean", text=text))
        words += result.words
        for f in result.findings:
            key = f.rule if f.rule.startswith("MECH") or f.rule == "UNT003" else f.rule[:3]
            counts[(key, f.severity)] += 1
            if len(examples[key]) < 4:
                examples[key].append(text[max(0, f.start - 25) : f.end + 25])
    return {"words": words, "counts": counts, "examples": examples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m research planted", description=__doc__)
    parser.add_argument("--half", choices=("check", "tune"), default="check")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clean-docs", type=int, default=0)
    parser.add_argument(
        "--source", choices=sorted(SOURCES), default="django", help="foreign sentences' catalogs"
    )
    parser.add_argument(
        "--kinds", default="", help="comma-separated kind prefixes to audit (foreign_da,german)"
    )
    args = parser.parse_args(argv)
    if not DEV_DATA.exists():
        print(f"research planted: {DEV_DATA} not found", file=sys.stderr)
        return 2
    config = load_config({"lm": False, "select": FAMILIES}, use_files=False)
    auditor = Auditor(config)
    started = time.time()
    only = tuple(k for k in args.kinds.split(",") if k)
    out = recall(args.half, args.per_kind, args.seed, auditor, args.source, only)
    print(
        f"planted errors, {args.half} half, {args.per_kind} per kind, seed {args.seed}, "
        f"foreign sentences from {args.source}"
    )
    print(f"{'kind':22} {'planted':>7} {'found':>7} {'right':>7}")
    for kind, c in out["table"].items():
        n = c["planted"] or 1
        print(f"{kind:22} {c['planted']:7d} {c['found'] / n:7.1%} {c['right'] / n:7.1%}")
    for kind, have in out["few"].items():
        print(
            f"{kind}: {have} sentences in this half for {args.per_kind} draws"
            + (": not planted" if not have else ": some drawn more than once")
        )
    # Misses are shown for the tune half only: the check half is not read while tuning.
    for kind, texts in out["misses"].items() if args.half == "tune" else ():
        for t in texts:
            print(f"  missed {kind}: …{t}…")
    if args.clean_docs:
        clean = clean_rates(args.clean_docs, auditor)
        words = clean["words"] or 1
        print(
            f"\nclean copy (tune half, {args.clean_docs} articles, {words} words): per 2,000 words"
        )
        for (rule, severity), n in sorted(clean["counts"].items()):
            print(f"  {rule:8} {severity:8} {n:5d}  {n * 2000 / words:6.2f}")
        for rule, texts in clean["examples"].items():
            for t in texts:
                print(f"  {rule}: …{t}…")
    print(f"({time.time() - started:.0f} s)")
    return 0
