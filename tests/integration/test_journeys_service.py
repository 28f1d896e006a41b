"""Claims through the Journeys application's use cases, stored in SQLite and in PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.bootstrap import Journeys
from domain.claim import Award, Claim, ClaimStatus, DisallowanceGrounds, DisputeStage
from domain.customer import Customer
from domain.errors import (
    AppealNotPending,
    ClaimNotOpen,
    ClaimWithdrawn,
    QuestionnaireNotOverdue,
    WrongBenefitForCommand,
)
from domain.identity import customer_id_for
from domain.rules.pip_assessment import DAILY_LIVING_ACTIVITIES, MOBILITY_ACTIVITIES, Rate
from domain.values import (
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock
from tests.integration.conftest import OpenSystem
from tests.integration.helpers import (
    DECISION_MAKER,
    HEALTH_PROFESSIONAL,
    TRIBUNAL_JUDGE,
    nothing_appended,
    pip_award,
    register,
    start_claim,
    state_of,
)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A UTC moment on a day."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_a_pip_claim_runs_from_claim_to_a_lapsed_appeal_and_reloads_unchanged(
    journeys: Journeys, clock: SimulatedClock, open_system: OpenSystem
) -> None:
    app = journeys.application
    customer_id = app.register_customer(
        nino="ab 12 34 56 c", name="  Ada Lovelace ", date_of_birth=date(1985, 3, 14)
    ).id
    assert customer_id == customer_id_for("AB123456C")
    customer = app.customer(customer_id)
    assert (customer.nino, customer.name) == ("AB123456C", "Ada Lovelace")

    claim_id = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=date(2026, 1, 5),
    ).id
    claim = app.claim(claim_id)
    assert claim.status is ClaimStatus.STARTED
    assert claim.customer_id == customer_id
    assert app.customer(customer_id).claims == {claim_id: BenefitType.PIP}

    app.issue_questionnaire(claim_id, issued_on=date(2026, 1, 5))
    claim = app.claim(claim_id)
    assert claim.status is ClaimStatus.AWAITING_QUESTIONNAIRE
    assert claim.questionnaire_due_on == date(2026, 2, 5)  # within one month of issue

    # The form was posted back and arrived on the 23rd; it is keyed in on the 26th.
    clock.set(at(date(2026, 1, 26)))
    app.return_questionnaire(claim_id, received_on=date(2026, 1, 23))
    assert app.claim(claim_id).status is ClaimStatus.AWAITING_ASSESSMENT

    clock.set(at(date(2026, 2, 16)))
    daily_living = {
        "preparing_food": 2,
        "taking_nutrition": 0,
        "managing_therapy": 1,
        "washing_and_bathing": 2,
        "managing_toilet_needs": 0,
        "dressing_and_undressing": 2,
        "communicating_verbally": 0,
        "reading_and_understanding": 0,
        "engaging_with_others": 2,
        "making_budgeting_decisions": 0,
    }
    mobility = {"planning_and_following_journeys": 4, "moving_around": 0}
    assert set(daily_living) == set(DAILY_LIVING_ACTIVITIES)
    assert set(mobility) == set(MOBILITY_ACTIVITIES)
    app.record_assessment(
        claim_id,
        assessed_on=date(2026, 2, 12),
        daily_living=daily_living,
        mobility=mobility,
        assessor_id=HEALTH_PROFESSIONAL.identifier,
    )
    claim = app.claim(claim_id)
    assert claim.status is ClaimStatus.AWAITING_DECISION
    assert claim.points is not None
    assert claim.points.daily_living == daily_living

    clock.set(at(date(2026, 2, 23)))
    app.decide_pip_award(
        claim_id, decided_on=date(2026, 2, 23), starts_on=date(2026, 1, 5), ends_on=date(2028, 1, 4)
    )
    decided = app.claim(claim_id)
    # 9 daily living points: standard rate; 4 mobility points: no award.
    assert decided.status is ClaimStatus.AWARDED
    assert decided.award == Award(
        entitled=True,
        daily_living=Rate.STANDARD,
        mobility=Rate.NONE,
        starts_on=date(2026, 1, 5),
        ends_on=date(2028, 1, 4),
    )
    assert decided.decision_notified_on == date(2026, 2, 23)

    clock.set(at(date(2026, 3, 2)))
    app.request_statement_of_reasons(claim_id, requested_on=date(2026, 3, 2))

    # One month from 23 February is 23 March; the statement of reasons adds 14 days.
    clock.set(at(date(2026, 4, 2)))
    app.request_reconsideration(
        claim_id, requested_on=date(2026, 4, 2), grounds="my mobility needs were missed"
    )
    claim = app.claim(claim_id)
    assert claim.dispute is DisputeStage.RECONSIDERATION_REQUESTED
    (requested,) = app.events.get(claim_id, gt=claim.version - 1)
    assert isinstance(requested, Claim.ReconsiderationRequested)
    assert requested.decision.outcome == {
        "deadline": "2026-04-06",
        "absolute_limit": "2027-03-23",
        "timeliness": "in_time",
    }

    clock.set(at(date(2026, 4, 20)))
    app.decide_reconsideration(
        claim_id,
        notice_sent_on=date(2026, 4, 20),
        revised_award=pip_award(Rate.STANDARD, Rate.STANDARD, date(2026, 1, 5)),
        reason="planning journeys causes overwhelming distress",
        decision_maker=DECISION_MAKER,
    )
    claim = app.claim(claim_id)
    assert claim.dispute is DisputeStage.RECONSIDERED
    assert claim.reconsideration_notice_sent_on == date(2026, 4, 20)
    assert claim.award is not None
    assert (claim.award.daily_living, claim.award.mobility) == (Rate.STANDARD, Rate.STANDARD)

    clock.set(at(date(2026, 5, 15)))
    app.lodge_appeal(
        claim_id,
        lodged_on=date(2026, 5, 15),
        sought_daily_living=Rate.ENHANCED,
        sought_mobility=Rate.STANDARD,
    )
    assert app.claim(claim_id).dispute is DisputeStage.APPEAL_LODGED

    # The revision gives everything the appeal asked for: the appeal lapses.
    clock.set(at(date(2026, 6, 1)))
    final_award = pip_award(Rate.ENHANCED, Rate.STANDARD, date(2026, 1, 5), months=36)
    app.revise_during_appeal(claim_id, revised_on=date(2026, 6, 1), award=final_award)
    live = app.claim(claim_id)
    assert live.dispute is DisputeStage.APPEAL_LAPSED
    assert live.status is ClaimStatus.AWARDED
    assert live.award == final_award

    with nothing_appended(journeys), pytest.raises(AppealNotPending):
        app.record_appeal_outcome(
            claim_id,
            decided_on=date(2026, 6, 1),
            allowed=True,
            award=final_award,
            judge=TRIBUNAL_JUDGE.identifier,
            reason="a lapsed appeal has nothing left to decide",
        )

    restarted = open_system()
    reloaded = restarted.application.claim(claim_id)
    assert state_of(reloaded) == state_of(live)
    assert reloaded.version == 10
    assert [type(e).__qualname__ for e in restarted.application.events.get(claim_id)] == [
        "Claim.Started",
        "Claim.QuestionnaireIssued",
        "Claim.QuestionnaireReturned",
        "Claim.AssessmentRecorded",
        "Claim.AwardDecided",
        "Claim.StatementOfReasonsRequested",
        "Claim.ReconsiderationRequested",
        "Claim.ReconsiderationDecided",
        "Claim.AppealLodged",
        "Claim.RevisedDuringAppeal",
    ]
    reloaded_customer = restarted.application.customer_by_nino("AB 123456 C")
    assert state_of(reloaded_customer) == state_of(app.customer(customer_id))
    assert reloaded_customer.claims == {claim_id: BenefitType.PIP}


def test_a_universal_credit_claim_is_decided_by_a_named_decision_maker(
    journeys: Journeys, clock: SimulatedClock, open_system: OpenSystem
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    uc_claim = start_claim(journeys, customer_id, BenefitType.UC)
    esa_claim = start_claim(journeys, customer_id, BenefitType.ESA)

    with nothing_appended(journeys), pytest.raises(WrongBenefitForCommand):
        app.issue_questionnaire(uc_claim, issued_on=clock.today())

    clock.advance(timedelta(days=7))
    app.decide_entitlement(
        uc_claim,
        decided_on=clock.today(),
        entitled=True,
        reason="no earnings and savings under the capital limit",
        decision_maker=DECISION_MAKER,
        starts_on=date(2026, 1, 5),
    )
    app.decide_entitlement(
        esa_claim,
        decided_on=clock.today(),
        entitled=False,
        reason="not enough National Insurance contributions",
        decision_maker=DECISION_MAKER,
    )

    uc = app.claim(uc_claim)
    assert uc.status is ClaimStatus.AWARDED
    assert uc.award == Award(entitled=True, starts_on=date(2026, 1, 5))
    assert uc.decision_notified_on == date(2026, 1, 12)
    esa = app.claim(esa_claim)
    assert esa.status is ClaimStatus.NOT_AWARDED
    assert esa.award == Award.nil()

    (decided_event,) = app.events.get(uc_claim, gt=1)
    assert isinstance(decided_event, Claim.AwardDecided)
    decision = decided_event.decision
    assert decision.rule_id == "determination.decision_maker"
    assert decision.made_by == DECISION_MAKER
    assert not decision.automated
    assert decision.outcome == {"answer": "entitled"}
    assert "no earnings and savings under the capital limit" in decision.reasons[0]

    restarted = open_system()
    assert state_of(restarted.application.claim(uc_claim)) == state_of(uc)
    assert state_of(restarted.application.claim(esa_claim)) == state_of(esa)
    assert restarted.application.customer(customer_id).claims == {
        uc_claim: BenefitType.UC,
        esa_claim: BenefitType.ESA,
    }


def test_a_withdrawn_claim_stays_closed_even_after_its_questionnaire_falls_due(
    journeys: Journeys, clock: SimulatedClock, open_system: OpenSystem
) -> None:
    app = journeys.application
    claim_id = start_claim(journeys, register(journeys), BenefitType.PIP)
    app.issue_questionnaire(claim_id, issued_on=clock.today())
    clock.advance(timedelta(days=3))
    app.withdraw_claim(claim_id, withdrawn_on=date(2026, 1, 7), reason="has found work")

    assert app.claim(claim_id).status is ClaimStatus.WITHDRAWN
    (withdrawn,) = app.events.get(claim_id, gt=2)
    assert isinstance(withdrawn, Claim.Withdrawn)
    assert (withdrawn.effective_date, withdrawn.reason) == (date(2026, 1, 7), "has found work")

    with nothing_appended(journeys), pytest.raises(ClaimWithdrawn):
        app.return_questionnaire(claim_id, received_on=clock.today())
    clock.set(at(date(2026, 3, 1)))
    with nothing_appended(journeys), pytest.raises(ClaimWithdrawn):
        app.make_negative_determination(claim_id)

    reloaded = open_system().application.claim(claim_id)
    assert reloaded.status is ClaimStatus.WITHDRAWN
    assert reloaded.version == 3


def test_a_pip_claim_is_disallowed_only_once_the_clock_passes_the_questionnaire_due_date(
    journeys: Journeys, clock: SimulatedClock, open_system: OpenSystem
) -> None:
    app = journeys.application
    claim_id = start_claim(journeys, register(journeys), BenefitType.PIP)
    app.issue_questionnaire(claim_id, issued_on=date(2026, 1, 5))

    # On the due date itself (late in the day) the form is not yet overdue.
    clock.set(at(date(2026, 2, 5), hour=23, minute=59))
    with nothing_appended(journeys), pytest.raises(QuestionnaireNotOverdue, match="not due until"):
        app.make_negative_determination(claim_id)

    clock.set(at(date(2026, 2, 6)))
    # A good reason for the delay holds the determination off.
    with nothing_appended(journeys), pytest.raises(QuestionnaireNotOverdue, match="good reason"):
        app.make_negative_determination(claim_id, good_reason="in hospital since 20 January")
    assert app.claim(claim_id).status is ClaimStatus.AWAITING_QUESTIONNAIRE

    app.make_negative_determination(claim_id)
    claim = app.claim(claim_id)
    assert claim.status is ClaimStatus.DISALLOWED
    assert claim.disallowance_grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED
    assert claim.award == Award.nil()
    assert claim.decision_notified_on == date(2026, 2, 6)

    (disallowed,) = app.events.get(claim_id, gt=2)
    assert isinstance(disallowed, Claim.Disallowed)
    assert disallowed.timestamp == at(date(2026, 2, 6))
    assert disallowed.decision is not None
    assert disallowed.decision.rule_id == "pip.negative_determination"
    assert disallowed.decision.inputs["due_on"] == "2026-02-05"
    assert disallowed.decision.inputs["checked_on"] == "2026-02-06"
    assert disallowed.decision.outcome == {"disallow": True}

    # A form arriving after the determination no longer reopens the claim.
    with nothing_appended(journeys), pytest.raises(ClaimNotOpen):
        app.return_questionnaire(claim_id, received_on=date(2026, 2, 6))

    assert state_of(open_system().application.claim(claim_id)) == state_of(claim)


def test_a_pip_claim_from_someone_over_state_pension_age_is_disallowed_at_once(
    journeys: Journeys,
) -> None:
    app = journeys.application
    claim_id = start_claim(journeys, register(journeys, born=date(1955, 6, 1)), BenefitType.PIP)
    claim = app.claim(claim_id)
    assert claim.status is ClaimStatus.DISALLOWED
    assert claim.disallowance_grounds is DisallowanceGrounds.NOT_ELIGIBLE
    started, disallowed = app.events.get(claim_id)
    assert isinstance(started, Claim.Started)
    assert started.age_test is not None
    assert started.age_test.outcome["eligible"] is False
    assert isinstance(disallowed, Claim.Disallowed)
    # Compared as tuples: the JSON store gives a tuple field back as a list.
    assert tuple(disallowed.reasons) == started.age_test.reasons
    assert "State Pension age was reached" in disallowed.reasons[0]


def test_events_are_recorded_at_the_clocks_time_and_carry_the_real_world_effective_date(
    journeys: Journeys, clock: SimulatedClock, open_system: OpenSystem
) -> None:
    app = journeys.application
    customer_id = register(journeys)

    # A backdated change of circumstances, told to the department weeks later.
    clock.set(at(date(2026, 1, 20), hour=14, minute=30))
    app.report_change(customer_id, "moved in with a partner", effective_date=date(2025, 12, 1))
    # A phone claim made yesterday, keyed in today.
    clock.set(at(date(2026, 1, 21), hour=10))
    claim_id = start_claim(journeys, customer_id, BenefitType.UC, claim_date=date(2026, 1, 20))

    restarted = open_system().application
    registered, changed, opened = restarted.events.get(customer_id)
    assert isinstance(registered, Customer.Registered)
    assert registered.timestamp == at(date(2026, 1, 5))
    assert isinstance(changed, Customer.CircumstancesChanged)
    assert changed.timestamp == at(date(2026, 1, 20), hour=14, minute=30)
    assert changed.effective_date == date(2025, 12, 1)
    assert isinstance(opened, Customer.ClaimOpened)
    assert opened.timestamp == at(date(2026, 1, 21), hour=10)
    assert opened.effective_date == date(2026, 1, 20)
    (started,) = restarted.events.get(claim_id)
    assert isinstance(started, Claim.Started)
    assert started.timestamp == at(date(2026, 1, 21), hour=10)
    assert started.effective_date == date(2026, 1, 20)

    customer = restarted.customer(customer_id)
    assert customer.circumstances == [(date(2025, 12, 1), "moved in with a partner")]
    assert customer.created_on == at(date(2026, 1, 5))
    assert customer.modified_on == at(date(2026, 1, 21), hour=10)
    assert restarted.claim(claim_id).claim_date == date(2026, 1, 20)

    # What did we know on 10 January about 1 December? Nothing yet: it was recorded later.
    known_on_10_january = [
        event
        for event in restarted.history(customer_id)
        if event.timestamp < at(date(2026, 1, 11), hour=0)
    ]
    assert [type(event) for event in known_on_10_january] == [Customer.Registered]


def test_history_returns_the_customers_and_their_claims_events_and_no_one_elses(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    someone_else = register(journeys, name="Grace")
    clock.advance(timedelta(hours=1))
    pip_claim = start_claim(journeys, customer_id, BenefitType.PIP)
    clock.advance(timedelta(hours=1))
    other_claim = start_claim(journeys, someone_else, BenefitType.UC)
    clock.advance(timedelta(hours=1))
    app.add_support_marker(
        customer_id,
        SupportMarker(need=SupportNeed.LANGUAGE, duration=SupportDuration.LONG_TERM),
        effective_date=clock.today(),
    )
    clock.advance(timedelta(hours=1))
    app.issue_questionnaire(pip_claim, issued_on=clock.today())
    clock.advance(timedelta(hours=1))
    uc_claim = start_claim(journeys, customer_id, BenefitType.UC)
    clock.advance(timedelta(hours=1))
    app.report_change(someone_else, "started work", effective_date=clock.today())

    history = app.history(customer_id)

    expected = {
        (event.originator_id, event.originator_version)
        for aggregate_id in (customer_id, pip_claim, uc_claim)
        for event in app.events.get(aggregate_id)
    }
    assert {(event.originator_id, event.originator_version) for event in history} == expected
    # The customer's 5: registered, 2 claims, a marker, and the PIP2 letter (ContactQueued).
    assert len(history) == len(expected) == 5 + 2 + 1
    assert other_claim not in {event.originator_id for event in history}
    assert someone_else not in {event.originator_id for event in history}
    timestamps = [event.timestamp for event in history]
    assert timestamps == sorted(timestamps)
    assert type(history[0]) is Customer.Registered
    assert type(history[-1]) in {Customer.ClaimOpened, Claim.Started}
    assert [type(e).__qualname__ for e in history if e.originator_id == pip_claim] == [
        "Claim.Started",
        "Claim.QuestionnaireIssued",
    ]
