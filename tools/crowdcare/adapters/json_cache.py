"""The file behind crowdcare's caches kept between workflow runs (reactions, ETags): one JSON object with a
version and one section of entries. It is a cache: damaged, too large, a link, from another version or missing,
it reads as empty (the run reads everything, as a first run does); it is written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crowdcare.content.documents import write_atomically

MAX_BYTES = 256 * 1024 * 1024


def read_cache(path: Path, version: int, section: str) -> dict[str, Any]:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("version") != version or not isinstance(data.get(section), dict):
        return {}
    return dict(data[section])


def write_cache(path: Path, version: int, section: str, entries: dict[str, Any]) -> None:
    write_atomically(path, json.dumps({"version": version, section: entries}, separators=(",", ":")))
