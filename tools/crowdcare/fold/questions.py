"""Consent-based duplicate closing: a question the intake reply called a duplicate is folded into that solution's
bucket and closed, kindly, only when its author agrees or nobody objects for a while.

The intake reply says "this looks like X" only above the duplicate threshold, and then carries a hidden claim
marker naming the solution. A sweep (`crowdcare fold`) reads each open question with such a claim (the bot's
comment, recognised by marker AND author) and decides:

- agreed: the asker reacted 👍 ❤️ 🎉 or 🚀 to the bot's comment, or the asker's first reply since starts with
  one of ``duplicates.agree_words`` ("yes", ...): fold now;
- objected: a 👎 on the bot's comment, or any other reply since the claim (the asker's "no, that's not it", a
  "same here" from someone else): never fold; the thread carries on as a normal question;
- silent: no reply and no 👎 for ``duplicates.close_after_days`` since the claim: fold;
- otherwise wait. A thread with an accepted answer is left alone (its answer may be promoted on its own).

Anyone can find a duplicate: a participant's ``/duplicate-of <solution>`` (its ``topic/slug``, path or page URL)
makes the bot post a claim of its own that names the finder. Such a claim folds only with consent: the asker
agrees (a reply starting with an agree word, or 👍) or staff confirm (a staff member's 👍 on the claim, or the
command came from staff, or from the asker); silence never folds it. The folding pull request credits the finder
as ``finder`` in the solution's front-matter.

Folding opens (or updates) the reviewed pull request that adds the thread to the solution's ``also_asked``
(the path promotion and /merge use: nothing reaches kb/ unreviewed), then posts a kind comment with a marker and
closes the thread as a duplicate. Like the response sweep it reconciles instead of remembering: the fold comment
is the record, a rerun does nothing twice, and a close interrupted after its comment is finished next time.
Related-only suggestions never carry a claim, so they never close anything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crowdcare.content.ports import GitHubPort, RepositoryPort, read_again
from crowdcare.core import markers
from crowdcare.core.errors import AmbiguousWriteError, BadInputError, ThreadGoneError, TransientError
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import (
    CLAIM,
    FINDER,
    FOLDED,
    IDEA_CLAIM,
    REFUSED,
    claim_marker,
    fold_marker,
    refused_marker,
)
from crowdcare.core.model import (
    ChangeProposal,
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
from crowdcare.core.times import elapsed_hours, parse_time
from crowdcare.intake.take_in import MARKER as INTAKE_MARKER
from crowdcare.intake.take_in import normalize, same_account
from crowdcare.promote.changes import Proposed, propose
from crowdcare.promote.merge import find_solution, merge_into
from crowdcare.site.markup import inline

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


def _bots(reply: Reply, bot: str) -> bool:
    return same_account(reply.author.login, bot)


def claim_of(thread: Thread, bot: str) -> Claim | None:
    """The latest claim the bot made on ``thread``: a claim marker AND the bot as author, in its intake reply or
    in its answer to a participant's /duplicate-of (which names the finder). A later claim replaces an earlier."""
    latest = None
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        match, kind = CLAIM.search(reply.body), "solution"
        if match is None:
            match, kind = IDEA_CLAIM.search(reply.body), "idea"
        if match is None or not _bots(reply, bot):
            continue
        found = FINDER.search(reply.body)
        if found is not None:
            finder = PersonRef(found.group(1), None if found.group(2) == "-" else int(found.group(2)))
            command = next((r for r in thread.replies if r.id == found.group(3)), None)
            latest = Claim(match.group(1), reply, finder, command, kind)
        elif INTAKE_MARKER in reply.body:
            latest = Claim(match.group(1), reply, kind=kind)
    return latest


@dataclass(frozen=True)
class Command:
    reply: Reply
    reference: str  # as written: empty when the command named nothing


def pending_command(thread: Thread, bot: str) -> Command | None:
    """The newest /duplicate-of by a person that the bot has not answered yet (answered: a claim or a refusal
    naming the command's id); an older unanswered command is superseded by a newer one."""
    answered = {m.group(3) for r in thread.replies if _bots(r, bot) for m in FINDER.finditer(r.body)}
    answered |= {m.group(1) for r in thread.replies if _bots(r, bot) for m in REFUSED.finditer(r.body)}
    people = [r for r in thread.replies if not _bots(r, bot) and not r.author_is_bot and re.fullmatch(markers.ID, r.id)]
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
    return next((r for r in thread.replies if pattern.search(r.body) and _bots(r, bot)), None)


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


