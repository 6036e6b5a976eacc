"""The gazetteer: reviewed entities (people, places, organisations) with their accepted English
spellings, known variants by language of origin, given names and context cues.

The data is ``corpora/names/gazetteer.yaml``; this module validates it and builds the lookups
the names check and the clustering share: exact forms (case-folded), transliteration keys of
surnames and place names, and the given names of each person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from ..paths import corpora_dir, parse_yaml
from .compare import CASE, SAME, given_relation
from .translit import fold, keys

TYPES = ("person", "place", "org")
# Where a variant spelling comes from, for messages.
ORIGINS = {
    "de": "German",
    "fr": "French",
    "it": "Italian",
    "es": "Spanish",
    "pl": "Polish",
    "cs": "Czech",
    "sk": "Slovak",
    "no": "Norwegian",
    "sv": "Swedish",
    "da": "Danish",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "fi": "Finnish",
    "hu": "Hungarian",
    "tr": "Turkish",
    "ro": "Romanian",
    "sr": "Serbian",
    "et": "Estonian",
    "mt": "machine-translation",
    "old": "dated",
}
# A variant this frequent as an English word (wordfreq Zipf scale) may be someone else's name
# ("Schulz", "Schultz"), so it is only merged with given-name or context support.
AMBIGUOUS_ZIPF = 2.5


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name: str
    given: tuple[str, ...] = ()
    surname: tuple[str, ...] = ()  # persons: accepted surname spellings, canonical first
    accepted: tuple[str, ...] = ()  # places/orgs: accepted English spellings besides the name
    aliases: tuple[str, ...] = ()  # other accepted full forms ("Xi Jinping", "Lula")
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)  # spelling -> origins
    given_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cues: frozenset[str] = frozenset()
    source: str = ""

    @property
    def canonical_part(self) -> str:
        """The spelling a variant is replaced by when no house style says otherwise."""
        return self.surname[0] if self.type == "person" and self.surname else self.name

    @property
    def canonical_given(self) -> str | None:
        return self.given[0] if self.given else None

    @property
    def accepted_parts(self) -> tuple[str, ...]:
        if self.type == "person":
            return self.surname
        return (self.name, *self.accepted)


@dataclass(frozen=True)
class Form:
    """One spelling in the index: what entity it names and how."""

    entity: str
    kind: str  # "accepted" | "variant"
    part: str  # the surname or place/org spelling as the gazetteer writes it
    origins: tuple[str, ...] = ()  # languages (or "mt", "old") a variant comes from
    given: str | None = None  # the given name the form starts with, if any
    given_kind: str | None = None  # "accepted" | "variant"
    given_tokens: int = 0  # how many words of the matched text are the given name
    alias: bool = False  # a whole accepted form ("Xi Jinping"): no part to replace


class GazetteerError(ValueError):
    pass


class Gazetteer:
    def __init__(self, entities: list[Entity], titles: set[str], path: str = "") -> None:
        self.path = path
        self.entities = {e.id: e for e in entities}
        self.titles = {fold(t) for t in titles}
        self.forms: dict[str, list[Form]] = defaultdict(list)
        self.part_keys: dict[str, set[str]] = defaultdict(set)  # key -> entity ids
        self.given_names: set[str] = set()
        for e in entities:
            self._index(e)
        self.max_words = max((len(f.split()) for f in self.forms), default=1)

    def _add(self, text: str, form: Form) -> None:
        hits = self.forms[fold(text)]
        if form not in hits:
            hits.append(form)

    def _index(self, e: Entity) -> None:
        parts = [(p, "accepted", ()) for p in e.accepted_parts]
        parts += [(p, "variant", origins) for p, origins in e.variants.items()]
        givens = [(g, "accepted") for g in e.given]
        givens += [(g, "variant") for g in e.given_variants]
        for part, kind, origins in parts:
            self._add(part, Form(e.id, kind, part, origins))
            for key in keys(part):
                self.part_keys[key].add(e.id)
            for given, given_kind in givens:
                self._add(
                    f"{given} {part}",
                    Form(e.id, kind, part, origins, given, given_kind, len(given.split())),
                )
        for alias in e.aliases:
            self._add(alias, Form(e.id, "accepted", alias, alias=True))
        for given, _ in givens:
            self.given_names.add(fold(given))

    def lookup(self, text: str) -> list[Form]:
        return self.forms.get(fold(text), [])

    def entity(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    @cached_property
    def _accepted_forms(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for text, forms in self.forms.items():
            for f in forms:
                if f.kind == "accepted":
                    out[text].add(f.entity)
        return out

    @cached_property
    def _fuzzy_choices(self) -> tuple[list[str], list[set[str]]]:
        ordered = sorted(self.part_keys)
        return ordered, [self.part_keys[k] for k in ordered]

    def fuzzy_entities(self, text: str, cutoff: float) -> tuple[set[str], float]:
        """Entities whose part skeletons are closest to ``text``'s (at or above ``cutoff``)."""
        from rapidfuzz import fuzz, process

        choices, owners = self._fuzzy_choices
        best, found = 0.0, set()
        for key in sorted(keys(text)):
            for _, score, index in process.extract(
                key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=10
            ):
                if score > best:
                    best, found = score, set(owners[index])
                elif score == best:
                    found |= owners[index]
        return found, best

    def is_ambiguous(self, form: Form) -> bool:
        """Could this variant spelling name someone or something else?"""
        folded = fold(form.part)
        if self._accepted_forms.get(folded, set()) - {form.entity}:
            return True
        if " " in folded:
            return False
        return zipf(folded) >= AMBIGUOUS_ZIPF

    def given_agreement(self, entity_id: str, token: str) -> str:
        """'accepted', 'variant', 'similar', 'initial' or 'disagree' for a given name."""
        e = self.entities[entity_id]
        folded = fold(token).rstrip(".")
        if not e.given:
            return "similar"  # nothing to disagree with (mononyms, aliases)
        if folded in {fold(g) for g in e.given}:
            return "accepted"
        if folded in {fold(g) for g in e.given_variants}:
            return "variant"
        if len(folded) == 1:
            return "initial" if any(fold(g)[0] == folded for g in e.given) else "disagree"
        # Another transliteration, a declined form or a short form (Dymitr, Wołodymyra,
        # Joe); a woman's form of the name (Jana for Jan) is someone else.
        for g in (*e.given, *e.given_variants):
            if given_relation(token, g) in (SAME, CASE):
                return "similar"
        return "disagree"


