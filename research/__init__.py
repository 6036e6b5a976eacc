"""Measurements only the team runs, on research-only data read from ``../shared/data``: nothing
here is imported by the product. ``python -m research.names_dev`` measures name clustering;
``python -m research.fluency_measure`` the fluency scores of both language models on
newstest2020 (fitted, held out by document) and TED 2021 (never fitted on)."""
