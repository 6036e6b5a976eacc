"""Limits that keep one article from deciding a corpus run: the size cut, the time budget,
and the containment of a check that fails on one article.

Both are reported as findings of their own rules (LIM), located in the article, so a reader of
any report sees that part of an article went unaudited and why.

The time budget interrupts a check that runs too long on an article. Checks are Python, and the
one way to stop Python code that does not cooperate (a regular expression backtracking on a
pathological line, say) is a signal: SIGALRM through ``setitimer``, whose handler raises
``OverBudget``. That is safe here because it is only armed around calls to checks that do not
use the language model (no native library or lock is held mid-call), only in the main thread,
only when no other timer is running, and ``OverBudget`` is a ``BaseException`` so a check's
``except Exception`` cannot swallow it. The interrupted check's findings for that article are
dropped; every other check still runs on it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .document import Document, Finding
from .rules import Example, Family, Rule

CHECK = "limits"
CATEGORY = "Other/Audit coverage"

_ARTICLE = "The mayor opened the new bridge.\n\nIt cost 40 million euros.\n\nTraffic uses it."

# Not a check: the pipeline's own findings. Reports list the family only where it occurs.
FAMILY = Family(
    prefix="LIM",
    check=CHECK,
    title="lim",
    rules=(
        Rule("LIM001", CHECK, "article-cut", CATEGORY, "minor",
             "The article is longer than max_chars; the audit covers only its start.",
             examples=(
                 Example(_ARTICLE, flags="", settings={"max_chars": 60}),
                 Example(_ARTICLE, settings={"max_chars": 1000}),
             )),
        Rule("LIM002", CHECK, "time-budget", CATEGORY, "minor",
             "A check ran out of its time budget on this article; its findings are missing.",
             examples=(
                 Example(_ARTICLE, flags="", settings={"time_budget": 1e-6}),
                 Example(_ARTICLE, settings={"time_budget": 30}),
             )),
        Rule("LIM003", CHECK, "check-failed", CATEGORY, "major",
             "A check failed on this article (a bug in the auditor); its findings are missing.",
             examples=(Example(_ARTICLE, flags="", fault="encoding"), Example(_ARTICLE))),
    ),
)  # fmt: skip


class OverBudget(BaseException):
    """Raised inside a check when its time budget runs out."""


def can_interrupt() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
    )


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise OverBudget in the body if it runs longer than ``seconds``. Callers check
    ``can_interrupt()`` first."""
    armed = True

    def expire(signum, frame):
        if armed:
            raise OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cut_finding(doc: Document, original_chars: int) -> Finding:
    """LIM001 at the point where the article was cut (an empty span: nothing after it exists
    in the audited text)."""
    end = len(doc.text)
    return doc.finding(
        FAMILY.rule("LIM001"),
        end,
        end,
        f"article cut at {end:,} of {original_chars:,} characters (max_chars): the rest of it "
        "was not audited",
        evidence={"audited_chars": end, "original_chars": original_chars},
    )


def over_budget_finding(doc: Document, check: str, seconds: float) -> Finding:
    return doc.finding(
        FAMILY.rule("LIM002"),
        0,
        0,
        f"the {check} check ran out of its time budget ({seconds:g} s) on this article: its "
        "findings are missing (pathological input?)",
        evidence={"check": check, "budget_seconds": seconds},
    )


def failed_finding(doc: Document, check: str, error: Exception) -> Finding:
    """LIM003: the check raised on this article. Major, so a gate does not pass an article
    the audit could not vouch for; the rest of the run goes on."""
    detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]
    return doc.finding(
        FAMILY.rule("LIM003"),
        0,
        0,
        f"the {check} check failed on this article ({detail}); its findings are missing. "
        "This is a bug in the auditor: please report it with the article",
        evidence={"check": check, "error": detail},
    )
