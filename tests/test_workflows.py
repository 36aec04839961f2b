"""The workflows: valid for GitHub, hardened (ARCHITECTURE.md, Invariants), and zizmor reports nothing, even as an auditor."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, validators

from tests.conftest import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = str(Path(sys.executable).parent / "zizmor")


class Yaml12Loader(yaml.SafeLoader):
    """Booleans are only true/false, as in YAML 1.2 (GitHub's reading): "on" stays a key."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load(path: Path) -> dict:  # type: ignore[type-arg]
    # BaseLoader builds only strings, lists and dicts ("on" stays a string key): nothing is instantiated.
    data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # noqa: S506
    assert isinstance(data, dict)
    return data


def test_the_six_workflows_exist() -> None:
    assert {p.stem for p in WORKFLOWS} == {"intake", "respond", "promote", "tally", "publish", "ci"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path) -> None:
    schema = json.loads(
        resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("github-workflows.json").read_text()
    )
    validator = validators.validator_for(schema, default=Draft7Validator)(schema)
    data = yaml.load(path.read_text("utf-8"), Loader=Yaml12Loader)  # noqa: S506 (a SafeLoader subclass)
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_hardened(path: Path) -> None:
    text = path.read_text("utf-8")
    data = load(path)
    assert data["permissions"] == {}, "no permissions at the top; each job asks for what it needs"
    assert "pull_request_target" not in text and "workflow_run" not in text
    for job in data["jobs"].values():
        assert "permissions" in job
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false"
            assert "${{ github.event" not in step.get("run", ""), "event text never goes into a shell"
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d", line), f"pin with a version comment: {line}"


# zizmor's exit codes: 0 nothing found, 10-14 findings (by their highest severity); anything else: it did not run.
ZIZMOR_FINDINGS = range(10, 15)

HOSTILE_WORKFLOW = """name: bad
on:
  issues:
    types: [opened]
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
"""


def zizmor(path: Path, program: str = ZIZMOR) -> list[dict[str, object]]:
    """zizmor's findings for ``path``, or an AssertionError when zizmor did not run or its answer is inconsistent."""
    try:
        result = subprocess.run(
            [program, "--offline", "--persona", "auditor", "--format", "json", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except OSError as exc:
        raise AssertionError(f"zizmor could not run: {exc}") from None
    assert result.returncode == 0 or result.returncode in ZIZMOR_FINDINGS, (
        f"zizmor did not run (exit {result.returncode}): {result.stderr[-2000:]}"
    )
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"zizmor printed no JSON: {result.stdout[:500]!r}") from None
    assert isinstance(findings, list)
    assert (result.returncode == 0) == (findings == []), f"exit {result.returncode} with {len(findings)} finding(s)"
    return findings


def test_zizmor_reports_no_findings() -> None:
    findings = zizmor(REPO_ROOT / ".github" / "workflows")
    assert findings == [], json.dumps(findings)[:2000]


def test_the_zizmor_check_fails_on_a_hostile_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(HOSTILE_WORKFLOW)
    idents = {f["ident"] for f in zizmor(bad)}
    assert {"template-injection", "unpinned-uses"} <= idents, idents


@pytest.mark.parametrize("program", ["/bin/false", "/bin/true", "/nonexistent/zizmor"])
def test_the_zizmor_check_fails_when_zizmor_cannot_run(program: str) -> None:
    with pytest.raises(AssertionError):
        zizmor(REPO_ROOT / ".github" / "workflows", program)


PUSH_SCRIPT = REPO_ROOT / ".github" / "scripts" / "push-to-main.sh"


def _git(cwd: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_a_push_that_finds_main_moved_rebases_and_pushes_again(tmp_path: Path) -> None:
    """respond.yml and tally.yml both push to main: the second push is not a fast-forward and must not fail."""
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    for name in ("respond", "tally"):
        _git(tmp_path, "clone", "-q", str(origin), name)
    seed = tmp_path / "respond"
    (seed / "README").write_text("community\n")
    _git(seed, "add", "-A")
    _git(seed, "commit", "-q", "-m", "base")
    _git(seed, "push", "-q", "origin", "HEAD:main")
    _git(tmp_path / "tally", "pull", "-q", "origin", "main")
    for name, path in (("respond", "metrics/responses.json"), ("tally", "metrics/votes.jsonl")):
        (tmp_path / name / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name / path).write_text(f"{name}\n")
        _git(tmp_path / name, "add", "-A")
        _git(tmp_path / name, "commit", "-q", "-m", name)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GITHUB_TOKEN": "t", "GITHUB_REF_NAME": "main",
           "PUSH_RETRY_DELAY": "0"}  # fmt: skip
    for name in ("respond", "tally"):  # respond pushes first; tally finds main moved
        result = subprocess.run(["sh", str(PUSH_SCRIPT)], cwd=tmp_path / name, env={**env, "GITHUB_ACTIONS": "true"},
                                capture_output=True, text=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
        # The header carrying the token is masked in the Actions log before git ever sees it.
        header = base64.b64encode(b"x-access-token:t").decode()
        assert result.stdout.splitlines()[0] == f"::add-mask::{header}" and result.stdout.count(header) == 1
    assert "moved" in result.stderr
    log = _git(origin, "log", "--format=%s", "main")
    assert log.split() == ["tally", "respond", "base"]


def test_runs_of_one_step_never_overlap() -> None:
    """Event runs and the hourly sweep of a step share one concurrency group (a group per thread let the sweep
    and the event run of the same thread both reply), and waiting runs queue instead of cancelling each other."""
    for path in WORKFLOWS:
        if path.stem in ("ci", "publish"):
            continue
        concurrency = load(path)["concurrency"]
        assert concurrency["group"] == path.stem, path.name
        assert concurrency.get("cancel-in-progress") == "false" and concurrency.get("queue") == "max", path.name


def test_a_discussion_comment_starts_a_promote_run_only_when_it_may_hold_a_command() -> None:
    job = load(REPO_ROOT / ".github" / "workflows" / "promote.yml")["jobs"]["promote"]
    condition = " ".join(job["if"].split())
    assert "github.event_name != 'discussion_comment'" in condition
    assert "contains(github.event.comment.body, '/promote')" in condition
    assert "contains(github.event.comment.body, '/merge')" in condition
