"""The community page's charts as static SVG files, drawn with matplotlib.

The pages show them with ``<img>``: an SVG loaded as an image runs no script, and nothing is fetched from a
third-party host when a reader views the page. Output is reproducible (no date, fixed ids, text kept as text)
so a rebuild of the same ledger gives the same bytes. No user text is drawn: only numbers, dates and our labels.
"""

from __future__ import annotations

import datetime as dt
import io

import matplotlib as mpl
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from crowdcare.core.i18n import current_language, tr
from crowdcare.respond.metrics import ResponseMetrics

mpl.rcParams.update(
    {
        "svg.hashsalt": "crowdcare",  # fixed element ids: the same figures give the same file
        "svg.fonttype": "none",  # text as <text>, not glyph outlines: smaller, and readable by screen readers
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

TEAL, AMBER, GREY = "#00897b", "#ffb300", "#757575"


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title, "Creator": "crowdcare"})
    return buffer.getvalue()


def _dates(locator: AutoDateLocator) -> ConciseDateFormatter:
    """Dates on an axis: matplotlib's month names are English, so other languages get numbers (11/2026)."""
    if current_language() == "en":
        return ConciseDateFormatter(locator)
    return ConciseDateFormatter(locator, formats=["%Y", "%m/%Y", "%d.%m.", "%H:%M", "%H:%M", "%S.%f"])


def backlog_chart(metrics: ResponseMetrics) -> str:
    """Open questions per day, and those nobody had replied to yet."""
    figure = Figure(figsize=(7, 2.8), layout="constrained")
    axes = figure.subplots()
    days = [float(date2num(point.day)) for point in metrics.backlog]
    axes.plot(days, [p.open for p in metrics.backlog], color=TEAL, label=tr("open (no accepted answer)"))
    axes.plot(days, [p.without_reply for p in metrics.backlog], color=AMBER, label=tr("without any reply"))
    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(_dates(locator))
    axes.set_ylabel(tr("questions"))
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False, loc="upper left")
    return _svg(figure, tr("Open backlog over time"))


def response_time_chart(rows: list[tuple[str, float | None, float | None, float]]) -> str:
    """Median and 90th percentile, in hours, of the time to first response and to an accepted answer: rows of
    (name, median, p90, at least). A percentile not reached yet (too many still waiting) is drawn as a hatched
    bar to the longest wait so far, labelled "over N h": the wait is at least that long."""
    figure = Figure(figsize=(7, 2.4), layout="constrained")
    axes = figure.subplots()
    for offset, (label, colour, column) in enumerate([(tr("median"), TEAL, 1), (tr("90th percentile"), AMBER, 2)]):
        values = [row[column] for row in rows]
        widths = [v if v is not None else row[3] for v, row in zip(values, rows, strict=True)]
        positions = [index + offset * 0.38 for index in range(len(rows))]
        bars = axes.barh(positions, widths, height=0.36, color=colour, label=label)
        for bar, value in zip(bars, values, strict=True):
            if value is None:
                bar.set_hatch("//")
                bar.set_alpha(0.5)
        texts = [
            tr("{hours} h", hours=f"{v:.1f}") if v is not None else tr("over {hours} h", hours=f"{w:.0f}")
            for v, w in zip(values, widths, strict=True)
        ]
        axes.bar_label(bars, labels=texts, padding=3, fontsize=9)
    axes.set_yticks([index + 0.19 for index in range(len(rows))], [row[0] for row in rows])
    axes.invert_yaxis()
    axes.set_xlabel(tr("hours"))
    axes.margins(x=0.2)
    axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)
    return _svg(figure, tr("Time to first response and to accepted answer"))


def answered_by_chart(community: int, staff: int) -> str:
    """First responses from the community and from staff, as one stacked bar."""
    figure = Figure(figsize=(7, 1.3), layout="constrained")
    axes = figure.subplots()
    total = community + staff
    for left, width, colour, name in ((0, community, TEAL, tr("community")), (community, staff, GREY, tr("staff"))):
        bars = axes.barh([0], [width], left=[left], color=colour, label=name, height=0.6)
        if width:
            share = f"{name} {width / total:.0%}" if total else name
            axes.bar_label(bars, labels=[share], label_type="center", color="white", fontsize=9)
    axes.set_xlim(0, max(total, 1))
    axes.set_yticks([])
    axes.set_xlabel(tr("first responses"))
    axes.spines["left"].set_visible(False)
    return _svg(figure, tr("Who answered first: community and staff"))


def trend_chart(points: list[tuple[dt.datetime, int, int | None]]) -> str:
    """An idea's votes over time, from the vote history: the score and, where known, the verified score."""
    figure = Figure(figsize=(6, 1.8), layout="constrained")
    axes = figure.subplots()
    days = [float(date2num(at)) for at, _, _ in points]
    axes.step(days, [score for _, score, _ in points], where="post", color=TEAL, label=tr("votes"))
    verified = [(day, v) for day, (_, _, v) in zip(days, points, strict=True) if v is not None]
    if verified:
        axes.step([d for d, _ in verified], [v for _, v in verified], where="post", color=AMBER, label=tr("verified"))
    locator = AutoDateLocator(maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(_dates(locator))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    axes.legend(frameon=False, loc="upper left")
    return _svg(figure, tr("Votes over time"))
