"""Erasure: a person forgotten across kb/, ideas/ and the response ledger, as privacy law requires.

`crowdcare forget LOGIN[:ID]` replaces every place that names the person with one pseudonym made for the occasion
(``former-member-`` and random hex: no hash of the login, which could be reversed by guessing), drops their
numeric id, and rewrites ``@login`` mentions in what is published. The files change in the working tree, are
checked with the rules of `crowdcare validate`, and go through a reviewed pull request like any other change.

What a pull request cannot reach is said, not hidden: earlier versions stay in git history until a maintainer
rewrites it, a staff member's roster entry in crowdcare.yml is removed by hand, and GitHub keeps the threads.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from crowdcare.content.documents import change_meta, contributor_meta
from crowdcare.content.fields import patch_front_matter
from crowdcare.content.ledger import LEDGER_PATH, ledger_text
from crowdcare.core.model import Idea, PersonRef, ResponseLedger, Solution
from crowdcare.core.repository import Content


def new_pseudonym() -> str:
    return f"former-member-{secrets.token_hex(4)}"


@dataclass
class Erasure:
    pseudonym: str
    login: str  # the login forgotten (its @mentions are rewritten too)
    files: dict[str, str] = field(default_factory=dict)  # path -> the file as it becomes
    mentions: int = 0  # places that named the person


def forget(content: Content, person: PersonRef, read: Callable[[str], str | None], pseudonym: str) -> Erasure:
    """Every file that names ``person``, with the pseudonym instead (``read`` gives a kb/ or ideas/ file's text)."""
    out = Erasure(pseudonym, person.login)
    for solution in content.solutions:
        text = read(solution.path)
        if text is not None:
            _keep(out, solution.path, text, _solution_changes(solution, person, out))
    for idea in content.ideas:
        text = read(idea.path)
        if text is not None:
            _keep(out, idea.path, text, _idea_changes(idea, person, out))
    if content.ledger is not None:
        ledger = _ledger(content.ledger, person, out)
        if ledger != content.ledger:
            out.files[LEDGER_PATH] = ledger_text(ledger)
    return out


def _is(person: PersonRef, login: str | None) -> bool:
    return login is not None and person.is_same_account(PersonRef(login))


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
    contributors = []
    for c in solution.contributors:
        if person.is_same_account(c.person):
            out.mentions += 1
            c = replace(c, person=PersonRef(out.pseudonym))
        contributors.append(contributor_meta(c))
    return {"contributors": contributors}


def _idea_changes(idea: Idea, person: PersonRef, out: Erasure) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if person.is_same_account(idea.author):
        out.mentions += 1
        changes["author"] = {"login": out.pseudonym, "id": None}  # patched key by key: None drops the id
    if any(_is(person, c.by) for c in idea.history):
        history = []
        for c in idea.history:
            if _is(person, c.by):
                out.mentions += 1
                c = replace(c, by=out.pseudonym)
            history.append(change_meta(c))
        changes["history"] = history
    if idea.decision is not None and _is(person, idea.decision.by):
        out.mentions += 1
        changes["decision"] = {"by": out.pseudonym}
    return changes


def _ledger(ledger: ResponseLedger, person: PersonRef, out: Erasure) -> ResponseLedger:
    """The ledger with the person's holds and first responses given to the pseudonym (the rotation forgets them)."""
    records = []
    for record in ledger.records:
        holder, responder = _is(person, record.holder), _is(person, record.first_responder)
        out.mentions += holder + responder
        records.append(
            replace(
                record,
                holder=out.pseudonym if holder else record.holder,
                first_responder=out.pseudonym if responder else record.first_responder,
            )
        )
    rotation_last = None if _is(person, ledger.rotation_last) else ledger.rotation_last
    return replace(ledger, records=tuple(records), rotation_last=rotation_last)
