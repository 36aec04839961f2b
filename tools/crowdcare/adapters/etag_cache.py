"""REST pages kept between runs with their ETags, so an unchanged page costs nothing.

GitHub answers a GET that carries ``If-None-Match`` with the page's ETag by ``304 Not Modified``, and a 304 does
not count against the rate limit. `crowdcare respond` reads every open issue's comments every hour (at 2,000
open questions about 750 requests, most of a workflow token's 1,000 an hour); with the pages the last run read
and their ETags, only the threads that changed cost a request.

The cache is a JSON file in the index cache folder (kept between workflow runs by actions/cache). It is a cache:
damaged, from another version or missing, it is simply empty (every page is read, as the first run did); it is
written atomically with only the pages read in the run, and holds what the token could read anyway (public
repository content), never the token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crowdcare.adapters.json_cache import read_cache, write_cache

VERSION = 1


class EtagCache:
    def __init__(self, pages: dict[str, Any] | None = None) -> None:
        self._pages: dict[str, Any] = pages or {}
        self._seen: dict[str, Any] = {}
        self.not_modified = 0  # 304s: pages answered from the cache, free
        self.read = 0  # pages GitHub sent (new or changed)

    @classmethod
    def load(cls, path: Path) -> EtagCache:
        return cls(read_cache(path, VERSION, "pages"))

    def etag(self, url: str) -> str | None:
        """The ETag to send for ``url``: the one of the page the last run read, if it has one."""
        entry = self._pages.get(url)
        if isinstance(entry, dict) and isinstance(entry.get("etag"), str) and "data" in entry:
            return str(entry["etag"])
        return None

    def unchanged(self, url: str) -> tuple[dict[str, Any], Any]:
        """(headers, data) of the page as the last run read it: GitHub answered 304."""
        entry = self._pages[url]
        self._seen[url] = entry
        self.not_modified += 1
        return {"link": entry.get("link", "")}, entry["data"]

    def store(self, url: str, headers: dict[str, Any], data: Any) -> None:
        self.read += 1
        etag = headers.get("etag") or headers.get("ETag")
        if etag:
            self._seen[url] = {"etag": etag, "link": headers.get("link", ""), "data": data}

    def save(self, path: Path) -> None:
        """Write the pages this run read or reused (pages not asked for this time are dropped)."""
        write_cache(path, VERSION, "pages", self._seen)
