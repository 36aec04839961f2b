"""Answer at once: the knowledge-base solutions a new thread most likely duplicates.

The reply lists up to three solutions above the *related* threshold, and says "this looks like X" only above
the separate *duplicate* threshold (both in crowdcare.yml, both on the index's [0, 1] cosine score).
Precision first: a wrong match is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from crowdcare.fold import claim_marker, close_after_days
from crowdcare.model import Config, Content, IndexEntry, SearchHit, Solution, Thread
from crowdcare.ports import SimilarityIndex
from crowdcare.site.markup import inline
from crowdcare.site.solutions import published

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    hit: SearchHit
    title: str
    url: str
    is_duplicate: bool
    key: str = ""  # the solution's topic/slug


def solution_entry(solution: Solution) -> IndexEntry:
    """What a new question is compared with: the solution's title, the customer's question and its tags. The
    answer is left out on purpose: its length dilutes the score of a question that matches exactly (a title
    match scored 0.28 with the answer in, 1.0 without). Readers search answers with the site's search."""
    body = "\n".join([solution.question, " ".join(solution.tags)])
    return IndexEntry(id=solution.path, title=solution.title, body=body, kind="solution")


def kb_entries(content: Content) -> list[IndexEntry]:
    return [solution_entry(s) for s in published(content)]


def solution_url(solution: Solution, config: Config) -> str:
    if config.site_url:
        return f"{config.site_url.rstrip('/')}/kb/{solution.topic}/{solution.slug}/"
    return f"https://github.com/{config.repo}/blob/main/{solution.path}"


def semantic_settings(config: Config) -> dict[str, object]:
    """``duplicates.semantic`` (the optional embedding similarity): empty when not configured."""
    found = config.duplicates.get("semantic")
    return dict(found) if isinstance(found, dict) else {}


def semantic_enabled(config: Config) -> bool:
    return semantic_settings(config).get("enabled") is True


def thresholds(config: Config) -> tuple[float, float]:
    """(related, duplicate): the semantic pair when semantic matching is on (its combined score runs higher)."""
    settings: dict[str, object] = semantic_settings(config) if semantic_enabled(config) else dict(config.duplicates)
    related = float(str(settings.get("related_threshold", 0.35)))
    duplicate = float(str(settings.get("duplicate_threshold", 0.7)))
    return related, duplicate


def suggest(index: SimilarityIndex, title: str, body: str, content: Content) -> list[Suggestion]:
    """Up to three solutions above the related threshold, best first; the first may be a duplicate claim."""
    assert content.config is not None
    related, duplicate = thresholds(content.config)
    by_path = {s.path: s for s in content.solutions}
    found: list[Suggestion] = []
    for hit in index.similar(title, body, limit=10):
        solution = by_path.get(hit.id)
        if solution is None or hit.score < related:
            continue
        is_duplicate = not found and hit.score >= duplicate
        url = solution_url(solution, content.config)
        found.append(Suggestion(hit, solution.title, url, is_duplicate, solution.key))
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def render_suggestions(suggestions: list[Suggestion], close_after_days: int = 7) -> str:
    """The Markdown that goes between the suggestion markers of the intake reply. A duplicate claim asks for
    consent and carries the hidden claim marker `crowdcare fold` acts on (see fold.py)."""
    if not suggestions:
        return ""
    lines = []
    first = suggestions[0]
    if first.is_duplicate:
        lines.append(
            f"**This looks like [{inline(first.title)}]({first.url}).** If that answers it, reply *yes* or react 👍 "
            "to this comment: we'll file your question under that answer and close it. If it doesn't, reply or "
            f"react 👎 and it stays open. With no reply in {close_after_days} days, we'll take it that it did.\n"
            f"{claim_marker(first.key)}\n"
        )
        rest = suggestions[1:]
    else:
        rest = suggestions
    if rest:
        lines.append("These answers from the knowledge base may help:\n")
        lines.extend(f"- [{inline(s.title)}]({s.url})" for s in rest)
    return "\n".join(lines) + "\n"


def thread_suggestions(index: SimilarityIndex, thread: Thread, content: Content) -> str:
    assert content.config is not None
    return render_suggestions(suggest(index, thread.title, thread.body, content), close_after_days(content.config))
