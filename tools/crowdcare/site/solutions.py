"""Generated pages for solutions: topic listings, one page per solution, and tags."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping, Sequence

from crowdcare.core.i18n import ngettext, tr
from crowdcare.core.model import Idea, Solution, SolutionStatus
from crowdcare.core.repository import Content, published
from crowdcare.core.settings import Config
from crowdcare.core.text import inline, one_line
from crowdcare.promote.freshness import stale
from crowdcare.site.markup import (
    Page,
    block,
    external,
    front_matter,
    html_link,
    link,
    page_url,
    pager,
    paginate,
    person_link,
    quote,
    role_label,
    solution_badge,
    thread_label,
    thread_order,
)

SOLUTIONS_INDEX = "solutions/index.md"
TAGS_INDEX = "tags/index.md"
SOLUTIONS_FEED = "feeds/solutions.xml"  # Atom (site/feeds.py), with community.site_url


def solution_path(solution: Solution) -> str:
    return f"kb/{solution.topic}/{solution.slug}.md"


def topic_path(topic: str) -> str:
    return f"solutions/{topic}/index.md"


def tag_path(tag: str) -> str:
    return f"tags/{tag}/index.md"


def ranked(solutions: Sequence[Solution]) -> list[Solution]:
    return sorted(solutions, key=lambda s: (-s.times_asked, s.title.casefold(), s.path))


def current(content: Content) -> list[Solution]:
    """Published solutions that still answer their question (not superseded): what site search and the feeds offer."""
    return [s for s in published(content) if s.status is not SolutionStatus.SUPERSEDED]


def tombstones(content: Content) -> list[tuple[Solution, Solution]]:
    """(merged solution, its canonical solution) for every merge whose canonical solution is published."""
    keyed = {s.key: s for s in published(content)}
    return [(s, keyed[s.superseded_by]) for s in content.solutions if s.superseded_by in keyed]


def solution_pages(content: Content, config: Config) -> dict[str, str]:
    solutions = published(content)
    pages: dict[str, str] = {SOLUTIONS_INDEX: _solutions_index(solutions, config)}
    by_topic: dict[str, list[Solution]] = defaultdict(list)
    for solution in solutions:
        by_topic[solution.topic].append(solution)
    keyed = {s.key: s for s in solutions}
    for topic in config.topics:
        items = ranked(by_topic.get(topic.slug, []))
        first = topic_path(topic.slug)

        def render(chunk: Sequence[Solution], page: Page, title: str = topic.title, first: str = first) -> str:
            return _topic_listing(chunk, page, title, first, config)

        pages.update(paginate(items, first, config.page_size, render))
    # What each thread asked and when, from the response ledger (the questions of the last responses.keep_days).
    asked = {r.url: (r.title, r.asked_at[:10]) for r in (content.ledger.records if content.ledger else ())}
    for solution in solutions:
        pages[solution_path(solution)] = solution_page(solution, config, keyed, asked)
    for merged, canonical in tombstones(content):
        pages[solution_path(merged)] = tombstone_page(merged, canonical)
    pages.update(_tag_pages(solutions, content.ideas, config))
    return pages


def _solutions_index(solutions: list[Solution], config: Config) -> str:
    here = SOLUTIONS_INDEX
    counts: dict[str, int] = defaultdict(int)
    asked: dict[str, int] = defaultdict(int)
    for s in solutions:
        counts[s.topic] += 1
        asked[s.topic] += s.times_asked
    intro = tr(
        "{answers} to customer questions, in {topics}. Use the search box to find yours, or browse by topic.",
        answers=ngettext("{count:,} answer", "{count:,} answers", len(solutions)),
        topics=ngettext("{count:,} topic", "{count:,} topics", len(config.topics)),
    )
    if config.site_url:
        intro += " " + tr("New solutions in a feed reader: {feed}.", feed=link(tr("Atom feed"), SOLUTIONS_FEED, here))
    lines = [
        front_matter(tr("Solutions")),
        "# " + tr("Solutions") + "\n",
        intro + "\n",
        f"| {tr('Topic')} | {tr('Solutions')} | {tr('Times asked')} |",
        "| --- | ---: | ---: |",
    ]
    for topic in config.topics:
        label = link(topic.title, topic_path(topic.slug), here)
        description = f"<br>{inline(topic.description)}" if topic.description else ""
        lines.append(f"| {label}{description} | {counts[topic.slug]} | {asked[topic.slug]} |")
    ask = external(tr("Ask a new question"), config.ask_url)
    lines.append("\n" + tr("Cannot find it? {ask}", ask=ask) + "{ .md-button }\n")
    return "\n".join(lines)


def _topic_listing(chunk: Sequence[Solution], page: Page, title: str, first: str, config: Config) -> str:
    heading = title if page.number == 1 else tr("{title} (page {number})", title=title, number=page.number)
    lines = [front_matter(heading), f"# {inline(heading)}\n"]
    if not chunk:
        lines.append(tr("No solutions in this topic yet.") + "\n")
    for s in chunk:
        asked = ngettext("asked {count:,} time", "asked {count:,} times", s.times_asked)
        updated = tr("updated {day}", day=s.updated.isoformat())
        lines.append(
            f"- {link(s.title, solution_path(s), page.path)} {solution_badge(s.status)}  \n  {asked} · {updated}"
        )
    lines.append(pager(page, first))
    lines.append(f"\n{link(tr('All topics'), SOLUTIONS_INDEX, page.path)}\n")
    return "\n".join(lines)


def solution_page(
    solution: Solution,
    config: Config,
    keyed: dict[str, Solution],
    asked: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    here = solution_path(solution)
    asked_times = ngettext("Asked {count:,} time", "Asked {count:,} times", solution.times_asked)
    lines = [
        front_matter(solution.title),
        f"# {inline(solution.title)}\n",
        " · ".join(_facts(solution, config, here)) + "\n",
        "## " + tr("The question") + "\n",
        quote(solution.question) + "\n",
        "## " + tr("The answer") + "\n",
        block(solution.body) + "\n",
        "## " + tr("Contributors") + "\n",
    ]
    for contributor in solution.contributors:
        lines.append(f"- {person_link(contributor.person, config, here)} · {role_label(contributor.role)}")
    lines += _threads(solution, asked_times, asked or {})
    if solution.asked_as:
        # The wordings of the questions folded into it: readers searching the site in their own words find it.
        lines.append(tr("Also asked as:") + "\n")
        lines.extend(f"- {inline(phrasing)}" for phrasing in solution.asked_as[:50])
        lines.append("")
    related = [keyed[key] for key in solution.related if key in keyed]
    if related:
        lines.append("\n## " + tr("Related solutions") + "\n")
        lines.extend(f"- {link(r.title, solution_path(r), here)}" for r in related)
    if solution.aliases:
        lines.append("\n" + tr("Also called: {aliases}", aliases=", ".join(inline(a) for a in solution.aliases)))
    if solution.tags:
        tags = ", ".join(link(tag, tag_path(tag), here) for tag in solution.tags)
        lines.append("\n" + tr("Tags: {tags}", tags=tags))
    lines.append(
        f'\n<p class="cc-actions">{html_link(tr("View the source thread"), solution.source, "md-button")} '
        f"{html_link(tr('Ask a new question'), config.ask_url, 'md-button md-button--primary')}</p>\n"
    )
    return "\n".join(lines)


def _facts(solution: Solution, config: Config, here: str) -> list[str]:
    """The line under a solution's title: its status, how often it was asked, topic, updated, release checked."""
    topic = config.topic(solution.topic)
    topic_title = topic.title if topic else solution.topic
    asked_times = ngettext("Asked {count:,} time", "Asked {count:,} times", solution.times_asked)
    facts = [
        solution_badge(solution.status),
        f'<span class="cc-asked">{asked_times}</span>',
        tr("Topic: {topic}", topic=link(topic_title, topic_path(solution.topic), here)),
        tr("Updated {day}", day=solution.updated.isoformat()),
    ]
    if solution.verified_with:
        behind = stale(solution, config)
        current = config.product.current_version or ""
        checked = tr(
            "Checked with {release}, current {current}", release=inline(solution.verified_with), current=inline(current)
        )
        facts.append(
            f'<span class="cc-stale">{checked}</span>'
            if behind is not None
            else tr("Verified with {release}", release=inline(solution.verified_with))
        )
    return facts


