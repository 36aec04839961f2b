"""The community metrics page (with its charts) and the maintainers' triage page, from the response ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crowdcare.core.i18n import ngettext, tr
from crowdcare.core.model import PersonRef, ResponseRecord
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.core.times import parse_time
from crowdcare.promote.freshness import stale
from crowdcare.respond.metrics import ResponseMetrics, age_hours, compute_metrics, format_hours, window_figures
from crowdcare.site.charts import answered_by_chart, backlog_chart, response_time_chart
from crowdcare.site.markup import external, front_matter, link, person_link, thread_label
from crowdcare.site.solutions import solution_path

METRICS = "metrics/index.md"
TRIAGE = "triage.md"
WINDOW_DAYS = 90  # the metrics page's window, as `crowdcare metrics` has by default
BACKLOG, TIMES, ANSWERED_BY = "metrics/backlog.svg", "metrics/response-times.svg", "metrics/answered-by.svg"


def _status_label(status: str) -> str:
    return {"new": tr("New"), "needs-staff": tr("With staff"), "escalated": tr("Escalated")}.get(status, status)


def _private_triage() -> str:
    return (
        front_matter(tr("Triage"))
        + "# "
        + tr("Waiting for a response")
        + "\n\n"
        + tr(
            "This community keeps its triage list private (`site.triage: false` in crowdcare.yml): maintainers see "
            "who is waiting with `crowdcare respond --report`. Every question still gets a response within the "
            "windows on the metrics page."
        )
        + "\n"
    )


def community_pages(content: Content, config: Config) -> dict[str, str]:
    """The metrics page, its SVG charts and the triage page. Without a ledger yet, both pages say so."""
    if content.ledger is None:
        empty = tr("No response data yet: it appears after the first run of `crowdcare respond`.") + "\n"
        return {
            METRICS: front_matter(tr("Community metrics")) + "# " + tr("Community metrics") + "\n\n" + empty,
            TRIAGE: front_matter(tr("Triage")) + "# " + tr("Waiting for a response") + "\n\n" + empty,
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
    triage = _triage_page(metrics, content, config) if config.triage_public else _private_triage()
    pages = {METRICS: _metrics_page(figures, content, config), TRIAGE: triage}
    if figures["questions"]:
        first, accepted = _timing(figures, "first_response"), _timing(figures, "accepted_answer")
        rows = [
            (name, t["median_hours"], t["p90_hours"], t["at_least_hours"])
            for name, t in ((tr("first response"), first), (tr("accepted answer"), accepted))
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
    return tr("over {hours} (more than {share} still wait)", hours=format_hours(t["at_least_hours"]), share=share)


def _metrics_page(figures: dict[str, Any], content: Content, config: Config) -> str:
    assert content.ledger is not None
    updated = content.ledger.updated_at[:16].replace("T", " ")
    rows = _response_rows(figures) + _community_rows(figures)
    lines = [
        front_matter(tr("Community metrics")),
        "# " + tr("Community metrics") + "\n",
        tr(
            "How quickly customers hear back, and who answers them: the {days} days to {updated} UTC, from the "
            "response ledger `crowdcare respond` writes (`crowdcare metrics --json` prints the same figures).",
            days=WINDOW_DAYS,
            updated=updated,
        )
        + "\n",
        f"| {tr('Figure')} | {tr('Value')} | {tr('What it means')} |",
        "|---|---|---|",
        *(f"| {name} | {value} | {meaning} |" for name, value, meaning in rows),
        "",
    ]
    return "\n".join(lines + _staff_load(figures["staff"], config) + _charts(figures) + _how_measured())


def _response_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The figures of the response guarantee: questions, waiting, time to a first and to an accepted answer."""
    first, accepted = _timing(figures, "first_response"), _timing(figures, "accepted_answer")
    community_hours, staff_hours = first["target_hours"], accepted["target_hours"]
    half, tenth = tr("half"), tr("one in ten")
    return [
        (tr("Questions asked"), f"{figures['questions']:,}", tr("Customer questions opened in the window.")),
        (
            tr("Waiting for a first reply"),
            f"{figures['waiting']:,}",
            tr("Open, and nobody but the asker has replied yet."),
        ),
        (
            tr("Time to first response: median"),
            _quantile(first, "median_hours", half),
            tr(
                "Half the questions had a reply by then; a question still waiting counts as waiting at least as long "
                "as it has (Kaplan-Meier), never left out."
            ),
        ),
        (
            tr("Time to first response: 90th percentile"),
            _quantile(first, "p90_hours", tenth),
            tr("Nine in ten by then."),
        ),
        (
            tr("First response within {hours} h", hours=f"{community_hours:g}"),
            _share(first["within_target"]),
            tr(
                "`responses.community_window_hours`; {count} waiting past it count as misses.",
                count=first["waiting_past_target"],
            ),
        ),
        (
            tr("Time to accepted answer: median"),
            _quantile(accepted, "median_hours", half),
            tr("Until the reply that was accepted was posted, counting questions still without one."),
        ),
        (tr("Time to accepted answer: 90th percentile"), _quantile(accepted, "p90_hours", tenth), tr("Nine in ten.")),
        (
            tr("Accepted answer within {hours} h", hours=f"{staff_hours:g}"),
            _share(accepted["within_target"]),
            tr(
                "`responses.staff_window_hours` (wall-clock here); {count} past it are misses.",
                count=accepted["waiting_past_target"],
            ),
        ),
    ]


