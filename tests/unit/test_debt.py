"""The Debt aggregate: identification, planning, movements, hardship, waiver, estate, what-if."""

from __future__ import annotations

import re
from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.aggregate import acting_as
from domain.debt import (
    Debt,
    DebtProposal,
    MovementKind,
    PenaltyKind,
    ProposalKind,
    balance_of,
    plan_period_deductions,
    what_if,
)
from domain.decisions import Decision
from domain.errors import (
    DebtAlreadyCleared,
    DebtWithEstate,
    DeductionAboveCap,
    DeductionAlreadyTaken,
    DomainError,
    HardshipAlreadyRequested,
    InvalidDebt,
    InvalidDebtAmount,
    InvalidHardshipRequest,
    InvalidWaiver,
    NoHardshipRequest,
    RecoveryMethodMismatch,
    RecoverySuspended,
    RepaymentExceedsBalance,
)
from domain.letters import LETTERS, NOT_CONTACTS, letter_for
from domain.rules import rerun
from domain.rules.debt import (
    AdvanceKind,
    DebtCause,
    DeductionClass,
    HardshipKind,
    PayFrequency,
    RecoveryMethod,
    WaiverGround,
)
from domain.values import Actor, BenefitType, ContactPreferences, EventRef
from tests.unit.builders import event_names, refused, replay, state_of

CUSTOMER = uuid4()
ALLOWANCE = 40_000  # £400.00 standard allowance
DM = Actor.caseworker("DM-77")
FORBIDDEN = re.compile(r"special rules|terminal|\bSR1\b|end of life", re.IGNORECASE)


def overpayment(
    amount_pence: int = 120_000,
    cause: DebtCause = DebtCause.CLAIMANT_ERROR,
    *,
    on_benefit: bool = True,
    employed: bool = False,
    suspended: bool = False,
    allowance: int | None = ALLOWANCE,
) -> Debt:
    """A UC overpayment for January to March 2025, identified and planned on 1 April 2025."""
    debt = Debt.identify_overpayment(
        debt_id=uuid4(),
        customer_id=CUSTOMER,
        benefit=BenefitType.UC,
        cause=cause,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 3, 31),
        amount_pence=amount_pence,
        identified_on=date(2025, 4, 1),
    )
    debt.plan_recovery(
        on=date(2025, 4, 1),
        on_benefit=on_benefit,
        employed=employed,
        special_rules_suspended=suspended,
        standard_allowance_pence=allowance,
    )
    debt.notify(date(2025, 4, 2))
    return debt


def advance(amount_pence: int = 60_000, taken_on: date = date(2025, 3, 3)) -> Debt:
    """A new-claim advance, planned for deduction from UC."""
    debt = Debt.take_advance(
        debt_id=uuid4(),
        customer_id=CUSTOMER,
        benefit=BenefitType.UC,
        advance_kind=AdvanceKind.NEW_CLAIM,
        amount_pence=amount_pence,
        taken_on=taken_on,
    )
    debt.plan_recovery(
        on=taken_on,
        on_benefit=True,
        employed=False,
        special_rules_suspended=False,
        standard_allowance_pence=ALLOWANCE,
    )
    debt.notify(taken_on)
    return debt


def deduct(debt: Debt, period_start: date, amount_pence: int | None = None) -> int:
    """Take this debt's deduction for a period under the cap (all of it unless told)."""
    plan = plan_period_deductions(
        [debt], period_start=period_start, standard_allowance_pence=ALLOWANCE
    )
    mine = next(iter(plan.planned), None)  # none when the debt asks nothing this period
    granted = mine.granted_pence if mine is not None else 0
    amount = granted if amount_pence is None else amount_pence
    debt.take_deduction(
        period_start=period_start,
        amount_pence=amount,
        granted_pence=granted,
        cap_decision=plan.cap.record,
        rate_decision=mine.rate_decision if mine is not None else None,
    )
    return amount


# -- identification and planning --------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -1, -120_000])
def test_an_overpayment_of_nothing_or_less_is_refused(amount: int) -> None:
    with pytest.raises(InvalidDebt, match="amount_pence"):
        overpayment(amount)


