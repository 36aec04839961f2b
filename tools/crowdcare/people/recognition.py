"""Recognition: points and badges for the people who help, computed from the record.

Every point is an event with a person, a date and what it was for, read from what the repository already keeps:
the front-matter of solutions and ideas (who asked, answered, accepted, edited, found a duplicate; who proposed an
idea and when it shipped), the response ledger (who replied first to a customer), and the git history of ``kb/``
and ``ideas/`` (commits by GitHub accounts, given by the adapter that reads git). Nothing is stored: the same
record gives the same points, and a reviewed pull request that corrects the record corrects the points.

Weights, badges and where staff stand are ``recognition:`` in crowdcare.yml. A badge is awarded once, dated the
day its last condition was reached.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crowdcare.core.model import IdeaStatus, PersonRef, Role, Solution, SolutionStatus
from crowdcare.core.repository import Content
from crowdcare.core.settings import Badge, Config
from crowdcare.core.times import parse_time

LISTED = (SolutionStatus.COMMUNITY, SolutionStatus.ACCEPTED, SolutionStatus.OFFICIAL)


@dataclass(frozen=True)
class Edit:
    """A commit by a GitHub account to a file under kb/ or ideas/, from git history."""

    person: PersonRef
    on: dt.date
    path: str
    commit: str


@dataclass(frozen=True)
class Event:
    person: PersonRef
    kind: str  # one of model.RECOGNITION_EVENTS
    on: dt.date
    what: str  # the title of the solution, idea or question
    where: str  # a repository path (kb/..., ideas/...) or a thread URL
    source: str  # front-matter | git | ledger


@dataclass(frozen=True)
class Award:
    badge: Badge
    on: dt.date


@dataclass(frozen=True)
class Standing:
    """One person's recognition: points all time and in the rolling window, counts, badges, dated history."""

    person: PersonRef
    staff: bool
    points: int
    recent_points: int
    counts: dict[str, int]
    awards: tuple[Award, ...]
    events: tuple[Event, ...]  # newest first


def _solution_events(solution: Solution, edited_in_git: set[tuple[str, str]]) -> Iterable[Event]:
    accepted = solution.status is SolutionStatus.ACCEPTED or any(c.role is Role.ACCEPTER for c in solution.contributors)
    for contributor in solution.contributors:
        person, role = contributor.person, contributor.role

        def event(kind: str, on: dt.date, person: PersonRef = person) -> Event:
            return Event(person, kind, on, solution.title, solution.path, "front-matter")

        if role is Role.ANSWERER:
            yield event("answer_published", solution.created)
            if accepted:
                yield event("answer_accepted", solution.created)
        elif role is Role.ASKER:
            yield event("question_published", solution.created)
        elif role is Role.FINDER:
            yield event("duplicate_found", solution.updated)
        elif role is Role.EDITOR and (person.login.lower(), solution.path) not in edited_in_git:
            yield event("edit_merged", solution.updated)  # git history has the dates when it knows the edits


