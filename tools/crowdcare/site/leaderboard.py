"""The leaderboard page: points from the record for the rolling window (the last 12 months by default) and all
time, with badges, staff apart or left out as ``recognition.staff`` says, and how points are earned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from crowdcare.core.i18n import tr
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.people.recognition import Standing
from crowdcare.site.markup import badge_words, front_matter, person_link, staff_mark

LEADERBOARD = "leaderboard.md"
ROWS = 25


def event_name(kind: str) -> str:
    """What earned the points, in words: "answer accepted"."""
    return {
        "answer_accepted": tr("answer accepted"),
        "answer_published": tr("answer published"),
        "question_published": tr("question published"),
        "edit_merged": tr("edit merged"),
        "duplicate_found": tr("duplicate found"),
        "idea_proposed": tr("idea proposed"),
        "idea_shipped": tr("idea shipped"),
        "first_response": tr("first reply to a customer"),
    }.get(kind, kind)


def _event_source(kind: str) -> str:
    return {
        "answer_accepted": tr("the answerer of a solution whose answer was accepted (front-matter)"),
        "answer_published": tr("the answerer of a published solution (front-matter)"),
        "question_published": tr("the asker of a published solution (front-matter)"),
        "edit_merged": tr(
            "an `editor` in front-matter, or a commit to kb/ or ideas/ from a GitHub account (git history)"
        ),
        "duplicate_found": tr("a `finder` in front-matter (`/duplicate-of`, `/merge`)"),
        "idea_proposed": tr("the author of an idea"),
        "idea_shipped": tr("the author of an idea that shipped"),
        "first_response": tr("the first reply to a customer's question, by anyone but the asker (the response ledger)"),
    }.get(kind, "")


def _table(rows: Sequence[Standing], points: Callable[[Standing], int], config: Config) -> list[str]:
    shown = [s for s in rows if points(s) > 0][:ROWS]
    if not shown:
        return [tr("Nobody has earned points here yet.") + "\n"]
    lines = [f"| # | {tr('Person')} | {tr('Points')} | {tr('Badges')} |", "|---:|---|---:|---|"]
    for rank, standing in enumerate(shown, 1):
        badges = ", ".join(inline(badge_words(a.badge)[0]) for a in standing.awards) or "–"
        lines.append(
            f"| {rank} | {person_link(standing.person, config, LEADERBOARD)} | {points(standing):,} | {badges} |"
        )
    return [*lines, ""]


def leaderboard_page(standings: Sequence[Standing], config: Config, today: dt.date) -> str:
    settings = config.recognition
    apart = settings.staff == "apart"
    community = [s for s in standings if not (apart and s.staff)]
    staff = [s for s in standings if apart and s.staff]
    window = settings.window_days
    heading = tr("The last 12 months") if window == 365 else tr("The last {days} days", days=window)
    staff_rule = {
        "apart": tr("Staff ({staff}) are listed apart.", staff=staff_mark()),
        "exclude": tr("Staff are not ranked."),
        "include": tr("Staff ({staff}) are ranked with everyone.", staff=staff_mark()),
    }[settings.staff]
    intro = tr(
        "Thank you to the people who help. Points come from the record, not from anyone's say-so: solutions and "
        "ideas in the repository, the response ledger and the git history, as of {day}.",
        day=today.isoformat(),
    )
    lines = [
        front_matter(tr("Leaderboard")),
        "# " + tr("Leaderboard") + "\n",
        f"{intro} {staff_rule}\n",
        f"## {heading}\n",
        *_table(sorted(community, key=lambda s: (-s.recent_points, s.person.login.lower())), _recent, config),
        "## " + tr("All time") + "\n",
        *_table(community, _total, config),
    ]
    if staff:
        lines += ["## " + tr("Staff, all time") + "\n", *_table(staff, _total, config)]
    lines += ["## " + tr("How points are earned") + "\n"]
    lines += [f"| {tr('For')} | {tr('Points')} | {tr('Read from')} |", "|---|---:|---|"]
    lines += [
        f"| {event_name(kind)} | {points} | {_event_source(kind)} |" for kind, points in settings.points if points
    ]
    lines += ["", "## " + tr("Badges") + "\n", tr("Each is awarded once, dated the day it was earned.") + "\n"]
    for badge in settings.badges:
        rule = ", ".join(f"{count} × {event_name(kind)}" for kind, count in badge.when)
        name, description = badge_words(badge)
        about = f": {inline(description)}" if description else ""
        lines.append(f"- **{inline(name)}**{about} ({rule})")
    return "\n".join(lines) + "\n"


def _recent(standing: Standing) -> int:
    return standing.recent_points


def _total(standing: Standing) -> int:
    return standing.points
