"""Speed of the UNT and LEX checks: start-up (word tables, suggestion vocabulary, langdetect)
and articles per minute on the sample articles, warm.

Target (DESIGN.md): non-LM checks audit thousands of articles per minute; their start-up must
fit in the 3 s cold start of ``auditor check`` (the word tables are a cached SQLite file, built
once per wordfreq version).
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
ROUNDS = 20


def run() -> dict:
    from auditor.checks import Handover, Resources
    from auditor.checks.language import LanguageCheck
    from auditor.checks.lexicon import LexiconCheck
    from auditor.config import load_config
    from auditor.ingest import read_paths
    from auditor.segment import segment

    config = load_config({}, use_files=False)
    resources = Resources(config)
    started = time.perf_counter()
    language, lexicon = LanguageCheck(config, resources), LexiconCheck(config, resources)
    docs = [segment(d) for d in read_paths([str(SAMPLES)])]
    for doc in docs:  # first pass: pays the lazy loads (vocabulary, langdetect when needed)
        lexicon.check(doc, Handover(flagged=tuple(language.check(doc))))
    first_pass = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for doc in docs:
            lexicon.check(doc, Handover(flagged=tuple(language.check(doc))))
    elapsed = time.perf_counter() - started
    articles = ROUNDS * len(docs)
    return {
        "unt_lex_start_and_first_pass_s": round(first_pass, 3),
        "unt_lex_articles_per_minute": round(60 * articles / elapsed),
        "unt_lex_ms_per_article": round(1000 * elapsed / articles, 2),
        "unt_lex_words_per_article": round(sum(d.words for d in docs) / len(docs)),
    }
