"""Once a proposal is merged, the thread hears where its page is, and the people who answered and asked are
thanked by name, from the solution's record."""

from __future__ import annotations

from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import BotComment
from crowdcare.core.model import (
    Role,
    Solution,
    Thread,
)
from crowdcare.promote.merge import find_solution
from crowdcare.promote.promoter import (
    Outcome,
    Promoter,
    marker,
    say,
    solution_of,
)
from crowdcare.similarity.dedup import solution_url


def thanks(solution: Solution, tr: Messages = ENGLISH) -> str:
    """Thanks to whoever answered (first: the answer is theirs) and asked, named from the solution's record."""

    def names(role: Role) -> list[str]:
        return sorted({f"@{c.person.login}" for c in solution.contributors if c.role is role})

    answerers = tr(" and ").join(names(Role.ANSWERER))
    askers = tr(" and ").join(a for a in names(Role.ASKER) if a not in names(Role.ANSWERER))
    if answerers and askers:
        text = tr(
            "Thank you {answerers} for the answer: it now helps everyone who asks this, and {askers} for asking.",
            answerers=answerers,
            askers=askers,
        )
    elif answerers:
        text = tr("Thank you {answerers} for the answer: it now helps everyone who asks this.", answerers=answerers)
    elif askers:
        text = tr("Thank you {askers} for asking.", askers=askers)
    else:
        return ""
    return f"\n{text}\n"


def published_notices(thread: Thread, ours: list[BotComment], p: Promoter) -> list[Outcome]:
    """Once a proposal is merged into the base branch, tell the thread where the page is (once)."""
    announced = {m.data.get("path") for m in ours if m.rule == "published"}
    outcomes = []
    wanted: list[Solution] = []
    own = solution_of(thread, p.content)
    if own is not None and any(m.rule == "proposed" for m in ours):
        wanted.append(own)
    for mark in ours:
        if mark.rule == "merge-proposed":
            target = find_solution(p.content, mark.data.get("target", ""))
            if target is not None and thread.url in {target.source, *target.also_asked}:
                wanted.append(target)
    for solution in wanted:
        if solution.path in announced:
            continue
        announced.add(solution.path)
        link = solution_url(solution, p.config)
        text = (
            p.config.tr("This is now in the knowledge base: {link}", link=link) + f"\n{thanks(solution, p.config.tr)}"
        )
        say(thread, p, text + marker("published", path=solution.path))
        outcomes.append(Outcome(str(thread.ref), "published", link, path=solution.path))
    return outcomes
