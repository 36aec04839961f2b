"""Checks a proposal passes inside the job, before anyone is asked to review it: the rules of `crowdcare validate`
(each file, then across files) and the render probe. Pull requests opened with the workflow token get no CI run,
so this is the CI they get."""

from __future__ import annotations

import dataclasses

from crowdcare.model import Config, Content, Solution
from crowdcare.site.probe import LIMIT_SECONDS, probe_solution
from crowdcare.store import solution_from_text
from crowdcare.validate import check_content


def check_proposal(content: Content, config: Config, files: dict[str, str]) -> tuple[list[str], float]:
    """(problems, slowest render in seconds) of proposed solution files, checked with the rules of
    `crowdcare validate` (each file, then across files) and the render probe."""
    problems: list[str] = []
    proposed: list[Solution] = []
    for path, text in files.items():
        solution, findings = solution_from_text(path, text)
        problems += [str(f) for f in findings]
        if solution is not None:
            proposed.append(solution)
    if problems:
        return problems, 0.0
    paths = set(files)
    merged = dataclasses.replace(
        content, solutions=tuple(s for s in content.solutions if s.path not in paths) + tuple(proposed)
    )
    problems += [str(f) for f in check_content(merged) if f.path in paths]
    slowest = 0.0
    for solution in proposed:
        seconds = probe_solution(solution, config, merged)
        slowest = max(slowest, seconds)
        if seconds > LIMIT_SECONDS:
            problems.append(f"{solution.path}: renders in {seconds:.1f} s (limit {LIMIT_SECONDS:.0f} s)")
    return problems, slowest
