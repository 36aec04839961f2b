"""Consent-based merging of duplicate ideas: the same rules as fold/questions.py, for idea threads.

The reply to a new idea says "this looks like X: vote there" above the duplicate threshold and asks its author to
reply *yes* or react 👍 if it is the same idea, carrying a hidden claim marker (``crowdcare:claim idea=SLUG``).
A participant's ``/duplicate-of ideas/SLUG`` (or the idea's page address) makes the bot post such a claim naming
the finder. Consent is judged as for questions (``fold.consent.consent_verdict``): the author's yes or 👍, or for
the bot's own claim nobody objecting for ``duplicates.close_after_days``; a participant's claim needs the author or
staff.

Merging opens a reviewed pull request (branch ``crowdcare/fold/<thread>``) that marks the new idea's file
``status: duplicate`` with ``duplicate_of`` and a history entry naming who found it; once merged, `crowdcare tally`
counts its votes on the canonical idea, each voter once. The thread stays open (closing it would hide its votes
from a tally that lists open threads) and gets one comment saying where its votes now count. An idea whose file is
not in ``ideas/`` yet (the tally's pull request for it is still open) waits: the fold never races that proposal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable

from crowdcare.content.documents import idea_document
from crowdcare.content.ports import GitHubPort, RepositoryPort, read_again
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import FINDER, IDEA_FOLDED, REFUSED, idea_claim_marker, idea_fold_marker
from crowdcare.core.model import ChangeProposal, Decision, Idea, IdeaStatus, StatusChange, Thread
from crowdcare.core.repository import Content
from crowdcare.core.text import inline, one_line
from crowdcare.fold.consent import (
    Claim,
    Command,
    Verdict,
    cite_rule,
    claim_of,
    consent_verdict,
    finder_marker,
    folded_comment,
    pending_command,
    post_once,
    refusal_comment,
)
from crowdcare.fold.questions import FoldOutcome, sweep
from crowdcare.promote.changes import propose
from crowdcare.promote.preflight import check_proposal

_IDEA_REF = re.compile(r"(?:^|/)(?:ideas/)?([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md|/)?$")


def find_idea(content: Content, reference: str) -> Idea | None:
    """The idea a reference names (``ideas/SLUG``, ``SLUG``, its file or page address, its thread's URL), followed
    to the idea it was merged into; None when there is none."""
    reference = reference.strip().strip("<>")
    by_slug = {i.slug: i for i in content.ideas}
    found = next((i for i in content.ideas if i.source == reference), None)
    if found is None:
        match = _IDEA_REF.search(reference.split("#", 1)[0].split("?", 1)[0])
        found = by_slug.get(match.group(1)) if match else None
    seen: set[str] = set()
    while found is not None and found.duplicate_of and found.slug not in seen:
        seen.add(found.slug)
        found = by_slug.get(found.duplicate_of)
    return found


def own_idea(content: Content, thread: Thread) -> Idea | None:
    return next((i for i in content.ideas if i.source == thread.url), None)


def proposal_comment(thread: Thread, command: Command, idea: Idea, url: str, tr: Messages = ENGLISH) -> str:
    finder = command.reply.author
    suggests = tr(
        "{finder} suggests this is the same idea as {link}.",
        finder=f"@{finder.login}",
        link=f"[{inline(idea.title)}]({url})",
    )
    ask = tr(
        "{author}, if it is, reply **yes** or react 👍 to this comment: we'll merge this idea into it, and the votes "
        "here will count there (each person once). A staff member can confirm it too. Any other reply keeps this "
        "idea on its own.",
        author=f"@{thread.author.login}",
    )
    rule = cite_rule(
        tr("a participant's duplicate is merged when the author agrees or staff confirm; silence never does"), tr=tr
    )
    return f"{suggests}\n\n{ask}\n\n{rule}\n{idea_claim_marker(idea.slug)}\n{finder_marker(finder, command.reply.id)}"


CONSENT_RULE = "duplicates.close_after_days"


def fold_comment(thread: Thread, idea: Idea, url: str, why: str = "", tr: Messages = ENGLISH) -> str:
    text = tr(
        "Thanks, {author}. This idea is merged into {link}: the votes here count there, each person once, and "
        "you'll hear here when its status changes. If they are not the same idea after all, just reply and staff "
        "will split them again.",
        author=f"@{thread.author.login}",
        link=f"[{inline(idea.title)}]({url})",
    )
    rule = tr("a duplicate idea is merged with its author's consent")
    if why:
        rule += f": {inline(why)}"
    return f"{text}\n\n{cite_rule(rule, 'duplicates.close_after_days', tr)}\n{idea_fold_marker(idea.slug)}"


def merge_change(own: Idea, target: Idea, claim: Claim, why: str, today: dt.date, bot: str) -> ChangeProposal:
    """The reviewed change marking ``own`` a duplicate of ``target``: its history names who found it (None for the
    bot's own match); the decision is the consent rule's, applied by the bot, with the reason it was due."""
    finder = claim.finder.login if claim.finder is not None else None
    url = claim.comment.url or ""
    via = url if re.fullmatch(r"https://[^\s<>\"'`]{1,480}", url) else "rule"
    reason = f"The same idea as {one_line(target.title)[:200]}: {why}."
    change = StatusChange(IdeaStatus.DUPLICATE, today, finder, reason, via)
    merged = dataclasses.replace(
        own,
        status=IdeaStatus.DUPLICATE,
        duplicate_of=target.slug,
        decision=Decision(bot, today, reason),
        history=(*own.history, change),
        updated=today,
    )
    found = f" @{finder} found it and is credited in the idea's history." if finder else ""
    return ChangeProposal(
        branch=fold_branch_for(own),
        title=f"Merge idea {own.slug} into {target.slug}",
        body=(
            f"Marks [{inline(own.title)}]({own.path}) a duplicate of [{inline(target.title)}]({target.path}): {why}."
            f"{found} Once merged, `crowdcare tally` counts its votes on the canonical idea, each voter once. "
            "Closing this pull request leaves both ideas as they are."
        ),
        files={own.path: idea_document(merged)},
        message=f"Merge idea {own.slug} into {target.slug} (duplicate_of)",
    )


def fold_branch_for(own: Idea) -> str:
    return f"crowdcare/fold/idea-{own.slug}"


def fold_idea_one(
    thread: Thread,
    content: Content,
    github: GitHubPort,
    repository: RepositoryPort,
    now: dt.datetime,
    idea_url: Callable[[Idea], str],
    *,
    dry_run: bool = False,
) -> FoldOutcome | None:
    """Reconcile one idea thread's duplicate claim (answering a /duplicate-of first); None without one."""
    config = content.config
    assert config is not None
    bot = github.viewer_login()
    ref = str(thread.ref)
    if thread.state != "open" or folded_comment(thread, bot, IDEA_FOLDED) is not None:
        return None if claim_of(thread, bot) is None else FoldOutcome(ref, "", "done", "merged already or closed")
    proposed = _answer_command(thread, content, github, idea_url, dry_run=dry_run)
    if proposed is not None:
        if dry_run or proposed.decision != "proposed":
            return proposed
        fresh = read_again(github, thread.ref)
        thread = fresh
    claim = claim_of(thread, bot)
    if claim is None or claim.kind != "idea":
        return proposed
    target = find_idea(content, claim.key)
    own = own_idea(content, thread)
    if target is None:
        return FoldOutcome(ref, claim.key, "skipped", f"ideas/{claim.key}.md is no longer on the board")
    if own is None:
        why = "its idea file is not in ideas/ yet (the tally's pull request proposes it)"
        return proposed or FoldOutcome(ref, target.slug, "wait", why)
    if own.status is IdeaStatus.DUPLICATE or own.slug == target.slug:
        return FoldOutcome(ref, target.slug, "done", f"already {own.status.value}")
    verdict = _verdict(thread, claim, github, content, now, bot)
    if proposed is not None and verdict.decision == "wait":
        return proposed
    if verdict.decision != "fold" or dry_run:
        return FoldOutcome(ref, target.slug, verdict.decision, verdict.why)
    fresh = read_again(github, thread.ref)  # a reply or a 👎 since the listing cancels
    current = claim_of(fresh, bot)
    if current is None or current.key != claim.key:
        return FoldOutcome(ref, target.slug, "withdrawn", "the duplicate suggestion was withdrawn or changed")
    verdict = _verdict(fresh, current, github, content, now, bot)
    if verdict.decision != "fold":
        return FoldOutcome(ref, target.slug, verdict.decision, verdict.why)
    change = merge_change(own, target, current, verdict.why, now.date(), bot)
    problems, _ = check_proposal(content, config, change.files)
    if problems:  # never propose a file `crowdcare validate` or the site's build would refuse
        return FoldOutcome(ref, target.slug, "skipped", "; ".join(problems[:3])[:300])
    pull = propose(repository, change).action
    comment = fold_comment(fresh, target, idea_url(target), verdict.why, config.tr)
    post_once(fresh, comment, github, bot, IDEA_FOLDED)
    return FoldOutcome(ref, target.slug, "fold", verdict.why, pull=pull, done=True)


def _verdict(thread: Thread, claim: Claim, github: GitHubPort, content: Content, now: dt.datetime, bot: str) -> Verdict:
    assert content.config is not None
    return consent_verdict(thread, claim, github.comment_reactions(thread.ref, claim.comment), content.config, now, bot)


def _answer_command(
    thread: Thread, content: Content, github: GitHubPort, idea_url: Callable[[Idea], str], *, dry_run: bool
) -> FoldOutcome | None:
    bot = github.viewer_login()
    command = pending_command(thread, bot)
    if command is None:
        return None
    target = find_idea(content, command.reference) if command.reference else None
    own = own_idea(content, thread)
    tr = content.config.tr if content.config is not None else ENGLISH
    if target is None or (own is not None and target.slug == own.slug) or target.source == thread.url:
        if not dry_run:
            post_once(thread, refusal_comment(command, "idea", tr), github, bot, REFUSED)
        named = command.reference[:80] or "nothing"
        why = f"@{command.reply.author.login}'s /duplicate-of names no other idea ({named})"
        return FoldOutcome(str(thread.ref), "", "refused", why, done=not dry_run)
    if not dry_run:
        post_once(thread, proposal_comment(thread, command, target, idea_url(target), tr), github, bot, FINDER)
    why = f"@{command.reply.author.login} found it (/duplicate-of); it waits for the author or staff"
    return FoldOutcome(str(thread.ref), target.slug, "proposed", why, done=not dry_run)


def fold_ideas(
    threads: Iterable[Thread],
    content: Content,
    github: GitHubPort,
    repository: RepositoryPort,
    now: dt.datetime,
    idea_url: Callable[[Idea], str],
    *,
    dry_run: bool = False,
    on_progress: Callable[[FoldOutcome], None] | None = None,
) -> list[FoldOutcome]:
    """The sweep over idea threads (see fold.sweep: the same handling of deleted and unusable threads)."""

    def one(thread: Thread) -> FoldOutcome | None:
        return fold_idea_one(thread, content, github, repository, now, idea_url, dry_run=dry_run)

    return sweep(threads, one, on_progress)