def _threads(solution: Solution, asked_times: str, known: Mapping[str, tuple[str, str]]) -> list[str]:
    """Every thread where it was asked, the source first, with its title and date where the ledger knows them."""
    lines: list[str] = []
    threads = sorted(
        {solution.source, *solution.also_asked}, key=lambda url: (url != solution.source, thread_order(url))
    )
    lines.append(f"\n## {asked_times}\n")
    lines.append(tr("Customers asked this in these threads:") + "\n")
    origin = " " + tr("(where this answer comes from)")

    def item(url: str) -> str:
        # The thread's title and date where the response ledger knows them, else its number.
        title, day = known.get(url, ("", ""))
        text = one_line(title) if title else thread_label(url)
        detail = " · ".join(x for x in (thread_label(url) if title else "", day) if x)
        note = f" <small>{html.escape(detail, quote=False)}</small>" if detail else ""
        return f"<li>{html_link(text, url)}{note}{origin if url == solution.source else ''}</li>"

    items = "".join(item(url) for url in threads)
    lines.append(f'<ul class="cc-threads">{items}</ul>\n')
    return lines


def tombstone_page(merged: Solution, canonical: Solution) -> str:
    """What stays at a merged solution's address: a short note that sends readers on to the canonical page
    (at once, with a meta refresh from the theme's template) and keeps the old link working."""
    here = solution_path(merged)
    target = solution_path(canonical)
    lines = [
        front_matter(merged.title, redirect=page_url(target, here), search={"exclude": True}),
        f"# {inline(merged.title)}\n",
        tr(
            "This question was merged into {link}, which answers it and lists every thread where it was asked. "
            "Taking you there…",
            link=link(canonical.title, target, here),
        )
        + "\n",
        f'<p class="cc-actions">{html_link(tr("View the source thread"), merged.source, "md-button")}</p>\n',
    ]
    return "\n".join(lines)


