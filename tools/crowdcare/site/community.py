"""The community metrics page (with its charts) and the maintainers' triage page, from the response ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crowdcare.freshness import stale
from crowdcare.hours import parse_time
from crowdcare.metrics import ResponseMetrics, age_hours, compute_metrics, format_hours, window_figures
from crowdcare.model import Config, Content, PersonRef, ResponseRecord
from crowdcare.site.charts import answered_by_chart, backlog_chart, response_time_chart
from crowdcare.site.markup import external, front_matter, inline, link, person_link, plural, thread_label
from crowdcare.site.solutions import solution_path

METRICS = "metrics/index.md"
TRIAGE = "triage.md"
WINDOW_DAYS = 90  # the metrics page's window, as `crowdcare metrics` has by default
BACKLOG, TIMES, ANSWERED_BY = "metrics/backlog.svg", "metrics/response-times.svg", "metrics/answered-by.svg"
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
    figures = window_figures(
        content.ledger,
        content.ideas,
        parse_time(content.ledger.updated_at),
        window_days=WINDOW_DAYS,
        community_target_hours=config.responses.community_window_hours,
        staff_target_hours=config.responses.staff_window_hours,
    )
    triage = _triage_page(metrics, content, config) if config.triage_public else PRIVATE_TRIAGE
    pages = {METRICS: _metrics_page(figures, content, config), TRIAGE: triage}
    if figures["questions"]:
        first, accepted = _timing(figures, "first_response"), _timing(figures, "accepted_answer")
        rows = [
            (name, t["median_hours"], t["p90_hours"], t["at_least_hours"])
            for name, t in (("first response", first), ("accepted answer", accepted))
        ]
        by: Any = figures["first_response_by"]
        pages[BACKLOG] = backlog_chart(metrics)
        pages[TIMES] = response_time_chart(rows)
        pages[ANSWERED_BY] = answered_by_chart(by["community"], by["staff"])
    return pages


def _timing(figures: dict[str, Any], name: str) -> dict[str, Any]:
    timing: dict[str, Any] = figures[name]
    return timing


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "–"


def _quantile(t: dict[str, Any], key: str, share: str) -> str:
    if t[key] is not None:
        return format_hours(t[key])
    return f"over {format_hours(t['at_least_hours'])} (more than {share} still wait)"


def _metrics_page(figures: dict[str, Any], content: Content, config: Config) -> str:
    assert content.ledger is not None
    first, accepted = _timing(figures, "first_response"), _timing(figures, "accepted_answer")
    deflected, ideas = figures["deflected"], figures["ideas"]
    community_hours, staff_hours = first["target_hours"], accepted["target_hours"]
    updated = content.ledger.updated_at[:16].replace("T", " ")
    rows = [
        ("Questions asked", f"{figures['questions']:,}", "Customer questions opened in the window."),
        ("Waiting for a first reply", f"{figures['waiting']:,}", "Open, and nobody but the asker has replied yet."),
        (
            "Time to first response: median",
            _quantile(first, "median_hours", "half"),
            "Half the questions had a reply by then; a question still waiting counts as waiting at least as long "
            "as it has (Kaplan-Meier), never left out.",
        ),
        (
            "Time to first response: 90th percentile",
            _quantile(first, "p90_hours", "one in ten"),
            "Nine in ten by then.",
        ),
        (
            f"First response within {community_hours:g} h",
            _share(first["within_target"]),
            f"`responses.community_window_hours`; {first['waiting_past_target']} waiting past it count as misses.",
        ),
        (
            "Time to accepted answer: median",
            _quantile(accepted, "median_hours", "half"),
            "Until the reply that was accepted was posted, counting questions still without one.",
        ),
        ("Time to accepted answer: 90th percentile", _quantile(accepted, "p90_hours", "one in ten"), "Nine in ten."),
        (
            f"Accepted answer within {staff_hours:g} h",
            _share(accepted["within_target"]),
            f"`responses.staff_window_hours` (wall-clock here); {accepted['waiting_past_target']} past it are misses.",
        ),
        (
            "Answered first by the community",
            _share(figures["community_share"]),
            "Share of first responses not by staff.",
        ),
        (
            "Deflected",
            f"{deflected['folded']:,} ({_share(deflected['share_of_questions'])})",
            "Questions folded into an existing solution with their asker's consent.",
        ),
        (
            "Duplicate claims",
            f"{deflected['claims_made']} made · {deflected['claims_agreed']} agreed · "
            f"{deflected['claims_objected']} objected · {deflected['claims_pending']} pending",
            '"This looks like X" said by the bot or a participant\'s `/duplicate-of`, and what the askers said.',
        ),
        (
            "Idea decisions",
            f"{ideas['decisions_in_window']} in the window · median "
            + (f"{ideas['median_days_to_decision']:g} days" if ideas["median_days_to_decision"] is not None else "–")
            + " to a decision",
            "Status changes to planned, in progress, shipped, declined or duplicate.",
        ),
        (
            "Ideas by status",
            f"{_share(ideas['share_shipped'])} shipped · {_share(ideas['share_declined'])} declined · "
            f"{_share(ideas['share_open'])} open",
            f"Of all {plural(ideas['count'], 'idea')}.",
        ),
    ]
    lines = [
        front_matter("Community metrics"),
        "# Community metrics\n",
        f"How quickly customers hear back, and who answers them: the {WINDOW_DAYS} days to {updated} UTC, from "
        "the response ledger `crowdcare respond` writes (`crowdcare metrics --json` prints the same figures).\n",
        "| Figure | Value | What it means |",
        "|---|---|---|",
        *(f"| {name} | {value} | {meaning} |" for name, value, meaning in rows),
        "",
    ]
    staff = figures["staff"]
    if staff:
        lines += ["## Staff load\n", "| Staff member | Open questions held | Oldest |", "|---|---:|---|"]
        lines += [
            f"| {person_link(PersonRef(s['login']), config, METRICS)} | {s['open_held']} | "
            f"{format_hours(s['oldest_hours'])} |"
            for s in staff
        ]
        lines.append("")
    if figures["questions"]:
        by = figures["first_response_by"]
        median = _quantile(first, "median_hours", "half")
        lines += [
            "## Charts\n",
            f"![Open backlog over time, the last {WINDOW_DAYS} days: open questions and those without any reply "
            f"({figures['waiting']} without a reply now)](backlog.svg)\n",
            f"![Time to first response: median {median}; to accepted answer: median "
            f"{_quantile(accepted, 'median_hours', 'half')}](response-times.svg)\n",
            f"![Who answered first: community {by['community']}, staff {by['staff']}](answered-by.svg)\n",
        ]
    lines += [
        "## How these are measured\n",
        "- *First response*: the first reply by anyone but the asker and bots.",
        "- *Accepted answer*: the time until the reply that was accepted was posted.",
        "- Questions still waiting are counted, not dropped: the medians are Kaplan-Meier estimates (a question "
        "waiting 9 days has taken at least 9 days), and waiting past a target is a miss.",
        "- *Backlog*: questions neither closed nor answered (accepted) at the end of each day.",
        "- The [triage page](../triage.md) lists who is waiting now.",
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
        lines.append("Nobody is waiting. 🎉\n")
    else:
        lines += ["| Question | Waiting | Bucket | Status | Held by |", "|---|---|---|---|---|"]
        lines += [_triage_row(record, now, config) for record in waiting]
        lines += _load(waiting, now, config)
    return "\n".join(lines + _answers_to_check(content, config)) + "\n"


def _load(waiting: list[ResponseRecord], now: dt.datetime, config: Config) -> list[str]:
    """Each staff member's share of the waiting questions (and the topics they own), so work can be moved."""
    lines = [
        "\n## Load\n",
        "Waiting questions each staff member holds; a thread on a topic someone owns goes to them first.\n",
        "| Staff | Holds | Longest waiting | Owns |",
        "|---|---|---|---|",
    ]
    for member in config.staff:
        held = [r for r in waiting if r.holder and r.holder.lower() == member.login.lower()]
        longest = format_hours(max(age_hours(r, now) for r in held)) if held else "–"
        owns = ", ".join(inline(t) for t in member.topics) or "–"
        away = " (away)" if member.away else ""
        lines.append(f"| {_holder(member.login, config)}{away} | {len(held)} | {longest} | {owns} |")
    return lines


