"""Colours shared by the HTML report and the summary chart, so a family looks the same in both.

A family's colour and title are declared with the family (``auditor.registry``); the hues are
the Okabe-Ito palette, chosen to stay apart for the common forms of colour blindness; severity
is never shown by colour alone (labels, underline styles, icons).
"""

from __future__ import annotations

from ..registry import color as family_color
from ..registry import title as family_name

__all__ = ["VERDICT_COLORS", "family_color", "family_name"]

VERDICT_COLORS = {"pass": "#1A7F37", "review": "#B07800", "fail": "#C62828"}