def test_an_overpayment_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidDebt, match="period_to"):
        Debt.identify_overpayment(
            debt_id=uuid4(),
            customer_id=CUSTOMER,
            benefit=BenefitType.UC,
            cause=DebtCause.OFFICIAL_ERROR,
            period_from=date(2025, 3, 1),
            period_to=date(2025, 2, 1),
            amount_pence=10_000,
            identified_on=date(2025, 4, 1),
        )


def test_an_advance_deferred_more_than_three_months_is_refused() -> None:
    with pytest.raises(InvalidDebt, match="deferral_months"):
        Debt.take_advance(
            debt_id=uuid4(),
            customer_id=CUSTOMER,
            benefit=BenefitType.UC,
            advance_kind=AdvanceKind.NEW_CLAIM,
            amount_pence=60_000,
            taken_on=date(2025, 3, 3),
            deferral_months=4,
        )


def test_a_deferred_advance_is_first_repaid_after_the_deferral() -> None:
    debt = Debt.take_advance(
        debt_id=uuid4(),
        customer_id=CUSTOMER,
        benefit=BenefitType.UC,
        advance_kind=AdvanceKind.CHANGE_OF_CIRCUMSTANCES,
        amount_pence=30_000,
        taken_on=date(2025, 1, 31),
        deferral_months=3,
    )
    assert debt.first_repayment_on == date(2025, 5, 31)


def test_an_overpayment_on_benefit_is_deducted_at_the_rate_the_rule_gives_and_notified() -> None:
    debt = overpayment()

    assert event_names(debt) == ["OverpaymentIdentified", "RecoveryPlanned", "Notified"]
    assert debt.method is RecoveryMethod.BENEFIT_DEDUCTION
    assert debt.per_period_pence == 6_000  # 15% of £400
    planned, notified = debt.pending_events[1], debt.pending_events[2]
    assert isinstance(planned, Debt.RecoveryPlanned)
    assert isinstance(notified, Debt.Notified)
    assert planned.method_decision.rule_id == "debt.recovery_method"
    assert planned.rate_decision is not None
    assert rerun(planned.rate_decision).reproduces
    assert notified.dispute_by == date(2025, 5, 2)


def test_the_notice_is_a_letter_with_dispute_rights_and_the_rate() -> None:
    debt = overpayment()
    notified = debt.pending_events[2]
    template = letter_for(notified)  # type: ignore[arg-type]
    assert template is not None
    body = template.message(notified, ContactPreferences()).body  # type: ignore[arg-type]
    assert "£1,200.00" in body
    assert "£60.00 from each monthly payment" in body
    assert "mandatory reconsideration" in body
    assert "2 May 2025" in body
    assert "hardship" in body


def test_a_penalty_is_outside_the_cap_and_its_notice_names_it_with_dispute_rights() -> None:
    penalty = Debt.impose_penalty(
        debt_id=uuid4(),
        customer_id=CUSTOMER,
        benefit=BenefitType.UC,
        penalty_kind=PenaltyKind.CIVIL,
        amount_pence=5_000,
        imposed_on=date(2025, 4, 1),
    )
    penalty.plan_recovery(
        on=date(2025, 4, 1),
        on_benefit=True,
        employed=False,
        special_rules_suspended=False,
        standard_allowance_pence=ALLOWANCE,
    )
    penalty.notify(date(2025, 4, 2))
    notified = penalty.pending_events[-1]
    template = letter_for(notified)  # type: ignore[arg-type]

    assert penalty.deduction_class is DeductionClass.FRAUD_PENALTY
    assert template is not None
    body = template.message(notified, ContactPreferences()).body  # type: ignore[arg-type]
    assert "penalty of £50.00" in body
    assert "by 2 May 2025" in body
    plan = plan_period_deductions(
        [overpayment(), penalty], period_start=date(2025, 5, 1), standard_allowance_pence=ALLOWANCE
    )
    assert plan.cap.outcome.total_under_cap_pence == plan.cap.outcome.cap_pence == 6_000
    assert plan.cap.outcome.total_pence == 6_000 + 5_000  # the penalty's whole balance, beside


