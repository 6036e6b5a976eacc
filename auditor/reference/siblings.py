"""Versions of one story in a corpus: grouping, and the index the reference check reads.

Articles with a ``story`` field (front matter or corpus column) are grouped by it. The others
are grouped when their titles and leads are near duplicates: candidate pairs come from an
inverted index of the lead's words (so a large corpus is never compared pair by pair), and
a pair joins when rapidfuzz's token-set ratio of the two leads reaches the calibrated
threshold (``corpora/reference/calibration.yaml``).

The pipeline streams articles in batches, and a version's siblings may sit in any batch. So
the index is built by one pass over the inputs before the audit, which keeps each article's
story key, the lead of articles without one, and where the article can be read again (a
file, or a corpus row's position). The index then keeps only the locations of articles that
have siblings, never texts: the reference check reads a sibling again when it audits a
version of its story, whatever batch that is in, so memory follows the batch and the story,
not the corpus.
"""

from __future__ import annotations

import re
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator

from rapidfuzz import fuzz, utils

from ..document import Document

LEAD_CHARS = 400
SKETCH_SIZE = 64  # hashes kept per article for the body test (see body_sketch)
# Index words in more than this share of leads say nothing about the story ("president").
COMMON_SHARE = 0.05
MIN_SHARED_WORDS = 3
SIGNATURE_WORDS = 12
# Leads paired per word (see _near_duplicates): all pairs while a word is in at most this many
# leads plus one, as every word is in a small corpus.
PAIR_WINDOW = 20
# Siblings read again and kept segmented: a story's versions are audited near one another.
CACHED_SIBLINGS = 32
_WORD = re.compile(r"[^\W\d_]{4,}|\d{2,}")
_BODY_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)]*\s")


def lead(doc: Document) -> str:
    """The title and the opening of the article: what syndicated copies share first."""
    title = str(doc.meta.get("title") or "")
    body = " ".join(doc.text[: LEAD_CHARS * 4].split())[:LEAD_CHARS]
    if title and body.startswith(title):
        return body
    return f"{title} {body}".strip()


def lead_similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def body_sketch(doc: Document) -> tuple[int, ...]:
    """What the article says beyond its title and lead, small enough to keep for every article
    of a corpus: the ``SKETCH_SIZE`` smallest hashes of its words past the lead (a bottom-k
    sketch: the share of shared words it estimates is the words' Jaccard similarity)."""
    words = _BODY_WORD.findall(doc.text, _lead_end(doc.text))
    pairs = {f"{a.lower()} {b.lower()}" for a, b in zip(words, words[1:], strict=False)}
    hashes = sorted({zlib.crc32(p.encode("utf-8", "surrogatepass")) for p in pairs})
    return tuple(hashes[:SKETCH_SIZE])


def sketch_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the word sets two sketches were made from (0: nothing
    past the lead to compare)."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    both = set(a) & set(b)
    return sum(h in both for h in union) / len(union)


def _lead_end(text: str) -> int:
    """Where the text past the lead starts: the first sentence end after LEAD_CHARS (or
    LEAD_CHARS itself); in a short article, under twice that, the end of its first sentence."""
    if len(text) >= 2 * LEAD_CHARS:
        m = _SENTENCE_END.search(text, LEAD_CHARS, 2 * LEAD_CHARS)
        return m.end() if m else LEAD_CHARS
    m = _SENTENCE_END.search(text)
    return m.end() if m else 0


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def group_stories(
    entries: Iterable[tuple[str, str | None, str, tuple[int, ...]]],
    threshold: float,
    body_threshold: float,
) -> dict[str, str]:
    """Story of each article with at least one sibling: ``{path: story}`` from entries of
    ``(path, story field or None, lead, body sketch)``. Articles without a story field join
    when their leads are near duplicates and their bodies share text (``body_sketch``): a
    generic title ("Live updates") or a shared standfirst alone makes no story. Near-duplicate
    groups are named by their first member's path."""
    by_story: dict[str, list[str]] = defaultdict(list)
    leads: dict[str, str] = {}
    sketches: dict[str, tuple[int, ...]] = {}
    for path, story, text, sketch in entries:
        if story:
            by_story[f"story:{story}"].append(path)
        else:
            leads[path] = text
            sketches[path] = sketch
    groups = {key: sorted(paths) for key, paths in by_story.items() if len(paths) > 1}

    def joins(a: str, b: str) -> bool:
        return lead_similarity(leads[a], leads[b]) >= threshold and (
            sketch_similarity(sketches[a], sketches[b]) >= body_threshold
        )

    for members in _near_duplicates(leads, joins):
        groups[f"lead:{members[0]}"] = members
    return {path: key for key, members in groups.items() for path in members}


