"""Measure the UNT and LEX checks on the development data (WMT20 zh-en with MQM labels).

    python -m research unt_lex [--data PATH] [--json OUT] [--sentences N]

Three measurements, printed as tables (and written as JSON with --json):

1. False alarms on clean text: the human translations (``Human-A.0``, ``Human-B.0``), one
   article per document and translator, are professional English; every major UNT or LEX
   finding there counts against the target of at most 1 per 2,000 words.
2. Precision on MT output: each finding on the MT rows is judged against the raters' MQM
   spans on the same segment: *strict* when it overlaps a span of the category it claims
   (Fluency/Spelling for LEX, Non-translation or Accuracy for UNT), *any* when it overlaps an
   error span of any category (a rater saw something wrong there).
3. Where langdetect goes wrong on short English news lines (by length), and py3langid beside
   it when installed: each detector free and restricted to the product's languages, then the
   product's sentence test (UNT001) with each; and how well each recognizes short sentences in
   the source languages (a small set written for this evaluation).

The data stays in ../shared/data; nothing of it is written anywhere but the JSON figures.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from auditor.checks import Handover, Resources
from auditor.checks.language import LanguageCheck
from auditor.checks.lexicon import LexiconCheck
from auditor.config import load_config
from auditor.document import Document
from auditor.language.identify import LanguageIdentifier
from auditor.segment import segment
from research.data import DEV_DATA

STRICT = {"UNT": ("Non-translation", "Accuracy"), "LEX": ("Fluency/Spelling",)}

# Short sentences in the source languages, written for this evaluation (news register, 3-12
# words), to see whether a detector that is quiet on English still recognizes them.
FOREIGN_SAMPLES = {
    "de": [
        "Die Regierung lehnt das ab.",
        "Der Kanzler reist morgen nach Kiew.",
        "Das Treffen wurde kurzfristig abgesagt.",
        "Wir sind zu Gesprächen bereit.",
        "Die Lage an der Front bleibt angespannt.",
        "Es gab keine Verletzten.",
        "Die Polizei ermittelt noch.",
        "Das wissen wir nicht.",
    ],
    "it": [
        "Il governo ha respinto la proposta.",
        "Siamo pronti a trattare.",
        "La situazione resta molto tesa.",
        "Il presidente parlerà domani sera.",
        "Non ci sono stati feriti.",
        "Le trattative sono fallite.",
        "La polizia sta indagando.",
        "Lo ha detto il ministro.",
    ],
    "fr": [
        "Le gouvernement a rejeté la proposition.",
        "Nous sommes prêts à négocier.",
        "La situation reste très tendue.",
        "Le président parlera demain soir.",
        "Il n'y a pas eu de blessés.",
        "Les négociations ont échoué.",
        "La police enquête toujours.",
        "Selon le ministre, rien n'est décidé.",
    ],
    "es": [
        "El gobierno rechazó la propuesta.",
        "Estamos dispuestos a negociar.",
        "La situación sigue siendo muy tensa.",
        "El presidente hablará mañana.",
        "No hubo heridos.",
        "Las negociaciones fracasaron.",
        "La policía sigue investigando.",
        "Lo dijo el ministro.",
    ],
    "nl": [
        "De regering heeft het voorstel afgewezen.",
        "Wij zijn bereid te praten.",
        "De situatie blijft zeer gespannen.",
        "De president spreekt morgen.",
        "Er vielen geen gewonden.",
        "De onderhandelingen zijn mislukt.",
        "De politie doet nog onderzoek.",
        "Dat zei de minister.",
    ],
    "no": [
        "Regjeringen avviste forslaget.",
        "Vi er klare for samtaler.",
        "Situasjonen er fortsatt svært anspent.",
        "Statsministeren reiser til Berlin i morgen.",
        "Ingen ble skadet.",
        "Forhandlingene har strandet.",
        "Politiet etterforsker saken.",
        "Det sier utenriksministeren til NTB.",
    ],
    "pl": [
        "Rząd odrzucił tę propozycję.",
        "Jesteśmy gotowi do rozmów.",
        "Sytuacja pozostaje bardzo napięta.",
        "Prezydent przemówi jutro wieczorem.",
        "Nikt nie został ranny.",
        "Negocjacje zakończyły się fiaskiem.",
        "Policja prowadzi śledztwo.",
        "Powiedział to minister.",
    ],
}
EMBED = ("The minister spoke to reporters on Monday.", "He then left for Berlin.")
LENGTH_BUCKETS = ((1, 3), (4, 6), (7, 10), (11, 20), (21, 10_000))


def _articles(df, human: bool, agreed_only: bool = False):
    """(system, doc) -> Document whose paragraphs are the segments, and the segment offsets.
    ``agreed_only`` keeps the rows whose text all raters saw alike: the 2020 release mixed
    raters' post-edits into the other rows, leaving glued words ("datethe") in them."""
    rows = df[df["is_human"] == human]
    if agreed_only:
        rows = rows[rows["target_status"] == "all_raters_agree"]
    rows = rows.sort_values(["system", "doc", "doc_seg"])
    for (system, doc_id), group in rows.groupby(["system", "doc"], sort=True):
        parts, offsets, pos = [], [], 0
        for row in group.itertuples():
            text = " ".join(str(row.target).split())
            offsets.append((pos, pos + len(text), row))
            parts.append(text)
            pos += len(text) + 2
        doc = Document(path=f"{system}/{doc_id}", id=f"{system}/{doc_id}", text="\n\n".join(parts))
        yield segment(doc), offsets


