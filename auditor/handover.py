"""What one check hands on to the checks after it, typed: debris spans from the boilerplate check,
name spellings (with the languages that write them so) from the names check, and the findings
on article text of the families a check declares it reads (``Family.reads``). The pipeline
collects it; a check never reads another's findings by prefix or evidence key.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Finding


@dataclass(frozen=True, slots=True)
class Debris:
    """Text the boilerplate check found not to be the article's (links, page chrome, bios)."""

    start: int
    end: int
    deleted: bool  # its fix deletes it; False for captions and credit lines, often kept


@dataclass(frozen=True, slots=True)
class NameSpelling:
    """A name spelling the names check flagged, and the languages (or "mt", "old") that
    write it so, from the gazetteer: evidence of the article's source language."""

    start: int
    end: int
    text: str
    origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Handover:
    """What earlier checks hand on to a check, from the families it declares it reads
    (``Family.reads``): their findings on article text (``flagged``), the debris they found,
    and the name spellings they flagged, in the order found."""

    flagged: tuple[Finding, ...] = ()
    debris: tuple[Debris, ...] = ()
    names: tuple[NameSpelling, ...] = ()

    def __add__(self, other: Handover) -> Handover:
        return Handover(
            self.flagged + other.flagged, self.debris + other.debris, self.names + other.names
        )

    def spans(self) -> list[tuple[int, int]]:
        """Every span handed on: debris and findings alike (text a check need not judge)."""
        return [*((d.start, d.end) for d in self.debris), *((f.start, f.end) for f in self.flagged)]


NOTHING = Handover()  # what the first check gets, and a check run on its own
