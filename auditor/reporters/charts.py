"""``summary.png``: how a corpus scored and what was found, by outlet and by source language.

Drawn with matplotlib's Agg canvas directly (no pyplot, no global backend), in matplotlib's
default style whatever the user's matplotlibrc says, and saved without a Software tag, so the
same results give the same bytes.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict

from ..document import DocumentResult, clip
from ..scoring import REFERENCE_WORDS, family, format_score, summarize
from .palette import VERDICT_COLORS, family_color, family_name

MAX_GROUPS = 12  # bars per panel; the rest are pooled as "other"
DPI = 100


def summary_png(results: list[DocumentResult], ctx) -> bytes:
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    ok = [r for r in results if r.status == "ok"]
    summary = summarize(results, ctx.config.small_sample_words)
    families = [f for f in summary.family_order() if summary.families[f]]
    by_outlet = _groups(ok, lambda r: r.outlet or "(no outlet)")
    by_lang = _groups(ok, lambda r: r.source_lang or "(unknown)")
    rows = max(len(by_outlet), len(by_lang), 5)
    # Default style whatever the user's matplotlibrc says; outlet names are data, not mathtext.
    with matplotlib.style.context("default"), matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=(15, 2.6 + 0.34 * rows), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, 3, width_ratios=[1.1, 1, 1])
        _score_histogram(axes[0], ok, ctx.config)
        _family_bars(axes[1], by_outlet, families, "by outlet")
        _family_bars(axes[2], by_lang, families, "by source language")
        fig.suptitle(chart_title(summary), fontsize=13, fontweight="bold")
        if families:
            handles = [
                Patch(color=family_color(f), label=f"{f} {family_name(f)}") for f in families
            ]
            fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                       frameon=False, fontsize=9)  # fmt: skip
        fig.text(0.995, 0.005, ctx.signature, ha="right", va="bottom", fontsize=7, color="#666")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def chart_title(summary) -> str:
    """The headline over the charts; the score shown as every other report shows it."""
    title = f"{summary.audited} audited article{'s' if summary.audited != 1 else ''}"
    if summary.audited:
        title += (
            f", {summary.words:,} target words, corpus score {format_score(summary.score)}, "
            f"{summary.findings} findings"
        )
    if summary.errors:
        title += f" ({summary.errors} input error{'s' if summary.errors != 1 else ''})"
    if summary.empty:
        title += f" ({summary.empty} empty)"
    return title


def _score_histogram(ax, ok: list[DocumentResult], config) -> None:
    ax.set_title("Quality score per article", loc="left", fontsize=11)
    if not ok:
        ax.text(0.5, 0.5, "no audited articles", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    scores = [r.score or 0.0 for r in ok]
    low = min(math.floor(min(scores)), math.floor(config.review_score) - 5)
    width = max(1, math.ceil((100 - low) / 40))
    low = 100 - width * math.ceil((100 - low) / width)
    bins = list(range(low, 101, width))
    stacks = [[r.score or 0.0 for r in ok if r.verdict == v] for v in ("fail", "review", "pass")]
    ax.hist(stacks, bins=bins, stacked=True, label=["fail", "review", "pass"],
            color=[VERDICT_COLORS[v] for v in ("fail", "review", "pass")],
            edgecolor="white", linewidth=0.6)  # fmt: skip
    for mark, name in ((config.review_score, "review"), (config.pass_score, "pass")):
        ax.axvline(mark, color="#333", linestyle="--", linewidth=1)
        ax.annotate(f"{name} {mark:g}", (mark, 1), xycoords=("data", "axes fraction"),
                    xytext=(-3, -3), textcoords="offset points", ha="right", va="top",
                    fontsize=8, rotation=90)  # fmt: skip
    ax.set_xlim(low, 100)
    ax.set_xlabel("score (100 = no penalty)")
    ax.set_ylabel("articles")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="best", fontsize=8, framealpha=0.9)
    ax.spines[["top", "right"]].set_visible(False)


class _Group:
    def __init__(self) -> None:
        self.articles = 0
        self.words = 0
        self.findings: dict[str, int] = defaultdict(int)


def _groups(ok: list[DocumentResult], key) -> list[tuple[str, _Group]]:
    groups: dict[str, _Group] = defaultdict(_Group)
    for r in ok:
        group = groups[key(r)]
        group.articles += 1
        group.words += r.words
        for f in r.findings:
            group.findings[family(f.rule)] += 1
    ordered = sorted(groups.items(), key=lambda item: (-item[1].words, item[0]))
    if len(ordered) > MAX_GROUPS:
        rest = _Group()
        for _name, group in ordered[MAX_GROUPS - 1 :]:
            rest.articles += group.articles
            rest.words += group.words
            for fam, n in group.findings.items():
                rest.findings[fam] += n
        ordered = [*ordered[: MAX_GROUPS - 1], (f"{len(ordered) - MAX_GROUPS + 1} others", rest)]
    return ordered


def _family_bars(ax, groups: list[tuple[str, _Group]], families: list[str], what: str) -> None:
    ax.set_title(f"Findings per {REFERENCE_WORDS:,} words, {what}", loc="left", fontsize=11)
    if not groups:
        ax.set_axis_off()
        return
    labels = [
        f"{_shorten(name)} ({g.articles} art., {g.words:,} w.)" for name, g in reversed(groups)
    ]
    lefts = [0.0] * len(groups)
    for fam in families:
        rates = [REFERENCE_WORDS * g.findings[fam] / max(g.words, 1) for _n, g in reversed(groups)]
        ax.barh(labels, rates, left=lefts, color=family_color(fam), height=0.7)
        lefts = [a + b for a, b in zip(lefts, rates, strict=True)]
    if not families:
        ax.barh(labels, lefts, height=0.7)
        ax.text(0.5, 0.5, "no findings", ha="center", va="center", transform=ax.transAxes)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("findings per 1,000 target words")
    ax.spines[["top", "right"]].set_visible(False)


def _shorten(name: str, width: int = 28) -> str:
    return clip(" ".join(name.split()), width)
