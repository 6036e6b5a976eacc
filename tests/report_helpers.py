"""Results to report on, for the report tests: real audits of the samples, and articles with
findings placed by hand where a test needs a finding of a family no stable check makes yet."""

from __future__ import annotations

from pathlib import Path

from auditor.config import load_config
from auditor.document import Document, DocumentResult, Finding
from auditor.ingest import read_paths
from auditor.pipeline import Auditor
from auditor.reporters import ReportContext
from auditor.rules import Rule
from auditor.scoring import score
from auditor.segment import segment

NAME_RULE = Rule("NAME001", "names", "name-variant", "Terminology", "major", "Off-style name.")
LEX_RULE = Rule("LEX001", "lexicon", "non-word", "Fluency/Spelling", "major", "Not a word.")
FLU_RULE = Rule("FLU001", "fluency", "garbled", "Fluency/Grammar", "major", "Garbled.", True)
CRIT_RULE = Rule("UNT009", "language", "untranslated", "Accuracy/Untranslated", "critical", "x")
BOIL_RULE = Rule("BOIL002", "boilerplate", "page-chrome", "Other/Extraction", "major", "Chrome.")


def config(**overrides):
    return load_config({"lm": False, **overrides}, use_files=False)


def audit_file(path: Path, select=("BOIL",)) -> DocumentResult:
    cfg = config(select=list(select))
    (result,) = Auditor(cfg).audit(read_paths([str(path)]))
    return result


def article(text: str, marks: list[tuple], path: str = "desk/story.md", cfg=None, **meta):
    """A scored result for ``text`` with findings ``(rule, flagged text, message, replacements,
    confidence)``; each finding lands on the first occurrence of its text."""
    cfg = cfg or config()
    doc = segment(Document(path=path, id=Path(path).stem, text=text))
    findings: list[Finding] = []
    for rule, flagged, message, *rest in marks:
        replacements = rest[0] if rest else []
        confidence = rest[1] if len(rest) > 1 else 1.0
        start = text.index(flagged)
        findings.append(
            doc.finding(rule, start, start + len(flagged), message, replacements=replacements,
                        confidence=confidence)
        )  # fmt: skip
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    result = DocumentResult(
        path=path,
        id=doc.id,
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        source_lang=meta.get("source_lang"),
        words=doc.words,
        findings=findings,
        text=text,
    )
    return score(result, cfg)


def context(output: Path | None = None, cfg=None, root: Path | None = None) -> ReportContext:
    ctx = ReportContext(
        signature="auditor:test|checks:test|lm:off|style:ap|cfg:0",
        config=cfg or config(),
        output=output,
    )
    if root is not None:
        ctx.root = root
    return ctx


def highlight_pixels(shot, fam: str) -> int:
    """Pixels of a browser screenshot (a PNG path) in family ``fam``'s highlight colour: the
    family colour at 20 % over the white text card, as the report's stylesheet paints it."""
    from PIL import Image

    from auditor.reporters.palette import family_color

    image = Image.open(shot).convert("RGB")
    counts = {colour: n for n, colour in image.getcolors(maxcolors=1 << 24)}
    r, g, b = (int(family_color(fam)[i : i + 2], 16) for i in (1, 3, 5))
    tint = tuple(round(255 + (c - 255) * 0.2) for c in (r, g, b))
    return sum(
        n
        for colour, n in counts.items()
        if max(abs(a - t) for a, t in zip(colour, tint, strict=True)) <= 2
    )
