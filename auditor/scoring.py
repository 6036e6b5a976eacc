"""MQM-style scoring: severity penalties, normed by target words, a score and a verdict.

This is the raw scoring model of MQM (themqm.org, "The MQM Scoring Models"): the absolute
penalty total is the sum of severity multipliers over the findings; divided by the evaluation
word count it gives the per-word penalty, and the quality score is 100 x (1 - per-word
penalty), floored at 0. The normed penalty per 1,000 words is reported beside it so articles of
different length compare. Statistical checks (the language model, language identification)
are not sure of what they flag, so their findings weigh by their confidence.

The word-count basis is the target text as audited: every word and number token of the
article body (front matter and code blocks excluded), headlines and debris included, since
that is what the reader got.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import registry
from .config import Config
from .document import DocumentResult, Finding
from .rules import severity_rank

MULTIPLIERS = {"neutral": 0.0, "minor": 1.0, "major": 5.0, "critical": 25.0}
REFERENCE_WORDS = 1000
VERDICTS = ("pass", "review", "fail")


def family(code: str) -> str:
    """The family of a rule code: its letters ("NAME001" -> "NAME")."""
    return code.rstrip("0123456789")


def finding_penalty(finding: Finding) -> float:
    """The penalty one finding adds: its severity multiplier, times its confidence if the
    check that made it is statistical."""
    weight = min(max(finding.confidence, 0.0), 1.0) if finding.statistical else 1.0
    return MULTIPLIERS[finding.severity] * weight


def repeat_key(finding: Finding) -> tuple[str, str, str]:
    """Findings with the same key are one error repeated: the same rule on the same text with
    the same fix (an MT engine spelling "Selenskyj" the same way seventeen times)."""
    fix = finding.replacements[0] if finding.replacements else ""
    return finding.rule, finding.text, fix


def penalty_of(findings: Iterable[Finding] | DocumentResult) -> float:
    """Absolute penalty total of findings (or of a result's findings).

    A repeated error counts once, at its heaviest instance, as in the LISA QA model and common
    LQA practice: one consistent mistranslation is one decision to fix, and counting each
    repeat would let a single misspelt name outweigh every other error in the article."""
    if isinstance(findings, DocumentResult):
        findings = findings.findings
    heaviest: dict[tuple[str, str, str], float] = {}
    for f in findings:
        key = repeat_key(f)
        heaviest[key] = max(heaviest.get(key, 0.0), finding_penalty(f))
    return sum(heaviest.values())


def score_of(penalty: float, words: int) -> float:
    """Quality score 0-100 for a penalty over ``words`` target words, to two decimals."""
    return round(max(0.0, 100.0 * (1.0 - penalty / max(words, 1))), 2)


def format_score(score: float | None) -> str:
    """The score to one decimal, rounded down, so a shown score never looks as if it reached a
    threshold the real one missed (96.97 shows as 96.9, not 97.0)."""
    if score is None:
        return "-"
    return f"{math.floor(score * 10 + 1e-6) / 10:.1f}"


def score(result: DocumentResult, config: Config) -> DocumentResult:
    """Fill penalty, score, verdict and the notes on the basis of an ok result, in place."""
    if result.status != "ok":
        return result
    words = max(result.words, 1)
    result.penalty = penalty_of(result.findings)
    result.score = score_of(result.penalty, result.words)
    result.extra["penalty_per_1000_words"] = round(REFERENCE_WORDS * result.penalty / words, 2)
    result.verdict, result.extra["verdict_reason"] = verdict_of(result, config)
    note = (
        f"small sample: {result.words} target words (under {config.small_sample_words}); "
        "one finding moves the score a lot, so read it as a rough estimate"
    )
    if result.words < config.small_sample_words and note not in result.notes:
        result.notes.append(note)  # scoring again (findings dismissed) adds no second note
    return result


def verdict_of(result: DocumentResult, config: Config) -> tuple[str, str]:
    """The verdict and why, in words a desk editor can check against the thresholds."""
    critical = sorted({f.rule for f in result.findings if f.severity == "critical"})
    shown = format_score(result.score)
    if critical:
        count = sum(f.severity == "critical" for f in result.findings)
        return "fail", f"{count} critical finding(s) ({', '.join(critical)}) fail the article"
    assert result.score is not None
    if result.score >= config.pass_score:
        return "pass", f"score {shown} is at or above the pass mark {config.pass_score:g}"
    if result.score >= config.review_score:
        return "review", (
            f"score {shown} is below the pass mark {config.pass_score:g} "
            f"but at or above the review mark {config.review_score:g}"
        )
    return "fail", f"score {shown} is below the review mark {config.review_score:g}"


def gate_reasons(result: DocumentResult, config: Config) -> list[str]:
    """Why an article fails the gate (empty: it passes). Per-path overrides apply."""
    if result.status != "ok":
        return []
    config = config.for_path(result.path)
    reasons = []
    if config.fail_on != "never":
        bar = severity_rank(config.fail_on)
        over = [f for f in result.findings if severity_rank(f.severity) >= bar]
        if over:
            first = max(over, key=lambda f: (severity_rank(f.severity), -f.start))
            reasons.append(
                f"{len(over)} finding(s) of severity {config.fail_on} or above (fail_on), "
                f"first {first.rule} [{first.severity}] at {first.place}"
            )
    if config.min_score is not None and (result.score or 0.0) < config.min_score:
        reasons.append(
            f"score {format_score(result.score or 0.0)} below the minimum "
            f"{config.min_score:g} (min_score)"
        )
    return reasons


def basis_of(result: DocumentResult) -> str:
    """One line stating what the score was computed on."""
    per_1000 = result.extra.get("penalty_per_1000_words")
    line = f"{result.words:,} target words, penalty {result.penalty:.1f}"
    if per_1000 is not None:
        line += f" ({per_1000:.1f} per {REFERENCE_WORDS:,} words)"
    return line


@dataclass
class CorpusSummary:
    """Totals over a run, for the closing lines and index pages of reports."""

    articles: int = 0
    errors: int = 0
    empty: int = 0  # inputs with nothing to audit: neither audited nor errors
    words: int = 0
    penalty: float = 0.0
    findings: int = 0
    verdicts: Counter = field(default_factory=Counter)
    families: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    small_samples: int = 0

    @property
    def audited(self) -> int:
        return self.articles - self.errors - self.empty

    @property
    def score(self) -> float | None:
        """The corpus score: total penalty over total words, so long articles weigh more."""
        return score_of(self.penalty, self.words) if self.audited else None

    @property
    def penalty_per_1000_words(self) -> float:
        return round(REFERENCE_WORDS * self.penalty / max(self.words, 1), 2)

    def add(self, r: DocumentResult, small_sample_words: int = 300) -> None:
        """Count one more result in (a run's summary grows as results stream past)."""
        self.articles += 1
        if r.status != "ok":
            self.empty += r.status == "empty"
            self.errors += r.status != "empty"
            return
        self.words += r.words
        self.penalty += r.penalty
        self.findings += len(r.findings)
        self.verdicts[r.verdict or "-"] += 1
        self.small_samples += r.words < small_sample_words
        for f in r.findings:
            self.families[family(f.rule)] += 1
            self.severities[f.severity] += 1

    def family_order(self) -> list[str]:
        """The families in report order, with any other family found here."""
        return registry.family_order(self.families)


def summarize(results: Iterable[DocumentResult], small_sample_words: int = 300) -> CorpusSummary:
    summary = CorpusSummary()
    for r in results:
        summary.add(r, small_sample_words)
    return summary
