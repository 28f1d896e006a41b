"""Debt recovery through the real system on SQLite and PostgreSQL: use cases and bad input.

The clock stands on Monday 5 January 2026 (the 15% cap is in force). Every refused command
leaves the log exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from adapters.bootstrap import Journeys
from domain.aggregate import acting_as
from domain.customer import Customer
from domain.debt import Debt, DebtProposal, ProposalKind
from domain.errors import (
    CustomerDeceased,
    DebtAlreadyCleared,
    DebtWithEstate,
    DeductionAboveCap,
    DeductionAlreadyTaken,
    DomainError,
    InvalidDebt,
    InvalidDebtAmount,
    InvalidHardshipRequest,
    InvalidWaiver,
    RepaymentExceedsBalance,
)
from domain.rules import rerun
from domain.rules.debt import (
    AdvanceKind,
    DebtCause,
    HardshipKind,
    PayFrequency,
    RecoveryMethod,
    WaiverGround,
)
from domain.rules.special_rules import ClinicianRole
from domain.special_rules import Sr1Evidence
from domain.values import Actor, BenefitType
from services.clock import SimulatedClock
from services.errors import DateInFuture, DebtNotFound
from tests.integration.helpers import (
    DECISION_MAKER,
    log_position,
    nothing_appended,
    register,
    start_claim,
    topics_since,
)
from tests.scenarios.steps import move_to

ALLOWANCE = 40_000  # £400.00: the 15% cap is £60.00
TODAY = date(2026, 1, 5)
DM = Actor.caseworker("DM-88")


def on_uc(journeys: Journeys) -> UUID:
    """A customer whose UC award is in payment from 1 December 2025."""
    customer_id = register(journeys)
    claim_id = start_claim(journeys, customer_id, BenefitType.UC, date(2025, 12, 1))
    journeys.application.decide_entitlement(
        claim_id,
        decided_on=TODAY,
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2025, 12, 1),
    )
    return customer_id


def overpaid(
    journeys: Journeys,
    customer_id: UUID,
    amount_pence: int = 120_000,
    cause: DebtCause = DebtCause.CLAIMANT_ERROR,
    **extra: object,
) -> UUID:
    """An overpayment of UC in autumn 2025, identified today with the standard allowance."""
    return journeys.application.identify_overpayment(
        customer_id,
        benefit=BenefitType.UC,
        cause=cause,
        period_from=date(2025, 9, 1),
        period_to=date(2025, 11, 30),
        amount_pence=amount_pence,
        identified_on=TODAY,
        standard_allowance_pence=ALLOWANCE,
        **extra,  # type: ignore[arg-type]
    ).id


def contacts_of(journeys: Journeys, customer_id: UUID) -> list[str]:
    """The template ids of every message queued or refused for the customer."""
    return [
        e.message.template_id
        for e in journeys.application.events.get(customer_id)
        if isinstance(e, (Customer.ContactQueued, Customer.ContactRefused))
    ]


def test_an_overpayment_is_planned_by_rule_and_notified_with_its_customer_in_one_save(
    journeys: Journeys,
) -> None:
    customer_id = on_uc(journeys)
    before = log_position(journeys)

    debt_id = overpaid(journeys, customer_id)

    assert sorted(topics_since(journeys, before)) == sorted(
        [
            "Customer.DebtOpened",
            "Customer.ContactQueued",
            "Debt.OverpaymentIdentified",
            "Debt.RecoveryPlanned",
            "Debt.Notified",
        ]
    )
    debt = journeys.application.debt(debt_id)
    assert (debt.method, debt.per_period_pence, debt.balance_pence) == (
        RecoveryMethod.BENEFIT_DEDUCTION,
        6_000,
        120_000,
    )
    assert journeys.application.customer(customer_id).debts == [debt_id]
    assert [d.id for d in journeys.application.debts_of(customer_id)] == [debt_id]
    assert contacts_of(journeys, customer_id) == ["award_decision", "debt_notice"]


def test_off_benefit_and_employed_the_debt_is_recovered_from_wages(journeys: Journeys) -> None:
    customer_id = register(journeys)
    debt_id = overpaid(journeys, customer_id, employed=True)
    app = journeys.application
    assert app.debt(debt_id).method is RecoveryMethod.EARNINGS_ATTACHMENT

    app.take_earnings_attachment(
        debt_id, pay_date=TODAY, net_pay_pence=30_000, frequency=PayFrequency.WEEKLY
    )
    [taken] = [e for e in app.events.get(debt_id) if isinstance(e, Debt.DeductionTaken)]
    assert (taken.source, taken.amount_pence) == (RecoveryMethod.EARNINGS_ATTACHMENT, 3_300)
    assert taken.decision is not None
    assert taken.decision.rule_id == "debt.earnings_attachment"
    assert rerun(taken.decision).reproduces


def test_all_of_a_customers_deductions_share_one_cap_decision(journeys: Journeys) -> None:
    customer_id = on_uc(journeys)
    app = journeys.application
    first = overpaid(journeys, customer_id, 200_000)
    second = overpaid(journeys, customer_id, 200_000, DebtCause.FRAUD)
    advance = app.record_advance(
        customer_id,
        benefit=BenefitType.UC,
        advance_kind=AdvanceKind.NEW_CLAIM,
        amount_pence=48_000,
        taken_on=date(2025, 12, 1),
        standard_allowance_pence=ALLOWANCE,
    ).id

    app.take_deductions(customer_id, period_start=TODAY, standard_allowance_pence=ALLOWANCE)

    taken = {
        debt_id: [e for e in app.events.get(debt_id) if isinstance(e, Debt.DeductionTaken)]
        for debt_id in (first, second, advance)
    }
    amounts = {debt_id: sum(e.amount_pence for e in events) for debt_id, events in taken.items()}
    # The advance (£20 a month) comes first, then the fraud overpayment fills the cap of £60.
    assert amounts == {advance: 2_000, second: 4_000, first: 0}
    decisions = [e.decision for events in taken.values() for e in events]
    assert len(decisions) == 2
    cap = decisions[0]
    assert cap is not None
    assert decisions[1] == cap  # the same decision on every debt of the period
    assert cap.rule_id == "debt.deduction_cap"
    assert cap.outcome["total_under_cap_pence"] == 6_000
    assert rerun(cap).reproduces

    with nothing_appended(journeys), pytest.raises(DeductionAlreadyTaken):
        app.take_deductions(customer_id, period_start=TODAY, standard_allowance_pence=ALLOWANCE)


def test_an_explicit_deduction_within_the_cap_is_taken(journeys: Journeys) -> None:
    customer_id = on_uc(journeys)
    debt_id = overpaid(journeys, customer_id)
    journeys.application.take_deduction(
        debt_id, amount_pence=5_000, period_start=TODAY, standard_allowance_pence=ALLOWANCE
    )
    assert journeys.application.debt(debt_id).balance_pence == 115_000


def test_hardship_is_requested_then_decided_by_a_named_decision_maker_with_a_letter(
    journeys: Journeys,
) -> None:
    customer_id = on_uc(journeys)
    debt_id = overpaid(journeys, customer_id)
    app = journeys.application
    app.request_hardship(
        debt_id,
        kind=HardshipKind.REDUCE,
        months=6,
        reason="Rent went up",
        reduced_per_period_pence=2_500,
        requested_on=TODAY,
    )
    assert app.debt(debt_id).hardship_request is not None
    with acting_as(DM):
        app.decide_hardship(debt_id, agree=True, reason="Evidence of rent", decided_on=TODAY)

    debt = app.debt(debt_id)
    assert debt.hardship is not None
    assert (debt.hardship.per_period_pence, debt.hardship.until) == (2_500, date(2026, 7, 5))
    [decided] = [e for e in app.events.get(debt_id) if isinstance(e, Debt.HardshipDecided)]
    assert decided.decision.made_by == DM
    assert contacts_of(journeys, customer_id)[-1] == "debt_hardship_decision"

    app.take_deductions(customer_id, period_start=TODAY, standard_allowance_pence=ALLOWANCE)
    assert app.debt(debt_id).balance_pence == 117_500


def test_repayment_and_a_waiver_clear_the_debt_in_the_same_save(journeys: Journeys) -> None:
    customer_id = on_uc(journeys)
    debt_id = overpaid(journeys, customer_id, 50_000)
    app = journeys.application
    app.repay(debt_id, amount_pence=20_000, paid_on=TODAY)
    before = log_position(journeys)
    with acting_as(DM):
        app.waive(
            debt_id,
            amount_pence=30_000,
            grounds=WaiverGround.DISTRESS,
            reason="Bereavement",
            decided_on=TODAY,
        )
    assert topics_since(journeys, before) == [
        "Debt.Waived",
        "Debt.Cleared",
        "Customer.ContactQueued",
    ]
    assert app.debt(debt_id).cleared
    with nothing_appended(journeys), pytest.raises(DebtAlreadyCleared):
        app.repay(debt_id, amount_pence=1, paid_on=TODAY)


def test_the_what_if_shows_the_schedules_and_writes_nothing(journeys: Journeys) -> None:
    customer_id = on_uc(journeys)
    debt_id = overpaid(journeys, customer_id, 30_000)  # £60 a month: 5 payments
    with nothing_appended(journeys):
        paused = journeys.application.debt_what_if(
            customer_id, DebtProposal(debt_id=debt_id, kind=ProposalKind.PAUSE, months=3)
        )
        reduced = journeys.application.debt_what_if(
            customer_id,
            DebtProposal(
                debt_id=debt_id,
                kind=ProposalKind.REDUCE,
                months=6,
                reduced_per_period_pence=3_000,
            ),
        )
    [projection] = paused.debts
    assert projection.current_clear_on == date(2026, 5, 5)
    assert projection.proposed_clear_on == date(2026, 8, 5)
    # £30 for six months (£180), then £60 in July and August.
    assert reduced.debts[0].proposed_clear_on == date(2026, 8, 5)


# -- Special Rules and death ----------------------------------------------------------------------


def sr1() -> Sr1Evidence:
    """An SR1 signed today by a GP: a progressive disease, death expected within 6 months."""
    return Sr1Evidence(
        signer_role=ClinicianRole.GP,
        signer_name="Dr Adeyemi",
        signed_on=TODAY,
        progressive_disease=True,
        death_expected_within_months=6,
    )


def test_open_debts_are_suspended_when_the_special_rules_policy_is_decided(
    journeys: Journeys,
) -> None:
    customer_id = on_uc(journeys)
    app = journeys.application
    debt_id = overpaid(journeys, customer_id)
    pip_claim = start_claim(journeys, customer_id, BenefitType.PIP)
    before = log_position(journeys)

    app.record_sr1(pip_claim, received_on=TODAY, evidence=sr1())

    topics = topics_since(journeys, before)
    assert "SpecialRulesCase.DebtRecoveryPolicyApplied" in topics
    assert "Debt.RecoverySuspended" in topics
    debt = app.debt(debt_id)
    assert debt.suspended
    [suspended] = [e for e in app.events.get(debt_id) if isinstance(e, Debt.RecoverySuspended)]
    assert suspended.policy.rule_id == "special_rules.debt_recovery"
    policy_event = app.events.get(suspended.policy_ref.aggregate_id)
    assert any(
        e.originator_version == suspended.policy_ref.version
        and type(e).__name__ == "DebtRecoveryPolicyApplied"
        for e in policy_event
    )

    # A debt identified later is suspended at once; deductions skip both.
    later = overpaid(journeys, customer_id, 90_000)
    assert app.debt(later).suspended
    assert (
        app.take_deductions(
            customer_id, period_start=TODAY, standard_allowance_pence=ALLOWANCE
        ).position
        == 0
    )


def test_a_death_moves_open_debts_to_the_estate_in_the_same_save(journeys: Journeys) -> None:
    customer_id = on_uc(journeys)
    app = journeys.application
    open_debt = overpaid(journeys, customer_id)
    cleared = overpaid(journeys, customer_id, 10_000)
    app.repay(cleared, amount_pence=10_000, paid_on=TODAY)
    before = log_position(journeys)

    app.notify_death(customer_id, date(2026, 1, 3), "TUO-77")

    topics = topics_since(journeys, before)
    assert topics.count("Debt.TransferredToEstate") == 1
    assert "Customer.DeathNotified" in topics
    debt = app.debt(open_debt)
    assert (debt.with_estate, debt.estate_reference) == (True, "TUO-77")
    assert not app.debt(cleared).with_estate

    with nothing_appended(journeys), pytest.raises(CustomerDeceased):
        app.take_deductions(customer_id, period_start=TODAY, standard_allowance_pence=ALLOWANCE)
    with nothing_appended(journeys), pytest.raises(CustomerDeceased):
        app.take_deduction(
            open_debt, amount_pence=100, period_start=TODAY, standard_allowance_pence=ALLOWANCE
        )


def test_an_overpayment_found_after_a_death_goes_to_the_estate_and_no_letter_is_tried(
    journeys: Journeys,
) -> None:
    customer_id = on_uc(journeys)
    app = journeys.application
    app.notify_death(customer_id, date(2026, 1, 2), "TUO-78")
    before = log_position(journeys)

    debt_id = app.identify_overpayment(
        customer_id,
        benefit=BenefitType.UC,
        cause=DebtCause.OFFICIAL_ERROR,
        period_from=date(2026, 1, 3),
        period_to=date(2026, 1, 4),
        amount_pence=4_000,
        identified_on=TODAY,
    ).id

    assert sorted(topics_since(journeys, before)) == [
        "Customer.DebtOpened",
        "Debt.OverpaymentIdentified",
        "Debt.TransferredToEstate",
    ]
    assert app.debt(debt_id).with_estate


# -- bad input: refused with a clear error, nothing appended --------------------------------------

BadCommand = Callable[[Journeys, UUID, UUID], object]


def _overpay(amount: int) -> BadCommand:
    return lambda journeys, customer_id, _: overpaid(journeys, customer_id, amount)


BAD_INPUT: list[tuple[str, BadCommand, type[DomainError], str]] = [
    ("a zero overpayment", _overpay(0), InvalidDebt, "amount_pence"),
    ("a negative overpayment", _overpay(-500), InvalidDebt, "amount_pence"),
    (
        "a zero advance",
        lambda j, c, _: j.application.record_advance(
            c,
            benefit=BenefitType.UC,
            advance_kind=AdvanceKind.NEW_CLAIM,
            amount_pence=0,
            taken_on=TODAY,
        ),
        InvalidDebt,
        "amount_pence",
    ),
    (
        "an advance deferred 4 months",
        lambda j, c, _: j.application.record_advance(
            c,
            benefit=BenefitType.UC,
            advance_kind=AdvanceKind.NEW_CLAIM,
            amount_pence=10_000,
            taken_on=TODAY,
            deferral_months=4,
        ),
        InvalidDebt,
        "deferral_months",
    ),
    (
        "a zero repayment",
        lambda j, _, d: j.application.repay(d, amount_pence=0, paid_on=TODAY),
        InvalidDebtAmount,
        "amount_pence",
    ),
    (
        "a negative voluntary payment",
        lambda j, _, d: j.application.record_voluntary_payment(d, amount_pence=-1, paid_on=TODAY),
        InvalidDebtAmount,
        "amount_pence",
    ),
    (
        "a repayment larger than the balance",
        lambda j, _, d: j.application.repay(d, amount_pence=120_001, paid_on=TODAY),
        RepaymentExceedsBalance,
        "balance",
    ),
    (
        "a hardship pause longer than the rule allows",
        lambda j, _, d: j.application.request_hardship(
            d, kind=HardshipKind.PAUSE, months=4, reason="Debts", requested_on=TODAY
        ),
        InvalidHardshipRequest,
        "at most 3 months",
    ),
    (
        "a waiver without a reason",
        lambda j, _, d: j.application.waive(
            d, amount_pence=1_000, grounds=WaiverGround.OTHER, reason=" ", decided_on=TODAY
        ),
        InvalidWaiver,
        "reason",
    ),
    (
        "a waiver larger than the balance",
        lambda j, _, d: j.application.waive(
            d, amount_pence=120_001, grounds=WaiverGround.OTHER, reason="x", decided_on=TODAY
        ),
        InvalidWaiver,
        "balance",
    ),
    (
        "a deduction above the cap",
        lambda j, _, d: j.application.take_deduction(
            d, amount_pence=6_001, period_start=TODAY, standard_allowance_pence=ALLOWANCE
        ),
        DeductionAboveCap,
        "cap",
    ),
    (
        "a zero deduction",
        lambda j, _, d: j.application.take_deduction(
            d, amount_pence=0, period_start=TODAY, standard_allowance_pence=ALLOWANCE
        ),
        InvalidDebtAmount,
        "amount_pence",
    ),
    (
        "an earnings attachment on a debt recovered from benefit",
        lambda j, _, d: j.application.take_earnings_attachment(
            d, pay_date=TODAY, net_pay_pence=50_000, frequency=PayFrequency.WEEKLY
        ),
        DomainError,
        "benefit_deduction",
    ),
    (
        "a repayment dated tomorrow",
        lambda j, _, d: j.application.repay(d, amount_pence=100, paid_on=date(2026, 1, 6)),
        DateInFuture,
        "paid_on",
    ),
    (
        "a repayment of a debt that does not exist",
        lambda j, _, d: j.application.repay(uuid4(), amount_pence=100, paid_on=TODAY),
        DebtNotFound,
        "no debt",
    ),
]


@pytest.mark.parametrize(
    ("command", "error", "match"),
    [pytest.param(c, e, m, id=name) for name, c, e, m in BAD_INPUT],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_appended(
    journeys: Journeys, command: BadCommand, error: type[DomainError], match: str
) -> None:
    customer_id = on_uc(journeys)
    debt_id = overpaid(journeys, customer_id)
    with nothing_appended(journeys), pytest.raises(error, match=match):
        command(journeys, customer_id, debt_id)


def test_a_debt_with_the_estate_refuses_a_wage_attachment(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    customer_id = register(journeys)
    debt_id = overpaid(journeys, customer_id, employed=True)
    move_to(clock, date(2026, 1, 9))
    journeys.application.notify_death(customer_id, date(2026, 1, 8), "TUO-79")
    with nothing_appended(journeys), pytest.raises(DebtWithEstate, match="estate"):
        journeys.application.take_earnings_attachment(
            debt_id, pay_date=date(2026, 1, 9), net_pay_pence=50_000, frequency=PayFrequency.WEEKLY
        )
