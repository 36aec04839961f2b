"""Every GraphQL document crowdcare sends is valid against GitHub's schema (@octokit/graphql-schema), and the
discussion query, executed against the sample snapshot's data, gives what the converter reads."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from graphql import GraphQLSchema, build_client_schema, graphql_sync, parse, validate

from crowdcare.adapters import queries
from crowdcare.adapters.convert import thread_from_discussion
from tests.adapters.contracts import GRAPHQL_SCHEMA, require
from tests.conftest import COMMUNITY_SNAPSHOT


@cache
def github_schema() -> GraphQLSchema:
    introspection = json.loads(require(GRAPHQL_SCHEMA).read_text("utf-8"))
    # assume_valid: GitHub's schema carries a few definitions graphql-core's strict checks reject (ARCHITECTURE.md, Facts).
    return build_client_schema(introspection.get("data", introspection), assume_valid=True)


@pytest.mark.parametrize("name", sorted(queries.ALL))
def test_document_is_valid_against_githubs_schema(name: str) -> None:
    errors = validate(github_schema(), parse(queries.ALL[name]))
    assert [e.message for e in errors] == []


def test_an_invalid_document_is_caught() -> None:
    errors = validate(
        github_schema(), parse('query { repository(owner: "o", name: "n") { discussion(number: 1) { upvotes } } }')
    )
    assert errors


@pytest.mark.parametrize("number", [301, 302, 303])
def test_discussion_query_executes_against_snapshot_data(number: int) -> None:
    """The snapshot stores exactly what the query returns: executing the query over it returns it unchanged."""
    node: dict[str, Any] = json.loads((COMMUNITY_SNAPSHOT / "discussions" / f"{number}.json").read_text())
    # A snapshot keeps every comment, read to the end: its connection has no next page.
    node["comments"] = {**node["comments"], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    result = graphql_sync(
        github_schema(),
        queries.DISCUSSION,
        root_value={"repository": {"discussion": node}},
        variable_values={"owner": "o", "name": "n", "number": number},
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    returned = result.data["repository"]["discussion"]
    assert thread_from_discussion(returned) == thread_from_discussion(node)
    assert returned["author"]["login"] == node["author"]["login"]