def _answers_to_check(content: Content, config: Config) -> list[str]:
    """Solutions verified with a release too far behind the current one (``product:`` in crowdcare.yml)."""
    due = sorted(
        (s for s in content.solutions if s.superseded_by is None and stale(s, config) is not None),
        key=lambda s: (-s.times_asked, s.path),
    )
    if not due:
        return []
    here = TRIAGE
    lines = [
        "\n## Answers to check against the current release\n",
        f"Verified with a release {config.product.stale_after_releases} or more behind "
        f"{inline(config.product.current_version or '')} (`product` in crowdcare.yml), the most asked first. "
        "Check each one and set `verified_with` in its file.\n",
        "| Solution | Verified with | Times asked |",
        "|---|---|---|",
    ]
    for s in due:
        lines.append(f"| {link(s.title, solution_path(s), here)} | {inline(s.verified_with or '')} | {s.times_asked} |")
    return lines


def _triage_row(record: ResponseRecord, now: dt.datetime, config: Config) -> str:
    question = external(record.title or thread_label(record.url), record.url)
    status = STATUS_LABELS.get(record.status.value, record.status.value)
    return (
        f"| {question} <small>{inline(record.thread)}</small> | {format_hours(age_hours(record, now))} | "
        f"{record.bucket_size} | {status} | {_holder(record.holder, config)} |"
    )
