"""Converters from GitHub's JSON shapes to the domain model. They live here, never on model classes.

Three shapes reach us: REST objects (issues and issue comments; also the issue inside webhook payloads),
webhook discussion objects (REST-like, snake_case) and GraphQL discussion nodes (camelCase).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Channel, PersonRef, Reaction, Reply, Thread, ThreadRef

GHOST = {"login": "ghost", "id": None, "type": "User"}  # GitHub shows deleted accounts as "ghost"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _need(data: Any, key: str, where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise BadInputError(f"{where}: missing {key!r}")
    return data[key]


def _need_text(data: Any, key: str, where: str) -> str:
    """A field GitHub always sends as text (a title, a node id): anything else is not GitHub's shape."""
    value = _need(data, key, where)
    if not isinstance(value, str):
        raise BadInputError(f"{where}: {key!r} is {type(value).__name__}, not text")
    return value


def _need_id(data: Any, key: str, where: str) -> str:
    """A comment id: GraphQL's node id (text) or REST's number."""
    value = _need(data, key, where)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadInputError(f"{where}: {key!r} is {type(value).__name__}, not an id")
    return str(value)


def person_from_rest_user(user: Any) -> tuple[PersonRef, bool]:
    """(person, is_bot) from a REST user object; a deleted account (null user) becomes 'ghost'."""
    user = user if isinstance(user, dict) else GHOST
    user_id = user.get("id")
    return PersonRef(str(user.get("login") or "ghost"), user_id if isinstance(user_id, int) else None), user.get(
        "type"
    ) == "Bot"


def person_from_graphql_actor(actor: Any) -> tuple[PersonRef, bool]:
    actor = actor if isinstance(actor, dict) else {"login": "ghost"}
    database_id = actor.get("databaseId")
    return PersonRef(
        str(actor.get("login") or "ghost"), database_id if isinstance(database_id, int) else None
    ), actor.get("__typename") == "Bot"


