"""The leaderboard page: points from the record for the rolling window (the last 12 months by default) and all
time, with badges, staff apart or left out as ``recognition.staff`` says, and how points are earned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from crowdcare.model import Config
from crowdcare.recognition import Standing
from crowdcare.site.markup import STAFF_MARK, front_matter, inline, person_link

LEADERBOARD = "leaderboard.md"
ROWS = 25

EVENT_NAMES = {
    "answer_accepted": "answer accepted",
    "answer_published": "answer published",
    "question_published": "question published",
    "edit_merged": "edit merged",
    "duplicate_found": "duplicate found",
    "idea_proposed": "idea proposed",
    "idea_shipped": "idea shipped",
    "first_response": "first reply to a customer",
}
EVENT_SOURCES = {
    "answer_accepted": "the answerer of a solution whose answer was accepted (front-matter)",
    "answer_published": "the answerer of a published solution (front-matter)",
    "question_published": "the asker of a published solution (front-matter)",
    "edit_merged": "an `editor` in front-matter, or a commit to kb/ or ideas/ from a GitHub account (git history)",
    "duplicate_found": "a `finder` in front-matter (`/duplicate-of`, `/merge`)",
    "idea_proposed": "the author of an idea",
    "idea_shipped": "the author of an idea that shipped",
    "first_response": "the first reply to a customer's question, by anyone but the asker (the response ledger)",
}


def _table(rows: Sequence[Standing], points: Callable[[Standing], int], config: Config) -> list[str]:
    shown = [s for s in rows if points(s) > 0][:ROWS]
    if not shown:
        return ["Nobody has earned points here yet.\n"]
    lines = ["| # | Person | Points | Badges |", "|---:|---|---:|---|"]
    for rank, standing in enumerate(shown, 1):
        badges = ", ".join(inline(a.badge.name) for a in standing.awards) or "–"
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
    span = "12 months" if window == 365 else f"{window} days"
    lines = [
        front_matter("Leaderboard"),
        "# Leaderboard\n",
        f"Thank you to the people who help. Points come from the record, not from anyone's say-so: solutions and "
        f"ideas in the repository, the response ledger and the git history, as of {today.isoformat()}. "
        + {
            "apart": f"Staff ({STAFF_MARK}) are listed apart.",
            "exclude": "Staff are not ranked.",
            "include": f"Staff ({STAFF_MARK}) are ranked with everyone.",
        }[settings.staff]
        + "\n",
        f"## The last {span}\n",
        *_table(sorted(community, key=lambda s: (-s.recent_points, s.person.login.lower())), _recent, config),
        "## All time\n",
        *_table(community, _total, config),
    ]
    if staff:
        lines += ["## Staff, all time\n", *_table(staff, _total, config)]
    lines += ["## How points are earned\n", "| For | Points | Read from |", "|---|---:|---|"]
    lines += [
        f"| {EVENT_NAMES.get(kind, kind)} | {points} | {EVENT_SOURCES.get(kind, '')} |"
        for kind, points in settings.points
        if points
    ]
    lines += ["", "## Badges\n", "Each is awarded once, dated the day it was earned.\n"]
    for badge in settings.badges:
        rule = ", ".join(f"{count} × {EVENT_NAMES.get(kind, kind)}" for kind, count in badge.when)
        about = f": {inline(badge.description)}" if badge.description else ""
        lines.append(f"- **{inline(badge.name)}**{about} ({rule})")
    return "\n".join(lines) + "\n"


def _recent(standing: Standing) -> int:
    return standing.recent_points


def _total(standing: Standing) -> int:
    return standing.points
