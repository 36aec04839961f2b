"""crowdcare.yml, validated: ``Config`` and its sections (topics, staff, governance, votes, responses,
duplicates, intake, promotion, recognition, product). content/config.py reads the file into these."""

from __future__ import annotations

from dataclasses import dataclass, field

from crowdcare.core.i18n import Messages, messages
from crowdcare.core.model import IdeaStatus, PersonKind, PersonRef


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
