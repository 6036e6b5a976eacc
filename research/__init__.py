"""Measurements only the team runs, on research-only data read from ``../shared/data``: nothing
here is imported by the product. ``python -m research.fluency_measure`` measures the fluency
scores of both language models on newstest2020 (fitted, held out by document) and TED 2021
(never fitted on)."""
