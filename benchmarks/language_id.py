"""Cost of lingua, UNT001's sentence language identifier, of its close-kin step, and of the
MECH check.

lingua is built in low-accuracy mode and loads each language's model on first need; a sentence
of a language it has not seen yet pays for the load. Measured: the memory of every model
loaded (one sentence in each of 22 languages), the first and the later sentences' time, and
the MECH check's articles per minute on the samples. The close-kin step (Danish, Norwegian or
Swedish? Czech or Slovak?...) reads wordfreq's small lists of every KIN language: their memory
and the time of one decision.

Targets: every model loaded under 150 MB (the high-accuracy models take ~650 MB, which is why
they are not used); identification under 5 ms a sentence once loaded (langdetect took ~10 ms); MECH
thousands of articles per minute; the kin step's lists under 150 MB (the large lists take ~480
MB; lingua's high-accuracy models of the five groups 100-280 MB each) and under 5 ms a decision.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
# One short sentence per language, to make lingua load every model.
SENTENCES = (
    "Vláda ve středu schválila návrh zákona.",
    "Vláda v stredu schválila návrh zákona.",
    "Regeringen har i dag besluttet at hæve skatten.",
    "Regeringen har i dag beslutat att höja skatten.",
    "Regjeringen har i dag bestemt å heve skatten.",
    "Hallitus hyväksyi lakiesityksen keskiviikkona.",
    "Valitsus kiitis eelnõu heaks kolmapäeval.",
    "Valdība trešdien apstiprināja likumprojektu.",
    "Vyriausybė trečiadienį pritarė projektui.",
    "A kormány szerdán elfogadta a javaslatot.",
    "Guvernul a aprobat miercuri proiectul.",
    "Vlada je u srijedu odobrila prijedlog.",
    "Vlada je v sredo sprejela predlog.",
    "O governo aprovou na quarta-feira o projeto.",
    "Hükümet çarşamba günü tasarıyı onayladı.",
    "Правительство в среду одобрило законопроект.",
    "Уряд у середу схвалив законопроєкт.",
    "Правителството одобри в сряда законопроекта.",
    "Влада је у среду одобрила предлог.",
    "Η κυβέρνηση ενέκρινε το νομοσχέδιο.",
    "Die Regierung hat den Vorschlag abgelehnt.",
    "The government rejected the proposal on Monday.",
)
ROUNDS = 20


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run() -> dict:
    from auditor.checks import Resources
    from auditor.checks.mechanics import MechanicsCheck
    from auditor.config import load_config
    from auditor.ingest import read_paths
    from auditor.language.identify import LanguageIdentifier
    from auditor.language.sentences import kin_language
    from auditor.segment import segment

    before = _rss_mb()
    started = time.perf_counter()
    identifier = LanguageIdentifier("lingua")
    for sentence in SENTENCES:
        identifier.probabilities(sentence)
    first = time.perf_counter() - started
    loaded = _rss_mb() - before
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for sentence in SENTENCES:
            identifier.probabilities(sentence)
    warm_ms = (time.perf_counter() - started) * 1000 / (ROUNDS * len(SENTENCES))

    guesses = []
    for sentence in SENTENCES:
        lang, prob = identifier.probabilities(sentence)[0]
        guesses.append((sentence.split(), lang, {lang: prob}))
    before = _rss_mb()
    started = time.perf_counter()
    for words, lang, chances in guesses:
        kin_language(words, lang, chances)
    kin_first = time.perf_counter() - started
    kin_loaded = _rss_mb() - before
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for words, lang, chances in guesses:
            kin_language(words, lang, chances)
    kin_ms = (time.perf_counter() - started) * 1000 / (ROUNDS * len(guesses))

    config = load_config({"lm": False}, use_files=False)
    check = MechanicsCheck(config, Resources(config))
    docs = [segment(d) for d in read_paths([str(SAMPLES)])]
    for doc in docs:
        check.check(doc)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for doc in docs:
            check.check(doc)
    per_minute = ROUNDS * len(docs) / (time.perf_counter() - started) * 60
    return {
        "lingua_models_mb": round(loaded, 1),
        "lingua_first_pass_s": round(first, 2),
        "lingua_ms_per_sentence": round(warm_ms, 3),
        "kin_wordlists_mb": round(kin_loaded, 1),
        "kin_first_pass_s": round(kin_first, 2),
        "kin_ms_per_sentence": round(kin_ms, 3),
        "mech_articles_per_minute": round(per_minute),
        "ok": loaded < 150
        and warm_ms < 5.0
        and kin_loaded < 150
        and kin_ms < 5.0
        and per_minute > 1000,
    }
