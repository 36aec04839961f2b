"""Who edited the knowledge base and the ideas, from git history: one ``Edit`` per commit and file under ``kb/``
or ``ideas/``, for the commits whose author (or a ``Co-authored-by:`` trailer) is a GitHub account.

A commit names a GitHub account only through GitHub's no-reply address (``12345+login@users.noreply.github.com``,
or ``login@users.noreply.github.com`` for older accounts), which GitHub uses for commits made on the web and
for contributors who keep their e-mail private. Other addresses are not guessed at: a commit by
``jo@example.com`` earns nothing here (front-matter ``editor`` still credits them). Merge commits are skipped
(the work is in the commits they bring in).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from crowdcare.core.model import PersonRef
from crowdcare.people.recognition import Edit

NOREPLY = re.compile(r"^(?:(\d{1,12})\+)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))@users\.noreply\.github\.com$", re.I)
_EMAIL = re.compile(r"<([^<>\s]+)>\s*$")
FOLDERS = ("kb", "ideas")
TIMEOUT_SECONDS = 120


def person_of(email: str) -> PersonRef | None:
    """The GitHub account a commit e-mail names, or None when it names none."""
    match = NOREPLY.match(email.strip())
    if match is None:
        return None
    return PersonRef(match.group(2), int(match.group(1)) if match.group(1) else None)


def edits(root: Path) -> list[Edit]:
    """Every (commit, file) edit under kb/ and ideas/ by a GitHub account, oldest first; [] outside a git
    repository or when git is missing (a site built from an export still builds, without git's credits)."""
    record, unit = "\x1e", "\x1f"
    fmt = f"{record}%H{unit}%aI{unit}%ae{unit}%(trailers:key=Co-authored-by,valueonly,separator=%x1d){unit}"
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "--no-merges", "--reverse", "--no-renames", f"--format={fmt}",
             "--name-only", "--", *FOLDERS],
            capture_output=True, check=False, timeout=TIMEOUT_SECONDS,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return []
    if result.returncode != 0:
        return []
    found = []
    for chunk in result.stdout.decode("utf-8", "replace").split(record)[1:]:
        commit, when, email, trailers, names = chunk.split(unit, 4)
        people = [person_of(email)]
        people += [person_of(m.group(1)) for t in trailers.split("\x1d") if (m := _EMAIL.search(t.strip()))]
        day = dt.datetime.fromisoformat(when).astimezone(dt.UTC).date()
        paths = [n for n in names.split("\n") if n.endswith(".md") and n.split("/", 1)[0] in FOLDERS]
        unique = {p.login.lower(): p for p in people if p is not None}
        found += [Edit(person, day, path, commit) for person in unique.values() for path in paths]
    return found
