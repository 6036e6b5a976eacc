"""Word-level knowledge shared by the checks that judge single words (UNT, LEX).

- ``frequencies``: Zipf frequencies of words in English and in the source languages MT leaks
  from (wordfreq, kept in a SQLite file in the user cache);
- ``wordlists``: the reviewed word lists in ``corpora/lexicon`` (accept, reject, loanwords,
  name heads, transliteration cues), Vale-style, and the content repo's own;
- ``tokens``: which tokens are words to judge, not names, codes or links;
- ``spelling``: suggestions for a non-word, ranked by frequency and a weighted edit cost.
"""
