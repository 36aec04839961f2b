"""Answer at once: the knowledge-base solutions a new thread most likely duplicates.

The reply lists up to three solutions or earlier open questions above the *related* threshold, and says "this
looks like X" only above the separate *duplicate* threshold (both in crowdcare.yml, both on the index's [0, 1]
cosine score). Precision first: a wrong match is worse than none. Only a solution can be claimed for a fold (a
thread has no answer to fold into): an earlier thread above the duplicate threshold is pointed to, never closed for.

Open questions reach the index through a catalog (``OpenThread`` records, kept in the cache by the CLI and brought
up to date from the threads updated since its last refresh, see ``refresh_catalog``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from crowdcare.content.ports import SimilarityIndex
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import claim_marker, idea_claim_marker
from crowdcare.core.model import Idea, IdeaStatus, IndexEntry, SearchHit, Solution, Thread, ThreadKind
from crowdcare.core.repository import Content, published
from crowdcare.core.settings import Config, DuplicatesConfig, SemanticConfig
from crowdcare.core.text import inline, one_line
from crowdcare.fold.consent import cite_rule, close_after_days
from crowdcare.intake.take_in import classify, normalize
from crowdcare.respond.guarantee import is_question
from crowdcare.tally.votes import canonical_idea

MAX_SUGGESTIONS = 3
NEAR = 0.05  # scores this close count as equal: the solution is offered before the open question


@dataclass(frozen=True)
class Suggestion:
    hit: SearchHit
    title: str
    url: str
    is_duplicate: bool
    key: str = ""  # the solution's topic/slug


def solution_entry(solution: Solution) -> IndexEntry:
    """What a new question is compared with: the solution's title, the customer's question, its tags and aliases. The
    answer is left out on purpose: its length dilutes the score of a question that matches exactly (a title
    match scored 0.28 with the answer in, 1.0 without). Readers search answers with the site's search."""
    body = "\n".join([solution.question, " ".join(solution.tags), " ".join(solution.aliases)])
    return IndexEntry(id=solution.path, title=solution.title, body=body, kind="solution")


def phrasing_entries(solution: Solution) -> list[IndexEntry]:
    """One entry per way the solution was asked (``asked_as``: the titles of threads folded into its bucket). Each
    is scored on its own, so a solution asked fifty ways still scores 1.0 for a question worded like one of them
    (folded into one document, every phrasing would dilute the others)."""
    return [
        IndexEntry(id=f"{solution.path}#asked-{n}", title=phrasing, body=" ".join(solution.tags), kind="asked")
        for n, phrasing in enumerate(solution.asked_as, start=1)
    ]


def solution_path(entry_id: str) -> str:
    """The solution an index entry stands for: its path, for the solution's own entry and its phrasings alike."""
    return entry_id.split("#", 1)[0]


def per_solution(
    hits: Iterable[SearchHit], by_path: Mapping[str, Solution]
) -> Iterator[tuple[SearchHit, Solution | None]]:
    """``hits`` in their order with each solution once: the first of its entries (its own or one of its asked_as
    wordings) stands for it. A hit that is no solution (an open question) comes with None."""
    seen: set[str] = set()
    for hit in hits:
        solution = by_path.get(solution_path(hit.id))
        if solution is not None:
            if solution.path in seen:
                continue
            seen.add(solution.path)
        yield hit, solution


def kb_entries(content: Content) -> list[IndexEntry]:
    """Every published solution and its phrasings, and every idea (a duplicate idea's title as a phrasing of the
    idea it was merged into, so a new idea worded like it finds the canonical one)."""
    solutions = [entry for s in published(content) for entry in (solution_entry(s), *phrasing_entries(s))]
    return solutions + idea_entries(content)


IDEA_BODY_CHARS = 500  # of an idea's text in the index: enough for its gist, not so much it dilutes the score


def idea_entries(content: Content) -> list[IndexEntry]:
    by_slug = {i.slug: i for i in content.ideas}
    entries = []
    for idea in content.ideas:
        canonical = canonical_idea(idea, by_slug)
        if canonical is idea:
            body = "\n".join([normalize(idea.body, IDEA_BODY_CHARS), " ".join(idea.tags)])
            entries.append(IndexEntry(id=idea.path, title=idea.title, body=body, kind="idea"))
        else:
            entries.append(IndexEntry(id=f"{canonical.path}#dup-{idea.slug}", title=idea.title, body="", kind="idea"))
    return entries


