"""``crowdcare doctor``: is a live repository ready for crowdcare's first run? Each check says what it found and,
when something is wrong, how to fix it. Only labels are created (with ``fix``): categories, settings and Pages
are the repository owner's to change, and the check says where."""

from __future__ import annotations

from dataclasses import dataclass

from crowdcare.content.ports import SetupPort
from crowdcare.core.errors import ThreadGoneError
from crowdcare.core.markers import same_account
from crowdcare.core.settings import Config

LABEL_COLOR = "0e8a16"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str
    fix: str | None = None


def labels_used(config: Config) -> dict[str, str]:
    """Every label crowdcare.yml makes the bot read or write, with what it is for."""
    used: dict[str, str] = {}
    for rule, kind in ((config.intake.question, "questions"), (config.intake.idea, "ideas")):
        for label in (*rule.issue_labels, *rule.labels):
            used.setdefault(label, f"marks {kind} (intake)")
    labels = config.responses.labels
    used.setdefault(labels.needs_staff, "waiting for staff (respond)")
    used.setdefault(labels.escalated, "escalated past the staff window (respond)")
    used.setdefault(labels.waiting, "waiting for the author (respond)")
    used.setdefault(labels.answered, "an answer its asker confirmed (/answer), or staff marked on an issue (respond)")
    used.setdefault(config.promotion.label, "promote this thread into the knowledge base (promote)")
    used.setdefault(config.votes.freeze_label, "the idea's vote count is frozen (tally)")
    used.setdefault(config.votes.flag_label, "a burst of votes from young accounts (tally)")
    for label, status in config.votes.status_labels:
        used.setdefault(label, f"the idea is {status.value} (tally)")
    return used


def examine(config: Config, github: SetupPort, *, fix: bool = False) -> list[Check]:
    checks = [_identity(config, github)]
    repository = github.repository()
    if repository is None:
        checks.append(
            Check(
                "repository",
                False,
                f"the token cannot see {config.repo}",
                "check GITHUB_REPOSITORY / community.repo, and give the token access to the repository",
            )
        )
        return checks
    checks += _features(repository)
    checks += _labels(config, github, fix)
    checks += _categories(config, github, bool(repository.get("has_discussions")))
    checks += _staff(config, github)
    checks.append(_pages(config, github))
    return checks


def _identity(config: Config, github: SetupPort) -> Check:
    actual = github.viewer_login()
    if same_account(actual, config.intake.bot_login):
        return Check("bot identity", True, f"the token writes as {actual}, as intake.bot_login says")
    return Check(
        "bot identity",
        False,
        f"the token writes as {actual}, but crowdcare.yml has intake.bot_login: {config.intake.bot_login} "
        "(crowdcare goes by GitHub's word and says so on every run)",
        f"set intake.bot_login: {actual} in crowdcare.yml (the workflow token writes as github-actions[bot], "
        "a GitHub App's token as <app-slug>[bot])",
    )


def _features(repository: dict[str, object]) -> list[Check]:
    checks = []
    permissions = repository.get("permissions")
    if isinstance(permissions, dict) and not (permissions.get("push") or permissions.get("triage")):
        checks.append(
            Check(
                "permissions",
                False,
                "the token can read the repository but not comment, label or push",
                "use the workflow token (the workflows grant each job what it needs) or give the token "
                "Issues, Discussions, Contents and Pull requests write access",
            )
        )
    else:
        checks.append(Check("permissions", True, "the token can see the repository"))
    for feature, what in (("has_issues", "Issues"), ("has_discussions", "Discussions")):
        if repository.get(feature):
            checks.append(Check(what, True, f"{what} are turned on"))
        else:
            checks.append(
                Check(
                    what,
                    False,
                    f"{what} are turned off: customers cannot ask there",
                    f"turn on {what} in the repository's Settings -> General -> Features",
                )
            )
    return checks


def _labels(config: Config, github: SetupPort, fix: bool) -> list[Check]:
    have = {name.lower() for name in github.label_names()}
    missing = {label: why for label, why in labels_used(config).items() if label.lower() not in have}
    if not missing:
        return [Check("labels", True, f"all {len(labels_used(config))} labels crowdcare.yml uses exist")]
    if fix:
        for label, why in sorted(missing.items()):
            github.create_label(label, LABEL_COLOR, f"crowdcare: {why}"[:100])
        return [Check("labels", True, f"created {len(missing)} missing label(s): {', '.join(sorted(missing))}")]
    return [
        Check(
            "labels",
            False,
            f"{len(missing)} label(s) crowdcare.yml uses are missing: {', '.join(sorted(missing))}",
            "run crowdcare doctor --fix to create them",
        )
    ]


def _categories(config: Config, github: SetupPort, discussions_on: bool) -> list[Check]:
    if not discussions_on:
        return []
    categories = {name.lower(): answerable for name, answerable in github.discussion_categories().items()}
    checks = []
    for rule, kind in ((config.intake.question, "questions"), (config.intake.idea, "ideas")):
        for name in rule.discussion_categories:
            if name.lower() not in categories:
                checks.append(
                    Check(
                        f"category {name}",
                        False,
                        f"no discussion category {name!r} for {kind}",
                        "create it in Discussions -> Categories (GitHub has no API for it)"
                        + (" with the Question / Answer format" if kind == "questions" else ""),
                    )
                )
            elif kind == "questions" and not categories[name.lower()]:
                checks.append(
                    Check(
                        f"category {name}",
                        False,
                        f"{name!r} does not take answers",
                        "edit the category and choose the Question / Answer format",
                    )
                )
            else:
                checks.append(Check(f"category {name}", True, f"{name!r} exists for {kind}"))
    return checks


def _staff(config: Config, github: SetupPort) -> list[Check]:
    checks = []
    for member in config.staff:
        found = github.user_id(member.login)
        name = f"staff {member.login}"
        if found is None:
            checks.append(
                Check(
                    name,
                    False,
                    f"GitHub has no account {member.login!r}",
                    "correct the login in crowdcare.yml's staff list",
                )
            )
        elif member.id is None:
            checks.append(
                Check(
                    name,
                    False,
                    f"{member.login} has no id in crowdcare.yml; GitHub says {found}",
                    f"add id: {found} (logins can be reused; ids cannot)",
                )
            )
        elif member.id != found:
            checks.append(
                Check(
                    name,
                    False,
                    f"crowdcare.yml says id {member.id}, GitHub says {member.login} is {found} "
                    "(a renamed or reused login?)",
                    "check who this is and correct the id or the login",
                )
            )
        else:
            checks.append(Check(name, True, f"{member.login} is {found}"))
    if not config.staff:
        checks.append(
            Check(
                "staff",
                False,
                "crowdcare.yml lists no staff: nobody is marked, no one takes questions",
                "add each staff member with login and numeric id under staff:",
            )
        )
    return checks


def _pages(config: Config, github: SetupPort) -> Check:
    try:
        site = github.pages()
    except ThreadGoneError:
        site = None
    if site is None:
        return Check(
            "pages",
            False,
            "GitHub Pages is not set up: publish.yml's deploy would fail",
            "Settings -> Pages -> Build and deployment -> Source: GitHub Actions",
        )
    if site.get("build_type") != "workflow":
        return Check(
            "pages",
            False,
            "GitHub Pages publishes from a branch, not from publish.yml",
            "Settings -> Pages -> Source: GitHub Actions",
        )
    return Check("pages", True, f"GitHub Pages publishes from Actions at {site.get('html_url') or config.site_url}")