def test_an_off_benefit_employed_customer_repays_by_earnings_attachment() -> None:
    debt = overpayment(on_benefit=False, employed=True)
    assert debt.method is RecoveryMethod.EARNINGS_ATTACHMENT
    assert debt.per_period_pence == 0


def test_an_off_benefit_customer_without_work_gets_a_voluntary_plan() -> None:
    assert overpayment(on_benefit=False).method is RecoveryMethod.VOLUNTARY_PLAN


def test_a_small_official_error_overpayment_is_left_unrecovered_and_cleared() -> None:
    debt = overpayment(6_499, DebtCause.OFFICIAL_ERROR)
    assert event_names(debt) == [
        "OverpaymentIdentified",
        "RecoveryPlanned",
        "LeftUnrecovered",
        "Cleared",
        "Notified",
    ]
    assert debt.balance_pence == 0
    assert debt.cleared
    assert [m.kind for m in debt.movements] == [MovementKind.LEFT_UNRECOVERED]


def test_a_small_fraud_overpayment_is_still_recovered() -> None:
    debt = overpayment(6_499, DebtCause.FRAUD)
    assert debt.method is RecoveryMethod.BENEFIT_DEDUCTION
    assert debt.per_period_pence == 16_000  # 40% of £400 (a deduction takes the balance at most)


def test_an_overpayment_of_exactly_the_threshold_is_recovered() -> None:
    assert overpayment(6_500, DebtCause.OFFICIAL_ERROR).method is RecoveryMethod.BENEFIT_DEDUCTION


def test_a_new_claim_advance_after_april_2021_is_repaid_over_24_months() -> None:
    debt = advance(60_001)
    assert (debt.per_period_pence, debt.repay_months) == (2_501, 24)  # rounded up
    assert debt.first_repayment_on == date(2025, 4, 3)


# -- deductions under the cap -----------------------------------------------------------------


def test_the_cap_before_30_april_2025_is_25_percent_and_after_it_15_percent() -> None:
    debts = [overpayment(500_000), advance(240_000)]  # asks £60 and £100 a month
    before = plan_period_deductions(
        debts, period_start=date(2025, 4, 12), standard_allowance_pence=ALLOWANCE
    )
    after = plan_period_deductions(
        debts, period_start=date(2025, 5, 12), standard_allowance_pence=ALLOWANCE
    )

    assert before.cap.outcome.cap_pence == 10_000
    assert after.cap.outcome.cap_pence == 6_000
    # The advance comes first in the priority order; the overpayment gets the room left.
    assert [p.granted_pence for p in before.planned] == [0, 10_000]
    assert [p.granted_pence for p in after.planned] == [0, 6_000]
    assert before.cap.record.rule_version != after.cap.record.rule_version


def test_a_deduction_above_what_the_cap_grants_is_refused_and_nothing_recorded() -> None:
    debt = overpayment()
    with refused(debt, DeductionAboveCap, "overall deduction cap"):
        deduct(debt, date(2025, 5, 12), amount_pence=6_001)


def test_a_deduction_of_nothing_is_refused() -> None:
    debt = overpayment()
    with refused(debt, InvalidDebtAmount):
        deduct(debt, date(2025, 5, 12), amount_pence=0)


def test_one_deduction_per_debt_per_period() -> None:
    debt = overpayment()
    deduct(debt, date(2025, 4, 12))
    with pytest.raises(DeductionAlreadyTaken):
        debt.take_deduction(
            period_start=date(2025, 4, 12),
            amount_pence=100,
            granted_pence=100,
            cap_decision=debt.pending_events[-1].decision,  # type: ignore[attr-defined]
            rate_decision=None,
        )
    assert not debt.recovers_by_deduction_on(date(2025, 4, 12))


def test_an_advance_asks_nothing_before_its_first_repayment() -> None:
    debt = advance()
    plan = plan_period_deductions(
        [debt], period_start=date(2025, 3, 20), standard_allowance_pence=ALLOWANCE
    )
    assert plan.planned == ()


def test_last_resort_deductions_use_the_room_first() -> None:
    debt = overpayment()
    plan = plan_period_deductions(
        [debt],
        period_start=date(2025, 5, 12),
        standard_allowance_pence=ALLOWANCE,
        last_resort_pence=5_000,
    )
    assert [p.granted_pence for p in plan.planned] == [1_000]


