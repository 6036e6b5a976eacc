"""BOIL: scraping debris, page chrome, author bios and teaser fragments repeated in an article.

Patterns are data (``corpora/patterns/boilerplate.yaml``); finding the debris is
``auditor.boilerplate``'s work. This check reports it, each piece to be deleted, and hands it on
to the checks after it as debris: text that is not the article's.
"""

from __future__ import annotations

from ..boilerplate import find_debris, patterns
from ..document import Document, Finding
from ..rules import Example, Family, Rule
from . import NOTHING, Check, Debris, Handover

CHECK = "boilerplate"
CATEGORY = "Other/Extraction"


def _examples(block: str, instead: str) -> tuple[Example, ...]:
    """An article with ``block`` between its lead and its last paragraph (flagged, the fix
    deletes it), and the same article with ``instead`` there (left alone)."""
    article = (
        "The mayor opened the new bridge over the river on Saturday morning, two years after "
        "work began.\n\n{}\n\nTraffic is expected to use the bridge from Monday, the city said."
    )
    return Example(article.format(block), flags=block, fix=""), Example(article.format(instead))


FAMILY = Family(
    prefix="BOIL",
    check=CHECK,
    title="debris",
    color="#7A7A7A",
    order=50,
    rules=(
        Rule("BOIL001", CHECK, "related-link", CATEGORY, "major",
             "Related-story label or link from the source page.",
             examples=_examples("Read also: Storm closes the harbour for a second day",
                                "Readers can read the full report on the city's website.")),
        Rule("BOIL002", CHECK, "page-chrome", CATEGORY, "major",
             "Share bars, comment forms, banners, ticker labels.",
             examples=_examples("Share this article",
                                "Officials said they would share the costs with the region.")),
        Rule("BOIL003", CHECK, "author-bio", CATEGORY, "major",
             "Author biography appended by an aggregator.",
             examples=_examples("She has been a reporter for the Daily Courier since 2015.",
                                "She has opened three bridges as mayor, the city said.")),
        Rule("BOIL004", CHECK, "repeated-fragment", CATEGORY, "major",
             "A sentence repeated from earlier in the article.",
             examples=_examples("Traffic is expected to use the bridge from Monday, the city said.",
                                "The bridge cost 40 million euros, the city said.")),
        Rule("BOIL005", CHECK, "cut-fragment", CATEGORY, "major",
             "A block that starts mid-sentence: a cut teaser.",
             examples=_examples("and the opposition called the project a waste of money.",
                                "The opposition called the project a waste of money.")),
        Rule("BOIL006", CHECK, "credit-line", CATEGORY, "minor",
             "Photo caption, credit or agency sign-off line.",
             examples=_examples("Photo: City of Riverton",
                                "A photo of the opening was shared by the city.")),
    ),
)  # fmt: skip


class BoilerplateCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.patterns = patterns(resources)
        for p in self.patterns:
            FAMILY.rule(p.rule)  # a pattern naming an unknown code fails here, not on a match

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        return [
            doc.finding(
                FAMILY.rule(piece.rule),
                piece.start,
                piece.end,
                piece.message,
                replacements=[""],
                confidence=piece.confidence,
            )
            for piece in find_debris(doc, self.patterns)
        ]

    def hand_on(self, doc: Document, findings: list[Finding]) -> Handover:
        """Everything found is debris; major debris is deleted, while captions and credit lines
        (minor) are often kept."""
        return Handover(
            debris=tuple(
                Debris(f.start, f.end, deleted=f.severity in ("major", "critical"))
                for f in findings
            )
        )
