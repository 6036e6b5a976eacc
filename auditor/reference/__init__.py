"""Comparing versions of one article: a candidate against a reference translation, or each
syndicated version of a story against its siblings.

- ``align``: monotonic sentence alignment (1-1, 1-2, 2-1, 1-0, 0-1), Gale-Church-like costs
  over rapidfuzz similarity and lengths;
- ``metrics``: sacrebleu's chrF, BLEU and TER per sentence pair and per document, with
  sacrebleu's signatures;
- ``compare``: both together for two segmented documents;
- ``siblings``: versions of one story in a corpus and the index the check reads;
- ``calibrate``: the measurements on the development data behind the calibration file.

Commands read the reference and the corpus and hand the texts to the check through
``Resources`` (checks never read files): ``provide_references`` and ``provide_siblings``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Document

REFERENCES_KEY = "reference.documents"
SIBLINGS_KEY = "reference.siblings"
CALIBRATION_KEY = "reference.calibration"


class ReferenceSet:
    """Reference translations for the audited articles. One reference serves every article;
    several are matched to articles by ``id``, then by ``story``."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = list(documents)
        self.by_id = {d.id: d for d in self.documents}
        self.by_story = {d.meta["story"]: d for d in self.documents if d.meta.get("story")}

    def for_document(self, doc: Document) -> Document | None:
        if len(self.documents) == 1:
            return self.documents[0]
        if doc.id in self.by_id:
            return self.by_id[doc.id]
        return self.by_story.get(doc.meta.get("story") or "")


def provide_references(resources, documents: Iterable[Document]) -> ReferenceSet:
    references = ReferenceSet(documents)
    return resources.get(REFERENCES_KEY, lambda: references)


def provide_siblings(resources, read, read_at=None) -> object:
    """Build the sibling index over what ``read()`` yields (Documents, or pairs of a Document
    and where ``read_at`` reads it again) and hand it to the check."""
    from .siblings import build_index

    def load():
        cal = calibration(resources)
        return build_index(read, cal.sibling_similarity, read_at, cal.sibling_body)

    return resources.get(SIBLINGS_KEY, load)


def calibration(resources):
    from .align import load_calibration

    return resources.get(CALIBRATION_KEY, load_calibration)
