"""GitHub as a local folder of JSON in GitHub's own shapes: the offline default for the demo, tests and
migrations. Reads come from the folder; writes change it (so later reads see them, as on GitHub) and are
appended to ``outbox.jsonl`` for review.

    snapshot.json                 {"format": 1, "repository": "owner/name", "viewer": {"login": ..., "id": ...}}
    issues/<n>.json               a REST issue object
    issues/<n>.comments.json      a list of REST issue comment objects
    issues/<n>.reactions.json     the issue's reactions: a GraphQL ReactionConnection (REST users carry no age)
    discussions/<n>.json          a GraphQL Discussion node, comments included (adapters/queries.py shape)
    <issues|discussions>/<n>.comment-reactions.json
                                  {comment id: a GraphQL ReactionConnection}: reactions to the thread's comments
    outbox.jsonl                  one JSON object per write
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from crowdcare.adapters.convert import actor_of_label, reactions_from_graphql, thread_from_discussion, thread_from_issue
from crowdcare.content.documents import write_atomically
from crowdcare.core.clock import Clock
from crowdcare.core.clock import now as system_clock
from crowdcare.core.errors import BadInputError, ThreadGoneError
from crowdcare.core.model import Channel, PersonRef, Reaction, Reply, Thread, ThreadRef
from crowdcare.core.settings import IntakeRule
from crowdcare.core.times import format_time

FORMAT = 1
# A webhook discussion's fields and their GraphQL names (the node shape reads expect).
_DISCUSSION_FIELDS = {
    "node_id": "id",
    "title": "title",
    "body": "body",
    "html_url": "url",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "locked": "locked",
    "author_association": "authorAssociation",
}


def write_json(path: Path, data: Any) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of either."""
    write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _converted(path: Path, convert: Callable[[], Thread]) -> Thread:
    try:
        return convert()
    except BadInputError as exc:
        raise BadInputError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"field {exc.args[0]!r} is missing" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
        raise BadInputError(f"{path}: not in GitHub's shape ({what})") from None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"{path}: not readable JSON ({exc})") from None


