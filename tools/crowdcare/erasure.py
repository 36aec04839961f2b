"""Erasure: a person forgotten across kb/, ideas/ and the response ledger, as privacy law requires.

`crowdcare forget LOGIN[:ID]` replaces every place that names the person with one pseudonym made for the occasion
(``former-member-`` and random hex: no hash of the login, which could be reversed by guessing), drops their
numeric id, and rewrites ``@login`` mentions in what is published. The files change in the working tree, are
checked with the rules of `crowdcare validate`, and go through a reviewed pull request like any other change.

What a pull request cannot reach is said, not hidden: earlier versions stay in git history until a maintainer
rewrites it, a staff member's roster entry in crowdcare.yml is removed by hand, and GitHub keeps the threads.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crowdcare.documents import change_meta
from crowdcare.ledger import LEDGER_PATH
from crowdcare.model import Content, Idea, PersonRef, Solution
from crowdcare.patch import patch_front_matter


def new_pseudonym() -> str:
    return f"former-member-{secrets.token_hex(4)}"


@dataclass
class Erasure:
    pseudonym: str
    login: str  # the login forgotten (its @mentions are rewritten too)
    files: dict[str, str] = field(default_factory=dict)  # path -> the file as it becomes
    mentions: int = 0  # places that named the person


def forget(content: Content, person: PersonRef, read: Callable[[str], str | None], pseudonym: str) -> Erasure:
    """Every file that names ``person``, with the pseudonym instead (``read`` gives a repository file's text)."""
    out = Erasure(pseudonym, person.login)
    for solution in content.solutions:
        text = read(solution.path)
        if text is not None:
            _keep(out, solution.path, text, _solution_changes(solution, person, out))
    for idea in content.ideas:
        text = read(idea.path)
        if text is not None:
            _keep(out, idea.path, text, _idea_changes(idea, person, out))
    ledger = read(LEDGER_PATH)
    if ledger is not None:
        forgotten = _ledger(ledger, person, out)
        if forgotten != ledger:
            out.files[LEDGER_PATH] = forgotten
    return out


def _is(person: PersonRef, login: str | None, number: int | None = None) -> bool:
    return login is not None and person.is_same_account(PersonRef(login, number))


def _keep(out: Erasure, path: str, text: str, changes: dict[str, Any]) -> None:
    patched = patch_front_matter(text, changes) if changes else text
    mention = re.compile(rf"(?<![\w@-])@{re.escape(out.login)}(?![\w-])", re.IGNORECASE)
    patched, count = mention.subn("@" + out.pseudonym, patched)
    out.mentions += count
    if patched != text:
        out.files[path] = patched


def _solution_changes(solution: Solution, person: PersonRef, out: Erasure) -> dict[str, Any]:
    if not any(person.is_same_account(c.person) for c in solution.contributors):
        return {}
    contributors: list[dict[str, Any]] = []
    for c in solution.contributors:
        if person.is_same_account(c.person):
            out.mentions += 1
            contributors.append({"login": out.pseudonym, "role": c.role.value})
        else:
            contributors.append(
                {"login": c.person.login, **({"id": c.person.id} if c.person.id else {}), "role": c.role.value}
            )
    return {"contributors": contributors}


def _idea_changes(idea: Idea, person: PersonRef, out: Erasure) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if person.is_same_account(idea.author):
        out.mentions += 1
        changes["author"] = {"login": out.pseudonym, "id": None}  # patched key by key: None drops the id
    if any(_is(person, c.by) for c in idea.history):
        history = []
        for c in idea.history:
            meta = change_meta(c)
            if _is(person, c.by):
                out.mentions += 1
                meta["by"] = out.pseudonym
            history.append(meta)
        changes["history"] = history
    if idea.decision is not None and _is(person, idea.decision.by):
        out.mentions += 1
        changes["decision"] = {"by": out.pseudonym}
    return changes


_LEDGER_PEOPLE = ("holder", "first_responder")


def _ledger(text: str, person: PersonRef, out: Erasure) -> str:
    data = json.loads(text)
    changed = False
    for record in data.get("records", []):
        for key in _LEDGER_PEOPLE:
            if isinstance(record.get(key), str) and _is(person, record[key]):
                record[key] = out.pseudonym
                out.mentions += 1
                changed = True
    if isinstance(data.get("rotation_last"), str) and _is(person, data["rotation_last"]):
        data["rotation_last"] = None
        changed = True
    return json.dumps(data, indent=1, ensure_ascii=True) + "\n" if changed else text  # as write_ledger writes it
