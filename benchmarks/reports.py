"""Speed of the reports over a corpus: articles per second each format writes, from results
already in memory (what ``auditor report`` does after reading the results file).

The five samples are audited once without the language model, then repeated under new paths
to make a corpus of ARTICLES articles.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 1000
FORMATS = ("text", "markdown", "html", "csv", "results")


def run() -> dict:
    from auditor.config import load_config
    from auditor.ingest import read_paths
    from auditor.pipeline import Auditor
    from auditor.reporters import ReportContext, reporter_for

    config = load_config({"lm": False}, use_files=False)
    auditor = Auditor(config)
    base = list(auditor.audit(read_paths([str(ROOT / "corpora" / "samples")])))
    corpus = [
        dataclasses.replace(r, path=f"corpus/{i:05d}-{Path(r.path).name}", id=f"{i}-{r.id}")
        for i in range(ARTICLES // len(base))
        for r in base
    ]
    figures: dict[str, float | int] = {"articles": len(corpus)}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            multi = fmt in ("html", "csv")
            output = Path(tmp) / fmt if multi else Path(tmp) / f"report.{fmt}"
            ctx = ReportContext(signature=auditor.signature, config=config, output=output)
            started = time.perf_counter()
            reporter = reporter_for(fmt, ctx)
            for result in corpus:
                reporter.add(result)
            reporter.finish()
            seconds = time.perf_counter() - started
            figures[f"{fmt}_articles_per_s"] = round(len(corpus) / seconds, 1)
    return figures
