"""The render-time probe: a proposed page is rendered the way the site renders it (Python-Markdown with the
extensions in mkdocs.yml, then nh3) before anyone is asked to review it, and refused when it renders too
slowly. Pull requests opened with the workflow token get no CI run, so this is the check they get."""

from __future__ import annotations

import time

import markdown

from crowdcare.core.model import Solution
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.site.markup import EXTENSIONS
from crowdcare.site.sanitize import sanitize_html
from crowdcare.site.solutions import solution_page

LIMIT_SECONDS = 2.0


def render_seconds(markdown_text: str) -> tuple[float, str]:
    """(seconds, sanitized HTML) of rendering ``markdown_text`` as the site does."""
    start = time.perf_counter()
    html = sanitize_html(markdown.markdown(markdown_text, extensions=EXTENSIONS))
    return time.perf_counter() - start, html


def probe_solution(solution: Solution, config: Config, content: Content) -> float:
    """Seconds to render ``solution``'s page; the caller refuses above LIMIT_SECONDS."""
    keyed = {s.key: s for s in content.solutions}
    seconds, _ = render_seconds(solution_page(solution, config, keyed))
    return seconds
