"""Untranslated text and the article's source language, the machinery behind the UNT rules.

- ``codes``: language codes and names as reports give them;
- ``identify``: sentence language identification (lingua, langdetect or py3langid), deterministic;
- ``sentences``: sentences and clauses left in another language (UNT001);
- ``words``: single words and closed compounds left in a source language (UNT002);
- ``source``: the article's likely source language from what leaked and from its names.
"""
