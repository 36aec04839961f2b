"""Generated pages for ideas: the board (sorted by votes, filtered by status), idea pages and the roadmap."""

from __future__ import annotations

from collections.abc import Sequence

from crowdcare.model import Config, Content, Idea, IdeaStatus, PersonRef
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

BOARD_INDEX = "board/index.md"
ROADMAP = "roadmap.md"
ROADMAP_SHIPPED_LIMIT = 50


def idea_path(idea: Idea) -> str:
    return f"ideas/{idea.slug}.md"


def status_path(status: IdeaStatus) -> str:
    return f"board/{status.value}/index.md"


def by_votes(ideas: Sequence[Idea]) -> list[Idea]:
    return sorted(ideas, key=lambda i: (-i.votes.score, -i.votes.up, i.title.casefold(), i.slug))


def idea_pages(content: Content, config: Config) -> dict[str, str]:
    ideas = by_votes(content.ideas)
    pages: dict[str, str] = {}

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
        pages[idea_path(idea)] = _idea_page(idea, config, keyed, ideas)
    pages[ROADMAP] = _roadmap(ideas, config)
    return pages


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
        f"{plural(total, 'idea')}, most votes first. Vote with a 👍 on the idea's thread.\n",
        _status_filter(status, page.path),
    ]
    if not chunk:
        lines.append("No ideas here yet.\n")
    else:
        lines += ["| Votes | Idea | Status | Author |", "| ---: | --- | --- | --- |"]
        for idea in chunk:
            lines.append(
                f"| **{idea.votes.score}** | {link(idea.title, idea_path(idea), page.path)} | "
                f"{idea_badge(idea.status)} | {person_link(idea.author, config, page.path)} |"
            )
    lines.append(pager(page, first))
    return "\n".join(lines) + "\n"


def _idea_page(idea: Idea, config: Config, keyed: dict[str, Idea], ideas: Sequence[Idea]) -> str:
    here = idea_path(idea)
    votes = idea.votes
    lines = [
        front_matter(idea.title),
        f"# {inline(idea.title)}\n",
        f"{idea_badge(idea.status)} · **{votes.score}** votes "
        f"({votes.up} up, {votes.down} down) · proposed by {person_link(idea.author, config, here)} "
        f"on {idea.created.isoformat()}\n",
    ]
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
    lines.append(
        f"{external('Vote and discuss on the thread', idea.source)}{{ .md-button .md-button--primary }} "
        f"{link('Back to the idea board', BOARD_INDEX, here)}\n"
    )
    return "\n".join(lines)


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
        lines.extend(f"- {link(i.title, idea_path(i), here)} · {i.votes.score} votes" for i in subset)
        lines.append("" if subset else "Nothing here right now.\n")
    shipped = sorted(
        (i for i in ideas if i.status is IdeaStatus.SHIPPED),
        key=lambda i: (i.decision.on if i.decision else i.created, i.slug),
        reverse=True,
    )
    lines.append("## Shipped\n")
    for idea in shipped[:ROADMAP_SHIPPED_LIMIT]:
        when = idea.decision.on.isoformat() if idea.decision else idea.created.isoformat()
        release = f" in {inline(idea.shipped_in)}" if idea.shipped_in else ""
        lines.append(f"- {when}: {link(idea.title, idea_path(idea), here)}, shipped{release}")
    if not shipped:
        lines.append("Nothing shipped yet.")
    if len(shipped) > ROADMAP_SHIPPED_LIMIT:
        lines.append(f"\n{link('All shipped ideas', status_path(IdeaStatus.SHIPPED), here)}")
    return "\n".join(lines) + "\n"