def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GazetteerError(f"{where}: expected a list of strings")
    return tuple(value)


def _variants(value, where: str) -> dict[str, tuple[str, ...]]:
    """``{de: [Kiew], pl: [Kijów, Kiew]}`` -> ``{"Kiew": ("de", "pl"), "Kijów": ("pl",)}``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise GazetteerError(f"{where}: variants must map a language code to spellings")
    out = {}
    for origin, spellings in value.items():
        if origin not in ORIGINS:
            hint = ' (quote it: "no")' if origin is False else ""
            raise GazetteerError(f"{where}: unknown variant origin '{origin}'{hint}")
        for s in _strings(spellings, where):
            out[s] = (*out.get(s, ()), origin)
    return out


def parse_entity(raw: dict, where: str) -> Entity:
    if not isinstance(raw, dict) or "id" not in raw:
        raise GazetteerError(f"{where}: every entity needs an id")
    where = f"{where}: entity '{raw['id']}'"
    for key in ("type", "name", "source"):
        if not raw.get(key):
            raise GazetteerError(f"{where}: missing '{key}'")
    if raw["type"] not in TYPES:
        raise GazetteerError(f"{where}: type must be one of {', '.join(TYPES)}")
    unknown = set(raw) - {
        "id",
        "type",
        "name",
        "given",
        "surname",
        "accepted",
        "aliases",
        "variants",
        "given_variants",
        "cues",
        "source",
    }
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    surname = _strings(raw.get("surname"), where)
    if raw["type"] == "person" and not surname and not raw.get("aliases"):
        raise GazetteerError(f"{where}: a person needs a surname or aliases")
    return Entity(
        id=raw["id"],
        type=raw["type"],
        name=raw["name"],
        given=_strings(raw.get("given"), where),
        surname=surname,
        accepted=_strings(raw.get("accepted"), where),
        aliases=_strings(raw.get("aliases"), where),
        variants=_variants(raw.get("variants"), where),
        given_variants=_variants(raw.get("given_variants"), where),
        cues=frozenset(fold(c) for c in _strings(raw.get("cues"), where)),
        source=str(raw["source"]),
    )


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    path = path or corpora_dir() / "names" / "gazetteer.yaml"
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise GazetteerError(f"{path}: expected a mapping with an 'entities' list")
    entities = [parse_entity(raw, str(path)) for raw in data["entities"]]
    seen: set[str] = set()
    for e in entities:
        if e.id in seen:
            raise GazetteerError(f"{path}: duplicate entity id '{e.id}'")
        seen.add(e.id)
    titles = data.get("titles") or ""
    if not isinstance(titles, str):
        raise GazetteerError(f"{path}: 'titles' is a block of words")
    return Gazetteer(entities, set(titles.split()), str(path))
