"""Atom feeds (RFC 4287) beside the site: new solutions, the changelog of shipped ideas, and each idea's status
changes, so readers can follow them in a feed reader instead of watching the board.

Feeds are dated by the content (a solution's dates, a status change's day), never by the build, so the same content
makes the same files. Every text is user text: ElementTree escapes it, and characters XML 1.0 cannot carry (control
characters) are dropped first. Entry links are absolute (``community.site_url``); without a site URL there are no
feeds, since a feed reader needs absolute addresses.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from crowdcare.core.model import Idea, IdeaStatus, Role, Solution, StatusChange
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import one_line
from crowdcare.similarity.dedup import idea_status_words, idea_url, solution_url, status_words
from crowdcare.site.ideas import CHANGELOG_FEED, idea_feed, standing
from crowdcare.site.solutions import SOLUTIONS_FEED, current

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feeds(content: Content, config: Config) -> dict[str, str]:
    """{path: Atom document} for every feed of the site; empty without ``community.site_url``."""
    if not config.site_url:
        return {}
    base = config.site_url.rstrip("/") + "/"
    tr = config.tr
    newest = sorted(current(content), key=lambda s: (s.created, s.path), reverse=True)[:LIMIT]
    out = {
        SOLUTIONS_FEED: _feed(
            tr("{name}: new solutions", name=config.name),
            base + SOLUTIONS_FEED,
            base + "solutions/",
            [_solution_entry(s, config) for s in newest],
        )
    }
    ideas = standing(content.ideas)
    # An entry's id is its idea's page and the change's place in that idea's history: stable across builds.
    shipped = [(i, c, k) for i in ideas for k, c in enumerate(_changes(i)) if c.status is IdeaStatus.SHIPPED]
    shipped.sort(key=lambda found: (found[1].on, found[0].slug), reverse=True)
    out[CHANGELOG_FEED] = _feed(
        tr("{name}: shipped ideas", name=config.name),
        base + CHANGELOG_FEED,
        base + "changelog/",
        [_change_entry(i, c, k, config) for i, c, k in shipped[:LIMIT]],
    )
    for idea in content.ideas:  # a merged duplicate's page links its feed too
        changes = list(reversed(_changes(idea)))
        out[idea_feed(idea)] = _feed(
            f"{config.name}: {one_line(idea.title)[:150]}",
            base + idea_feed(idea),
            idea_url(idea, config),
            [_change_entry(idea, c, len(changes) - 1 - n, config) for n, c in enumerate(changes)],
        )
    return out


def _changes(idea: Idea) -> list[StatusChange]:
    """The idea's status changes, oldest first; an idea decided before the history was kept has its decision."""
    if idea.history:
        return list(idea.history)
    if idea.status is not IdeaStatus.OPEN and idea.decision is not None:
        return [StatusChange(idea.status, idea.decision.on, idea.decision.by, idea.decision.reason)]
    return [StatusChange(IdeaStatus.OPEN, idea.created)]


def _solution_entry(solution: Solution, config: Config) -> ET.Element:
    url = solution_url(solution, config)
    answerer = solution.first(Role.ANSWERER)
    return _entry(
        title=solution.title,
        url=url,
        entry_id=url,
        updated=solution.updated,
        published=solution.created,
        summary=solution.question,
        author=answerer.login if answerer else None,
    )


def _change_entry(idea: Idea, change: StatusChange, n: int, config: Config) -> ET.Element:
    url = idea_url(idea, config)
    tr = config.tr
    words = idea_status_words(idea, tr) if change.status is idea.status else status_words(change.status, tr)
    summary = f"{one_line(idea.title)}: {words}" + (f". {change.reason}" if change.reason else "")
    return _entry(
        title=f"{idea.title}: {words}",
        url=url,
        entry_id=f"{url}#status-{n}",
        updated=change.on,
        published=change.on,
        summary=summary,
        author=change.by,
    )


def _entry(
    *, title: str, url: str, entry_id: str, updated: dt.date, published: dt.date, summary: str, author: str | None
) -> ET.Element:
    entry = ET.Element("entry")
    _text(entry, "title", one_line(title)[:200])
    ET.SubElement(entry, "link", href=url, rel="alternate", type="text/html")
    _text(entry, "id", entry_id)
    _text(entry, "updated", _when(updated))
    _text(entry, "published", _when(published))
    _text(entry, "summary", one_line(summary)[:1000])
    if author:
        _text(ET.SubElement(entry, "author"), "name", author)
    return entry


def _feed(title: str, self_url: str, site: str, entries: Sequence[ET.Element]) -> str:
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "title", one_line(title)[:200])
    _text(feed, "id", self_url)
    ET.SubElement(feed, "link", href=self_url, rel="self", type="application/atom+xml")
    ET.SubElement(feed, "link", href=site, rel="alternate", type="text/html")
    # The newest entry's date (or the epoch of an empty feed): the content's time, not the build's.
    dates = [e.findtext("updated") or "" for e in entries]
    _text(feed, "updated", max(dates, default="1970-01-01T00:00:00Z"))
    _text(ET.SubElement(feed, "author"), "name", one_line(title.split(":", 1)[0])[:100])
    feed.extend(entries)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)
    return element


def _when(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