def _run(checks, doc):
    findings, earlier = [], Handover()
    for check in checks:
        found = list(check.check(doc, earlier))
        findings.extend(found)
        earlier += check.hand_on(doc, found)
    return findings


def clean_text_rate(df, checks, agreed_only: bool, baselines: bool = False) -> dict:
    """Findings on the human translations; with ``baselines``, what the naive versions would
    raise: every sentence of 4+ words langdetect (unrestricted) does not call English, and every
    lowercase word of 4+ letters wordfreq's English list lacks."""
    words = majors = minors = naive_sentences = naive_words = 0
    by_rule: Counter = Counter()
    flagged: Counter = Counter()
    raw = _top(LanguageIdentifier("langdetect", languages=None)) if baselines else None
    freq = checks[0].freq
    for doc, _ in _articles(df, human=True, agreed_only=agreed_only):
        words += doc.words
        if baselines:
            for sentence in doc.sentences:
                if len(sentence.words) >= 4 and raw(sentence.text)[0] != "en":
                    naive_sentences += 1
                naive_words += sum(
                    t.kind == "word"
                    and t.text.isalpha()
                    and t.text.islower()
                    and len(t.text) >= 4
                    and freq.en(t.text) == 0.0
                    for t in sentence.words
                )
        for f in _run(checks, doc):
            if f.severity in ("major", "critical"):
                majors += 1
                by_rule[f.rule] += 1
                flagged[(f.rule, f.text[:40])] += 1
            elif f.severity == "minor":
                minors += 1
    return {
        "words": words,
        "major_findings": majors,
        "major_per_2000_words": round(2000 * majors / max(words, 1), 3),
        "minor_per_2000_words": round(2000 * minors / max(words, 1), 3),
        "major_by_rule": dict(sorted(by_rule.items())),
        "most_flagged": [f"{r} {t!r} x{n}" for (r, t), n in flagged.most_common(15)],
        **(
            {
                "baseline_raw_langdetect_sentences_per_2000_words": round(
                    2000 * naive_sentences / max(words, 1), 3
                ),
                "baseline_words_missing_from_wordfreq_per_2000_words": round(
                    2000 * naive_words / max(words, 1), 3
                ),
            }
            if baselines
            else {}
        ),
    }


