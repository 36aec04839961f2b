"""The domain model: frozen dataclasses and closed enums. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class SolutionStatus(StrEnum):
    DRAFT = "draft"
    COMMUNITY = "community"
    ACCEPTED = "accepted"
    OFFICIAL = "official"
    SUPERSEDED = "superseded"


class IdeaStatus(StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under-review"
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    SHIPPED = "shipped"
    DECLINED = "declined"
    DUPLICATE = "duplicate"

    @property
    def needs_decision(self) -> bool:
        """Declined, duplicate and shipped must say who decided, when and why."""
        return self in (IdeaStatus.DECLINED, IdeaStatus.DUPLICATE, IdeaStatus.SHIPPED)


class Role(StrEnum):
    """What a person did for a solution. Staff is not a role: it comes from the roster in crowdcare.yml."""

    ASKER = "asker"
    ANSWERER = "answerer"
    ACCEPTER = "accepter"
    EDITOR = "editor"
    FINDER = "finder"
    PROMOTER = "promoter"  # asked for the promotion (/promote, the promote label): not the one who accepted it


@dataclass(frozen=True)
class Finding:
    """One problem in one file, printed as ``path:line: CODE message (hint)``."""

    path: str
    line: int
    code: str
    message: str
    hint: str
    severity: str = "error"  # "warning": reported, but crowdcare validate still passes

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {self.code} {label}{self.message} ({self.hint})"


@dataclass(frozen=True)
class PersonRef:
    """A GitHub account as content refers to it. ``id`` is the numeric user id when known (logins get reused)."""

    login: str
    id: int | None = None

    def is_same_account(self, other: PersonRef) -> bool:
        """Matched by numeric id when both sides know it (logins are reused after deletion), else by login."""
        if self.id is not None and other.id is not None:
            return self.id == other.id
        return self.login.lower() == other.login.lower()


@dataclass(frozen=True)
class Contributor:
    person: PersonRef
    role: Role


@dataclass(frozen=True)
class Solution:
    path: str  # repository-relative, e.g. kb/sync/conflicted-copies.md
    topic: str
    slug: str
    title: str
    question: str
    status: SolutionStatus
    tags: tuple[str, ...]
    contributors: tuple[Contributor, ...]
    source: str
    also_asked: tuple[str, ...]
    created: dt.date
    updated: dt.date
    body: str
    verified_with: str | None = None
    related: tuple[str, ...] = ()  # "topic/slug" of other solutions
    superseded_by: str | None = None  # "topic/slug" of the solution this one was merged into
    asked_as: tuple[str, ...] = ()  # the titles of threads folded into its bucket: more ways to find it
    aliases: tuple[str, ...] = ()  # other words customers use for it ("2FA"): search and duplicates find it by them

    def first(self, role: Role) -> PersonRef | None:
        """The first contributor credited with ``role`` (the asker, the answerer), if any."""
        return next((c.person for c in self.contributors if c.role is role), None)

    @property
    def key(self) -> str:
        """How other content refers to this solution: ``topic/slug``."""
        return f"{self.topic}/{self.slug}"

    @property
    def times_asked(self) -> int:
        """The source thread plus every thread folded into its bucket (duplicates of the same URL count once)."""
        return len({self.source, *self.also_asked})


@dataclass(frozen=True)
class Votes:
    """An idea's count as `crowdcare tally` writes it: ``score`` is up minus down; ``verified`` is the score
    counting only accounts older than ``votes.verified_account_age_days`` (None until a tally has run)."""

    up: int = 0
    down: int = 0
    score: int = 0
    verified: int | None = None


Figures = tuple[int, int, int | None]  # an idea's up, down and verified votes at one tally


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the vote history: the ideas whose figures changed at this tally (slug -> figures)."""

    at: str
    votes: dict[str, Figures]


@dataclass(frozen=True)
class StatusChange:
    """One entry of an idea's status history: what, when, who (None when only a label says so) and why."""

    status: IdeaStatus
    on: dt.date
    by: str | None = None
    reason: str | None = None
    via: str = "file"  # command (a /status comment: its link) | label | rule | file


@dataclass(frozen=True)
class Decision:
    by: str
    on: dt.date
    reason: str


@dataclass(frozen=True)
class Idea:
    path: str  # repository-relative, e.g. ideas/dark-mode.md
    slug: str
    title: str
    status: IdeaStatus
    author: PersonRef
    source: str
    votes: Votes
    created: dt.date
    body: str
    decision: Decision | None = None
    duplicate_of: str | None = None  # slug of another idea
    shipped_in: str | None = None
    updated: dt.date | None = None
    tags: tuple[str, ...] = ()
    history: tuple[StatusChange, ...] = ()  # oldest first


class Channel(StrEnum):
    ISSUE = "issue"
    DISCUSSION = "discussion"


class ThreadKind(StrEnum):
    QUESTION = "question"
    IDEA = "idea"
    OTHER = "other"


