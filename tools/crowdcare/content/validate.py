"""``crowdcare validate``: every rule over the whole repository (CC1xx per file, CC2xx across files,
CC3xx ideas, CC4xx config). Pure apart from reading through the store; nothing is ever rewritten."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from crowdcare.content.rules import finding
from crowdcare.content.store import IDEAS_DIR, KB_DIR, load_content
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Finding, Idea, IdeaStatus, Solution
from crowdcare.core.repository import Content
from crowdcare.promote.freshness import OLDER_MAJOR, stale


def validate_repository(root: Path, paths: Sequence[Path] = ()) -> list[Finding]:
    """All findings for the repository at ``root``, limited to ``paths`` (files or folders) when given.

    Cross-file rules always see the whole repository, so a narrowed run reports the same findings for the
    files it names as a full run does.
    """
    selected = [_relative(root, p) for p in paths]
    content = load_content(root)
    findings = [*content.findings, *check_content(content), *check_site_sources(root), *check_freshness(content)]
    outside = [rel for rel in selected if rel.split("/")[0] not in (KB_DIR, IDEAS_DIR, "crowdcare.yml")]
    findings.extend(finding("CC105", rel, 1, "is outside kb/ and ideas/") for rel in outside)
    if selected:
        findings = [f for f in findings if any(_covers(rel, f.path) for rel in selected)]
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.code))


def check_freshness(content: Content) -> list[Finding]:
    """CC208, a warning: answers verified with a release too far behind ``product.current_version``."""
    if content.config is None:
        return []
    found = []
    current = content.config.product.current_version
    for solution in content.solutions:
        behind = stale(solution, content.config)
        if behind is not None:
            how_far = "an older major release" if behind >= OLDER_MAJOR else f"{behind} releases behind"
            message = f"verified with {solution.verified_with}, {how_far} the current {current}"
            line = content.line_of(solution.path, "verified_with")
            found.append(finding("CC208", solution.path, line, message, severity="warning"))
    return found


SITE_SOURCES = ("docs", "overrides")


def check_site_sources(root: Path) -> list[Finding]:
    """CC103 for a symbolic link among the site's hand-written pages and theme files: MkDocs follows links, so a
    link to /proc/self/environ or ~/.ssh would be published."""
    found = []
    for top in SITE_SOURCES:
        base = root / top
        if base.is_symlink():
            found.append(finding("CC103", top, 1, f"folder {top}/ is a symbolic link"))
            continue
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_symlink():
                found.append(finding("CC103", path.relative_to(root).as_posix(), 1, "is a symbolic link"))
    return found


def _relative(root: Path, path: Path) -> str:
    """``path`` as a repository path. A relative path is read from the current folder when that is inside the
    repository, else from the repository's root (``crowdcare --root DIR validate kb/x.md`` from anywhere)."""
    here = Path.cwd().resolve()
    inside = here == root.resolve() or root.resolve() in here.parents
    absolute = path if path.is_absolute() else (here if inside else root) / path
    if not absolute.exists() and not absolute.is_symlink():
        raise BadInputError(f"{path}: no such file or folder")
    try:
        rel = absolute.parent.resolve().joinpath(absolute.name).relative_to(root.resolve())
    except ValueError:
        raise BadInputError(f"{path}: is not inside the repository {root}") from None
    return rel.as_posix() if rel.parts else "."


def _covers(selected: str, path: str) -> bool:
    return selected == "." or path == selected or path.startswith(selected.rstrip("/") + "/")


def check_content(content: Content) -> list[Finding]:
    """The rules that need more than one file: CC2xx and CC3xx."""
    return [
        *_check_titles(content),
        *_check_references(content),
        *_check_sources(content),
        *_check_topics(content),
        *_check_user_ids(content),
        *(f for idea in content.ideas for f in _check_idea(content, idea)),
    ]


def _check_titles(content: Content) -> Iterable[Finding]:
    for kind in (content.solutions, content.ideas):
        first: dict[str, str] = {}
        for item in kind:
            norm = " ".join(item.title.casefold().split())
            if norm in first:
                yield finding(
                    "CC201",
                    item.path,
                    content.line_of(item.path, "title"),
                    f"title {item.title!r} is also the title of {first[norm]}",
                )
            else:
                first[norm] = item.path


