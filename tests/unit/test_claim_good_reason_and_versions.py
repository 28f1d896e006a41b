"""A claim reopened for a good reason, PIP awards that need a start, and Claim.Started v1 events."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID

import pytest
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.persistence import StoredEvent

from domain.claim import Award, Claim, ClaimStatus, DisallowanceGrounds
from domain.decisions import Decision
from domain.errors import (
    ClaimAlreadyDecided,
    GoodReasonNotApplicable,
    InvalidAwardPeriod,
    InvalidClaimDate,
    MissingAwardStart,
    MissingDescription,
    QuestionnaireNotOverdue,
)
from domain.rules import rerun
from domain.rules.pip_assessment import Rate
from domain.transition import transition_id_for
from domain.values import BenefitType, ClaimantRole, ClaimChannel, EventRef
from tests.unit.builders import (
    ASSESSOR,
    AWARD_ENDS,
    CLAIM_DATE,
    DECISION_MAKER,
    awaiting_decision,
    awaiting_questionnaire,
    awarded,
    customer_ref,
    disallowed,
    event_names,
    points,
    refused,
    replay,
    start_claim,
    state_of,
)
from tests.unit.test_replay_properties import MAPPER, through_storage

DISALLOWED_ON = date(2025, 3, 3)
ACCEPTED_ON = date(2025, 3, 31)  # the PIP2 is due back again on 30 April 2025


def status_of(claim: Claim) -> ClaimStatus:
    """The status now (read through a call, so a type checker does not keep an earlier one)."""
    return claim.status


def reopened() -> Claim:
    """A claim disallowed for the PIP2 on 3 March 2025, reopened on 31 March."""
    claim = disallowed()
    claim.accept_good_reason(ACCEPTED_ON, "in hospital when the form came", DECISION_MAKER)
    return claim


# -- a good reason for the missing PIP2 --------------------------------------------------------


def test_a_good_reason_reopens_a_claim_disallowed_for_the_pip2_with_a_new_due_date() -> None:
    claim = disallowed()
    version = claim.version
    claim.accept_good_reason(ACCEPTED_ON, "  in hospital when the form came ", DECISION_MAKER)
    assert event_names(claim)[-1] == "GoodReasonAccepted"
    assert claim.status is ClaimStatus.AWAITING_QUESTIONNAIRE
    assert claim.disallowance_grounds is None
    assert claim.award is None
    assert claim.award_event is None
    assert claim.decision_notified_on is None
    assert claim.decision_event is None
    assert claim.questionnaire_due_on == date(2025, 4, 30)
    assert claim.questionnaire_event == EventRef(aggregate_id=claim.id, version=version + 1)
    accepted = claim.pending_events[-1]
    assert isinstance(accepted, Claim.GoodReasonAccepted)
    assert accepted.effective_date == ACCEPTED_ON
    assert accepted.due_on == date(2025, 4, 30)
    judgement, due = accepted.decision, accepted.due_decision
    assert judgement.rule_id == "determination.decision_maker"
    assert judgement.made_by == DECISION_MAKER
    assert judgement.inputs["reason"] == "in hospital when the form came"
    assert due.rule_id == "pip.questionnaire_due_date"
    assert due.inputs == {"issued_on": "2025-03-31"}
    assert due.outcome == {"due_on": "2025-04-30"}
    for decision in (judgement, due):
        assert rerun(decision).reproduces


def test_a_good_reason_accepted_on_31_january_makes_the_pip2_due_on_28_february() -> None:
    claim = start_claim(claim_date=date(2024, 11, 29))
    claim.issue_questionnaire(date(2024, 11, 29))  # due 29 December 2024
    claim.make_negative_determination(date(2025, 1, 2), good_reason=None)
    claim.accept_good_reason(date(2025, 1, 31), "post went astray", DECISION_MAKER)
    assert claim.questionnaire_due_on == date(2025, 2, 28)


def test_after_a_good_reason_the_pip2_can_come_back_and_the_claim_proceeds_to_an_award() -> None:
    claim = reopened()
    claim.return_questionnaire(date(2025, 4, 20))
    assert claim.status is ClaimStatus.AWAITING_ASSESSMENT
    claim.record_assessment(date(2025, 5, 1), points(9, 12), ASSESSOR)
    claim.decide_pip_award(decided_on=date(2025, 5, 20), starts_on=CLAIM_DATE, ends_on=AWARD_ENDS)
    assert status_of(claim) is ClaimStatus.AWARDED
    assert claim.award == Award(
        entitled=True,
        daily_living=Rate.STANDARD,
        mobility=Rate.ENHANCED,
        starts_on=CLAIM_DATE,
        ends_on=AWARD_ENDS,
    )
    assert claim.decision_notified_on == date(2025, 5, 20)


def test_after_a_good_reason_a_pip2_still_missing_after_the_new_due_date_disallows_again() -> None:
    claim = reopened()
    with refused(claim, QuestionnaireNotOverdue, match="not due until 2025-04-30"):
        claim.make_negative_determination(date(2025, 4, 30), good_reason=None)
    claim.make_negative_determination(date(2025, 5, 1), good_reason=None)
    assert claim.status is ClaimStatus.DISALLOWED
    assert claim.disallowance_grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED


def test_a_good_reason_is_only_for_a_claim_disallowed_for_the_pip2() -> None:
    for claim in (awaiting_questionnaire(), awaiting_decision(), awarded()):
        with refused(claim, GoodReasonNotApplicable, match="only a claim disallowed"):
            claim.accept_good_reason(ACCEPTED_ON, "in hospital", DECISION_MAKER)


def test_a_good_reason_does_not_reopen_a_claim_disallowed_for_age() -> None:
    claim = start_claim(date_of_birth=date(2009, 2, 1))
    assert claim.disallowance_grounds is DisallowanceGrounds.NOT_ELIGIBLE
    with refused(claim, GoodReasonNotApplicable):
        claim.accept_good_reason(ACCEPTED_ON, "in hospital", DECISION_MAKER)


def test_a_good_reason_cannot_be_accepted_twice() -> None:
    claim = reopened()
    with refused(claim, GoodReasonNotApplicable, match="awaiting_questionnaire"):
        claim.accept_good_reason(date(2025, 4, 1), "in hospital", DECISION_MAKER)


def test_a_good_reason_is_refused_while_the_disallowance_is_disputed() -> None:
    claim = disallowed()
    claim.request_reconsideration(requested_on=date(2025, 3, 10), grounds="I was in hospital")
    with refused(claim, GoodReasonNotApplicable, match="dispute of the decision is under way"):
        claim.accept_good_reason(ACCEPTED_ON, "in hospital", DECISION_MAKER)


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_good_reason_must_say_what_it_is(blank: str) -> None:
    claim = disallowed()
    with refused(claim, MissingDescription, match="^reason:"):
        claim.accept_good_reason(ACCEPTED_ON, blank, DECISION_MAKER)


def test_a_good_reason_cannot_be_accepted_before_the_disallowance() -> None:
    claim = disallowed()
    with refused(claim, InvalidClaimDate, match="accepted_on 2025-03-02"):
        claim.accept_good_reason(date(2025, 3, 2), "in hospital", DECISION_MAKER)


def test_a_good_reason_can_be_accepted_on_the_day_of_the_disallowance() -> None:
    claim = disallowed()
    claim.accept_good_reason(DISALLOWED_ON, "in hospital", DECISION_MAKER)
    assert claim.questionnaire_due_on == date(2025, 4, 3)


def test_a_reopened_claim_replays_and_survives_storage() -> None:
    claim = reopened()
    events = claim.collect_events()
    assert replay(events) == claim
    assert replay(through_storage(events)) == claim


# -- a PIP award needs its start ---------------------------------------------------------------


def test_an_entitled_pip_award_without_a_start_date_is_refused() -> None:
    claim = awaiting_decision()
    with refused(claim, MissingAwardStart, match="^starts_on:"):
        claim.decide_pip_award(decided_on=date(2025, 3, 31), starts_on=None, ends_on=AWARD_ENDS)


def test_an_entitled_pip_award_without_an_end_date_is_refused() -> None:
    claim = awaiting_decision()
    with refused(claim, InvalidAwardPeriod, match="^ends_on:"):
        claim.decide_pip_award(decided_on=date(2025, 3, 31), starts_on=CLAIM_DATE, ends_on=None)


def test_a_pip_decision_with_no_award_needs_no_dates() -> None:
    claim = awaiting_decision(daily_living=7, mobility=7)
    claim.decide_pip_award(decided_on=date(2025, 3, 31), starts_on=None, ends_on=None)
    assert claim.status is ClaimStatus.NOT_AWARDED
    assert claim.award == Award.nil()


def test_the_award_rates_are_worked_out_without_recording_anything() -> None:
    claim = awaiting_decision(daily_living=12, mobility=7)
    before = state_of(claim)
    pending = len(claim.pending_events)
    record, daily_living, mobility = claim.award_rates(decided_on=date(2025, 3, 31))
    assert (daily_living, mobility) == (Rate.ENHANCED, Rate.NONE)
    assert isinstance(record, Decision)
    assert record.rule_id == "pip.component_rates"
    assert rerun(record).reproduces
    assert len(claim.pending_events) == pending
    assert state_of(claim) == before


def test_the_award_rates_refuse_a_claim_already_decided() -> None:
    claim = awarded()
    with refused(claim, ClaimAlreadyDecided):
        claim.award_rates(decided_on=date(2025, 4, 1))


# -- Claim.Started, version 1 and version 2 ----------------------------------------------------

CUSTOMER_ID = customer_ref().aggregate_id


def as_version_1(stored: StoredEvent) -> StoredEvent:
    """The stored Started event as written before transitions existed (no transition_id)."""
    state: dict[str, Any] = MAPPER.transcoder.decode(stored.state)
    assert state.pop("class_version") == 2
    del state["transition_id"]
    return StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=MAPPER.transcoder.encode(state),
    )


def test_a_version_2_started_event_names_the_transition_it_was_made_in() -> None:
    transition_id = transition_id_for(CUSTOMER_ID)
    claim = Claim.start(
        customer=customer_ref(),
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=CLAIM_DATE,
        date_of_birth=date(2009, 1, 31),
        transition_id=transition_id,
    )
    assert claim.transition_id == transition_id
    [started] = claim.collect_events()
    stored = MAPPER.to_stored_event(started)
    assert MAPPER.transcoder.decode(stored.state)["class_version"] == 2
    decoded = MAPPER.to_domain_event(stored)
    assert isinstance(decoded, Claim.Started)
    assert decoded.transition_id == transition_id


def test_a_stored_version_1_started_event_is_read_as_made_outside_any_transition() -> None:
    claim = awaiting_questionnaire()
    events = claim.collect_events()
    stored = [MAPPER.to_stored_event(e) for e in events]
    stored[0] = as_version_1(stored[0])
    assert "transition_id" not in MAPPER.transcoder.decode(stored[0].state)
    decoded = [cast(CanMutateAggregate[UUID], MAPPER.to_domain_event(s)) for s in stored]
    started = decoded[0]
    assert isinstance(started, Claim.Started)
    assert started.transition_id is None
    rebuilt = cast(Claim, replay(decoded))
    assert rebuilt.transition_id is None
    assert rebuilt == claim


def test_the_upcast_from_version_1_adds_no_transition() -> None:
    state: dict[str, object] = {"benefit": BenefitType.PIP, "effective_date": CLAIM_DATE}
    Claim.Started.upcast_v1_v2(state)
    assert state == {
        "benefit": BenefitType.PIP,
        "effective_date": CLAIM_DATE,
        "transition_id": None,
    }
    assert Claim.Started.class_version == 2