def _overlap(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def mt_precision(df, checks) -> dict:
    judged: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list] = defaultdict(list)
    for doc, offsets in _articles(df, human=False, agreed_only=True):
        for f in _run(checks, doc):
            family = f.rule[:3]
            hit = next(((s, e, row) for s, e, row in offsets if s <= f.start < e + 2), None)
            if hit is None:
                continue
            seg_start, _, row = hit
            start, end = f.start - seg_start, f.end - seg_start
            spans = [
                sp
                for sp in row.spans
                if sp.get("start") is not None and sp.get("severity") != "Neutral"
            ]
            over = [sp for sp in spans if _overlap(start, end, sp["start"], sp["end"])]
            strict = any(sp["category"].startswith(STRICT[family]) for sp in over)
            counts = judged[f.rule]
            counts["flags"] += 1
            counts["strict"] += strict
            counts["any"] += bool(over)
            if len(examples[f.rule]) < 8:
                cats = sorted({sp["category"] for sp in over}) or ["(no error span)"]
                examples[f.rule].append(f"{f.text[:30]!r} -> {', '.join(cats)}")
    out = {}
    for rule, c in sorted(judged.items()):
        out[rule] = {
            "flags": c["flags"],
            "precision_strict": round(c["strict"] / c["flags"], 3),
            "precision_any_error": round(c["any"] / c["flags"], 3),
            "examples": examples[rule],
        }
    return out


class _Detectors:
    """Each detector as text -> (language, probability), free to answer any language it knows
    and restricted to the ones the product allows (DETECTOR_LANGUAGES); only those installed."""

    def __init__(self) -> None:
        self.available = {}
        for name in ("langdetect", "py3langid"):
            try:
                free = LanguageIdentifier(name, languages=None)
                news = LanguageIdentifier(name)
            except ImportError:
                continue
            self.available[name] = _top(free)
            self.available[f"{name} (restricted)"] = _top(news)


def _top(identifier: LanguageIdentifier):
    def top(text: str) -> tuple[str, float]:
        guesses = identifier.probabilities(text)
        return guesses[0] if guesses else ("en", 0.0)  # no answer is no alarm

    return top


