"""A GitHub that fails as GitHub does: 502s and rate limits on GraphQL reads (retried: PyGithub retries no POST, and
every GraphQL query is one), answers with an ``errors`` array, read timeouts and connection resets. Every failure
that outlasts the retries ends as one crowdcare error (exit 1, run again), never a traceback; a write that may have
happened is reported as such, and never sent twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crowdcare.adapters.live import LiveGitHub
from crowdcare.cli.main import cli
from crowdcare.core.errors import AmbiguousWriteError, TransientError
from crowdcare.core.model import Channel, ThreadRef
from tests.adapters.conftest import REPO
from tests.adapters.standin import Fault, StandIn
from tests.builders import CONFIG, Repo

GRAPHQL = r"^/graphql$"
ISSUE = ThreadRef(Channel.ISSUE, 7)
DISCUSSION = ThreadRef(Channel.DISCUSSION, 9)


def client(standin: StandIn, **options: object) -> tuple[LiveGitHub, list[float]]:
    waits: list[float] = []
    github = LiveGitHub("t", REPO, base_url=standin.url, sleep=waits.append, **options)  # type: ignore[arg-type]
    return github, waits


def graphql_calls(standin: StandIn) -> list[int]:
    return [r.status for r in standin.log if r.path == "/graphql"]


def test_a_graphql_read_is_tried_again_after_a_502(standin: StandIn) -> None:
    standin.add_discussion(9)
    standin.faults.append(Fault("POST", GRAPHQL, 502, body={"message": "Bad Gateway"}))
    github, waits = client(standin)
    assert github.get_thread(DISCUSSION) is not None
    assert graphql_calls(standin) == [502, 200] and waits == [0.5]


def test_a_rate_limited_graphql_answer_waits_as_told(standin: StandIn) -> None:
    standin.add_discussion(9)
    limited = {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for installation."}]}
    standin.faults.append(Fault("POST", GRAPHQL, 200, body=limited))
    standin.faults.append(Fault("POST", GRAPHQL, 403, {"Retry-After": "7"}, {"message": "secondary rate limit"}))
    github, waits = client(standin)
    assert github.get_thread(DISCUSSION) is not None
    assert waits == [0.5, 7.0]


def test_graphql_that_keeps_failing_is_one_transient_error(standin: StandIn) -> None:
    standin.add_discussion(9)
    standin.faults += [Fault("POST", GRAPHQL, 502, body={"message": "Bad Gateway"}) for _ in range(4)]
    github, waits = client(standin)
    with pytest.raises(TransientError, match="GitHub answered 502"):
        github.get_thread(DISCUSSION)
    assert len(waits) == 3


def test_a_graphql_error_that_is_not_a_rate_limit_is_not_retried(standin: StandIn) -> None:
    standin.add_discussion(9)
    standin.faults.append(Fault("POST", GRAPHQL, 200, body={"errors": [{"type": "FORBIDDEN", "message": "no"}]}))
    github, waits = client(standin)
    with pytest.raises(TransientError):
        github.get_thread(DISCUSSION)
    assert waits == []


def test_a_graphql_write_is_never_retried(standin: StandIn) -> None:
    standin.add_discussion(9)
    github, waits = client(standin)
    github.get_thread(DISCUSSION)
    standin.faults.append(Fault("POST", GRAPHQL, 502, body={"message": "Bad Gateway"}))
    with pytest.raises(AmbiguousWriteError):
        github.post_comment(DISCUSSION, "hello")
    assert waits == [] and standin.discussions[9]["comments"]["nodes"] == []


def test_a_connection_reset_on_a_read_is_a_transient_error(standin: StandIn) -> None:
    standin.add_issue(7)
    standin.faults += [Fault("GET", r"/issues/7$", 0, reset=True) for _ in range(2)]
    github, _ = client(standin, retries=1)
    with pytest.raises(TransientError, match="did not answer"):
        github.get_thread(ISSUE)


def test_a_read_that_never_answers_times_out_as_a_transient_error(standin: StandIn) -> None:
    standin.add_issue(7)
    standin.faults += [Fault("GET", r"/issues/7$", 0, hang=2.5) for _ in range(2)]
    github, _ = client(standin, retries=1, timeout=1)
    with pytest.raises(TransientError, match="timed out"):
        github.get_thread(ISSUE)


def test_a_reset_during_a_write_may_have_written_and_is_not_resent(standin: StandIn) -> None:
    standin.add_issue(7)
    standin.faults.append(Fault("POST", r"/issues/7/comments$", 0, reset=True))
    github, _ = client(standin)
    with pytest.raises(AmbiguousWriteError):
        github.post_comment(ISSUE, "hello")
    assert len(standin.requests("POST")) == 1


def test_the_command_line_says_one_line_and_exits_1(
    standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("crowdcare.yml", yaml.safe_dump({**CONFIG, "intake": {"bot_login": "github-actions[bot]"}}))
    standin.add_discussion(9)
    standin.faults += [Fault("POST", GRAPHQL, 502, body={"message": "Bad Gateway"}) for _ in range(8)]
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("GITHUB_API_URL", standin.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "intake", "--since", "2026-11-01T00:00:00Z"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("crowdcare: error: ") and "502" in lines[-1] and "Traceback" not in result.stderr
