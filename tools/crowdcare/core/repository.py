"""What a community repository holds, loaded (content/store.py is the only reader): crowdcare.yml, kb/, ideas/,
the response ledger and the vote history."""

from __future__ import annotations

from dataclasses import dataclass, field

from crowdcare.core.model import Finding, HistoryEntry, Idea, ResponseLedger, Solution
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