def test_the_last_deduction_takes_only_the_balance_and_clears_the_debt() -> None:
    debt = overpayment(7_000)
    deduct(debt, date(2025, 4, 12))
    assert deduct(debt, date(2025, 5, 12)) == 1_000
    assert debt.cleared
    assert debt.balance_pence == 0
    assert event_names(debt)[-2:] == ["DeductionTaken", "Cleared"]
    with refused(debt, DebtAlreadyCleared):
        debt.repay(1, date(2025, 6, 1))


# -- earnings, payments, repayment --------------------------------------------------------------


def test_an_earnings_attachment_uses_the_band_and_keeps_60_percent() -> None:
    debt = overpayment(on_benefit=False, employed=True)
    taken = debt.take_earnings_attachment(
        pay_date=date(2025, 5, 30),
        net_pay_pence=80_000,  # £800 a month: 5%
        frequency=PayFrequency.MONTHLY,
    )
    assert taken == 4_000
    protected = debt.take_earnings_attachment(
        pay_date=date(2025, 6, 30),
        net_pay_pence=300_000,  # £3,000: 20% is £600, but £1,100 goes to other attachments
        frequency=PayFrequency.MONTHLY,
        other_attachments_pence=110_000,
    )
    assert protected == 10_000  # £3,000 - £1,800 kept - £1,100


def test_an_earnings_attachment_on_a_debt_recovered_from_benefit_is_refused() -> None:
    debt = overpayment()
    with refused(debt, RecoveryMethodMismatch):
        debt.take_earnings_attachment(
            pay_date=date(2025, 5, 30), net_pay_pence=100_000, frequency=PayFrequency.MONTHLY
        )


@pytest.mark.parametrize("amount", [0, -5])
def test_a_repayment_of_nothing_or_less_is_refused(amount: int) -> None:
    debt = overpayment()
    with refused(debt, InvalidDebtAmount):
        debt.repay(amount, date(2025, 5, 1))


def test_a_repayment_larger_than_the_balance_is_refused() -> None:
    debt = overpayment(10_000)
    with refused(debt, RepaymentExceedsBalance):
        debt.repay(10_001, date(2025, 5, 1))
    with refused(debt, RepaymentExceedsBalance):
        debt.record_voluntary_payment(10_001, date(2025, 5, 1))


def test_early_repayment_in_full_clears_the_debt_in_the_same_save() -> None:
    debt = overpayment(10_000)
    debt.repay(4_000, date(2025, 5, 1))
    debt.repay(6_000, date(2025, 5, 2))
    assert event_names(debt)[-3:] == ["Repaid", "Repaid", "Cleared"]
    assert debt.cleared_on == date(2025, 5, 2)


# -- hardship -----------------------------------------------------------------------------------


def test_a_pause_longer_than_the_rule_allows_is_refused() -> None:
    debt = overpayment()
    with refused(debt, InvalidHardshipRequest, "at most 3 months"):
        debt.request_hardship(
            kind=HardshipKind.PAUSE,
            months=4,
            reason="Rent arrears",
            reduced_per_period_pence=None,
            requested_on=date(2025, 5, 1),
        )


def test_a_reduction_not_below_the_current_rate_is_refused() -> None:
    debt = overpayment()
    with refused(debt, InvalidHardshipRequest):
        debt.request_hardship(
            kind=HardshipKind.REDUCE,
            months=2,
            reason="Rent arrears",
            reduced_per_period_pence=6_000,
            requested_on=date(2025, 5, 1),
        )


