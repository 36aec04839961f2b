"""Taking a thread in: classify it, normalise what we keep, identify people, and reply once with a marked
comment and the configured labels. Idempotent: a rerun edits its own comment only when the text changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crowdcare.content.ports import GitHubPort
from crowdcare.core.errors import AmbiguousWriteError, ThreadGoneError, TransientError
from crowdcare.core.markers import INTAKE, SUGGESTIONS_END, SUGGESTIONS_START, same_account
from crowdcare.core.model import PersonKind, Reply, Thread, ThreadKind
from crowdcare.core.redact import redact as redact_personal_data
from crowdcare.core.settings import Config
from crowdcare.core.text import strip_bad_chars


def redact(text: str) -> str:
    """Replace e-mail addresses, phone numbers, bank accounts and card numbers: personal data we must not keep."""
    return redact_personal_data(text).text


def normalize(text: str, max_chars: int) -> str:
    """What we keep or publish of user text: no control or bidi characters, no personal data, capped."""
    clean = redact(strip_bad_chars(text)).strip()
    if len(clean) > max_chars:
        clean = clean[:max_chars].rstrip() + "\n\n… (cut; the full text is on the thread)"
    return clean


def classify(thread: Thread, config: Config) -> ThreadKind:
    """Question, idea or other, from the discussion category or the issue's labels (issue forms apply them)."""
    rules = config.intake
    labels = {label.lower() for label in thread.labels}
    for kind, rule in ((ThreadKind.QUESTION, rules.question), (ThreadKind.IDEA, rules.idea)):
        if thread.category is not None:
            if thread.category.lower() in {c.lower() for c in rule.discussion_categories}:
                return kind
        elif labels & {label.lower() for label in rule.issue_labels}:
            return kind
    return ThreadKind.OTHER


@dataclass(frozen=True)
class IntakeOutcome:
    ref: str
    kind: ThreadKind
    author_kind: PersonKind
    action: str  # posted | edited | unchanged | skipped | would-post | would-edit
    reason: str
    title: str
    excerpt: str = ""  # the body as we would keep it: cleaned, redacted, at most 500 characters
    labels_added: tuple[str, ...] = ()
    comment_id: str | None = None
    warnings: tuple[str, ...] = field(default=())


def compose_reply(thread: Thread, kind: ThreadKind, config: Config, suggestions: str = "") -> str:
    """The bot's comment. It names the author by login only: no user text is echoed back."""
    tr = config.tr
    who = f"@{thread.author.login}"
    if kind is ThreadKind.QUESTION:
        figures = {
            "asker": who,
            "hours": config.responses.community_window_hours,
            "team": config.name,
            "staff_hours": config.responses.staff_window_hours,
        }
        if config.responses.business_hours is not None:
            steps = tr(
                "**What happens next:** the community usually answers here first. If nobody has answered within "
                "{hours} hours, the {team} team steps in, and within {staff_hours} business hours a staff member is "
                "on it. When a reply solves your problem, please mark it as the answer so others find it too.",
                **figures,
            )
        else:
            steps = tr(
                "**What happens next:** the community usually answers here first. If nobody has answered within "
                "{hours} hours, the {team} team steps in, and within {staff_hours} hours a staff member is on it. "
                "When a reply solves your problem, please mark it as the answer so others find it too.",
                **figures,
            )
        opening = tr("Thanks for your question, {asker}.", asker=who) + "\n\n" + steps
    else:
        opening = (
            tr("Thanks for the idea, {author}.", author=who)
            + "\n\n"
            + tr(
                "**What happens next:** others vote with a 👍 reaction on this thread. Staff review ideas with the "
                "most votes and record every decision, with the reason, on the idea board."
            )
        )
    footer = tr("Automatic reply from crowdcare. It is updated, never repeated.")
    return f"{opening}\n\n{SUGGESTIONS_START}\n{suggestions}{SUGGESTIONS_END}\n\n<sub>{footer}</sub>\n{INTAKE}"


def _ours(reply: Reply, bot_login: str) -> bool:
    """A comment is the bot's own only if it carries the marker AND the bot wrote it (anyone can paste a marker)."""
    return INTAKE in reply.body and same_account(reply.author.login, bot_login)


