"""Bad input is refused with a named error and nothing is appended to the log."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from adapters.bootstrap import Journeys
from domain.claim import ClaimStatus, DisputeStage
from domain.errors import (
    ClaimWithdrawn,
    CustomerDeceased,
    DateOfBirthInFuture,
    InvalidAssessmentPoints,
    InvalidAwardPeriod,
    InvalidClaimDate,
    InvalidNationalInsuranceNumber,
    ReconsiderationOutOfTime,
)
from domain.identity import customer_id_for
from domain.rules.pip_assessment import Rate
from domain.values import BenefitType, ClaimantRole, ClaimChannel
from services.clock import SimulatedClock
from services.errors import ClaimNotFound, CustomerAlreadyRegistered, DateInFuture
from tests.integration.helpers import (
    DECISION_MAKER,
    HEALTH_PROFESSIONAL,
    daily_living_points,
    log_position,
    mobility_points,
    nothing_appended,
    pip_award,
    pip_claim_awaiting_assessment,
    register,
    start_claim,
)


@pytest.mark.parametrize(
    "nino",
    [
        "AB12345C",  # five digits
        "AB123456E",  # the suffix is A-D
        "QQ123456C",  # Q is never a first letter
        "AO123456C",  # O is never a second letter
        "GB123456A",  # a prefix never allocated
        "",
    ],
)
def test_a_malformed_national_insurance_number_is_refused(journeys: Journeys, nino: str) -> None:
    register(journeys)  # a non-empty log, so "nothing appended" means something
    with (
        nothing_appended(journeys),
        pytest.raises(InvalidNationalInsuranceNumber, match="National Insurance number"),
    ):
        journeys.application.register_customer(
            nino=nino, name="Ada", date_of_birth=date(1985, 3, 14)
        )


def test_a_date_of_birth_after_today_is_refused(journeys: Journeys, clock: SimulatedClock) -> None:
    register(journeys)
    tomorrow = clock.today() + timedelta(days=1)
    with nothing_appended(journeys), pytest.raises(DateOfBirthInFuture, match="2026-01-06"):
        journeys.application.register_customer(nino="AB123456C", name="Ada", date_of_birth=tomorrow)
    # Born today is possible (a claim for a newborn's benefits).
    journeys.application.register_customer(
        nino="AB123456C", name="Ada", date_of_birth=clock.today()
    )


@pytest.mark.parametrize(
    ("daily_living", "mobility", "message"),
    [
        ({"preparing_food": 13}, {}, "scored 13; points must be between 0 and 12"),
        ({"taking_nutrition": -1}, {}, "scored -1; points must be between 0 and 12"),
        ({}, {"moving_around": 99}, "moving_around scored 99"),
        ({"juggling": 4}, {}, "unknown daily living activities: juggling"),
    ],
)
def test_assessment_points_outside_the_scale_are_refused(
    journeys: Journeys, daily_living: dict[str, int], mobility: dict[str, int], message: str
) -> None:
    claim_id = pip_claim_awaiting_assessment(journeys, register(journeys))
    with nothing_appended(journeys), pytest.raises(InvalidAssessmentPoints, match=message):
        journeys.application.record_assessment(
            claim_id,
            assessed_on=journeys.clock.today(),
            daily_living={**daily_living_points(8), **daily_living},
            mobility={**mobility_points(8), **mobility},
            assessor_id=HEALTH_PROFESSIONAL.identifier,
        )
    assert journeys.application.claim(claim_id).status is ClaimStatus.AWAITING_ASSESSMENT


def test_an_assessment_missing_an_activity_is_refused(journeys: Journeys) -> None:
    claim_id = pip_claim_awaiting_assessment(journeys, register(journeys))
    points = daily_living_points(8)
    del points["making_budgeting_decisions"]
    with (
        nothing_appended(journeys),
        pytest.raises(InvalidAssessmentPoints, match="making_budgeting_decisions"),
    ):
        journeys.application.record_assessment(
            claim_id,
            assessed_on=journeys.clock.today(),
            daily_living=points,
            mobility=mobility_points(0),
            assessor_id=HEALTH_PROFESSIONAL.identifier,
        )


def test_no_decision_can_be_made_on_a_withdrawn_claim(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    uc_claim = start_claim(journeys, customer_id, BenefitType.UC)
    pip_claim = pip_claim_awaiting_assessment(journeys, customer_id)
    app.record_assessment(
        pip_claim,
        assessed_on=clock.today(),
        daily_living=daily_living_points(12),
        mobility=mobility_points(12),
        assessor_id=HEALTH_PROFESSIONAL.identifier,
    )
    app.withdraw_claim(uc_claim, withdrawn_on=clock.today(), reason="moved abroad")
    app.withdraw_claim(pip_claim, withdrawn_on=clock.today(), reason="moved abroad")

    with nothing_appended(journeys), pytest.raises(ClaimWithdrawn):
        app.decide_entitlement(
            uc_claim,
            decided_on=clock.today(),
            entitled=True,
            reason="meets the conditions",
            decision_maker=DECISION_MAKER,
            starts_on=clock.today(),
        )
    with nothing_appended(journeys), pytest.raises(ClaimWithdrawn):
        app.decide_pip_award(
            pip_claim,
            decided_on=clock.today(),
            starts_on=clock.today(),
            ends_on=date(2028, 1, 4),
        )
    with nothing_appended(journeys), pytest.raises(ClaimWithdrawn):
        app.withdraw_claim(uc_claim, withdrawn_on=clock.today(), reason="twice")


def test_a_reconsideration_after_the_13_month_absolute_limit_is_refused_even_with_a_good_reason(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    on_the_last_day = start_claim(journeys, customer_id, BenefitType.UC)
    a_day_too_late = start_claim(journeys, customer_id, BenefitType.UC)
    for claim_id in (on_the_last_day, a_day_too_late):
        app.decide_entitlement(
            claim_id,
            decided_on=date(2026, 1, 5),
            entitled=False,
            reason="capital above the limit",
            decision_maker=DECISION_MAKER,
        )

    # Thirteen months from 5 January 2026 is 5 February 2027: still (late but) admissible.
    clock.set(clock.now().replace(year=2027, month=2, day=5))
    app.request_reconsideration(
        on_the_last_day,
        requested_on=clock.today(),
        grounds="the capital was a loan",
        good_reason_for_lateness="seriously ill for most of the year",
    )
    assert app.claim(on_the_last_day).dispute is DisputeStage.RECONSIDERATION_REQUESTED

    clock.advance(timedelta(days=1))
    with (
        nothing_appended(journeys),
        pytest.raises(ReconsiderationOutOfTime, match="absolute limit of 13 months"),
    ):
        app.request_reconsideration(
            a_day_too_late,
            requested_on=clock.today(),
            grounds="the capital was a loan",
            good_reason_for_lateness="seriously ill for most of the year",
        )
    # Late within the limit but with no good reason is refused too.
    with nothing_appended(journeys), pytest.raises(ReconsiderationOutOfTime, match="good reason"):
        app.request_reconsideration(
            a_day_too_late, requested_on=date(2026, 6, 1), grounds="the capital was a loan"
        )
    # An alleged official error can be reconsidered at any time.
    app.request_reconsideration(
        a_day_too_late,
        requested_on=clock.today(),
        grounds="the capital was counted twice",
        official_error_alleged=True,
    )
    assert app.claim(a_day_too_late).dispute is DisputeStage.RECONSIDERATION_REQUESTED


def test_dates_of_facts_after_today_are_refused_naming_the_field(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    claim_id = start_claim(journeys, customer_id, BenefitType.PIP)
    tomorrow = clock.today() + timedelta(days=1)

    with nothing_appended(journeys), pytest.raises(DateInFuture, match="claim_date 2026-01-06"):
        app.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.UC,
            channel=ClaimChannel.ONLINE,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=tomorrow,
        )
    with nothing_appended(journeys), pytest.raises(DateInFuture, match="effective_date 2026-01-06"):
        app.report_change(customer_id, "starts a job next week", effective_date=tomorrow)
    with nothing_appended(journeys), pytest.raises(DateInFuture, match="issued_on"):
        app.issue_questionnaire(claim_id, issued_on=tomorrow)
    with nothing_appended(journeys), pytest.raises(DateInFuture, match="withdrawn_on"):
        app.withdraw_claim(claim_id, withdrawn_on=tomorrow, reason="not yet")
    # Today itself is fine.
    app.issue_questionnaire(claim_id, issued_on=clock.today())


def test_registering_the_same_national_insurance_number_twice_is_refused(
    journeys: Journeys,
) -> None:
    app = journeys.application
    customer_id = app.register_customer(
        nino="AB123456C", name="Ada", date_of_birth=date(1985, 3, 14)
    ).id
    for spelling in ("AB123456C", "ab 12 34 56 c"):
        with (
            nothing_appended(journeys),
            pytest.raises(CustomerAlreadyRegistered, match="AB123456C is already registered"),
        ):
            app.register_customer(
                nino=spelling, name="Someone Else", date_of_birth=date(1990, 1, 1)
            )
    assert app.customer(customer_id).name == "Ada"
    assert customer_id == customer_id_for("ab123456c")


def test_an_unknown_claim_id_is_reported_as_claim_not_found(journeys: Journeys) -> None:
    app = journeys.application
    customer_id = register(journeys)
    for unknown in (uuid4(), customer_id):  # a customer's id is not a claim's id either
        with nothing_appended(journeys), pytest.raises(ClaimNotFound):
            app.claim(unknown)
        with nothing_appended(journeys), pytest.raises(ClaimNotFound):
            app.issue_questionnaire(unknown, issued_on=journeys.clock.today())
        with nothing_appended(journeys), pytest.raises(ClaimNotFound):
            app.revise_during_appeal(
                unknown,
                revised_on=journeys.clock.today(),
                award=pip_award(Rate.ENHANCED, Rate.ENHANCED, journeys.clock.today()),
            )


def test_no_claim_can_be_started_for_a_customer_whose_death_was_notified(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    app.notify_death(customer_id, date_of_death=date(2026, 1, 2), reference="TUO-123456")
    before = log_position(journeys)

    with nothing_appended(journeys), pytest.raises(CustomerDeceased, match="2026-01-02"):
        start_claim(journeys, customer_id, BenefitType.PIP)
    with nothing_appended(journeys), pytest.raises(CustomerDeceased):
        app.report_change(customer_id, "new address", effective_date=clock.today())

    customer = app.customer(customer_id)
    assert customer.deceased
    assert customer.claims == {}
    assert log_position(journeys) == before


def test_a_pip_decision_dated_before_the_assessment_it_rests_on_is_refused(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    claim_id = pip_claim_awaiting_assessment(journeys, register(journeys))
    clock.advance(timedelta(days=20))
    app.record_assessment(
        claim_id,
        assessed_on=clock.today(),
        daily_living=daily_living_points(12),
        mobility=mobility_points(8),
        assessor_id=HEALTH_PROFESSIONAL.identifier,
    )
    # Dating the decision before the assessment would also pull the dispute deadlines earlier.
    with nothing_appended(journeys), pytest.raises(InvalidClaimDate, match="decision date"):
        app.decide_pip_award(
            claim_id,
            decided_on=clock.today() - timedelta(days=1),
            starts_on=date(2026, 1, 5),
            ends_on=date(2028, 1, 4),
        )
    app.decide_pip_award(
        claim_id, decided_on=clock.today(), starts_on=date(2026, 1, 5), ends_on=date(2028, 1, 4)
    )
    decided = app.claim(claim_id)
    assert decided.decision_notified_on == clock.today()


def test_an_award_that_ends_before_it_starts_is_refused(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    claim_id = start_claim(journeys, register(journeys), BenefitType.UC)
    with nothing_appended(journeys), pytest.raises(InvalidAwardPeriod, match="end before"):
        app.decide_entitlement(
            claim_id,
            decided_on=clock.today(),
            entitled=True,
            reason="meets the conditions",
            decision_maker=DECISION_MAKER,
            starts_on=date(2026, 1, 5),
            ends_on=date(2025, 1, 1),
        )
    # An award that ends on the day it starts is still a valid period.
    app.decide_entitlement(
        claim_id,
        decided_on=clock.today(),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 5),
    )
    assert app.claim(claim_id).status is ClaimStatus.AWARDED
