"""One module per CLI command; what several of them share."""

from __future__ import annotations


def add_lm_option(parser) -> None:
    """``--lm NAME``: which language model scores the text."""
    from ..lm import DEFAULT_LM, MODELS

    parser.add_argument(
        "--lm",
        choices=list(MODELS),
        help=f"the language model (default: the configuration's, else {DEFAULT_LM})",
    )
