"""The validator's rule table: one code per rule, a summary and a default fix.

CONTRIBUTING.md documents this table; a test checks the two agree and that every rule has a failing fixture.
"""

from __future__ import annotations

from dataclasses import dataclass

from crowdcare.core.model import Finding


@dataclass(frozen=True)
class Rule:
    code: str
    summary: str
    fix: str


_RULES = (
    # CC1xx: one file, its bytes and its front-matter
    Rule(
        "CC101",
        "file is not UTF-8 text",
        "save it as UTF-8 without NUL bytes; binary files do not belong in kb/ or ideas/",
    ),
    Rule("CC102", "file is empty", "add front-matter and a body, or delete the file"),
    Rule(
        "CC103",
        "file is a symbolic link",
        "replace the link with a regular file; links can leak files from outside the repo",
    ),
    Rule("CC104", "file is too large", "shorten it; link to the thread for long logs"),
    Rule("CC105", "file is not where content lives", "solutions go in kb/<topic>/<slug>.md, ideas in ideas/<slug>.md"),
    Rule("CC106", "file name is not a slug", "rename it to lowercase ASCII words joined by hyphens, ending in .md"),
    Rule(
        "CC107",
        "front-matter is missing or unterminated",
        "start the file with a line '---' and close the YAML with another '---'",
    ),
    Rule("CC108", "front-matter is not valid YAML", "fix the YAML syntax at the line shown"),
    Rule(
        "CC109",
        "YAML anchors, aliases and tags are not allowed",
        "write the value out in full, without '&', '*' or '!'",
    ),
    Rule("CC110", "key appears twice", "keep one of the two entries"),
    Rule("CC111", "front-matter is not a mapping", "write 'key: value' lines, not a list or a single value"),
    Rule("CC112", "unknown key", "remove it or fix its spelling; see the JSON Schema in tools/crowdcare/schemas/"),
    Rule("CC113", "required key is missing", "add the key; see the JSON Schema in tools/crowdcare/schemas/"),
    Rule("CC114", "value has the wrong type", 'quote text values, e.g. title: "no" or title: "12:30"'),
    Rule("CC115", "value is not one of the allowed words", "use one of the values listed"),
    Rule(
        "CC116",
        "value is badly formatted",
        "follow the format shown (dates YYYY-MM-DD, https URLs, GitHub logins, slugs)",
    ),
    Rule("CC117", "number is too large", "use a number below 10^15"),
    Rule("CC118", "control or bidirectional character", "delete the invisible character at the column shown"),
    Rule("CC119", "body is empty", "write the answer (solutions) or the proposal (ideas) below the front-matter"),
    Rule(
        "CC120",
        "body is too complex to render safely",
        "remove long runs of '[' or '(' (they make Markdown rendering slow)",
    ),
    Rule("CC121", "topic disagrees with the folder", "move the file to kb/<topic>/ or change 'topic'"),
    Rule(
        "CC122",
        "superseded_by is set but the status is not superseded",
        "set status: superseded, or remove superseded_by",
    ),
    # CC2xx: across files
    Rule(
        "CC201", "two solutions or two ideas have the same title", "merge them or make the titles say how they differ"
    ),
    Rule("CC202", "duplicate_of names no idea", "use the file name (without .md) of an existing idea"),
    Rule("CC203", "related names no solution", "use '<topic>/<slug>' of an existing solution"),
    Rule("CC204", "two files come from the same source thread", "merge them: one thread, one solution or idea"),
    Rule(
        "CC205",
        "topic is not declared in crowdcare.yml",
        "add it under 'topics:' in crowdcare.yml or use a declared one",
    ),
    Rule("CC206", "one numeric user id appears under two logins", "use the account's current login everywhere"),
    Rule(
        "CC207",
        "superseded_by names no current solution",
        "name an existing solution that is not itself superseded, as '<topic>/<slug>'",
    ),
    Rule(
        "CC208",
        "verified with a release too far behind product.current_version (a warning)",
        "check the answer with the current release and set verified_with to it",
    ),
    # CC3xx: ideas
    Rule("CC301", "decision is missing", "declined, duplicate and shipped ideas need decision: {by, on, reason}"),
    Rule("CC302", "duplicate_of does not match the status", "set duplicate_of exactly when status is 'duplicate'"),
    Rule(
        "CC303", "shipped_in does not match the status", "set shipped_in (the release) exactly when status is 'shipped'"
    ),
    Rule("CC304", "votes.score is not up minus down", "set score to up - down (the tally does this for you)"),
    Rule(
        "CC305",
        "decision made by someone governance does not allow",
        "see governance.change_idea_status in crowdcare.yml",
    ),
    # CC4xx: crowdcare.yml
    Rule("CC401", "crowdcare.yml is missing", "create crowdcare.yml at the repository root; see README"),
    Rule("CC402", "staff member listed twice", "keep one entry per person"),
    Rule("CC403", "topic declared twice", "keep one entry per topic slug"),
    Rule(
        "CC404",
        "business hours cannot be used",
        "name an IANA time zone such as Europe/London and make start earlier than end",
    ),
    Rule("CC405", "promotion.default_topic is not a declared topic", "use a slug listed under 'topics:'"),
    Rule("CC406", "a staff member owns a topic that is not declared", "use a slug listed under 'topics:'"),
    Rule(
        "CC501",
        "metrics/responses.json cannot be read",
        "it is written by `crowdcare respond`: restore it from git history or delete it and run the sweep again",
    ),
    Rule(
        "CC502",
        "the vote history (votes.history) cannot be read",
        "it is written by `crowdcare tally`: restore it from git history (each line is one tally)",
    ),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def finding(code: str, path: str, line: int, message: str, fix: str | None = None, severity: str = "error") -> Finding:
    """A finding for rule ``code``; ``fix`` overrides the rule's default advice when we know better."""
    rule = RULES[code]
    return Finding(path=path, line=max(line, 1), code=code, message=message, hint=fix or rule.fix, severity=severity)
