"""The community metrics page (with its charts) and the maintainers' triage page, from the response ledger."""

from __future__ import annotations

import datetime as dt

from crowdcare.hours import parse_time
from crowdcare.metrics import ResponseMetrics, age_hours, compute_metrics, format_hours
from crowdcare.model import Config, Content, PersonRef, ResponseRecord
from crowdcare.site.charts import answered_by_chart, backlog_chart, response_time_chart
from crowdcare.site.markup import external, front_matter, inline, person_link, plural, thread_label

METRICS = "metrics/index.md"
TRIAGE = "triage.md"
CHARTS = {
    "metrics/backlog.svg": ("Open backlog over time", backlog_chart),
    "metrics/response-times.svg": ("Time to first response and to accepted answer", response_time_chart),
    "metrics/answered-by.svg": ("Who answered: community and staff", answered_by_chart),
}
STATUS_LABELS = {"new": "New", "needs-staff": "With staff", "escalated": "Escalated"}


PRIVATE_TRIAGE = (
    front_matter("Triage")
    + "# Waiting for a response\n\nThis community keeps its triage list private (`site.triage: false` in "
    "crowdcare.yml): maintainers see who is waiting with `crowdcare respond --report`. Every question still gets "
    "a response within the windows on the metrics page.\n"
)


def community_pages(content: Content, config: Config) -> dict[str, str]:
    """The metrics page, its SVG charts and the triage page. Without a ledger yet, both pages say so."""
    if content.ledger is None:
        empty = "No response data yet: it appears after the first run of `crowdcare respond`.\n"
        return {
            METRICS: front_matter("Community metrics") + "# Community metrics\n\n" + empty,
            TRIAGE: front_matter("Triage") + "# Waiting for a response\n\n" + empty,
        }
    metrics = compute_metrics(content.ledger)
    triage = _triage_page(metrics, content, config) if config.triage_public else PRIVATE_TRIAGE
    pages = {METRICS: _metrics_page(metrics, content), TRIAGE: triage}
    if metrics.questions:
        pages.update({path: draw(metrics) for path, (_, draw) in CHARTS.items()})
    return pages


def _metrics_page(metrics: ResponseMetrics, content: Content) -> str:
    assert content.ledger is not None
    answered = metrics.answered_by_community + metrics.answered_by_staff
    community_share = f"{metrics.answered_by_community / answered:.0%}" if answered else "–"
    lines = [
        front_matter("Community metrics"),
        "# Community metrics\n",
        f"How quickly customers hear back, and who answers them. {plural(metrics.questions, 'question')}; "
        f"updated {content.ledger.updated_at[:16].replace('T', ' ')} UTC by `crowdcare respond`.\n",
        "| | median | 90th percentile | questions |",
        "|---|---|---|---|",
    ]
    for name, spread in (
        ("Time to first response", metrics.first_response),
        ("Time to accepted answer", metrics.accepted_answer),
    ):
        lines.append(
            f"| {name} | {format_hours(spread.median_hours)} | {format_hours(spread.p90_hours)} | {spread.count} |"
        )
    lines += [
        "",
        f"**Answered by the community:** {community_share} of {plural(answered, 'accepted answer')} "
        f"({metrics.answered_by_community} community, {metrics.answered_by_staff} staff).\n",
    ]
    if metrics.questions:
        lines += [f"![{alt}]({path.removeprefix('metrics/')})\n" for path, (alt, _) in CHARTS.items()]
    lines += [
        "## How these are measured\n",
        "- *First response*: the first reply by anyone but the asker and bots.",
        "- *Accepted answer*: the time until the reply that was accepted was posted.",
        "- *Backlog*: questions neither closed nor answered at the end of each day (last 90 days).",
        "- Questions still waiting are not in the times; the backlog and the [triage page](../triage.md) show them.",
        "",
    ]
    return "\n".join(lines)


def _holder(login: str | None, config: Config) -> str:
    if login is None:
        return "–"
    person = PersonRef(login)
    # Only staff on the roster have a profile page for sure; anyone else is named without a link.
    return person_link(person, config, TRIAGE) if config.is_staff(person) else inline("@" + login)


def _triage_page(metrics: ResponseMetrics, content: Content, config: Config) -> str:
    assert content.ledger is not None
    now = parse_time(content.ledger.updated_at)
    waiting = sorted(metrics.waiting, key=lambda r: (-r.bucket_size, -age_hours(r, now), r.thread))
    lines = [
        front_matter("Triage"),
        "# Waiting for a response\n",
        f"For maintainers: the {plural(len(waiting), 'question')} still waiting for the community or staff at the "
        "last sweep, the largest pending buckets first (answer once, serve many), then the oldest. "
        "`crowdcare respond --report` prints the same list.\n",
    ]
    if not waiting:
        return "\n".join([*lines, "Nobody is waiting. 🎉\n"])
    lines += ["| Question | Waiting | Bucket | Status | Held by |", "|---|---|---|---|---|"]
    lines += [_triage_row(record, now, config) for record in waiting]
    return "\n".join(lines) + "\n"


def _triage_row(record: ResponseRecord, now: dt.datetime, config: Config) -> str:
    question = external(record.title or thread_label(record.url), record.url)
    status = STATUS_LABELS.get(record.status.value, record.status.value)
    return (
        f"| {question} <small>{inline(record.thread)}</small> | {format_hours(age_hours(record, now))} | "
        f"{record.bucket_size} | {status} | {_holder(record.holder, config)} |"
    )
