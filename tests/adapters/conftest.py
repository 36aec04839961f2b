"""The stand-in GitHub every live-adapter test talks to, and real PyGithub pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crowdcare.adapters.live import LiveGitHub
from tests.adapters.standin import StandIn

REPO = "octo-org/octo-repo"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server
    assert server.invalid == [], "every request body must match GitHub's OpenAPI description"


@pytest.fixture
def github(standin: StandIn) -> LiveGitHub:
    return LiveGitHub("test-token", REPO, base_url=standin.url)
