"""NAME: name variants from other languages' transliterations, MT slips, off-style spellings and
one entity spelled two ways in one article.

The gazetteer (``corpora/names/gazetteer.yaml``) and the house style (``corpora/styles/``, chosen
by ``config.style``: a built-in name or a YAML file) are data; matching and the precision rules
live in ``auditor.names``. Replacements are exact strings for the flagged span, so ``auditor
fix`` can apply NAME001 and NAME002 as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from itertools import combinations

from ..document import Document, Finding
from ..errors import ConfigError
from ..names.gazetteer import ORIGINS, Gazetteer, GazetteerError, load_gazetteer
from ..names.mentions import sentence_mentions
from ..names.morphology import CASE, FEMININE, Reading, declensions, describe
from ..names.resolve import Resolution, resolve
from ..names.style import Style, StyleError, load_style
from ..names.translit import fold, similarity
from ..rules import Example, Family, Rule
from ..spans import SpanSet
from . import NOTHING, Check, Handover, NameSpelling

CHECK = "names"
FAMILY = Family(
    prefix="NAME",
    check=CHECK,
    title="names",
    color="#0072B2",
    order=10,
    reads=("BOIL",),
    rules=(
        Rule("NAME001", CHECK, "name-variant", "Terminology/Wrong term", "minor",
             "A known variant of a name (another language's transliteration, a declined form "
             "copied from the source, or an MT slip); the replacement is the house-style "
             "spelling, and a German genitive's is the English possessive (Selenskyjs plan: "
             "Zelenskyy's plan). Major when the spelling is an MT slip or someone else's name "
             "(Olaf Schulz).",
             examples=(
                 Example("Selenskyj met the Polish president in Warsaw to discuss air defence.",
                         flags="Selenskyj", fix="Zelenskyy"),
                 Example("The Polish president met Zełenskiego in Warsaw to discuss air defence.",
                         flags="Zełenskiego", fix="Zelenskyy"),
                 Example("Zelenskyy met the Polish president in Warsaw to discuss air defence."),
             )),
        Rule("NAME002", CHECK, "off-style-spelling", "Locale convention/Name format", "minor",
             "An accepted English spelling the house style does not use (Kiev in AP copy).",
             examples=(
                 Example("The talks in Kiev ended on Monday without an agreement.",
                         flags="Kiev", fix="Kyiv"),
                 Example("The talks in Kyiv ended on Monday without an agreement."),
             )),
        Rule("NAME003", CHECK, "inconsistent-spelling", "Fluency/Inconsistency", "minor",
             "One entity spelled more than one way in the same article.",
             examples=(
                 Example("Zelenskyy spoke first. Later, Zelensky said the talks would go on.",
                         flags="Zelensky", fix="Zelenskyy"),
                 Example("Zelenskyy spoke first. Later, Zelenskyy said the talks would go on."),
             )),
        Rule("NAME004", CHECK, "possible-variant", "Terminology/Wrong term", "minor",
             "An unknown name that looks like a variant of a known one; check it, no automatic "
             "fix.", statistical=True,
             examples=(
                 Example("NATO Secretary General Jens Stoltenbarg spoke in Brussels.",
                         flags="Stoltenbarg"),
                 Example("NATO Secretary General Jens Stoltenberg spoke in Brussels."),
             )),
    ),
)  # fmt: skip
# Skeleton similarity above which two spellings are one name written two ways (NAME003).
SAME_NAME_SIMILARITY = 75.0


def _load_style(config, gazetteer: Gazetteer) -> Style:
    try:
        return load_style(config.style or "ap", gazetteer.entities)
    except StyleError as exc:
        raise ConfigError(str(exc)) from exc


def _load_gazetteer() -> Gazetteer:
    try:
        return load_gazetteer()
    except GazetteerError as exc:
        raise ConfigError(str(exc)) from exc


def _same_case(replacement: str, doc: Document, r: Resolution) -> str:
    """The replacement in capitals where the line is in capitals ("SELENSKYJ SPEAKS")."""
    return replacement.upper() if _shouting(doc, r) else replacement


def _shouting(doc: Document, r: Resolution) -> bool:
    """Is the mention in an all-capitals line, where case says nothing about spelling?"""
    index = r.mention.sentence_index
    text = doc.sentences[index].text if 0 <= index < len(doc.sentences) else r.part.text
    return not any(ch.islower() for ch in text)


def _spelling(doc: Document, r: Resolution, text: str | None = None) -> str:
    """How a mention is spelled, for comparisons: exactly, since case is style (NATO, Nato),
    except in all-capitals lines, where the gazetteer's spelling stands in. ``text``, a
    spelling from the gazetteer or the style, is taken as it is."""
    if text is not None:
        return text
    if not _shouting(doc, r):
        return r.part.text
    if r.form is not None and fold(r.form.part) == fold(r.part.text):
        return r.form.part
    return fold(r.part.text)


def _respelled(spellings: Counter) -> bool:
    """Are two of these one name spelled differently (Kiev, Kyiv), not two names of one thing
    (UN, United Nations; Élysée, Élysée Palace)?"""
    return any(
        similarity(a, b) >= SAME_NAME_SIMILARITY for a, b in combinations(sorted(spellings), 2)
    )


def _ending(reading: Reading) -> str:
    """What an ending copied from the source says, no more surely than the ending does."""
    return describe(reading.kind, reading.cases, reading.languages) + " ending"


def _variant_kind(r: Resolution, source_lang: str | None) -> str:
    if r.declined is not None and r.declined.kind == FEMININE:
        return f"is a woman's form ({_ending(r.declined)}) of"
    if r.declined is not None:
        return f"is a declined form ({_ending(r.declined)}) of"
    if r.how == "key":
        return "reads as a transliteration of"
    origins = r.form.origins if r.form is not None else ()
    if source_lang in origins:
        origins = (source_lang,)
    if origins and origins[0] == "mt":
        return "is a misspelling of"
    if origins and origins[0] == "old":
        return "is a dated spelling of"
    languages = [ORIGINS[o] for o in origins if o not in ("mt", "old")]
    if not languages:
        return "is a variant of"
    shown = " or ".join(
        [", ".join(languages[:-1]), languages[-1]] if len(languages) > 1 else languages
    )
    return f"is the {shown} spelling of"


class NamesCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.gazetteer: Gazetteer = resources.get("names.gazetteer", _load_gazetteer)
        key = f"names.style:{config.style}"
        self.style: Style = resources.get(key, lambda: _load_style(config, self.gazetteer))

    def resolutions(self, doc: Document, earlier: Handover = NOTHING) -> list[Resolution]:
        """The name mentions of ``doc`` this check resolved to gazetteer entities."""
        known, unknown = sentence_mentions(doc, self.gazetteer)
        blocked = self.style.exception_spans(doc.text)
        # Debris another check deletes (related links, page chrome) is not worth a name
        # finding; captions and credit lines (minor) are often kept, so their names count.
        blocked += [(d.start, d.end) for d in earlier.debris if d.deleted]

        taken = SpanSet(blocked)
        known = [m for m in known if not taken.overlaps(m.start, m.end)]
        unknown = [m for m in unknown if not taken.overlaps(m.start, m.end)]
        return resolve(known, unknown, self.gazetteer, [s.text for s in doc.sentences])

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        resolutions = self.resolutions(doc, earlier)
        findings: list[Finding] = []
        fixed_entities: set[str] = set()
        # A declined form NAME001 fixes is grammar copied from the source, not a second
        # spelling the article settles on: NAME003 leaves it out (a real mix still counts).
        declined: set[int] = set()
        for r in resolutions:
            finding = self._finding(doc, r)
            if finding is not None:
                findings.append(finding)
                if finding.rule in ("NAME001", "NAME002"):
                    fixed_entities.add(r.entity)
                if finding.rule == "NAME001" and "declined" in finding.evidence:
                    declined.add(id(r))
        rest = [r for r in resolutions if id(r) not in declined]
        findings += self._inconsistent(doc, rest, fixed_entities)
        return sorted(findings, key=lambda f: (f.start, f.end, f.rule))

    def hand_on(self, doc: Document, findings: list[Finding]) -> Handover:
        """The findings, and each flagged spelling with the languages that write it so."""
        names = tuple(
            NameSpelling(f.start, f.end, f.text, tuple(f.evidence.get("origins", ())))
            for f in findings
        )
        return Handover(flagged=tuple(findings), names=names)

    def _preferred(self, entity_id: str) -> tuple[str, str | None]:
        entity = self.gazetteer.entity(entity_id)
        part = self.style.prefer.get(entity_id, entity.canonical_part)
        given = self.style.prefer_given.get(entity_id, entity.canonical_given)
        return part, given

    def _evidence(self, r: Resolution, **extra) -> dict:
        entity = self.gazetteer.entity(r.entity)
        evidence = {
            "entity": entity.id,
            "type": entity.type,
            "canonical": entity.name,
            "match": r.how,
            "style": self.style.name,
        }
        if r.form is not None and r.form.origins:
            evidence["origins"] = list(r.form.origins)
        if r.support:
            evidence["support"] = list(r.support)
        if r.how != "listed":
            evidence["similarity"] = round(r.similarity, 1)
        evidence.update(extra)
        return evidence

    def _finding(self, doc: Document, r: Resolution) -> Finding | None:
        entity = self.gazetteer.entity(r.entity)
        part, given = self._preferred(r.entity)
        if r.form is not None and r.form.alias:
            return None
        if r.how == "fuzzy":
            return doc.finding(
                FAMILY.rule("NAME004"),
                r.part.start,
                r.part.end,
                f"'{r.part.text}' looks like a variant of {entity.name} "
                f"(similarity {r.similarity:.0f}); check the spelling",
                confidence=r.confidence,
                evidence=self._evidence(r),
            )
        declined_given = self._declined_given(r)
        if r.part_is_variant or r.given_is_variant or declined_given is not None:
            return self._variant(doc, r, part, given, declined_given)
        if (
            r.entity in self.style.prefer
            and _spelling(doc, r) != part
            and _same_case(part, doc, r) != r.part.text
        ):
            return doc.finding(
                FAMILY.rule("NAME002"),
                r.part.start,
                r.part.end,
                f"{self.style.title} writes {part}, not {r.part.text}",
                replacements=[_same_case(part, doc, r)],
                evidence=self._evidence(r),
            )
        return None

    def _variant(
        self, doc: Document, r: Resolution, part: str, given: str | None, declined_given=None
    ):
        entity = self.gazetteer.entity(r.entity)
        start, end = r.part.start, r.part.end
        off_style = r.entity in self.style.prefer and fold(r.part.text) != fold(part)
        replacement = _same_case(part, doc, r) if r.part_is_variant or off_style else r.part.text
        if r.part_is_variant and r.declined is not None and r.declined.possessive:
            # A German genitive (Selenskyjs Plan) is what English writes as Zelenskyy's.
            replacement += _same_case("'s", doc, r)
        respell = declined_given is not None or self._respell_given(r, given or "")
        if r.given is not None and given and respell:
            start = r.given.start
            between = doc.text[r.given.end : r.part.start]
            replacement = _same_case(given, doc, r) + between + replacement
        if replacement == doc.text[start:end]:
            return None
        wrong = doc.text[start:end]
        if r.part_is_variant:
            why = _variant_kind(r, doc.meta.get("source_lang"))
        elif declined_given is not None:
            why = f"has a declined given name ({_ending(declined_given)}) for"
        else:
            why = "has a variant given name for"
        declined = r.declined if r.part_is_variant else declined_given
        extra = {} if declined is None else {"declined": _ending(declined)}
        message = f"'{wrong}' {why} {entity.name}; {self.style.title} writes {replacement}"
        # A reader still recognizes Selenskyj; Olaf Schulz or Zhelensky misleads or garbles.
        slip = r.form is not None and (
            "mt" in r.form.origins or (r.part_is_variant and self.gazetteer.is_ambiguous(r.form))
        )
        return doc.finding(
            FAMILY.rule("NAME001"),
            start,
            end,
            message,
            replacements=[replacement],
            confidence=r.confidence,
            evidence=self._evidence(r, **extra),
            severity="major" if slip else "minor",
        )

    def _declined_given(self, r: Resolution) -> Reading | None:
        """What the ending says when the given name is the entity's declined, by letters
        (Polish "Giorgii Meloni" for Giorgia Meloni), though the surname is as it should be."""
        if r.given is None or r.given_status != "similar":
            return None
        names = {fold(g) for g in self.gazetteer.entity(r.entity).given}
        for form, reading in declensions(r.given.text).items():
            if reading.kind == CASE and reading.given_cases and fold(form) in names:
                return replace(reading, cases=reading.given_cases)
        return None

    @staticmethod
    def _respell_given(r: Resolution, given: str) -> bool:
        """Write the house-style given name too? For a variant given name (Wolodymyr), and
        for any spelling of it but the house's when the surname is being respelled anyway:
        "Dmitri Peskow" becomes "Dmitry Peskov", the whole name as the house writes it. An
        initial stays an initial."""
        if r.given_is_variant:
            return True
        return (
            r.part_is_variant
            and r.given_status in ("accepted", "similar")
            and fold(r.given.text) != fold(given)
        )

    def _inconsistent(self, doc: Document, resolutions, fixed: set[str]) -> list[Finding]:
        by_entity: dict[str, list[Resolution]] = defaultdict(list)
        for r in resolutions:
            if r.how != "fuzzy" and not (r.form is not None and r.form.alias):
                by_entity[r.entity].append(r)
        findings = []
        for entity_id, rs in sorted(by_entity.items()):
            spellings = Counter(_spelling(doc, r) for r in rs)
            givens = Counter(fold(r.given.text) for r in rs if r.given is not None)
            if not _respelled(spellings) and not _respelled(givens):
                continue
            entity = self.gazetteer.entity(entity_id)
            if _respelled(spellings):
                target = self._consistent_target(doc, entity_id, rs, spellings)
                odd = next(r for r in rs if _spelling(doc, r) != target)
                where, shown = odd.part, self._shown(doc, rs, target)
                ranked = sorted(spellings.items(), key=lambda item: (-item[1], item[0]))
                counts = ", ".join(f"{self._shown(doc, rs, s)} ({n})" for s, n in ranked)
            else:  # the surname is steady, the given name is not (Dmitry, Dmitri)
                target = fold(self._preferred(entity_id)[1] or "")
                if target not in givens:
                    target = min(givens, key=lambda g: (-givens[g], g))
                odd = next(r for r in rs if r.given is not None and fold(r.given.text) != target)
                where = odd.given
                shown = next(
                    r.given.text for r in rs if r.given is not None and fold(r.given.text) == target
                )
                ranked = sorted(givens.items(), key=lambda item: (-item[1], item[0]))
                counts = ", ".join(f"{g} ({n})" for g, n in ranked)
            severity = "neutral" if entity_id in fixed else "minor"
            findings.append(
                doc.finding(
                    FAMILY.rule("NAME003"),
                    where.start,
                    where.end,
                    f"{entity.name} is spelled more than one way in this article: {counts}",
                    replacements=[_same_case(shown, doc, odd)],
                    severity=severity,
                    evidence={
                        "entity": entity_id,
                        "spellings": dict(sorted(spellings.items())),
                        "given_names": dict(sorted(givens.items())),
                    },
                )
            )
        return findings

    def _consistent_target(self, doc, entity_id: str, rs, spellings: Counter) -> str:
        """The spelling the article should settle on: the house style's, the canonical one
        when any mention is a variant, else the one the article uses most (first on ties)."""
        part, _ = self._preferred(entity_id)
        preferred = _spelling(doc, rs[0], part)
        if (
            entity_id in self.style.prefer
            or preferred in spellings
            or any(r.part_is_variant for r in rs)
        ):
            return preferred
        first_seen = {_spelling(doc, r): i for i, r in reversed(list(enumerate(rs)))}
        return min(spellings, key=lambda s: (-spellings[s], first_seen[s]))

    def _shown(self, doc, rs, spelling: str) -> str:
        for r in rs:
            if _spelling(doc, r) == spelling:
                return r.part.text
        return self._preferred(rs[0].entity)[0]