def _community_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Who answers, what was deflected, and how ideas are decided."""
    deflected, ideas = figures["deflected"], figures["ideas"]
    median_days = ideas["median_days_to_decision"]
    median = tr("{days} days", days=f"{median_days:g}") if median_days is not None else "–"
    return [
        (
            tr("Answered first by the community"),
            _share(figures["community_share"]),
            tr("Share of first responses not by staff."),
        ),
        (
            tr("Deflected"),
            f"{deflected['folded']:,} ({_share(deflected['share_of_questions'])})",
            tr("Questions folded into an existing solution with their asker's consent."),
        ),
        (
            tr("Duplicate claims"),
            tr(
                "{made} made · {agreed} agreed · {objected} objected · {pending} pending",
                made=deflected["claims_made"],
                agreed=deflected["claims_agreed"],
                objected=deflected["claims_objected"],
                pending=deflected["claims_pending"],
            ),
            tr('"This looks like X" said by the bot or a participant\'s `/duplicate-of`, and what the askers said.'),
        ),
        (
            tr("Idea decisions"),
            tr(
                "{count} in the window · median {median} to a decision",
                count=ideas["decisions_in_window"],
                median=median,
            ),
            tr("Status changes to planned, in progress, shipped, declined or duplicate."),
        ),
        (
            tr("Ideas by status"),
            tr(
                "{shipped} shipped · {declined} declined · {open} open",
                shipped=_share(ideas["share_shipped"]),
                declined=_share(ideas["share_declined"]),
                open=_share(ideas["share_open"]),
            ),
            tr("Of all {ideas}.", ideas=ngettext("{count:,} idea", "{count:,} ideas", ideas["count"])),
        ),
    ]


def _staff_load(staff: list[dict[str, Any]], config: Config) -> list[str]:
    if not staff:
        return []
    lines = [
        "## " + tr("Staff load") + "\n",
        f"| {tr('Staff member')} | {tr('Open questions held')} | {tr('Oldest')} |",
        "|---|---:|---|",
    ]
    lines += [
        f"| {person_link(PersonRef(s['login']), config, METRICS)} | {s['open_held']} | "
        f"{format_hours(s['oldest_hours'])} |"
        for s in staff
    ]
    return [*lines, ""]


def _charts(figures: dict[str, Any]) -> list[str]:
    """The charts, each with its figures in its alternative text."""
    if not figures["questions"]:
        return []
    first, accepted = _timing(figures, "first_response"), _timing(figures, "accepted_answer")
    by, half = figures["first_response_by"], tr("half")
    backlog = tr(
        "Open backlog over time, the last {days} days: open questions and those without any reply ({count} "
        "without a reply now)",
        days=WINDOW_DAYS,
        count=figures["waiting"],
    )
    times = tr(
        "Time to first response: median {first}; to accepted answer: median {accepted}",
        first=_quantile(first, "median_hours", half),
        accepted=_quantile(accepted, "median_hours", half),
    )
    who = tr("Who answered first: community {community}, staff {staff}", community=by["community"], staff=by["staff"])
    return [
        "## " + tr("Charts") + "\n",
        f"![{backlog}](backlog.svg)\n",
        f"![{times}](response-times.svg)\n",
        f"![{who}](answered-by.svg)\n",
    ]


def _how_measured() -> list[str]:
    return [
        "## " + tr("How these are measured") + "\n",
        "- " + tr("*First response*: the first reply by anyone but the asker and bots."),
        "- " + tr("*Accepted answer*: the time until the reply that was accepted was posted."),
        "- "
        + tr(
            "Questions still waiting are counted, not dropped: the medians are Kaplan-Meier estimates (a question "
            "waiting 9 days has taken at least 9 days), and waiting past a target is a miss."
        ),
        "- " + tr("*Backlog*: questions neither closed nor answered (accepted) at the end of each day."),
        "- " + tr("The [triage page](../triage.md) lists who is waiting now."),
        "",
    ]


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
        front_matter(tr("Triage")),
        "# " + tr("Waiting for a response") + "\n",
        tr(
            "For maintainers: the {questions} still waiting for the community or staff at the last sweep, the largest "
            "pending buckets first (answer once, serve many), then the oldest. `crowdcare respond --report` prints "
            "the same list.",
            questions=ngettext("{count:,} question", "{count:,} questions", len(waiting)),
        )
        + "\n",
    ]
    if not waiting:
        lines.append(tr("Nobody is waiting. 🎉") + "\n")
    else:
        columns = (tr("Question"), tr("Waiting"), tr("Bucket"), tr("Status"), tr("Held by"))
        lines += ["| " + " | ".join(columns) + " |", "|---|---|---|---|---|"]
        lines += [_triage_row(record, now, config) for record in waiting]
        lines += _load(waiting, now, config)
    return "\n".join(lines + _answers_to_check(content, config)) + "\n"


def _load(waiting: list[ResponseRecord], now: dt.datetime, config: Config) -> list[str]:
    """Each staff member's share of the waiting questions (and the topics they own), so work can be moved."""
    lines = [
        "\n## " + tr("Load") + "\n",
        tr("Waiting questions each staff member holds; a thread on a topic someone owns goes to them first.") + "\n",
        f"| {tr('Staff')} | {tr('Holds')} | {tr('Longest waiting')} | {tr('Owns')} |",
        "|---|---|---|---|",
    ]
    for member in config.staff:
        held = [r for r in waiting if r.holder and r.holder.lower() == member.login.lower()]
        longest = format_hours(max(age_hours(r, now) for r in held)) if held else "–"
        owns = ", ".join(inline(t) for t in member.topics) or "–"
        away = " " + tr("(away)") if member.away else ""
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
        "\n## " + tr("Answers to check against the current release") + "\n",
        tr(
            "Verified with a release {count} or more behind {current} (`product` in crowdcare.yml), the most asked "
            "first. Check each one and set `verified_with` in its file.",
            count=config.product.stale_after_releases,
            current=inline(config.product.current_version or ""),
        )
        + "\n",
        f"| {tr('Solution')} | {tr('Verified with')} | {tr('Times asked')} |",
        "|---|---|---|",
    ]
    for s in due:
        lines.append(f"| {link(s.title, solution_path(s), here)} | {inline(s.verified_with or '')} | {s.times_asked} |")
    return lines


def _triage_row(record: ResponseRecord, now: dt.datetime, config: Config) -> str:
    question = external(record.title or thread_label(record.url), record.url)
    status = _status_label(record.status.value)
    return (
        f"| {question} <small>{inline(record.thread)}</small> | {format_hours(age_hours(record, now))} | "
        f"{record.bucket_size} | {status} | {_holder(record.holder, config)} |"
    )
