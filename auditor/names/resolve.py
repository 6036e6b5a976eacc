"""Deciding which entity a mention names, precision first.

Evidence, strongest first: an accepted spelling; a listed variant nobody else could own; a
listed variant that is also a real name elsewhere ("Schulz") only with an agreeing given name
("Olaf"), the entity already named unambiguously in the article, or a context cue
("Chancellor"); a transliteration-key match; a fuzzy match (reported, never fixed). A given name
that disagrees ("Martin" for Olaf Scholz) rules an entity out, and two candidates that both
survive mean no decision at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .compare import readings
from .gazetteer import Form, Gazetteer, zipf
from .mentions import Mention, Word
from .morphology import Reading, declensions
from .translit import fold, keys, primary_key

AGREE = ("accepted", "variant", "similar", "initial")
FUZZY_MIN = 88.0  # rapidfuzz ratio between skeletons for a NAME004 candidate
MIN_KEY_LENGTH = 5  # shorter skeletons collide by chance ("Xi", "Bas")


@dataclass
class Resolution:
    mention: Mention
    entity: str
    how: str  # "listed" | "key" | "fuzzy"
    form: Form | None
    part: Word  # the surname or place/org spelling in the text
    given: Word | None = None
    given_status: str | None = None  # accepted | variant | similar | initial
    support: list[str] = field(default_factory=list)
    similarity: float = 100.0
    confidence: float = 1.0
    declined: Reading | None = None  # a key match through a declined form: what the ending says

    @property
    def part_is_variant(self) -> bool:
        return self.how != "listed" or (self.form is not None and self.form.kind == "variant")

    @property
    def given_is_variant(self) -> bool:
        return self.given_status == "variant"


def _cue(gazetteer: Gazetteer, entity_id: str, context: str) -> str | None:
    for cue in sorted(gazetteer.entity(entity_id).cues):
        if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", context):
            return cue
    return None


def _split(mention: Mention, form: Form) -> tuple[Word | None, Word]:
    """The given-name and part words of a mention matched by ``form``."""
    if form.given_tokens:
        g = mention.words[: form.given_tokens]
        p = mention.words[form.given_tokens :]
        given = Word(g[0].start, g[-1].end, mention.text[: g[-1].end - mention.start])
        part = Word(p[0].start, p[-1].end, mention.text[p[0].start - mention.start :])
        return given, part
    return mention.given, Word(mention.start, mention.end, mention.text)


@dataclass
class _Candidate:
    form: Form
    given: Word | None
    part: Word
    given_status: str | None


def _candidates(mention: Mention, gazetteer: Gazetteer) -> list[_Candidate]:
    best: dict[str, _Candidate] = {}
    for form in mention.forms:
        given, part = _split(mention, form)
        status = form.given_kind if form.given_tokens else None
        entity = gazetteer.entity(form.entity)
        if status is None and given is not None and entity.type == "person" and not form.alias:
            status = gazetteer.given_agreement(form.entity, given.text)
            if status == "disagree":
                continue
        if entity.type != "person" or form.alias:
            given, status = None, None
        candidate = _Candidate(form, given, part, status)
        old = best.get(form.entity)
        rank = (form.kind == "accepted", form.given_tokens > 0)
        if old is None or rank > (old.form.kind == "accepted", old.form.given_tokens > 0):
            best[form.entity] = candidate
    return [best[k] for k in sorted(best)]


def resolve(
    known: list[Mention], unknown: list[Mention], gazetteer: Gazetteer, sentences: list[str]
) -> list[Resolution]:
    """Resolutions of the mentions of one article (``sentences``: each sentence's text)."""
    contexts = [fold(s) for s in sentences]
    resolved: list[Resolution] = []
    pending: list[tuple[Mention, list[_Candidate]]] = []
    for m in known:
        cands = _candidates(m, gazetteer)
        accepted = [c for c in cands if c.form.kind == "accepted"]
        if len(accepted) == 1:
            resolved.append(_listed(m, accepted[0]))
        elif len(accepted) > 1:
            pending.append((m, accepted))
        elif len(cands) == 1 and (
            not gazetteer.is_ambiguous(cands[0].form) or cands[0].given_status in AGREE
        ):
            resolved.append(_listed(m, cands[0]))
        elif cands:
            pending.append((m, cands))
    # Entities the article names without doubt: evidence for the mentions still open.
    named = {r.entity for r in resolved}
    for m, cands in pending:
        context = contexts[m.sentence_index] if m.sentence_index >= 0 else fold(m.text)
        supported = []
        for c in cands:
            why = []
            if c.form.entity in named:
                why.append("named earlier in the article")
            cue = _cue(gazetteer, c.form.entity, context)
            if cue:
                why.append(f"context: {cue}")
            # Someone else's name ("Schultz") needs more than a cue word: the article must
            # have named the entity itself.
            if why and (c.form.kind == "accepted" or _strong(why)):
                supported.append((c, why))
        if len(supported) == 1:
            c, why = supported[0]
            r = _listed(m, c)
            r.support = why
            r.confidence = 0.9 if c.form.kind == "variant" else 1.0
            resolved.append(r)
    named = {r.entity for r in resolved}
    for m in unknown:
        context = contexts[m.sentence_index] if m.sentence_index >= 0 else fold(m.text)
        r = _derived(m, gazetteer, named, context)
        if r is not None:
            resolved.append(r)
            if r.how == "key":
                named.add(r.entity)
    return sorted(resolved, key=lambda r: (r.mention.start, r.mention.end))


def _listed(m: Mention, c: _Candidate) -> Resolution:
    return Resolution(m, c.form.entity, "listed", c.form, c.part, c.given, c.given_status)


def _derived(m: Mention, gazetteer: Gazetteer, named: set[str], context: str):
    """An unknown name that reads like a known one: by transliteration key, else fuzzily."""
    # Hyphenated surnames and place names are one part ("Lwowa-Belowa").
    first = len(m.words) - 1
    while first > 0 and _gap(m, first) == "-":
        first -= 1
    part = Word(m.words[first].start, m.end, m.text[m.words[first].start - m.start :])
    given = None
    if first > 0:
        g = m.words[first - 1]
        given = Word(g.start, g.end, g.text)
    if len(primary_key(part.text).replace(" ", "")) < MIN_KEY_LENGTH:
        return None
    candidates, met = _by_key(part.text, gazetteer)
    # A given name and surname declined in one case ("Pedra Sáncheze"): the given name as
    # written is a woman's, and the surname's -e no sure ending on its own.
    given_read = {}  # entity: the given name read from the declined one ("Pedra": pedro)
    if given is not None and not any(
        gazetteer.given_agreement(e, given.text) != "disagree" for e in candidates
    ):
        read, declined_met = _by_declined_name(given.text, part.text, gazetteer)
        if read:
            candidates, met, given_read = set(read), declined_met, read
    how, similarity = "key", 100.0
    if not candidates:
        candidates, similarity = gazetteer.fuzzy_entities(part.text, FUZZY_MIN)
        how = "fuzzy"
    found = []
    for entity_id in sorted(candidates):
        entity = gazetteer.entity(entity_id)
        status = None
        if given is not None:
            if entity.type != "person":
                continue
            status = gazetteer.given_agreement(entity_id, given_read.get(entity_id, given.text))
            if status == "disagree":
                continue
        why = []
        if status in AGREE and entity.given:
            why.append(f"given name {given.text}")
        if entity_id in named:
            why.append("named earlier in the article")
        cue = _cue(gazetteer, entity_id, context)
        if cue:
            why.append(f"context: {cue}")
        found.append((entity_id, status, why))
    if len(found) > 1:  # several owners: only the one the article supports
        found = [f for f in found if f[2]]
    if len(found) != 1:
        return None
    entity_id, status, why = found[0]
    rare = zipf(fold(part.text)) < 2.5
    if how == "key" and (rare or _strong(why)):
        confidence = 0.95 if why else 0.85
    elif why:
        how, confidence = "fuzzy", round(0.7 * similarity / 100, 3)
    else:
        return None
    declined = _what_ending(entity_id, met.get(entity_id, []), gazetteer) if how == "key" else None
    return Resolution(
        m, entity_id, how, None, part, given, status, why, similarity, confidence, declined
    )


def _by_key(text: str, gazetteer: Gazetteer) -> tuple[set[str], dict[str, list]]:
    """Entities whose part keys meet ``text``'s as written, else those of a form it may be
    declined from (Putinem, Baerbocková), with ``{entity: [(form, reading)]}`` for the
    endings that met. An English plural is never read as a German genitive ("the Trumps" is
    a family): only a listed non-English spelling takes one (Selenskyjs).
    """
    candidates: set[str] = set()
    for k in keys(text):
        candidates |= gazetteer.part_keys.get(k, set())
    if candidates:
        return candidates, {}
    folded = text.casefold()
    met: dict[str, list] = {}
    for form, reading in declensions(text).items():
        if reading.agree or (form + "s" == folded and not _listed_variant(text[:-1], gazetteer)):
            continue
        for entity_id in _meeting(form, gazetteer):
            met.setdefault(entity_id, []).append((form, reading))
    return set(met), met


def _by_declined_name(given: str, surname: str, gazetteer: Gazetteer):
    """``({entity: given name read}, {entity: [(form, reading)]})``: the entities a given name
    and surname declined in one case are read as (Czech "Pedra Sáncheze", Pedro Sánchez's
    genitive, where the -e alone may be a German surname's own), by the readings the
    clustering uses."""
    given_read: dict[str, str] = {}
    met: dict[str, list] = {}
    for g, form, reading, given_declined in readings(given, surname):
        if not given_declined:
            continue  # as written, or the surname alone: _by_key has read those
        for entity_id in _meeting(form, gazetteer):
            status = gazetteer.given_agreement(entity_id, g)
            if status == "disagree":
                continue  # "Pedr" for Pedro: the reading of another given name
            if given_read.get(entity_id) is None or status == "accepted":
                given_read[entity_id] = g
            met.setdefault(entity_id, []).append((form, reading))
    return given_read, met


def _meeting(form: str, gazetteer: Gazetteer) -> set[str]:
    found: set[str] = set()
    for k in keys(form):
        found |= gazetteer.part_keys.get(k, set())
    return found


def _what_ending(entity_id: str, met: list, gazetteer: Gazetteer) -> Reading | None:
    """One reading for the endings that met an entity: those that give one of its listed
    spellings by letters where there are any ("Putinem": Putin, instrumental; not a "Putine"
    in the locative), every case and language they allow, so a message claims no more than
    the ending says."""
    listed = [r for form, r in met if any(f.entity == entity_id for f in gazetteer.lookup(form))]
    chosen = listed or [r for _, r in met]
    if not chosen:
        return None
    return Reading(
        chosen[0].kind,
        frozenset().union(*(r.cases for r in chosen)),
        all(r.agree for r in chosen),
        frozenset().union(*(r.given_cases for r in chosen)),
        frozenset().union(*(r.languages for r in chosen)),
        all(r.possessive for r in chosen),
    )


def _listed_variant(text: str, gazetteer: Gazetteer) -> bool:
    """Is ``text`` a spelling the gazetteer lists as another language's (Selenskyj)?"""
    return any(f.kind == "variant" for f in gazetteer.lookup(text))


def _strong(why: list[str]) -> bool:
    """Support that identifies an entity, not just its field: a given name or the article."""
    return any(not w.startswith("context:") for w in why)


def _gap(m: Mention, i: int) -> str:
    """The text between word ``i - 1`` and word ``i`` of a mention."""
    return m.text[m.words[i - 1].end - m.start : m.words[i].start - m.start]
