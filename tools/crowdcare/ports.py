"""The interface the steps use to talk to GitHub. Three implementations live at the edges (DESIGN.md §3):
live (PyGithub and GraphQL), event (an Actions payload) and snapshot (a folder of JSON in GitHub's shapes)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from crowdcare.model import Reply, SearchHit, Thread, ThreadRef


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

    def close_thread(self, ref: ThreadRef) -> None:
        """Close an issue as not planned, or a discussion as outdated (used for the kind close)."""
        ...

    def reopen_thread(self, ref: ThreadRef) -> None: ...


class SimilarityIndex(Protocol):
    def similar(self, title: str, body: str = "", *, limit: int = 10, exclude: str | None = None) -> list[SearchHit]:
        """The most similar indexed entries, best first."""
        ...