def reply_from_issue_comment(comment: Any) -> Reply:
    person, is_bot = person_from_rest_user(comment.get("user"))
    return Reply(
        id=_need_id(comment, "id", "issue comment"),
        author=person,
        body=_text(comment.get("body")),
        created_at=_text(comment.get("created_at")),
        association=_text(comment.get("author_association")) or "NONE",
        author_is_bot=is_bot,
        url=_text(comment.get("html_url")) or None,
        votes=_count((comment.get("reactions") or {}).get("+1")),
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def _thread_from_rest(subject: Any, channel: Channel, **extra: Any) -> Thread:
    """The fields REST issues and webhook discussions share (both snake_case, with a REST user)."""
    number = _need(subject, "number", channel.value)
    person, is_bot = person_from_rest_user(subject.get("user"))
    labels = subject.get("labels") or []
    return Thread(
        ref=ThreadRef(channel, int(number)),
        title=_text(subject.get("title")),
        body=_text(subject.get("body")),
        author=person,
        author_is_bot=is_bot,
        association=_text(subject.get("author_association")) or "NONE",
        url=_text(subject.get("html_url")),
        created_at=_text(subject.get("created_at")),
        updated_at=_text(subject.get("updated_at")),
        labels=tuple(str(label["name"]) for label in labels if isinstance(label, dict) and "name" in label),
        state="closed" if subject.get("state") == "closed" else "open",
        node_id=_text(subject.get("node_id")) or None,
        closed_at=_text(subject.get("closed_at")) or None,
        **extra,
    )


def thread_from_issue(issue: Any, comments: list[Any] | None = None) -> Thread:
    """A REST issue (from the API or a webhook payload) and its REST comments."""
    assignees = issue.get("assignees") if isinstance(issue, dict) else None
    return _thread_from_rest(
        issue,
        Channel.ISSUE,
        replies=tuple(reply_from_issue_comment(c) for c in comments or []),
        assignees=tuple(person_from_rest_user(a)[0] for a in assignees or [] if isinstance(a, dict)),
    )


def thread_from_discussion_event(discussion: Any) -> Thread:
    """The discussion object of a discussion/discussion_comment webhook payload (no comments in it)."""
    category = discussion.get("category") if isinstance(discussion, dict) else None
    name = _text(category.get("name")) if isinstance(category, dict) else ""
    return _thread_from_rest(discussion, Channel.DISCUSSION, category=name or None)


# GraphQL's ReactionContent enum -> the REST names crowdcare.yml uses
REACTION_NAMES = {
    "THUMBS_UP": "+1",
    "THUMBS_DOWN": "-1",
    "LAUGH": "laugh",
    "CONFUSED": "confused",
    "HEART": "heart",
    "HOORAY": "hooray",
    "ROCKET": "rocket",
    "EYES": "eyes",
}


def reaction_from_graphql(node: Any) -> Reaction | None:
    """A Reaction node (adapters/queries.py shape); a deleted account's reaction has no user."""
    if not isinstance(node, dict) or node.get("content") not in REACTION_NAMES:
        return None
    user = node.get("user")
    voter = None
    since = None
    if isinstance(user, dict) and isinstance(user.get("databaseId"), int):
        voter = PersonRef(str(user.get("login") or "ghost"), user["databaseId"])
        since = _text(user.get("createdAt")) or None
    login = voter.login if voter is not None else ""
    return Reaction(
        content=REACTION_NAMES[node["content"]],
        voter=voter,
        at=_text(node.get("createdAt")),
        voter_since=since,
        voter_is_bot=login.endswith("[bot]"),
    )


def reaction_from_rest(item: Any) -> Reaction | None:
    """A REST reaction (GET .../issues/comments/{id}/reactions); REST already uses the short names."""
    if not isinstance(item, dict) or item.get("content") not in REACTION_NAMES.values():
        return None
    user = item.get("user")
    voter, is_bot = person_from_rest_user(user) if isinstance(user, dict) else (None, False)
    return Reaction(content=str(item["content"]), voter=voter, at=_text(item.get("created_at")), voter_is_bot=is_bot)


def reactions_from_graphql(connection: Any) -> tuple[Reaction, ...]:
    nodes = connection.get("nodes") if isinstance(connection, dict) else None
    found = (reaction_from_graphql(node) for node in nodes or [])
    return tuple(r for r in found if r is not None)


def reply_from_discussion_comment(node: Any) -> Reply:
    person, is_bot = person_from_graphql_actor(node.get("author"))
    return Reply(
        id=_need_id(node, "id", "discussion comment"),
        author=person,
        body=_text(node.get("body")),
        created_at=_text(node.get("createdAt")),
        association=_text(node.get("authorAssociation")) or "NONE",
        author_is_bot=is_bot,
        url=_text(node.get("url")) or None,
        votes=_count(node.get("upvoteCount")),
    )


def _thread_from_graphql(node: Any, channel: Channel, **extra: Any) -> Thread:
    """The fields GraphQL Discussion and Issue nodes share (both camelCase, with a GraphQL actor)."""
    number = _need(node, "number", channel.value)
    person, is_bot = person_from_graphql_actor(node.get("author"))
    labels = tuple(str(n["name"]) for n in (node.get("labels") or {}).get("nodes") or [] if isinstance(n, dict))
    comments = (node.get("comments") or {}).get("nodes") or []
    if isinstance(number, bool) or not isinstance(number, int):
        raise BadInputError(f"{channel.value}: 'number' is {type(number).__name__}, not a number")
    return Thread(
        ref=ThreadRef(channel, number),
        title=_need_text(node, "title", f"{channel.value} #{number}"),
        body=_text(node.get("body")),
        author=person,
        author_is_bot=is_bot,
        association=_text(node.get("authorAssociation")) or "NONE",
        url=_text(node.get("url")),
        created_at=_text(node.get("createdAt")),
        updated_at=_text(node.get("updatedAt")),
        labels=labels,
        state="closed" if node.get("closed") else "open",
        replies=tuple(reply_from_discussion_comment(c) for c in comments if isinstance(c, dict)),
        node_id=_text(node.get("id")) or None,
        closed_at=_text(node.get("closedAt")) or None,
        reactions=reactions_from_graphql(node.get("reactions")),
        **extra,
    )


def thread_from_discussion(node: Any) -> Thread:
    """A Discussion node as crowdcare's GraphQL query returns it (see adapters/queries.py)."""
    node = node if isinstance(node, dict) else {}  # _thread_from_graphql refuses it: no number
    category = node.get("category") or {}
    answer = node.get("answer")
    chooser = node.get("answerChosenBy")
    return _thread_from_graphql(
        node,
        Channel.DISCUSSION,
        category=_text(category.get("name")) or None,
        answerable=category["isAnswerable"] if isinstance(category.get("isAnswerable"), bool) else None,
        answer=reply_from_discussion_comment(answer) if isinstance(answer, dict) else None,
        answer_chosen_by=person_from_graphql_actor(chooser)[0] if isinstance(chooser, dict) else None,
        answer_chosen_at=_text(node.get("answerChosenAt")) or None,
        upvotes=_count(node.get("upvoteCount")),
    )


def thread_from_graphql_issue(node: Any) -> Thread:
    """An Issue node as crowdcare's idea query returns it (see adapters/queries.py)."""
    return _thread_from_graphql(node, Channel.ISSUE)


def actor_of_label(events: Iterable[Any], label: str) -> PersonRef | None:
    """Who applied ``label`` last, from REST issue events (oldest first, as GitHub lists them)."""
    found = None
    for event in events:
        if not isinstance(event, dict) or event.get("event") != "labeled":
            continue
        name = (event.get("label") or {}).get("name") if isinstance(event.get("label"), dict) else None
        if isinstance(name, str) and name.lower() == label.lower():
            found = person_from_rest_user(event.get("actor"))[0]
    return found