def status_words(status: IdeaStatus, tr: Messages = ENGLISH) -> str:
    """An idea's status in words, lower case: "under review", "shipped"."""
    return {
        IdeaStatus.OPEN: tr("open"),
        IdeaStatus.UNDER_REVIEW: tr("under review"),
        IdeaStatus.PLANNED: tr("planned"),
        IdeaStatus.IN_PROGRESS: tr("in progress"),
        IdeaStatus.SHIPPED: tr("shipped"),
        IdeaStatus.DECLINED: tr("declined"),
        IdeaStatus.DUPLICATE: tr("duplicate"),
    }[status]


def idea_status_words(idea: Idea, tr: Messages = ENGLISH) -> str:
    """Where an idea stands, in words: "open for votes", "shipped in 4.11", "declined: the reason"."""
    status = idea.status
    if status is IdeaStatus.SHIPPED and idea.shipped_in:
        return tr("shipped in {release}", release=one_line(idea.shipped_in)[:40])
    reason = one_line(idea.decision.reason)[:120] if idea.decision and status is IdeaStatus.DECLINED else ""
    if reason:
        return tr("declined: {reason}", reason=reason)
    return tr("open for votes") if status is IdeaStatus.OPEN else status_words(status, tr)


def idea_url(idea: Idea, config: Config) -> str:
    if config.site_url:
        return f"{config.site_url.rstrip('/')}/ideas/{idea.slug}/"
    return f"https://github.com/{config.repo}/blob/main/{idea.path}"


@dataclass(frozen=True)
class OpenThread:
    """An open question as the index and the intake reply know it (user text cleaned, redacted and capped)."""

    url: str
    ref: str  # "discussion #12"
    title: str
    body: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Catalog:
    """The open questions the index holds, and the newest update time seen when they were last listed (the next
    refresh asks only for threads updated since then; None: never listed)."""

    threads: Mapping[str, OpenThread]  # by URL
    synced_at: str | None = None


def open_question(thread: Thread, config: Config) -> OpenThread | None:
    """The catalog record for a thread that belongs in the index (an open customer question), else None."""
    if thread.state != "open" or not thread.url or not is_question(thread, config):
        return None
    return OpenThread(
        url=thread.url,
        ref=str(thread.ref),
        title=normalize(thread.title, 300),
        body=normalize(thread.body, 3000),
        created_at=thread.created_at,
        updated_at=thread.updated_at,
    )


def refresh_catalog(catalog: Catalog, updated: Iterable[Thread], config: Config) -> Catalog:
    """``catalog`` after the threads updated since its last refresh: open questions added or replaced, the ones
    closed (or no longer questions) dropped. ``synced_at`` becomes the newest update seen: a thread changed
    after the listing began has a later time than anything the listing returned, so nothing falls between."""
    threads = dict(catalog.threads)
    synced_at = catalog.synced_at
    for thread in updated:
        record = open_question(thread, config)
        if record is not None:
            threads[record.url] = record
        elif thread.url:
            threads.pop(thread.url, None)
        if synced_at is None or thread.updated_at > synced_at:
            synced_at = thread.updated_at
    return Catalog(threads, synced_at)


def thread_entries(catalog: Catalog) -> list[IndexEntry]:
    return [IndexEntry(id=t.url, title=t.title, body=t.body, kind="thread") for t in catalog.threads.values()]


def solution_url(solution: Solution, config: Config) -> str:
    if config.site_url:
        return f"{config.site_url.rstrip('/')}/kb/{solution.topic}/{solution.slug}/"
    return f"https://github.com/{config.repo}/blob/main/{solution.path}"


def semantic_enabled(config: Config) -> bool:
    return config.duplicates.semantic.enabled


# Defaults when crowdcare.yml names no threshold, chosen on the tuning halves of the bench files (`crowdcare bench
# dedup --half tune`): the top match was right about half the time from 0.3 and 0.35 leaves a margin; at 0.7 claims
# were right 95 (Banking77) and 97 (CLINC150) times in 100 with coverage over 0.5. bench/README.md reports them on
# the other halves.
# The defaults live with the typed section (core/model.py: DuplicatesConfig, SemanticConfig).
RELATED_THRESHOLD = DuplicatesConfig.related_threshold
DUPLICATE_THRESHOLD = DuplicatesConfig.duplicate_threshold
BUCKET_THRESHOLD = DuplicatesConfig.bucket_threshold
# With semantic matching on, the combined score runs higher: its own defaults (Banking77: claims right 96 times in
# 100 at 0.8), as crowdcare.yml ships them.
SEMANTIC_RELATED_THRESHOLD = SemanticConfig.related_threshold
SEMANTIC_DUPLICATE_THRESHOLD = SemanticConfig.duplicate_threshold
SEMANTIC_BUCKET_THRESHOLD = SemanticConfig.bucket_threshold  # cosine of sentence embeddings


