"""Dated debt recovery journeys through the real system: the cap change of 30 April 2025,
Direct Earnings Attachment bands and the 60% protection, and a death with a debt open.

Ayo claims Universal Credit from 12 March 2025, so her assessment periods start on the 12th.
Her standard allowance is £400.14 a month (2025-26, single, 25 or over).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from adapters.bootstrap import Journeys
from adapters.contact.spool import SpoolGateway
from domain.aggregate import acting_as
from domain.customer import Customer
from domain.debt import Debt
from domain.rules import rerun
from domain.rules.debt import (
    AdvanceKind,
    DebtCause,
    HardshipKind,
    PayFrequency,
    RecoveryMethod,
    WaiverGround,
)
from domain.values import BenefitType
from services.clock import SimulatedClock
from tests.integration.helpers import register
from tests.scenarios.debt_steps import ALLOWANCE, CASEWORKER, ayo_on_uc
from tests.scenarios.steps import move_to


@pytest.fixture
def clock() -> SimulatedClock:
    """A clock on Tuesday 1 April 2025, a month before the cap falls to 15%."""
    return SimulatedClock.on(date(2025, 4, 1))


def deductions(journeys: Journeys, debt_id: UUID) -> list[Debt.DeductionTaken]:
    """The debt's deductions, oldest first."""
    return [
        e for e in journeys.application.events.get(debt_id) if isinstance(e, Debt.DeductionTaken)
    ]


