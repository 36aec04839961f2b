"""Generated pages for people: the contributors page and one profile per person, staff marked everywhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crowdcare.core.i18n import ngettext, tr
from crowdcare.core.model import PersonRef, Role, Solution
from crowdcare.core.repository import Content, published
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.people.recognition import Standing
from crowdcare.site.ideas import idea_path
from crowdcare.site.leaderboard import LEADERBOARD, event_name
from crowdcare.site.markup import (
    Page,
    badge_words,
    external,
    front_matter,
    link,
    pager,
    paginate,
    person_path,
    staff_mark,
)
from crowdcare.site.solutions import solution_path

CONTRIBUTORS_INDEX = "contributors/index.md"
PROFILE_LIST_LIMIT = 100  # per section, so a prolific person's profile stays one short page


@dataclass
class Profile:
    person: PersonRef
    roles: dict[Role, list[Solution]] = field(default_factory=lambda: defaultdict(list))
    ideas: list[tuple[str, str]] = field(default_factory=list)  # (title, path)
    decisions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return len(self.roles.get(Role.ANSWERER, []))

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.roles.values()) + len(self.ideas) + len(self.decisions)


def collect_profiles(content: Content, config: Config) -> list[Profile]:
    """Everyone who appears in the content or on the staff roster, keyed by numeric id when known."""
    profiles: dict[str, Profile] = {}

    def profile(person: PersonRef) -> Profile:
        member = config.staff_member(person)
        ident = member.id if member is not None and member.id is not None else person.id
        key = f"id:{ident}" if ident is not None else f"login:{person.login.lower()}"
        if key not in profiles:
            profiles[key] = Profile(person)
        return profiles[key]

    for member in config.staff:
        profile(PersonRef(member.login, member.id))
    for solution in published(content):
        for contributor in solution.contributors:
            bucket = profile(contributor.person).roles[contributor.role]
            if solution not in bucket:
                bucket.append(solution)
    for idea in content.ideas:
        profile(idea.author).ideas.append((idea.title, idea_path(idea)))
        by = idea.decision.by if idea.decision is not None else ""
        if by and not config.is_bot_login(by):  # a rule the bot applied is nobody's decision
            profile(PersonRef(by)).decisions.append((idea.title, idea_path(idea)))
    return sorted(profiles.values(), key=lambda p: (-p.answers, -p.total, p.person.login.lower()))


def people_pages(content: Content, config: Config, standings: Sequence[Standing] = ()) -> dict[str, str]:
    """The contributors listing and a profile for everyone in the content, on the roster or with points."""
    profiles = collect_profiles(content, config)
    known = {p.person.login.lower() for p in profiles}
    profiles += [Profile(s.person) for s in standings if s.person.login.lower() not in known]
    by_login = {s.person.login.lower(): s for s in standings}

    def render(chunk: Sequence[Profile], page: Page) -> str:
        return _contributors(chunk, page, len(profiles), config)

    pages = paginate(profiles, CONTRIBUTORS_INDEX, config.page_size * 2, render)
    targets = {s.path: solution_path(s) for s in published(content)} | {i.path: idea_path(i) for i in content.ideas}
    for profile in profiles:
        standing = by_login.get(profile.person.login.lower())
        pages[person_path(profile.person)] = _profile_page(profile, config, standing, targets)
    return pages


def _contributors(chunk: Sequence[Profile], page: Page, total: int, config: Config) -> str:
    title = tr("Contributors") if page.number == 1 else tr("Contributors (page {number})", number=page.number)
    intro = tr(
        "{people} built this knowledge base, most answers first. {staff} marks {team} staff. Points and badges: "
        "{leaderboard}.",
        people=ngettext("{count:,} person", "{count:,} people", total),
        staff=staff_mark(),
        team=inline(config.name),
        leaderboard=link(tr("the leaderboard"), LEADERBOARD, page.path),
    )
    columns = (tr("Person"), tr("Answers"), tr("Questions asked"), tr("Edits and finds"), tr("Ideas"))
    lines = [
        front_matter(title),
        f"# {title}\n",
        intro + "\n",
        "| " + " | ".join(columns) + " |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for p in chunk:
        mark = f" {staff_mark()}" if config.is_staff(p.person) else ""
        other = sum(len(p.roles.get(r, [])) for r in (Role.EDITOR, Role.FINDER, Role.ACCEPTER, Role.PROMOTER))
        lines.append(
            f"| {link('@' + p.person.login, person_path(p.person), page.path)}{mark} | {p.answers} | "
            f"{len(p.roles.get(Role.ASKER, []))} | {other} | {len(p.ideas)} |"
        )
    lines.append(pager(page, CONTRIBUTORS_INDEX))
    return "\n".join(lines) + "\n"


def _section_titles() -> dict[Role, str]:
    return {
        Role.ANSWERER: tr("Answers"),
        Role.ASKER: tr("Questions asked"),
        Role.ACCEPTER: tr("Answers accepted"),
        Role.EDITOR: tr("Edits"),
        Role.FINDER: tr("Duplicates found"),
        Role.PROMOTER: tr("Promoted to the knowledge base"),
    }


def _recognition(standing: Standing, config: Config, here: str, targets: Mapping[str, str]) -> list[str]:
    """Badges and the dated history of points on a profile page."""
    window = config.recognition.window_days
    span = tr("the last 12 months") if window == 365 else tr("the last {days} days", days=window)
    recent = ngettext("{count:,} point", "{count:,} points", standing.recent_points)
    board = link(tr("the leaderboard"), LEADERBOARD, here)
    lines = [tr("{points} in {span}; {leaderboard}.", points=recent, span=span, leaderboard=board) + "\n"]
    if standing.awards:
        lines.append("## " + tr("Badges ({count})", count=len(standing.awards)) + "\n")
        lines += [
            f"- **{inline(badge_words(a.badge)[0])}** · {a.on.isoformat()}"
            + (f": {inline(badge_words(a.badge)[1])}" if badge_words(a.badge)[1] else "")
            for a in standing.awards
        ]
        lines.append("")
    lines.append("## " + tr("History ({count})", count=len(standing.events)) + "\n")
    for event in standing.events[:PROFILE_LIST_LIMIT]:
        if event.where in targets:
            what = link(event.what, targets[event.where], here)
        elif event.where.startswith("https://"):
            what = external(event.what, event.where)
        else:
            what = inline(event.what)
        points = config.recognition.points_for(event.kind)
        source = " (git)" if event.source == "git" else ""
        lines.append(f"- {event.on.isoformat()} · {event_name(event.kind)}{source}: {what} · +{points}")
    if len(standing.events) > PROFILE_LIST_LIMIT:
        lines.append("- " + tr("… and {count} earlier", count=len(standing.events) - PROFILE_LIST_LIMIT))
    lines.append("")
    return lines


def _profile_page(
    profile: Profile, config: Config, standing: Standing | None = None, targets: Mapping[str, str] | None = None
) -> str:
    person = profile.person
    here = person_path(person)
    member = config.staff_member(person)
    lines = [front_matter("@" + person.login), f"# @{inline(person.login)}\n"]
    if member is not None:
        who = ", ".join(inline(x) for x in (member.name, member.title) if x)
        lines.append(f"{staff_mark()} {who}".rstrip() + "\n")
    facts = [
        f"[{tr('GitHub profile')}](<https://github.com/{person.login}>)",
        ngettext("{count:,} answer", "{count:,} answers", profile.answers),
        ngettext("{count:,} contribution", "{count:,} contributions", profile.total),
    ]
    if standing is not None:
        facts.append("**" + ngettext("{count:,} point", "{count:,} points", standing.points) + "**")
    lines.append(" · ".join(facts) + "\n")
    if standing is not None:
        lines.extend(_recognition(standing, config, here, targets or {}))
    for role, heading in _section_titles().items():
        items = profile.roles.get(role, [])
        if items:
            lines.append(f"## {heading} ({len(items)})\n")
            lines.extend(f"- {link(s.title, solution_path(s), here)}" for s in items[:PROFILE_LIST_LIMIT])
            lines.append("")
    for heading, entries in ((tr("Ideas proposed"), profile.ideas), (tr("Decisions on ideas"), profile.decisions)):
        if entries:
            lines.append(f"## {heading} ({len(entries)})\n")
            lines.extend(f"- {link(title, path, here)}" for title, path in entries[:PROFILE_LIST_LIMIT])
            lines.append("")
    if profile.total == 0:
        lines.append(tr("No contributions yet.") + "\n")
    lines.append(link(tr("All contributors"), CONTRIBUTORS_INDEX, here) + "\n")
    return "\n".join(lines)
