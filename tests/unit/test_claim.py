"""The Claim aggregate through every stage; a refused command records and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from domain.claim import (
    Award,
    Claim,
    ClaimStatus,
    DisallowanceGrounds,
    DisputeStage,
    RatesOverride,
)
from domain.decisions import Decision
from domain.errors import (
    AppealNeedsReconsideration,
    AppealNotPending,
    AppealOutOfTime,
    AssessmentMissing,
    AssessmentNotAllowed,
    ClaimAlreadyDecided,
    ClaimNotOpen,
    ClaimWithdrawn,
    InvalidAssessmentPoints,
    InvalidAwardPeriod,
    InvalidClaimDate,
    MissingDescription,
    NoDecisionToDispute,
    NoReconsiderationPending,
    QuestionnaireNotOutstanding,
    QuestionnaireNotOverdue,
    ReconsiderationAlreadyRequested,
    ReconsiderationOutOfTime,
    StatementOfReasonsNotAllowed,
    WrongBenefitForCommand,
)
from domain.rules import rerun
from domain.rules.pip_assessment import AssessmentPoints, Rate
from domain.values import Actor, BenefitType, EventRef
from tests.unit.builders import (
    APPEAL_LODGED,
    ASSESSED_ON,
    ASSESSOR,
    AWARD_ENDS,
    AWARD_STARTS,
    CLAIM_DATE,
    DECIDED_ON,
    DECISION_MAKER,
    DUE_ON,
    ISSUED_ON,
    JUDGE,
    MR_NOTICE_SENT,
    RETURNED_ON,
    appeal_lodged,
    awaiting_assessment,
    awaiting_decision,
    awaiting_questionnaire,
    award,
    awarded,
    customer_ref,
    disallowed,
    event_names,
    not_awarded,
    points,
    reconsideration_requested,
    reconsidered,
    refused,
    start_claim,
)


def last_decision(claim: Claim) -> Decision:
    """The Decision carried by the claim's latest pending event."""
    decision = getattr(claim.pending_events[-1], "decision", None)
    assert isinstance(decision, Decision)
    return decision


# -- starting a claim ----------------------------------------------------------------------


def test_a_pip_claim_starts_with_the_age_test_recorded() -> None:
    claim = start_claim()
    assert claim.status is ClaimStatus.STARTED
    assert claim.claim_date == CLAIM_DATE
    assert claim.customer_id == customer_ref().aggregate_id
    assert event_names(claim) == ["Started"]
    started = claim.pending_events[0]
    assert isinstance(started, Claim.Started)
    assert started.age_test is not None
    assert started.age_test.rule_id == "pip.age_test"
    assert started.age_test.outcome["eligible"] is True
    assert started.age_test.input_sources == {"date_of_birth": customer_ref()}


def test_a_pip_claim_from_someone_aged_15_is_disallowed_at_once() -> None:
    claim = start_claim(date_of_birth=date(2009, 2, 1))
    assert claim.status is ClaimStatus.DISALLOWED
    assert claim.disallowance_grounds is DisallowanceGrounds.NOT_ELIGIBLE
    assert claim.award == Award.nil()
    assert claim.decision_notified_on == CLAIM_DATE
    assert claim.decision_event == EventRef(aggregate_id=claim.id, version=2)
    assert event_names(claim) == ["Started", "Disallowed"]
    disallowance = claim.pending_events[1]
    assert isinstance(disallowance, Claim.Disallowed)
    assert "Aged 15" in disallowance.reasons[0]


def test_a_pip_claim_on_the_16th_birthday_is_not_disallowed() -> None:
    claim = start_claim(date_of_birth=date(2009, 1, 31))
    assert claim.status is ClaimStatus.STARTED


def test_a_pip_claim_at_state_pension_age_is_disallowed() -> None:
    claim = start_claim(date_of_birth=date(1959, 1, 31))
    assert claim.status is ClaimStatus.DISALLOWED


def test_a_disallowed_claim_for_age_can_still_be_disputed() -> None:
    claim = start_claim(date_of_birth=date(2009, 2, 1))
    claim.request_reconsideration(requested_on=date(2025, 2, 5), grounds="I am 16")
    assert claim.dispute is DisputeStage.RECONSIDERATION_REQUESTED


def test_a_claim_to_another_benefit_has_no_age_test() -> None:
    claim = start_claim(BenefitType.UC, date_of_birth=date(2015, 1, 1))
    started = claim.pending_events[0]
    assert isinstance(started, Claim.Started)
    assert started.age_test is None
    assert claim.status is ClaimStatus.STARTED


# -- the PIP2 questionnaire ------------------------------------------------------------------


def test_issuing_the_questionnaire_on_31_january_makes_it_due_on_28_february() -> None:
    claim = start_claim()
    claim.issue_questionnaire(ISSUED_ON)
    assert claim.status is ClaimStatus.AWAITING_QUESTIONNAIRE
    assert claim.questionnaire_issued_on == ISSUED_ON
    assert claim.questionnaire_due_on == DUE_ON
    assert claim.questionnaire_event == EventRef(aggregate_id=claim.id, version=2)
    decision = last_decision(claim)
    assert decision.rule_id == "pip.questionnaire_due_date"
    assert decision.outcome == {"due_on": "2025-02-28"}


def test_a_questionnaire_cannot_be_issued_before_the_claim_date() -> None:
    claim = start_claim()
    with refused(claim, InvalidClaimDate, match="issue date 2025-01-30"):
        claim.issue_questionnaire(date(2025, 1, 30))


