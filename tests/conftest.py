"""Shared fixtures: small crowdcare repositories on tmp_path, and golden-file checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.builders import Repo, idea_text, solution_text

REPO_ROOT = Path(__file__).resolve().parent.parent
COMMUNITY = Path(__file__).resolve().parent / "community"
"""The tests' own community (kb/, ideas/, crowdcare.yml, snapshot/): a frozen copy of the Tallybook sample, so the
suite never reads the repository's live content, which a team that adopts crowdcare replaces with its own."""
COMMUNITY_SNAPSHOT = COMMUNITY / "snapshot"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own search-index cache: parallel workers never write one index at once."""
    monkeypatch.setenv("CROWDCARE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


@pytest.fixture
def sample_repo(repo: Repo) -> Repo:
    """A small valid community: two solutions, two ideas."""
    repo.write("kb/sync/files-do-not-sync.md", solution_text())
    repo.write(
        "kb/billing/refund.md",
        solution_text(
            title="Getting a refund",
            topic="billing",
            status="official",
            source="https://github.com/acme/community/discussions/2",
            also_asked=["https://github.com/acme/community/discussions/7"],
            related=["sync/files-do-not-sync"],
        ),
    )
    repo.write("ideas/dark-mode.md", idea_text())
    repo.write(
        "ideas/offline.md",
        idea_text(
            title="Offline mode",
            status="shipped",
            shipped_in="2.0",
            source="https://github.com/acme/community/discussions/51",
            votes={"up": 10, "down": 0, "score": 10},
            decision={"by": "staffer", "on": "2026-03-01", "reason": "Shipped in 2.0 for everyone."},
        ),
    )
    return repo


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from current output.")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare ``text`` with tests/golden/NAME; --update-golden rewrites it (review the diff)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs from the golden file; review, then --update-golden"
        )

    return check


@pytest.fixture(autouse=True, scope="session")
def fixtures_stay_unchanged() -> Iterator[None]:
    """No test writes into the tests' own community or the repository's sample (a lock file, an outbox, a cache):
    every test copies what it changes."""
    import subprocess

    def state() -> str:
        return subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--", "tests/community", "samples", "kb", "ideas"],
            cwd=REPO_ROOT, capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip

    before = state()
    yield
    assert state() == before, f"a test wrote into a fixture:\n{state()}"
