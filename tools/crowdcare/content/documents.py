"""Content as file text, and writing it: the inverse of the store. Solutions are written with
``yaml.safe_dump`` from a model that already passed the schema (ARCHITECTURE.md, Invariants), in the key order
the knowledge base uses, with the body kept byte for byte."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Contributor, Idea, Solution, StatusChange, Votes


def contributor_meta(contributor: Contributor) -> dict[str, Any]:
    person = contributor.person
    return {
        "login": person.login,
        **({"id": person.id} if person.id is not None else {}),
        "role": contributor.role.value,
    }


def solution_meta(solution: Solution) -> dict[str, Any]:
    """The front-matter of ``solution`` as plain data, optional keys only when set."""
    meta: dict[str, Any] = {
        "title": solution.title,
        "question": solution.question,
        "status": solution.status.value,
        "topic": solution.topic,
    }
    if solution.tags:
        meta["tags"] = list(solution.tags)
    if solution.aliases:
        meta["aliases"] = list(solution.aliases)
    meta["contributors"] = [contributor_meta(c) for c in solution.contributors]
    meta["source"] = solution.source
    if solution.also_asked:
        meta["also_asked"] = list(solution.also_asked)
    if solution.asked_as:
        meta["asked_as"] = list(solution.asked_as)
    meta["created"] = solution.created.isoformat()
    meta["updated"] = solution.updated.isoformat()
    if solution.verified_with is not None:
        meta["verified_with"] = solution.verified_with
    if solution.related:
        meta["related"] = list(solution.related)
    if solution.superseded_by is not None:
        meta["superseded_by"] = solution.superseded_by
    return meta


def solution_document(solution: Solution) -> str:
    """The full text of ``kb/<topic>/<slug>.md`` for ``solution``."""
    front = yaml.safe_dump(solution_meta(solution), allow_unicode=False, sort_keys=False, width=110)
    body = solution.body if solution.body.startswith("\n") else "\n" + solution.body
    return f"---\n{front}---\n{body if body.endswith(chr(10)) else body + chr(10)}"


def votes_meta(votes: Votes) -> dict[str, int]:
    meta = {"up": votes.up, "down": votes.down, "score": votes.score}
    if votes.verified is not None:
        meta["verified"] = votes.verified
    return meta


def change_meta(change: StatusChange) -> dict[str, str]:
    meta = {"status": change.status.value, "on": change.on.isoformat()}
    if change.by is not None:
        meta["by"] = change.by
    if change.reason is not None:
        meta["reason"] = change.reason
    meta["via"] = change.via
    return meta


def idea_meta(idea: Idea) -> dict[str, Any]:
    """The front-matter of ``ideas/<slug>.md`` from a validated model, optional keys only when set."""
    meta: dict[str, Any] = {
        "title": idea.title,
        "status": idea.status.value,
        "author": {"login": idea.author.login, **({"id": idea.author.id} if idea.author.id is not None else {})},
        "source": idea.source,
        "votes": votes_meta(idea.votes),
        "created": idea.created.isoformat(),
    }
    if idea.updated is not None:
        meta["updated"] = idea.updated.isoformat()
    if idea.tags:
        meta["tags"] = list(idea.tags)
    if idea.duplicate_of is not None:
        meta["duplicate_of"] = idea.duplicate_of
    if idea.shipped_in is not None:
        meta["shipped_in"] = idea.shipped_in
    if idea.decision is not None:
        decision = idea.decision
        meta["decision"] = {"by": decision.by, "on": decision.on.isoformat(), "reason": decision.reason}
    if idea.history:
        meta["history"] = [change_meta(c) for c in idea.history]
    return meta


def idea_document(idea: Idea) -> str:
    front = yaml.safe_dump(idea_meta(idea), allow_unicode=False, sort_keys=False, width=110)
    body = idea.body if idea.body.startswith("\n") else "\n" + idea.body
    return f"---\n{front}---\n{body if body.endswith(chr(10)) else body + chr(10)}"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        try:
            tmp.write(text)
        except BaseException:
            tmp.close()
            Path(tmp.name).unlink(missing_ok=True)  # no stray temporary file beside the untouched original
            raise
    Path(tmp.name).replace(path)


def inside(root: Path, rel: str) -> Path:
    """``root / rel`` for a file crowdcare writes, refused unless it stays inside the repository through no
    symbolic link (a linked metrics/ folder, or a configured ``metrics/../../x``, would write elsewhere)."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or any(p in ("..", ".") for p in parts) or "\\" in rel:
        raise BadInputError(f"{rel}: not a path inside the repository")
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise BadInputError(f"{rel}: {current} is a symbolic link; crowdcare writes nothing through a link")
    return current


def write_inside(root: Path, rel: str, text: str) -> Path:
    """Write the repository file ``rel`` atomically, inside the repository only (see ``inside``)."""
    path = inside(root, rel)
    write_atomically(path, text)
    return path