def test_a_questionnaire_cannot_be_issued_twice() -> None:
    claim = awaiting_questionnaire()
    with refused(claim, QuestionnaireNotOutstanding, match="already been issued"):
        claim.issue_questionnaire(date(2025, 2, 2))


def test_a_questionnaire_is_only_for_pip() -> None:
    claim = start_claim(BenefitType.ESA)
    with refused(claim, WrongBenefitForCommand, match="ESA claim"):
        claim.issue_questionnaire(ISSUED_ON)


def test_a_questionnaire_cannot_be_issued_on_a_disallowed_claim() -> None:
    claim = start_claim(date_of_birth=date(2009, 2, 1))
    with refused(claim, ClaimNotOpen, match="disallowed"):
        claim.issue_questionnaire(ISSUED_ON)


def test_the_questionnaire_is_overdue_only_after_its_due_date() -> None:
    claim = awaiting_questionnaire()
    assert not claim.questionnaire_overdue(DUE_ON)
    assert claim.questionnaire_overdue(date(2025, 3, 1))


def test_a_returned_questionnaire_is_never_overdue() -> None:
    claim = awaiting_assessment()
    assert not claim.questionnaire_overdue(date(2025, 6, 1))


def test_returning_the_questionnaire_in_time_moves_the_claim_to_assessment() -> None:
    claim = awaiting_questionnaire()
    claim.return_questionnaire(DUE_ON)
    assert claim.status is ClaimStatus.AWAITING_ASSESSMENT
    assert claim.questionnaire_returned_on == DUE_ON
    returned = claim.pending_events[-1]
    assert isinstance(returned, Claim.QuestionnaireReturned)
    assert returned.late is False


def test_a_questionnaire_returned_late_before_any_negative_determination_still_counts() -> None:
    claim = awaiting_questionnaire()
    claim.return_questionnaire(date(2025, 3, 1))
    assert claim.status is ClaimStatus.AWAITING_ASSESSMENT
    returned = claim.pending_events[-1]
    assert isinstance(returned, Claim.QuestionnaireReturned)
    assert returned.late is True


def test_a_questionnaire_cannot_be_returned_before_it_was_issued() -> None:
    claim = awaiting_questionnaire()
    with refused(claim, InvalidClaimDate):
        claim.return_questionnaire(date(2025, 1, 30))


def test_a_questionnaire_cannot_be_returned_when_none_is_outstanding() -> None:
    claim = start_claim()
    with refused(claim, QuestionnaireNotOutstanding):
        claim.return_questionnaire(RETURNED_ON)
    returned = awaiting_assessment()
    with refused(returned, QuestionnaireNotOutstanding):
        returned.return_questionnaire(RETURNED_ON)


# -- negative determination ------------------------------------------------------------------


def test_negative_determination_after_the_due_date_disallows_the_claim() -> None:
    claim = awaiting_questionnaire()
    claim.make_negative_determination(date(2025, 3, 1), good_reason=None)
    assert claim.status is ClaimStatus.DISALLOWED
    assert claim.disallowance_grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED
    assert claim.award == Award.nil()
    assert claim.decision_notified_on == date(2025, 3, 1)
    decision = last_decision(claim)
    assert decision.rule_id == "pip.negative_determination"
    assert decision.outcome == {"disallow": True}
    assert decision.input_sources == {"due_on": EventRef(aggregate_id=claim.id, version=2)}


def test_no_negative_determination_on_the_due_date() -> None:
    claim = awaiting_questionnaire()
    with refused(claim, QuestionnaireNotOverdue, match="not due until 2025-02-28"):
        claim.make_negative_determination(DUE_ON, good_reason=None)


def test_no_negative_determination_when_there_is_a_good_reason() -> None:
    claim = awaiting_questionnaire()
    with refused(claim, QuestionnaireNotOverdue, match="good reason was accepted"):
        claim.make_negative_determination(date(2025, 4, 1), good_reason="in hospital")


def test_a_blank_good_reason_does_not_stop_a_negative_determination() -> None:
    claim = awaiting_questionnaire()
    claim.make_negative_determination(date(2025, 4, 1), good_reason="  ")
    assert claim.status is ClaimStatus.DISALLOWED


def test_no_negative_determination_once_the_questionnaire_is_returned() -> None:
    claim = awaiting_assessment()
    with refused(claim, QuestionnaireNotOutstanding):
        claim.make_negative_determination(date(2025, 4, 1), good_reason=None)


def test_a_questionnaire_arriving_after_the_negative_determination_is_refused() -> None:
    claim = disallowed()
    with refused(claim, ClaimNotOpen):
        claim.return_questionnaire(date(2025, 3, 4))


# -- assessment ------------------------------------------------------------------------------


def test_recording_the_assessment_keeps_the_points_and_awaits_a_decision() -> None:
    claim = awaiting_assessment()
    scored = points(daily_living=9, mobility=12)
    claim.record_assessment(ASSESSED_ON, scored, ASSESSOR)
    assert claim.status is ClaimStatus.AWAITING_DECISION
    assert claim.points == scored
    assert claim.assessment_event == EventRef(aggregate_id=claim.id, version=4)
    assessed = claim.pending_events[-1]
    assert isinstance(assessed, Claim.AssessmentRecorded)
    assert assessed.assessor == ASSESSOR


