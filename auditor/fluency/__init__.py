"""Fluency scoring math: from per-token LM log-probabilities to calibrated word, span and
sentence scores. Pure Python over numbers; the language model itself lives in ``auditor.lm``.

The idea (SLOR, Lau et al. 2017; Kann et al. 2018, refined per word): a word's LM surprisal is
compared with what the same model gives, on clean professional English, to words of the same
kind and frequency at the same kind of position. What is left, the *excess* surprisal, is
what "garbled" means here; rare-but-real words, names and numbers have high surprisal
everywhere and so little excess. The calibration numbers are data: ``corpora/lm/``.
"""
