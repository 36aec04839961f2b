"""The commands on a solution's thread besides /promote: ``/merge TARGET`` folds the thread (and its solution, if
it has one) into a canonical solution; ``/verified 4.13`` records the release an answer was checked with. Each
becomes a reviewed pull request; anyone governance does not admit gets one polite refusal."""

from __future__ import annotations

import re
from dataclasses import replace

from crowdcare.content.documents import solution_document
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import (
    ChangeProposal,
    Reply,
    Solution,
    Thread,
)
from crowdcare.intake.take_in import normalize
from crowdcare.promote.changes import propose
from crowdcare.promote.merge import find_solution, merge_into
from crowdcare.promote.preflight import check_proposal
from crowdcare.promote.promoter import (
    PROPOSING,
    Outcome,
    Promoter,
    allowed_to_promote,
    branch_of,
    echo,
    marker,
    refuse,
    rule_line,
    rule_why,
    say,
    solution_of,
    who_may,
)

_VERSION = re.compile(r"\A[0-9]+(?:\.[0-9]+){0,2}\Z")


def merge_command(thread: Thread, argument: str, command: Reply, p: Promoter) -> Outcome:
    tr = p.config.tr
    if not allowed_to_promote(p, command.author, command.association):
        why = tr("only {who} may merge threads and solutions.", who=who_may(p.config.governance.promote, tr=tr))
        return refuse(thread, p, command.author, "governance.promote", why, cmd=command.id)
    target = find_solution(p.content, argument) if argument else None
    if target is None:
        named = echo(argument) if argument else tr("(none named)")
        why = tr("I could not find the solution {named}: use `/merge topic/slug` or its page link.", named=named)
        return refuse(thread, p, command.author, "promotion.merge", why, cmd=command.id)
    source = solution_of(thread, p.content)
    try:
        files = merge_into(
            target,
            source=source,
            thread_url=thread.url,
            thread_title=normalize(thread.title, 1000) if source is None else None,
            finder=command.author,
            today=p.today,
        )
    except BadInputError as exc:
        return refuse(thread, p, command.author, "promotion.merge", f"{exc}.", cmd=command.id)
    ref = str(thread.ref)
    if not files:
        text = tr(
            "{who}, this thread is already listed in {target}.", who=f"@{command.author.login}", target=target.key
        )
        say(thread, p, text + marker("done", cmd=command.id))
        return Outcome(ref, "already-merged", f"already in {target.path}", path=target.path)
    problems, probe = check_proposal(p.content, p.config, files)
    if problems:
        return Outcome(ref, "invalid", "; ".join(problems), path=target.path, probe_ms=probe * 1000)
    body = _merge_body(thread, source, target, command, probe)
    change = ChangeProposal(
        branch=branch_of(p, "merge", thread),
        title=f"Merge {thread.ref} into {target.path}",
        body=body,
        files=files,
        message=f"Merge {thread.ref} into {target.path}\n\nAsked by @{command.author.login}; proposed by crowdcare.",
    )
    result = propose(p.repo, change, dry_run=p.dry_run)
    if result.action in PROPOSING:
        link = result.pull.url if result.pull else tr("a pull request")
        who = f"@{command.author.login}"
        text = tr(
            "Thanks, {who}! The merge into {target} is proposed in {link}.", who=who, target=target.key, link=link
        )
        data = {"cmd": command.id, "target": target.key, "pr": result.pull.number if result.pull else None}
        rule = rule_line("promotion.merge", rule_why("promotion.merge", tr), tr)
        say(thread, p, text + rule + marker("merge-proposed", **data))
    return Outcome(ref, result.action, result.why, result.pull.url if result.pull else None, target.path, probe * 1000)


def _merge_body(thread: Thread, source: Solution | None, target: Solution, command: Reply, probe: float) -> str:
    """What the merge's pull request says to its reviewers."""
    what = f"{source.path} (superseded)" if source is not None else f"{thread.ref}"
    lines = [
        f"Merges {what} into **{target.key}**, as @{command.author.login} asked on {thread.url}.",
        "",
        "- the thread joins `also_asked` of the canonical solution, with every thread the merged one listed;",
        "- contributors are united; the finder is credited as `finder`;",
    ]
    if source is not None:
        lines.append(
            f"- `{source.path}` keeps its answer, as `status: superseded`: its page becomes a short tombstone "
            "that sends readers to the canonical page, so old links keep working."
        )
    lines += [
        "",
        "**Please check** that the two really are the same question. Revert with `git revert` if not.",
        "",
        f"Checks run in the job: `crowdcare validate` rules, no findings; render probe {probe * 1000:.0f} ms.",
    ]
    return "\n".join(lines)


def verified_command(thread: Thread, argument: str, command: Reply, p: Promoter) -> Outcome:
    """``/verified 4.13`` on a solution's thread: a pull request that sets its verified_with to that release."""
    tr = p.config.tr
    if not allowed_to_promote(p, command.author, command.association):
        who = who_may(p.config.governance.promote, tr=tr)
        why = tr("only {who} may record which release an answer was checked with.", who=who)
        return refuse(thread, p, command.author, "governance.promote", why, cmd=command.id)
    version = argument.split()[0] if argument.split() else ""
    solution = solution_of(thread, p.content) or next(
        (s for s in p.content.solutions if thread.url in s.also_asked and s.superseded_by is None), None
    )
    if solution is None or not _VERSION.match(version):
        named = echo(version) if version else tr("no release")
        why = (
            tr("this thread has no published solution to mark as checked.")
            if solution is None
            else tr("{named} is not a release number: use `/verified 4.13`.", named=named)
        )
        return refuse(thread, p, command.author, "promotion.verified", why, cmd=command.id)
    ref = str(thread.ref)
    if solution.verified_with == version:
        text = tr(
            "{who}, {solution} is already marked as checked with {version}.",
            who=f"@{command.author.login}",
            solution=solution.key,
            version=version,
        )
        say(thread, p, text + marker("done", cmd=command.id))
        return Outcome(ref, "already-verified", f"{solution.path} already says {version}", path=solution.path)
    checked = replace(solution, verified_with=version, updated=p.today)
    change = ChangeProposal(
        branch=branch_of(p, f"verified-{version}", thread),
        title=f"{solution.key}: checked with {version}",
        body=(
            f"@{command.author.login} checked **{solution.key}** with release {version} on {thread.url} "
            f'(it said {solution.verified_with or "nothing"}): this sets `verified_with: "{version}"` and '
            "`updated` to today. Nothing else changes."
        ),
        files={solution.path: solution_document(checked)},
        message=f"{solution.key}: checked with {version}\n\nAsked by @{command.author.login}; proposed by crowdcare.",
    )
    result = propose(p.repo, change, dry_run=p.dry_run)
    if result.action in PROPOSING:
        link = result.pull.url if result.pull else tr("a pull request")
        text = tr(
            "Thanks, {who}! Marking {solution} as checked with {version} is proposed in {link}.",
            who=f"@{command.author.login}",
            solution=solution.key,
            version=version,
            link=link,
        )
        why = rule_line("promotion.verified", rule_why("promotion.verified", tr), tr)
        say(thread, p, text + why + marker("verified-proposed", cmd=command.id, version=version))
    return Outcome(ref, result.action, result.why, result.pull.url if result.pull else None, solution.path)