def test_an_assessment_before_the_questionnaire_is_returned_is_refused() -> None:
    claim = awaiting_questionnaire()
    with refused(claim, AssessmentNotAllowed, match="awaiting_questionnaire"):
        claim.record_assessment(ASSESSED_ON, points(), ASSESSOR)


def test_an_assessment_dated_before_the_questionnaire_came_back_is_refused() -> None:
    claim = awaiting_assessment()
    with refused(claim, InvalidClaimDate):
        claim.record_assessment(date(2025, 2, 19), points(), ASSESSOR)


@pytest.mark.parametrize("value", [-1, 13])
def test_assessment_points_outside_0_to_12_are_refused(value: int) -> None:
    claim = awaiting_assessment()
    scored = points()
    bad = AssessmentPoints(
        daily_living={**scored.daily_living, "taking_nutrition": value},
        mobility=scored.mobility,
    )
    with refused(claim, InvalidAssessmentPoints, match="taking_nutrition"):
        claim.record_assessment(ASSESSED_ON, bad, ASSESSOR)


def test_an_assessment_missing_an_activity_is_refused() -> None:
    claim = awaiting_assessment()
    bad = AssessmentPoints(daily_living=points().daily_living, mobility={"moving_around": 12})
    with refused(claim, InvalidAssessmentPoints, match="planning_and_following_journeys"):
        claim.record_assessment(ASSESSED_ON, bad, ASSESSOR)


def test_the_assessment_is_recorded_once() -> None:
    claim = awaiting_decision()
    with refused(claim, AssessmentNotAllowed):
        claim.record_assessment(ASSESSED_ON, points(), ASSESSOR)


def test_an_assessment_is_only_for_pip() -> None:
    claim = start_claim(BenefitType.UC)
    with refused(claim, WrongBenefitForCommand):
        claim.record_assessment(ASSESSED_ON, points(), ASSESSOR)


# -- the award decision ----------------------------------------------------------------------


def test_the_award_follows_the_points_and_is_notified() -> None:
    claim = awaiting_decision(daily_living=9, mobility=12)
    claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)
    assert claim.status is ClaimStatus.AWARDED
    assert claim.award == award(Rate.STANDARD, Rate.ENHANCED)
    assert claim.decision_notified_on == DECIDED_ON
    assert claim.decision_event == EventRef(aggregate_id=claim.id, version=5)
    decision = last_decision(claim)
    assert decision.rule_id == "pip.component_rates"
    assert decision.input_sources == {"points": EventRef(aggregate_id=claim.id, version=4)}
    assert decision.automated
    assert rerun(decision).reproduces


def test_too_few_points_in_both_components_means_no_award() -> None:
    claim = not_awarded()
    assert claim.status is ClaimStatus.NOT_AWARDED
    assert claim.award == Award(entitled=False)


def test_one_component_at_the_standard_rate_is_an_award() -> None:
    claim = awarded(daily_living=8, mobility=0)
    assert claim.status is ClaimStatus.AWARDED
    assert claim.award is not None
    assert (claim.award.daily_living, claim.award.mobility) == (Rate.STANDARD, Rate.NONE)


def test_an_award_of_exactly_3_months_is_allowed() -> None:
    claim = awaiting_decision()
    claim.decide_pip_award(
        decided_on=DECIDED_ON, starts_on=date(2025, 1, 31), ends_on=date(2025, 4, 30)
    )
    assert claim.status is ClaimStatus.AWARDED


def test_an_award_shorter_than_3_months_is_refused() -> None:
    claim = awaiting_decision()
    with refused(claim, InvalidAwardPeriod, match="at least 2025-04-30"):
        claim.decide_pip_award(
            decided_on=DECIDED_ON, starts_on=date(2025, 1, 31), ends_on=date(2025, 4, 29)
        )


def test_an_award_of_exactly_10_years_is_allowed() -> None:
    claim = awaiting_decision()
    claim.decide_pip_award(
        decided_on=DECIDED_ON, starts_on=date(2025, 2, 1), ends_on=date(2035, 2, 1)
    )
    assert claim.status is ClaimStatus.AWARDED


def test_an_award_longer_than_10_years_is_refused() -> None:
    claim = awaiting_decision()
    with refused(claim, InvalidAwardPeriod, match="10 years"):
        claim.decide_pip_award(
            decided_on=DECIDED_ON, starts_on=date(2025, 2, 1), ends_on=date(2035, 2, 2)
        )


def test_an_award_cannot_start_before_the_claim_date() -> None:
    claim = awaiting_decision()
    with refused(claim, InvalidAwardPeriod, match="before the claim date"):
        claim.decide_pip_award(
            decided_on=DECIDED_ON, starts_on=date(2025, 1, 30), ends_on=AWARD_ENDS
        )


def test_no_award_period_is_needed_when_nothing_is_awarded() -> None:
    claim = awaiting_decision(daily_living=0, mobility=0)
    claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=CLAIM_DATE, ends_on=CLAIM_DATE)
    assert claim.status is ClaimStatus.NOT_AWARDED
    assert claim.award == Award(entitled=False)


def test_an_award_cannot_be_decided_before_the_assessment() -> None:
    claim = awaiting_assessment()
    with refused(claim, AssessmentMissing):
        claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)


def test_an_award_cannot_be_dated_before_the_assessment_it_rests_on() -> None:
    claim = awaiting_decision()
    with refused(claim, InvalidClaimDate, match="decision date 2025-03-09"):
        claim.decide_pip_award(
            decided_on=date(2025, 3, 9), starts_on=AWARD_STARTS, ends_on=AWARD_ENDS
        )