def _tag_pages(solutions: list[Solution], ideas: Sequence[Idea], config: Config) -> dict[str, str]:
    tagged: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # tag -> (kind, title, path)
    for s in ranked(solutions):
        for tag in s.tags:
            tagged[tag].append((tr("Solution"), s.title, solution_path(s)))
    for idea in sorted(ideas, key=lambda i: (-i.votes.score, i.title.casefold())):
        for tag in idea.tags:
            tagged[tag].append((tr("Idea"), idea.title, f"ideas/{idea.slug}.md"))
    lines = [front_matter(tr("Tags")), "# " + tr("Tags") + "\n"]
    if not tagged:
        lines.append(tr("No tags yet."))
    for tag in sorted(tagged):
        lines.append(f"- {link(tag, tag_path(tag), TAGS_INDEX)} ({len(tagged[tag])})")
    pages = {TAGS_INDEX: "\n".join(lines) + "\n"}
    for tag, items in tagged.items():
        first = tag_path(tag)

        def render(chunk: Sequence[tuple[str, str, str]], page: Page, tag: str = tag, first: str = first) -> str:
            out = [front_matter(tr("Tag: {tag}", tag=tag)), "# " + tr("Tag: {tag}", tag=inline(tag)) + "\n"]
            out.extend(f"- {kind}: {link(title, path, page.path)}" for kind, title, path in chunk)
            out.append(pager(page, first))
            out.append(f"\n{link(tr('All tags'), TAGS_INDEX, page.path)}\n")
            return "\n".join(out)

        pages.update(paginate(items, first, config.page_size, render))
    return pages
