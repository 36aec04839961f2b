"""The content store: the only module that reads kb/ and ideas/.

``load_content`` never raises on bad files: each problem becomes a finding and the file is left out.
Files are never written here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crowdcare.content.config import load_config
from crowdcare.content.frontmatter import MAX_FILE_BYTES, Document, FileProblem, parse_document, read_text
from crowdcare.content.ledger import load_ledger, load_vote_history
from crowdcare.content.rules import finding
from crowdcare.content.schema import check_document
from crowdcare.core.errors import ConfigError
from crowdcare.core.model import (
    Contributor,
    Decision,
    Finding,
    HistoryEntry,
    Idea,
    IdeaStatus,
    PersonRef,
    Role,
    Solution,
    SolutionStatus,
    StatusChange,
    Votes,
)
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import is_slug

KB_DIR = "kb"
IDEAS_DIR = "ideas"
MAX_BODY_CHARS = 50_000
MAX_BRACKETS = 500  # Python-Markdown is quadratic on bracket runs: 2,000 '[' take 0.7 s, 4,000 take 2.9 s
IGNORED_NAMES = {".gitkeep", "README.md"}


@dataclass
class Loaded:
    """What loading some content files gave, in the order of the files."""

    solutions: list[Solution] = field(default_factory=list)
    ideas: list[Idea] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    key_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)

    def extend(self, later: Loaded) -> None:
        """Add what loading the files after these gave."""
        self.solutions += later.solutions
        self.ideas += later.ideas
        self.findings += later.findings
        self.key_lines.update(later.key_lines)
        self.rejected += later.rejected


FileLoader = Callable[[Path, list[str]], Loaded]


def load_files(root: Path, rels: list[str]) -> Loaded:
    """Read and check the content files ``rels`` (paths under ``root``, from ``content_files``), in order."""
    loaded = Loaded()
    for rel in rels:
        path = root / rel
        try:
            if rel.split("/")[0] == KB_DIR:
                loaded.solutions.append(_load_solution(path, rel, loaded.findings, loaded.key_lines))
            else:
                loaded.ideas.append(_load_idea(path, rel, loaded.findings, loaded.key_lines))
        except FileProblem as problem:
            loaded.findings.append(finding(problem.code, rel, problem.line, problem.message))
            loaded.rejected.append(rel)
        except _Rejected:
            loaded.rejected.append(rel)
    return loaded


def load_content(root: Path, load: FileLoader = load_files) -> Content:
    """Load crowdcare.yml, every solution in kb/ and every idea in ideas/ under ``root``. ``load`` reads the files
    (the site build passes one that uses two cores); findings about the folders come before the files' own."""
    config, findings = load_config(root)
    loaded = load(root, [rel for rel, _ in content_files(root, findings)])
    findings.extend(loaded.findings)
    ledger, ledger_findings = load_ledger(root)
    findings.extend(ledger_findings)
    history: list[HistoryEntry] = []
    if config is not None:
        history, history_findings = load_vote_history(root, config.votes.history)
        findings.extend(history_findings)
    return Content(
        vote_history=tuple(history),
        ledger=ledger,
        config=config,
        solutions=tuple(loaded.solutions),
        ideas=tuple(loaded.ideas),
        findings=tuple(findings),
        key_lines=loaded.key_lines,
        rejected=tuple(loaded.rejected),
    )


def load_config_or_fail(root: Path) -> Config:
    """crowdcare.yml for commands that need it, or a ContentError naming every finding."""
    config, findings = load_config(root)
    if config is None or findings:
        shown = "\n".join(f"  {f}" for f in findings)
        raise ConfigError(f"crowdcare.yml is not usable; run `crowdcare validate`:\n{shown}", tuple(findings))
    return config


def content_files(root: Path, findings: list[Finding]) -> Iterator[tuple[str, Path]]:
    """(repo-relative path, path) of every candidate content file, in sorted order.

    Links are reported (CC103) and not followed; files in the wrong place are reported (CC105).
    """
    for top in (KB_DIR, IDEAS_DIR):
        base = root / top
        if base.is_symlink():
            findings.append(finding("CC103", top, 1, f"folder {top}/ is a symbolic link"))
            continue
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames.sort()
            here = Path(dirpath)
            for name in list(dirnames):
                if (here / name).is_symlink():
                    rel_dir = (here / name).relative_to(root).as_posix()
                    findings.append(finding("CC103", rel_dir, 1, "folder is a symbolic link"))
                    dirnames.remove(name)
            for name in sorted(filenames):
                path = here / name
                rel = path.relative_to(root).as_posix()
                depth = len(path.relative_to(base).parts)
                if (here == base and name in IGNORED_NAMES) or name == ".gitkeep":
                    continue
                wanted_depth = 2 if top == KB_DIR else 1
                if depth != wanted_depth or not name.endswith(".md"):
                    findings.append(finding("CC105", rel, 1, f"is not a {_expected_shape(top)}"))
                    continue
                yield rel, path


def _expected_shape(top: str) -> str:
    return "solution file kb/<topic>/<slug>.md" if top == KB_DIR else "idea file ideas/<slug>.md"


class _Rejected(Exception):
    """The file had findings; they are already recorded."""