def short_sentences(df, check: LanguageCheck, limit: int, seed: int = 0) -> dict:
    # Stratified by length: the short lines (headlines, labels) are where detectors fail, and
    # the dev data has few of them among its long sentences.
    by_bucket: dict[str, list] = defaultdict(list)
    for doc, _ in _articles(df, human=True, agreed_only=True):
        for s in doc.sentences:
            if s.words:
                by_bucket[_bucket(len(s.words))].append(s)
    sentences = []
    for name in sorted(by_bucket, key=_bucket_order):
        pool = by_bucket[name]
        random.Random(seed).shuffle(pool)
        sentences.extend(pool[: limit // len(LENGTH_BUCKETS)])
    # The data has few short lines of its own; the opening words of its sentences stand in for
    # headlines and labels ("Chinese tourists", "The central bank said on").
    rng = random.Random(seed + 1)
    long_ones = [s for s in sentences if len(s.words) >= 8]
    for s in long_ones[: limit // 2]:
        k = rng.randint(2, 6)
        cut = s.words[k - 1].end - s.start
        sentences.append(segment(Document(path="-", id="-", text=s.text[:cut])).sentences[0])
    detectors = _Detectors()
    report: dict = {"sentences": len(sentences), "detectors": {}}
    for name, detect in detectors.available.items():
        wrong: Counter = Counter()
        total: Counter = Counter()
        confused: Counter = Counter()
        started = time.perf_counter()
        for s in sentences:
            bucket = _bucket(len(s.words))
            total[bucket] += 1
            lang, _prob = detect(s.text)
            if lang != "en":
                wrong[bucket] += 1
                confused[lang] += 1
        elapsed = time.perf_counter() - started
        recall = {}
        for lang, samples in FOREIGN_SAMPLES.items():
            hits = sum(_same(detect(t)[0], lang) for t in samples)
            recall[lang] = round(hits / len(samples), 3)
        report["sentences_by_words"] = {b: total[b] for b in sorted(total, key=_bucket_order)}
        report["detectors"][name] = {
            "non_english_rate_by_words": {
                b: round(wrong[b] / total[b], 4) for b in sorted(total, key=_bucket_order)
            },
            "non_english_rate": round(sum(wrong.values()) / max(len(sentences), 1), 4),
            "confused_with": dict(confused.most_common(8)),
            "short_foreign_recall": recall,
            "ms_per_sentence": round(1000 * elapsed / max(len(sentences), 1), 2),
        }
    # The product's sentence test (UNT001: restricted detector, word vote, guards), per detector.
    for name in ("langdetect", "py3langid"):
        config = load_config({"language_detector": name}, use_files=False)
        guarded = LanguageCheck(config, check.resources)
        try:
            guarded.sentences.identifier.probabilities("a test")
        except ImportError:
            continue
        fired: Counter = Counter()
        total = Counter()
        for s in sentences:
            bucket = _bucket(len(s.words))
            total[bucket] += 1
            fired[bucket] += guarded.sentences._foreign(s, s.start, s.end, set()) is not None
        recall = {}
        for lang, samples in FOREIGN_SAMPLES.items():
            hits = 0
            for text in samples:
                doc = segment(Document(path="-", id="-", text=text))
                found = guarded.sentences._foreign(doc.sentences[0], 0, len(text), set())
                hits += bool(found) and _same(found[0], lang)
            recall[lang] = round(hits / len(samples), 3)
        # The whole UNT check on each sample set between two English sentences: what UNT001
        # leaves (lines under four words), word-level UNT002 may still catch.
        embedded = {}
        for lang, samples in FOREIGN_SAMPLES.items():
            hits = 0
            for text in samples:
                doc = segment(Document(path="-", id="-", text=f"{EMBED[0]} {text} {EMBED[1]}"))
                hits += any(f.evidence.get("lang") == lang for f in guarded.check(doc))
            embedded[lang] = round(hits / len(samples), 3)
        report[f"unt001_{name}"] = {
            "english_flagged_by_words": {
                b: round(fired[b] / total[b], 4) for b in sorted(total, key=_bucket_order)
            },
            "short_foreign_recall": recall,
            "embedded_short_foreign_recall_unt001_or_unt002": embedded,
        }
    return report


def _same(detected: str, lang: str) -> bool:
    return detected == lang or (lang == "no" and detected in ("nb", "nn", "no"))


def _bucket(n: int) -> str:
    for lo, hi in LENGTH_BUCKETS:
        if lo <= n <= hi:
            return f"{lo}-{hi}" if hi < 10_000 else f"{lo}+"
    return "?"


def _bucket_order(name: str) -> int:
    return int(name.split("-")[0].rstrip("+"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DEV_DATA))
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument(
        "--sentences",
        type=int,
        default=3000,
        help="English sentences sampled for the detector measurement",
    )
    parser.add_argument("--skip-mt", action="store_true", help="only the clean-text rate")
    args = parser.parse_args(argv)
    path = Path(args.data)
    if not path.is_file():
        print(f"{path}: development data not found", file=sys.stderr)
        return 2
    import pandas as pd

    df = pd.read_json(path, lines=True)
    config = load_config({}, use_files=False)
    resources = Resources(config)
    language = LanguageCheck(config, resources)
    checks = [language, LexiconCheck(config, resources)]
    figures = {
        "clean_text_agreed_rows": clean_text_rate(df, checks, agreed_only=True, baselines=True),
        "clean_text_all_human_rows": clean_text_rate(df, checks, agreed_only=False),
    }
    for key in ("clean_text_agreed_rows", "clean_text_all_human_rows"):
        print(json.dumps({key: figures[key]}, indent=1, ensure_ascii=False))
    if not args.skip_mt:
        figures["mt_precision"] = mt_precision(df, checks)
        print(json.dumps({"mt_precision": figures["mt_precision"]}, indent=1, ensure_ascii=False))
    figures["short_sentences"] = short_sentences(df, language, args.sentences)
    print(json.dumps({"short_sentences": figures["short_sentences"]}, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
    return 0
