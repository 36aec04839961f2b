"""The domain model: frozen dataclasses and closed enums. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from crowdcare.core.i18n import Messages, messages


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


@dataclass(frozen=True)
class SemanticConfig:
    """``duplicates.semantic``: embeddings combined with the lexical score (the semantic extra). Its scores run
    higher, so it has thresholds of its own."""

    enabled: bool = False
    weight: float | None = None  # the embedding cosine's share of the combined score (None: the extra's default)
    related_threshold: float = 0.5
    duplicate_threshold: float = 0.8  # Banking77: claims right 96 times in 100
    bucket_threshold: float = 0.6  # cosine of sentence embeddings


@dataclass(frozen=True)
class DuplicatesConfig:
    """``duplicates:`` in crowdcare.yml: when a reply lists related threads, claims a duplicate, buckets pending
    questions, and how long silence takes to count as consent. Defaults chosen on the tuning halves of the bench
    files (bench/README.md reports them on the other halves)."""

    related_threshold: float = 0.35
    duplicate_threshold: float = 0.7
    bucket_threshold: float = 0.2
    close_after_days: int = 7
    agree_words: tuple[str, ...] = ()  # empty: the words of the community's language (fold/questions.py)
    semantic: SemanticConfig = field(default_factory=SemanticConfig)


@dataclass(frozen=True)
class ProductConfig:
    """``product:``: the release customers run now; an answer verified with a release this many behind is due a
    check (a validation warning, a note on its page, a place on the triage page)."""

    current_version: str | None = None
    stale_after_releases: int = 3


@dataclass(frozen=True)
class StaffMember:
    login: str
    id: int | None = None
    name: str | None = None
    title: str | None = None
    away: bool = False
    topics: tuple[str, ...] = ()  # topics they own: a waiting thread on one goes to them before the rotation


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str = ""
    escalate_to: str | None = None  # instead of responses.escalate_to for threads on this topic


@dataclass(frozen=True)
class Governance:
    """Who may do what. Entries are logins, or the words ``staff`` and ``asker``."""

    accept_answers: tuple[str, ...] = ("asker", "staff")
    change_idea_status: tuple[str, ...] = ("staff",)
    promote: tuple[str, ...] = ("staff",)


@dataclass(frozen=True)
class PromotionConfig:
    """How accepted answers become solutions (crowdcare promote) and duplicates are merged (/merge)."""

    label: str = "promote"  # staff apply it to a thread to promote it
    on_answer: bool = True  # a marked answer in an answerable category promotes the thread
    answers_since: str | None = None  # ISO date: answers marked before it are left alone (adoption day)
    base_branch: str = "main"
    branch_prefix: str = "crowdcare/"
    default_topic: str | None = None  # when no label names a topic and no similar solution suggests one
    max_answer_chars: int = 12_000
    also_suggested_min_votes: int = 2  # other replies with at least this many votes go under "Also suggested"


DEFAULT_STATUS_LABELS = (
    ("under-review", IdeaStatus.UNDER_REVIEW),
    ("planned", IdeaStatus.PLANNED),
    ("in-progress", IdeaStatus.IN_PROGRESS),
    ("shipped", IdeaStatus.SHIPPED),
    ("declined", IdeaStatus.DECLINED),
    ("duplicate", IdeaStatus.DUPLICATE),
)


@dataclass(frozen=True)
class VoteConfig:
    """``votes:`` in crowdcare.yml: how `crowdcare tally` counts, ranks, decides and guards votes on ideas."""

    reactions: tuple[str, ...] = ("+1",)  # reactions that count as a vote for (REST names: +1, heart, ...)
    down_reactions: tuple[str, ...] = ("-1",)  # reactions that count as a vote against
    count_upvotes: bool = True  # discussion upvotes (anonymous in GitHub's API: see votes.count_votes)
    verified_account_age_days: int = 30
    trending_half_life_days: float = 7.0
    history: str = "metrics/votes.jsonl"
    hourly_history_days: int = 14  # older tallies are folded into one entry a day
    status_labels: tuple[tuple[str, IdeaStatus], ...] = DEFAULT_STATUS_LABELS  # label -> status
    freeze_label: str = "votes-frozen"  # maintainers apply it: the idea's count stops changing
    flag_label: str = "votes-flagged"  # the tally applies it when young accounts vote in a burst
    burst_window_hours: int = 24
    burst_young_votes: int = 10  # this many votes from young accounts within the window flag the idea
    acceptance_votes: int | None = None  # verified votes within the window that move an open idea on
    acceptance_window_days: int = 30
    acceptance_status: IdeaStatus = IdeaStatus.UNDER_REVIEW
    # At most this many ideas still open for votes (not shipped, declined or a duplicate) carry one person's vote at
    # once: their earliest; a later vote counts when one of those ideas closes. None: no budget.
    budget_open_ideas: int | None = None
    # What one verified vote counts for, by the voter's role (the ranking, trending and the acceptance rule count
    # verified votes): e.g. staff 0 so a team cannot vote its own ideas up. Up, down and score stay one per person.
    weight_staff: int = 1
    weight_customer: int = 1

    def weight(self, staff: bool) -> int:
        return self.weight_staff if staff else self.weight_customer

    @property
    def weighted(self) -> bool:
        return (self.weight_staff, self.weight_customer) != (1, 1)


# What earns recognition: each is an event with a person and a date, read from the record (people/recognition.py).
RECOGNITION_EVENTS = (
    "answer_accepted",  # the answerer of a solution whose answer someone accepted
    "answer_published",  # the answerer of any published solution
    "question_published",  # the asker of a published solution
    "edit_merged",  # an editor in front-matter, or a commit to kb/ or ideas/ by a GitHub account (git history)
    "duplicate_found",  # a finder in front-matter (/merge, /duplicate-of)
    "idea_proposed",  # the author of an idea
    "idea_shipped",  # the author of an idea that shipped
    "first_response",  # the first reply to a customer's question (the response ledger)
)


@dataclass(frozen=True)
class Badge:
    """Awarded once, dated, when every count in ``when`` is reached (event kind -> at least this many)."""

    name: str
    when: tuple[tuple[str, int], ...]
    description: str = ""


DEFAULT_POINTS = (
    ("answer_accepted", 15),
    ("answer_published", 10),
    ("question_published", 2),
    ("edit_merged", 5),
    ("duplicate_found", 5),
    ("idea_proposed", 1),
    ("idea_shipped", 20),
    ("first_response", 2),
)
DEFAULT_BADGES = (
    Badge("First accepted answer", (("answer_accepted", 1),), "An answer of theirs solved someone's question."),
    Badge("Ten accepted answers", (("answer_accepted", 10),), "Ten answers that solved someone's question."),
    Badge("First responder", (("first_response", 5),), "First to reply to five customers."),
    Badge("Duplicate hunter", (("duplicate_found", 5),), "Found five questions the knowledge base already answers."),
    Badge("Editor", (("edit_merged", 3),), "Three edits to solutions or ideas merged."),
    Badge("Idea shipped", (("idea_shipped", 1),), "Proposed an idea that shipped."),
)


@dataclass(frozen=True)
class RecognitionConfig:
    """crowdcare.yml ``recognition:``: points per event, badges as rules, and where staff stand."""

    staff: str = "apart"  # apart | exclude | include
    window_days: int = 365  # the rolling leaderboard
    points: tuple[tuple[str, int], ...] = DEFAULT_POINTS
    badges: tuple[Badge, ...] = DEFAULT_BADGES

    def points_for(self, kind: str) -> int:
        return dict(self.points).get(kind, 0)


@dataclass(frozen=True)
class Config:
    """crowdcare.yml, validated."""

    name: str
    repo: str
    ask_url: str
    topics: tuple[Topic, ...]
    staff: tuple[StaffMember, ...] = ()
    governance: Governance = field(default_factory=Governance)
    site_url: str | None = None
    page_size: int = 25
    triage_public: bool = True  # site.triage: publish the triage page
    votes: VoteConfig = field(default_factory=lambda: VoteConfig())
    # A placeholder that a later capability fills: kept as a validated mapping until then.
    responses: ResponseConfig = field(default_factory=lambda: ResponseConfig())
    duplicates: DuplicatesConfig = field(default_factory=DuplicatesConfig)
    intake: IntakeConfig = field(default_factory=lambda: IntakeConfig())
    promotion: PromotionConfig = field(default_factory=PromotionConfig)
    recognition: RecognitionConfig = field(default_factory=RecognitionConfig)
    product: ProductConfig = field(default_factory=lambda: ProductConfig())
    language: str = "en"  # every word the site and the bot write (crowdcare/core/i18n.py), and Material's language

    @property
    def tr(self) -> Messages:
        """The community's messages: ``config.tr("Thanks, {asker}.", asker=...)`` (crowdcare/core/i18n.py)."""
        return messages(self.language)

    def staff_member(self, person: PersonRef) -> StaffMember | None:
        """The roster entry for ``person``: matched by numeric id when both sides know it, else by login."""
        return next((m for m in self.staff if PersonRef(m.login, m.id).is_same_account(person)), None)

    def is_staff(self, person: PersonRef) -> bool:
        return self.staff_member(person) is not None

    def is_bot_login(self, login: str) -> bool:
        """A GitHub App or Actions account ("...[bot]") or this community's bot (intake.bot_login)."""
        return login.endswith("[bot]") or login.lower() == self.intake.bot_login.lower()

    def person_kind(self, person: PersonRef, association: str = "NONE", is_bot: bool = False) -> PersonKind:
        """Bot, staff (on the roster, or by GitHub association where configured) or customer."""
        if is_bot or self.is_bot_login(person.login):
            return PersonKind.BOT
        if self.is_staff(person) or association in self.intake.staff_associations:
            return PersonKind.STAFF
        return PersonKind.CUSTOMER

    def topic(self, slug: str) -> Topic | None:
        return next((t for t in self.topics if t.slug == slug), None)

    def may_change_idea_status(self, login: str) -> bool:
        return self.is_allowed(self.governance.change_idea_status, PersonRef(login))

    def is_allowed(
        self, entries: tuple[str, ...], person: PersonRef, *, asker: PersonRef | None = None, association: str = "NONE"
    ) -> bool:
        """Whether a governance list (logins, or the words ``staff`` and ``asker``) admits ``person``. Staff are
        the roster, plus GitHub associations counted as staff (``intake.staff_associations``) when known."""
        allowed = {entry.lower() for entry in entries}
        for entry in allowed - {"staff", "asker"}:
            # A login on the roster is that account, by id: a deleted account's reused login inherits nothing.
            member = next((m for m in self.staff if m.login.lower() == entry), None)
            if PersonRef(entry, member.id if member else None).is_same_account(person):
                return True
        if "staff" in allowed and (self.is_staff(person) or association in self.intake.staff_associations):
            return True
        return "asker" in allowed and asker is not None and asker.is_same_account(person)


