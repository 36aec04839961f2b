"""A solution drafted from a thread: what `crowdcare promote` proposes for kb/<topic>/<slug>.md.

Everything in a thread is hostile. The draft keeps the asker's question and the chosen reply as Markdown (the
site sanitizes what it renders), and on the way in: control and bidi characters go, HTML comments go (they
could carry a forged crowdcare marker), images become links (nothing is fetched from a reader's browser),
@mentions become links to the profile, personal data is redacted (crowdcare.core.redact), and long or
bracket-heavy text is cut with a link to the thread (Python-Markdown is quadratic on bracket runs).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from crowdcare.core.model import Contributor, PersonKind, PersonRef, Reply, Role, Solution, SolutionStatus, Thread
from crowdcare.core.redact import redact
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import close_open_fence, one_line, slug_from_title, strip_bad_chars
from crowdcare.similarity.dedup import thresholds

MAX_TITLE = 150
MAX_QUESTION = 3_000
MAX_BRACKETS = 400  # the store refuses more than 500 '[' in a body; links we add need some
MAX_ALSO_SUGGESTED = 3
MAX_ALSO_SUGGESTED_CHARS = 2_000
PATH_RE = re.compile(r"^kb/[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*\.md$")

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE_LINE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,200})\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)[^>]*>", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w/\[@`.-])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w/-]|\])")


@dataclass(frozen=True)
class Ingested:
    text: str
    redacted: Counter[str]
    cut_at: int | None  # characters kept, when the text was cut


def ingest(text: str, thread_url: str, limit: int) -> Ingested:
    """User Markdown made fit for kb/: see the module's docstring."""
    text = strip_bad_chars(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _COMMENT.sub("", text)
    text = _outside_code(text, _prose)
    redaction = redact(text)
    text = redaction.text.strip("\n")
    cut_at: int | None = None
    if len(text) > limit:
        end = text.rfind("\n\n", 0, limit)
        cut_at = end if end > limit // 2 else limit
    brackets = [m.start() for m in re.finditer(r"\[", text[: cut_at or len(text)])]
    if len(brackets) > MAX_BRACKETS:
        cut_at = brackets[MAX_BRACKETS]
    if cut_at is not None:
        text = (
            close_open_fence(text[:cut_at].rstrip())
            + f"\n\n*This was cut short: [read it all in the thread]({thread_url}).*"
        )
    return Ingested(close_open_fence(text), redaction.removed, cut_at)


def _prose(text: str) -> str:
    """Images to links, @mentions to profile links (outside code)."""
    text = _MD_IMAGE.sub(lambda m: f"[image: {_label(m.group(1))}]({_safe_url(m.group(2))})", text)
    text = _HTML_IMAGE.sub(lambda m: f"[image]({_safe_url(m.group(1))})", text)
    return _MENTION.sub(lambda m: f"[@{m.group(1)}](https://github.com/{m.group(1)})", text)


def _label(alt: str) -> str:
    return re.sub(r"[\[\]]", "", alt).strip() or "picture"


def _safe_url(url: str) -> str:
    """Only http(s) targets survive; anything else (javascript:, data:) becomes a harmless '#'."""
    return url if re.match(r"^https?://[^\s<>\"'`()]+$", url) else "#"


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the prose of ``text``: fenced blocks and code spans stay as they are."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if prose:
            joined = "".join(prose)
            pieces, last = [], 0
            for span in _CODE_SPAN.finditer(joined):
                pieces.append(change(joined[last : span.start()]))
                pieces.append(span.group())
                last = span.end()
            pieces.append(change(joined[last:]))
            out.append("".join(pieces))
            prose.clear()

    for line in text.splitlines(keepends=True):
        match = _FENCE_LINE.match(line)
        if fence is None and match:
            flush()
            fence = match.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        else:
            prose.append(line)
    flush()
    return "".join(out)


@dataclass(frozen=True)
class Draft:
    solution: Solution
    notes: tuple[str, ...]  # for the reviewer: how the topic was chosen, what was redacted or cut
    redacted: int


def title_of(thread: Thread, kind: str = "Question") -> str:
    """The thread's title made fit for a content file: no control or bidi characters, one line, capped; a title
    too short to name anything becomes "<kind> from <thread>"."""
    # Titles reach the page, its <title>, its URL, profiles and the search index: personal data never does.
    title = one_line(redact(thread.title).text)[:MAX_TITLE].strip()
    return title if len(title) >= 3 else f"{kind} from {thread.ref}"


def choose_topic(thread: Thread, config: Config, similar: list[tuple[Solution, float]]) -> tuple[str, str]:
    """(topic, why): a label naming a topic, else the most similar solution's topic, else the default."""
    slugs = {t.slug for t in config.topics}
    for label in thread.labels:
        slug = slug_from_title(label, fallback="")
        if slug in slugs:
            return slug, f"the thread's label '{slug}'"
    # Choosing a folder is low-stakes (the reviewer sees it) unlike claiming a duplicate: half the related
    # threshold is enough to follow the nearest solution's topic.
    threshold = thresholds(config)[0] / 2
    for solution, score in similar:
        if score >= threshold and solution.topic in slugs:
            return solution.topic, f"the most similar solution, {solution.key} (similarity {score:.2f})"
    fallback = config.promotion.default_topic or config.topics[0].slug
    return fallback, "promotion.default_topic (no label or similar solution named one)"


def choose_path(thread: Thread, title: str, topic: str, content: Content, known: str | None) -> str:
    """The file for the thread's solution. Once chosen it stays (a title edit does not move the file)."""
    if known is not None and PATH_RE.match(known):
        return known
    slug = slug_from_title(title, fallback=f"{thread.ref.channel.value}-{thread.ref.number}")
    taken = {s.path for s in content.solutions} | set(content.rejected)
    path = f"kb/{topic}/{slug}.md"
    if path in taken:
        path = f"kb/{topic}/{slug[:70].rstrip('-')}-{thread.ref.number}.md"
    return path


def draft_solution(
    thread: Thread,
    reply: Reply,
    accepter: PersonRef | None,
    config: Config,
    content: Content,
    *,
    similar: list[tuple[Solution, float]],
    also_asked: tuple[str, ...],
    today: dt.date,
    known_path: str | None = None,
    promoter: PersonRef | None = None,
) -> Draft:
    """The solution a thread and its chosen reply make. ``accepter`` decided (marked the answer, from GitHub's own
    record, or promoted it when nobody marked one); ``promoter`` asked for the promotion when that was someone
    else (a /promote, the promote label)."""

    title = title_of(thread)
    topic, topic_why = choose_topic(thread, config, similar)
    path = choose_path(thread, title, topic, content, known_path)
    question = ingest(thread.body or title, thread.url, MAX_QUESTION)
    answer = ingest(reply.body, reply.url or thread.url, config.promotion.max_answer_chars)
    others = _also_suggested(thread, reply, config)
    body, redacted = _with_suggestions(answer.text, others, thread.url)
    redacted += question.redacted + answer.redacted
    staff_decided = config.person_kind(reply.author, reply.association, reply.author_is_bot) is PersonKind.STAFF or (
        accepter is not None and config.is_staff(accepter)
    )
    excluded = _housekeeping_labels(config) | {t.slug for t in config.topics}
    tags = [slug_from_title(label, fallback="") for label in thread.labels]
    tags = list(dict.fromkeys(t for t in tags if t and t not in excluded))[:10]
    solution = Solution(
        path=path,
        topic=path.split("/")[1],
        slug=path.rsplit("/", 1)[1].removesuffix(".md"),
        title=title,
        question=question.text,
        status=SolutionStatus.OFFICIAL if staff_decided else SolutionStatus.ACCEPTED,
        tags=tuple(tags),
        contributors=_contributors(thread, reply, accepter, promoter, others, config),
        source=thread.url,
        also_asked=tuple(url for url in dict.fromkeys(also_asked) if url != thread.url)[:1000],
        created=dt.date.fromisoformat(thread.created_at[:10]),
        updated=today,
        body="\n" + body.strip("\n") + "\n",
    )
    notes = [f"Topic chosen from {topic_why}."]
    if redacted:
        notes.append(f"Personal data redacted: {', '.join(f'{n} × {what}' for what, n in sorted(redacted.items()))}.")
    if answer.cut_at is not None:
        notes.append(f"The answer was cut at {answer.cut_at:,} characters, with a link to the thread.")
    return Draft(solution, tuple(notes), sum(redacted.values()))


def _also_suggested(thread: Thread, reply: Reply, config: Config) -> list[Reply]:
    """Other replies with ``promotion.also_suggested_min_votes`` votes, most voted first (bots left out)."""
    others = [
        r
        for r in thread.replies
        if r.id != reply.id
        and r.votes >= config.promotion.also_suggested_min_votes
        and config.person_kind(r.author, r.association, r.author_is_bot) is not PersonKind.BOT
    ]
    return sorted(others, key=lambda r: (-r.votes, r.created_at))[:MAX_ALSO_SUGGESTED]


def _with_suggestions(answer: str, others: list[Reply], thread_url: str) -> tuple[str, Counter[str]]:
    """The answer with an "Also suggested" section quoting the other replies, and what was redacted from them."""
    body, redacted = answer, Counter[str]()
    if others:
        body += "\n\n## Also suggested\n"
        for other in others:
            suggestion = ingest(other.body, other.url or thread_url, MAX_ALSO_SUGGESTED_CHARS)
            redacted += suggestion.redacted
            quoted = "\n".join(f"> {line}" if line else ">" for line in suggestion.text.splitlines())
            who = f"[@{other.author.login}](https://github.com/{other.author.login})"
            body += f"\n{quoted}\n\n— {who}, {other.votes} vote{'s' if other.votes != 1 else ''}\n"
    return body, redacted


def _contributors(
    thread: Thread,
    reply: Reply,
    accepter: PersonRef | None,
    promoter: PersonRef | None,
    others: list[Reply],
    config: Config,
) -> tuple[Contributor, ...]:
    """Asker, answerer, accepter, promoter (when not the accepter) and the also-suggested answerers, each once per
    role; deleted accounts and bots earn nothing."""
    contributors: list[Contributor] = []

    def credit(person: PersonRef, role: Role) -> None:
        if person.login == "ghost" or config.person_kind(person) is PersonKind.BOT:
            return
        if not any(c.role is role and c.person.is_same_account(person) for c in contributors):
            contributors.append(Contributor(person, role))

    credit(thread.author, Role.ASKER)
    credit(reply.author, Role.ANSWERER)
    if accepter is not None:
        credit(accepter, Role.ACCEPTER)
    if promoter is not None and (accepter is None or not promoter.is_same_account(accepter)):
        credit(promoter, Role.PROMOTER)
    for other in others:
        credit(other.author, Role.ANSWERER)
    if not contributors:  # every account involved was deleted: the schema needs someone
        contributors.append(Contributor(PersonRef("ghost"), Role.ASKER))
    return tuple(contributors)


def _housekeeping_labels(config: Config) -> set[str]:
    labels = config.responses.labels
    names = {
        *config.intake.question.labels,
        *config.intake.question.issue_labels,
        *config.intake.idea.labels,
        *config.intake.idea.issue_labels,
        labels.needs_staff,
        labels.escalated,
        labels.waiting,
        labels.answered,
        config.promotion.label,
    }
    return {slug_from_title(name, fallback="") for name in names}


def pull_request_body(
    thread: Thread,
    reply: Reply,
    accepter: PersonRef | None,
    draft: Draft,
    similar: list[tuple[Solution, float]],
    probe: float,
    config: Config,
) -> str:
    """The pull request's description: provenance, what was decided and by whom, what the reviewer should check."""
    solution = draft.solution
    decided = f"@{accepter.login}" + (" (staff)" if config.is_staff(accepter) else "") if accepter else "unknown"
    rows = [
        f"Proposes `{solution.path}` from {thread.ref}: {thread.url}",
        "",
        "| | |",
        "| --- | --- |",
        f"| Answer | {reply.url or thread.url} by @{reply.author.login} ({_votes(reply.votes)}) |",
        f"| Accepted by | {decided} |",
        f"| Status | `{solution.status.value}` ({_STATUS_WHY[solution.status.value]}) |",
        f"| Topic | `{solution.topic}` |",
        f"| Also asked | {len(solution.also_asked)} other thread(s) in its bucket |",
        f"| Checks run in the job | `crowdcare validate` rules: no findings; render probe {probe * 1000:.0f} ms |",
        "",
        "**Please check**",
        "",
        "- [ ] the answer is right and still current; edit the file on this branch if it needs it",
        "- [ ] the title says the customer's problem in their words",
        "- [ ] no personal data is left (the draft removes e-mail addresses, phone, card and account numbers)",
        "- [ ] topic and tags",
        "",
        *(f"- {note}" for note in draft.notes),
    ]
    duplicate = config.duplicates.duplicate_threshold
    close = [(s, score) for s, score in similar if score >= duplicate]
    if close:
        best, score = close[0]
        rows += [
            "",
            f"> This may duplicate **{best.key}** (similarity {score:.2f}). If it does, close this pull request "
            f"and comment `/merge {best.key}` on the thread instead.",
        ]
    return "\n".join(rows)


_STATUS_WHY = {
    "official": "staff answered or accepted it",
    "accepted": "the asker or the community accepted it",
}


def _votes(count: int) -> str:
    return f"{count} vote" if count == 1 else f"{count} votes"
