"""Scandinavian markers: how often each spelling marker is right on wordfreq's word lists.

    python -m research kin_markers [--top N]

Each ``spelling`` row of ``corpora/language/scandinavian.tsv`` names the languages whose words
it marks. Over the N most frequent words of wordfreq's Danish, Norwegian Bokmål and Swedish
"small" lists (names included: the lists hold them lowercased, UNT001 leaves most of them
out), it prints how many words of each language it matches and its precision: the share of
the matched words (types) and of their frequency mass (tokens) that are of a language it names.
A marker is kept at 0.95 token precision or more; below it (Danish -eret, 0.93: Norwegian
writes "senteret", "nummeret" too) it is left out. No catalog or article is read.
"""

from __future__ import annotations

import argparse

from auditor.language.codes import wordfreq_code
from auditor.language.scandinavian import LANGUAGES, markers


def precision(top: int) -> list[tuple[str, list[str], dict, float, float, list[str]]]:
    from wordfreq import top_n_list, zipf_frequency

    lists = {lang: top_n_list(wordfreq_code(lang), top, wordlist="small") for lang in LANGUAGES}
    rows = []
    for pattern, langs in markers().spellings:
        hits = {lang: [w for w in words if pattern.search(w)] for lang, words in lists.items()}
        mass = {
            lang: sum(10 ** zipf_frequency(w, wordfreq_code(lang), wordlist="small") for w in ws)
            for lang, ws in hits.items()
        }
        types = sum(len(ws) for ws in hits.values()) or 1
        tokens = sum(mass.values()) or 1.0
        rows.append(
            (
                pattern.pattern,
                sorted(langs),
                {lang: len(ws) for lang, ws in hits.items()},
                sum(len(hits[lang]) for lang in langs) / types,
                sum(mass[lang] for lang in langs) / tokens,
                [w for lang, ws in hits.items() if lang not in langs for w in ws[:4]],
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m research kin_markers", description=__doc__)
    parser.add_argument("--top", type=int, default=20_000)
    args = parser.parse_args(argv)
    print(f"spelling markers on the {args.top:,} most frequent words of each list")
    print(f"{'marker':32} {'for':8} {'da':>5} {'no':>5} {'sv':>5} {'types':>6} {'tokens':>6}")
    for pattern, langs, counts, types, tokens, wrong in precision(args.top):
        n = " ".join(f"{counts[lang]:5d}" for lang in LANGUAGES)
        named = " ".join(langs)
        print(f"{pattern:32} {named:8} {n} {types:6.2f} {tokens:6.2f}  {', '.join(wrong)}")
    return 0