@dataclass(frozen=True)
class Content:
    """Everything loaded from kb/, ideas/ and crowdcare.yml, plus what was wrong with it."""

    config: Config | None
    solutions: tuple[Solution, ...]
    ideas: tuple[Idea, ...]
    findings: tuple[Finding, ...]
    # file -> top-level key -> line, so checks across files can point at the right line
    key_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    # files that exist but were left out for their findings: references to them are not "dangling"
    rejected: tuple[str, ...] = ()
    ledger: ResponseLedger | None = None  # metrics/responses.json, written by `crowdcare respond`
    vote_history: tuple[HistoryEntry, ...] = ()  # votes.history, written by `crowdcare tally`

    def line_of(self, path: str, key: str) -> int:
        return self.key_lines.get(path, {}).get(key, 1)


# --- Threads: what arrives from any channel (an issue or a discussion), one model for both ---------------


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


@dataclass(frozen=True)
class IntakeRule:
    """How one kind of thread is recognised and which labels it gets."""

    discussion_categories: tuple[str, ...] = ()
    issue_labels: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntakeConfig:
    bot_login: str = "github-actions[bot]"
    staff_associations: tuple[str, ...] = ("OWNER", "MEMBER")
    question: IntakeRule = field(default_factory=lambda: IntakeRule(("Q&A",), ("question",), ("question",)))
    idea: IntakeRule = field(default_factory=lambda: IntakeRule(("Ideas",), ("idea",), ("idea",)))
    max_body_chars: int = 20_000


