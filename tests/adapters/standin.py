"""A stand-in for api.github.com on 127.0.0.1, built from GitHub's REST OpenAPI description (@octokit/openapi).

- Routes are the spec's paths; a request to anything else gets 404 and is logged as unmatched.
- Request bodies are validated against the operation's requestBody schema; an invalid body gets 422.
- Responses are the spec's own 2xx examples with https://api.github.com rewritten to this server, overlaid
  with a little state (issues, comments, labels) so that writes are visible to later reads, as on GitHub.
- Faults are scripted per request: 403 secondary rate limit with Retry-After, 429, a 502 after the write took
  effect, 404 for a deleted thread, a GraphQL answer with an ``errors`` array, a read that never answers (timeout)
  and a connection reset. Every request is logged.
- It pages as GitHub pages: REST lists 30 items by default and at most 100 (``per_page``), with a ``Link`` header
  to the next page; GraphQL connections refuse a ``first`` over 100 or a missing ``first``/``last`` and answer
  ``pageInfo``.
- It writes as the workflow token does: comments are authored by ``github-actions[bot]`` (id 41898282, type Bot;
  GraphQL names a Bot without the ``[bot]`` suffix) and the GraphQL ``viewer`` is that bot.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import http.server
import json
import re
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jsonschema import Draft202012Validator

from tests.adapters.contracts import REST_SPEC, require


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(require(REST_SPEC).read_text("utf-8"))
    return loaded


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = spec()["components"][kind][name]
    return node


@cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in spec()["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", r"([^/]+)", template) + "$"
        # A git ref (heads/crowdcare/promote/x) and a file path (kb/topic/slug.md) span several segments.
        pattern = re.sub(r"/\(\[\^/\]\+\)\$$", "/(.+)$", pattern) if template.endswith(("{ref}", "{path}")) else pattern
        found.append((re.compile(pattern), template))
    return found


def example(template: str, method: str) -> tuple[int, Any]:
    """The first 2xx status of an operation and its example body."""
    responses = spec()["paths"][template][method]["responses"]
    status = min(int(code) for code in responses if code.startswith("2"))
    content = _resolve(responses[str(status)]).get("content", {}).get("application/json", {})
    examples = content.get("examples", {})
    value = _resolve(next(iter(examples.values()))).get("value") if examples else None
    while isinstance(value, dict) and set(value) == {"$ref"}:  # an example whose value is another example
        value = _resolve(value).get("value")
    return status, copy.deepcopy(value)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (its timeout passed while a scripted hang slept) closed the connection: expected,
        and not worth a traceback on the test's stderr. Anything else is a defect of the stand-in: raise it."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# The workflow token's identity, as GitHub reports it (REST user, GraphQL viewer) and shows it on GraphQL actors.
ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
ACTIONS_BOT_ACTOR = {"__typename": "Bot", "login": "github-actions", "databaseId": 41898282}


@dataclass
class Fault:
    method: str
    path: str  # regular expression on the path
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"message": "scripted fault"})
    after_write: bool = False  # apply the request first, then fail (the ambiguous case)
    hang: float = 0.0  # seconds to wait before answering (longer than the client's timeout: a read timeout)
    reset: bool = False  # close the connection without an answer (a connection reset)


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int
    template: str | None
    at: float


class StandIn:
    def __init__(self) -> None:
        self.log: list[Logged] = []
        self.faults: list[Fault] = []
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.discussions: dict[int, dict[str, Any]] = {}
        self.graph_issues: dict[int, dict[str, Any]] = {}  # issues as GraphQL Issue nodes (the idea listing)
        self.reactions: dict[str, list[dict[str, Any]]] = {}  # node id -> Reaction nodes, oldest first
        self.comment_reactions: dict[int, list[dict[str, Any]]] = {}  # REST comment id -> REST reactions
        self.graphql_points = 0  # GitHub's rate-limit cost of every query served, by its published formula
        self.invalid: list[str] = []
        self._next_id = 5_000_000
        # Git data and pull requests: branch -> commit, commit -> (tree, parents), tree -> {path: text}.
        self.refs: dict[str, str] = {"main": "c" * 40}
        self.commits: dict[str, dict[str, Any]] = {"c" * 40: {"tree": "t" * 40, "parents": []}}
        self.trees: dict[str, dict[str, str]] = {"t" * 40: {}}
        self.pulls: list[dict[str, Any]] = []
        # What `crowdcare doctor` reads: the repository's settings, labels, categories, accounts and Pages.
        self.settings: dict[str, Any] = {
            "has_issues": True,
            "has_discussions": True,
            "permissions": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
        }
        self.label_names = ["question", "idea", "needs-staff", "escalated", "waiting-for-author"]
        self.categories = {"Q&A": True, "Ideas": False, "General": False}  # name -> takes answers
        self.users: dict[str, int] = {}
        self.pages_site: dict[str, Any] | None = None
        self.issue_events: dict[int, list[dict[str, Any]]] = {}  # REST issue events (labeled, with the actor)
        self._serialized = threading.Lock()  # concurrent clients see one consistent state, as on GitHub
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- state ---------------------------------------------------------------------------------------------

    def add_issue(
        self,
        number: int,
        *,
        title: str = "How do I export?",
        labels: tuple[str, ...] = ("question",),
        login: str = "customer",
        updated: str = "2026-11-20T10:00:00Z",
        created: str | None = None,
    ) -> None:
        _, issue = example("/repos/{owner}/{repo}/issues/{issue_number}", "get")
        issue.update(
            number=number,
            title=title,
            state="open",
            comments=0,
            updated_at=updated,
            created_at=created or updated,
            closed_at=None,
            assignees=[],
            author_association="NONE",
            labels=[{"name": name} for name in labels],
            url=f"https://api.github.com/repos/octo-org/octo-repo/issues/{number}",
            html_url=f"https://github.com/octo-org/octo-repo/issues/{number}",
        )
        issue.pop("pull_request", None)
        issue["user"] = {**issue["user"], "login": login, "id": 1000 + number, "type": "User"}
        self.issues[number] = issue
        self.comments[number] = []

    def requests(self, method: str | None = None) -> list[Logged]:
        return [r for r in self.log if method is None or r.method == method]

    # --- HTTP ----------------------------------------------------------------------------------------------

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                transport = standin.transport_fault(self.command, split.path)
                if transport is not None and transport.reset:
                    standin.log.append(
                        Logged(self.command, split.path, parse_qs(split.query), body, 0, None, time.time())
                    )
                    # An RST instead of an answer: what a dropped connection looks like to the client.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if transport is not None:
                    time.sleep(transport.hang)  # the client gave up long ago: a read timeout
                with standin._serialized:
                    status, payload, headers, template = standin.answer(
                        self.command, split.path, parse_qs(split.query), body
                    )
                data = json.dumps(payload).replace("https://api.github.com", standin.url).encode()
                if self.command == "GET" and status == 200 and split.path != "/graphql":
                    # Conditional requests, as GitHub's REST API: every GET answer carries its ETag, and a GET whose
                    # If-None-Match names the current one is answered 304 with no body (and does not count).
                    etag = f'W/"{hashlib.sha256(data).hexdigest()}"'
                    headers = {**headers, "ETag": etag}
                    if self.headers.get("If-None-Match") == etag:
                        status, data = 304, b""
                standin.log.append(
                    Logged(self.command, split.path, parse_qs(split.query), body, status, template, time.time())
                )
                self.send_response(status)
                if status != 304:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        return Handler

    def add_discussion(
        self, number: int, *, category: str = "Q&A", login: str = "customer", updated: str = "2026-11-20T10:00:00Z"
    ) -> None:
        self.discussions[number] = {
            "id": f"D_{number}",
            "number": number,
            "title": f"Question {number}",
            "body": "How do I…?",
            "url": f"https://github.com/octo-org/octo-repo/discussions/{number}",
            "createdAt": updated,
            "updatedAt": updated,
            "closed": False,
            "locked": False,
            "authorAssociation": "NONE",
            "author": {"__typename": "User", "login": login, "databaseId": 2000 + number},
            "category": {"name": category, "isAnswerable": self.categories.get(category, False)},
            "labels": {"nodes": []},
            "comments": {"nodes": []},
        }

    def add_answered_discussion(
        self, number: int, body: str = "Tick *Include tax columns* under Export → Options."
    ) -> None:
        """A Q&A discussion whose asker marked a community reply (2 upvotes) as the answer."""
        self.add_discussion(number, login="carla-customer")
        node = self.discussions[number]
        reply = {
            "id": f"DC_{number}_1",
            "url": f"{node['url']}#discussioncomment-{number * 100 + 1}",
            "upvoteCount": 2,
            "body": body,
            "createdAt": "2026-11-20T11:00:00Z",
            "authorAssociation": "NONE",
            "author": {"__typename": "User", "login": "hugo-helper", "databaseId": 502},
        }
        node["comments"]["nodes"].append(reply)
        node.update(
            answer=reply,
            answerChosenAt="2026-11-20T12:00:00Z",
            answerChosenBy={"__typename": "User", "login": "carla-customer", "databaseId": 2000 + number},
        )

    def add_idea(
        self,
        number: int,
        reactions: list[dict[str, Any]],
        *,
        upvotes: int = 0,
        issue: bool = False,
        login: str = "idea-author",
        labels: tuple[str, ...] = (),
    ) -> str:
        """An idea thread (a discussion in Ideas, or an issue labelled idea) with its Reaction nodes; its id."""
        if issue:
            node_id = f"I_{number}"
            self.graph_issues[number] = {
                "__typename": "Issue",
                "id": node_id,
                "number": number,
                "title": f"Idea {number}",
                "body": "It would help.",
                "url": f"https://github.com/octo-org/octo-repo/issues/{number}",
                "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-11-20T10:00:00Z",
                "closed": False,
                "closedAt": None,
                "authorAssociation": "NONE",
                "author": {"__typename": "User", "login": login, "databaseId": 3000 + number},
                "labels": {"nodes": [{"name": "idea"}, *({"name": n} for n in labels)]},
                "comments": {"nodes": []},
            }
        else:
            self.add_discussion(number, category="Ideas", login=login)
            node_id = self.discussions[number]["id"]
            self.discussions[number].update(
                __typename="Discussion", title=f"Idea {number}", upvoteCount=upvotes, createdAt="2026-01-01T00:00:00Z"
            )
            self.discussions[number]["labels"]["nodes"] += [{"name": n} for n in labels]
        self.reactions[node_id] = reactions
        return node_id

    def _reactions(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node with its reactions connection resolved page by page, as GitHub pages it."""
        every = self.reactions.get(node["id"], [])

        def connection(
            info: Any, first: int | None = None, after: str | None = None, last: int | None = None, **_: Any
        ) -> dict[str, Any]:
            if last is not None and first is None and after is None:  # the newest, as GitHub serves `last`
                if last > 100:
                    from graphql import GraphQLError

                    raise GraphQLError(f"Requesting {last} records on the connection exceeds the `last` limit of 100.")
                page = every[len(every) - last :] if last else []
                info_ = {"hasNextPage": False, "endCursor": str(len(every))}
                return {"totalCount": len(every), "nodes": page, "pageInfo": info_}
            page, page_info = self._paged(every, first, after)
            return {"totalCount": len(every), "nodes": page, "pageInfo": page_info}

        return {**self._comments(node), "reactions": connection}

    def _with_rest_comments(self, issue: dict[str, Any]) -> dict[str, Any]:
        """An issue as GraphQL shows it: the comments posted through REST are its comments too (one issue on
        GitHub, whichever API wrote to it)."""
        rest = self.comments.get(issue["number"], [])
        if not rest:
            return issue
        converted = []
        for c in rest:
            bot = c["user"].get("type") == "Bot"
            login = c["user"]["login"].removesuffix("[bot]") if bot else c["user"]["login"]
            converted.append({
                "id": f"IC_{c['id']}", "url": f"{issue['url']}#issuecomment-{c['id']}", "body": c["body"],
                "createdAt": c.get("created_at") or "2026-11-22T12:00:00Z",
                "authorAssociation": c.get("author_association") or "NONE",
                "author": {"__typename": "Bot" if bot else "User", "login": login, "databaseId": c["user"]["id"]},
            })  # fmt: skip
        return {**issue, "comments": {"nodes": [*issue["comments"]["nodes"], *converted]}}

    def _comments(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node with its comments connection served page by page (stored as {"nodes": [...]})."""
        if "comments" not in node:
            return node
        every = node["comments"]["nodes"]

        def connection(info: Any, first: int | None = None, after: str | None = None, **_: Any) -> dict[str, Any]:
            page, page_info = self._paged(every, first, after)
            return {"totalCount": len(every), "nodes": page, "pageInfo": page_info}

        return {**node, "comments": connection}

    @staticmethod
    def _paged(nodes: list[Any], first: int | None, after: str | None) -> tuple[list[Any], dict[str, Any]]:
        from graphql import GraphQLError

        if first is None:
            raise GraphQLError("You must provide a `first` or `last` value to properly paginate the connection.")
        if first > 100:
            raise GraphQLError(
                f"Requesting {first} records on the connection exceeds the `first` limit of 100 records."
            )
        start = int(after or 0)
        page = nodes[start : start + first]
        return page, {"hasNextPage": start + len(page) < len(nodes), "endCursor": str(start + len(page))}

    def _graphql(self, body: Any) -> tuple[int, Any, dict[str, str]]:
        """GraphQL is not in the OpenAPI description: documents are validated against GitHub's GraphQL schema
        and executed over this server's state."""
        from graphql import graphql_sync

        from tests.adapters.test_queries import github_schema

        def discussion(info: Any, number: int) -> Any:
            found = self.discussions.get(number)
            return self._reactions(found) if found is not None else None

        def discussions(
            info: Any, first: int | None = None, after: str | None = None, categoryId: str | None = None, **_: Any
        ) -> Any:
            nodes = sorted(self.discussions.values(), key=lambda d: d["updatedAt"], reverse=True)
            if categoryId is not None:
                nodes = [d for d in nodes if f"DIC_{d['category']['name']}" == categoryId]
            page, info_ = self._paged(nodes, first, after)
            return {"nodes": [self._reactions(d) for d in page], "pageInfo": info_}

        def issues(
            info: Any, first: int | None = None, after: str | None = None, labels: list[str] | None = None, **_: Any
        ) -> Any:
            wanted = {label.lower() for label in labels or []}
            nodes = [
                i
                for _, i in sorted(self.graph_issues.items())
                if not wanted or wanted & {n["name"].lower() for n in i["labels"]["nodes"]}
            ]
            page, info_ = self._paged(nodes, first, after)
            return {"nodes": [self._reactions(self._with_rest_comments(i)) for i in page], "pageInfo": info_}

        def node(info: Any, id: str) -> Any:
            found = next((n for n in [*self.discussions.values(), *self.graph_issues.values()] if n["id"] == id), None)
            if found is not None:
                return self._reactions({"__typename": "Discussion", **found})  # graph_issues say "Issue" themselves
            comments = (c for d in self.discussions.values() for c in d["comments"]["nodes"])
            comment = next((c for c in comments if c["id"] == id), None)
            return self._reactions({"__typename": "DiscussionComment", **comment}) if comment else None

        categories = {
            "nodes": [
                {"id": f"DIC_{name}", "name": name, "isAnswerable": answerable}
                for name, answerable in self.categories.items()
            ]
        }
        cost = graphql_cost(body["query"], body.get("variables") or {})
        self.graphql_points += cost

        def add_comment(info: Any, input: dict[str, Any]) -> Any:
            target = next(d for d in self.discussions.values() if d["id"] == input["discussionId"])
            self._next_id += 1
            comment = {
                "id": f"DC_{self._next_id}",
                "url": f"{target['url']}#discussioncomment-{self._next_id}",
                "upvoteCount": 0,
                "body": input["body"],
                "createdAt": "2026-11-22T12:00:00Z",
                "authorAssociation": "NONE",
                "author": dict(ACTIONS_BOT_ACTOR),
            }
            target["comments"]["nodes"].append(comment)
            return {"comment": comment}

        labels = [{"id": f"LA_{name}", "name": name} for name in self.label_names]

        def add_labels(info: Any, input: dict[str, Any]) -> Any:
            target = next(d for d in self.discussions.values() if d["id"] == input["labelableId"])
            names = [label["name"] for label in labels if label["id"] in input["labelIds"]]
            have = {n["name"] for n in target["labels"]["nodes"]}
            target["labels"]["nodes"] += [{"name": n} for n in names if n not in have]
            return {"clientMutationId": None}

        def remove_labels(info: Any, input: dict[str, Any]) -> Any:
            target = next(d for d in self.discussions.values() if d["id"] == input["labelableId"])
            names = {label["name"] for label in labels if label["id"] in input["labelIds"]}
            target["labels"]["nodes"] = [n for n in target["labels"]["nodes"] if n["name"] not in names]
            return {"clientMutationId": None}

        def set_closed(closed: bool) -> Any:
            def mutate(info: Any, input: dict[str, Any]) -> Any:
                target = next(d for d in self.discussions.values() if d["id"] == input["discussionId"])
                target["closed"], target["closedAt"] = closed, ("2026-11-22T12:00:00Z" if closed else None)
                target["stateReason"] = input.get("reason", "RESOLVED") if closed else "REOPENED"
                return {"discussion": target}

            return mutate

        def mark_answer(info: Any, input: dict[str, Any]) -> Any:
            # As GitHub: only a comment of a discussion in a category that takes answers; the workflow token's
            # bot is recorded as the account that chose it.
            target = next(
                (d for d in self.discussions.values() for c in d["comments"]["nodes"] if c["id"] == input["id"]), None
            )
            if target is None:
                raise ValueError(f"Could not resolve to a node with the global id of '{input['id']}'")
            if not target["category"].get("isAnswerable"):
                raise ValueError("Discussion category does not support marking answers")
            target["answer"] = next(c for c in target["comments"]["nodes"] if c["id"] == input["id"])
            target["answerChosenAt"], target["answerChosenBy"] = "2026-11-22T12:00:00Z", dict(ACTIONS_BOT_ACTOR)
            return {"discussion": target}

        root = {
            "viewer": {"login": ACTIONS_BOT["login"], "databaseId": ACTIONS_BOT["id"]},
            "repository": {
                "discussion": discussion,
                "discussions": discussions,
                "issues": issues,
                "discussionCategories": categories,
                "labels": {"nodes": labels},
            },
            "node": node,
            "rateLimit": {
                "cost": cost,
                "limit": 1000,
                "remaining": 1000 - self.graphql_points,
                "resetAt": "2026-11-22T13:00:00Z",
            },
            "addDiscussionComment": add_comment,
            "addLabelsToLabelable": add_labels,
            "removeLabelsFromLabelable": remove_labels,
            "closeDiscussion": set_closed(True),
            "reopenDiscussion": set_closed(False),
            "markDiscussionCommentAsAnswer": mark_answer,
        }
        result = graphql_sync(github_schema(), body["query"], root_value=root, variable_values=body.get("variables"))
        if result.errors:
            self.invalid.append(f"POST /graphql: {result.errors[0].message}")
            return 200, {"errors": [{"message": e.message} for e in result.errors]}, {}
        return 200, {"data": result.data}, {}

    def transport_fault(self, method: str, path: str) -> Fault | None:
        """A scripted hang or reset for this request, taken off the list."""
        fault = next(
            (f for f in self.faults if (f.hang or f.reset) and f.method == method and re.search(f.path, path)), None
        )
        if fault is not None:
            self.faults.remove(fault)
        return fault

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str], str | None]:
        if path == "/graphql" and method == "POST":
            fault = next((f for f in self.faults if f.method == method and re.search(f.path, path)), None)
            if fault is not None:
                self.faults.remove(fault)
                return fault.status, fault.body, fault.headers, "/graphql"
            return (*self._graphql(body), "/graphql")
        template = next((t for pattern, t in _routes() if pattern.match(path)), None)
        operation = spec()["paths"].get(template or "", {}).get(method.lower()) if template else None
        if operation is None:
            return 404, {"message": "Not Found (no such operation in the OpenAPI description)"}, {}, None
        request_body = operation.get("requestBody")
        if request_body is not None:
            schema = _resolve(request_body)["content"]["application/json"]["schema"]
            errors = list(Draft202012Validator({**schema, "components": spec()["components"]}).iter_errors(body))
            if errors:
                self.invalid.append(f"{method} {path}: {errors[0].message}")
                return 422, {"message": "Validation Failed", "errors": [e.message for e in errors]}, {}, template
        assert template is not None  # an operation was found for it above
        fault = next((f for f in self.faults if f.method == method and re.search(f.path, path)), None)
        if fault is not None:
            self.faults.remove(fault)
            if fault.after_write:
                self._apply(method, template, path, query, body)
            return fault.status, fault.body, fault.headers, template
        status, payload, headers = self._apply(method, template, path, query, body)
        return status, payload, headers, template

    def _apply(
        self, method: str, template: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        status, payload = example(template, method.lower())
        numbers = [int(part) for part in re.findall(r"/(\d+)(?=/|$)", path)]
        if template == "/repos/{owner}/{repo}/issues/{issue_number}" and method == "GET":
            issue = self.issues.get(numbers[0])
            if issue is None:
                return 404, {"message": "Not Found"}, {}
            return status, {**issue, "comments": len(self.comments[numbers[0]])}, {}
        if template == "/repos/{owner}/{repo}/issues/{issue_number}/comments":
            if numbers[0] not in self.issues:
                return 404, {"message": "Not Found"}, {}
            if method == "GET":
                return self._page(self.comments[numbers[0]], query, path)
            self._next_id += 1
            comment = {
                **payload,
                "id": self._next_id,
                "body": body["body"],
                "user": {**payload["user"], **ACTIONS_BOT},
            }
            self.comments[numbers[0]].append(comment)
            return status, comment, {}
        if template == "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions" and method == "GET":
            known = {c["id"] for comments in self.comments.values() for c in comments}
            if numbers[0] not in known:
                return 404, {"message": "Not Found"}, {}
            return self._page(self.comment_reactions.get(numbers[0], []), query, path)
        if template == "/repos/{owner}/{repo}/issues/comments/{comment_id}" and method == "PATCH":
            for comments in self.comments.values():
                for comment in comments:
                    if comment["id"] == numbers[0]:
                        comment["body"] = body["body"]
                        return status, comment, {}
            return 404, {"message": "Not Found"}, {}
        if template == "/repos/{owner}/{repo}/issues/{issue_number}/labels" and method == "POST":
            issue = self.issues.get(numbers[0])
            if issue is None:
                return 404, {"message": "Not Found"}, {}
            have = {label["name"] for label in issue["labels"]}
            issue["labels"] += [{"name": name} for name in body["labels"] if name not in have]
            return status, issue["labels"], {}
        if template == "/repos/{owner}/{repo}/issues/{issue_number}" and method == "PATCH":
            issue = self.issues[numbers[0]]
            if "state" in body:
                issue["state"] = body["state"]
                issue["state_reason"] = body.get("state_reason")
                issue["closed_at"] = "2026-11-22T12:00:00Z" if body["state"] == "closed" else None
            return status, issue, {}
        if template == "/repos/{owner}/{repo}/issues/{issue_number}/assignees" and method == "POST":
            issue = self.issues[numbers[0]]
            have = {a["login"] for a in issue["assignees"]}
            issue["assignees"] += [{"login": n, "id": 1, "type": "User"} for n in body["assignees"] if n not in have]
            return status, issue, {}
        if template == "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}" and method == "DELETE":
            issue = self.issues[numbers[0]]
            name = urllib.parse.unquote(path.rsplit("/", 1)[1])
            if name not in {label["name"] for label in issue["labels"]}:
                return 404, {"message": "Label does not exist"}, {}
            issue["labels"] = [label for label in issue["labels"] if label["name"] != name]
            return status, issue["labels"], {}
        setup = self._setup(method, template, path, query, body, status, payload)
        if setup is not None:
            return setup
        git = self._git(method, template, path, query, body, status, payload)
        if git is not None:
            return git
        if template == "/repos/{owner}/{repo}/issues" and method == "GET":
            state = query.get("state", ["open"])[0]  # GitHub lists open issues unless asked for closed or all
            listed = [
                {**issue, "comments": len(self.comments[n])}
                for n, issue in self.issues.items()
                if state == "all" or issue["state"] == state
            ]
            return self._page(listed, query, path)
        return status, payload, {}

    def _setup(
        self, method: str, template: str, path: str, query: dict[str, list[str]], body: Any, status: int, payload: Any
    ) -> tuple[int, Any, dict[str, str]] | None:
        base = "/repos/{owner}/{repo}"
        if template == base and method == "GET":
            return status, {**payload, **self.settings}, {}
        if template == f"{base}/labels" and method == "GET":
            labels = [{**payload[0], "id": i + 1, "name": name} for i, name in enumerate(self.label_names)]
            return self._page(labels, query, path)
        if template == f"{base}/labels" and method == "POST":
            if body["name"].lower() in {n.lower() for n in self.label_names}:
                return 422, {"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists",
                                                                         "field": "name"}]}, {}  # fmt: skip
            self.label_names.append(body["name"])
            return status, {**payload, "name": body["name"], "color": body.get("color", payload["color"])}, {}
        if template == "/users/{username}" and method == "GET":
            login = urllib.parse.unquote(path.rsplit("/", 1)[1])
            if login not in self.users:
                return 404, {"message": "Not Found"}, {}
            return status, {**payload, "login": login, "id": self.users[login]}, {}
        if template == f"{base}/issues/{{issue_number}}/events" and method == "GET":
            number = int(path.split("/")[-2])
            events = [
                {**payload[0], "id": i + 1, "event": "labeled", "label": {"name": e["label"], "color": "ededed"},
                 "actor": {**payload[0]["actor"], "login": e["login"], "id": e["id"], "type": "User"}}
                for i, e in enumerate(self.issue_events.get(number, []))
            ]  # fmt: skip
            return self._page(events, query, path)
        if template == f"{base}/pages" and method == "GET":
            if self.pages_site is None:
                return 404, {"message": "Not Found"}, {}
            return status, {**payload, **self.pages_site}, {}
        return None

    def _sha(self) -> str:
        self._next_id += 1
        return f"{self._next_id:040x}"

    def _ancestors(self, sha: str) -> set[str]:
        seen, todo = set(), [sha]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += self.commits.get(current, {}).get("parents", [])
        return seen

    def _git(
        self, method: str, template: str, path: str, query: dict[str, list[str]], body: Any, status: int, payload: Any
    ) -> tuple[int, Any, dict[str, str]] | None:
        """Branches, commits, trees, file contents and pull requests, as the Git Data, Contents and Pulls APIs
        behave: a ref update that is not a fast-forward is refused with 422."""
        base = "/repos/{owner}/{repo}"
        tail = urllib.parse.unquote(path.split("/", 5)[-1]) if path.count("/") >= 5 else ""
        if template == f"{base}/git/ref/{{ref}}" and method == "GET":
            branch = tail.removeprefix("ref/heads/")
            if branch not in self.refs:
                return 404, {"message": "Not Found"}, {}
            return (
                status,
                {**payload, "ref": f"refs/heads/{branch}", "object": {**payload["object"], "sha": self.refs[branch]}},
                {},
            )
        if template == f"{base}/git/commits/{{commit_sha}}" and method == "GET":
            sha = path.rsplit("/", 1)[1]
            if sha not in self.commits:
                return 404, {"message": "Not Found"}, {}
            return status, {**payload, "sha": sha, "tree": {**payload["tree"], "sha": self.commits[sha]["tree"]}}, {}
        if template == f"{base}/git/trees" and method == "POST":
            files = dict(self.trees.get(body.get("base_tree", ""), {}))
            files.update({entry["path"]: entry["content"] for entry in body["tree"]})
            sha = self._sha()
            self.trees[sha] = files
            return status, {**payload, "sha": sha}, {}
        if template == f"{base}/git/commits" and method == "POST":
            sha = self._sha()
            self.commits[sha] = {"tree": body["tree"], "parents": list(body.get("parents", []))}
            return status, {**payload, "sha": sha}, {}
        if template == f"{base}/git/refs" and method == "POST":
            branch = body["ref"].removeprefix("refs/heads/")
            if branch in self.refs:
                return 422, {"message": "Reference already exists"}, {}
            self.refs[branch] = body["sha"]
            return status, {**payload, "ref": body["ref"], "object": {**payload["object"], "sha": body["sha"]}}, {}
        if template == f"{base}/git/refs/{{ref}}" and method == "PATCH":
            branch = tail.removeprefix("refs/heads/")
            if branch not in self.refs:
                return 422, {"message": "Reference does not exist"}, {}
            if not body.get("force") and self.refs[branch] not in self._ancestors(body["sha"]):
                return 422, {"message": "Update is not a fast forward"}, {}
            self.refs[branch] = body["sha"]
            return status, {**payload, "object": {**payload["object"], "sha": body["sha"]}}, {}
        if template == f"{base}/contents/{{path}}" and method == "GET":
            branch = query.get("ref", ["main"])[0]
            files = self.trees[self.commits[self.refs[branch]]["tree"]] if branch in self.refs else {}
            name = tail.removeprefix("contents/")
            if name not in files:
                return 404, {"message": "Not Found"}, {}
            encoded = base64.b64encode(files[name].encode()).decode()
            return status, {**payload, "type": "file", "encoding": "base64", "content": encoded, "path": name}, {}
        if template == f"{base}/pulls" and method == "GET":
            head = query.get("head", [""])[0].split(":", 1)[-1]
            found = [pr for pr in reversed(self.pulls) if pr["head"]["ref"] == head]
            return status, found, {}
        if template == f"{base}/pulls" and method == "POST":
            if any(pr["head"]["ref"] == body["head"] and pr["state"] == "open" for pr in self.pulls):
                message = f"A pull request already exists for octo-org:{body['head']}."
                return 422, {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
                                                                         "message": message}]}, {}  # fmt: skip
            number = len(self.pulls) + 1
            pull = {
                **payload,
                "number": number,
                "html_url": f"https://github.com/octo-org/octo-repo/pull/{number}",
                "state": "open",
                "merged_at": None,
                "title": body["title"],
                "body": body.get("body"),
                "head": {**payload["head"], "ref": body["head"]},
                "base": {**payload["base"], "ref": body["base"]},
            }
            self.pulls.append(pull)
            return status, pull, {}
        if template == f"{base}/pulls/{{pull_number}}" and method == "PATCH":
            pull = self.pulls[int(path.rsplit("/", 1)[1]) - 1]
            pull.update({key: body[key] for key in ("title", "body") if key in body})
            return status, pull, {}
        return None

    def _page(self, items: list[Any], query: dict[str, list[str]], path: str) -> tuple[int, Any, dict[str, str]]:
        since = query.get("since", [""])[0]
        items = [i for i in items if i.get("updated_at", "") >= since] if since else items
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)  # GitHub: 30 by default, never more than 100
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            params = {k: v[0] for k, v in query.items() if k != "page"}
            rest = "&".join(f"{k}={v}" for k, v in params.items())
            headers["Link"] = f'<{self.url}{path}?{rest}&page={page + 1}>; rel="next"'
        return 200, chunk, headers


