"""Checks a proposal passes inside the job, before anyone is asked to review it: the rules of `crowdcare validate`
(each file, then across files) and the render probe. Pull requests opened with the workflow token get no CI run,
so this is the CI they get."""

from __future__ import annotations

import dataclasses

from crowdcare.content.store import idea_from_text, solution_from_text
from crowdcare.content.validate import check_content
from crowdcare.core.model import Idea, Solution
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.site.probe import LIMIT_SECONDS, probe_solution, render_seconds


def check_proposal(content: Content, config: Config, files: dict[str, str]) -> tuple[list[str], float]:
    """(problems, slowest render in seconds) of proposed solution and idea files, checked with the rules of
    `crowdcare validate` (each file, then across files) and the render probe."""
    problems: list[str] = []
    proposed: list[Solution] = []
    ideas: list[Idea] = []
    for path, text in files.items():
        if path.startswith("ideas/"):
            idea, findings = idea_from_text(path, text)
            ideas += [idea] if idea is not None else []
        else:
            solution, findings = solution_from_text(path, text)
            proposed += [solution] if solution is not None else []
        problems += [str(f) for f in findings]
    if problems:
        return problems, 0.0
    paths = set(files)
    merged = dataclasses.replace(
        content,
        solutions=tuple(s for s in content.solutions if s.path not in paths) + tuple(proposed),
        ideas=tuple(i for i in content.ideas if i.path not in paths) + tuple(ideas),
    )
    problems += [str(f) for f in check_content(merged) if f.path in paths]
    slowest = 0.0
    for idea in ideas:
        seconds, _ = render_seconds(idea.body)
        slowest = max(slowest, seconds)
        if seconds > LIMIT_SECONDS:
            problems.append(f"{idea.path}: renders in {seconds:.1f} s (limit {LIMIT_SECONDS:.0f} s)")
    for solution in proposed:
        seconds = probe_solution(solution, config, merged)
        slowest = max(slowest, seconds)
        if seconds > LIMIT_SECONDS:
            problems.append(f"{solution.path}: renders in {seconds:.1f} s (limit {LIMIT_SECONDS:.0f} s)")
    return problems, slowest