def test_a_decision_maker_may_override_the_rates_with_a_reason() -> None:
    claim = awaiting_decision(daily_living=9, mobility=12)
    claim.decide_pip_award(
        decided_on=DECIDED_ON,
        starts_on=AWARD_STARTS,
        ends_on=AWARD_ENDS,
        decision_maker=DECISION_MAKER,
        override=RatesOverride(
            daily_living=Rate.ENHANCED, mobility=Rate.ENHANCED, reason="GP evidence"
        ),
    )
    assert claim.award == award(Rate.ENHANCED, Rate.ENHANCED)
    decision = last_decision(claim)
    assert decision.override is not None
    assert decision.override.by == DECISION_MAKER
    assert decision.override.reason == "GP evidence"
    assert decision.outcome["daily_living_rate"] == "standard"
    assert decision.effective_outcome["daily_living_rate"] == "enhanced"
    assert not decision.automated
    assert rerun(decision).reproduces


def test_a_pip_decision_confirmed_by_a_decision_maker_names_them_and_is_not_automated() -> None:
    claim = awaiting_decision(daily_living=9, mobility=12)
    claim.decide_pip_award(
        decided_on=DECIDED_ON,
        starts_on=AWARD_STARTS,
        ends_on=AWARD_ENDS,
        decision_maker=DECISION_MAKER,
    )
    decision = last_decision(claim)
    assert decision.made_by == DECISION_MAKER
    assert decision.override is None
    assert not decision.automated
    assert rerun(decision).reproduces


def test_a_pip_decision_without_a_decision_maker_is_automated() -> None:
    claim = awaiting_decision(daily_living=9, mobility=12)
    claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)
    assert last_decision(claim).automated


def test_an_override_to_no_award_makes_the_claim_not_awarded() -> None:
    claim = awaiting_decision(daily_living=9, mobility=12)
    claim.decide_pip_award(
        decided_on=DECIDED_ON,
        starts_on=AWARD_STARTS,
        ends_on=AWARD_ENDS,
        decision_maker=DECISION_MAKER,
        override=RatesOverride(daily_living=Rate.NONE, mobility=Rate.NONE, reason="fraud found"),
    )
    assert claim.status is ClaimStatus.NOT_AWARDED


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(reason: str) -> None:
    claim = awaiting_decision()
    with refused(claim, MissingDescription, match="needs a reason"):
        claim.decide_pip_award(
            decided_on=DECIDED_ON,
            starts_on=AWARD_STARTS,
            ends_on=AWARD_ENDS,
            decision_maker=DECISION_MAKER,
            override=RatesOverride(daily_living=Rate.ENHANCED, mobility=Rate.NONE, reason=reason),
        )


@pytest.mark.parametrize("decision_maker", [None, Actor.system()])
def test_an_override_without_a_person_making_it_is_refused(decision_maker: Actor | None) -> None:
    claim = awaiting_decision()
    with refused(claim, MissingDescription, match="decision maker"):
        claim.decide_pip_award(
            decided_on=DECIDED_ON,
            starts_on=AWARD_STARTS,
            ends_on=AWARD_ENDS,
            decision_maker=decision_maker,
            override=RatesOverride(daily_living=Rate.ENHANCED, mobility=Rate.NONE, reason="x"),
        )


def test_a_claim_is_decided_once() -> None:
    claim = awarded()
    with refused(claim, ClaimAlreadyDecided):
        claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)


def test_a_pip_award_is_not_decided_by_judgement() -> None:
    claim = awaiting_decision()
    with refused(claim, WrongBenefitForCommand):
        claim.decide_entitlement(
            decided_on=DECIDED_ON,
            entitled=True,
            reason="looks right",
            decision_maker=DECISION_MAKER,
            starts_on=AWARD_STARTS,
        )


def test_another_benefit_is_not_decided_from_points() -> None:
    claim = start_claim(BenefitType.UC)
    with refused(claim, WrongBenefitForCommand):
        claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)


def test_a_decision_maker_decides_another_benefit_with_a_recorded_reason() -> None:
    claim = start_claim(BenefitType.UC)
    claim.decide_entitlement(
        decided_on=date(2025, 2, 20),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=CLAIM_DATE,
    )
    assert claim.status is ClaimStatus.AWARDED
    assert claim.award == Award(entitled=True, starts_on=CLAIM_DATE)
    decision = last_decision(claim)
    assert decision.rule_id == "determination.decision_maker"
    assert decision.made_by == DECISION_MAKER
    assert decision.outcome == {"answer": "entitled"}
    assert "meets the conditions" in decision.reasons[0]
    assert not decision.automated


def test_a_decision_maker_may_find_no_entitlement() -> None:
    claim = start_claim(BenefitType.AA)
    claim.decide_entitlement(
        decided_on=date(2025, 2, 20),
        entitled=False,
        reason="care needs not met",
        decision_maker=DECISION_MAKER,
    )
    assert claim.status is ClaimStatus.NOT_AWARDED


def test_a_judgement_without_a_reason_is_refused() -> None:
    claim = start_claim(BenefitType.DLA)
    with refused(claim, MissingDescription):
        claim.decide_entitlement(
            decided_on=date(2025, 2, 20),
            entitled=False,
            reason="  ",
            decision_maker=DECISION_MAKER,
        )