def thresholds(config: Config) -> tuple[float, float]:
    """(related, duplicate): the semantic pair when semantic matching is on (its combined score runs higher)."""
    if semantic_enabled(config):
        return config.duplicates.semantic.related_threshold, config.duplicates.semantic.duplicate_threshold
    return _lexical_thresholds(config)


def _lexical_thresholds(config: Config) -> tuple[float, float]:
    return config.duplicates.related_threshold, config.duplicates.duplicate_threshold


def bucket_threshold(config: Config) -> float:
    """How much a question must resemble a pending bucket's members, together, to join it: the semantic extra's
    own threshold when semantic matching is on (it buckets on embeddings)."""
    if semantic_enabled(config):
        return config.duplicates.semantic.bucket_threshold
    return config.duplicates.bucket_threshold


def fold_threshold(config: Config) -> float:
    """The bar for writing open questions into a promoted solution's also_asked: the lexical duplicate threshold,
    as for a duplicate claim (bucketing is lexical). The triage page's looser bucket_threshold groups questions
    that are only about the same thing: on Banking77 pairs bucketed together share an intent 29 times in 100 at
    0.2, 80 at 0.7."""
    return _lexical_thresholds(config)[1]


def suggest(
    index: SimilarityIndex,
    title: str,
    body: str,
    content: Content,
    *,
    catalog: Catalog | None = None,
    asking: Thread | None = None,
    still_open: Callable[[OpenThread], bool] = lambda t: True,
) -> list[Suggestion]:
    """Up to three solutions or earlier open questions above the related threshold, best first; the first may say
    "this looks like". ``asking`` is the thread being answered: it is never its own match, and only threads asked
    before it count as earlier. ``still_open`` checks a thread match against GitHub before it is offered (the
    catalog may be behind)."""
    assert content.config is not None
    related, duplicate = thresholds(content.config)
    by_path = {s.path: s for s in content.solutions}
    threads = catalog.threads if catalog is not None else {}
    found: list[Suggestion] = []
    exclude = asking.url if asking is not None else None
    hits = [h for h in index.similar(title, body, limit=20, exclude=exclude) if h.score >= related and h.kind != "idea"]
    # At near-equal scores a solution (an answer) comes before an open question (which may have none yet).
    passing = sorted(hits, key=lambda h: (-(h.score + (NEAR if h.kind != "thread" else 0.0)), h.id))
    for hit, solution in per_solution(passing, by_path):
        is_duplicate = not found and hit.score >= duplicate
        if solution is not None:
            url = solution_url(solution, content.config)
            found.append(Suggestion(hit, solution.title, url, is_duplicate, solution.key))
        else:
            earlier = threads.get(hit.id)
            if earlier is None or (asking is not None and earlier.created_at >= asking.created_at):
                continue
            if not still_open(earlier):
                continue
            found.append(Suggestion(hit, earlier.title, earlier.url, is_duplicate))
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def _by_consent(tr: Messages) -> str:
    return tr("it is folded only with your yes, or silence past `duplicates.close_after_days`")


def _claim_rule(score: float, then: str, tr: Messages) -> str:
    """The rule a duplicate claim in the intake reply applies, with the score that made it one."""
    why = tr("the match scored {score}; {then}", score=f"{score:.2f}", then=then)
    return cite_rule(why, "duplicates.duplicate_threshold", tr) + "\n"