def _check_references(content: Content) -> Iterable[Finding]:
    # A file left out for its own findings still exists: do not also call references to it dangling.
    broken = [path.removesuffix(".md").split("/", 1)[1] for path in content.rejected]
    idea_slugs = {idea.slug for idea in content.ideas} | set(broken)
    solution_keys = {s.key for s in content.solutions} | set(broken)
    for idea in content.ideas:
        if idea.duplicate_of is not None and idea.duplicate_of not in idea_slugs:
            yield finding(
                "CC202",
                idea.path,
                content.line_of(idea.path, "duplicate_of"),
                f"duplicate_of {idea.duplicate_of!r}: there is no ideas/{idea.duplicate_of}.md",
            )
        if idea.duplicate_of == idea.slug:
            yield finding(
                "CC202",
                idea.path,
                content.line_of(idea.path, "duplicate_of"),
                "duplicate_of names the idea itself",
                "name the canonical idea this one duplicates",
            )
    superseded = {s.key for s in content.solutions if s.superseded_by is not None}
    for solution in content.solutions:
        target = solution.superseded_by
        if target is not None and (target not in solution_keys or target in superseded or target == solution.key):
            why = "is itself superseded" if target in superseded else "does not exist"
            yield finding(
                "CC207",
                solution.path,
                content.line_of(solution.path, "superseded_by"),
                f"superseded_by {target!r}: kb/{target}.md {why}",
            )
        for key in solution.related:
            if key not in solution_keys:
                yield finding(
                    "CC203",
                    solution.path,
                    content.line_of(solution.path, "related"),
                    f"related {key!r}: there is no kb/{key}.md",
                )


def _check_sources(content: Content) -> Iterable[Finding]:
    first: dict[str, str] = {}
    items: list[Solution | Idea] = [*content.solutions, *content.ideas]
    for item in items:
        if item.source in first:
            yield finding(
                "CC204",
                item.path,
                content.line_of(item.path, "source"),
                f"source {item.source} is also the source of {first[item.source]}",
            )
        else:
            first[item.source] = item.path


def _check_topics(content: Content) -> Iterable[Finding]:
    if content.config is None:
        return
    for solution in content.solutions:
        if content.config.topic(solution.topic) is None:
            yield finding(
                "CC205",
                solution.path,
                content.line_of(solution.path, "topic"),
                f"topic {solution.topic!r} is not declared in crowdcare.yml",
            )


def _check_user_ids(content: Content) -> Iterable[Finding]:
    logins: dict[int, dict[str, str]] = defaultdict(dict)
    for solution in content.solutions:
        for contributor in solution.contributors:
            if contributor.person.id is not None:
                logins[contributor.person.id].setdefault(contributor.person.login.lower(), solution.path)
    for idea in content.ideas:
        if idea.author.id is not None:
            logins[idea.author.id].setdefault(idea.author.login.lower(), idea.path)
    for user_id, seen in sorted(logins.items()):
        if len(seen) > 1:
            (_, first_path), *others = seen.items()
            for login, path in others:
                key = "author" if path.startswith(IDEAS_DIR + "/") else "contributors"
                yield finding(
                    "CC206",
                    path,
                    content.line_of(path, key),
                    f"user id {user_id} is {login!r} here but has another login in {first_path}",
                )


def _check_idea(content: Content, idea: Idea) -> Iterable[Finding]:
    line = content.line_of
    status = idea.status
    if status.needs_decision and idea.decision is None:
        yield finding("CC301", idea.path, line(idea.path, "status"), f"status {status.value!r} needs a decision")
    if (status is IdeaStatus.DUPLICATE) != (idea.duplicate_of is not None):
        message = (
            "status is 'duplicate' but duplicate_of is missing"
            if idea.duplicate_of is None
            else f"duplicate_of is set but status is {status.value!r}"
        )
        yield finding("CC302", idea.path, line(idea.path, "duplicate_of" if idea.duplicate_of else "status"), message)
    if (status is IdeaStatus.SHIPPED) != (idea.shipped_in is not None):
        message = (
            "status is 'shipped' but shipped_in is missing"
            if idea.shipped_in is None
            else f"shipped_in is set but status is {status.value!r}"
        )
        yield finding("CC303", idea.path, line(idea.path, "shipped_in" if idea.shipped_in else "status"), message)
    if idea.votes.score != idea.votes.up - idea.votes.down:
        yield finding(
            "CC304",
            idea.path,
            line(idea.path, "votes"),
            f"score is {idea.votes.score} but up - down is {idea.votes.up - idea.votes.down}",
        )
    config = content.config
    # A duplicate merged under the consent rule (crowdcare fold) is decided by the bot applying it; the maintainer
    # who merges its pull request reviews it. Any other decision is a person's whom the governance admits.
    by_rule = (
        idea.decision is not None
        and status is IdeaStatus.DUPLICATE
        and config is not None
        and config.is_bot_login(idea.decision.by)
    )
    if (
        idea.decision is not None
        and config is not None
        and not by_rule
        and not config.may_change_idea_status(idea.decision.by)
    ):
        yield finding(
            "CC305",
            idea.path,
            line(idea.path, "decision"),
            f"{idea.decision.by!r} may not decide on ideas (governance.change_idea_status)",
        )
