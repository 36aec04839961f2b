"""Consent to a duplicate claim, read from the thread: the bot's claim (or a participant's /duplicate-of, answered
with a claim naming the finder, or a refusal), the asker's yes, 👍 or 👎, silence past
``duplicates.close_after_days``, and staff confirming a participant's find. ``consent_verdict`` says what is due; it is
pure, and shared by questions (questions.py) and ideas (ideas.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from crowdcare.content.ports import GitHubPort
from crowdcare.core import markers
from crowdcare.core.errors import AmbiguousWriteError, TransientError
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import (
    CLAIM,
    FINDER,
    FOLDED,
    IDEA_CLAIM,
    INTAKE,
    REFUSED,
    claim_marker,
    refused_marker,
    same_account,
)
from crowdcare.core.model import (
    PersonKind,
    PersonRef,
    Reaction,
    Reply,
    Solution,
    SolutionStatus,
    Thread,
)
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.core.times import elapsed_hours, parse_time
from crowdcare.promote.merge import find_solution

# On an idea thread: the same consent, to merge the new idea into an existing one (fold/ideas.py); the markers
# (CLAIM, FOLDED, IDEA_CLAIM, IDEA_FOLDED, FINDER, REFUSED) are core/markers.py's.
# A participant's command, first thing in a reply: /duplicate-of topic/slug (or the solution's path or page URL).
COMMAND = re.compile(r"\A\s*/duplicate-of(?:\s+(\S{1,300}))?", re.IGNORECASE)


AGREE_REACTIONS = frozenset({"+1", "heart", "hooray", "rocket"})


OBJECT_REACTION = "-1"


DEFAULT_AGREE_WORDS = ("yes", "yep", "yeah", "yup", "solved")


def close_after_days(config: Config) -> int:
    return config.duplicates.close_after_days


# Without duplicates.agree_words: the words a "yes" starts with in the community's language (English ones count too).
LANGUAGE_AGREE_WORDS = {"de": ("ja", "jawohl", "genau", "gelöst", "stimmt")}


def agree_words(config: Config) -> tuple[str, ...]:
    if config.duplicates.agree_words:
        return config.duplicates.agree_words
    return LANGUAGE_AGREE_WORDS.get(config.language, ()) + DEFAULT_AGREE_WORDS


def finder_marker(finder: PersonRef, command_id: str) -> str:
    return markers.finder_marker(finder.login, finder.id, command_id)


@dataclass(frozen=True)
class Claim:
    """A duplicate claim the bot made: which solution, the comment that made it, and who found the duplicate
    (None for the intake reply's own claim, which the bot found)."""

    key: str  # topic/slug (a solution), or an idea's slug when kind is "idea"
    comment: Reply
    finder: PersonRef | None = None
    command: Reply | None = None  # the finder's /duplicate-of reply
    kind: str = "solution"  # solution | idea


def is_bots(reply: Reply, bot: str) -> bool:
    return same_account(reply.author.login, bot)


def claim_of(thread: Thread, bot: str) -> Claim | None:
    """The latest claim the bot made on ``thread``: a claim marker AND the bot as author, in its intake reply or
    in its answer to a participant's /duplicate-of (which names the finder). A later claim replaces an earlier."""
    latest = None
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        match, kind = CLAIM.search(reply.body), "solution"
        if match is None:
            match, kind = IDEA_CLAIM.search(reply.body), "idea"
        if match is None or not is_bots(reply, bot):
            continue
        found = FINDER.search(reply.body)
        if found is not None:
            finder = PersonRef(found.group(1), None if found.group(2) == "-" else int(found.group(2)))
            command = next((r for r in thread.replies if r.id == found.group(3)), None)
            latest = Claim(match.group(1), reply, finder, command, kind)
        elif INTAKE in reply.body:
            latest = Claim(match.group(1), reply, kind=kind)
    return latest


@dataclass(frozen=True)
class Command:
    reply: Reply
    reference: str  # as written: empty when the command named nothing


def pending_command(thread: Thread, bot: str) -> Command | None:
    """The newest /duplicate-of by a person that the bot has not answered yet (answered: a claim or a refusal
    naming the command's id); an older unanswered command is superseded by a newer one."""
    answered = {m.group(3) for r in thread.replies if is_bots(r, bot) for m in FINDER.finditer(r.body)}
    answered |= {m.group(1) for r in thread.replies if is_bots(r, bot) for m in REFUSED.finditer(r.body)}
    people = [
        r for r in thread.replies if not is_bots(r, bot) and not r.author_is_bot and re.fullmatch(markers.ID, r.id)
    ]
    for reply in sorted(people, key=lambda r: r.created_at, reverse=True):
        match = COMMAND.match(reply.body)
        if match is not None:
            return None if reply.id in answered else Command(reply, (match.group(1) or "").strip())
    return None


def cite_rule(text: str, rule: str = "duplicates.duplicate_of", tr: Messages = ENGLISH) -> str:
    """The line every deciding comment ends with: the rule (in crowdcare.yml or the README) and why it applied."""
    return tr("<sub>crowdcare rule `{rule}`: {why}.</sub>", rule=rule, why=text)


def proposal_comment(thread: Thread, command: Command, solution: Solution, url: str, tr: Messages = ENGLISH) -> str:
    finder = command.reply.author
    suggests = tr(
        "{finder} suggests this question is answered by {link}.",
        finder=f"@{finder.login}",
        link=f"[{inline(solution.title)}]({url})",
    )
    ask = tr(
        "{asker}, if it answers your question, reply **yes** or react 👍 to this comment: we'll file your question "
        "there and close this thread. A staff member can confirm it too. Any other reply keeps this thread open as "
        "it is.",
        asker=f"@{thread.author.login}",
    )
    rule = cite_rule(
        tr("a participant's duplicate is folded when the asker agrees or staff confirm; silence never folds it"),
        tr=tr,
    )
    return f"{suggests}\n\n{ask}\n\n{rule}\n{claim_marker(solution.key)}\n{finder_marker(finder, command.reply.id)}"


def refusal_comment(command: Command, what: str = "solution", tr: Messages = ENGLISH) -> str:
    valid = re.fullmatch(r"[\w./:#?=-]{1,300}", command.reference)
    named = f"`{command.reference}`" if valid else tr("nothing we know")
    who = f"@{command.reply.author.login}"
    if what == "idea":
        text = tr(
            "{who}, thanks for looking: {named} is not an idea on the board. Name one by its page address or "
            "`ideas/SLUG`, as in `/duplicate-of ideas/dark-mode`.",
            who=who,
            named=named,
        )
        rule = tr("/duplicate-of names a published idea")
    else:
        text = tr(
            "{who}, thanks for looking: {named} is not a solution in the knowledge base. Name one by its "
            "`topic/slug` or its page address, as in `/duplicate-of billing/switch-to-annual-billing`.",
            who=who,
            named=named,
        )
        rule = tr("/duplicate-of names a published solution")
    return f"{text}\n\n{cite_rule(rule, tr=tr)}\n{refused_marker(command.reply.id)}"


def canonical(content: Content, reference: str) -> Solution | None:
    """The solution a reference names, followed to the one it was merged into; None when there is none."""
    solution = find_solution(content, reference) if reference else None
    seen: set[str] = set()
    while solution is not None and solution.superseded_by is not None and solution.key not in seen:
        seen.add(solution.key)
        solution = next((s for s in content.solutions if s.key == solution.superseded_by), None)
    offered = solution is not None and solution.status not in (SolutionStatus.DRAFT, SolutionStatus.SUPERSEDED)
    return solution if offered else None


def folded_comment(thread: Thread, bot: str, pattern: re.Pattern[str] = FOLDED) -> Reply | None:
    """The bot's fold comment (marker AND author); ``pattern`` IDEA_FOLDED for an idea merged."""
    return next((r for r in thread.replies if pattern.search(r.body) and is_bots(r, bot)), None)


@dataclass(frozen=True)
class Verdict:
    decision: str  # fold | wait | objected | finish-close | done | answered | withdrawn
    why: str


def first_word(text: str) -> str:
    match = re.match(r"\W*(\w+)", text.casefold())
    return match.group(1) if match else ""


def settled(thread: Thread, bot: str) -> Verdict | None:
    """The verdict for a thread consent no longer matters to (folded, closed, answered); None while it does."""
    done = folded_comment(thread, bot)
    if done is not None:
        if thread.state == "open":
            closed_at = parse_time(thread.closed_at, "closed_at") if thread.closed_at else None
            if closed_at is None or closed_at < parse_time(done.created_at, "fold comment time"):
                return Verdict("finish-close", "folded earlier; finishing a close that was interrupted")
        return Verdict("done", "folded already")
    if thread.state != "open":
        return Verdict("done", "closed")
    if thread.answer is not None:
        return Verdict("answered", "the thread has an accepted answer of its own")
    return None


def consent_verdict(
    thread: Thread, claim: Claim, reactions: Iterable[Reaction], config: Config, now: dt.datetime, bot: str
) -> Verdict:
    """What is due for a claimed thread at ``now``. Pure: the same inputs give the same verdict."""
    early = settled(thread, bot)
    if early is not None:
        return early
    claimed_at = parse_time(claim.comment.created_at, "claim time")
    asker = thread.author
    mine = [r for r in reactions if r.voter is not None and r.voter.is_same_account(asker)]
    # Only the asker's 👎 objects: the question is theirs (anyone's 👎 let a passer-by keep it open for good).
    tr = config.tr
    if any(r.content == OBJECT_REACTION for r in mine):
        return Verdict("objected", tr("the asker's 👎 on the duplicate suggestion"))
    command = claim.command.id if claim.command is not None else None
    people = (r for r in thread.replies if not is_bots(r, bot) and not r.author_is_bot and r.id != command)
    later = (r for r in people if parse_time(r.created_at, "reply time") > claimed_at)
    since = sorted(later, key=lambda r: r.created_at)
    if since:
        first = since[0]
        if first.author.is_same_account(asker) and first_word(first.body) in agree_words(config):
            return Verdict("fold", tr("the asker agreed in a reply ({link})", link=first.url or first.id))
        if first.author.is_same_account(asker):
            return Verdict("objected", tr("the asker replied after the duplicate suggestion"))
        return Verdict("objected", tr("{who} replied after the duplicate suggestion", who=f"@{first.author.login}"))
    if any(r.content in AGREE_REACTIONS for r in mine):
        return Verdict("fold", tr("the asker reacted to the duplicate suggestion"))
    if claim.finder is not None:
        return _confirmed(thread, claim, reactions, config)
    days = elapsed_hours(claimed_at, now, None) / 24
    window = close_after_days(config)
    if days >= window:
        why = tr(
            "no reply and no 👎 for {days} days after the suggestion (window: {window} days)",
            days=f"{days:.0f}",
            window=window,
        )
        return Verdict("fold", why)
    return Verdict("wait", tr("{days} of {window} days without an objection", days=f"{days:.1f}", window=window))


def _confirmed(thread: Thread, claim: Claim, reactions: Iterable[Reaction], config: Config) -> Verdict:
    """A participant's claim: staff confirm it (their 👍, or the command was theirs), or the asker made it."""
    command = claim.command
    if command is not None and command.author.is_same_account(thread.author):
        return Verdict("fold", config.tr("the asker named it themselves"))
    if command is not None and config.person_kind(command.author, command.association) is PersonKind.STAFF:
        return Verdict("fold", config.tr("staff ({who}) named the solution", who=f"@{command.author.login}"))
    staff = [r.voter for r in reactions if r.voter is not None and r.content in AGREE_REACTIONS]
    confirmer = next((v for v in staff if config.is_staff(v)), None)
    if confirmer is not None:
        found = claim.finder.login if claim.finder else "a participant"
        why = config.tr("staff ({who}) confirmed {finder}'s find", who=f"@{confirmer.login}", finder=f"@{found}")
        return Verdict("fold", why)
    return Verdict("wait", config.tr("a participant's find waits for the asker or staff (silence never folds it)"))


def claim_state(thread: Thread, bot: str, config: Config) -> tuple[str, str] | None:
    """(solution, outcome) of the thread's duplicate claim as its text tells it, without reading reactions:
    ``folded``, ``agreed`` (the asker said yes, or a finder's claim was confirmed by who made it), ``objected``
    (any other reply after the claim) or ``pending``; None without a claim. For the response ledger's figures."""
    done = folded_comment(thread, bot)
    if done is not None:
        match = FOLDED.search(done.body)
        return (match.group(1) if match else "", "folded")
    claim = claim_of(thread, bot)
    if claim is None:
        return None
    verdict = consent_verdict(thread, claim, (), config, parse_time(claim.comment.created_at, "claim time"), bot)
    outcome = {"fold": "agreed", "objected": "objected"}.get(verdict.decision, "pending")
    return claim.key, outcome


def post_once(thread: Thread, body: str, github: GitHubPort, bot: str, marker: re.Pattern[str]) -> None:
    try:
        github.post_comment(thread.ref, body)
    except AmbiguousWriteError:
        current = github.get_thread(thread.ref)
        mine = marker.search(body)
        posted = current is not None and any(
            is_bots(r, bot) and mine is not None and mine.group(0) in r.body for r in current.replies
        )
        if not posted:
            raise TransientError(f"{thread.ref}: answering /duplicate-of failed; the next run answers it") from None