@dataclass(frozen=True)
class BusinessHours:
    """When staff work: the staff window counts only these hours. ``days`` are ISO weekdays (1 = Monday)."""

    timezone: str = "UTC"
    days: tuple[int, ...] = (1, 2, 3, 4, 5)
    start: str = "09:00"
    end: str = "17:00"
    holidays: tuple[str, ...] = ()  # ISO dates on which nobody is in


@dataclass(frozen=True)
class ResponseLabels:
    needs_staff: str = "needs-staff"
    escalated: str = "escalated"
    waiting: str = "waiting-for-author"  # staff apply it when they asked the author for information
    answered: str = "answered"  # issues have no "mark as answer": staff apply this label instead


@dataclass(frozen=True)
class ResponseConfig:
    """The response guarantee (crowdcare respond): windows, labels, who is told when it escalates."""

    community_window_hours: int = 24  # wall-clock: the community answers at any hour
    staff_window_hours: int = 48  # counted in business hours when they are configured
    reminder_days: int = 5
    waiting_days: int = 7
    reopen_days: int = 30  # how long after a kind close an author's reply still reopens the thread
    # Threads acted on in one sweep at most (the longest waiting first; the rest wait for the next hourly run): a
    # first sweep of a busy repository stays inside GitHub's limits on content creation (about 500 an hour).
    max_actions_per_run: int = 100
    keep_days: int = 365  # how long the ledger keeps a question's record
    escalate_to: str | None = None  # e.g. "@fernhill-sample/support-leads"
    labels: ResponseLabels = field(default_factory=ResponseLabels)
    business_hours: BusinessHours | None = None


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


# --- Reviewed changes: what crowdcare proposes through pull requests ----------------------------------------


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


# --- Similarity: what the search index holds and returns -------------------------------------------------


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
