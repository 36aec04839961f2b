"""Reaction pages kept between tally runs, so a rerun reads only the ideas whose votes changed.

An idea with more than 100 reactions costs one more GraphQL query per 100 (at 1,000 ideas and 50,000 reactions,
215 of a run's 256 points). The listing brings each idea's reaction count and its newest reaction; when both are
what the last run saw, nothing was added or removed since (a new reaction is the newest; a removal lowers the
count), and the reactions the last run read are used instead of reading them again.

The cache is a JSON file in the index cache folder (kept between workflow runs by actions/cache). It is a cache:
damaged, from another version or missing, it is simply empty (the run reads everything, as the first one did), and
it is written atomically with only the ideas seen in the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crowdcare.adapters.json_cache import read_cache, write_cache

VERSION = 1


def fingerprint(connection: dict[str, Any], newest: dict[str, Any]) -> str:
    """The idea's reaction count and its newest reaction (when, what, whose): equal fingerprints, equal votes."""
    nodes = newest.get("nodes") or []
    last = nodes[-1] if nodes else {}
    user = (last.get("user") or {}).get("databaseId")
    return f"{connection.get('totalCount')}|{last.get('createdAt')}|{last.get('content')}|{user}"


class ReactionCache:
    def __init__(self, entries: dict[str, Any] | None = None) -> None:
        self._entries: dict[str, Any] = entries or {}
        self._seen: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    @classmethod
    def load(cls, path: Path) -> ReactionCache:
        return cls(read_cache(path, VERSION, "ideas"))

    def lookup(self, node_id: str, key: str) -> list[Any] | None:
        """The reactions the last run read for this idea, when its fingerprint is the same; else None."""
        entry = self._entries.get(node_id)
        if isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("nodes"), list):
            self._seen[node_id] = entry
            self.hits += 1
            return list(entry["nodes"])
        self.misses += 1
        return None

    def store(self, node_id: str, key: str, nodes: list[Any]) -> None:
        self._seen[node_id] = {"key": key, "nodes": nodes}

    def save(self, path: Path) -> None:
        """Write what this run saw (ideas gone since are dropped)."""
        write_cache(path, VERSION, "ideas", self._seen)