class SnapshotGitHub:
    """The GitHubPort over a snapshot folder."""

    def __init__(self, root: Path, meta: dict[str, Any], clock: Clock = system_clock) -> None:
        self.root = root
        self.meta = meta
        self.clock = clock  # stamps what is written, as GitHub stamps with its own time

    def _now(self) -> str:
        return format_time(self.clock())

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        create: bool = False,
        repository: str = "local/snapshot",
        viewer: str = "crowdcare[bot]",
        clock: Clock = system_clock,
    ) -> SnapshotGitHub:
        meta_path = root / "snapshot.json"
        if meta_path.exists():
            meta = _read_json(meta_path)
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise BadInputError(f"{meta_path}: not a crowdcare snapshot of format {FORMAT}")
            outbox = root / "outbox.jsonl"
            if outbox.is_symlink() or (outbox.exists() and not outbox.is_file()):
                raise BadInputError(f"{outbox}: not a regular file (every write is appended to it)")
            return cls(root, meta, clock)
        if not create:
            raise BadInputError(f"{root}: no snapshot.json; is this a snapshot folder?")
        meta = {"format": FORMAT, "repository": repository, "viewer": {"login": viewer, "id": None}}
        write_json(meta_path, meta)
        return cls(root, meta, clock)

    # --- reads -------------------------------------------------------------------------------------------

    def viewer_login(self) -> str:
        return str(self.meta["viewer"]["login"])

    def _issue_path(self, number: int) -> Path:
        return self.root / "issues" / f"{number}.json"

    def _comments_path(self, number: int) -> Path:
        return self.root / "issues" / f"{number}.comments.json"

    def _discussion_path(self, number: int) -> Path:
        return self.root / "discussions" / f"{number}.json"

    def get_thread(self, ref: ThreadRef) -> Thread | None:
        """The stored thread; a file not in GitHub's shape is bad input naming the file and what is wrong."""
        if ref.channel is Channel.ISSUE:
            path = self._issue_path(ref.number)
            if not path.exists():
                return None
            comments_path = self._comments_path(ref.number)
            comments = _read_json(comments_path) if comments_path.exists() else []
            if not isinstance(comments, list):
                raise BadInputError(f"{comments_path}: not a list of REST issue comments")
            return _converted(path, lambda: thread_from_issue(_read_json(path), comments))
        path = self._discussion_path(ref.number)
        return _converted(path, lambda: thread_from_discussion(_read_json(path))) if path.exists() else None

    def threads_updated_since(self, since: str | None) -> Iterator[Thread]:
        # Every file is read before the first thread is handed out: a malformed one stops the run before it
        # has written anything.
        refs = []
        for channel, folder in ((Channel.ISSUE, "issues"), (Channel.DISCUSSION, "discussions")):
            for p in (self.root / folder).glob("*.json"):
                if p.name.count(".") != 1:
                    continue  # <n>.json; <n>.comments.json and the like sit beside it
                number = p.name.removesuffix(".json")
                if not number.isdigit():
                    raise BadInputError(f"{p}: a snapshot's {folder} are named <number>.json")
                refs.append(ThreadRef(channel, int(number)))
        threads = [self.get_thread(ref) for ref in sorted(refs, key=lambda r: (r.channel.value, r.number))]
        yield from (t for t in threads if t is not None and (since is None or t.updated_at >= since))

    def label_actor(self, ref: ThreadRef, label: str) -> PersonRef | None:
        """From ``issues/<n>.events.json`` (REST issue events), when the snapshot has it."""
        path = self.root / "issues" / f"{ref.number}.events.json"
        if ref.channel is not Channel.ISSUE or not path.exists():
            return None
        events = _read_json(path)
        if not isinstance(events, list):
            raise BadInputError(f"{path}: not a list of REST issue events")
        return actor_of_label(events, label)

    def idea_threads(self, rule: IntakeRule) -> Iterator[Thread]:
        categories = {c.lower() for c in rule.discussion_categories}
        labels = {label.lower() for label in rule.issue_labels}
        for thread in self.threads_updated_since(None):
            if thread.ref.channel is Channel.DISCUSSION:
                if (thread.category or "").lower() in categories:
                    yield thread
            elif labels & {label.lower() for label in thread.labels}:
                reactions = self.root / "issues" / f"{thread.ref.number}.reactions.json"
                if reactions.exists():
                    thread = dataclasses.replace(thread, reactions=reactions_from_graphql(_read_json(reactions)))
                yield thread

    # --- recording what an event tells us ----------------------------------------------------------------

    def record_issue(self, issue: dict[str, Any]) -> None:
        """Store the issue of a webhook payload (REST shape) so later reads see it: the fields the event carries
        replace the stored ones, and what it does not carry is kept (an event never erases what it lacks)."""
        path = self._issue_path(int(issue["number"]))
        known = _read_json(path) if path.exists() else {}
        write_json(path, {**(known if isinstance(known, dict) else {}), **issue})

    def record_issue_comments(self, number: int, comments: list[dict[str, Any]]) -> None:
        write_json(self._comments_path(number), comments)

    def record_discussion(self, node: dict[str, Any]) -> None:
        """Store a GraphQL Discussion node as the live query returned it."""
        write_json(self._discussion_path(int(node["number"])), node)

    def record_discussion_event(self, discussion: dict[str, Any]) -> None:
        """Store a webhook discussion in the GraphQL node shape reads expect, keeping comments we already have."""
        number = int(discussion["number"])
        path = self._discussion_path(number)
        known = _read_json(path) if path.exists() else {}
        node: dict[str, Any] = {"comments": {"nodes": []}, **(known if isinstance(known, dict) else {})}
        node["number"] = number
        # Only what the event carries replaces what is stored: a minimal event erased the answer and the title.
        for webhook, graphql in _DISCUSSION_FIELDS.items():
            if discussion.get(webhook) is not None:
                node[graphql] = discussion[webhook]
        if discussion.get("state") is not None:
            node["closed"] = discussion["state"] == "closed"
        user = discussion.get("user")
        if isinstance(user, dict) and user.get("login"):
            kind = user.get("type", "User")
            node["author"] = {"__typename": kind, "login": user["login"], "databaseId": user.get("id")}
        if isinstance(discussion.get("category"), dict):
            node["category"] = {"name": discussion["category"].get("name")}
        if isinstance(discussion.get("labels"), list):
            node["labels"] = {"nodes": [{"name": label.get("name")} for label in discussion["labels"]]}
        write_json(path, node)

    # --- writes ------------------------------------------------------------------------------------------

    def outbox(self, record: dict[str, Any]) -> None:
        """Append one write to outbox.jsonl, for review."""
        path = self.root / "outbox.jsonl"
        try:
            with path.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"at": self._now(), **record}, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise BadInputError(f"{path}: cannot be written ({exc.strerror or exc})") from None

    def _require(self, ref: ThreadRef) -> Path:
        path = self._issue_path(ref.number) if ref.channel is Channel.ISSUE else self._discussion_path(ref.number)
        if not path.exists():
            raise ThreadGoneError(f"{ref} no longer exists")
        return path

    def post_comment(self, ref: ThreadRef, body: str) -> Reply:
        self._require(ref)
        viewer = self.meta["viewer"]
        now = self._now()
        if ref.channel is Channel.ISSUE:
            comments = _read_json(self._comments_path(ref.number)) if self._comments_path(ref.number).exists() else []
            new_id = max([int(c["id"]) for c in comments] + [9_000_000]) + 1
            comments.append(
                {
                    "id": new_id,
                    "node_id": f"IC_snapshot{new_id}",
                    "html_url": f"https://github.com/{self.meta['repository']}/issues/{ref.number}#issuecomment-{new_id}",
                    "body": body,
                    "user": {"login": viewer["login"], "id": viewer.get("id"), "type": "Bot"},
                    "created_at": now,
                    "updated_at": now,
                    "author_association": "NONE",
                }
            )
            write_json(self._comments_path(ref.number), comments)
            comment_id = str(new_id)
        else:
            path = self._discussion_path(ref.number)
            node = _read_json(path)
            nodes = node.setdefault("comments", {}).setdefault("nodes", [])
            comment_id = f"DC_snapshot{ref.number}_{len(nodes) + 1}"
            nodes.append(
                {
                    "id": comment_id,
                    "url": f"{node.get('url')}#discussioncomment-snapshot{len(nodes) + 1}",
                    "upvoteCount": 0,
                    "body": body,
                    "createdAt": now,
                    "authorAssociation": "NONE",
                    "author": {"__typename": "Bot", "login": viewer["login"], "databaseId": viewer.get("id")},
                }
            )
            write_json(path, node)
        self.outbox({"op": "create_comment", "thread": str(ref), "comment_id": comment_id, "body": body})
        return Reply(
            id=comment_id,
            author=PersonRef(viewer["login"], viewer.get("id")),
            body=body,
            created_at=now,
            author_is_bot=True,
        )

    def edit_comment(self, ref: ThreadRef, reply_id: str, body: str) -> None:
        self._require(ref)
        if ref.channel is Channel.ISSUE:
            comments = _read_json(self._comments_path(ref.number))
            target = next((c for c in comments if str(c["id"]) == reply_id), None)
            if target is None:
                raise ThreadGoneError(f"{ref}: comment {reply_id} no longer exists")
            target["body"], target["updated_at"] = body, self._now()
            write_json(self._comments_path(ref.number), comments)
        else:
            node = _read_json(self._discussion_path(ref.number))
            target = next((c for c in node["comments"]["nodes"] if c["id"] == reply_id), None)
            if target is None:
                raise ThreadGoneError(f"{ref}: comment {reply_id} no longer exists")
            target["body"] = body
            write_json(self._discussion_path(ref.number), node)
        self.outbox({"op": "update_comment", "thread": str(ref), "comment_id": reply_id, "body": body})

    def add_labels(self, ref: ThreadRef, labels: Sequence[str]) -> None:
        path = self._require(ref)
        data = _read_json(path)
        if ref.channel is Channel.ISSUE:
            have = {label["name"] for label in data.setdefault("labels", [])}
            data["labels"].extend({"name": name} for name in labels if name not in have)
        else:
            nodes = data.setdefault("labels", {}).setdefault("nodes", [])
            have = {label["name"] for label in nodes}
            nodes.extend({"name": name} for name in labels if name not in have)
        write_json(path, data)
        self.outbox({"op": "add_labels", "thread": str(ref), "labels": list(labels)})

    def remove_labels(self, ref: ThreadRef, labels: Sequence[str]) -> None:
        path = self._require(ref)
        data = _read_json(path)
        drop = {name.lower() for name in labels}
        if ref.channel is Channel.ISSUE:
            data["labels"] = [label for label in data.get("labels", []) if label["name"].lower() not in drop]
        else:
            nodes = data.setdefault("labels", {}).setdefault("nodes", [])
            data["labels"]["nodes"] = [label for label in nodes if label["name"].lower() not in drop]
        write_json(path, data)
        self.outbox({"op": "remove_labels", "thread": str(ref), "labels": list(labels)})

    def assign(self, ref: ThreadRef, logins: Sequence[str]) -> bool:
        path = self._require(ref)
        if ref.channel is not Channel.ISSUE:
            return False
        data = _read_json(path)
        have = {a["login"].lower() for a in data.setdefault("assignees", []) or []}
        data["assignees"] = list(data["assignees"] or []) + [
            {"login": login, "id": None, "type": "User"} for login in logins if login.lower() not in have
        ]
        write_json(path, data)
        self.outbox({"op": "add_assignees", "thread": str(ref), "assignees": list(logins)})
        return True

    def _set_state(self, ref: ThreadRef, closed: bool, duplicate: bool = False) -> None:
        path = self._require(ref)
        data = _read_json(path)
        now = self._now()
        if ref.channel is Channel.ISSUE:
            data["state"] = "closed" if closed else "open"
            data["state_reason"] = ("duplicate" if duplicate else "not_planned") if closed else "reopened"
            data["closed_at"] = now if closed else None
            data["updated_at"] = now
        else:
            data["closed"] = closed
            data["closedAt"] = now if closed else None
            data["stateReason"] = ("DUPLICATE" if duplicate else "OUTDATED") if closed else "REOPENED"
            data["updatedAt"] = now
        write_json(path, data)
        record = {"op": "close" if closed else "reopen", "thread": str(ref)}
        self.outbox({**record, "reason": "duplicate"} if duplicate else record)

    def close_thread(self, ref: ThreadRef, *, duplicate: bool = False) -> None:
        self._set_state(ref, closed=True, duplicate=duplicate)

    def mark_answer(self, ref: ThreadRef, reply: Reply) -> None:
        path = self._require(ref)
        if ref.channel is not Channel.DISCUSSION:
            raise BadInputError(f"{ref}: only a discussion's reply can be marked as the answer")
        node = _read_json(path)
        comment = next((c for c in (node.get("comments") or {}).get("nodes") or [] if c.get("id") == reply.id), None)
        if comment is None:
            raise ThreadGoneError(f"{ref}: comment {reply.id} no longer exists")
        viewer = self.meta.get("viewer") or {}
        node["answer"] = comment
        node["answerChosenAt"] = self._now()
        node["answerChosenBy"] = {"__typename": "Bot", "login": viewer.get("login"), "databaseId": viewer.get("id")}
        write_json(path, node)
        self.outbox({"op": "mark_answer", "thread": str(ref), "comment_id": reply.id})

    def comment_reactions(self, ref: ThreadRef, reply: Reply) -> list[Reaction]:
        folder = "issues" if ref.channel is Channel.ISSUE else "discussions"
        path = self.root / folder / f"{ref.number}.comment-reactions.json"
        if not path.exists():
            return []
        data = _read_json(path)
        if not isinstance(data, dict):
            raise BadInputError(f"{path}: expected an object of comment id -> reactions")
        return list(reactions_from_graphql(data.get(str(reply.id)) or {}))

    def reopen_thread(self, ref: ThreadRef) -> None:
        self._set_state(ref, closed=False)
