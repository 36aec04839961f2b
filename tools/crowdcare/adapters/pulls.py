"""The repository side of live GitHub: branches, commits and pull requests over REST.

A proposal is one commit made with the Git Data API (a tree with every file, then a commit on the branch's
head), and the branch is moved with ``force: false``: when someone pushed meanwhile GitHub answers 422 (not a
fast-forward) and crowdcare reads again instead of overwriting. Writes are never retried (ARCHITECTURE.md, Facts).
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import requests
from github import GithubException

from crowdcare.adapters.live import LiveGitHub
from crowdcare.adapters.transport import github_error, unreachable
from crowdcare.core.errors import BranchMovedError
from crowdcare.core.model import PullRequest


class LiveRepository:
    """The RepositoryPort over GitHub's REST API, sharing the connection (and its retry policy) of LiveGitHub."""

    def __init__(self, github: LiveGitHub, base_branch: str) -> None:
        self.github = github
        self.repo = github.repository
        self.base = base_branch

    def branch_head(self, branch: str) -> str | None:
        data = self.github.get_or_none(f"/repos/{self.repo}/git/ref/heads/{quote(branch)}")
        return str(data["object"]["sha"]) if isinstance(data, dict) else None

    def read_file(self, path: str, branch: str) -> str | None:
        data = self.github.get_or_none(f"/repos/{self.repo}/contents/{quote(path)}?ref={quote(branch, safe='')}")
        if not isinstance(data, dict) or data.get("encoding") != "base64":
            return None
        return base64.b64decode(str(data.get("content", ""))).decode("utf-8")

    def commit_files(self, branch: str, files: dict[str, str], message: str, parent: str | None) -> str:
        start = parent or self.branch_head(self.base)
        if start is None:
            raise BranchMovedError(f"the base branch {self.base!r} was not found")
        rest = self.github._rest
        base_tree = rest("GET", f"/repos/{self.repo}/git/commits/{start}")["tree"]["sha"]
        entries = [{"path": path, "mode": "100644", "type": "blob", "content": text} for path, text in files.items()]
        tree = rest("POST", f"/repos/{self.repo}/git/trees", {"base_tree": base_tree, "tree": entries})["sha"]
        commit = rest("POST", f"/repos/{self.repo}/git/commits", {"message": message, "tree": tree, "parents": [start]})
        sha = str(commit["sha"])
        try:
            if parent is None:
                body: dict[str, Any] = {"ref": f"refs/heads/{branch}", "sha": sha}
                self.github.requester.requestJsonAndCheck("POST", f"/repos/{self.repo}/git/refs", input=body)
            else:
                url = f"/repos/{self.repo}/git/refs/heads/{quote(branch)}"
                self.github.requester.requestJsonAndCheck("PATCH", url, input={"sha": sha, "force": False})
        except GithubException as exc:
            if exc.status == 422:  # "Reference already exists" / "Update is not a fast forward"
                raise BranchMovedError(f"branch {branch} moved while crowdcare updated it") from None
            raise github_error(exc, "POST", f"/repos/{self.repo}/git/refs") from None
        except requests.RequestException as exc:
            raise unreachable(exc, "POST", f"/repos/{self.repo}/git/refs") from None
        return sha

    def find_pull_request(self, branch: str) -> PullRequest | None:
        owner = self.repo.split("/", 1)[0]
        query = f"head={quote(owner)}:{quote(branch, safe='')}&base={quote(self.base, safe='')}&state=all"
        found = self.github.get_or_none(f"/repos/{self.repo}/pulls?{query}&sort=created&direction=desc&per_page=1")
        return _pull(found[0]) if found else None

    def open_pull_request(self, branch: str, title: str, body: str) -> PullRequest:
        """Open it; when GitHub answers 422 because one is already open from the branch (another run opened it
        meanwhile), that one is the answer: never a second pull request."""
        data = {"title": title, "head": branch, "base": self.base, "body": body, "maintainer_can_modify": True}
        url = f"/repos/{self.repo}/pulls"
        try:
            return _pull(self.github.requester.requestJsonAndCheck("POST", url, input=data)[1])
        except GithubException as exc:
            if exc.status == 422 and "already exists" in str(exc.data):
                existing = self.find_pull_request(branch)
                if existing is not None:
                    return existing
            raise github_error(exc, "POST", url) from None
        except requests.RequestException as exc:
            raise unreachable(exc, "POST", url) from None

    def update_pull_request(self, pull: PullRequest, title: str, body: str) -> None:
        self.github._rest("PATCH", f"/repos/{self.repo}/pulls/{pull.number}", {"title": title, "body": body})


def _pull(data: dict[str, Any]) -> PullRequest:
    return PullRequest(
        number=int(data["number"]),
        url=str(data["html_url"]),
        branch=str(data["head"]["ref"]),
        state=str(data["state"]),
        merged=data.get("merged_at") is not None,
        body=str(data.get("body") or ""),
    )