@pytest.mark.parametrize("starts_on", [None, date(2025, 1, 30)])
def test_an_entitlement_needs_a_start_on_or_after_the_claim_date(starts_on: date | None) -> None:
    claim = start_claim(BenefitType.ESA)
    with refused(claim, InvalidAwardPeriod):
        claim.decide_entitlement(
            decided_on=date(2025, 2, 20),
            entitled=True,
            reason="ok",
            decision_maker=DECISION_MAKER,
            starts_on=starts_on,
        )


def test_an_entitlement_cannot_be_decided_before_the_claim_date() -> None:
    claim = start_claim(BenefitType.ESA)
    with refused(claim, InvalidClaimDate):
        claim.decide_entitlement(
            decided_on=date(2025, 1, 1),
            entitled=False,
            reason="ok",
            decision_maker=DECISION_MAKER,
        )


# -- withdrawal ------------------------------------------------------------------------------


def test_an_undecided_claim_can_be_withdrawn() -> None:
    claim = awaiting_decision()
    claim.withdraw(date(2025, 3, 20), reason="no longer needed")
    assert claim.status is ClaimStatus.WITHDRAWN
    assert event_names(claim)[-1] == "Withdrawn"


def test_a_decision_on_a_withdrawn_claim_is_refused() -> None:
    claim = awaiting_decision()
    claim.withdraw(date(2025, 3, 20), reason="no longer needed")
    with refused(claim, ClaimWithdrawn, match="withdrawn"):
        claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)


def test_a_withdrawn_claim_cannot_be_withdrawn_again_or_disputed() -> None:
    claim = start_claim(BenefitType.UC)
    claim.withdraw(CLAIM_DATE, reason="changed mind")
    with refused(claim, ClaimWithdrawn):
        claim.withdraw(CLAIM_DATE, reason="again")
    with refused(claim, NoDecisionToDispute):
        claim.request_reconsideration(requested_on=date(2025, 2, 1), grounds="wrong")


def test_a_decided_claim_cannot_be_withdrawn() -> None:
    claim = awarded()
    with refused(claim, ClaimAlreadyDecided):
        claim.withdraw(date(2025, 4, 1), reason="too late")


def test_a_disallowed_claim_is_not_open_to_withdrawal() -> None:
    claim = disallowed()
    with refused(claim, ClaimNotOpen) as info:
        claim.withdraw(date(2025, 4, 1), reason="too late")
    assert type(info.value) is ClaimNotOpen


def test_a_withdrawal_cannot_be_dated_before_the_claim() -> None:
    claim = start_claim()
    with refused(claim, InvalidClaimDate):
        claim.withdraw(date(2025, 1, 1), reason="x")


# -- statement of reasons --------------------------------------------------------------------


def test_a_statement_of_reasons_can_be_asked_for_within_the_month() -> None:
    claim = awarded()
    claim.request_statement_of_reasons(date(2025, 4, 30))
    assert claim.statement_of_reasons_requested_on == date(2025, 4, 30)


def test_a_statement_of_reasons_after_the_month_is_refused() -> None:
    claim = awarded()
    with refused(claim, StatementOfReasonsNotAllowed, match="by 2025-04-30"):
        claim.request_statement_of_reasons(date(2025, 5, 1))


def test_a_statement_of_reasons_is_asked_for_once() -> None:
    claim = awarded()
    claim.request_statement_of_reasons(date(2025, 4, 2))
    with refused(claim, StatementOfReasonsNotAllowed, match="already"):
        claim.request_statement_of_reasons(date(2025, 4, 3))


def test_a_statement_of_reasons_needs_a_notified_decision() -> None:
    claim = awaiting_decision()
    with refused(claim, NoDecisionToDispute):
        claim.request_statement_of_reasons(date(2025, 3, 20))


def test_a_statement_of_reasons_cannot_predate_the_decision() -> None:
    claim = awarded()
    with refused(claim, InvalidClaimDate):
        claim.request_statement_of_reasons(date(2025, 3, 30))


# -- mandatory reconsideration ----------------------------------------------------------------


def test_an_mr_asked_for_in_time_is_recorded_with_its_time_limit_decision() -> None:
    claim = awarded()
    claim.request_reconsideration(requested_on=date(2025, 4, 30), grounds="mobility is worse")
    assert claim.dispute is DisputeStage.RECONSIDERATION_REQUESTED
    assert claim.reconsideration_requested_on == date(2025, 4, 30)
    decision = last_decision(claim)
    assert decision.rule_id == "dispute.mr_time_limit"
    assert decision.outcome["timeliness"] == "in_time"
    assert decision.input_sources == {"decision_notified_on": claim.decision_event}


def test_a_statement_of_reasons_gives_14_more_days_for_the_mr() -> None:
    claim = awarded()
    claim.request_statement_of_reasons(date(2025, 4, 5))
    claim.request_reconsideration(requested_on=date(2025, 5, 14), grounds="wrong")
    assert last_decision(claim).outcome["timeliness"] == "in_time"


def test_an_mr_a_day_after_the_deadline_without_a_good_reason_is_refused() -> None:
    claim = awarded()
    with refused(claim, ReconsiderationOutOfTime, match="needs a good reason"):
        claim.request_reconsideration(requested_on=date(2025, 5, 1), grounds="wrong")