def solution_from_text(rel: str, text: str) -> tuple[Solution | None, list[Finding]]:
    """A proposed solution file checked exactly as `crowdcare validate` checks one on disk (rules across files
    aside): the solution, or None and the findings."""
    findings: list[Finding] = []
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return None, [finding("CC104", rel, 1, f"is over {MAX_FILE_BYTES:,} bytes")]
    try:
        return _load_solution(Path(rel), rel, findings, {}, text=text), findings
    except FileProblem as problem:
        return None, [finding(problem.code, rel, problem.line, problem.message)]
    except _Rejected:
        return None, findings


def _read(
    path: Path,
    rel: str,
    schema: Any,
    findings: list[Finding],
    key_lines: dict[str, dict[str, int]],
    text: str | None = None,
) -> Document:
    doc = parse_document(read_text(path) if text is None else text)
    key_lines[rel] = {str(key[0]): line for key, line in doc.lines.items() if len(key) == 1}
    problems = check_document(doc, schema, rel)
    stem = path.name.removesuffix(".md")
    if not is_slug(stem):
        problems.append(finding("CC106", rel, 1, f"{path.name!r} is not lowercase ASCII words joined by hyphens"))
    problems.extend(_check_body(doc, rel))
    findings.extend(problems)
    if problems:
        raise _Rejected
    return doc


def _check_body(doc: Document, rel: str) -> list[Finding]:
    body = doc.body
    if not body.strip():
        return [finding("CC119", rel, doc.body_line - 1, "nothing below the closing '---'")]
    first_line = doc.body_line + len(body) - len(body.lstrip("\n")) if body.startswith("\n") else doc.body_line
    if len(body) > MAX_BODY_CHARS:
        return [finding("CC104", rel, first_line, f"body is {len(body):,} characters; the limit is {MAX_BODY_CHARS:,}")]
    brackets = body.count("[")
    if brackets > MAX_BRACKETS:
        return [finding("CC120", rel, first_line, f"body has {brackets:,} '[' characters; the limit is {MAX_BRACKETS}")]
    return []


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _person(data: dict[str, Any]) -> PersonRef:
    return PersonRef(login=data["login"], id=data.get("id"))


def _load_solution(
    path: Path, rel: str, findings: list[Finding], key_lines: dict[str, dict[str, int]], text: str | None = None
) -> Solution:
    doc = _read(path, rel, "solution", findings, key_lines, text)
    meta = doc.meta
    folder = rel.split("/")[1]
    if meta["topic"] != folder:
        findings.append(
            finding(
                "CC121", rel, doc.line_of(("topic",)), f"topic is {meta['topic']!r} but the file is in kb/{folder}/"
            )
        )
        raise _Rejected
    if "superseded_by" in meta and meta["status"] != SolutionStatus.SUPERSEDED.value:
        line = doc.line_of(("status",))
        findings.append(finding("CC122", rel, line, f"superseded_by is set but status is {meta['status']!r}"))
        raise _Rejected
    return Solution(
        path=rel,
        topic=meta["topic"],
        slug=path.name.removesuffix(".md"),
        title=meta["title"],
        question=meta["question"],
        status=SolutionStatus(meta["status"]),
        tags=tuple(meta.get("tags", ())),
        contributors=tuple(Contributor(_person(c), Role(c["role"])) for c in meta["contributors"]),
        source=meta["source"],
        also_asked=tuple(meta.get("also_asked", ())),
        asked_as=tuple(meta.get("asked_as", ())),
        aliases=tuple(meta.get("aliases", ())),
        created=_date(meta["created"]),
        updated=_date(meta["updated"]),
        body=doc.body,
        verified_with=meta.get("verified_with"),
        related=tuple(meta.get("related", ())),
        superseded_by=meta.get("superseded_by"),
    )


def idea_from_text(rel: str, text: str) -> tuple[Idea | None, list[Finding]]:
    """A proposed or rewritten idea file checked as `crowdcare validate` checks one on disk (rules across
    files aside): the idea, or None and the findings."""
    findings: list[Finding] = []
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return None, [finding("CC104", rel, 1, f"is over {MAX_FILE_BYTES:,} bytes")]
    try:
        return _load_idea(Path(rel), rel, findings, {}, text=text), findings
    except FileProblem as problem:
        return None, [finding(problem.code, rel, problem.line, problem.message)]
    except _Rejected:
        return None, findings


def _load_idea(
    path: Path, rel: str, findings: list[Finding], key_lines: dict[str, dict[str, int]], text: str | None = None
) -> Idea:
    doc = _read(path, rel, "idea", findings, key_lines, text=text)
    meta = doc.meta
    decision = meta.get("decision")
    votes = meta["votes"]
    return Idea(
        path=rel,
        slug=path.name.removesuffix(".md"),
        title=meta["title"],
        status=IdeaStatus(meta["status"]),
        author=_person(meta["author"]),
        source=meta["source"],
        votes=Votes(up=votes["up"], down=votes["down"], score=votes["score"], verified=votes.get("verified")),
        created=_date(meta["created"]),
        body=doc.body,
        decision=Decision(decision["by"], _date(decision["on"]), decision["reason"]) if decision else None,
        duplicate_of=meta.get("duplicate_of"),
        shipped_in=meta.get("shipped_in"),
        updated=_date(meta["updated"]) if "updated" in meta else None,
        tags=tuple(meta.get("tags", ())),
        history=tuple(
            StatusChange(IdeaStatus(h["status"]), _date(h["on"]), h.get("by"), h.get("reason"), h.get("via", "file"))
            for h in meta.get("history", ())
        ),
    )
