"""crowdcare.yml: the community's governance as code, read strictly and turned into a ``Config``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crowdcare.content.frontmatter import Document, FileProblem, load_yaml, read_text
from crowdcare.content.rules import finding
from crowdcare.content.schema import check_document
from crowdcare.core.model import Finding, IdeaStatus
from crowdcare.core.settings import (
    Badge,
    BusinessHours,
    Config,
    DuplicatesConfig,
    Governance,
    IntakeConfig,
    IntakeRule,
    ProductConfig,
    PromotionConfig,
    RecognitionConfig,
    ResponseConfig,
    ResponseLabels,
    SemanticConfig,
    StaffMember,
    Topic,
    VoteConfig,
)
from crowdcare.core.text import find_bad_char

CONFIG_NAME = "crowdcare.yml"


def load_config(root: Path) -> tuple[Config | None, list[Finding]]:
    """Read ``root/crowdcare.yml``. Returns the config (None when unusable) and every finding about it."""
    path = root / CONFIG_NAME
    if not path.exists() and not path.is_symlink():
        return None, [finding("CC401", CONFIG_NAME, 1, f"no {CONFIG_NAME} in {root}")]
    try:
        text = read_text(path)
        bad = find_bad_char(text)
        if bad is not None:
            raise FileProblem("CC118", bad[0], f"column {bad[1]}: {bad[2]}")
        data, lines = load_yaml(text)
    except FileProblem as problem:
        return None, [finding(problem.code, CONFIG_NAME, problem.line, problem.message)]
    if not isinstance(data, dict):
        return None, [finding("CC111", CONFIG_NAME, 1, f"{CONFIG_NAME} must be a mapping of keys to values")]
    doc = Document(meta=data, body="", body_line=1, lines=lines)
    findings = check_document(doc, "config", CONFIG_NAME)
    if findings:
        return None, findings
    findings.extend(_check_unique(doc, "staff", "login", "CC402"))
    findings.extend(_check_unique(doc, "topics", "slug", "CC403"))
    findings.extend(_check_business_hours(doc))
    default_topic = data.get("promotion", {}).get("default_topic")
    if default_topic is not None and default_topic not in {t["slug"] for t in data["topics"]}:
        line = doc.line_of(("promotion", "default_topic"))
        findings.append(finding("CC405", CONFIG_NAME, line, f"{default_topic!r} is not under 'topics:'"))
    declared = {t["slug"] for t in data["topics"]}
    for n, member in enumerate(data.get("staff", [])):
        for k, topic in enumerate(member.get("topics", [])):
            if topic not in declared:
                line = doc.line_of(("staff", n, "topics", k))
                who = member.get("login")
                findings.append(finding("CC406", CONFIG_NAME, line, f"@{who} owns {topic!r}, not under 'topics:'"))
    if findings:
        return None, findings
    return config_from_mapping(data), findings


def _check_business_hours(doc: Document) -> list[Finding]:
    hours = doc.meta.get("responses", {}).get("business_hours")
    if hours is None:
        return []
    where = ("responses", "business_hours")
    try:
        ZoneInfo(hours["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        line = doc.line_of((*where, "timezone"))
        return [finding("CC404", CONFIG_NAME, line, f"unknown time zone {hours['timezone']!r}")]
    if hours.get("start", "09:00") >= hours.get("end", "17:00"):
        line = doc.line_of((*where, "start"))
        return [finding("CC404", CONFIG_NAME, line, "business hours must start before they end")]
    return []


def _check_unique(doc: Document, section: str, key: str, code: str) -> list[Finding]:
    seen: set[str] = set()
    found = []
    for index, entry in enumerate(doc.meta.get(section, [])):
        value = str(entry[key]).lower()
        if value in seen:
            found.append(
                finding(code, CONFIG_NAME, doc.line_of((section, index, key)), f"{section}: {entry[key]!r} again")
            )
        seen.add(value)
    return found


def config_from_mapping(data: dict[str, Any]) -> Config:
    """A ``Config`` from a mapping that already passed the config schema."""
    community = data["community"]
    governance = data.get("governance", {})
    defaults = Governance()
    return Config(
        name=community["name"],
        repo=community["repo"],
        ask_url=community["ask_url"],
        site_url=community.get("site_url"),
        topics=tuple(
            Topic(t["slug"], t["title"], t.get("description", ""), t.get("escalate_to")) for t in data["topics"]
        ),
        staff=tuple(
            StaffMember(
                s["login"],
                s.get("id"),
                s.get("name"),
                s.get("title"),
                bool(s.get("away", False)),
                tuple(s.get("topics", ())),
            )
            for s in data.get("staff", [])
        ),
        governance=Governance(
            accept_answers=tuple(governance.get("accept_answers", defaults.accept_answers)),
            change_idea_status=tuple(governance.get("change_idea_status", defaults.change_idea_status)),
            promote=tuple(governance.get("promote", defaults.promote)),
        ),
        page_size=int(data.get("site", {}).get("page_size", 25)),
        triage_public=bool(data.get("site", {}).get("triage", True)),
        votes=_votes_from_mapping(data.get("votes", {})),
        responses=_responses_from_mapping(data.get("responses", {})),
        duplicates=_duplicates_from_mapping(data.get("duplicates", {})),
        intake=_intake_from_mapping(data.get("intake", {})),
        promotion=_promotion_from_mapping(data.get("promotion", {})),
        recognition=_recognition_from_mapping(data.get("recognition", {})),
        language=str(data.get("language", "en")),
        product=ProductConfig(
            current_version=data.get("product", {}).get("current_version"),
            stale_after_releases=int(data.get("product", {}).get("stale_after_releases", 3)),
        ),
    )


def _recognition_from_mapping(data: dict[str, Any]) -> RecognitionConfig:
    defaults = RecognitionConfig()
    points = {**dict(defaults.points), **{str(k): int(v) for k, v in data.get("points", {}).items()}}
    badges = defaults.badges
    if "badges" in data:
        badges = tuple(
            Badge(str(b["name"]), tuple((str(k), int(v)) for k, v in b["when"].items()), str(b.get("description", "")))
            for b in data["badges"]
        )
    return RecognitionConfig(
        staff=str(data.get("staff", defaults.staff)),
        window_days=int(data.get("window_days", defaults.window_days)),
        points=tuple(points.items()),
        badges=badges,
    )


def _votes_from_mapping(data: dict[str, Any]) -> VoteConfig:
    d = VoteConfig()
    burst = data.get("burst", {})
    acceptance = data.get("acceptance", {})
    labels = data.get("status_labels")
    return VoteConfig(
        reactions=tuple(data.get("reactions", d.reactions)),
        down_reactions=tuple(data.get("down_reactions", d.down_reactions)),
        count_upvotes=bool(data.get("count_upvotes", d.count_upvotes)),
        verified_account_age_days=int(data.get("verified_account_age_days", d.verified_account_age_days)),
        trending_half_life_days=float(data.get("trending_half_life_days", d.trending_half_life_days)),
        history=str(data.get("history", d.history)),
        hourly_history_days=int(data.get("hourly_history_days", d.hourly_history_days)),
        status_labels=tuple((k, IdeaStatus(v)) for k, v in labels.items()) if labels is not None else d.status_labels,
        freeze_label=str(data.get("freeze_label", d.freeze_label)),
        flag_label=str(data.get("flag_label", d.flag_label)),
        burst_window_hours=int(burst.get("window_hours", d.burst_window_hours)),
        burst_young_votes=int(burst.get("young_votes", d.burst_young_votes)),
        acceptance_votes=acceptance.get("verified_votes"),
        acceptance_window_days=int(acceptance.get("window_days", d.acceptance_window_days)),
        acceptance_status=IdeaStatus(acceptance.get("moves_to", d.acceptance_status.value)),
        budget_open_ideas=data.get("budget", {}).get("open_ideas"),
        weight_staff=int(data.get("weights", {}).get("staff", d.weight_staff)),
        weight_customer=int(data.get("weights", {}).get("customer", d.weight_customer)),
    )


def _duplicates_from_mapping(data: dict[str, Any]) -> DuplicatesConfig:
    d, semantic = DuplicatesConfig(), data.get("semantic", {})
    s = SemanticConfig()
    return DuplicatesConfig(
        related_threshold=float(data.get("related_threshold", d.related_threshold)),
        duplicate_threshold=float(data.get("duplicate_threshold", d.duplicate_threshold)),
        bucket_threshold=float(data.get("bucket_threshold", d.bucket_threshold)),
        close_after_days=int(data.get("close_after_days", d.close_after_days)),
        agree_words=tuple(str(w).casefold() for w in data.get("agree_words", ())),
        semantic=SemanticConfig(
            enabled=bool(semantic.get("enabled", s.enabled)),
            weight=float(semantic["weight"]) if "weight" in semantic else None,
            related_threshold=float(semantic.get("related_threshold", s.related_threshold)),
            duplicate_threshold=float(semantic.get("duplicate_threshold", s.duplicate_threshold)),
            bucket_threshold=float(semantic.get("bucket_threshold", s.bucket_threshold)),
        ),
    )


def _promotion_from_mapping(data: dict[str, Any]) -> PromotionConfig:
    defaults = PromotionConfig()
    return PromotionConfig(
        label=data.get("label", defaults.label),
        on_answer=bool(data.get("on_answer", defaults.on_answer)),
        answers_since=data.get("answers_since", defaults.answers_since),
        base_branch=data.get("base_branch", defaults.base_branch),
        branch_prefix=data.get("branch_prefix", defaults.branch_prefix),
        default_topic=data.get("default_topic", defaults.default_topic),
        max_answer_chars=int(data.get("max_answer_chars", defaults.max_answer_chars)),
        also_suggested_min_votes=int(data.get("also_suggested_min_votes", defaults.also_suggested_min_votes)),
    )


def _intake_from_mapping(data: dict[str, Any]) -> IntakeConfig:
    defaults = IntakeConfig()

    def rule(key: str, default: IntakeRule) -> IntakeRule:
        given = data.get(key, {})
        return IntakeRule(
            discussion_categories=tuple(given.get("discussion_categories", default.discussion_categories)),
            issue_labels=tuple(given.get("issue_labels", default.issue_labels)),
            labels=tuple(given.get("labels", default.labels)),
        )

    return IntakeConfig(
        bot_login=data.get("bot_login", defaults.bot_login),
        staff_associations=tuple(data.get("staff_associations", defaults.staff_associations)),
        question=rule("question", defaults.question),
        idea=rule("idea", defaults.idea),
        max_body_chars=int(data.get("max_body_chars", defaults.max_body_chars)),
    )


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _responses_from_mapping(data: dict[str, Any]) -> ResponseConfig:
    defaults = ResponseConfig()
    labels = data.get("labels", {})
    hours = data.get("business_hours")
    business = None
    if hours is not None:
        base = BusinessHours()
        business = BusinessHours(
            timezone=hours["timezone"],
            days=tuple(WEEKDAYS.index(d) + 1 for d in hours["days"]) if "days" in hours else base.days,
            start=hours.get("start", base.start),
            end=hours.get("end", base.end),
            holidays=tuple(hours.get("holidays", ())),
        )
    return ResponseConfig(
        community_window_hours=int(data.get("community_window_hours", defaults.community_window_hours)),
        staff_window_hours=int(data.get("staff_window_hours", defaults.staff_window_hours)),
        reminder_days=int(data.get("reminder_days", defaults.reminder_days)),
        waiting_days=int(data.get("waiting_days", defaults.waiting_days)),
        reopen_days=int(data.get("reopen_days", defaults.reopen_days)),
        max_actions_per_run=int(data.get("max_actions_per_run", defaults.max_actions_per_run)),
        keep_days=int(data.get("keep_days", defaults.keep_days)),
        escalate_to=data.get("escalate_to"),
        labels=ResponseLabels(**{k: str(v) for k, v in labels.items()}),
        business_hours=business,
    )
