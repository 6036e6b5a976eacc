"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, GitLab, IDE viewers).

One run; the driver lists every known rule with its help text, each result points at the rule
by id and index, carries a stable ``partialFingerprints`` entry (so a finding keeps its alert
across commits when lines move) and a region in Unicode code points. URIs are relative to the
repository root under the ``%SRCROOT%`` base id, as code scanning expects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..changes import repo_root
from ..document import DocumentResult, Finding
from ..rules import Rule
from ..version import __version__
from . import Reporter, relative_path
from .json import dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"neutral": "note", "minor": "warning", "major": "error", "critical": "error"}
FINGERPRINT_KEY = "auditorFingerprint/v1"
BASE_ID = "%SRCROOT%"


def uri_of(path: str) -> str:
    """A URI reference for a report path: relative stays relative, absolute becomes file://."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(path, safe="/")


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    name = "".join(part.capitalize() for part in rule.name.replace("_", "-").split("-"))
    help_text = (
        f"{rule.help}\n\nCheck: {rule.check}. MQM category: {rule.mqm_category}. "
        f"Default severity: {rule.severity}."
    )
    help_markdown = (
        f"**{rule.code}** ({rule.name}): {rule.help}\n\n"
        f"- check: `{rule.check}`\n- MQM category: {rule.mqm_category}\n"
        f"- default severity: {rule.severity}"
        + ("\n- statistical: the penalty is weighted by confidence" if rule.statistical else "")
    )
    return {
        "id": rule.code,
        "name": name or rule.code,
        "shortDescription": {"text": rule.help},
        "fullDescription": {"text": rule.help},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {
            "tags": [rule.check, rule.mqm_category],
            "mqm_category": rule.mqm_category,
            "severity": rule.severity,
        },
    }


def _fallback_rule(finding: Finding) -> Rule:
    return Rule(finding.rule, finding.check, finding.rule.lower(), finding.mqm_category,
                finding.severity, finding.message)  # fmt: skip


class SarifReporter(Reporter):
    name = "sarif"
    extension = "sarif"

    def render(self, results: list[DocumentResult]) -> str:
        root = repo_root(self.ctx.root) or self.ctx.root.resolve()
        rules = dict(self.ctx.rules)
        for result in results:
            for f in result.findings:
                rules.setdefault(f.rule, _fallback_rule(f))
        codes = sorted(rules)
        index = {code: i for i, code in enumerate(codes)}
        sarif_results = []
        notifications = []
        for result in results:
            path, _, fragment = relative_path(result.path, root).partition("#")
            location = {"uri": uri_of(path)}
            if not Path(path).is_absolute():
                location["uriBaseId"] = BASE_ID
            if result.status != "ok":
                notifications.append(
                    {
                        "level": "note" if result.status == "empty" else "error",
                        "message": {"text": f"{path}: {result.why_not_audited}"},
                        "locations": [{"physicalLocation": {"artifactLocation": location}}],
                    }
                )
                continue
            for f in result.findings:
                sarif_results.append(self._result(f, location, fragment, index[f.rule]))
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "auditor",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": [rule_descriptor(rules[code]) for code in codes],
                }
            },
            "originalUriBaseIds": {BASE_ID: {"uri": root.as_uri() + "/"}},
            "invocations": [
                {
                    "executionSuccessful": not notifications,
                    "toolExecutionNotifications": notifications,
                }
            ],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
            "properties": {"signature": self.ctx.signature},
        }
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        return dumps(log, indent=2) + "\n"

    @staticmethod
    def _result(f: Finding, location: dict, fragment: str, rule_index: int) -> dict[str, Any]:
        physical: dict[str, Any] = {"artifactLocation": location}
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": rule_index,
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": message_with_text(f)},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {
                "severity": f.severity,
                "confidence": round(float(f.confidence), 4),
                "mqm_category": f.mqm_category,
            },
        }
        if f.where:
            # A Word or PDF file: a paragraph or page and line, not a text region.
            result["locations"][0]["logicalLocations"] = [
                {"name": f.where, "fullyQualifiedName": f.where, "kind": "member"}
            ]
            return result
        if fragment:
            # A row of a corpus file: line and column index the row's text, not the file.
            result["locations"][0]["logicalLocations"] = [
                {"name": fragment, "fullyQualifiedName": fragment, "kind": "object"}
            ]
            return result
        region = {
            "startLine": f.line,
            "startColumn": f.col,
            "endLine": f.end_line,
            "endColumn": f.end_col,
            "snippet": {"text": f.text},
        }
        physical["region"] = region
        if f.replacements:
            deleted = {k: region[k] for k in ("startLine", "startColumn", "endLine", "endColumn")}
            result["fixes"] = [
                {
                    "description": {"text": _fix_text(f.text, r)},
                    "artifactChanges": [
                        {
                            "artifactLocation": location,
                            "replacements": [
                                {"deletedRegion": deleted, "insertedContent": {"text": r}}
                            ],
                        }
                    ],
                }
                for r in f.replacements
            ]
        return result


def message_with_text(f: Finding, limit: int = 80) -> str:
    """The finding's message and the flagged text (shortened), on one line."""
    flagged = " ".join(f.text.split())
    if not flagged:
        return f.message
    if len(flagged) > limit:
        flagged = flagged[: limit - 1].rstrip() + "…"
    return f"{f.message}: '{flagged}'"


def _fix_text(old: str, new: str) -> str:
    return f"delete '{old.strip()}'" if not new else f"replace '{old}' with '{new}'"
