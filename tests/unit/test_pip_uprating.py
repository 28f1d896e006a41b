"""Annual uprating of a PIP award: weekly amounts by date, refusals, replay and re-run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from domain.claim import Award, Claim
from domain.errors import (
    AwardAlreadyUprated,
    AwardEnded,
    AwardNotEntitled,
    AwardNotStarted,
    DomainError,
    NoAward,
    UnknownRuleVersion,
    WrongBenefitForCommand,
)
from domain.rules import rerun
from domain.rules.pip_assessment import Rate
from domain.rules.pip_rates import PIP_WEEKLY_RATES, RatesOnDate, WeeklyAmounts
from domain.values import BenefitType, EventRef
from tests.unit.builders import (
    AWARD_ENDS,
    DECISION_MAKER,
    awaiting_decision,
    awarded,
    disallowed,
    event_names,
    not_awarded,
    reconsideration_requested,
    refused,
    replay,
    start_claim,
    state_of,
)

APRIL_2025 = date(2025, 4, 7)
APRIL_2026 = date(2026, 4, 6)


def amounts(daily_living: Rate, mobility: Rate, on: date) -> WeeklyAmounts:
    return PIP_WEEKLY_RATES.decide(
        RatesOnDate(daily_living=daily_living, mobility=mobility, on=on), on=on
    ).outcome


@pytest.mark.parametrize(
    ("on", "daily_living", "mobility", "expected"),
    [
        (APRIL_2025, Rate.STANDARD, Rate.NONE, (7390, 0)),
        (APRIL_2025, Rate.ENHANCED, Rate.STANDARD, (11040, 2920)),
        (APRIL_2025, Rate.NONE, Rate.ENHANCED, (0, 7705)),
        (date(2026, 4, 5), Rate.ENHANCED, Rate.ENHANCED, (11040, 7705)),
        (APRIL_2026, Rate.STANDARD, Rate.STANDARD, (7670, 3030)),
        (APRIL_2026, Rate.ENHANCED, Rate.ENHANCED, (11460, 8000)),
        (date(2030, 1, 1), Rate.ENHANCED, Rate.NONE, (11460, 0)),
    ],
)
def test_weekly_amounts_come_from_the_rates_in_force_on_the_date(
    on: date, daily_living: Rate, mobility: Rate, expected: tuple[int, int]
) -> None:
    outcome = amounts(daily_living, mobility, on)
    assert (outcome.daily_living_pence, outcome.mobility_pence) == expected
    assert outcome.total_pence == sum(expected)


def test_there_are_no_weekly_amounts_before_the_first_rate_table() -> None:
    with pytest.raises(UnknownRuleVersion):
        amounts(Rate.STANDARD, Rate.NONE, date(2025, 4, 6))


def test_each_rate_table_says_where_its_figures_come_from() -> None:
    for row in PIP_WEEKLY_RATES.versions:
        assert "Benefit and Pension Rates" in row.summary
        assert "data" in row.summary


def test_uprating_an_award_records_the_weekly_amounts_and_the_decision() -> None:
    claim = awarded()  # standard daily living, enhanced mobility
    claim.uprate_award(APRIL_2026)
    assert event_names(claim)[-1] == "AwardUprated"
    uprated = claim.pending_events[-1]
    assert isinstance(uprated, Claim.AwardUprated)
    assert uprated.effective_date == APRIL_2026
    assert uprated.weekly_amounts == WeeklyAmounts(
        daily_living_pence=7670, mobility_pence=8000, total_pence=15670
    )
    decision = uprated.decision
    assert (decision.rule_id, decision.rule_version) == ("pip.weekly_rates", 2)
    assert decision.inputs == {
        "daily_living": "standard",
        "mobility": "enhanced",
        "on": "2026-04-06",
    }
    assert decision.input_sources == {"award": EventRef(aggregate_id=claim.id, version=5)}
    assert decision.automated
    assert any("£76.70 a week" in reason for reason in decision.reasons)
    assert rerun(decision).reproduces
    assert claim.weekly_amounts == uprated.weekly_amounts
    assert claim.uprated_on == APRIL_2026


def test_an_uprated_claim_replays_to_the_same_state() -> None:
    claim = awarded()
    claim.uprate_award(APRIL_2025)
    claim.uprate_award(APRIL_2026)
    assert state_of(replay(claim.collect_events())) == state_of(claim)


def test_an_award_is_uprated_once_for_a_date() -> None:
    claim = awarded()
    claim.uprate_award(APRIL_2026)
    with refused(claim, AwardAlreadyUprated, "already uprated on 2026-04-06"):
        claim.uprate_award(APRIL_2026)
    with refused(claim, AwardAlreadyUprated):
        claim.uprate_award(APRIL_2025)  # an earlier year cannot be put back after a later one


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (start_claim, NoAward),
        (awaiting_decision, NoAward),
        (not_awarded, AwardNotEntitled),
        (disallowed, AwardNotEntitled),
    ],
)
def test_a_claim_without_an_award_in_payment_is_not_uprated(
    build: Callable[[], Claim], error: type[DomainError]
) -> None:
    claim = build()
    with refused(claim, error):
        claim.uprate_award(APRIL_2026)


def test_an_award_that_ended_before_the_date_is_not_uprated() -> None:
    claim = awarded()
    with refused(claim, AwardEnded, "ended on 2028-01-30"):
        claim.uprate_award(date(2028, 4, 10))
    assert date(2028, 1, 30) == AWARD_ENDS


def test_an_award_that_starts_after_the_date_is_not_uprated() -> None:
    claim = awarded()
    with refused(claim, AwardNotStarted):
        claim.uprate_award(date(2024, 4, 8))


def test_only_pip_awards_are_uprated() -> None:
    claim = start_claim(BenefitType.UC)
    claim.decide_entitlement(
        decided_on=date(2025, 2, 10),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2025, 2, 1),
    )
    with refused(claim, WrongBenefitForCommand):
        claim.uprate_award(APRIL_2026)


def test_a_revised_award_is_uprated_again_from_its_own_decision() -> None:
    claim = reconsideration_requested()
    claim.uprate_award(APRIL_2026)
    revised = Award(
        entitled=True,
        daily_living=Rate.ENHANCED,
        mobility=Rate.ENHANCED,
        starts_on=date(2025, 1, 31),
        ends_on=AWARD_ENDS,
    )
    claim.decide_reconsideration(
        notice_sent_on=date(2026, 5, 1),
        revised_award=revised,
        reason="new evidence",
        decision_maker=DECISION_MAKER,
    )
    assert claim.weekly_amounts is None  # the old amounts were for the old rates
    claim.uprate_award(APRIL_2026)
    uprated = claim.pending_events[-1]
    assert isinstance(uprated, Claim.AwardUprated)
    assert uprated.weekly_amounts.total_pence == 11460 + 8000
    assert uprated.decision.input_sources["award"].version == claim.version - 1


def test_an_unchanged_reconsideration_keeps_the_uprating() -> None:
    claim = reconsideration_requested()
    claim.uprate_award(APRIL_2026)
    claim.decide_reconsideration(
        notice_sent_on=date(2026, 5, 1),
        revised_award=None,
        reason="the evidence supports the decision",
        decision_maker=DECISION_MAKER,
    )
    with refused(claim, AwardAlreadyUprated):
        claim.uprate_award(APRIL_2026)