def events_of(content: Content, edits: Sequence[Edit], bot: str | None = None) -> list[Event]:
    """Every recognised event in the record. Superseded solutions are left out (their contributors were merged
    into the canonical one); bots earn nothing (GitHub's "[bot]" accounts, the configured bot and ``bot``, the
    account GitHub says the token writes as)."""

    def is_bot(login: str) -> bool:
        configured = content.config.is_bot_login(login) if content.config else login.endswith("[bot]")
        return configured or (bot is not None and login.lower() == bot.lower())

    people_edits = [e for e in edits if not is_bot(e.person.login)]
    edited_in_git = {(e.person.login.lower(), e.path) for e in people_edits}
    titles = {s.path: s.title for s in content.solutions} | {i.path: i.title for i in content.ideas}
    found: list[Event] = []
    for solution in content.solutions:
        if solution.status in LISTED and solution.superseded_by is None:
            found.extend(_solution_events(solution, edited_in_git))
    for idea in content.ideas:
        found.append(Event(idea.author, "idea_proposed", idea.created, idea.title, idea.path, "front-matter"))
        for change in idea.history:
            if change.status is IdeaStatus.DUPLICATE and change.by and change.via != "label":
                # Who found it: a participant's /duplicate-of, or staff's /status duplicate.
                finder = PersonRef(change.by)
                found.append(Event(finder, "duplicate_found", change.on, idea.title, idea.path, "front-matter"))
        if idea.status is IdeaStatus.SHIPPED:
            shipped = [c.on for c in idea.history if c.status is IdeaStatus.SHIPPED]
            on = shipped[-1] if shipped else (idea.decision.on if idea.decision else idea.updated or idea.created)
            found.append(Event(idea.author, "idea_shipped", on, idea.title, idea.path, "front-matter"))
    for edit in people_edits:
        if edit.path in titles:
            found.append(Event(edit.person, "edit_merged", edit.on, titles[edit.path], edit.path, "git"))
    for record in content.ledger.records if content.ledger else ():
        if record.first_responder and record.first_response_at and not is_bot(record.first_responder):
            on = parse_time(record.first_response_at).date()
            person = PersonRef(record.first_responder)
            found.append(Event(person, "first_response", on, record.title, record.url, "ledger"))
    return found


def awards_of(events: Sequence[Event], badges: Sequence[Badge]) -> tuple[Award, ...]:
    """The badges these events earn, each once, dated the day its last condition was reached."""
    days: dict[str, list[dt.date]] = {}
    for event in events:
        days.setdefault(event.kind, []).append(event.on)
    for dates in days.values():
        dates.sort()
    awards = []
    for badge in badges:
        reached = [days[kind][count - 1] for kind, count in badge.when if len(days.get(kind, ())) >= count]
        if len(reached) == len(badge.when):
            awards.append(Award(badge, max(reached)))
    return tuple(sorted(awards, key=lambda a: (a.on, a.badge.name)))


def latest_day(content: Content) -> dt.date:
    """The newest day the content records (a site built without a clock or a ledger measures its window to it)."""
    days = [s.updated for s in content.solutions] + [i.updated or i.created for i in content.ideas]
    return max(days, default=dt.date(2000, 1, 1))


def standings(content: Content, config: Config, edits: Sequence[Edit], today: dt.date) -> list[Standing]:
    """Everyone with an event, most points first. Accounts are matched by numeric id when the record knows it
    (logins are reused), else by login; staff are marked (the roster decides), and left out when
    ``recognition.staff`` is ``exclude``."""
    settings = config.recognition
    ids = {c.person.login.lower(): c.person.id for s in content.solutions for c in s.contributors if c.person.id}
    ids |= {i.author.login.lower(): i.author.id for i in content.ideas if i.author.id}
    by_person: dict[str, list[Event]] = {}
    people: dict[str, PersonRef] = {}
    for event in events_of(content, edits, config.intake.bot_login):
        member = config.staff_member(event.person)
        ident = event.person.id or (member.id if member else None) or ids.get(event.person.login.lower())
        key = f"id:{ident}" if ident is not None else f"login:{event.person.login.lower()}"
        by_person.setdefault(key, []).append(event)
        if key not in people or (people[key].id is None and event.person.id is not None):
            people[key] = PersonRef(event.person.login, ident)
    since = today - dt.timedelta(days=settings.window_days)
    result = []
    for key, events in by_person.items():
        person = people[key]
        staff = config.is_staff(person)
        if staff and settings.staff == "exclude":
            continue
        ordered = sorted(events, key=lambda e: (e.on, e.kind, e.what), reverse=True)
        result.append(
            Standing(
                person=person,
                staff=staff,
                points=sum(settings.points_for(e.kind) for e in events),
                recent_points=sum(settings.points_for(e.kind) for e in events if since < e.on <= today),
                counts=dict(Counter(e.kind for e in events)),
                awards=awards_of(events, settings.badges),
                events=tuple(ordered),
            )
        )
    return sorted(result, key=lambda s: (-s.points, s.person.login.lower()))
