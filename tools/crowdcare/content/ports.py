"""The interface the steps use to talk to GitHub. Three implementations live at the edges (ARCHITECTURE.md, Layers):
live (PyGithub and GraphQL), event (an Actions payload) and snapshot (a folder of JSON in GitHub's shapes)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from crowdcare.core.errors import ThreadGoneError
from crowdcare.core.model import PersonRef, PullRequest, Reaction, Reply, SearchHit, Thread, ThreadRef
from crowdcare.core.settings import IntakeRule


class GitHubPort(Protocol):
    def viewer_login(self) -> str:
        """The login the writes are made as (the bot): its comments are recognised by marker and author."""
        ...

    def get_thread(self, ref: ThreadRef) -> Thread | None:
        """The thread as it is now, with its replies; None when it was deleted."""
        ...

    def threads_updated_since(self, since: str | None) -> Iterator[Thread]:
        """Every issue and discussion updated at or after ``since`` (ISO 8601), or all of them."""
        ...

    def label_actor(self, ref: ThreadRef, label: str) -> PersonRef | None:
        """Who last applied ``label`` to the thread, from its timeline; None when GitHub does not say (a
        discussion has no timeline: only collaborators with triage access can label one)."""
        ...

    def idea_threads(self, rule: IntakeRule) -> Iterator[Thread]:
        """Every idea thread (discussions in the rule's categories, issues with its labels), open or closed,
        with all its reactions (who, when, account age) and upvote count: what `crowdcare tally` counts."""
        ...

    def post_comment(self, ref: ThreadRef, body: str) -> Reply:
        """Create a comment. Raises AmbiguousWriteError when it may or may not have been created."""
        ...

    def edit_comment(self, ref: ThreadRef, reply_id: str, body: str) -> None: ...

    def add_labels(self, ref: ThreadRef, labels: Sequence[str]) -> None: ...

    def remove_labels(self, ref: ThreadRef, labels: Sequence[str]) -> None:
        """Remove labels; one the thread does not carry is no error."""
        ...

    def assign(self, ref: ThreadRef, logins: Sequence[str]) -> bool:
        """Assign people to an issue. Discussions have no assignees on GitHub: returns False and does nothing."""
        ...

    def close_thread(self, ref: ThreadRef, *, duplicate: bool = False) -> None:
        """Close an issue as not planned, or a discussion as outdated (used for the kind close); with
        ``duplicate``, both as duplicates (a folded question)."""
        ...

    def mark_answer(self, ref: ThreadRef, reply: Reply) -> None:
        """Mark ``reply`` as the discussion's answer (GitHub records the bot as the account that marked it). Only
        for a discussion in a category that takes answers: an issue's answer is the answered label."""
        ...

    def comment_reactions(self, ref: ThreadRef, reply: Reply) -> list[Reaction]:
        """Who reacted how to one comment on a thread (consent to a duplicate suggestion)."""
        ...

    def reopen_thread(self, ref: ThreadRef) -> None: ...


class RepositoryPort(Protocol):
    """The repository side of GitHub: branches, commits and pull requests (live), or the local git repository
    with an outbox (offline). Branch names are crowdcare's own; the base branch is configuration."""

    def branch_head(self, branch: str) -> str | None:
        """The commit the branch points at, or None when there is no such branch."""
        ...

    def read_file(self, path: str, branch: str) -> str | None:
        """The file's text on ``branch``; None when it does not exist there."""
        ...

    def commit_files(self, branch: str, files: dict[str, str], message: str, parent: str | None) -> str:
        """Commit ``files`` on top of ``parent`` (None: a new branch from the base) and move the branch to it.

        Never forces: raises BranchMovedError when the branch no longer points at ``parent`` (or already exists
        when ``parent`` is None). Returns the new commit.
        """
        ...

    def find_pull_request(self, branch: str) -> PullRequest | None:
        """The newest pull request from ``branch`` into the base, open or closed."""
        ...

    def open_pull_request(self, branch: str, title: str, body: str) -> PullRequest: ...

    def update_pull_request(self, pull: PullRequest, title: str, body: str) -> None: ...


class SimilarityIndex(Protocol):
    def similar(self, title: str, body: str = "", *, limit: int = 10, exclude: str | None = None) -> list[SearchHit]:
        """The most similar indexed entries, best first."""
        ...


class SetupPort(Protocol):
    """What ``crowdcare doctor`` reads of a live repository (and the one thing it may change: labels)."""

    def viewer_login(self) -> str:
        """Who the token writes as, as GitHub reports it."""
        ...

    def repository(self) -> dict[str, object] | None:
        """The repository as REST describes it (has_issues, has_discussions, permissions), or None if the token
        cannot see it."""
        ...

    def label_names(self) -> set[str]:
        """Every label of the repository (all pages)."""
        ...

    def create_label(self, name: str, color: str, description: str) -> None: ...

    def discussion_categories(self) -> dict[str, bool]:
        """Category name -> whether it takes answers (Q&A format)."""
        ...

    def user_id(self, login: str) -> int | None:
        """The numeric id of the account ``login``, or None if there is none."""
        ...

    def pages(self) -> dict[str, object] | None:
        """The repository's GitHub Pages site (build_type "workflow" when Actions publish it), or None."""
        ...


def read_again(github: GitHubPort, ref: ThreadRef) -> Thread:
    """The thread as GitHub has it now, read right before a write (a reply since the listing may cancel it);
    ThreadGoneError when it was deleted."""
    fresh = github.get_thread(ref)
    if fresh is None:
        raise ThreadGoneError(f"{ref} was deleted")
    return fresh
