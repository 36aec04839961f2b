"""Live GitHub: PyGithub for REST, GraphQL through PyGithub's requester for Discussions (PyGithub has no
labels, answers or upvotes on discussions).

Retries: reads are retried on 429, 5xx, secondary rate limits (honouring Retry-After), dropped connections and
timeouts: REST reads by PyGithub's GithubRetry, GraphQL reads (POSTs to PyGithub, so never retried by it) here. A
read that still fails, and any failure to reach GitHub, ends the run with one line and exit 1 (run again).
Writes are never retried: PyGithub's default
GithubRetry re-sends a POST after a 5xx, which posted a comment twice in a measured run (ARCHITECTURE.md,
Facts). A write that fails ambiguously raises AmbiguousWriteError and the intake step reconciles by reading back.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException

from crowdcare.adapters import queries
from crowdcare.adapters.convert import (
    actor_of_label,
    reaction_from_rest,
    reactions_from_graphql,
    reply_from_discussion_comment,
    thread_from_discussion,
    thread_from_graphql_issue,
    thread_from_issue,
)
from crowdcare.adapters.etag_cache import EtagCache
from crowdcare.adapters.reaction_cache import ReactionCache, fingerprint
from crowdcare.adapters.transport import github_error, read_only_retry, retry_after, unreachable
from crowdcare.core.errors import AmbiguousWriteError, BadInputError, ThreadGoneError, TransientError
from crowdcare.core.model import Channel, PersonRef, Reaction, Reply, Thread, ThreadRef
from crowdcare.core.settings import IntakeRule

API = "https://api.github.com"
# Seconds for one request (whole: PyGithub takes no fraction); a read that takes longer is retried, a write reconciled.
TIMEOUT = 30
GRAPHQL_READ_DELAYS = (0.5, 1.0, 2.0)  # seconds before each new try of a GraphQL read (unless Retry-After says)


class LiveGitHub:
    """The GitHubPort over GitHub's REST and GraphQL APIs."""

    def __init__(
        self,
        token: str,
        repository: str,
        *,
        base_url: str = "https://api.github.com",
        timeout: int = TIMEOUT,
        retries: int = 5,
        graphql_delays: Sequence[float] = GRAPHQL_READ_DELAYS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if "/" not in repository:
            raise BadInputError(f"repository {repository!r} is not OWNER/NAME")
        self.owner, self.name = repository.split("/", 1)
        self.repository = repository
        self._viewer: str | None = None
        self._graphql_delays = tuple(graphql_delays)
        self._sleep = sleep
        self.gh = Github(
            auth=Auth.Token(token),
            base_url=base_url,
            timeout=timeout,
            retry=read_only_retry(retries),
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        self.requester = self.gh.requester
        # Node ids of discussions and labels seen in this run: mutations address them, and looking them up
        # again before every write doubled the requests of a discussion intake.
        self._node_ids: dict[ThreadRef, str] = {}
        self._label_ids: dict[str, str | None] = {}
        self.graphql_points = 0
        self.reaction_cache: ReactionCache | None = None  # set by `crowdcare tally` (kept between its runs)
        self.etag_cache: EtagCache | None = None  # set by `crowdcare respond`: unchanged pages cost nothing

    # --- plumbing ------------------------------------------------------------------------------------------

    def _request(
        self, verb: str, url: str, body: dict[str, Any] | None = None, send: dict[str, str] | None = None
    ) -> tuple[dict[str, Any], Any]:
        """(headers, data) of one REST call; GitHub's errors become crowdcare's (see ``_error``). A conditional
        GET answered 304 Not Modified has no data (None)."""
        try:
            headers, data = self.requester.requestJsonAndCheck(verb, url, input=body, headers=send)
        except GithubException as exc:
            raise github_error(exc, verb, url) from None
        except requests.RequestException as exc:
            raise unreachable(exc, verb, url) from None
        return headers, data

    def _rest(self, verb: str, url: str, body: dict[str, Any] | None = None) -> Any:
        return self._request(verb, url, body)[1]

    def get_or_none(self, url: str) -> Any | None:
        """GET ``url``; None when GitHub answers 404 (or 410)."""
        try:
            return self._rest("GET", url)
        except ThreadGoneError:
            return None

    def _graphql(self, document: str, variables: dict[str, Any], *, write: bool = False) -> dict[str, Any]:
        """One GraphQL document's data. A read is tried again after a 5xx, a rate limit (403/429, or an ``errors``
        answer of type RATE_LIMITED), a timeout or a dropped connection; a write never is."""
        verb = "POST" if write else "GET"
        delays = () if write else self._graphql_delays
        for attempt in range(len(delays) + 1):
            try:
                _, data = self.requester.graphql_query(document, variables)
            except GithubException as exc:
                wait = retry_after(exc)
                if attempt == len(delays) or wait is None:
                    raise github_error(exc, verb, "/graphql") from None
                self._sleep(wait or delays[attempt])
            except requests.RequestException as exc:
                if attempt == len(delays):
                    raise unreachable(exc, verb, "/graphql") from None
                self._sleep(delays[attempt])
            else:
                result: dict[str, Any] = data.get("data") or {}
                return result
        raise AssertionError("unreachable")  # pragma: no cover

    # --- reads ---------------------------------------------------------------------------------------------

    def viewer_login(self) -> str:
        """Who this token writes as, as GitHub reports it: the workflow token is 'github-actions[bot]', an App's
        token '<app-slug>[bot]'. The bot knows its own comments by marker and this author, never by config alone
        (a wrong intake.bot_login made it post the same reply every run). Asked once per run."""
        if self._viewer is None:
            viewer = self._graphql(queries.VIEWER, {}).get("viewer") or {}
            login = viewer.get("login")
            if not isinstance(login, str) or not login:
                raise TransientError("GitHub did not say who this token is (GraphQL viewer); run again")
            self._viewer = login
        return self._viewer

    def get_thread(self, ref: ThreadRef) -> Thread | None:
        try:
            if ref.channel is Channel.ISSUE:
                base = f"/repos/{self.repository}/issues/{ref.number}"
                issue = self._rest("GET", base)
                comments = list(self._pages(f"{base}/comments?per_page=100")) if issue.get("comments") else []
                return thread_from_issue(issue, comments)
            data = self._graphql(queries.DISCUSSION, {"owner": self.owner, "name": self.name, "number": ref.number})
            node = (data.get("repository") or {}).get("discussion")
            return self._remember(thread_from_discussion(self._all_comments(node))) if node else None
        except ThreadGoneError:
            return None

    def _pages(self, url: str) -> Iterator[Any]:
        """Every item of a REST list, 100 per page, following Link headers. (PyGithub's PaginatedList objects
        complete themselves lazily: reading a listed issue's fields cost one more GET per issue.)"""
        next_url: str | None = url
        while next_url:
            headers, data = self._get_page(next_url)
            yield from data or []
            match = re.search(r'<([^>]+)>;\s*rel="next"', headers.get("link", ""))
            next_url = match.group(1) if match else None

    def _get_page(self, url: str) -> tuple[dict[str, Any], Any]:
        """One GET of a list page; with the ETag cache, a conditional one: a 304 (free: it does not count against
        the rate limit) means the page the last run read is still the page."""
        cache = self.etag_cache
        etag = cache.etag(url) if cache is not None else None
        headers, data = self._request("GET", url, send={"If-None-Match": etag} if etag else None)
        if cache is None:
            return headers, data
        if etag is not None and data is None:  # 304 Not Modified: no body
            return cache.unchanged(url)
        cache.store(url, headers, data)
        return headers, data

    def issue_records(
        self, since: str | None, state: str = "open"
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(REST issue, its REST comments) for every issue in ``state`` (open, closed or all) updated since
        ``since``; pull requests skipped."""
        # Everything (a sweep) comes oldest first: a page changes only when one of its own issues does, so with the
        # ETag cache most pages are a free 304 (newest-updated first, one update shifts every later page).
        order = f"sort=updated&direction=desc&since={since}" if since else "sort=created&direction=asc"
        query = f"state={state}&{order}&per_page=100"
        for issue in self._pages(f"/repos/{self.repository}/issues?{query}"):
            if "pull_request" in issue:
                continue
            url = f"/repos/{self.repository}/issues/{issue['number']}/comments?per_page=100"
            yield issue, list(self._pages(url)) if issue.get("comments") else []

    def discussion_nodes(self, since: str | None) -> Iterator[dict[str, Any]]:
        """GraphQL Discussion nodes, most recently updated first, down to ``since``."""
        cursor = None
        while True:
            data = self._graphql(queries.RECENT_DISCUSSIONS, {"owner": self.owner, "name": self.name, "cursor": cursor})
            page = (data.get("repository") or {}).get("discussions") or {}
            for node in page.get("nodes") or []:
                if since and str(node.get("updatedAt", "")) < since:
                    return
                yield self._all_comments(node)
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            cursor = info.get("endCursor")

    def threads_updated_since(self, since: str | None) -> Iterator[Thread]:
        for issue, comments in self.issue_records(since):
            yield thread_from_issue(issue, comments)
        for node in self.discussion_nodes(since):
            yield self._remember(thread_from_discussion(node))

    def label_actor(self, ref: ThreadRef, label: str) -> PersonRef | None:
        """The actor of the issue's last `labeled` event for ``label`` (REST issue events, every page)."""
        if ref.channel is not Channel.ISSUE:
            return None
        url = f"/repos/{self.repository}/issues/{ref.number}/events?per_page=100"
        try:
            return actor_of_label(self._pages(url), label)
        except ThreadGoneError:
            return None

    def idea_threads(self, rule: IntakeRule) -> Iterator[Thread]:
        """GraphQL only (REST users carry no account age, and discussions have no REST API): 25 ideas a page
        with their first 100 reactions, then 100 more a query for the few ideas that have more."""
        repo = {"owner": self.owner, "name": self.name}
        if rule.issue_labels:
            for node in self._graph_pages(queries.IDEA_ISSUES, {**repo, "labels": list(rule.issue_labels)}, "issues"):
                node = self._all_comments(node)
                yield thread_from_graphql_issue({**node, "reactions": self._all_reactions(node)})
        if rule.discussion_categories:
            data = self._graphql(queries.CATEGORIES, repo)
            self._count_cost(data)
            wanted = {c.lower() for c in rule.discussion_categories}
            nodes = ((data.get("repository") or {}).get("discussionCategories") or {}).get("nodes") or []
            for category in nodes:
                if str(category.get("name", "")).lower() not in wanted:
                    continue
                variables = {**repo, "categoryId": category["id"]}
                for node in self._graph_pages(queries.IDEA_DISCUSSIONS, variables, "discussions"):
                    node = self._all_comments(node)
                    node = {**node, "reactions": self._all_reactions(node)}
                    yield self._remember(thread_from_discussion(node))

    def _graph_pages(self, document: str, variables: dict[str, Any], field: str) -> Iterator[Any]:
        cursor = None
        while True:
            data = self._graphql(document, {**variables, "cursor": cursor})
            self._count_cost(data)
            page = (data.get("repository") or {}).get(field) or {}
            yield from page.get("nodes") or []
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            cursor = info.get("endCursor")

    def _read_on(self, node: dict[str, Any], field: str, document: str, *aliases: str) -> list[Any]:
        """Every node of ``node``'s connection ``field``: the first page came with it, the rest are read on 100 at
        a time with ``document`` (by the node's id) until pageInfo says there is no next page."""
        connection = node.get(field) or {}
        nodes = list(connection.get("nodes") or [])
        info = connection.get("pageInfo") or {}
        while info.get("hasNextPage"):
            data = self._graphql(document, {"id": node["id"], "cursor": info.get("endCursor")})
            self._count_cost(data)
            found = data.get("node") or {}
            more: dict[str, Any] = next((found[a] for a in (field, *aliases) if found.get(a)), {})
            if not more.get("nodes"):
                break  # the connection shrank since the first page: what was read is all there is
            nodes += more["nodes"]
            info = more.get("pageInfo") or {}
        return nodes

    def _all_reactions(self, node: dict[str, Any]) -> dict[str, Any]:
        """Every reaction of an idea; with a reaction cache, an idea whose count and newest reaction are what the
        last run saw is not read on (see adapters/reaction_cache.py)."""
        connection = node.get("reactions") or {}
        total = connection.get("totalCount", len(connection.get("nodes") or []))
        cache = self.reaction_cache
        more = (connection.get("pageInfo") or {}).get("hasNextPage")
        if cache is None or not more or "newestReaction" not in node:
            nodes = self._read_on(node, "reactions", queries.MORE_REACTIONS)
            return {"nodes": nodes, "totalCount": total}
        key = fingerprint(connection, node.get("newestReaction") or {})
        cached = cache.lookup(str(node["id"]), key)
        if cached is not None and len(cached) == total:
            return {"nodes": cached, "totalCount": total}
        nodes = self._read_on(node, "reactions", queries.MORE_REACTIONS)
        cache.store(str(node["id"]), key, nodes)
        return {"nodes": nodes, "totalCount": total}

    def _all_comments(self, node: dict[str, Any]) -> dict[str, Any]:
        """``node`` with every comment (MORE_COMMENTS aliases them by the thread's type)."""
        nodes = self._read_on(node, "comments", queries.MORE_COMMENTS, "discussionComments", "issueComments")
        return {**node, "comments": {"nodes": nodes}}

    def _count_cost(self, data: dict[str, Any]) -> None:
        """GraphQL points this run spent, as GitHub reports them (rateLimit.cost)."""
        cost = (data.get("rateLimit") or {}).get("cost")
        if isinstance(cost, int):
            self.graphql_points += cost

    def _remember(self, thread: Thread) -> Thread:
        if thread.node_id is not None:
            self._node_ids[thread.ref] = thread.node_id
        return thread

    # --- writes (never retried) ---------------------------------------------------------------------------

    def _discussion_id(self, ref: ThreadRef) -> str:
        if ref in self._node_ids:
            return self._node_ids[ref]
        thread = self.get_thread(ref)
        if thread is None or thread.node_id is None:
            raise ThreadGoneError(f"{ref} no longer exists")
        return thread.node_id

    def post_comment(self, ref: ThreadRef, body: str) -> Reply:
        if ref.channel is Channel.ISSUE:
            data = self._rest("POST", f"/repos/{self.repository}/issues/{ref.number}/comments", {"body": body})
            return Reply(
                id=str(data["id"]),
                author=PersonRef(self.viewer_login()),
                body=body,
                created_at=str(data.get("created_at", "")),
                author_is_bot=True,
            )
        data = self._graphql(queries.ADD_COMMENT, {"discussionId": self._discussion_id(ref), "body": body}, write=True)
        comment = ((data.get("addDiscussionComment") or {}).get("comment")) or {}
        if "id" not in comment:
            raise AmbiguousWriteError(f"{ref}: GitHub returned no comment id")
        return reply_from_discussion_comment({**comment, "author": {"login": self.viewer_login(), "__typename": "Bot"}})

    def edit_comment(self, ref: ThreadRef, reply_id: str, body: str) -> None:
        if ref.channel is Channel.ISSUE:
            self._rest("PATCH", f"/repos/{self.repository}/issues/comments/{reply_id}", {"body": body})
        else:
            self._graphql(queries.UPDATE_COMMENT, {"commentId": reply_id, "body": body}, write=True)

    def _label_node_ids(self, labels: Sequence[str]) -> list[str]:
        """GraphQL ids of the repository's labels by name; a label the repository lacks is skipped."""
        for label in labels:
            if label.lower() not in self._label_ids:
                data = self._graphql(queries.LABEL_IDS, {"owner": self.owner, "name": self.name, "query": label})
                nodes = ((data.get("repository") or {}).get("labels") or {}).get("nodes") or []
                found = [n["id"] for n in nodes if str(n.get("name", "")).lower() == label.lower()]
                self._label_ids[label.lower()] = found[0] if found else None
        return [i for i in (self._label_ids[label.lower()] for label in labels) if i is not None]

    def add_labels(self, ref: ThreadRef, labels: Sequence[str]) -> None:
        if ref.channel is Channel.ISSUE:
            self._rest("POST", f"/repos/{self.repository}/issues/{ref.number}/labels", {"labels": list(labels)})
            return
        ids = self._label_node_ids(labels)
        if ids:
            self._graphql(queries.ADD_LABELS, {"labelableId": self._discussion_id(ref), "labelIds": ids}, write=True)

    def remove_labels(self, ref: ThreadRef, labels: Sequence[str]) -> None:
        if ref.channel is Channel.ISSUE:
            for label in labels:
                # 404: the issue does not carry the label (any more); there is nothing to remove
                with contextlib.suppress(ThreadGoneError):
                    self._rest("DELETE", f"/repos/{self.repository}/issues/{ref.number}/labels/{quote(label, safe='')}")
            return
        ids = self._label_node_ids(labels)
        if ids:
            self._graphql(queries.REMOVE_LABELS, {"labelableId": self._discussion_id(ref), "labelIds": ids}, write=True)

    def assign(self, ref: ThreadRef, logins: Sequence[str]) -> bool:
        if ref.channel is not Channel.ISSUE:
            return False
        self._rest("POST", f"/repos/{self.repository}/issues/{ref.number}/assignees", {"assignees": list(logins)})
        return True

    def close_thread(self, ref: ThreadRef, *, duplicate: bool = False) -> None:
        if ref.channel is Channel.ISSUE:
            url = f"/repos/{self.repository}/issues/{ref.number}"
            reason = "duplicate" if duplicate else "not_planned"
            self._rest("PATCH", url, {"state": "closed", "state_reason": reason})
        else:
            variables = {"discussionId": self._discussion_id(ref), "reason": "DUPLICATE" if duplicate else "OUTDATED"}
            self._graphql(queries.CLOSE_DISCUSSION, variables, write=True)

    def mark_answer(self, ref: ThreadRef, reply: Reply) -> None:
        if ref.channel is not Channel.DISCUSSION:
            raise BadInputError(f"{ref}: only a discussion's reply can be marked as the answer")
        self._graphql(queries.MARK_ANSWER, {"id": reply.id}, write=True)

    def comment_reactions(self, ref: ThreadRef, reply: Reply) -> list[Reaction]:
        """Issue comments through REST (their ids are REST ids), discussion comments through GraphQL."""
        if ref.channel is Channel.ISSUE:
            url = f"/repos/{self.repository}/issues/comments/{reply.id}/reactions?per_page=100"
            found = [reaction_from_rest(item) for item in self._pages(url)]
            return [r for r in found if r is not None]
        data = self._graphql(queries.MORE_REACTIONS, {"id": reply.id, "cursor": None})
        self._count_cost(data)
        return list(reactions_from_graphql(self._all_reactions({"id": reply.id, **(data.get("node") or {})})))

    def reopen_thread(self, ref: ThreadRef) -> None:
        if ref.channel is Channel.ISSUE:
            self._rest("PATCH", f"/repos/{self.repository}/issues/{ref.number}", {"state": "open"})
        else:
            self._graphql(queries.REOPEN_DISCUSSION, {"discussionId": self._discussion_id(ref)}, write=True)