def _near_duplicates(leads: dict[str, str], joins: Callable[[str, str], bool]) -> list[list[str]]:
    paths = sorted(leads)
    frequency: dict[str, int] = defaultdict(int)
    for p in paths:
        for w in _words(leads[p]):
            frequency[w] += 1
    # Prefix filtering, as in similarity joins: near duplicates share most of their rarest
    # words, so only the rarest few of each lead are indexed and candidate pairs must share
    # MIN_SHARED_WORDS of them. Work grows with the corpus, not with its square.
    postings: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(paths):
        for w in sorted(_words(leads[p]), key=lambda w: (frequency[w], w))[:SIGNATURE_WORDS]:
            postings[w].append(i)
    limit = max(PAIR_WINDOW, int(COMMON_SHARE * len(paths)))
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for w in sorted(postings):
        docs = postings[w]
        if len(docs) > limit:
            continue
        # Each lead is paired with the next few that share the word, not with all of them:
        # near duplicates then form chains, which the union below joins into one story,
        # and a word shared by thousands of near-duplicate leads costs thousands of pairs,
        # not millions.
        for x in range(len(docs)):
            for y in range(x + 1, min(len(docs), x + 1 + PAIR_WINDOW)):
                shared[(docs[x], docs[y])] += 1
    parent = list(range(len(paths)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), count in sorted(shared.items()):
        if count >= MIN_SHARED_WORDS and root(i) != root(j) and joins(paths[i], paths[j]):
            parent[max(root(i), root(j))] = min(root(i), root(j))
    clusters: dict[int, list[str]] = defaultdict(list)
    for i, path in enumerate(paths):
        clusters[root(i)].append(path)
    return [members for _, members in sorted(clusters.items()) if len(members) > 1]


class SiblingIndex:
    """Where every article with siblings can be read again, and its story: small, fixed data
    per article, never its text. Siblings are read again when an article is audited, and the
    last few read are kept (segmented by the check) for the next versions of the story."""

    def __init__(
        self,
        story_of: dict[str, str],
        location_of: dict[str, object],
        read_at: Callable[[object], Document | None] | None = None,
    ) -> None:
        self.story_of = story_of
        self.location_of = location_of
        self.read_at = read_at
        members: dict[str, list[str]] = defaultdict(list)
        for path, story in story_of.items():
            members[story].append(path)
        self.members = {story: sorted(paths) for story, paths in members.items()}
        self._cache: OrderedDict[str, Document | None] = OrderedDict()

    def siblings(self, doc: Document, limit: int | None = None) -> list[Document]:
        """The other versions of ``doc``'s story, by path, at most ``limit`` of them."""
        story = self.story_of.get(doc.path)
        found: list[Document] = []
        for path in self.members.get(story, ()) if story is not None else ():
            if limit is not None and len(found) >= limit:
                break
            if path != doc.path and (sibling := self._document(path)) is not None:
                found.append(sibling)
        return found

    def _document(self, path: str) -> Document | None:
        if path in self._cache:
            self._cache.move_to_end(path)
            return self._cache[path]
        location = self.location_of.get(path)
        if isinstance(location, Document) or location is None:
            return location
        doc = self.read_at(location) if self.read_at is not None else None
        if doc is not None and doc.path != path:
            doc = None  # the input changed since it was indexed
        self._cache[path] = doc
        if len(self._cache) > CACHED_SIBLINGS:
            self._cache.popitem(last=False)
        return doc

    def __getstate__(self) -> dict:
        # Parallel workers receive the index: the locations, not the texts this process read.
        return {**self.__dict__, "_cache": OrderedDict()}

    def __len__(self) -> int:
        return len(self.story_of)


def build_index(
    read: Callable[[], Iterable[object]],
    threshold: float,
    read_at: Callable[[object], Document | None] | None = None,
    body_threshold: float = 0.0,
) -> SiblingIndex:
    """Index the siblings among the Documents that ``read()`` yields once, bare or as
    ``(document, location)`` pairs (other items, such as input errors, are passed over).
    With locations, siblings are read again through ``read_at(location)`` when needed;
    bare Documents (already in memory: tests, a stream) are kept themselves."""
    location_of: dict[str, object] = {}

    def entries() -> Iterator[tuple[str, str | None, str, tuple[int, ...]]]:
        for item in read():
            doc, location = item if isinstance(item, tuple) else (item, item)
            if isinstance(doc, Document) and location is not None:
                location_of[doc.path] = location
                story = doc.meta.get("story")
                if story:
                    yield doc.path, story, "", ()
                else:
                    yield doc.path, None, lead(doc), body_sketch(doc)

    story_of = group_stories(entries(), threshold, body_threshold)
    location_of = {path: location_of[path] for path in story_of}
    return SiblingIndex(story_of, location_of, read_at)