def test_the_same_customers_deductions_fall_to_the_15_percent_cap_from_the_may_period(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    # 1 April 2025: a £2,000 overpayment (her error) and a £1,200 new-claim advance of 12 March.
    overpayment = app.identify_overpayment(
        ayo,
        benefit=BenefitType.UC,
        cause=DebtCause.CLAIMANT_ERROR,
        period_from=date(2024, 10, 1),
        period_to=date(2025, 2, 28),
        amount_pence=200_000,
        identified_on=date(2025, 4, 1),
        standard_allowance_pence=ALLOWANCE,
    ).id
    advance = app.record_advance(
        ayo,
        benefit=BenefitType.UC,
        advance_kind=AdvanceKind.NEW_CLAIM,
        amount_pence=120_000,
        taken_on=date(2025, 3, 12),
        standard_allowance_pence=ALLOWANCE,
    ).id
    assert app.debt(overpayment).per_period_pence == 6_002  # 15% of £400.14
    assert app.debt(advance).per_period_pence == 5_000  # £1,200 over 24 months

    # Saturday 12 April 2025: the period starts before 30 April, so the 25% cap (£100.03).
    move_to(clock, date(2025, 4, 12))
    app.take_deductions(ayo, period_start=date(2025, 4, 12), standard_allowance_pence=ALLOWANCE)
    # Monday 12 May 2025: the period starts after 30 April: the 15% cap (£60.02).
    move_to(clock, date(2025, 5, 12))
    app.take_deductions(ayo, period_start=date(2025, 5, 12), standard_allowance_pence=ALLOWANCE)

    april_advance, may_advance = deductions(journeys, advance)
    april_overpayment, may_overpayment = deductions(journeys, overpayment)
    assert (april_advance.amount_pence, april_overpayment.amount_pence) == (5_000, 5_003)
    assert (may_advance.amount_pence, may_overpayment.amount_pence) == (5_000, 1_002)
    april_cap, may_cap = april_advance.decision, may_advance.decision
    assert april_cap is not None
    assert may_cap is not None
    assert april_overpayment.decision == april_cap
    assert may_overpayment.decision == may_cap
    assert (april_cap.outcome["cap_pence"], may_cap.outcome["cap_pence"]) == (10_003, 6_002)
    assert april_cap.inputs["assessment_period_start"] == "2025-04-12"
    assert (april_cap.rule_version, may_cap.rule_version) == (3, 4)
    assert rerun(april_cap).reproduces
    assert rerun(may_cap).reproduces
    assert app.debt(overpayment).balance_pence == 200_000 - 5_003 - 1_002
    assert app.debt(advance).balance_pence == 120_000 - 10_000


def test_deductions_from_a_period_starting_on_30_april_2025_use_the_new_cap(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    debt_id = app.identify_overpayment(
        ayo,
        benefit=BenefitType.UC,
        cause=DebtCause.FRAUD,
        period_from=date(2024, 6, 1),
        period_to=date(2025, 1, 31),
        amount_pence=500_000,
        identified_on=date(2025, 4, 1),
        standard_allowance_pence=ALLOWANCE,
    ).id
    for start in (date(2025, 4, 29), date(2025, 4, 30)):
        move_to(clock, start)
        app.take_deductions(ayo, period_start=start, standard_allowance_pence=ALLOWANCE)
    before, on_the_day = deductions(journeys, debt_id)
    # Fraud asks 40% (£160.05), but the cap still applies: 25% the day before, 15% on the day.
    assert (before.amount_pence, on_the_day.amount_pence) == (10_003, 6_002)


# -- Direct Earnings Attachment -------------------------------------------------------------------

# A band is "exceeding" its lower edge and "not exceeding" its upper one (the regulation's
# table): pay exactly on an edge is in the lower band, a penny more in the next.
WEEKLY_EDGES = [
    (10_000, 0),
    (10_001, 300),
    (16_000, 480),
    (16_001, 800),
    (22_000, 1_100),
    (22_001, 1_540),
    (27_000, 1_890),
    (27_001, 2_970),
    (37_500, 4_125),
    (37_501, 5_625),
    (52_000, 7_800),
    (52_001, 10_400),
]
MONTHLY_EDGES = [
    (43_000, 0),
    (43_001, 1_290),
    (224_000, 33_600),
    (224_001, 44_800),
]


def off_benefit_and_employed(journeys: Journeys) -> UUID:
    """Bola, off benefit and in work, with a £9,000 claimant-error overpayment."""
    customer_id = register(journeys, name="Bola")
    return journeys.application.identify_overpayment(
        customer_id,
        benefit=BenefitType.ESA,
        cause=DebtCause.CLAIMANT_ERROR,
        period_from=date(2023, 1, 1),
        period_to=date(2024, 12, 31),
        amount_pence=900_000,
        identified_on=date(2025, 4, 1),
        employed=True,
    ).id


@pytest.mark.parametrize(
    ("frequency", "edges"),
    [
        (PayFrequency.WEEKLY, WEEKLY_EDGES),
        (PayFrequency.MONTHLY, MONTHLY_EDGES),
    ],
)
def test_earnings_are_attached_by_band_on_both_sides_of_every_edge(
    journeys: Journeys,
    clock: SimulatedClock,
    frequency: PayFrequency,
    edges: list[tuple[int, int]],
) -> None:
    app = journeys.application
    debt_id = off_benefit_and_employed(journeys)
    assert app.debt(debt_id).method is RecoveryMethod.EARNINGS_ATTACHMENT
    # One pay day each, Friday by Friday from 4 April 2025.
    for week, (net_pay, _) in enumerate(edges):
        pay_day = date(2025, 4, 4) + timedelta(weeks=week)
        move_to(clock, pay_day)
        app.take_earnings_attachment(
            debt_id, pay_date=pay_day, net_pay_pence=net_pay, frequency=frequency
        )
    taken = [(e.amount_pence, e.decision) for e in deductions(journeys, debt_id)]
    assert [amount for amount, _ in taken] == [expected for _, expected in edges]
    for _, decision in taken:
        assert decision is not None
        assert decision.rule_id == "debt.earnings_attachment"
        assert decision.outcome["protected"] is False


def test_the_employee_always_keeps_60_percent_of_net_pay(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    debt_id = off_benefit_and_employed(journeys)
    move_to(clock, date(2025, 4, 4))
    # £520 a week: 15% is £78, but £160 of other attachments leave only £48 above the 60%.
    app.take_earnings_attachment(
        debt_id,
        pay_date=date(2025, 4, 4),
        net_pay_pence=52_000,
        frequency=PayFrequency.WEEKLY,
        other_attachments_pence=16_000,
    )
    move_to(clock, date(2025, 4, 11))
    # Other attachments of £208 or more take all the room: nothing is attached.
    app.take_earnings_attachment(
        debt_id,
        pay_date=date(2025, 4, 11),
        net_pay_pence=52_000,
        frequency=PayFrequency.WEEKLY,
        other_attachments_pence=20_800,
    )
    cut, nothing = deductions(journeys, debt_id)
    assert cut.amount_pence == 4_800
    assert nothing.amount_pence == 0
    assert cut.decision is not None
    assert cut.decision.outcome["protected"] is True
    assert any("60%" in reason for reason in cut.decision.reasons)
    assert 52_000 - 16_000 - cut.amount_pence >= 52_000 * 60 // 100


# -- death --------------------------------------------------------------------------------------


def letters_in_spool(journeys: Journeys, customer_id: UUID) -> list[str]:
    """The template ids of the letters to the customer the print house has."""
    spool = journeys.outbox.gateway
    assert isinstance(spool, SpoolGateway)
    if not spool.directory.exists():
        return []
    return sorted(
        str(document["template_id"])
        for document in spool.delivered()
        if document["customer_id"] == str(customer_id)
    )


def test_a_debt_moves_to_the_estate_on_death_and_nothing_more_reaches_the_customer(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    debt_id = app.identify_overpayment(
        ayo,
        benefit=BenefitType.UC,
        cause=DebtCause.OFFICIAL_ERROR,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 2, 28),
        amount_pence=80_000,
        identified_on=date(2025, 4, 1),
        standard_allowance_pence=ALLOWANCE,
    ).id
    journeys.outbox.run()
    assert letters_in_spool(journeys, ayo) == ["award_decision", "debt_notice"]

    # 12 April 2025: a deduction; 14 April: Ayo asks for a pause (its letter would follow).
    move_to(clock, date(2025, 4, 12))
    app.take_deductions(ayo, period_start=date(2025, 4, 12), standard_allowance_pence=ALLOWANCE)
    move_to(clock, date(2025, 4, 14))
    app.request_hardship(
        debt_id, kind=HardshipKind.PAUSE, months=2, reason="Unwell", requested_on=date(2025, 4, 14)
    )

    # Thursday 17 April 2025: her death on 15 April is notified.
    move_to(clock, date(2025, 4, 17))
    app.notify_death(ayo, date(2025, 4, 15), "TUO-2025-0415")
    debt = app.debt(debt_id)
    assert (debt.with_estate, debt.estate_from, debt.balance_pence) == (
        True,
        date(2025, 4, 15),
        80_000 - 6_002,
    )
    assert debt.hardship_request is None  # nothing left to decide with her
    [moved] = [e for e in app.events.get(debt_id) if isinstance(e, Debt.TransferredToEstate)]
    assert (moved.reference, moved.balance_pence) == ("TUO-2025-0415", 73_998)

    # 12 May 2025: no deduction, and UC paid on 12 April for days after the death is owed
    # by the estate: identified, moved to it at once, no letter attempted.
    move_to(clock, date(2025, 5, 12))
    after = app.identify_overpayment(
        ayo,
        benefit=BenefitType.UC,
        cause=DebtCause.OFFICIAL_ERROR,
        period_from=date(2025, 4, 16),
        period_to=date(2025, 5, 11),
        amount_pence=35_000,
        identified_on=date(2025, 5, 12),
    ).id
    assert app.debt(after).with_estate

    # 2 June 2025: a caseworker writes part of it off; the letter it implies is refused.
    move_to(clock, date(2025, 6, 2))
    with acting_as(CASEWORKER):
        app.waive(
            debt_id,
            amount_pence=20_000,
            grounds=WaiverGround.OFFICIAL_ERROR_HARDSHIP,
            reason="The overpayment was our error",
            decided_on=date(2025, 6, 2),
        )
    # The executor repays the rest from the estate.
    app.repay(debt_id, amount_pence=53_998, paid_on=date(2025, 6, 2))
    assert app.debt(debt_id).cleared

    run = journeys.outbox.run()
    assert (run.sent, run.refused) == ([], [])
    assert letters_in_spool(journeys, ayo) == ["award_decision", "debt_notice"]
    refused = [e for e in app.events.get(ayo) if isinstance(e, Customer.ContactRefused)]
    assert [e.message.template_id for e in refused] == ["debt_waived"]
    assert refused[0].reason.startswith("death notified (date of death 2025-04-15)")
    assert [type(e).__name__ for e in deductions(journeys, debt_id)] == ["DeductionTaken"]