class PersonKind(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"
    BOT = "bot"


@dataclass(frozen=True)
class ThreadRef:
    channel: Channel
    number: int

    def __str__(self) -> str:
        return f"{self.channel.value} #{self.number}"

    @classmethod
    def parse(cls, text: str) -> ThreadRef:
        """The inverse of ``str``: "discussion #12" back to a ThreadRef (ValueError for anything else)."""
        channel, number = text.split(" #")
        return cls(Channel(channel), int(number))


@dataclass(frozen=True)
class Reply:
    """A comment on a thread. ``id`` is GitHub's: a REST comment id for issues, a node id for discussions."""

    id: str
    author: PersonRef
    body: str
    created_at: str
    association: str = "NONE"
    author_is_bot: bool = False
    url: str | None = None  # the comment's own address (…#issuecomment-1 or …#discussioncomment-1)
    votes: int = 0  # discussion upvotes, or 👍 reactions on an issue comment


@dataclass(frozen=True)
class Thread:
    ref: ThreadRef
    title: str
    body: str
    author: PersonRef
    url: str
    created_at: str
    updated_at: str
    association: str = "NONE"  # GitHub's author_association: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE...
    author_is_bot: bool = False
    category: str | None = None  # discussions only
    answerable: bool | None = None  # discussions: whether the category takes answers (None: GitHub did not say)
    labels: tuple[str, ...] = ()
    state: str = "open"
    replies: tuple[Reply, ...] = ()
    node_id: str | None = None  # GitHub's global id: GraphQL mutations address discussions by it
    assignees: tuple[PersonRef, ...] = ()  # issues only: discussions have no assignees on GitHub
    answer: Reply | None = None  # the reply marked as the answer (discussions in an answerable category)
    closed_at: str | None = None
    answer_chosen_by: PersonRef | None = None  # who marked the answer (GitHub records it on discussions)
    answer_chosen_at: str | None = None
    reactions: tuple[Reaction, ...] = ()  # on the thread itself (read by `crowdcare tally`)
    upvotes: int = 0  # discussions: GitHub gives the count only, never who upvoted


@dataclass(frozen=True)
class Reaction:
    """One emoji reaction on a thread. ``voter`` is None for a deleted account; ``voter_since`` is when the
    account was made (for verified counts), when GitHub told us."""

    content: str  # REST names: +1, -1, laugh, confused, heart, hooray, rocket, eyes
    voter: PersonRef | None
    at: str
    voter_since: str | None = None
    voter_is_bot: bool = False


class ResponseStatus(StrEnum):
    """Where a question stands in the response guarantee."""

    NEW = "new"  # inside the community window, nobody has replied yet
    NEEDS_STAFF = "needs-staff"  # acknowledged and handed to staff
    ESCALATED = "escalated"  # the staff window passed without a staff or accepted answer
    ANSWERED = "answered"  # someone replied; nothing accepted yet
    WAITING = "waiting-for-author"
    ACCEPTED = "accepted"
    CLOSED = "closed"

    @property
    def is_waiting_on_us(self) -> bool:
        """The customer is waiting for the community or staff (what the triage view lists)."""
        return self in (ResponseStatus.NEW, ResponseStatus.NEEDS_STAFF, ResponseStatus.ESCALATED)


@dataclass(frozen=True)
class ResponseRecord:
    """One question as the response ledger (metrics/responses.json) keeps it: enough for metrics and triage."""

    thread: str  # "discussion #301"
    url: str
    title: str
    asked_at: str
    status: ResponseStatus
    holder: str | None = None
    first_response_at: str | None = None
    first_response_by: str | None = None  # community | staff
    answered_at: str | None = None  # when the reply that was accepted was posted
    answered_by: str | None = None  # community | staff
    closed_at: str | None = None
    bucket_size: int = 1  # open questions in its pending bucket, itself included
    first_responder: str | None = None  # the login of the first reply by anyone but the asker and bots
    claim: str | None = None  # the solution (topic/slug) the bot or a participant called it a duplicate of
    claim_outcome: str | None = None  # pending | agreed | objected | folded


@dataclass(frozen=True)
class SweepPoint:
    at: str
    open: int
    needs_staff: int
    escalated: int


@dataclass(frozen=True)
class ResponseLedger:
    """What each sweep of `crowdcare respond` writes into the repository, and the site's metrics read."""

    updated_at: str
    rotation_last: str | None = None  # the staff member the rotation assigned last
    records: tuple[ResponseRecord, ...] = ()
    sweeps: tuple[SweepPoint, ...] = ()


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str
    branch: str
    state: str = "open"  # open | closed
    merged: bool = False
    body: str = ""


@dataclass(frozen=True)
class ChangeProposal:
    """Files to change on a deterministic branch, and the pull request that asks maintainers to review them."""

    branch: str
    title: str
    body: str  # without crowdcare's marker: the proposer adds it
    files: dict[str, str]  # repository-relative path -> the file's full new text
    message: str  # the commit message


@dataclass(frozen=True)
class IndexEntry:
    id: str  # a solution's path (kb/<topic>/<slug>.md) or a thread's URL
    title: str
    body: str = ""
    kind: str = "thread"  # solution | thread


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    score: float  # TF-IDF cosine in [0, 1]: what the related and duplicate thresholds apply to
    bm25: float
    terms: tuple[str, ...]  # the shared stems that carry the score, largest part first
