"""The bot's hidden markers, built and read in this one module.

Every comment and pull request body crowdcare writes carries an HTML comment naming what it is, so a rerun finds
what the last run wrote and finishes it instead of writing again. A marker is trusted only on the bot's own
comment (marker AND author: anyone can paste a marker); the callers check the author.

Grammar: ``<!-- crowdcare:STEP:RULE key=value ... -->`` for the steps' comments (respond, promote, idea), where a
value is an id, a login, a path or a version; and a few older fixed forms: the intake reply, its suggestions block,
duplicate claims and folds, a finder's claim, a refused ``/duplicate-of``, a pull request's digest and the
changed-after-approval notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crowdcare.core.model import Reply, Thread

_VALUE = r"[A-Za-z0-9_./:#=-]{1,300}"
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID = r"[A-Za-z0-9_=-]{1,100}"


def step_marker(step: str, rule: str, **data: object) -> str:
    """``<!-- crowdcare:STEP:RULE key=value -->``; data whose value is None is left out."""
    extra = "".join(f" {key}={value}" for key, value in data.items() if value is not None)
    return f"<!-- crowdcare:{step}:{rule}{extra} -->"


def step_pattern(step: str, rules: str = r"[a-z-]+") -> re.Pattern[str]:
    """What ``step_marker`` writes for ``step`` (and ``rules``, a regex): group 1 the rule, group 2 its data."""
    return re.compile(rf"<!-- crowdcare:{step}:({rules})((?: [a-z]+={_VALUE})*) -->")


def data_of(text: str) -> dict[str, str]:
    """The ``key=value`` pairs of a marker's data group."""
    return dict(pair.split("=", 1) for pair in text.split())


def same_account(a: str, b: str) -> bool:
    """REST shows the Actions bot as 'github-actions[bot]', GraphQL as 'github-actions'."""
    return a.lower().removesuffix("[bot]") == b.lower().removesuffix("[bot]")


@dataclass(frozen=True)
class BotComment:
    """One of the bot's own marked comments: the rule its marker names, the marker's data, the reply."""

    rule: str
    data: dict[str, str]
    reply: Reply


def bot_comments(thread: Thread, bot: str, pattern: re.Pattern[str]) -> list[BotComment]:
    """The bot's own comments on ``thread`` whose marker ``pattern`` matches (``step_pattern``'s groups: the rule
    and its ``key=value`` data), oldest first: marker AND author (anyone can paste a marker)."""
    found = []
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        match = pattern.search(reply.body)
        if match and same_account(reply.author.login, bot):
            found.append(BotComment(match.group(1), data_of(match.group(2)), reply))
    return found


# The intake reply (one per thread, edited in place) and the suggestions block inside it.
INTAKE = "<!-- crowdcare:intake -->"
SUGGESTIONS_START = "<!-- crowdcare:suggestions -->"
SUGGESTIONS_END = "<!-- /crowdcare:suggestions -->"

# Duplicate claims and folds (fold/): a question into a solution, a new idea into an idea.
CLAIM = re.compile(rf"<!-- crowdcare:claim solution=({SLUG}/{SLUG}) -->")
FOLDED = re.compile(rf"<!-- crowdcare:fold solution=({SLUG}/{SLUG}) -->")
IDEA_CLAIM = re.compile(rf"<!-- crowdcare:claim idea=({SLUG}) -->")
IDEA_FOLDED = re.compile(rf"<!-- crowdcare:fold idea=({SLUG}) -->")
# The bot's answer to a participant's /duplicate-of: a claim on the finder's behalf, or a refusal.
FINDER = re.compile(rf"<!-- crowdcare:finder login=([A-Za-z0-9-]{{1,39}}) id=(\d{{1,12}}|-) command=({ID}) -->")
REFUSED = re.compile(rf"<!-- crowdcare:duplicate-of-refused command=({ID}) -->")


def claim_marker(key: str) -> str:
    return f"<!-- crowdcare:claim solution={key} -->"


def fold_marker(key: str) -> str:
    return f"<!-- crowdcare:fold solution={key} -->"


def idea_claim_marker(slug: str) -> str:
    return f"<!-- crowdcare:claim idea={slug} -->"


def idea_fold_marker(slug: str) -> str:
    return f"<!-- crowdcare:fold idea={slug} -->"


def finder_marker(login: str, user_id: int | None, command_id: str) -> str:
    ident = user_id if user_id is not None else "-"
    return f"<!-- crowdcare:finder login={login} id={ident} command={command_id} -->"


def refused_marker(command_id: str) -> str:
    return f"<!-- crowdcare:duplicate-of-refused command={command_id} -->"


# A pull request crowdcare opened names the files it proposes by digest (promote/changes.py).
PULL_DIGEST = re.compile(r"<!-- crowdcare:pull digest=([0-9a-f]{16}) -->")


def pull_digest_marker(digest: str) -> str:
    return f"<!-- crowdcare:pull digest={digest} -->"


# The notice above a promotion's pull request body when the reply changed after approval.
NOTICE_START = "<!-- crowdcare:changed-after-approval -->"
NOTICE_END = "<!-- /crowdcare:changed-after-approval -->"
