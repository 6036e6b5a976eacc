"""GitLab Code Quality: a JSON array of issues (the Code Climate subset GitLab reads), shown in
merge requests when a job publishes it as ``artifacts: reports: codequality``."""

from __future__ import annotations

import hashlib

from ..changes import repo_root
from ..document import DocumentResult
from . import Reporter, relative_path
from .json import dumps
from .sarif import message_with_text

SEVERITIES = {"neutral": "info", "minor": "minor", "major": "major", "critical": "critical"}


class GitlabReporter(Reporter):
    name = "gitlab"
    extension = "json"

    def render(self, results: list[DocumentResult]) -> str:
        root = repo_root(self.ctx.root) or self.ctx.root.resolve()
        issues = []
        seen: dict[str, int] = {}
        for result in results:
            path = relative_path(result.path, root)
            file = path.partition("#")[0]
            if result.status == "empty":
                issues.append(
                    {
                        "type": "issue",
                        "check_name": "auditor/empty-input",
                        "description": result.why_not_audited,
                        "categories": ["Clarity"],
                        "severity": "info",
                        "fingerprint": _unique(_digest(path, "empty-input"), seen),
                        "location": {"path": file, "lines": {"begin": 1}},
                    }
                )
                continue
            if result.status != "ok":
                issues.append(
                    {
                        "type": "issue",
                        "check_name": "auditor/input-error",
                        "description": f"cannot audit: {result.error}",
                        "categories": ["Bug Risk"],
                        "severity": "blocker",
                        "fingerprint": _unique(_digest(path, "input-error"), seen),
                        "location": {"path": file, "lines": {"begin": 1}},
                    }
                )
                continue
            for f in result.findings:
                rule = self.ctx.rules.get(f.rule)
                where = {"begin": f.line, "end": f.end_line}
                description = f"{f.rule}: {message_with_text(f)}"
                if file != path:  # a corpus row: lines index the row, not the file
                    where = {"begin": 1}
                    description += f" (in {path})"
                elif f.where:  # a Word or PDF file: no lines to point at
                    where = {"begin": 1}
                    description += f" (at {f.where})"
                issue = {
                    "type": "issue",
                    "check_name": f.rule,
                    "description": description,
                    "categories": ["Style"],
                    "severity": SEVERITIES.get(f.severity, "minor"),
                    "fingerprint": _unique(f.fingerprint, seen),
                    "location": {"path": file, "lines": where},
                }
                if rule is not None:
                    issue["content"] = {"body": f"{rule.help} (MQM: {rule.mqm_category})"}
                issues.append(issue)
        return dumps(issues, indent=2) + "\n"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _unique(fingerprint: str, seen: dict[str, int]) -> str:
    """GitLab needs every fingerprint once per report; a repeat gets its occurrence number."""
    count = seen.get(fingerprint, 0)
    seen[fingerprint] = count + 1
    return fingerprint if count == 0 else _digest(fingerprint, str(count))
