"""Users' Markdown rendered in other processes while MkDocs renders the pages around it.

Each block a user wrote (a solution's question and answer, an idea's text) is rendered on its own (markup.user_html:
Python-Markdown, nh3, images made links): at 10,000 solutions that was 33 s of a 150 s build, all of it on the one
core MkDocs uses. Inside ``deferring()`` the page generators put a placeholder element where each block goes; the
site plugin hands the blocks to worker processes (site/block_workers.py), which render them while MkDocs renders
the pages' own Markdown, and puts each block in place once MkDocs has rendered a page and the plugin has sanitized
it (each block was sanitized by its worker, and sanitizing it again changes nothing: a test checks it). The
placeholder is an empty element whose class carries a key drawn afresh for every build (a user may write a ``cc-``
class but cannot know the key), and only generated pages are filled. MkDocs no longer parses the blocks' HTML as
raw HTML inside the page's Markdown, and the page's sanitizer no longer reads it a second time.

``crowdcare pages --out`` and the render probe do not defer: their Markdown holds the rendered blocks.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Deferred:
    """The blocks a rendering left to be filled in: (text, element) by number, and the build's key."""

    key: str = field(default_factory=lambda: secrets.token_hex(8))
    blocks: list[tuple[str, str]] = field(default_factory=list)

    def placeholder(self, text: str, element: str) -> str:
        self.blocks.append((text, element))
        return f'<div class="cc-block-{self.key}-{len(self.blocks) - 1}"></div>'

    def pattern(self) -> re.Pattern[str]:
        """Finds this build's placeholders; group 1 is the block's number."""
        return re.compile(rf'<div class="cc-block-{re.escape(self.key)}-(\d+)"></div>')


_DEFERRING: ContextVar[Deferred | None] = ContextVar("crowdcare_deferred_blocks", default=None)


@contextmanager
def deferring() -> Iterator[Deferred]:
    """Inside: ``markup.user_html`` leaves a placeholder and records the block (see the module's docstring)."""
    deferred = Deferred()
    token = _DEFERRING.set(deferred)
    try:
        yield deferred
    finally:
        _DEFERRING.reset(token)


def current() -> Deferred | None:
    return _DEFERRING.get()
