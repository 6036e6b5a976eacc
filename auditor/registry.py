"""The one list of rule families, and what the rest of the tool asks of it.

Each family is declared once, in its check module (``FAMILY``: prefix, check, title, colour,
order, rules; see ``auditor.rules.Family``), and the check class carries it. ``CHECKS`` lists the
checks in the order they run: adding a family is its module plus one line here. Scoring,
reports (colours, titles, column order), the configuration's selection and the signature all
read the declarations through this module.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .rules import OTHER_COLOR, Family, Rule

if TYPE_CHECKING:
    from .checks import Check
    from .config import Config

# "module:CheckClass", in the order the checks run (a check reads what the ones before found).
CHECKS = (
    "auditor.checks.boilerplate:BoilerplateCheck",
    "auditor.checks.names:NamesCheck",
    "auditor.checks.language:LanguageCheck",
    "auditor.checks.lexicon:LexiconCheck",
    "auditor.checks.mechanics:MechanicsCheck",
    "auditor.checks.encoding:EncodingCheck",
    "auditor.checks.fluency:FluencyCheck",
    "auditor.checks.reference:ReferenceCheck",
)
# Families of findings the pipeline makes itself (an article cut, a check out of time).
PIPELINE = ("auditor.limits:FAMILY",)


def _load(entry: str):
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


def check_classes() -> tuple[type[Check], ...]:
    """Every check class, in the order they run."""
    return _check_classes(CHECKS)


def families() -> tuple[Family, ...]:
    """Every family: the checks' in the order they run, then the pipeline's."""
    return _families(CHECKS, PIPELINE)


def family_of(prefix: str) -> Family | None:
    return _index(CHECKS, PIPELINE)[0].get(prefix)


def all_rules() -> dict[str, Rule]:
    """Every rule by code, family by family."""
    return dict(_index(CHECKS, PIPELINE)[1])


def rule(code: str) -> Rule | None:
    return _index(CHECKS, PIPELINE)[1].get(code)


# Cached by the lists themselves, so a test that adds a line to CHECKS sees its family.
@functools.cache
def _check_classes(checks: tuple[str, ...]) -> tuple[type[Check], ...]:
    return tuple(_load(entry) for entry in checks)


@functools.cache
def _families(checks: tuple[str, ...], pipeline: tuple[str, ...]) -> tuple[Family, ...]:
    found = (*(c.family for c in _check_classes(checks)), *(_load(e) for e in pipeline))
    prefixes = [f.prefix for f in found]
    for f in found:
        if prefixes.count(f.prefix) > 1 or any(
            p != f.prefix and (p.startswith(f.prefix) or f.prefix.startswith(p)) for p in prefixes
        ):
            raise ValueError(f"family prefix {f.prefix} is not unique")
    return found


@functools.cache
def _index(checks, pipeline) -> tuple[dict[str, Family], dict[str, Rule]]:
    found = _families(checks, pipeline)
    return {f.prefix: f for f in found}, {r.code: r for f in found for r in f.rules}


def runs(family: Family, config: Config) -> bool:
    """Does the configuration run this family's check? (Some rule of it may be selected, and
    the language model is on if the check needs it.)"""
    return config.wants_prefix(family.prefix) and (config.lm or not family.uses_lm)


def checks_for(config: Config) -> list[type[Check]]:
    """The check classes the configuration runs, in order. Only then are their models loaded
    (a run without the language model never imports torch)."""
    return [c for c in check_classes() if runs(c.family, config)]


def family_order(seen: Iterable[str] = ()) -> list[str]:
    """Family prefixes in the order reports list them: the declared order, then any other
    prefix in ``seen`` (an unordered family, a code from an older run) alphabetically."""
    ordered = [f.prefix for f in sorted(families(), key=_order) if f.order is not None]
    return [*ordered, *sorted(set(seen) - set(ordered))]


def _order(family: Family) -> int:
    return family.order if family.order is not None else 0


def color(prefix: str) -> str:
    """A family's colour in HTML pages and charts."""
    found = family_of(prefix)
    return found.color if found is not None else OTHER_COLOR


def title(prefix: str) -> str:
    """What reports call a family ("NAME": "names", "BOIL": "debris")."""
    found = family_of(prefix)
    return found.title if found is not None else prefix.lower()
