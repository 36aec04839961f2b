"""What a community repository holds, loaded (content/store.py is the only reader): crowdcare.yml, kb/, ideas/,
the response ledger and the vote history."""

from __future__ import annotations

from dataclasses import dataclass, field

from crowdcare.core.model import Finding, HistoryEntry, Idea, ResponseLedger, Solution, SolutionStatus
from crowdcare.core.settings import Config


@dataclass(frozen=True)
class Content:
    """Everything loaded from kb/, ideas/ and crowdcare.yml, plus what was wrong with it."""

    config: Config | None
    solutions: tuple[Solution, ...]
    ideas: tuple[Idea, ...]
    findings: tuple[Finding, ...]
    # file -> top-level key -> line, so checks across files can point at the right line
    key_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    # files that exist but were left out for their findings: references to them are not "dangling"
    rejected: tuple[str, ...] = ()
    ledger: ResponseLedger | None = None  # metrics/responses.json, written by `crowdcare respond`
    vote_history: tuple[HistoryEntry, ...] = ()  # votes.history, written by `crowdcare tally`

    def line_of(self, path: str, key: str) -> int:
        return self.key_lines.get(path, {}).get(key, 1)


# What readers find: drafts stay in the repository until answered; superseded ones keep their page (a tombstone).
_VISIBLE = (SolutionStatus.OFFICIAL, SolutionStatus.ACCEPTED, SolutionStatus.COMMUNITY, SolutionStatus.SUPERSEDED)


def published(content: Content) -> list[Solution]:
    """Solutions readers find in listings: drafts stay in the repository until they are answered, and merged
    ones are represented by their canonical solution (their page stays, as a tombstone)."""
    return [s for s in content.solutions if s.status in _VISIBLE and s.superseded_by is None]
