"""Time limits for reconsideration and appeal, and when a revision makes an appeal lapse."""

from __future__ import annotations

from datetime import date

import pytest

from domain.rules import rerun
from domain.rules.disputes import (
    APPEAL_LAPSE,
    APPEAL_TIME_LIMIT,
    MANDATORY_RECONSIDERATION_TIME_LIMIT,
    AppealRequest,
    AppealTimeliness,
    ReconsiderationRequest,
    ReconsiderationTimeliness,
    RevisionFacts,
    Timeliness,
)
from domain.rules.pip_assessment import Rate

NOTIFIED = date(2025, 1, 31)  # MR due by 28 February 2025; absolute limit 28 February 2026


def mr(
    requested_on: date,
    *,
    notified_on: date = NOTIFIED,
    statement_of_reasons: bool = False,
    good_reason: str | None = None,
    official_error: bool = False,
) -> ReconsiderationTimeliness:
    return MANDATORY_RECONSIDERATION_TIME_LIMIT.decide(
        ReconsiderationRequest(
            decision_notified_on=notified_on,
            requested_on=requested_on,
            statement_of_reasons_requested=statement_of_reasons,
            good_reason_for_lateness=good_reason,
            official_error_alleged=official_error,
        ),
        on=requested_on,
    ).outcome


def appeal(
    lodged_on: date, *, sent_on: date = NOTIFIED, extended: bool = False
) -> AppealTimeliness:
    return APPEAL_TIME_LIMIT.decide(
        AppealRequest(
            reconsideration_notice_sent_on=sent_on, lodged_on=lodged_on, tribunal_extended=extended
        ),
        on=lodged_on,
    ).outcome


# -- mandatory reconsideration ----------------------------------------------------------------


def test_mr_for_a_decision_notified_on_31_january_is_due_on_28_february() -> None:
    outcome = mr(date(2025, 2, 10))
    assert outcome.deadline == date(2025, 2, 28)
    assert outcome.timeliness is Timeliness.IN_TIME


def test_mr_asked_for_on_the_last_allowed_day_is_in_time() -> None:
    assert mr(date(2025, 2, 28)).timeliness is Timeliness.IN_TIME


def test_mr_asked_for_on_the_day_of_notification_is_in_time() -> None:
    assert mr(NOTIFIED).timeliness is Timeliness.IN_TIME


def test_mr_asked_for_the_day_after_the_deadline_is_late_and_needs_a_good_reason() -> None:
    outcome = mr(date(2025, 3, 1))
    assert outcome.timeliness is Timeliness.LATE_NEEDS_GOOD_REASON
    assert not outcome.timeliness.admissible


def test_mr_deadline_in_a_leap_year_is_29_february() -> None:
    assert mr(date(2024, 2, 29), notified_on=date(2024, 1, 31)).timeliness is Timeliness.IN_TIME
    assert mr(date(2024, 3, 1), notified_on=date(2024, 1, 31)).timeliness is (
        Timeliness.LATE_NEEDS_GOOD_REASON
    )


def test_a_statement_of_reasons_adds_14_days_to_the_mr_deadline() -> None:
    outcome = mr(date(2025, 3, 14), statement_of_reasons=True)
    assert outcome.deadline == date(2025, 3, 14)
    assert outcome.timeliness is Timeliness.IN_TIME
    late = mr(date(2025, 3, 15), statement_of_reasons=True)
    assert late.timeliness is Timeliness.LATE_NEEDS_GOOD_REASON


def test_late_mr_with_a_good_reason_within_13_months_is_accepted() -> None:
    outcome = mr(date(2025, 9, 1), good_reason="in hospital for three months")
    assert outcome.timeliness is Timeliness.LATE_ACCEPTED
    assert outcome.timeliness.admissible


def test_late_mr_with_a_good_reason_on_the_last_day_of_13_months_is_accepted() -> None:
    outcome = mr(date(2026, 2, 28), good_reason="bereavement")
    assert outcome.absolute_limit == date(2026, 2, 28)
    assert outcome.timeliness is Timeliness.LATE_ACCEPTED


def test_mr_after_the_13_month_absolute_limit_is_refused_even_with_a_good_reason() -> None:
    outcome = mr(date(2026, 3, 1), good_reason="bereavement")
    assert outcome.timeliness is Timeliness.BEYOND_ABSOLUTE_LIMIT
    assert not outcome.timeliness.admissible


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_blank_good_reason_is_no_good_reason(blank: str) -> None:
    assert mr(date(2025, 6, 1), good_reason=blank).timeliness is (Timeliness.LATE_NEEDS_GOOD_REASON)


def test_mr_alleging_official_error_is_allowed_at_any_time() -> None:
    outcome = mr(date(2031, 7, 1), official_error=True)
    assert outcome.timeliness is Timeliness.OFFICIAL_ERROR_ANY_TIME
    assert outcome.timeliness.admissible