def test_a_late_mr_with_a_good_reason_within_13_months_is_accepted() -> None:
    claim = awarded()
    claim.request_reconsideration(
        requested_on=date(2026, 4, 30), grounds="wrong", good_reason_for_lateness="in hospital"
    )
    assert claim.dispute is DisputeStage.RECONSIDERATION_REQUESTED
    decision = last_decision(claim)
    assert decision.outcome["timeliness"] == "late_accepted"
    assert decision.inputs["good_reason_for_lateness"] == "in hospital"


def test_an_mr_after_the_absolute_limit_is_refused_even_with_a_good_reason() -> None:
    claim = awarded()
    with refused(claim, ReconsiderationOutOfTime, match="absolute limit"):
        claim.request_reconsideration(
            requested_on=date(2026, 5, 1), grounds="wrong", good_reason_for_lateness="in hospital"
        )


def test_an_mr_alleging_official_error_is_accepted_years_later() -> None:
    claim = awarded()
    claim.request_reconsideration(
        requested_on=date(2030, 1, 1), grounds="wrong rate applied", official_error_alleged=True
    )
    assert last_decision(claim).outcome["timeliness"] == "official_error_any_time"


def test_an_mr_needs_grounds() -> None:
    claim = awarded()
    with refused(claim, MissingDescription, match="grounds"):
        claim.request_reconsideration(requested_on=date(2025, 4, 2), grounds=" ")


def test_an_mr_needs_a_notified_decision() -> None:
    claim = awaiting_decision()
    with refused(claim, NoDecisionToDispute):
        claim.request_reconsideration(requested_on=date(2025, 4, 2), grounds="wrong")


def test_an_mr_cannot_predate_the_decision() -> None:
    claim = awarded()
    with refused(claim, InvalidClaimDate):
        claim.request_reconsideration(requested_on=date(2025, 3, 30), grounds="wrong")


def test_a_second_mr_is_refused() -> None:
    claim = reconsideration_requested()
    with refused(claim, ReconsiderationAlreadyRequested):
        claim.request_reconsideration(requested_on=date(2025, 4, 11), grounds="again")


def test_an_mr_of_a_negative_determination_is_allowed() -> None:
    claim = disallowed()
    claim.request_reconsideration(requested_on=date(2025, 3, 20), grounds="form was posted")
    assert claim.dispute is DisputeStage.RECONSIDERATION_REQUESTED


# -- MR outcome -------------------------------------------------------------------------------


def test_an_mr_that_changes_nothing_keeps_the_award() -> None:
    claim = reconsidered(revised_award=None)
    assert claim.dispute is DisputeStage.RECONSIDERED
    assert claim.reconsideration_notice_sent_on == MR_NOTICE_SENT
    assert claim.award == award(Rate.STANDARD, Rate.ENHANCED)
    assert claim.status is ClaimStatus.AWARDED
    decided = claim.pending_events[-1]
    assert isinstance(decided, Claim.ReconsiderationDecided)
    assert decided.revised is False
    assert decided.decision.made_by == DECISION_MAKER
    assert decided.decision.outcome == {"answer": "not revised"}


def test_an_mr_giving_back_the_same_award_is_not_a_revision() -> None:
    claim = reconsidered(revised_award=award(Rate.STANDARD, Rate.ENHANCED))
    decided = claim.pending_events[-1]
    assert isinstance(decided, Claim.ReconsiderationDecided)
    assert decided.revised is False


def test_an_mr_that_revises_the_award_replaces_it() -> None:
    better = award(Rate.ENHANCED, Rate.ENHANCED)
    claim = reconsidered(revised_award=better)
    assert claim.award == better
    decided = claim.pending_events[-1]
    assert isinstance(decided, Claim.ReconsiderationDecided)
    assert decided.revised is True
    assert decided.decision.outcome == {"answer": "revised"}


def test_an_mr_revising_a_no_award_to_an_award_makes_the_claim_awarded() -> None:
    claim = not_awarded()
    claim.request_reconsideration(requested_on=date(2025, 4, 10), grounds="wrong")
    claim.decide_reconsideration(
        notice_sent_on=MR_NOTICE_SENT,
        revised_award=award(Rate.STANDARD, Rate.NONE),
        reason="more evidence",
        decision_maker=DECISION_MAKER,
    )
    assert claim.status is ClaimStatus.AWARDED


def test_an_mr_revising_an_award_to_nothing_makes_the_claim_not_awarded() -> None:
    claim = reconsideration_requested()
    claim.decide_reconsideration(
        notice_sent_on=MR_NOTICE_SENT,
        revised_award=Award.nil(),
        reason="no need shown",
        decision_maker=DECISION_MAKER,
    )
    assert claim.status is ClaimStatus.NOT_AWARDED
    assert claim.award == Award.nil()


def test_an_mr_upholding_a_negative_determination_keeps_the_claim_disallowed() -> None:
    claim = disallowed()
    claim.request_reconsideration(requested_on=date(2025, 3, 20), grounds="form was posted")
    claim.decide_reconsideration(
        notice_sent_on=date(2025, 4, 1),
        revised_award=None,
        reason="no proof of posting",
        decision_maker=DECISION_MAKER,
    )
    assert claim.status is ClaimStatus.DISALLOWED
    assert claim.dispute is DisputeStage.RECONSIDERED


def test_an_mr_outcome_with_nothing_pending_is_refused() -> None:
    claim = awarded()
    with refused(claim, NoReconsiderationPending):
        claim.decide_reconsideration(
            notice_sent_on=MR_NOTICE_SENT,
            revised_award=None,
            reason="x",
            decision_maker=DECISION_MAKER,
        )


