"""Proposing a change as a reviewed pull request on a deterministic branch: opened once, updated on reruns,
never duplicated, never forced.

The pull request's body carries a hidden digest of the files crowdcare last wrote. On a rerun:
- the branch already holds exactly these files: nothing to commit (a run that crashed after committing only
  opens the pull request it did not get to);
- a reviewer changed the files on the branch since: their edits are kept and nothing is written;
- otherwise a new commit goes on top of the branch (a fast-forward) and the body is updated. If the branch
  moves meanwhile the push is refused (BranchMovedError): everything is read again and tried once more.
A branch of that name that crowdcare did not make, or a pull request the reviewers closed, is left alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from crowdcare.content.ports import RepositoryPort
from crowdcare.core.errors import BranchMovedError, TransientError
from crowdcare.core.markers import PULL_DIGEST, pull_digest_marker
from crowdcare.core.model import ChangeProposal, PullRequest

_DIGEST = PULL_DIGEST


@dataclass(frozen=True)
class Proposed:
    action: str  # opened | updated | unchanged | kept-edits | declined | merged | foreign-branch | would-open ...
    pull: PullRequest | None
    why: str


def digest(files: dict[str, str | None]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + (files[path] or "").encode() + b"\0")
    return h.hexdigest()[:16]


def body_with_digest(body: str, files: dict[str, str]) -> str:
    return f"{body.rstrip()}\n\n{pull_digest_marker(digest(dict(files)))}\n"


def propose(repo: RepositoryPort, change: ChangeProposal, *, dry_run: bool = False) -> Proposed:
    """Open or update the pull request for ``change``; see the module's docstring."""
    wanted = digest(dict(change.files))
    body = body_with_digest(change.body, change.files)
    for _attempt in range(2):
        pull = repo.find_pull_request(change.branch)
        if pull is not None and pull.merged:
            return Proposed("merged", pull, f"pull request #{pull.number} was merged already")
        if pull is not None and pull.state != "open":
            return Proposed("declined", pull, f"reviewers closed pull request #{pull.number}; nothing reopened")
        head = repo.branch_head(change.branch)
        if head is None:
            if dry_run:
                return Proposed("would-open", pull, f"would open a pull request from {change.branch}")
            try:
                repo.commit_files(change.branch, change.files, change.message, None)
            except BranchMovedError:
                continue
            opened = repo.open_pull_request(change.branch, change.title, body)
            return Proposed("opened", opened, f"opened pull request #{opened.number}")
        current = {path: repo.read_file(path, change.branch) for path in change.files}
        on_branch = digest(current)
        last = _DIGEST.search(pull.body) if pull is not None else None
        if on_branch == wanted:
            if pull is None:
                if dry_run:
                    return Proposed("would-open", None, "would open the pull request a failed run left out")
                opened = repo.open_pull_request(change.branch, change.title, body)
                return Proposed("opened", opened, f"opened pull request #{opened.number} for the existing branch")
            if (last is None or last.group(1) != wanted) and not dry_run:
                repo.update_pull_request(pull, change.title, body)
            return Proposed("unchanged", pull, f"pull request #{pull.number} is up to date")
        if pull is None:
            return Proposed(
                "foreign-branch",
                None,
                f"branch {change.branch} exists with other content and no pull request; crowdcare did not make "
                "it, so it is left alone (delete or rename it to let crowdcare propose)",
            )
        if last is not None and last.group(1) != on_branch:
            return Proposed("kept-edits", pull, f"reviewers edited pull request #{pull.number}; their edits are kept")
        if dry_run:
            return Proposed("would-update", pull, f"would update pull request #{pull.number}")
        try:
            repo.commit_files(change.branch, change.files, change.message, head)
        except BranchMovedError:
            continue
        repo.update_pull_request(pull, change.title, body)
        return Proposed("updated", pull, f"updated pull request #{pull.number}")
    raise TransientError(f"branch {change.branch} moved twice while crowdcare was updating it; run again")
