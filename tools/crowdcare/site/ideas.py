"""Generated pages for ideas: the board (top, trending, new; filtered by status), idea pages (votes raw and
verified, trend, status history, decision, merged duplicates), the roadmap and the changelog of shipped ideas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crowdcare.core.i18n import month_year, ngettext, tr
from crowdcare.core.model import Idea, IdeaStatus, PersonRef, StatusChange
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.core.times import parse_time
from crowdcare.site.charts import trend_chart
from crowdcare.site.markup import (
    Page,
    block,
    external,
    front_matter,
    idea_badge,
    idea_label,
    link,
    pager,
    paginate,
    person_link,
)
from crowdcare.tally.votes import newest, series, top, trending, trending_scores

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
        TRENDING: _ranking(tr("Trending ideas"), trending(ideas, scores)[:RANKING_LIMIT], TRENDING, config, scores),
        NEWEST: _ranking(tr("New ideas"), newest(ideas)[:RANKING_LIMIT], NEWEST, config, scores),
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
    sorts = ((tr("Top"), BOARD_INDEX), (tr("Trending"), TRENDING), (tr("New"), NEWEST), (tr("Shipped"), CHANGELOG))
    for name, path in sorts:
        options.append(f"**{name}**" if path == current else link(name, path, here))
    return tr("Sort: {options}", options=" · ".join(options)) + "\n"


def _verified(idea: Idea) -> str:
    return "–" if idea.votes.verified is None else str(idea.votes.verified)


def _ranking(title: str, chosen: Sequence[Idea], here: str, config: Config, scores: dict[str, float]) -> str:
    explain = {
        TRENDING: tr(
            "Ideas gaining votes now: each new vote counts half as much after {days} days.",
            days=f"{config.votes.trending_half_life_days:g}",
        ),
        NEWEST: tr("The newest ideas first."),
    }[here]
    lines = [front_matter(title), f"# {title}\n", explain + "\n", _sorts(here, here)]
    if not chosen:
        lines.append(tr("Nothing here yet: rankings come from the vote history that `crowdcare tally` keeps.") + "\n")
        return "\n".join(lines)
    lines += [_header(tr("Proposed")), "| ---: | ---: | --- | --- | --- |"]
    for idea in chosen:
        lines.append(
            f"| **{idea.votes.score}** | {_verified(idea)} | {link(idea.title, idea_path(idea), here)} | "
            f"{idea_badge(idea.status)} | {idea.created.isoformat()} |"
        )
    return "\n".join(lines) + "\n"


def _header(last: str) -> str:
    return f"| {tr('Votes')} | {tr('Verified')} | {tr('Idea')} | {tr('Status')} | {last} |"


def _status_filter(current: IdeaStatus | None, here: str) -> str:
    everything = tr("All")
    options = [f"**{everything}**" if current is None else link(everything, BOARD_INDEX, here)]
    for status in IdeaStatus:
        label = idea_label(status)
        options.append(f"**{label}**" if status is current else link(label, status_path(status), here))
    return tr("Filter by status: {options}", options=" · ".join(options)) + "\n"


def _board(chunk: Sequence[Idea], page: Page, status: IdeaStatus | None, total: int, first: str, config: Config) -> str:
    title = tr("Idea board") if status is None else tr("Ideas: {status}", status=idea_label(status))
    if page.number > 1:
        title = tr("{title} (page {number})", title=title, number=page.number)
    intro = tr(
        "{ideas}, most votes first. Vote with a 👍 on the idea's thread. *Verified* counts only accounts at least "
        "{days} days old.",
        ideas=ngettext("{count:,} idea", "{count:,} ideas", total),
        days=config.votes.verified_account_age_days,
    )
    lines = [
        front_matter(title),
        f"# {inline(title)}\n",
        f"{intro}{_voting_rules(config)}\n",
        _sorts(BOARD_INDEX if status is None else "", page.path),
        _status_filter(status, page.path),
    ]
    if not chunk:
        lines.append(tr("No ideas here yet.") + "\n")
    else:
        lines += [_header(tr("Author")), "| ---: | ---: | --- | --- | --- |"]
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
        text += " " + tr(
            "Each person's votes count on at most {ideas} still open for votes at once, their earliest; a later vote "
            "counts when one of those ships or closes.",
            ideas=ngettext("{count:,} idea", "{count:,} ideas", rules.budget_open_ideas),
        )
    if rules.weighted:
        text += " " + tr(
            "Verified votes are weighted by role: a staff member's counts {staff}, a customer's {customer} (the "
            "ranking and the acceptance rule count them so; up, down and score are one per person).",
            staff=rules.weight_staff,
            customer=rules.weight_customer,
        )
    if rules.acceptance_votes is not None:
        text += " " + tr(
            "An open idea with {votes} verified votes within {days} days moves to {status}.",
            votes=rules.acceptance_votes,
            days=rules.acceptance_window_days,
            status=idea_label(rules.acceptance_status).lower(),
        )
    return text


def _idea_page(idea: Idea, config: Config, keyed: dict[str, Idea], ideas: Sequence[Idea], has_trend: bool) -> str:
    here = idea_path(idea)
    proposed = tr(
        "proposed by {author} on {day}", author=person_link(idea.author, config, here), day=idea.created.isoformat()
    )
    lines = [
        front_matter(idea.title),
        f"# {inline(idea.title)}\n",
        f"{idea_badge(idea.status)} · {_vote_count(idea, config)} · {proposed}\n",
    ]
    if has_trend:
        lines.append(f"![{tr('Votes over time for this idea')}]({trend_path(idea).rsplit('/', 1)[1]})\n")
    lines += _decision(idea, config, here)
    if idea.duplicate_of and idea.duplicate_of in keyed:
        target = keyed[idea.duplicate_of]
        lines.append(
            tr("This idea duplicates {link}: vote there.", link=link(target.title, idea_path(target), here)) + "\n"
        )
    merged = [i for i in ideas if i.duplicate_of == idea.slug]
    lines += ["## " + tr("The idea") + "\n", block(idea.body) + "\n"]
    if merged:
        lines.append("## " + tr("Merged duplicates") + "\n")
        lines.extend(
            f"- {link(i.title, idea_path(i), here)} ({ngettext('{count:,} vote', '{count:,} votes', i.votes.score)})"
            for i in merged
        )
        lines.append("")
    if idea.history:
        lines.append("## " + tr("Status history") + "\n")
        for change in reversed(idea.history):
            lines.append("- " + _change_line(change, config, here))
        lines.append("")
    if config.site_url:
        feed = link(tr("Atom feed"), idea_feed(idea), here)
        lines.append(tr("Follow its status in a feed reader: {feed}", feed=feed) + "\n")
    lines.append(
        f"{external(tr('Vote and discuss on the thread'), idea.source)}{{ .md-button .md-button--primary }} "
        f"{link(tr('Back to the idea board'), BOARD_INDEX, here)}\n"
    )
    return "\n".join(lines)


def _vote_count(idea: Idea, config: Config) -> str:
    """ "**12** votes, **9** verified (14 up, 2 down)": the count, verified (weighted when weights are set)."""
    votes = idea.votes
    if votes.verified is None:
        verified = ""
    elif config.votes.weighted:
        verified = ", " + tr("**{count}** verified (weighted by role)", count=votes.verified)
    else:
        verified = ", " + tr("**{count}** verified", count=votes.verified)
    return tr(
        "**{score}** votes{verified} ({up} up, {down} down)",
        score=votes.score,
        verified=verified,
        up=votes.up,
        down=votes.down,
    )


def _decision(idea: Idea, config: Config, here: str) -> list[str]:
    """The decision, as a note: who decided, when, why (and the release it shipped in)."""
    decision = idea.decision
    if decision is None:
        return []
    by = person_link(PersonRef(decision.by), config, here)
    decided = tr("By {who} on {day}.", who=by, day=decision.on.isoformat())
    if idea.shipped_in:
        decided += " " + tr("Shipped in {release}.", release=inline(idea.shipped_in))
    heading = tr("Decision: {status}", status=idea_label(idea.status))
    return [f'!!! note "{heading}"\n', f"    {inline(decision.reason)}\n", f"    {decided}\n"]


def _change_line(change: StatusChange, config: Config, here: str) -> str:
    text = f"{change.on.isoformat()}: {idea_badge(change.status)}"
    if change.by is not None:
        text += " " + tr("by {who}", who=person_link(PersonRef(change.by), config, here))
    if change.via == "rule":
        text += " " + tr("(the acceptance rule in crowdcare.yml)")
    elif change.via == "label":
        text += " " + tr("(status label)")
    elif change.via.startswith("https://"):
        text += f" ({external(tr('decided on the thread'), change.via)})"
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
    intro = tr("The changelog of what the community asked for and we built, newest first.")
    if config.site_url:
        intro += " " + tr("Follow it in a feed reader: {feed}.", feed=link(tr("Atom feed"), CHANGELOG_FEED, here))
    lines = [front_matter(tr("Shipped ideas")), "# " + tr("Shipped ideas") + "\n", intro + "\n", _sorts(here, here)]
    month = ""
    for idea in reversed(shipped):
        when = _since(idea)
        if month_year(when) != month:
            month = month_year(when)
            lines.append(f"\n## {month}\n")
        votes = ngettext("{count:,} vote", "{count:,} votes", idea.votes.score)
        lines.append(f"- {when.isoformat()}: {link(idea.title, idea_path(idea), here)}, {_shipped(idea)} ({votes})")
    if not shipped:
        lines.append(tr("Nothing shipped yet."))
    return "\n".join(lines) + "\n"


def _shipped(idea: Idea) -> str:
    return tr("shipped in {release}", release=inline(idea.shipped_in)) if idea.shipped_in else tr("shipped")


def _roadmap(ideas: Sequence[Idea], config: Config) -> str:
    here = ROADMAP
    lines = [
        front_matter(tr("Roadmap")),
        "# " + tr("Roadmap") + "\n",
        tr(
            "What we are building next, what is under way and what has shipped, decided in the open from the {board}.",
            board=link(tr("idea board"), BOARD_INDEX, here),
        )
        + "\n",
    ]
    for status in (IdeaStatus.IN_PROGRESS, IdeaStatus.PLANNED):
        subset = [i for i in ideas if i.status is status]
        lines.append(f"## {idea_label(status)}\n")
        for i in subset:
            votes = ngettext("{count:,} vote", "{count:,} votes", i.votes.score)
            since = tr("since {day}", day=_since(i).isoformat())
            lines.append(f"- {link(i.title, idea_path(i), here)} · {votes} · {since}")
        lines.append("" if subset else tr("Nothing here right now.") + "\n")
    shipped = sorted(
        (i for i in ideas if i.status is IdeaStatus.SHIPPED), key=lambda i: (_since(i), i.slug), reverse=True
    )
    lines.append("## " + idea_label(IdeaStatus.SHIPPED) + "\n")
    for idea in shipped[:ROADMAP_SHIPPED_LIMIT]:
        when = _since(idea).isoformat()
        lines.append(f"- {when}: {link(idea.title, idea_path(idea), here)}, {_shipped(idea)}")
    if not shipped:
        lines.append(tr("Nothing shipped yet."))
    if len(shipped) > ROADMAP_SHIPPED_LIMIT:
        lines.append(f"\n{link(tr('All shipped ideas'), status_path(IdeaStatus.SHIPPED), here)}")
    return "\n".join(lines) + "\n"
