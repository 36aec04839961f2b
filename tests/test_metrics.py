"""Response metrics from the ledger: percentiles, who answered, the backlog day by day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crowdcare.core.model import ResponseLedger, ResponseRecord, ResponseStatus
from crowdcare.respond.metrics import compute_metrics, format_hours, nearest_rank
from tests.builders import Repo


def record(n: int, asked: str, status: ResponseStatus = ResponseStatus.ACCEPTED, **kw: object) -> ResponseRecord:
    return ResponseRecord(f"discussion #{n}", f"https://github.com/a/b/discussions/{n}", f"Q{n}", asked, status, **kw)  # type: ignore[arg-type]


def test_nearest_rank_percentiles_are_measured_values() -> None:
    assert nearest_rank([], 0.5) is None
    assert nearest_rank([5.0], 0.9) == 5.0
    assert nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert nearest_rank([4, 1, 3, 2], 0.5) == 2


def test_times_shares_and_waiting() -> None:
    ledger = ResponseLedger(
        updated_at="2026-11-10T12:00:00Z",
        records=(
            record(1, "2026-11-01T00:00:00Z", first_response_at="2026-11-01T01:00:00Z", first_response_by="community",
                   answered_at="2026-11-01T02:00:00Z", answered_by="community"),
            record(2, "2026-11-02T00:00:00Z", first_response_at="2026-11-02T10:00:00Z", first_response_by="staff",
                   answered_at="2026-11-02T10:00:00Z", answered_by="staff"),
            record(3, "2026-11-09T00:00:00Z", ResponseStatus.NEEDS_STAFF),
            record(4, "2026-11-08T00:00:00Z", ResponseStatus.NEW),
        ),
    )  # fmt: skip
    metrics = compute_metrics(ledger)
    assert (metrics.first_response.count, metrics.first_response.median_hours, metrics.first_response.p90_hours) == (
        2,
        1.0,
        10.0,
    )
    assert metrics.accepted_answer.median_hours == 2.0
    assert (metrics.answered_by_community, metrics.answered_by_staff) == (1, 1)
    assert [r.thread for r in metrics.waiting] == ["discussion #4", "discussion #3"]  # oldest first
    by_day = {p.day: (p.open, p.without_reply) for p in metrics.backlog}
    assert by_day[dt.date(2026, 11, 1)] == (0, 0)  # asked and answered the same day
    assert by_day[dt.date(2026, 11, 8)] == (1, 1)
    assert by_day[dt.date(2026, 11, 10)] == (2, 2)


def test_closed_questions_leave_the_backlog() -> None:
    ledger = ResponseLedger(
        updated_at="2026-11-05T00:00:00Z",
        records=(record(1, "2026-11-01T00:00:00Z", ResponseStatus.CLOSED, closed_at="2026-11-03T00:00:00Z"),),
    )
    by_day = {p.day.day: p.open for p in compute_metrics(ledger).backlog}
    assert by_day == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0}


def test_hours_read_like_people_write_them() -> None:
    assert [format_hours(h) for h in (None, 0.25, 1.5, 26, 50, 72)] == [
        "–",
        "15 min",
        "1 h 30 min",
        "26 h",
        "2 d 2 h",
        "3 d",
    ]


# --- crowdcare metrics: figures that count everyone still waiting -------------------------------------------


def test_a_question_still_waiting_counts_in_the_median() -> None:
    from crowdcare.respond.metrics import survival_quantile, timing

    # Three answered within 2 h, four still waiting after 216 h: dropping the waiting gave a median of 1 h.
    durations = [(1.0, True), (1.0, True), (2.0, True), (216.0, False), (216.0, False), (216.0, False), (216.0, False)]
    assert survival_quantile(durations, 0.5) is None  # more than half have not had a reply
    figures = timing(durations, 24)
    assert figures.median_hours is None and figures.at_least_hours == 216.0
    assert figures.within_target == round(3 / 7, 4) and figures.waiting_past_target == 4
    assert survival_quantile([(1.0, True), (3.0, True), (5.0, False), (7.0, True)], 0.5) == 3.0


def test_a_question_waiting_inside_its_target_is_neither_hit_nor_miss() -> None:
    from crowdcare.respond.metrics import timing

    figures = timing([(1.0, True), (30.0, True), (5.0, False)], 24)
    assert figures.within_target == 0.5 and figures.still_waiting == 1 and figures.waiting_past_target == 0


def test_the_metrics_command_prints_the_keys(sample_repo: Repo) -> None:
    import json as _json

    from click.testing import CliRunner

    from crowdcare.cli.main import cli

    records = [
        {"thread": "discussion #1", "url": "https://github.com/acme/community/discussions/1", "title": "a",
         "asked_at": "2026-11-01T00:00:00Z", "status": "accepted", "first_response_at": "2026-11-01T02:00:00Z",
         "first_response_by": "community", "answered_at": "2026-11-01T05:00:00Z", "answered_by": "community"},
        {"thread": "discussion #2", "url": "https://github.com/acme/community/discussions/2", "title": "b",
         "asked_at": "2026-11-02T00:00:00Z", "status": "escalated", "holder": "staffer"},
    ]  # fmt: skip
    sample_repo.write("metrics/responses.json", _json.dumps({"format": 1, "updated_at": "2026-11-10T00:00:00Z",
                                                             "records": records}))  # fmt: skip
    result = CliRunner().invoke(
        cli, ["--root", str(sample_repo.root), "metrics", "--json"], env={"CROWDCARE_NOW": "2026-11-10T00:00:00Z"}
    )
    assert result.exit_code == 0, result.output
    figures = _json.loads(result.stdout)
    assert {"questions", "waiting", "first_response", "accepted_answer", "community_share", "ideas", "staff"} <= set(
        figures
    )
    assert figures["questions"] == 2 and figures["waiting"] == 1 and figures["community_share"] == 1.0
    first = figures["first_response"]
    assert first["still_waiting"] == 1 and first["waiting_past_target"] == 1 and first["within_target"] == 0.5
    assert figures["staff"] == [{"login": "staffer", "open_held": 1, "oldest_hours": 192.0}]
    assert figures["ideas"]["count"] == 2 and figures["ideas"]["share_shipped"] == 0.5


def test_deflection_counts_folds_and_claims_in_the_window() -> None:
    from crowdcare.respond.metrics import window_figures

    records = [
        record(1, "2026-11-01T00:00:00Z", ResponseStatus.CLOSED, claim="a/b", claim_outcome="folded"),
        record(2, "2026-11-02T00:00:00Z", ResponseStatus.NEW, claim="a/b", claim_outcome="pending"),
        record(3, "2026-11-03T00:00:00Z", ResponseStatus.ANSWERED, claim="a/c", claim_outcome="objected"),
        record(4, "2026-11-04T00:00:00Z", ResponseStatus.NEW, claim="a/c", claim_outcome="agreed"),
        record(5, "2026-11-05T00:00:00Z", ResponseStatus.NEW),
        record(6, "2026-01-05T00:00:00Z", ResponseStatus.CLOSED, claim="a/b", claim_outcome="folded"),  # before
    ]
    ledger = ResponseLedger("2026-11-10T00:00:00Z", records=tuple(records))
    now = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    figures = window_figures(ledger, (), now, window_days=90, community_target_hours=24, staff_target_hours=16)
    assert figures["deflected"] == {
        "folded": 1, "share_of_questions": 0.2, "claims_made": 4, "claims_agreed": 2, "claims_objected": 1,
        "claims_pending": 1,
    }  # fmt: skip


def test_metrics_from_a_snapshot_need_no_ledger_and_write_nothing(tmp_path: Path) -> None:
    import json as _json
    import shutil

    from click.testing import CliRunner

    from crowdcare.cli.main import cli
    from tests.builders import copy_community
    from tests.conftest import COMMUNITY_SNAPSHOT

    root = copy_community(tmp_path / "repo")
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    (root / "metrics").mkdir(exist_ok=True)
    (root / "metrics" / "responses.json").write_text("{broken")  # not read with --snapshot
    before = sorted(p.name for p in (tmp_path / "snap").rglob("*"))
    result = CliRunner().invoke(
        cli, ["--root", str(root), "metrics", "--snapshot", str(tmp_path / "snap"), "--json"],
        env={"CROWDCARE_NOW": "2026-11-22T12:00:00Z"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = _json.loads(result.stdout)
    keys = {
        "questions",
        "waiting",
        "first_response",
        "accepted_answer",
        "community_share",
        "deflected",
        "ideas",
        "staff",
    }
    assert keys <= set(figures) and figures["questions"] > 0
    for name in ("first_response", "accepted_answer"):
        assert {"median_hours", "p90_hours", "within_target"} <= set(figures[name])
    assert {"folded", "claims_made", "claims_agreed", "claims_objected"} <= set(figures["deflected"])
    assert sorted(p.name for p in (tmp_path / "snap").rglob("*")) == before, "nothing written"
    missing = CliRunner().invoke(cli, ["--root", str(root), "metrics", "--snapshot", str(tmp_path / "nope")])
    assert missing.exit_code != 0 and "snapshot" in missing.output


def test_a_question_closed_without_a_reply_is_not_still_waiting() -> None:
    from crowdcare.respond.metrics import timing

    figures = timing([(1.0, True), (30.0, False), (40.0, False)], 24, closed=[False, True, False])
    assert (figures.still_waiting, figures.closed_without, figures.waiting_past_target) == (1, 1, 1)
    assert figures.within_target == round(1 / 3, 4), "both past the target without a reply are misses"
    assert figures.at_least_hours == 40.0