def test_the_mr_decision_records_its_rule_inputs_and_reasons_and_reproduces() -> None:
    requested = date(2025, 9, 1)
    record = MANDATORY_RECONSIDERATION_TIME_LIMIT.decide(
        ReconsiderationRequest(
            decision_notified_on=NOTIFIED,
            requested_on=requested,
            statement_of_reasons_requested=False,
            good_reason_for_lateness="in hospital",
            official_error_alleged=False,
        ),
        on=requested,
    ).record
    assert record.rule_id == "dispute.mr_time_limit"
    assert record.rule_version == 1
    assert record.inputs["decision_notified_on"] == "2025-01-31"
    assert record.inputs["good_reason_for_lateness"] == "in hospital"
    assert record.outcome["timeliness"] == "late_accepted"
    assert record.outcome["deadline"] == "2025-02-28"
    assert "by 2025-02-28" in record.reasons[0]
    assert "in hospital" in record.reasons[-1]
    assert rerun(record).reproduces


# -- appeal ----------------------------------------------------------------------------------


def test_appeal_is_due_one_month_from_the_mr_notice() -> None:
    outcome = appeal(date(2025, 2, 28))
    assert outcome.deadline == date(2025, 2, 28)
    assert outcome.timeliness is Timeliness.IN_TIME


def test_appeal_the_day_after_the_deadline_without_an_extension_is_not_admissible() -> None:
    outcome = appeal(date(2025, 3, 1))
    assert outcome.timeliness is Timeliness.LATE_NEEDS_GOOD_REASON
    assert not outcome.timeliness.admissible


def test_the_tribunal_may_extend_the_appeal_time_limit() -> None:
    outcome = appeal(date(2025, 3, 1), extended=True)
    assert outcome.timeliness is Timeliness.LATE_ACCEPTED
    assert outcome.timeliness.admissible


def test_the_tribunal_can_extend_by_up_to_12_months_after_the_deadline() -> None:
    outcome = appeal(date(2026, 2, 28), extended=True)
    assert outcome.furthest_extension == date(2026, 2, 28)
    assert outcome.timeliness is Timeliness.LATE_ACCEPTED


def test_an_appeal_beyond_the_furthest_extension_is_refused_even_if_extended() -> None:
    outcome = appeal(date(2026, 3, 1), extended=True)
    assert outcome.timeliness is Timeliness.BEYOND_ABSOLUTE_LIMIT
    assert not outcome.timeliness.admissible


def test_the_appeal_decision_reproduces() -> None:
    record = APPEAL_TIME_LIMIT.decide(
        AppealRequest(
            reconsideration_notice_sent_on=NOTIFIED,
            lodged_on=date(2025, 5, 1),
            tribunal_extended=True,
        ),
        on=date(2025, 5, 1),
    ).record
    assert record.rule_id == "dispute.appeal_time_limit"
    assert record.outcome["timeliness"] == "late_accepted"
    assert rerun(record).reproduces


# -- appeal lapse ----------------------------------------------------------------------------


def lapses(sought: tuple[Rate, Rate], revised: tuple[Rate, Rate], *, entitled: bool = True) -> bool:
    return APPEAL_LAPSE.decide(
        RevisionFacts(
            sought_daily_living=sought[0],
            sought_mobility=sought[1],
            revised_entitled=entitled,
            revised_daily_living=revised[0],
            revised_mobility=revised[1],
        ),
        on=date(2025, 6, 1),
    ).outcome.lapses


def test_a_fully_favourable_revision_makes_the_appeal_lapse() -> None:
    assert lapses((Rate.ENHANCED, Rate.ENHANCED), (Rate.ENHANCED, Rate.ENHANCED))


def test_a_revision_giving_more_than_was_asked_for_makes_the_appeal_lapse() -> None:
    assert lapses((Rate.STANDARD, Rate.NONE), (Rate.ENHANCED, Rate.STANDARD))


@pytest.mark.parametrize(
    "revised",
    [
        (Rate.STANDARD, Rate.ENHANCED),
        (Rate.ENHANCED, Rate.STANDARD),
        (Rate.NONE, Rate.NONE),
    ],
)
def test_a_partly_favourable_revision_lets_the_appeal_continue(revised: tuple[Rate, Rate]) -> None:
    assert not lapses((Rate.ENHANCED, Rate.ENHANCED), revised)


def test_an_appeal_for_entitlement_alone_lapses_when_the_revision_awards_it() -> None:
    assert lapses((Rate.NONE, Rate.NONE), (Rate.NONE, Rate.NONE), entitled=True)


def test_an_appeal_for_entitlement_alone_continues_when_the_revision_still_refuses() -> None:
    assert not lapses((Rate.NONE, Rate.NONE), (Rate.NONE, Rate.NONE), entitled=False)


def test_the_lapse_decision_explains_itself_and_reproduces() -> None:
    record = APPEAL_LAPSE.decide(
        RevisionFacts(
            sought_daily_living=Rate.ENHANCED,
            sought_mobility=Rate.ENHANCED,
            revised_entitled=True,
            revised_daily_living=Rate.STANDARD,
            revised_mobility=Rate.ENHANCED,
        ),
        on=date(2025, 6, 1),
    ).record
    assert record.rule_id == "dispute.appeal_lapse"
    assert record.outcome == {"lapses": False}
    assert "appeal continues" in record.reasons[-1]
    assert rerun(record).reproduces
