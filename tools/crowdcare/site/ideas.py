"""Generated pages for ideas: the board (top, trending, new; filtered by status), idea pages (votes raw and
verified, trend, status history, decision, merged duplicates), the roadmap and the changelog of shipped ideas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crowdcare.hours import parse_time
from crowdcare.model import Config, Content, Idea, IdeaStatus, PersonRef, StatusChange
from crowdcare.site.charts import trend_chart
from crowdcare.site.markup import (
    IDEA_LABELS,
    Page,
    block,
    external,
    front_matter,
    idea_badge,
    inline,
    link,
    pager,
    paginate,
    person_link,
    plural,
)
from crowdcare.votes import newest, series, top, trending, trending_scores

BOARD_INDEX = "board/index.md"
TRENDING = "board/trending.md"
NEWEST = "board/new.md"
ROADMAP = "roadmap.md"
CHANGELOG = "changelog.md"
CHANGELOG_FEED = "feeds/changelog.xml"  # Atom (site/feeds.py), with community.site_url
ROADMAP_SHIPPED_LIMIT = 50
RANKING_LIMIT = 50  # trending and new list this many ideas


def idea_feed(idea: Idea) -> str:
    return f"feeds/ideas/{idea.slug}.xml"


def standing(ideas: Sequence[Idea]) -> list[Idea]:
    """The ideas that stand on their own: not merged into another as its duplicate."""
    return [i for i in ideas if i.duplicate_of is None]


def idea_path(idea: Idea) -> str:
    return f"ideas/{idea.slug}.md"


def status_path(status: IdeaStatus) -> str:
    return f"board/{status.value}/index.md"


def trend_path(idea: Idea) -> str:
    return f"ideas/{idea.slug}-trend.svg"


def idea_pages(content: Content, config: Config) -> dict[str, str]:
    ideas = top(content.ideas)
    history = list(content.vote_history)
    # Trending is measured at the last tally, not at build time: a page is a function of the content alone.
    half_life = config.votes.trending_half_life_days
    scores = trending_scores(history, parse_time(history[-1].at), half_life) if history else {}
    pages: dict[str, str] = {
        TRENDING: _ranking("Trending ideas", trending(ideas, scores)[:RANKING_LIMIT], TRENDING, config, scores),
        NEWEST: _ranking("New ideas", newest(ideas)[:RANKING_LIMIT], NEWEST, config, scores),
        CHANGELOG: _changelog(ideas, config),
    }

    def render_all(chunk: Sequence[Idea], page: Page) -> str:
        return _board(chunk, page, None, len(ideas), BOARD_INDEX, config)

    pages.update(paginate(ideas, BOARD_INDEX, config.page_size, render_all))
    for status in IdeaStatus:
        subset = [i for i in ideas if i.status is status]
        first = status_path(status)

        def render(
            chunk: Sequence[Idea], page: Page, status: IdeaStatus = status, n: int = len(subset), first: str = first
        ) -> str:
            return _board(chunk, page, status, n, first, config)

        pages.update(paginate(subset, first, config.page_size, render))
    keyed = {i.slug: i for i in ideas}
    for idea in ideas:
        points = [(parse_time(at), f[0] - f[1], f[2]) for at, f in series(history, idea.slug)]
        has_trend = len(points) >= 2
        if has_trend:
            pages[trend_path(idea)] = trend_chart(points)
        pages[idea_path(idea)] = _idea_page(idea, config, keyed, ideas, has_trend)
    pages[ROADMAP] = _roadmap(ideas, config)
    return pages


def _sorts(current: str, here: str) -> str:
    options = []
    for name, path in (("Top", BOARD_INDEX), ("Trending", TRENDING), ("New", NEWEST), ("Shipped", CHANGELOG)):
        options.append(f"**{name}**" if path == current else link(name, path, here))
    return "Sort: " + " · ".join(options) + "\n"


def _verified(idea: Idea) -> str:
    return "–" if idea.votes.verified is None else str(idea.votes.verified)


def _ranking(title: str, chosen: Sequence[Idea], here: str, config: Config, scores: dict[str, float]) -> str:
    explain = {
        TRENDING: "Ideas gaining votes now: each new vote counts half as much after "
        f"{config.votes.trending_half_life_days:g} days.",
        NEWEST: "The newest ideas first.",
    }[here]
    lines = [front_matter(title), f"# {title}\n", explain + "\n", _sorts(here, here)]
    if not chosen:
        lines.append("Nothing here yet: rankings come from the vote history that `crowdcare tally` keeps.\n")
        return "\n".join(lines)
    lines += ["| Votes | Verified | Idea | Status | Proposed |", "| ---: | ---: | --- | --- | --- |"]
    for idea in chosen:
        lines.append(
            f"| **{idea.votes.score}** | {_verified(idea)} | {link(idea.title, idea_path(idea), here)} | "
            f"{idea_badge(idea.status)} | {idea.created.isoformat()} |"
        )
    return "\n".join(lines) + "\n"


def _status_filter(current: IdeaStatus | None, here: str) -> str:
    options = ["**All**" if current is None else link("All", BOARD_INDEX, here)]
    for status in IdeaStatus:
        label = IDEA_LABELS[status]
        options.append(f"**{label}**" if status is current else link(label, status_path(status), here))
    return "Filter by status: " + " · ".join(options) + "\n"


def _board(chunk: Sequence[Idea], page: Page, status: IdeaStatus | None, total: int, first: str, config: Config) -> str:
    title = "Idea board" if status is None else f"Ideas: {IDEA_LABELS[status]}"
    if page.number > 1:
        title += f" (page {page.number})"
    lines = [
        front_matter(title),
        f"# {inline(title)}\n",
        f"{plural(total, 'idea')}, most votes first. Vote with a 👍 on the idea's thread. *Verified* counts "
        f"only accounts at least {config.votes.verified_account_age_days} days old.{_voting_rules(config)}\n",
        _sorts(BOARD_INDEX if status is None else "", page.path),
        _status_filter(status, page.path),
    ]
    if not chunk:
        lines.append("No ideas here yet.\n")
    else:
        lines += ["| Votes | Verified | Idea | Status | Author |", "| ---: | ---: | --- | --- | --- |"]
        for idea in chunk:
            lines.append(
                f"| **{idea.votes.score}** | {_verified(idea)} | {link(idea.title, idea_path(idea), page.path)} | "
                f"{idea_badge(idea.status)} | {person_link(idea.author, config, page.path)} |"
            )
    lines.append(pager(page, first))
    return "\n".join(lines) + "\n"


def _voting_rules(config: Config) -> str:
    """The published voting rules (crowdcare.yml ``votes``): the budget and the acceptance rule, when set."""
    rules = config.votes
    text = ""
    if rules.budget_open_ideas is not None:
        text += (
            f" Each person's votes count on at most {plural(rules.budget_open_ideas, 'idea')} still open for votes at "
            "once, their earliest; a later vote counts when one of those ships or closes."
        )
    if rules.weighted:
        text += (
            f" Verified votes are weighted by role: a staff member's counts {rules.weight_staff}, a customer's "
            f"{rules.weight_customer} (the ranking and the acceptance rule count them so; up, down and score are "
            "one per person)."
        )
    if rules.acceptance_votes is not None:
        text += (
            f" An open idea with {rules.acceptance_votes} verified votes within {rules.acceptance_window_days} days "
            f"moves to {IDEA_LABELS[rules.acceptance_status].lower()}."
        )
    return text


def _idea_page(idea: Idea, config: Config, keyed: dict[str, Idea], ideas: Sequence[Idea], has_trend: bool) -> str:
    here = idea_path(idea)
    votes = idea.votes
    weighted = " (weighted by role)" if config.votes.weighted else ""
    verified = "" if votes.verified is None else f", **{votes.verified}** verified{weighted}"
    lines = [
        front_matter(idea.title),
        f"# {inline(idea.title)}\n",
        f"{idea_badge(idea.status)} · **{votes.score}** votes{verified} "
        f"({votes.up} up, {votes.down} down) · proposed by {person_link(idea.author, config, here)} "
        f"on {idea.created.isoformat()}\n",
    ]
    if has_trend:
        lines.append(f"![Votes over time for this idea]({trend_path(idea).rsplit('/', 1)[1]})\n")
    if idea.decision is not None:
        decision = idea.decision
        by = person_link(PersonRef(decision.by), config, here)
        lines += [
            f'!!! note "Decision: {IDEA_LABELS[idea.status]}"\n',
            f"    {inline(decision.reason)}\n",
            f"    By {by} on {decision.on.isoformat()}."
            + (f" Shipped in {inline(idea.shipped_in)}." if idea.shipped_in else "")
            + "\n",
        ]
    if idea.duplicate_of and idea.duplicate_of in keyed:
        target = keyed[idea.duplicate_of]
        lines.append(f"This idea duplicates {link(target.title, idea_path(target), here)}: vote there.\n")
    merged = [i for i in ideas if i.duplicate_of == idea.slug]
    lines += ["## The idea\n", block(idea.body) + "\n"]
    if merged:
        lines.append("## Merged duplicates\n")
        lines.extend(f"- {link(i.title, idea_path(i), here)} ({i.votes.score} votes)" for i in merged)
        lines.append("")
    if idea.history:
        lines.append("## Status history\n")
        for change in reversed(idea.history):
            lines.append("- " + _change_line(change, config, here))
        lines.append("")
    if config.site_url:
        lines.append(f"Follow its status in a feed reader: {link('Atom feed', idea_feed(idea), here)}\n")
    lines.append(
        f"{external('Vote and discuss on the thread', idea.source)}{{ .md-button .md-button--primary }} "
        f"{link('Back to the idea board', BOARD_INDEX, here)}\n"
    )
    return "\n".join(lines)


def _change_line(change: StatusChange, config: Config, here: str) -> str:
    text = f"{change.on.isoformat()}: {idea_badge(change.status)}"
    if change.by is not None:
        text += f" by {person_link(PersonRef(change.by), config, here)}"
    if change.via == "rule":
        text += " (the acceptance rule in crowdcare.yml)"
    elif change.via == "label":
        text += " (status label)"
    elif change.via.startswith("https://"):
        text += f" ({external('decided on the thread', change.via)})"
    if change.reason:
        text += f": {inline(change.reason)}"
    return text


def _since(idea: Idea) -> dt.date:
    """When the idea entered its current status (its history's last entry for it), else its creation."""
    entered = [c.on for c in idea.history if c.status is idea.status]
    return entered[-1] if entered else (idea.decision.on if idea.decision else idea.created)


def _changelog(ideas: Sequence[Idea], config: Config) -> str:
    here = CHANGELOG
    shipped = sorted((i for i in ideas if i.status is IdeaStatus.SHIPPED), key=lambda i: (_since(i), i.slug))
    lines = [
        front_matter("Shipped ideas"),
        "# Shipped ideas\n",
        "The changelog of what the community asked for and we built, newest first."
        + (f" Follow it in a feed reader: {link('Atom feed', CHANGELOG_FEED, here)}." if config.site_url else "")
        + "\n",
        _sorts(here, here),
    ]
    month = ""
    for idea in reversed(shipped):
        when = _since(idea)
        if when.strftime("%B %Y") != month:
            month = when.strftime("%B %Y")
            lines.append(f"\n## {month}\n")
        release = f" in {inline(idea.shipped_in)}" if idea.shipped_in else ""
        lines.append(
            f"- {when.isoformat()}: {link(idea.title, idea_path(idea), here)}, shipped{release} "
            f"({idea.votes.score} votes)"
        )
    if not shipped:
        lines.append("Nothing shipped yet.")
    return "\n".join(lines) + "\n"


def _roadmap(ideas: Sequence[Idea], config: Config) -> str:
    here = ROADMAP
    lines = [
        front_matter("Roadmap"),
        "# Roadmap\n",
        "What we are building next, what is under way and what has shipped, decided in the open from the "
        f"{link('idea board', BOARD_INDEX, here)}.\n",
    ]
    for status, heading in ((IdeaStatus.IN_PROGRESS, "In progress"), (IdeaStatus.PLANNED, "Planned")):
        subset = [i for i in ideas if i.status is status]
        lines.append(f"## {heading}\n")
        lines.extend(
            f"- {link(i.title, idea_path(i), here)} · {i.votes.score} votes · since {_since(i).isoformat()}"
            for i in subset
        )
        lines.append("" if subset else "Nothing here right now.\n")
    shipped = sorted(
        (i for i in ideas if i.status is IdeaStatus.SHIPPED), key=lambda i: (_since(i), i.slug), reverse=True
    )
    lines.append("## Shipped\n")
    for idea in shipped[:ROADMAP_SHIPPED_LIMIT]:
        when = _since(idea).isoformat()
        release = f" in {inline(idea.shipped_in)}" if idea.shipped_in else ""
        lines.append(f"- {when}: {link(idea.title, idea_path(idea), here)}, shipped{release}")
    if not shipped:
        lines.append("Nothing shipped yet.")
    if len(shipped) > ROADMAP_SHIPPED_LIMIT:
        lines.append(f"\n{link('All shipped ideas', status_path(IdeaStatus.SHIPPED), here)}")
    return "\n".join(lines) + "\n"
