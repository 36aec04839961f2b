"""The repository side offline: branches and commits in the local git repository, pull requests as JSON in the
snapshot folder (``pulls/<n>.json``, a subset of GitHub's REST shape) plus an outbox entry for each write.

Commits are built with git's plumbing on a temporary index (read-tree, update-index, write-tree, commit-tree),
so the working tree and the checked-out branch are never touched, and the branch moves with a compare-and-swap
``git update-ref`` (the offline counterpart of a push GitHub refuses when it is not a fast-forward).
A pull request counts as merged once its branch is contained in the base branch.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from crowdcare.adapters.snapshot import SnapshotGitHub, write_json
from crowdcare.core.errors import BadInputError, BranchMovedError
from crowdcare.core.model import PullRequest
from crowdcare.core.times import format_time

ZERO = "0" * 40


class LocalRepository:
    """The RepositoryPort over a local git repository and a snapshot folder."""

    def __init__(self, root: Path, snapshot: SnapshotGitHub, base_branch: str) -> None:
        self.root = root
        self.snapshot = snapshot
        self.base = base_branch
        login = snapshot.viewer_login()
        self.identity = {
            "GIT_AUTHOR_NAME": login,
            "GIT_AUTHOR_EMAIL": f"{login}@users.noreply.github.com",
            "GIT_COMMITTER_NAME": login,
            "GIT_COMMITTER_EMAIL": f"{login}@users.noreply.github.com",
        }
        if self._git("rev-parse", "--is-inside-work-tree", check=False).strip() != "true":
            raise BadInputError(f"{root}: not a git repository (offline promotion commits to branches: git init)")
        if self.branch_head(base_branch) is None:
            raise BadInputError(f"{root}: no branch {base_branch!r} (promotion.base_branch in crowdcare.yml)")
        # As on GitHub, a pull request reads as merged from the moment its branch is in the base branch, whichever
        # command looks next, not only when a command asks for that branch's pull request.
        for data in self._pulls():
            self._pull(data)

    def _run(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        result = subprocess.run(
            ["git", "-C", str(self.root), *args],
            input=stdin.encode("utf-8") if stdin is not None else None,
            capture_output=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        return result.returncode, result.stdout, result.stderr.decode("utf-8", "replace")

    def _git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None, check: bool = True) -> str:
        code, out, err = self._run(*args, stdin=stdin, env=env)
        if check and code != 0:
            raise BadInputError(f"git {args[0]} failed in {self.root}: {err.strip()[:300]}")
        return out.decode("utf-8", "replace")

    # --- branches and files ------------------------------------------------------------------------------

    def branch_head(self, branch: str) -> str | None:
        out = self._git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}", check=False).strip()
        return out or None

    def read_file(self, path: str, branch: str) -> str | None:
        code, out, _ = self._run("show", f"refs/heads/{branch}:{path}")
        return out.decode("utf-8") if code == 0 else None

    def commit_files(self, branch: str, files: dict[str, str], message: str, parent: str | None) -> str:
        start = parent or self.branch_head(self.base)
        if start is None:
            raise BadInputError(f"no branch {self.base!r} to start from")
        # Commits are dated by the snapshot's clock (CROWDCARE_NOW when set), so the demo's history is reproducible.
        when = format_time(self.snapshot.clock())
        dated = {**self.identity, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        with tempfile.TemporaryDirectory() as folder:
            env = {**dated, "GIT_INDEX_FILE": str(Path(folder) / "index")}
            self._git("read-tree", start, env=env)
            for path, text in files.items():
                blob = self._git("hash-object", "-w", "--stdin", stdin=text, env=env).strip()
                self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self._git("write-tree", env=env).strip()
            commit = self._git("commit-tree", tree, "-p", start, stdin=message + "\n", env=env).strip()
        self._git("update-ref", f"refs/heads/{branch}", commit, parent or ZERO, check=False, env=self.identity)
        if self.branch_head(branch) != commit:
            raise BranchMovedError(f"branch {branch} moved (or already exists): not a fast-forward")
        self.snapshot.outbox({"op": "push", "branch": branch, "commit": commit, "files": sorted(files)})
        return commit

    # --- pull requests -----------------------------------------------------------------------------------

    def _pulls(self) -> list[dict[str, Any]]:
        folder = self.snapshot.root / "pulls"
        found = [json.loads(p.read_text("utf-8")) for p in folder.glob("*.json")] if folder.is_dir() else []
        return sorted(found, key=lambda pr: int(pr["number"]))

    def _pull(self, data: dict[str, Any]) -> PullRequest:
        branch = str(data["head"]["ref"])
        merged = bool(data.get("merged"))
        head = self.branch_head(branch)
        if not merged and data["state"] == "open" and head is not None:
            merged = self._is_ancestor(head)
            if merged:
                data.update(state="closed", merged=True, merged_at=self._merged_at(head))
                write_json(self.snapshot.root / "pulls" / f"{data['number']}.json", data)
        return PullRequest(
            number=int(data["number"]),
            url=str(data["html_url"]),
            branch=branch,
            state=str(data["state"]),
            merged=merged,
            body=str(data.get("body") or ""),
        )

    def _merged_at(self, head: str) -> str | None:
        """When the base branch took the commit in: the committer date of the first base commit past it (the merge
        commit, or the commit itself when the branch was fast-forwarded)."""
        path = self._git("rev-list", "--ancestry-path", "--reverse", f"{head}..refs/heads/{self.base}", check=False)
        first = path.split()[0] if path.split() else head
        when = self._git("log", "-1", "--format=%cI", first, check=False).strip()
        return when.replace("+00:00", "Z") or None

    def _is_ancestor(self, commit: str) -> bool:
        return self._run("merge-base", "--is-ancestor", commit, f"refs/heads/{self.base}")[0] == 0

    def find_pull_request(self, branch: str) -> PullRequest | None:
        mine = [pr for pr in self._pulls() if pr["head"]["ref"] == branch]
        return self._pull(mine[-1]) if mine else None

    def open_pull_request(self, branch: str, title: str, body: str) -> PullRequest:
        number = max([int(pr["number"]) for pr in self._pulls()] + [0]) + 1
        data = {
            "number": number,
            "html_url": f"https://github.com/{self.snapshot.meta['repository']}/pull/{number}",
            "state": "open",
            "merged": False,
            "merged_at": None,
            "title": title,
            "body": body,
            "head": {"ref": branch},
            "base": {"ref": self.base},
            "user": {"login": self.snapshot.viewer_login(), "type": "Bot"},
        }
        write_json(self.snapshot.root / "pulls" / f"{number}.json", data)
        self.snapshot.outbox({"op": "create_pull_request", "number": number, "branch": branch, "title": title})
        return self._pull(data)

    def update_pull_request(self, pull: PullRequest, title: str, body: str) -> None:
        path = self.snapshot.root / "pulls" / f"{pull.number}.json"
        data = json.loads(path.read_text("utf-8"))
        data.update(title=title, body=body)
        write_json(path, data)
        self.snapshot.outbox({"op": "update_pull_request", "number": pull.number, "title": title})
