"""The Special Rules case and a fast-tracked claim, as pure aggregates (no store)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.claim import Award, Claim, ClaimStatus
from domain.errors import (
    AssessmentNotNeeded,
    NotFastTracked,
    QuestionnaireNotNeeded,
    SpecialRulesCaseClosed,
    Sr1SignerNotAccepted,
)
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole
from domain.special_rules import (
    AWARD_END_REMINDER,
    CaseStatus,
    ClaimToConsider,
    SpecialRulesCase,
    Sr1Evidence,
    special_rules_case_id_for,
)
from domain.values import Actor, BenefitType, EventRef
from tests.unit.builders import DECISION_MAKER, points, refused, replay, start_claim

CUSTOMER = uuid.UUID("11111111-2222-3333-4444-555555555555")


def sr1(
    months: int = 9, signer: ClinicianRole = ClinicianRole.GP, signed_on: date = date(2026, 1, 5)
) -> Sr1Evidence:
    """An SR1 signed on 5 January 2026 stating death expected within `months`."""
    return Sr1Evidence(
        signer_role=signer,
        signer_name="Dr Rivers",
        signed_on=signed_on,
        progressive_disease=True,
        death_expected_within_months=months,
    )


def case_with_evidence(received_on: date = date(2026, 1, 7)) -> SpecialRulesCase:
    """A case whose SR1 arrived on Wednesday 7 January 2026."""
    case = SpecialRulesCase.open(CUSTOMER, received_on)
    case.record_evidence(
        evidence=sr1(), claim_id=uuid.uuid4(), received_on=received_on, basis_withheld=True
    )
    return case


def to_consider(claim: Claim) -> ClaimToConsider:
    return ClaimToConsider(
        claim_id=claim.id,
        benefit=claim.benefit,
        claim_date=claim.claim_date,
        claim_event=EventRef(aggregate_id=claim.id, version=1),
    )


def fast_tracked_pip(claim_date: date = date(2026, 1, 5)) -> tuple[Claim, SpecialRulesCase]:
    claim = start_claim(BenefitType.PIP, claim_date=claim_date)
    case = case_with_evidence()
    assert case.consider_claim(to_consider(claim), date(2026, 1, 7))
    claim.fast_track(case.id, date(2026, 1, 7))
    return claim, case


def test_the_case_id_derives_from_the_customer() -> None:
    assert SpecialRulesCase.open(CUSTOMER, date(2026, 1, 7)).id == special_rules_case_id_for(
        CUSTOMER
    )


def test_an_sr1_from_a_clinician_the_rules_do_not_name_is_refused() -> None:
    case = SpecialRulesCase.open(CUSTOMER, date(2026, 1, 7))
    with refused(case, Sr1SignerNotAccepted, "other_nurse"):
        case.record_evidence(
            evidence=sr1(signer=ClinicianRole.OTHER_NURSE),
            claim_id=uuid.uuid4(),
            received_on=date(2026, 1, 7),
            basis_withheld=False,
        )


def test_a_fast_tracked_pip_claim_needs_no_pip2_and_no_assessment() -> None:
    claim, case = fast_tracked_pip()
    assert (claim.status, claim.fast_tracked) == (ClaimStatus.AWAITING_DECISION, True)
    with refused(claim, QuestionnaireNotNeeded, "fast-tracked"):
        claim.issue_questionnaire(date(2026, 1, 8))
    with refused(claim, AssessmentNotNeeded):
        claim.record_assessment(date(2026, 1, 8), points(9, 9), Actor.caseworker("hp-1"))
    assert case.status is CaseStatus.FAST_TRACKED
    assert case.debt_policy is not None
    assert case.debt_policy.rule_id == "special_rules.debt_recovery"
    # Target: Wed 7 Jan 2026 + 3 working days = Mon 12 Jan; at risk from Fri 9 Jan.
    tracked = case.claims[claim.id]
    assert (tracked.target_on, tracked.at_risk_from) == (date(2026, 1, 12), date(2026, 1, 9))


def test_a_claim_not_fast_tracked_cannot_take_a_special_rules_award() -> None:
    claim = start_claim(BenefitType.PIP, claim_date=date(2026, 1, 5))
    with refused(claim, NotFastTracked):
        claim.decide_special_rules_award(decided_on=date(2026, 1, 8), decision_maker=DECISION_MAKER)


def test_deciding_sets_a_caseworker_reminder_that_death_cancels() -> None:
    claim, case = fast_tracked_pip()
    reminder = claim.decide_special_rules_award(
        decided_on=date(2026, 1, 8), decision_maker=DECISION_MAKER, mobility=Rate.ENHANCED
    )
    assert claim.award == Award(
        entitled=True,
        daily_living=Rate.ENHANCED,
        mobility=Rate.ENHANCED,
        starts_on=date(2026, 1, 5),
        ends_on=date(2029, 1, 4),
    )
    assert reminder == date(2028, 8, 17)
    case.claim_decided(
        claim.id,
        decided_on=date(2026, 1, 8),
        award_ends_on=date(2029, 1, 4),
        reminder_on=reminder,
        today=date(2026, 1, 8),
    )
    assert case.status is CaseStatus.CLEARED
    assert [d.action for d in case.pending_deadlines.values()] == [AWARD_END_REMINDER]

    case.close_on_death(date(2026, 3, 1), date(2026, 3, 2))
    assert (case.status, case.pending_deadlines) == (CaseStatus.CLOSED, {})
    with refused(case, SpecialRulesCaseClosed):
        case.consider_claim(to_consider(start_claim(BenefitType.UC)), date(2026, 3, 2))
    case.close_on_death(date(2026, 3, 1), date(2026, 3, 2))  # a second notice changes nothing
    assert replay(case.collect_events()).status is CaseStatus.CLOSED  # type: ignore[attr-defined]


def test_the_reminder_fires_as_an_event_for_caseworkers() -> None:
    claim, case = fast_tracked_pip()
    case.claim_decided(
        claim.id,
        decided_on=date(2026, 1, 8),
        award_ends_on=date(2029, 1, 4),
        reminder_on=date(2028, 8, 17),
        today=date(2026, 1, 8),
    )
    (deadline_id,) = case.pending_deadlines
    assert case.fire_deadline(deadline_id, date(2028, 8, 17))
    due = case.collect_events()[-1]
    assert isinstance(due, SpecialRulesCase.AwardEndReminderDue)
    assert due.award_ends_on == (date(2029, 1, 4),)


def test_awards_stored_before_the_special_rules_fields_still_load() -> None:
    stored = {"entitled": True, "daily_living": Rate.STANDARD, "starts_on": date(2025, 1, 31)}
    award = Award.model_validate(stored)
    assert (award.care_rate, award.lcwra, award.support_group) == (None, False, False)


@pytest.mark.parametrize(
    ("claim_date", "fast_tracked"), [(date(2023, 4, 2), False), (date(2023, 4, 3), True)]
)
def test_the_definition_uses_the_claim_date_not_the_day_the_sr1_arrives(
    claim_date: date, fast_tracked: bool
) -> None:
    claim = start_claim(BenefitType.PIP, claim_date=claim_date)
    case = case_with_evidence()  # the SR1 (9 months) arrives in 2026 either way
    assert case.consider_claim(to_consider(claim), date(2026, 1, 7)) is fast_tracked
    assert (claim.id in case.claims, claim.id in case.not_met) == (fast_tracked, not fast_tracked)
