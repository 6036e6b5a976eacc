"""``auditor rule CODE`` / ``auditor rule --all``: what a rule finds, with its examples.

As ``ruff rule``: the rule's code, name, family and check, severity, MQM category and help, then
its examples (an article it fires on, with the text it flags and the fix it offers, and one it
leaves alone). ``--format markdown`` gives one table per family and the examples (the README's
rule tables are these tables), ``--format json`` a list of rules, each with its examples.
"""

from __future__ import annotations

import json
import sys

from ..errors import UsageError

FORMATS = ("text", "markdown", "json")


def register(sub) -> None:
    p = sub.add_parser("rule", help="explain a rule code, with examples")
    p.add_argument("code", nargs="?", metavar="CODE", help="a rule code, e.g. NAME001")
    p.add_argument("--all", action="store_true", help="every rule")
    p.add_argument("--format", "-f", choices=FORMATS, default="text")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.all == bool(args.code):
        raise UsageError("give a rule code or --all")
    selected = selected_rules(args.code)
    if args.format == "json":
        rows = [rule_dict(f, r) for f, rules in selected for r in rules]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write("\n".join(markdown(f, rules) for f, rules in selected))
    else:
        sys.stdout.write("\n".join(text(f, r) for f, rules in selected for r in rules))
    return 0


def selected_rules(code: str | None = None) -> list[tuple]:
    """(family, its rules) in report order: every rule, or the one named ``code``."""
    from .. import registry

    families = registry.families()
    if code:
        found = registry.rule(code.upper())
        if found is None:
            known = ", ".join(f.prefix for f in families)
            raise UsageError(f"unknown rule code '{code}' (families: {known})")
        families = tuple(f for f in families if f.owns(code.upper()))
        chosen = {code.upper()}
    else:
        chosen = {r.code for f in families for r in f.rules}
    ordered = [registry.family_of(p) for p in registry.family_order(f.prefix for f in families)]
    return [(f, [r for r in f.rules if r.code in chosen]) for f in ordered if f in families]


def all_rule_dicts() -> list[dict]:
    """Every rule as data: what ``auditor rule --all --format json`` prints."""
    return [rule_dict(f, r) for f, rules in selected_rules() for r in rules]


def rule_dict(family, rule) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "family": family.prefix,
        "family_title": family.title,
        "check": rule.check,
        "severity": rule.severity,
        "mqm_category": rule.mqm_category,
        "statistical": rule.statistical,
        "needs_language_model": family.uses_lm,
        "help": rule.help,
        "examples": [e.to_dict() for e in rule.examples],
    }


def table(family, rules) -> str:
    """The family's rules as a Markdown table (as the README shows them)."""
    lines = ["| rule | severity | what |", "|---|---|---|"]
    lines += [f"| {r.code} | {r.severity} | {r.help} |" for r in rules]
    return "\n".join(lines) + "\n"


def _found_by(family) -> str:
    from .. import registry

    if any(c.family is family for c in registry.check_classes()):
        lm = ", with the language model" if family.uses_lm else ""
        return f"found by the {family.check} check{lm}"
    return f"reported by the pipeline itself ({family.check})"


def markdown(family, rules) -> str:
    out = [f"## {family.prefix}: {family.title}, {_found_by(family)}", "", table(family, rules)]
    for rule in rules:
        for example in rule.examples:
            out.append(f"**{rule.code}** {_verdict(example)}:")
            out.append("")
            out.append(_fenced(example.text))
            out.extend(f"{line}\n" for line in _context(example))
    return "\n".join(out)


def text(family, rule) -> str:
    import textwrap

    weighted = "; its penalty is weighted by confidence" if rule.statistical else ""
    out = [
        f"{rule.code} ({rule.name}): {family.prefix} {family.title}, {_found_by(family)}",
        textwrap.fill(rule.help, 100, initial_indent="  ", subsequent_indent="  "),
        f"  severity {rule.severity}; MQM category {rule.mqm_category}{weighted}",
    ]
    for example in rule.examples:
        out.append("")
        out.append(f"  Example: {_verdict(example)}")
        out.extend(f"    | {line}" for line in example.text.splitlines())
        out.extend(f"  {line}" for line in _context(example))
    return "\n".join(out) + "\n"


def _verdict(example) -> str:
    if not example.fires:
        return "left alone"
    where = f"flags {json.dumps(example.flags, ensure_ascii=False)}" if example.flags else "fires"
    if example.fix is None:
        return f"{where}, no suggestion"
    fix = (
        "delete it"
        if example.fix == ""
        else f"suggests {json.dumps(example.fix, ensure_ascii=False)}"
    )
    return f"{where}, {fix}"


def _context(example) -> list[str]:
    lines = []
    if example.reference is not None:
        lines.append(f"against the reference: {json.dumps(example.reference, ensure_ascii=False)}")
    for sibling in example.siblings:
        lines.append(f"beside the sibling version: {json.dumps(sibling, ensure_ascii=False)}")
    for key, value in example.settings.items():
        lines.append(f"with {key} = {value!r}")
    if example.fault:
        lines.append(f"when the {example.fault} check fails on it")
    return lines


def _fenced(text: str) -> str:
    return f"```\n{text}\n```\n"
