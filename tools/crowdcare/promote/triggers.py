"""Promotion: what the community solves becomes a solution in kb/, through a pull request maintainers review.

Triggers (governance as code, from crowdcare.yml):
- answer: a discussion's answer is marked in an answerable category (``promotion.on_answer``), by someone
  ``governance.accept_answers`` admits; answers marked before ``promotion.answers_since`` are left alone;
- command: ``/promote`` (optionally naming the reply to use, by its link) by someone ``governance.promote``
  admits; ``/merge TARGET`` folds the thread (and its solution, if it has one) into a canonical solution;
- label: the ``promotion.label`` label on a discussion or an issue (the labeller is checked when known).
Anyone else's command or answer gets one polite refusal that names the rule.

Each proposal is validated inside the job (the same checks as `crowdcare validate`, and a render-time probe)
before its pull request is opened, because pull requests opened with the workflow token get no CI run. The bot
answers on the thread with a link to the pull request, and again with the page once the solution is published.
Reruns reconcile: comments carry a hidden marker and are recognised by marker AND author; pull requests live
on deterministic branches (crowdcare.promote.changes).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable

from crowdcare.content.documents import solution_document
from crowdcare.core.markers import NOTICE_END, NOTICE_START, BotComment
from crowdcare.core.model import ChangeProposal, PersonKind, PersonRef, PullRequest, Reply, Thread, ThreadKind
from crowdcare.core.settings import Config
from crowdcare.intake.take_in import classify
from crowdcare.promote.changes import propose
from crowdcare.promote.commands import merge_command, verified_command
from crowdcare.promote.draft import draft_solution, pull_request_body
from crowdcare.promote.notices import published_notices
from crowdcare.promote.preflight import check_proposal
from crowdcare.promote.promoter import (
    MARK,
    PROPOSING,
    Outcome,
    Promoter,
    allowed_to_promote,
    branch_of,
    echo,
    marker,
    marks,
    person_named,
    refuse,
    rule_line,
    rule_why,
    say,
    solution_of,
    who_may,
)
from crowdcare.respond.proposals import as_confirmed, reply_named
from crowdcare.similarity.dedup import solution_url

_COMMAND = re.compile(r"\A\s*/(promote|merge|verified)(?![\w-])[ \t]*([^\n]*)", re.IGNORECASE)


def commands(thread: Thread, config: Config) -> list[tuple[str, str, Reply]]:
    """(verb, argument, reply) of every /promote, /merge and /verified a person wrote, oldest first."""
    found = []
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        if config.person_kind(reply.author, reply.association, reply.author_is_bot) is PersonKind.BOT:
            continue
        match = _COMMAND.match(reply.body)
        if match:
            found.append((match.group(1).lower(), match.group(2).strip()[:300], reply))
    return found


def promote_all(threads: Iterable[Thread], promoter: Promoter, on_progress: Callable[[Outcome], None]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for thread in threads:
        if classify(thread, promoter.config) is not ThreadKind.QUESTION:
            continue
        for outcome in promote_thread(thread, promoter):
            on_progress(outcome)
            outcomes.append(outcome)
    return outcomes


def promote_thread(thread: Thread, p: Promoter) -> list[Outcome]:
    """Everything due on one thread: published notices, commands, then the label and answer triggers."""
    bot = p.github.viewer_login()
    thread = as_confirmed(thread, bot)  # an answer its asker confirmed is accepted by them, not by the bot
    ours = marks(thread, bot)
    handled = {m.data["cmd"] for m in ours if "cmd" in m.data}
    outcomes = published_notices(thread, ours, p)
    for verb, argument, command in commands(thread, p.config):
        if command.id in handled:
            continue
        if verb == "merge":
            outcomes.append(merge_command(thread, argument, command, p))
        elif verb == "verified":
            outcomes.append(verified_command(thread, argument, command, p))
        else:
            outcomes.append(_promote_command(thread, argument, command, p))
    existing = solution_of(thread, p.content)
    proposed = [m for m in ours if m.rule == "proposed"]
    if proposed and existing is None and not any(o.action in PROPOSING for o in outcomes):
        outcomes.append(_refresh(thread, proposed[-1], p))
    elif existing is None and not proposed and not any(o.action in PROPOSING for o in outcomes):
        trigger = _automatic_trigger(thread, ours, p)
        if trigger is not None:
            outcomes.append(trigger)
    return outcomes


def _promote_command(thread: Thread, argument: str, command: Reply, p: Promoter) -> Outcome:
    rule = "governance.promote"
    tr = p.config.tr
    if not allowed_to_promote(p, command.author, command.association):
        why = _only_promote(p)
        return refuse(thread, p, command.author, rule, why, cmd=command.id)
    existing = solution_of(thread, p.content)
    if existing is not None:
        link = solution_url(existing, p.config)
        text = tr(
            "{who}, this thread is already in the knowledge base: {link}", who=f"@{command.author.login}", link=link
        )
        say(thread, p, text + marker("done", cmd=command.id))
        return Outcome(str(thread.ref), "already-published", f"already in {existing.path}", path=existing.path)
    reply = _chosen_reply(thread, argument)
    if reply is None:
        why = (
            tr("the reply {named} is not on this thread (it may have been deleted).", named=echo(argument))
            if argument
            else tr("there is no reply to promote yet: mark an answer, or name a reply by its link (`/promote LINK`).")
        )
        return refuse(thread, p, command.author, "promotion.command", why, cmd=command.id)
    return _propose_solution(thread, reply, command.author, "promotion.command", p, cmd=command.id)


def _only_promote(p: Promoter) -> str:
    tr = p.config.tr
    who = who_may(p.config.governance.promote, tr=tr)
    return tr("only {who} may promote a thread into the knowledge base.", who=who)


def _automatic_trigger(thread: Thread, ours: list[BotComment], p: Promoter) -> Outcome | None:
    config = p.config
    tr = config.tr
    refused = {(k, v) for m in ours if m.rule == "refused" for k, v in m.data.items()}
    if config.promotion.label.lower() in {label.lower() for label in thread.labels}:
        if ("label", config.promotion.label) in refused:
            return None
        # Who applied the label: the event's sender, else the timeline (a discussion has none).
        labeller = p.sender or p.github.label_actor(thread.ref, config.promotion.label)
        if labeller is not None and not allowed_to_promote(p, labeller):
            return refuse(thread, p, labeller, "governance.promote", _only_promote(p), label=config.promotion.label)
        reply = _chosen_reply(thread, "")
        if reply is None:
            why = tr("there is no reply to promote yet: mark an answer, or comment `/promote LINK` naming a reply.")
            return refuse(thread, p, labeller, "promotion.label", why, label=config.promotion.label)
        return _propose_solution(thread, reply, labeller, "promotion.label", p)
    answer = thread.answer
    if not config.promotion.on_answer or answer is None:
        return None  # an issue has an answer only when its asker confirmed a proposed one (respond/proposals.py)
    if ("answer", answer.id) in refused:
        return None
    since = config.promotion.answers_since
    if since is not None and (thread.answer_chosen_at is None or thread.answer_chosen_at[:10] < since):
        return None
    chooser = thread.answer_chosen_by
    if chooser is None:
        # GitHub names no one (a deleted account chose it): governance cannot be checked, so it is not accepted.
        why = tr(
            "the account that marked this answer no longer exists, so it is not promoted as accepted. A staff member "
            "can comment `/promote` to promote it anyway."
        )
        return refuse(thread, p, None, "governance.accept_answers", why, answer=answer.id)
    if answer.author.is_same_account(thread.author) and answer.author.is_same_account(chooser):
        why = tr(
            "an asker's own reply marked as the answer by the asker is not an accepted answer for the knowledge base. "
            "A staff member can comment `/promote` to promote it anyway."
        )
        return refuse(thread, p, chooser, "promotion.on_answer", why, answer=answer.id)
    if not config.is_allowed(config.governance.accept_answers, chooser, asker=thread.author):
        why = tr(
            "only {who} may accept an answer for the knowledge base, so this one is not promoted. A staff member can "
            "comment `/promote` to promote it anyway.",
            who=who_may(config.governance.accept_answers, tr=tr),
        )
        return refuse(thread, p, chooser, "governance.accept_answers", why, answer=answer.id)
    return _propose_solution(thread, answer, chooser, "promotion.on_answer", p)


def _chosen_reply(thread: Thread, argument: str) -> Reply | None:
    """The reply named by its link (or the link's #fragment); else the answer; else the most voted reply by
    someone other than the asker (ties: the latest)."""
    if argument:
        return reply_named(thread, argument)
    if thread.answer is not None:
        return next((r for r in thread.replies if r.id == thread.answer.id), thread.answer)
    others = [r for r in thread.replies if not r.author.is_same_account(thread.author) and not r.author_is_bot]
    others = [r for r in others if not _COMMAND.match(r.body) and not MARK.search(r.body)]
    return max(others, key=lambda r: (r.votes, r.created_at), default=None)


def _propose_solution(
    thread: Thread,
    reply: Reply,
    accepter: PersonRef | None,
    rule: str,
    p: Promoter,
    *,
    cmd: str | None = None,
    known_path: str | None = None,
    announce: bool = True,
) -> Outcome:
    similar = p.similar(thread)
    # GitHub's own record of who accepted the reply (answerChosenBy), when the promoted reply is the marked answer;
    # whoever asked for the promotion is credited separately, as promoter.
    chosen = thread.answer is not None and thread.answer.id == reply.id and thread.answer_chosen_by is not None
    promoter = accepter if chosen and rule in ("promotion.command", "promotion.label") else None
    credited = thread.answer_chosen_by if chosen else accepter
    draft = draft_solution(
        thread,
        reply,
        credited,
        p.config,
        p.content,
        similar=similar,
        also_asked=p.bucket_of(thread),
        today=p.today,
        known_path=known_path,
        promoter=promoter,
    )
    path = draft.solution.path
    files = {path: solution_document(draft.solution)}
    problems, probe = check_proposal(p.content, p.config, files)
    ref = str(thread.ref)
    if problems:
        return Outcome(ref, "invalid", "; ".join(problems), path=path, probe_ms=probe * 1000)
    change = ChangeProposal(
        branch=branch_of(p, "promote", thread),
        title=f"Promote {thread.ref} into {path}",
        body=pull_request_body(thread, reply, accepter, draft, similar, probe, p.config),
        files=files,
        message=f"Promote {thread.ref} into {path}\n\nSource: {thread.url}\nProposed by crowdcare ({rule}).",
    )
    result = propose(p.repo, change, dry_run=p.dry_run)
    outcome = Outcome(ref, result.action, result.why, result.pull.url if result.pull else None, path, probe * 1000)
    if announce and result.action in PROPOSING:
        _announce(thread, reply, accepter, rule, p, result.pull, cmd=cmd, path=path)
    return outcome


def _announce(
    thread: Thread,
    reply: Reply,
    accepter: PersonRef | None,
    rule: str,
    p: Promoter,
    pull: PullRequest | None,
    *,
    cmd: str | None,
    path: str,
) -> None:
    """Tell the thread where its answer is proposed; the marker records what was approved (a later edit of the
    reply is not carried silently)."""
    data = {
        "cmd": cmd,
        "reply": reply.id,
        "by": accepter.login if accepter is not None else None,
        "path": path,
        "pr": pull.number if pull else None,
        "sha": approved_digest(reply),
    }
    tr = p.config.tr
    greeting = tr("Thanks, {who}! ", who=f"@{accepter.login}") if accepter is not None else tr("Thanks! ")
    where = pull.url if pull else tr("a pull request")
    text = greeting + tr(
        "This answer is proposed for the knowledge base in {where}; maintainers review it there, and I will post "
        "the link here once it is published.",
        where=where,
    )
    say(thread, p, text + rule_line(rule, rule_why(rule, tr), tr) + marker("proposed", **data))


def _refresh(thread: Thread, mark: BotComment, p: Promoter) -> Outcome:
    """A promotion proposed before: bring its pull request up to date with the thread (edits, new votes)."""
    reply = next((r for r in thread.replies if r.id == mark.data.get("reply")), None)
    if reply is None:
        return Outcome(
            str(thread.ref), "reply-gone", "the promoted reply was deleted; the pull request is left to reviewers"
        )
    by = mark.data.get("by")
    accepter = person_named(thread, by) if by else None
    rule = "promotion.command" if "cmd" in mark.data else "promotion.on_answer"
    approved = mark.data.get("sha")
    if approved is not None and approved != approved_digest(reply):
        return _changed_after_approval(thread, reply, accepter, mark, p)
    return _propose_solution(thread, reply, accepter, rule, p, known_path=mark.data.get("path"), announce=False)


def approved_digest(reply: Reply) -> str:
    """A short fingerprint of a reply's text as it was approved for the knowledge base."""
    return hashlib.sha256(reply.body.encode("utf-8")).hexdigest()[:16]


CHANGED = "Changed after approval"


_NOTICE_START, _NOTICE_END = NOTICE_START, NOTICE_END


_NOTICE = re.compile(rf"{re.escape(_NOTICE_START)}.*?{re.escape(_NOTICE_END)}\n\n", re.DOTALL)


def _changed_after_approval(
    thread: Thread, reply: Reply, accepter: PersonRef | None, mark: BotComment, p: Promoter
) -> Outcome:
    """The promoted reply was edited after it was approved. The pull request keeps the approved text and says
    what changed; only a new approval (a `/promote` from someone governance admits) carries the new text."""
    ref = str(thread.ref)
    branch = branch_of(p, "promote", thread)
    path = mark.data.get("path") or ""
    pull = p.repo.find_pull_request(branch)
    approved_text = p.repo.read_file(path, branch) if path else None
    if pull is None or approved_text is None or pull.state != "open":
        return Outcome(ref, "changed-after-approval", "the promoted reply was edited after approval; nothing carried")
    draft = draft_solution(thread, reply, accepter, p.config, p.content, similar=[], also_asked=p.bucket_of(thread),
                           today=p.today, known_path=path)  # fmt: skip
    new_text = solution_document(draft.solution)
    diff = "".join(difflib.unified_diff(approved_text.splitlines(True), new_text.splitlines(True), "approved", "now"))
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", diff)), default=0))
    notice = (
        f"{_NOTICE_START}\n> [!WARNING]\n> **{CHANGED}.** The promoted reply was edited on the thread after it "
        "was approved. This pull request still holds the approved text; the edit is shown below and is not "
        "carried until someone "
        f"{who_may(p.config.governance.promote)} admits comments `/promote` on the thread again.\n\n"
        f"{fence}diff\n{diff}{fence}\n{_NOTICE_END}\n\n"
    )
    # The previous notice, whatever its diff's fence, is replaced: it sits between markers of its own.
    body = _NOTICE.sub("", pull.body)
    if notice + body != pull.body and not p.dry_run:
        p.repo.update_pull_request(pull, f"Promote {thread.ref} into {path}", notice + body)
    return Outcome(ref, "changed-after-approval", f"the reply changed after approval; pull request #{pull.number} "
                   "keeps the approved text and waits for a new approval", pull.url, path)  # fmt: skip