def test_an_mr_outcome_without_a_reason_is_refused() -> None:
    claim = reconsideration_requested()
    with refused(claim, MissingDescription):
        claim.decide_reconsideration(
            notice_sent_on=MR_NOTICE_SENT,
            revised_award=None,
            reason="",
            decision_maker=DECISION_MAKER,
        )


def test_an_mr_notice_cannot_predate_the_request() -> None:
    claim = reconsideration_requested()
    with refused(claim, InvalidClaimDate):
        claim.decide_reconsideration(
            notice_sent_on=date(2025, 4, 9),
            revised_award=None,
            reason="x",
            decision_maker=DECISION_MAKER,
        )


def test_a_revised_pip_award_outside_3_months_to_10_years_is_refused() -> None:
    claim = reconsideration_requested()
    with refused(claim, InvalidAwardPeriod):
        claim.decide_reconsideration(
            notice_sent_on=MR_NOTICE_SENT,
            revised_award=award(ends_on=date(2025, 3, 1)),
            reason="x",
            decision_maker=DECISION_MAKER,
        )


def test_a_revised_award_without_dates_is_refused() -> None:
    claim = reconsideration_requested()
    with refused(claim, InvalidAwardPeriod, match="needs a start date"):
        claim.decide_reconsideration(
            notice_sent_on=MR_NOTICE_SENT,
            revised_award=Award(entitled=True, daily_living=Rate.ENHANCED),
            reason="x",
            decision_maker=DECISION_MAKER,
        )


# -- appeal ---------------------------------------------------------------------------------


def test_an_appeal_needs_an_mr_notice_first() -> None:
    claim = awarded()
    with refused(claim, AppealNeedsReconsideration, match="dispute stage: none"):
        claim.lodge_appeal(lodged_on=date(2025, 4, 10))
    requested = reconsideration_requested()
    with refused(requested, AppealNeedsReconsideration):
        requested.lodge_appeal(lodged_on=date(2025, 4, 20))


def test_an_appeal_within_a_month_of_the_mr_notice_is_lodged() -> None:
    claim = reconsidered()
    claim.lodge_appeal(lodged_on=date(2025, 6, 30), sought_mobility=Rate.STANDARD)
    assert claim.dispute is DisputeStage.APPEAL_LODGED
    assert claim.appeal_lodged_on == date(2025, 6, 30)
    assert claim.appeal_sought == (Rate.ENHANCED, Rate.STANDARD)
    decision = last_decision(claim)
    assert decision.rule_id == "dispute.appeal_time_limit"
    assert decision.outcome["timeliness"] == "in_time"
    assert decision.input_sources == {"reconsideration_notice_sent_on": claim.reconsideration_event}


def test_a_late_appeal_without_a_tribunal_extension_is_refused() -> None:
    claim = reconsidered()
    with refused(claim, AppealOutOfTime, match="only the tribunal can extend"):
        claim.lodge_appeal(lodged_on=date(2025, 7, 1))


def test_a_late_appeal_the_tribunal_extended_is_lodged() -> None:
    claim = reconsidered()
    claim.lodge_appeal(lodged_on=date(2026, 6, 30), tribunal_extended=True)
    assert claim.dispute is DisputeStage.APPEAL_LODGED
    assert last_decision(claim).outcome["timeliness"] == "late_accepted"


def test_an_appeal_beyond_12_months_of_extension_is_refused() -> None:
    claim = reconsidered()
    with refused(claim, AppealOutOfTime, match="beyond the furthest tribunal extension"):
        claim.lodge_appeal(lodged_on=date(2026, 7, 1), tribunal_extended=True)


def test_an_appeal_cannot_predate_the_mr_notice() -> None:
    claim = reconsidered()
    with refused(claim, InvalidClaimDate):
        claim.lodge_appeal(lodged_on=date(2025, 5, 29))


def test_an_appeal_is_lodged_once() -> None:
    claim = appeal_lodged()
    with refused(claim, AppealNeedsReconsideration):
        claim.lodge_appeal(lodged_on=APPEAL_LODGED)


# -- revision during an appeal -----------------------------------------------------------------


def test_a_fully_favourable_revision_makes_the_appeal_lapse() -> None:
    claim = appeal_lodged(Rate.ENHANCED, Rate.ENHANCED)
    best = award(Rate.ENHANCED, Rate.ENHANCED)
    claim.revise_during_appeal(revised_on=date(2025, 7, 1), award=best)
    assert claim.dispute is DisputeStage.APPEAL_LAPSED
    assert claim.award == best
    assert claim.status is ClaimStatus.AWARDED
    assert last_decision(claim).outcome == {"lapses": True}


def test_a_partly_favourable_revision_lets_the_appeal_continue() -> None:
    claim = appeal_lodged(Rate.ENHANCED, Rate.ENHANCED)
    better = award(Rate.ENHANCED, Rate.STANDARD)
    claim.revise_during_appeal(revised_on=date(2025, 7, 1), award=better)
    assert claim.dispute is DisputeStage.APPEAL_LODGED
    assert claim.award == better
    assert last_decision(claim).outcome == {"lapses": False}


def test_the_appeal_continues_against_the_revised_decision_to_an_outcome() -> None:
    claim = appeal_lodged(Rate.ENHANCED, Rate.ENHANCED)
    claim.revise_during_appeal(revised_on=date(2025, 7, 1), award=award(Rate.ENHANCED))
    claim.record_appeal_outcome(
        decided_on=date(2025, 9, 1),
        allowed=False,
        award=None,
        judge=JUDGE,
        reason="revised decision is right",
    )
    assert claim.dispute is DisputeStage.APPEAL_DECIDED
    assert claim.award == award(Rate.ENHANCED)


