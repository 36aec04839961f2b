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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crowdcare.content.ports import GitHubPort, RepositoryPort, read_again
from crowdcare.core.errors import AmbiguousWriteError, BadInputError, ThreadGoneError, TransientError
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import (
    FINDER,
    REFUSED,
    fold_marker,
)
from crowdcare.core.model import (
    ChangeProposal,
    PersonRef,
    Solution,
    Thread,
)
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import inline
from crowdcare.fold.consent import (
    Verdict,
    canonical,
    cite_rule,
    claim_of,
    consent_verdict,
    folded_comment,
    pending_command,
    post_once,
    proposal_comment,
    refusal_comment,
    settled,
)
from crowdcare.intake.take_in import normalize
from crowdcare.promote.changes import Proposed, propose
from crowdcare.promote.merge import merge_into


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
    solution = _claimed(content, claim.key)
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
        return consent_verdict(current, current_claim, reactions, config, now, bot)

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
    return _fold(thread, solution, verdict, content, github, repository, now, solution_url(solution))


def _claimed(content: Content, key: str) -> Solution | None:
    """The solution a claim names, or the one it was merged into since."""
    solution = next((s for s in content.solutions if s.key == key), None)
    if solution is not None and solution.superseded_by is not None:
        solution = next((s for s in content.solutions if s.key == solution.superseded_by), None)
    return solution


def _fold(
    thread: Thread,
    solution: Solution,
    verdict: Verdict,
    content: Content,
    github: GitHubPort,
    repository: RepositoryPort,
    now: dt.datetime,
    url: str,
) -> FoldOutcome:
    """Fold a consenting thread: the reviewed change to the solution's bucket, the kind comment, the close."""
    config = content.config
    assert config is not None
    bot = github.viewer_login()
    pull = ""
    latest = claim_of(thread, bot)
    change = fold_change(thread, solution, now.date(), latest.finder if latest is not None else None)
    if change is not None:
        opened: Proposed = propose(repository, change)
        pull = opened.action
    comment = fold_comment(thread, solution, url, verdict.why, config.tr)
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