def test_a_granted_pause_stops_deductions_for_its_months_then_they_resume() -> None:
    debt = overpayment()
    debt.request_hardship(
        kind=HardshipKind.PAUSE,
        months=2,
        reason="Lost hours at work",
        reduced_per_period_pence=None,
        requested_on=date(2025, 5, 1),
    )
    with refused(debt, HardshipAlreadyRequested):
        debt.request_hardship(
            kind=HardshipKind.PAUSE,
            months=1,
            reason="Again",
            reduced_per_period_pence=None,
            requested_on=date(2025, 5, 2),
        )
    with acting_as(DM):
        assert debt.decide_hardship(agree=True, reason="Evidence seen", decided_on=date(2025, 5, 5))
    decided = debt.pending_events[-1]
    assert isinstance(decided, Debt.HardshipDecided)
    assert decided.decision.made_by == DM
    assert (decided.from_on, decided.until, decided.per_period_pence) == (
        date(2025, 5, 5),
        date(2025, 7, 5),
        0,
    )
    assert not debt.recovers_by_deduction_on(date(2025, 5, 12))
    assert not debt.recovers_by_deduction_on(date(2025, 6, 12))
    assert debt.recovers_by_deduction_on(date(2025, 7, 12))
    with refused(debt, RecoverySuspended, "paused"):
        deduct(debt, date(2025, 6, 12), amount_pence=100)


def test_a_granted_reduction_is_the_rate_asked_for_its_months() -> None:
    debt = overpayment()
    debt.request_hardship(
        kind=HardshipKind.REDUCE,
        months=3,
        reason="Childcare costs",
        reduced_per_period_pence=2_000,
        requested_on=date(2025, 5, 1),
    )
    debt.decide_hardship(agree=True, reason="Agreed", decided_on=date(2025, 5, 1))
    assert deduct(debt, date(2025, 5, 12)) == 2_000
    assert deduct(debt, date(2025, 8, 12)) == 6_000


def test_a_refused_hardship_request_leaves_the_rate() -> None:
    debt = overpayment()
    debt.request_hardship(
        kind=HardshipKind.PAUSE,
        months=1,
        reason="Short of money",
        reduced_per_period_pence=None,
        requested_on=date(2025, 5, 1),
    )
    assert not debt.decide_hardship(agree=False, reason="No evidence", decided_on=date(2025, 5, 2))
    assert debt.hardship is None
    assert debt.hardship_request is None
    with refused(debt, NoHardshipRequest):
        debt.decide_hardship(agree=True, reason="x", decided_on=date(2025, 5, 3))


# -- waiver, suspension, estate -------------------------------------------------------------


def test_a_waiver_without_a_reason_is_refused() -> None:
    debt = overpayment()
    with refused(debt, InvalidWaiver, "reason"):
        debt.waive(10_000, WaiverGround.DISTRESS, "   ", date(2025, 5, 1))


def test_a_waiver_is_a_persons_recorded_decision_and_can_clear_the_debt() -> None:
    debt = overpayment(50_000)
    with acting_as(DM):
        debt.waive(50_000, WaiverGround.TERMINAL_ILLNESS, "Prognosis short", date(2025, 5, 1))
    waived = debt.pending_events[-2]
    assert isinstance(waived, Debt.Waived)
    assert waived.decision.made_by == DM
    assert rerun(waived.decision).reproduces
    assert debt.cleared
    template = letter_for(waived)
    assert template is not None
    body = template.message(waived, ContactPreferences()).body
    assert "Prognosis" not in body
    assert not FORBIDDEN.search(body)


def suspension_decision() -> tuple[Decision, EventRef]:
    decision = Decision(
        rule_id="special_rules.debt_recovery",
        rule_version=1,
        inputs={},
        outcome={"suspend_recovery": True, "consider_waiver": True},
        reasons=("Department policy.",),
        made_by=Actor.system(),
    )
    return decision, EventRef(aggregate_id=uuid4(), version=3)


def test_a_suspended_debt_asks_nothing_and_a_deduction_is_refused() -> None:
    debt = overpayment()
    assert debt.suspend_by_policy(*suspension_decision(), date(2025, 5, 1))
    assert not debt.suspend_by_policy(*suspension_decision(), date(2025, 5, 2))
    assert not debt.recovers_by_deduction_on(date(2025, 5, 12))
    with refused(debt, RecoverySuspended):
        deduct(debt, date(2025, 5, 12), amount_pence=100)
    debt.repay(1_000, date(2025, 5, 20))  # early repayment is always allowed