def test_a_lapsed_appeal_has_no_outcome_to_record() -> None:
    claim = appeal_lodged(Rate.STANDARD, Rate.STANDARD)
    claim.revise_during_appeal(
        revised_on=date(2025, 7, 1), award=award(Rate.STANDARD, Rate.ENHANCED)
    )
    assert claim.dispute is DisputeStage.APPEAL_LAPSED
    with refused(claim, AppealNotPending):
        claim.record_appeal_outcome(
            decided_on=date(2025, 9, 1), allowed=True, award=None, judge=JUDGE, reason="x"
        )


def test_a_revision_without_an_appeal_is_refused() -> None:
    claim = reconsidered()
    with refused(claim, AppealNotPending):
        claim.revise_during_appeal(revised_on=date(2025, 7, 1), award=award())


def test_a_revision_cannot_predate_the_appeal() -> None:
    claim = appeal_lodged()
    with refused(claim, InvalidClaimDate):
        claim.revise_during_appeal(revised_on=date(2025, 6, 19), award=award())


def test_a_revision_during_appeal_with_a_bad_award_period_is_refused() -> None:
    claim = appeal_lodged()
    with refused(claim, InvalidAwardPeriod):
        claim.revise_during_appeal(
            revised_on=date(2025, 7, 1), award=award(ends_on=date(2040, 1, 1))
        )


# -- appeal outcome -----------------------------------------------------------------------------


def test_an_allowed_appeal_replaces_the_award() -> None:
    claim = appeal_lodged()
    best = award(Rate.ENHANCED, Rate.ENHANCED)
    claim.record_appeal_outcome(
        decided_on=date(2025, 10, 1), allowed=True, award=best, judge=JUDGE, reason="evidence"
    )
    assert claim.dispute is DisputeStage.APPEAL_DECIDED
    assert claim.award == best
    decision = last_decision(claim)
    assert decision.made_by == JUDGE
    assert decision.outcome == {"answer": "allowed"}


def test_a_dismissed_appeal_keeps_the_award() -> None:
    claim = appeal_lodged()
    claim.record_appeal_outcome(
        decided_on=date(2025, 10, 1),
        allowed=False,
        award=award(Rate.ENHANCED, Rate.ENHANCED),
        judge=JUDGE,
        reason="decision was right",
    )
    assert claim.award == award(Rate.STANDARD, Rate.ENHANCED)
    assert last_decision(claim).outcome == {"answer": "dismissed"}


def test_an_allowed_appeal_of_a_negative_determination_can_award() -> None:
    claim = disallowed()
    claim.request_reconsideration(requested_on=date(2025, 3, 20), grounds="posted")
    claim.decide_reconsideration(
        notice_sent_on=date(2025, 4, 1),
        revised_award=None,
        reason="no proof",
        decision_maker=DECISION_MAKER,
    )
    claim.lodge_appeal(lodged_on=date(2025, 4, 15))
    claim.record_appeal_outcome(
        decided_on=date(2025, 8, 1),
        allowed=True,
        award=award(Rate.STANDARD, Rate.NONE),
        judge=JUDGE,
        reason="proof of posting accepted",
    )
    assert claim.status is ClaimStatus.AWARDED


def test_an_appeal_outcome_without_a_reason_is_refused() -> None:
    claim = appeal_lodged()
    with refused(claim, MissingDescription):
        claim.record_appeal_outcome(
            decided_on=date(2025, 10, 1), allowed=False, award=None, judge=JUDGE, reason=" "
        )


def test_an_appeal_outcome_cannot_predate_the_appeal() -> None:
    claim = appeal_lodged()
    with refused(claim, InvalidClaimDate):
        claim.record_appeal_outcome(
            decided_on=date(2025, 6, 1), allowed=False, award=None, judge=JUDGE, reason="x"
        )


def test_an_appeal_outcome_with_no_appeal_is_refused() -> None:
    claim = reconsidered()
    with refused(claim, AppealNotPending):
        claim.record_appeal_outcome(
            decided_on=date(2025, 10, 1), allowed=False, award=None, judge=JUDGE, reason="x"
        )


def test_an_appeal_decided_is_recorded_once() -> None:
    claim = appeal_lodged()
    claim.record_appeal_outcome(
        decided_on=date(2025, 10, 1), allowed=False, award=None, judge=JUDGE, reason="x"
    )
    with refused(claim, AppealNotPending):
        claim.record_appeal_outcome(
            decided_on=date(2025, 10, 2), allowed=True, award=None, judge=JUDGE, reason="y"
        )


def test_a_whole_journey_records_one_event_per_step_in_order() -> None:
    claim = appeal_lodged()
    claim.record_appeal_outcome(
        decided_on=date(2025, 10, 1), allowed=False, award=None, judge=JUDGE, reason="x"
    )
    assert event_names(claim) == [
        "Started",
        "QuestionnaireIssued",
        "QuestionnaireReturned",
        "AssessmentRecorded",
        "AwardDecided",
        "ReconsiderationRequested",
        "ReconsiderationDecided",
        "AppealLodged",
        "AppealDecided",
    ]
    events = claim.collect_events()
    assert [e.originator_version for e in events] == list(range(1, 10))
    assert claim.version == 9
    assert claim.collect_events() == []
