"""Generated pages for people: the contributors page and one profile per person, staff marked everywhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from crowdcare.model import Config, Content, PersonRef, Role, Solution
from crowdcare.site.ideas import idea_path
from crowdcare.site.markup import (
    STAFF_MARK,
    Page,
    front_matter,
    inline,
    link,
    pager,
    paginate,
    person_path,
    plural,
)
from crowdcare.site.solutions import published, solution_path

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
        if idea.decision is not None:
            profile(PersonRef(idea.decision.by)).decisions.append((idea.title, idea_path(idea)))
    return sorted(profiles.values(), key=lambda p: (-p.answers, -p.total, p.person.login.lower()))


def people_pages(content: Content, config: Config) -> dict[str, str]:
    profiles = collect_profiles(content, config)

    def render(chunk: Sequence[Profile], page: Page) -> str:
        return _contributors(chunk, page, len(profiles), config)

    pages = paginate(profiles, CONTRIBUTORS_INDEX, config.page_size * 2, render)
    for profile in profiles:
        pages[person_path(profile.person)] = _profile_page(profile, config)
    return pages


def _contributors(chunk: Sequence[Profile], page: Page, total: int, config: Config) -> str:
    title = "Contributors" if page.number == 1 else f"Contributors (page {page.number})"
    lines = [
        front_matter(title),
        f"# {title}\n",
        f"{plural(total, 'person')} built this knowledge base, most answers first. "
        f"{STAFF_MARK} marks {inline(config.name)} staff.\n",
        "| Person | Answers | Questions asked | Edits and finds | Ideas |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for p in chunk:
        mark = f" {STAFF_MARK}" if config.is_staff(p.person) else ""
        other = sum(len(p.roles.get(r, [])) for r in (Role.EDITOR, Role.FINDER, Role.ACCEPTER))
        lines.append(
            f"| {link('@' + p.person.login, person_path(p.person), page.path)}{mark} | {p.answers} | "
            f"{len(p.roles.get(Role.ASKER, []))} | {other} | {len(p.ideas)} |"
        )
    lines.append(pager(page, CONTRIBUTORS_INDEX))
    return "\n".join(lines) + "\n"


_SECTION_TITLES = {
    Role.ANSWERER: "Answers",
    Role.ASKER: "Questions asked",
    Role.ACCEPTER: "Answers accepted",
    Role.EDITOR: "Edits",
    Role.FINDER: "Duplicates found",
}


def _profile_page(profile: Profile, config: Config) -> str:
    person = profile.person
    here = person_path(person)
    member = config.staff_member(person)
    lines = [front_matter("@" + person.login), f"# @{inline(person.login)}\n"]
    if member is not None:
        who = ", ".join(inline(x) for x in (member.name, member.title) if x)
        lines.append(f"{STAFF_MARK} {who}".rstrip() + "\n")
    lines.append(
        f"[GitHub profile](<https://github.com/{person.login}>) · {plural(profile.answers, 'answer')} · "
        f"{plural(profile.total, 'contribution')}\n"
    )
    for role, heading in _SECTION_TITLES.items():
        items = profile.roles.get(role, [])
        if items:
            lines.append(f"## {heading} ({len(items)})\n")
            lines.extend(f"- {link(s.title, solution_path(s), here)}" for s in items[:PROFILE_LIST_LIMIT])
            lines.append("")
    for heading, entries in (("Ideas proposed", profile.ideas), ("Decisions on ideas", profile.decisions)):
        if entries:
            lines.append(f"## {heading} ({len(entries)})\n")
            lines.extend(f"- {link(title, path, here)}" for title, path in entries[:PROFILE_LIST_LIMIT])
            lines.append("")
    if profile.total == 0:
        lines.append("No contributions yet.\n")
    lines.append(link("All contributors", CONTRIBUTORS_INDEX, here) + "\n")
    return "\n".join(lines)