def render_suggestions(suggestions: list[Suggestion], close_after_days: int = 7, tr: Messages = ENGLISH) -> str:
    """The Markdown that goes between the suggestion markers of the intake reply. A duplicate claim asks for
    consent and carries the hidden claim marker `crowdcare fold` acts on (see fold/questions.py)."""
    if not suggestions:
        return ""
    lines = []
    first = suggestions[0]
    link = f"[{inline(first.title)}]({first.url})"
    if first.is_duplicate and not first.key:
        # An earlier open question: pointed to, never closed for (there is no answer to fold into yet).
        text = tr(
            "**This looks like the same question as {link}.** Following that thread may get you an answer sooner; "
            "this one stays open.",
            link=link,
        )
        rule = _claim_rule(first.hit.score, tr("an earlier open question is pointed to, never closed for"), tr)
        lines.append(f"{text}\n{rule}")
        rest = suggestions[1:]
    elif first.is_duplicate:
        text = tr(
            "**This looks like {link}.** If that answers it, reply *yes* or react 👍 to this comment: we'll file your "
            "question under that answer and close it. If it doesn't, reply or react 👎 and it stays open. With no "
            "reply in {days} days, we'll take it that it did.",
            link=link,
            days=close_after_days,
        )
        lines.append(f"{text}\n{_claim_rule(first.hit.score, _by_consent(tr), tr)}{claim_marker(first.key)}\n")
        rest = suggestions[1:]
    else:
        rest = suggestions
    answers = [s for s in rest if s.key]
    questions = [s for s in rest if not s.key]
    if answers:
        lines.append(tr("These answers from the knowledge base may help:") + "\n")
        lines.extend(f"- [{inline(s.title)}]({s.url})" for s in answers)
    if questions:
        lines.append(("\n" if answers else "") + tr("Others asked something similar:") + "\n")
        lines.extend(f"- [{inline(s.title)}]({s.url})" for s in questions)
    return "\n".join(lines) + "\n"


def thread_suggestions(
    index: SimilarityIndex,
    thread: Thread,
    content: Content,
    catalog: Catalog | None = None,
    still_open: Callable[[OpenThread], bool] = lambda t: True,
) -> str:
    assert content.config is not None
    if classify(thread, content.config) is ThreadKind.IDEA:
        return render_idea_suggestions(similar_ideas(index, thread, content), content.config)
    found = suggest(index, thread.title, thread.body, content, catalog=catalog, asking=thread, still_open=still_open)
    return render_suggestions(found, close_after_days(content.config), content.config.tr)


@dataclass(frozen=True)
class IdeaMatch:
    hit: SearchHit
    idea: Idea
    is_duplicate: bool


def similar_ideas(index: SimilarityIndex, thread: Thread, content: Content) -> list[IdeaMatch]:
    """Up to three existing ideas of any status a new idea resembles (above the related threshold), best first; a
    merged duplicate stands for the idea it was merged into, and the thread's own idea is never its match."""
    assert content.config is not None
    related, duplicate = thresholds(content.config)
    by_path = {i.path: i for i in content.ideas}
    own = next((i.path for i in content.ideas if i.source == thread.url), None)
    found: list[IdeaMatch] = []
    seen: set[str] = set()
    for hit in index.similar(thread.title, thread.body, limit=20):
        idea = by_path.get(solution_path(hit.id))
        if hit.kind != "idea" or hit.score < related or idea is None or idea.path in seen or idea.path == own:
            continue
        seen.add(idea.path)
        found.append(IdeaMatch(hit, idea, not found and hit.score >= duplicate))
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def render_idea_suggestions(matches: list[IdeaMatch], config: Config) -> str:
    """The ideas part of the reply to a new idea: "this looks like X: vote there" above the duplicate threshold,
    else the ideas it resembles, each with where it stands in words."""
    if not matches:
        return ""
    tr = config.tr

    def line(match: IdeaMatch) -> str:
        idea = match.idea
        votes = tr.ngettext("{count:,} vote", "{count:,} votes", idea.votes.score)
        status = inline(idea_status_words(idea, tr))
        return f"[{inline(idea.title)}]({idea_url(idea, config)}) ({status}; {votes})"

    lines = []
    rest = matches
    first = matches[0]
    if first.is_duplicate and first.idea.status is not IdeaStatus.DECLINED:
        text = tr(
            "**This looks like {idea}: vote there.** If it is the same idea, reply *yes* or react 👍 to this comment "
            "and we'll merge this one into it: the votes here will count there, each person once. If it is "
            "different, reply or react 👎 and it stays its own idea. With no reply in {days} days, we'll take it "
            "that it is the same.",
            idea=line(first),
            days=close_after_days(config),
        )
        rule = _claim_rule(first.hit.score, _by_consent(tr), tr)
        lines.append(f"{text}\n{rule}{idea_claim_marker(first.idea.slug)}\n")
        rest = matches[1:]
    elif first.is_duplicate:
        text = tr("**This looks like {idea}**, which was declined; the reason is on its page.", idea=line(first))
        lines.append(text + "\n")
        rest = matches[1:]
    if rest:
        lines.append(tr("Ideas like this one already on the board (vote on the one you mean):") + "\n")
        lines.extend(f"- {line(m)}" for m in rest)
    return "\n".join(lines) + "\n"