def test_a_debt_planned_under_the_policy_is_notified_without_saying_why() -> None:
    debt = overpayment(suspended=True)
    notified = debt.pending_events[-1]
    assert isinstance(notified, Debt.Notified)
    assert notified.recovery_on_hold
    template = letter_for(notified)
    assert template is not None
    body = template.message(notified, ContactPreferences()).body
    assert "not asking you to pay it back at the moment" in body
    assert not FORBIDDEN.search(body)


def test_a_debt_with_the_estate_is_never_deducted_from_benefit() -> None:
    debt = overpayment()
    assert debt.transfer_to_estate(date(2025, 6, 1), "TUO-1")
    assert not debt.transfer_to_estate(date(2025, 6, 1), "TUO-1")
    assert not debt.recovers_by_deduction_on(date(2025, 6, 12))
    with refused(debt, DebtWithEstate, "estate"):
        deduct(debt, date(2025, 6, 12), amount_pence=100)
    debt.repay(120_000, date(2025, 9, 1))  # the estate pays
    assert debt.cleared


def test_the_letter_registry_knows_the_debt_facts() -> None:
    assert {Debt.Notified, Debt.HardshipDecided, Debt.Waived} <= set(LETTERS)
    assert Debt.TransferredToEstate in NOT_CONTACTS
    assert Debt.RecoverySuspended in NOT_CONTACTS


# -- replay and properties ----------------------------------------------------------------------


def test_replaying_a_debts_events_gives_its_live_state() -> None:
    debt = overpayment()
    deduct(debt, date(2025, 4, 12))
    debt.repay(1_000, date(2025, 4, 20))
    debt.request_hardship(
        kind=HardshipKind.PAUSE,
        months=1,
        reason="Short",
        reduced_per_period_pence=None,
        requested_on=date(2025, 4, 21),
    )
    debt.decide_hardship(agree=True, reason="Yes", decided_on=date(2025, 4, 22))
    debt.transfer_to_estate(date(2025, 5, 1), "TUO-2")
    events = debt.collect_events()
    assert state_of(replay(events)) == state_of(debt)


