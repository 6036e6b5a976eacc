"""JUnit XML for CI test views (GitLab ``artifacts: reports: junit``, Jenkins, Azure): one test
case per article, failing when the article fails the gate (``--fail-on``, ``--min-score``), an
error when it could not be audited. Findings are listed in the case's output either way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from ..document import DocumentResult
from ..scoring import format_score, gate_reasons
from . import Reporter, relative_path


def _finding_lines(result: DocumentResult, path: str) -> str:
    return "".join(
        f"{path}:{f.place}: {f.rule} [{f.severity}] {f.message}\n" for f in result.findings
    )


def _summary(result: DocumentResult) -> str:
    return (
        f"verdict {result.verdict}, score {format_score(result.score)}, "
        f"{len(result.findings)} finding(s), "
        f"{result.words} words"
    )


class JunitReporter(Reporter):
    name = "junit"
    extension = "xml"

    def render(self, results: list[DocumentResult]) -> str:
        suite = ET.Element("testsuite", name="auditor")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for result in results:
            path = relative_path(result.path, self.ctx.root)
            folder = str(PurePosixPath(path.partition("#")[0]).parent)
            classname = "auditor" if folder == "." else f"auditor.{folder.replace('/', '.')}"
            case = ET.SubElement(
                suite, "testcase", name=path, classname=classname, file=path.partition("#")[0]
            )
            counts["tests"] += 1
            if result.status == "empty":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=result.why_not_audited)
                continue
            if result.status != "ok":
                counts["errors"] += 1
                error = ET.SubElement(case, "error", message=result.error or "", type="input")
                error.text = f"{path}: {result.error}\n"
                continue
            reasons = gate_reasons(result, self.ctx.config)
            if reasons:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", message="; ".join(reasons), type="gate")
                failure.text = _summary(result) + "\n" + _finding_lines(result, path)
            out = ET.SubElement(case, "system-out")
            out.text = (
                _summary(result)
                + "\n"
                + _finding_lines(result, path)
                + "".join(f"note: {n}\n" for n in result.notes)
            )
        for key, value in counts.items():
            suite.set(key, str(value))
        suite.set("skipped", "0")
        suites = ET.Element("testsuites", name="auditor", **{k: str(v) for k, v in counts.items()})
        suites.append(suite)
        props = ET.Element("properties")
        ET.SubElement(props, "property", name="signature", value=self.ctx.signature)
        suite.insert(0, props)
        ET.indent(suites)
        body = ET.tostring(suites, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