def judge(
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
    people = (r for r in thread.replies if not _bots(r, bot) and not r.author_is_bot and r.id != command)
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
    verdict = judge(thread, claim, (), config, parse_time(claim.comment.created_at, "claim time"), bot)
    outcome = {"fold": "agreed", "objected": "objected"}.get(verdict.decision, "pending")
    return claim.key, outcome


def fold_branch(thread: Thread) -> str:
    return f"crowdcare/fold/{thread.ref.channel.value}-{thread.ref.number}"


def fold_change(
    thread: Thread, solution: Solution, today: dt.date, finder: PersonRef | None = None
) -> ChangeProposal | None:
    """The reviewed change that adds the thread to the solution's bucket (and credits the participant who found
    the duplicate as ``finder``); None when there is nothing to change."""
    title = normalize(thread.title, 1000)
    files = merge_into(solution, thread_url=thread.url, thread_title=title, finder=finder, today=today)
    if not files:
        return None
    found = f" @{finder.login} found the duplicate and is credited as `finder`." if finder is not None else ""
    body = (
        f"Folds {thread.url} into [{inline(solution.title)}]({solution.path}): the question was suggested as a "
        "duplicate of it and its author agreed or did not object (or staff confirmed it)."
        f"{found} The thread joins the solution's `also_asked`, so the "
        'site counts it under "asked N times".\n\nReview the match; closing this pull request leaves the '
        "solution as it is (the thread stays closed as a duplicate: reopen it if the match was wrong)."
    )
    return ChangeProposal(
        branch=fold_branch(thread),
        title=f"Fold {thread.ref} into {solution.key}",
        body=body,
        files=files,
        message=f"Fold {thread.ref} into {solution.key} (also_asked)",
    )


def fold_comment(thread: Thread, solution: Solution, url: str, why: str = "", tr: Messages = ENGLISH) -> str:
    """The kind comment a fold closes with; it cites the consent rule and why it applied (``why``: the verdict)."""
    text = tr(
        "Thanks, {asker}. We've filed your question under {link}, which answers it, and are closing this thread as "
        "a duplicate. If it comes back, or the answer stops working, just reply here and we'll reopen it.",
        asker=f"@{thread.author.login}",
        link=f"[{inline(solution.title)}]({url})",
    )
    rule = tr("a duplicate is folded with its asker's consent")
    if why:
        rule += f": {inline(why)}"
    return f"{text}\n\n{cite_rule(rule, 'duplicates.close_after_days', tr)}\n{fold_marker(solution.key)}"


@dataclass(frozen=True)
class FoldOutcome:
    ref: str
    solution: str
    decision: str
    why: str
    pull: str = ""  # the pull request's action (opened, updated, unchanged...), when one was proposed
    done: bool = False  # False in a dry run


def fold_one(
    thread: Thread,
    content: Content,
    github: GitHubPort,
    repository: RepositoryPort,
    now: dt.datetime,
    solution_url: Callable[[Solution], str],
    *,
    dry_run: bool = False,
) -> FoldOutcome | None:
    """Reconcile one thread's duplicate claim; None for a thread without one."""
    config = content.config
    assert config is not None
    bot = github.viewer_login()
    proposed = None
    if settled(thread, bot) is None:
        answered = _answer_command(thread, content, github, solution_url, dry_run=dry_run)
        if answered is not None:
            if dry_run or answered.decision != "proposed":
                return answered
            fresh = read_again(github, thread.ref)
            thread, proposed = fresh, answered
    claim = claim_of(thread, bot)
    if claim is None or claim.kind != "solution":
        return None  # an idea's claim is idea_fold's
    solution = next((s for s in content.solutions if s.key == claim.key), None)
    if solution is not None and solution.superseded_by is not None:
        solution = next((s for s in content.solutions if s.key == solution.superseded_by), None)
    if solution is None:
        return FoldOutcome(str(thread.ref), claim.key, "skipped", f"{claim.key} is no longer in kb/")

    def verdict_of(current: Thread) -> Verdict:
        # Reactions cost a request: read only for a thread still waiting on consent.
        early = settled(current, bot)
        if early is not None:
            return early
        current_claim = claim_of(current, bot)
        if current_claim is None or current_claim.key != claim.key:
            # Intake rewrote its reply since the listing (a newer score fell below the duplicate threshold, or
            # another solution now fits better): the claim this run judged is gone; the next sweep reads the new one.
            return Verdict("withdrawn", f"the duplicate suggestion of {claim.key} was withdrawn or changed")
        reactions = github.comment_reactions(current.ref, current_claim.comment)
        return judge(current, current_claim, reactions, config, now, bot)

    verdict = verdict_of(thread)
    if proposed is not None and verdict.decision == "wait":
        return proposed
    if verdict.decision not in ("fold", "finish-close") or dry_run:
        return FoldOutcome(str(thread.ref), solution.key, verdict.decision, verdict.why)
    # Look again right before writing: a reply or a 👎 since the listing cancels.
    fresh = read_again(github, thread.ref)
    thread, verdict = fresh, verdict_of(fresh)
    if verdict.decision == "finish-close":
        _hand_back(thread, config, github)
        github.close_thread(thread.ref, duplicate=True)
        return FoldOutcome(str(thread.ref), solution.key, verdict.decision, verdict.why, done=True)
    if verdict.decision != "fold":
        return FoldOutcome(str(thread.ref), solution.key, verdict.decision, verdict.why)
    pull = ""
    latest = claim_of(thread, bot)
    change = fold_change(thread, solution, now.date(), latest.finder if latest is not None else None)
    if change is not None:
        opened: Proposed = propose(repository, change)
        pull = opened.action
    comment = fold_comment(thread, solution, solution_url(solution), verdict.why, config.tr)
    try:
        github.post_comment(thread.ref, comment)
    except AmbiguousWriteError:
        current = github.get_thread(thread.ref)
        if current is None or folded_comment(current, bot) is None:
            raise TransientError(f"{thread.ref}: posting the fold comment failed; the next run posts it") from None
    _hand_back(thread, config, github)
    github.close_thread(thread.ref, duplicate=True)
    return FoldOutcome(str(thread.ref), solution.key, "fold", verdict.why, pull=pull, done=True)


def _answer_command(
    thread: Thread,
    content: Content,
    github: GitHubPort,
    solution_url: Callable[[Solution], str],
    *,
    dry_run: bool,
) -> FoldOutcome | None:
    """Answer a participant's /duplicate-of once: a claim on their behalf, or a refusal naming what is wrong."""
    bot = github.viewer_login()
    command = pending_command(thread, bot)
    if command is None:
        return None
    solution = canonical(content, command.reference)
    finder = command.reply.author
    config = content.config
    assert config is not None
    if solution is None:
        if not dry_run:
            post_once(thread, refusal_comment(command, tr=config.tr), github, bot, REFUSED)
        why = f"@{finder.login}'s /duplicate-of names no solution ({command.reference[:80] or 'nothing'})"
        return FoldOutcome(str(thread.ref), "", "refused", why, done=not dry_run)
    if not dry_run:
        comment = proposal_comment(thread, command, solution, solution_url(solution), config.tr)
        post_once(thread, comment, github, bot, FINDER)
    why = f"@{finder.login} found it (/duplicate-of); it waits for the asker or staff"
    return FoldOutcome(str(thread.ref), solution.key, "proposed", why, done=not dry_run)


def post_once(thread: Thread, body: str, github: GitHubPort, bot: str, marker: re.Pattern[str]) -> None:
    try:
        github.post_comment(thread.ref, body)
    except AmbiguousWriteError:
        current = github.get_thread(thread.ref)
        mine = marker.search(body)
        posted = current is not None and any(
            _bots(r, bot) and mine is not None and mine.group(0) in r.body for r in current.replies
        )
        if not posted:
            raise TransientError(f"{thread.ref}: answering /duplicate-of failed; the next run answers it") from None


def _hand_back(thread: Thread, config: Config, github: GitHubPort) -> None:
    """A folded question is answered: it no longer waits for staff, and its labels stop paging them."""
    labels = config.responses.labels
    have = {label.lower(): label for label in thread.labels}
    stale = [have[name.lower()] for name in (labels.needs_staff, labels.escalated) if name.lower() in have]
    if stale:
        github.remove_labels(thread.ref, stale)


def fold_all(
    threads: Iterable[Thread],
    content: Content,
    github: GitHubPort,
    repository: RepositoryPort,
    now: dt.datetime,
    solution_url: Callable[[Solution], str],
    *,
    dry_run: bool = False,
    on_progress: Callable[[FoldOutcome], None] | None = None,
) -> list[FoldOutcome]:
    """A sweep over threads: those with a claim are reconciled (see ``sweep``)."""

    def one(thread: Thread) -> FoldOutcome | None:
        return fold_one(thread, content, github, repository, now, solution_url, dry_run=dry_run)

    return sweep(threads, one, on_progress)


def sweep(
    threads: Iterable[Thread],
    one: Callable[[Thread], FoldOutcome | None],
    on_progress: Callable[[FoldOutcome], None] | None = None,
) -> list[FoldOutcome]:
    """``one`` over every thread: a thread without a claim gives nothing; a deleted one is skipped; a thread whose
    data is unusable is noted; a transient failure stops the sweep (the next run carries on, nothing is done
    twice). The sweep of questions (``fold_all``) and of ideas (idea_fold.fold_ideas) alike."""
    outcomes = []
    for thread in threads:
        try:
            outcome = one(thread)
        except ThreadGoneError:
            continue
        except BadInputError as exc:
            outcome = FoldOutcome(str(thread.ref), "", "skipped", str(exc))
        if outcome is None:
            continue
        outcomes.append(outcome)
        if on_progress is not None:
            on_progress(outcome)
    return outcomes