_MOVES = st.lists(
    st.tuples(
        st.sampled_from(["deduct", "repay", "pay", "waive", "attach", "estate"]),
        st.integers(min_value=-1_000, max_value=200_000),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=300_000),
    employed=st.booleans(),
    moves=_MOVES,
)
def test_for_any_movements_the_balance_never_goes_negative_and_the_movements_add_up(
    amount: int, employed: bool, moves: list[tuple[str, int]]
) -> None:
    debt = overpayment(amount, DebtCause.FRAUD, on_benefit=not employed, employed=employed)
    period = date(2025, 4, 12)
    for month, (move, pence) in enumerate(moves):
        day = date(2025 + (month + 3) // 12, (month + 3) % 12 + 1, 12)
        try:
            if move == "deduct":
                deduct(debt, period, amount_pence=pence if pence % 2 else None)
                period = day
            elif move == "repay":
                debt.repay(pence, day)
            elif move == "pay":
                debt.record_voluntary_payment(pence, day)
            elif move == "waive":
                debt.waive(pence, WaiverGround.DISTRESS, "Distress", day)
            elif move == "attach":
                debt.take_earnings_attachment(
                    pay_date=day, net_pay_pence=max(0, pence), frequency=PayFrequency.WEEKLY
                )
            else:
                debt.transfer_to_estate(day, "TUO")
        except DomainError:
            pass
        assert debt.balance_pence >= 0
        assert debt.amount_pence - debt.moved_pence == debt.balance_pence == balance_of(debt)
        assert debt.cleared == (debt.balance_pence == 0)
    assert state_of(replay(debt.collect_events())) == state_of(debt)


# -- what-if ------------------------------------------------------------------------------------


def test_a_what_if_pause_moves_the_clear_date_later_and_a_write_off_earlier() -> None:
    debt = overpayment(30_000)  # £300 at £60 a month: 5 payments
    other = advance(24_000)
    today = date(2025, 4, 5)

    paused = what_if(
        CUSTOMER,
        [debt, other],
        DebtProposal(debt_id=debt.id, kind=ProposalKind.PAUSE, months=2),
        today,
    )
    mine, theirs = paused.debts
    assert mine.current_clear_on == date(2025, 8, 5)
    assert mine.proposed_clear_on == date(2025, 10, 5)
    assert theirs.current == theirs.proposed

    written_off = what_if(
        CUSTOMER,
        [debt, other],
        DebtProposal(debt_id=debt.id, kind=ProposalKind.WRITE_OFF, amount_pence=18_000),
        today,
    )
    assert written_off.debts[0].proposed_clear_on == date(2025, 5, 5)
    assert debt.pending_events[-1].__class__ is Debt.Notified  # nothing was recorded


def test_a_what_if_with_a_pause_longer_than_the_rule_allows_is_refused() -> None:
    debt = overpayment()
    with pytest.raises(InvalidHardshipRequest):
        what_if(
            CUSTOMER,
            [debt],
            DebtProposal(debt_id=debt.id, kind=ProposalKind.PAUSE, months=4),
            date(2025, 4, 5),
        )


_DEBTS = st.lists(
    st.tuples(
        st.sampled_from([*DebtCause, None]),  # None: an advance
        st.integers(min_value=1, max_value=500_000),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(
    debts=_DEBTS,
    allowance=st.integers(min_value=1, max_value=200_000),
    period_start=st.dates(min_value=date(2014, 1, 1), max_value=date(2027, 12, 31)),
    has_earnings=st.booleans(),
)
def test_for_any_mix_of_debts_and_allowance_the_deductions_stay_within_the_cap(
    debts: list[tuple[DebtCause | None, int]],
    allowance: int,
    period_start: date,
    has_earnings: bool,
) -> None:
    made = []
    for cause, amount in debts:
        if cause is None:
            debt = Debt.take_advance(
                debt_id=uuid4(),
                customer_id=CUSTOMER,
                benefit=BenefitType.UC,
                advance_kind=AdvanceKind.CHANGE_OF_CIRCUMSTANCES,
                amount_pence=amount,
                taken_on=date(2013, 6, 1),
            )
        else:
            debt = Debt.identify_overpayment(
                debt_id=uuid4(),
                customer_id=CUSTOMER,
                benefit=BenefitType.UC,
                cause=cause,
                period_from=date(2013, 5, 1),
                period_to=date(2013, 5, 31),
                amount_pence=amount,
                identified_on=date(2013, 6, 1),
            )
        debt.plan_recovery(
            on=date(2013, 6, 1),
            on_benefit=True,
            employed=False,
            special_rules_suspended=False,
            standard_allowance_pence=allowance,
        )
        made.append(debt)

    plan = plan_period_deductions(
        made,
        period_start=period_start,
        standard_allowance_pence=allowance,
        has_earnings=has_earnings,
    )

    cap = plan.cap.outcome.cap_pence
    assert sum(p.granted_pence for p in plan.planned) <= cap
    for planned in plan.planned:
        assert 0 <= planned.granted_pence <= planned.requested_pence <= planned.debt.balance_pence
        if planned.granted_pence:
            planned.debt.take_deduction(
                period_start=period_start,
                amount_pence=planned.granted_pence,
                granted_pence=planned.granted_pence,
                cap_decision=plan.cap.record,
                rate_decision=planned.rate_decision,
            )
        assert planned.debt.balance_pence >= 0


def test_off_benefit_a_reduction_is_measured_against_the_last_amount_attached() -> None:
    debt = overpayment(on_benefit=False, employed=True)
    debt.take_earnings_attachment(
        pay_date=date(2025, 5, 30), net_pay_pence=80_000, frequency=PayFrequency.MONTHLY
    )
    assert debt.current_per_period_pence == 4_000
    debt.request_hardship(
        kind=HardshipKind.REDUCE,
        months=2,
        reason="New baby",
        reduced_per_period_pence=1_500,
        requested_on=date(2025, 6, 2),
    )
    debt.decide_hardship(agree=True, reason="Agreed", decided_on=date(2025, 6, 3))
    assert (
        debt.take_earnings_attachment(
            pay_date=date(2025, 6, 30), net_pay_pence=80_000, frequency=PayFrequency.MONTHLY
        )
        == 1_500
    )
