"""Studies: the measurements the team runs to fit and check the checks, kept out of the product.

    python -m research              # lists the studies
    python -m research NAME [ARGS]  # runs one (``--help`` for its options)

A study is one module here with a docstring (its first line is its summary) and
``main(argv) -> int``, registered in STUDIES below; ``tests/test_research.py`` holds every module
to that. Studies import the product (``auditor``), never the reverse; agreement with human
judgements is computed by ``auditor.stats`` (one Kendall tau, one grouped tau), and the data
sets' places are in ``research.data``. Figures a study reports go in the README beside their
baselines, with the command that made them.
"""

from __future__ import annotations

# name -> module, in the order ``python -m research`` lists them.
STUDIES = {
    "mqm": "research.mqm",  # fluency score against MQM, held out by fold; calibrations
    "reference": "research.reference",  # chrF against MQM; the REF calibration's measurements
    "unt_lex": "research.unt_lex",  # UNT and LEX false alarms, precision, language detectors
    "names": "research.names",  # name clustering on corpora/names/eval: pairwise P and R
    "names_dev": "research.names_dev",  # name clustering on real spellings (names_dev), halves
    "names_fuzzy": "research.names_fuzzy",  # what a guarded fuzzy name step would add and merge
    "names_clean": "research.names_clean",  # NAME false alarms on human translations
    "fluency_measure": "research.fluency_measure",  # both LMs: newstest2020 fitted, TED held out
    "clean_copy": "research.clean_copy",  # every check's findings per 2,000 words, human rows
    "planted": "research.planted",  # planted errors: recall per kind, check half held out
    "kin_markers": "research.kin_markers",  # Danish/Norwegian/Swedish markers' precision
}
