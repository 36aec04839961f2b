"""Page generation: a pure function from loaded content to ``{docs-relative path: Markdown}``.

The MkDocs plugin is a thin adapter over ``render_pages``; ``crowdcare pages --out DIR`` writes the same pages
as plain files for other generators (Zensical runs no MkDocs plugins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crowdcare.content.validate import check_content
from crowdcare.core.errors import ContentError
from crowdcare.core.i18n import ngettext, tr, translating
from crowdcare.core.model import IdeaStatus
from crowdcare.core.repository import Content, published
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.core.times import parse_time
from crowdcare.people.recognition import Edit, latest_day, standings
from crowdcare.site.community import community_pages
from crowdcare.site.ideas import BOARD_INDEX, ROADMAP, idea_pages, idea_path
from crowdcare.site.leaderboard import LEADERBOARD, leaderboard_page
from crowdcare.site.markup import (
    external,
    front_matter,
    idea_badge,
    link,
    person_path,
    plural,
    solution_badge,
    staff_mark,
)
from crowdcare.site.people import CONTRIBUTORS_INDEX, collect_profiles, people_pages
from crowdcare.site.solutions import SOLUTIONS_INDEX, TAGS_INDEX, ranked, solution_pages, solution_path, topic_path
from crowdcare.tally.votes import OPEN_TO_VOTES, ranking_votes, top

HOME = "index.md"
HOME_LIST = 5


def render_pages(content: Content, edits: Sequence[Edit] = (), today: dt.date | None = None) -> dict[str, str]:
    """Every generated page. Refuses content with findings: a site is only built from valid content.
    ``edits`` (git history) and ``today`` (the leaderboard's rolling window; default: the last response sweep's
    day, else the newest event's) are given by the caller, which reads git and the clock."""
    findings = [*content.findings, *check_content(content)]
    if findings or content.config is None:
        shown = "\n".join(f"  {f}" for f in findings[:20])
        more = f"\n  ... and {len(findings) - 20} more" if len(findings) > 20 else ""
        raise ContentError(
            f"content has {plural(len(findings), 'finding')}; run `crowdcare validate`:\n{shown}{more}",
            tuple(findings),
        )
    config = content.config
    if today is None:
        today = parse_time(content.ledger.updated_at).date() if content.ledger else latest_day(content)
    with translating(config.tr):
        pages = {HOME: _home(content, config)}
        pages.update(solution_pages(content, config))
        pages.update(idea_pages(content, config))
        ranks = standings(content, config, edits, today)
        pages.update(people_pages(content, config, ranks))
        pages[LEADERBOARD] = leaderboard_page(ranks, config, today)
        pages.update(community_pages(content, config))
    return dict(sorted(pages.items()))


def _home(content: Content, config: Config) -> str:
    here = HOME
    solutions = ranked(published(content))
    # Top ideas with votes to show: an idea nobody has voted for is not "top".
    ideas = top([i for i in content.ideas if i.status in OPEN_TO_VOTES and ranking_votes(i) > 0])
    shipped = sorted(
        (i for i in content.ideas if i.status is IdeaStatus.SHIPPED and i.decision),
        key=lambda i: i.decision.on if i.decision else i.created,
        reverse=True,
    )
    staff = [p for p in collect_profiles(content, config) if config.is_staff(p.person)]
    counts = tr(
        "{solutions}, {ideas}.",
        solutions=ngettext("{count:,} solution", "{count:,} solutions", len(solutions)),
        ideas=ngettext("{count:,} idea", "{count:,} ideas", len(content.ideas)),
    )
    lines = [
        front_matter(tr("Home")),
        "# " + tr("{name} community", name=inline(config.name)) + "\n",
        tr("Answers from customers and staff, ideas the community votes on, and what we are building next.")
        + f" {counts}\n",
        f"{link(tr('Browse solutions'), SOLUTIONS_INDEX, here)}{{ .md-button }} "
        f"{external(tr('Ask a question'), config.ask_url)}{{ .md-button .md-button--primary }}\n",
        "## " + tr("Most asked") + "\n",
    ]
    for s in solutions[:HOME_LIST]:
        asked = ngettext("asked {count:,} time", "asked {count:,} times", s.times_asked)
        lines.append(f"- {link(s.title, solution_path(s), here)} {solution_badge(s.status)} · {asked}")
    lines.append("\n## " + tr("Topics") + "\n")
    lines.extend(
        f"- {link(t.title, topic_path(t.slug), here)}" + (f": {inline(t.description)}" if t.description else "")
        for t in config.topics
    )
    lines.append("\n## " + tr("Top ideas") + "\n")
    for idea in ideas[:HOME_LIST]:
        votes = ngettext("{count:,} vote", "{count:,} votes", idea.votes.score)
        lines.append(f"- {link(idea.title, idea_path(idea), here)} {idea_badge(idea.status)} · {votes}")
    board, roadmap = link(tr("See the idea board"), BOARD_INDEX, here), link(tr("See the roadmap"), ROADMAP, here)
    lines.append(f"\n{board} · {roadmap}\n")
    if shipped:
        lines.append("## " + tr("Recently shipped") + "\n")
        lines.extend(
            f"- {link(i.title, idea_path(i), here)}"
            + (" " + tr("in {release}", release=inline(i.shipped_in)) if i.shipped_in else "")
            for i in shipped[:3]
        )
    team = tr("{staff} marks staff. Answers come from the whole community:", staff=staff_mark())
    lines.append("\n## " + tr("The team") + f"\n\n{team}\n")
    lines.extend(f"- {link('@' + p.person.login, person_path(p.person), here)}" for p in staff)
    lines.append(
        f"\n{link(tr('All contributors'), CONTRIBUTORS_INDEX, here)} · {link(tr('Leaderboard'), LEADERBOARD, here)} · "
        f"{link(tr('Browse by tag'), TAGS_INDEX, here)}\n"
    )
    return "\n".join(lines)
