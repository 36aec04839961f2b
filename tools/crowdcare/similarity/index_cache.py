"""The similarity index kept between runs: the knowledge base's solutions and the open questions, in a cache folder
(``.cache/crowdcare`` under the repository, or ``$CROWDCARE_CACHE_DIR``), brought up to date incrementally.

Two files matter: ``index/`` (whoosh, rewritten only for what changed: search_index.SearchIndex.sync) and
``open-threads.json`` (the catalog of open questions, dedup.Catalog, with the newest update time seen). A refresh
asks GitHub only for threads updated since that time. The cache is disposable: a missing or unreadable catalog
means one full listing, never an error; a damaged index is rebuilt from the knowledge base and the catalog.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from crowdcare.content.documents import write_atomically
from crowdcare.content.store import load_content
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Thread
from crowdcare.core.repository import Content
from crowdcare.similarity.dedup import (
    Catalog,
    OpenThread,
    kb_entries,
    refresh_catalog,
    semantic_enabled,
    thread_entries,
)

CATALOG_VERSION = 1


def cache_dir(root: Path) -> Path:
    # CROWDCARE_CACHE_DIR moves the cache (tests give each run its own; CI may keep it between jobs).
    configured = os.environ.get("CROWDCARE_CACHE_DIR")
    return Path(configured) if configured else root / ".cache" / "crowdcare"


def load_catalog(path: Path, warn: Callable[[str], None] = lambda message: None) -> Catalog:
    """The catalog saved at ``path``; an empty one (so the next refresh lists every thread) if there is none or it
    cannot be read."""
    if not path.exists():
        return Catalog({})
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != CATALOG_VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {CATALOG_VERSION}")
        threads = {url: OpenThread(**record) for url, record in data["threads"].items()}
        synced_at = data["synced_at"]
        if synced_at is not None and not isinstance(synced_at, str):
            raise ValueError("synced_at is not a time")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        warn(f"{path}: unreadable ({exc}); listing every open thread again")
        return Catalog({})
    return Catalog(threads, synced_at)


def save_catalog(path: Path, catalog: Catalog) -> None:
    """Write atomically: a crash leaves the old catalog or the new one, never half of one."""
    data = {
        "version": CATALOG_VERSION,
        "synced_at": catalog.synced_at,
        "threads": {url: asdict(t) for url, t in sorted(catalog.threads.items())},
    }
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=0))


def open_index(
    root: Path,
    updated_threads: Callable[[str | None], Iterable[Thread]] | None = None,
    report: Callable[[str], None] = lambda message: None,
) -> tuple[Any, Content, Catalog]:
    """(the index, the content, the catalog), up to date with kb/ and, given ``updated_threads`` (a GitHub port's
    ``threads_updated_since``), with the threads changed since the last refresh. Without it the open questions
    are those of the last refresh (an offline ``crowdcare similar`` reads what the last intake run saw)."""
    from crowdcare.similarity.search_index import SearchIndex

    content = load_content(root)
    if content.config is None:
        raise BadInputError("crowdcare.yml is not usable; run `crowdcare validate`")
    folder = cache_dir(root)
    catalog_path = folder / "open-threads.json"
    catalog = load_catalog(catalog_path, report)
    if updated_threads is not None:
        before = len(catalog.threads)
        catalog = refresh_catalog(catalog, updated_threads(catalog.synced_at), content.config)
        save_catalog(catalog_path, catalog)
        report(f"open questions: {len(catalog.threads)} in the index (was {before})")
    index: Any = SearchIndex(folder / "index")
    if index.damage:
        report(f"search index cache {folder / 'index'}: unusable ({index.damage}); rebuilding it")
    if semantic_enabled(content.config):
        from crowdcare.similarity.semantic import Embedder, HybridIndex, weight_of

        index = HybridIndex(index, Embedder(), weight_of(content.config.duplicates.semantic))
    written, removed = index.sync(kb_entries(content) + thread_entries(catalog))
    if written or removed:
        report(f"search index: {written} written, {removed} removed")
    return index, content, catalog