def take_in(
    thread: Thread,
    config: Config,
    github: GitHubPort,
    *,
    dry_run: bool = False,
    suggest: Callable[[Thread], str] | None = None,
) -> IntakeOutcome:
    """Reconcile one thread with what intake wants on it. Safe to run any number of times, in any order."""
    kind = classify(thread, config)
    author_kind = config.person_kind(thread.author, thread.association, thread.author_is_bot)
    title = normalize(thread.title, 300)
    excerpt = normalize(thread.body, 500)

    def outcome(action: str, reason: str, **extra: object) -> IntakeOutcome:
        return IntakeOutcome(str(thread.ref), kind, author_kind, action, reason, title, excerpt, **extra)  # type: ignore[arg-type]

    if thread.state != "open":
        return outcome("skipped", "the thread is closed")
    if kind is ThreadKind.OTHER:
        return outcome("skipped", "neither a question nor an idea (see intake in crowdcare.yml)")
    if author_kind is not PersonKind.CUSTOMER:
        return outcome("skipped", f"posted by {author_kind.value}, not a customer")

    rule = config.intake.question if kind is ThreadKind.QUESTION else config.intake.idea
    have = {label.lower() for label in thread.labels}
    missing = tuple(label for label in rule.labels if label.lower() not in have)
    bot = github.viewer_login()
    body = compose_reply(thread, kind, config, suggest(thread) if suggest is not None else "")
    mine = [reply for reply in thread.replies if _ours(reply, bot)]
    warnings = (f"{len(mine)} bot comments found; keeping the first",) if len(mine) > 1 else ()

    if dry_run:
        action = "would-post" if not mine else ("unchanged" if mine[0].body == body else "would-edit")
        return outcome(action, "dry run", labels_added=missing, warnings=warnings)
    if missing:
        github.add_labels(thread.ref, missing)
    if mine:
        same = mine[0].body == body
        if not same:
            github.edit_comment(thread.ref, mine[0].id, body)
        action, why = (
            ("unchanged", "our comment is already there") if same else ("edited", "our comment was out of date")
        )
        return outcome(action, why, labels_added=missing, comment_id=mine[0].id, warnings=warnings)
    found, confirmed = _post(thread, body, github, bot)
    reason = "posted (confirmed by reading back after an ambiguous failure)" if confirmed else "new thread"
    return outcome("posted", reason, labels_added=missing, comment_id=found)


def _post(thread: Thread, body: str, github: GitHubPort, bot: str) -> tuple[str, bool]:
    """(the reply's id, whether it was only confirmed by reading back): a write that may have landed is read back
    before anything else, and never posted blindly again."""
    try:
        return github.post_comment(thread.ref, body).id, False
    except AmbiguousWriteError:
        current = github.get_thread(thread.ref)
        found = [r for r in (current.replies if current else ()) if _ours(r, bot)]
        if found:
            return found[0].id, True
        raise TransientError(
            f"{thread.ref}: posting the reply failed and it is not there; the next run posts it"
        ) from None


def take_in_all(
    threads: Iterable[Thread],
    config: Config,
    github: GitHubPort,
    *,
    dry_run: bool = False,
    on_progress: Callable[[IntakeOutcome], None] | None = None,
    suggest: Callable[[Thread], str] | None = None,
) -> list[IntakeOutcome]:
    """Take in many threads (a sweep). A deleted thread is skipped; a transient failure stops the sweep so
    the next run resumes where this one left off (nothing is posted twice either way)."""
    outcomes = []
    for thread in threads:
        try:
            result = take_in(thread, config, github, dry_run=dry_run, suggest=suggest)
        except ThreadGoneError:
            result = IntakeOutcome(
                str(thread.ref),
                classify(thread, config),
                config.person_kind(thread.author, thread.association, thread.author_is_bot),
                "skipped",
                "the thread was deleted meanwhile",
                normalize(thread.title, 300),
            )
        outcomes.append(result)
        if on_progress is not None:
            on_progress(result)
    return outcomes
