"""Colours shared by the HTML report and the summary chart, so a family looks the same in both.

The hues are the Okabe-Ito palette, chosen to stay apart for the common forms of colour
blindness; severity is never shown by colour alone (labels, underline styles, icons).
"""

from __future__ import annotations

FAMILY_COLORS = {
    "NAME": "#0072B2",
    "FLU": "#CC79A7",
    "UNT": "#E69F00",
    "LEX": "#D55E00",
    "BOIL": "#7A7A7A",
    "REF": "#009E73",
    "ENC": "#56B4E9",
}
OTHER_COLOR = "#997700"
FAMILY_NAMES = {
    "NAME": "names",
    "FLU": "fluency",
    "UNT": "untranslated",
    "LEX": "spelling",
    "BOIL": "debris",
    "REF": "reference",
    "ENC": "encoding",
}
VERDICT_COLORS = {"pass": "#1A7F37", "review": "#B07800", "fail": "#C62828"}


def family_color(family: str) -> str:
    return FAMILY_COLORS.get(family, OTHER_COLOR)


def family_name(family: str) -> str:
    return FAMILY_NAMES.get(family, family.lower())