def graphql_cost(query: str, variables: dict[str, Any]) -> int:
    """GitHub's published rate-limit cost of a query: every connection counts as many requests as its parents
    could return nodes (each assumed to reach its ``first``/``last``), summed, divided by 100, rounded, at
    least 1 ("Rate limits and node limits for the GraphQL API", GitHub Docs)."""
    from graphql import FieldNode, InlineFragmentNode, OperationDefinitionNode, VariableNode, parse

    def size(field: Any) -> int | None:
        for argument in field.arguments or ():
            if argument.name.value in ("first", "last"):
                value = argument.value
                return int(variables.get(value.name.value, 0) if isinstance(value, VariableNode) else value.value)
        return None

    def walk(selections: Any, multiplier: int) -> int:
        requests = 0
        for selection in selections:
            if isinstance(selection, FieldNode):
                count = size(selection)
                inner = multiplier
                if count is not None:
                    requests += multiplier
                    inner = multiplier * count
                if selection.selection_set is not None:
                    requests += walk(selection.selection_set.selections, inner)
            elif isinstance(selection, InlineFragmentNode):
                requests += walk(selection.selection_set.selections, multiplier)
        return requests

    document = parse(query)
    total = sum(
        walk(d.selection_set.selections, 1) for d in document.definitions if isinstance(d, OperationDefinitionNode)
    )
    return max(1, round(total / 100))
