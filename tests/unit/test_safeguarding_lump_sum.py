"""Lump sums: the hold rule, release by a different colleague, and nothing paid after a death."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.aggregate import acting_as
from domain.customer import Customer
from domain.errors import (
    CustomerDeceased,
    DateBeforeOpened,
    InvalidLumpSum,
    LumpSumNotHeld,
    MissingDescription,
    ReleaseBySameColleague,
)
from domain.lump_sum import LumpSum, LumpSumStatus
from domain.rules import RULES, rerun
from domain.rules.safeguarding import SAFEGUARDING_LUMP_SUM_HOLD, LumpSumFacts
from domain.values import Actor, SupportDuration, SupportMarker, SupportNeed
from tests.unit.builders import event_names, refused, register_customer, start_claim

PROPOSED_ON = date(2026, 5, 11)
PERIOD = (date(2025, 6, 1), date(2026, 4, 30))
PROPOSER = Actor.caseworker("CW-31")
CHECKER = Actor.caseworker("CW-32")
THRESHOLD = 500_000  # £5,000 in the version in force


def customer(*needs: SupportNeed) -> Customer:
    """A customer registered in 2025 with the given active support markers."""
    person = register_customer()
    for need in needs:
        person.add_support_marker(
            SupportMarker(need=need, duration=SupportDuration.LONG_TERM), date(2025, 2, 1)
        )
    return person


def proposed(amount_pence: int, person: Customer) -> LumpSum:
    """Arrears for June 2025 to April 2026 proposed by CW-31 on 11 May 2026."""
    with acting_as(PROPOSER):
        return LumpSum.propose(
            customer=person,
            claim=start_claim(),
            amount_pence=amount_pence,
            period_from=PERIOD[0],
            period_to=PERIOD[1],
            proposed_on=PROPOSED_ON,
        )


def test_a_large_payment_to_a_customer_with_a_support_marker_is_held() -> None:
    lump_sum = proposed(THRESHOLD + 1, customer(SupportNeed.MENTAL_CAPACITY))

    assert lump_sum.status is LumpSumStatus.HELD
    assert event_names(lump_sum) == ["Proposed"]
    decision = lump_sum.hold_decision
    assert decision.rule_id == "safeguarding.lump_sum_hold"
    assert decision.inputs == {"amount_pence": 500_001, "support_needs": ["mental_capacity"]}
    assert decision.outcome == {"hold": True, "threshold_pence": THRESHOLD}
    assert set(decision.input_sources) == {"support_needs", "claim"}
    assert lump_sum.proposed_by == PROPOSER


@pytest.mark.parametrize(
    ("amount", "needs"),
    [
        (THRESHOLD, (SupportNeed.HEALTH,)),  # at the threshold is not above it
        (THRESHOLD * 3, ()),  # large, but no marker
        (12_345, (SupportNeed.LITERACY,)),  # marker, but small
    ],
)
def test_otherwise_the_payment_is_released_at_once(
    amount: int, needs: tuple[SupportNeed, ...]
) -> None:
    lump_sum = proposed(amount, customer(*needs))

    assert lump_sum.status is LumpSumStatus.RELEASED
    assert lump_sum.released_on == PROPOSED_ON
    assert lump_sum.released_by == Actor.system()
    assert event_names(lump_sum) == ["Proposed", "Released"]


def test_a_marker_removed_before_the_proposal_no_longer_counts() -> None:
    person = customer(SupportNeed.HEALTH)
    person.remove_support_marker(SupportNeed.HEALTH, date(2026, 1, 1))

    assert proposed(THRESHOLD * 2, person).status is LumpSumStatus.RELEASED


def test_a_colleague_other_than_the_proposer_releases_a_held_payment_with_a_check_note() -> None:
    lump_sum = proposed(800_000, customer(SupportNeed.HEALTH))

    with acting_as(PROPOSER), refused(lump_sum, ReleaseBySameColleague, match="CW-31"):
        lump_sum.release("checked", date(2026, 5, 12), None)
    with refused(lump_sum, ReleaseBySameColleague):  # the system is nobody's check
        lump_sum.release("checked", date(2026, 5, 12), None)
    with acting_as(CHECKER), refused(lump_sum, MissingDescription, match=r"^check_note:"):
        lump_sum.release(" ", date(2026, 5, 12), None)
    with acting_as(CHECKER), refused(lump_sum, DateBeforeOpened, match=r"^released_on"):
        lump_sum.release("checked", date(2026, 5, 10), None)
    with acting_as(CHECKER):
        lump_sum.release("Spoke to the appointee; bank details confirmed", date(2026, 5, 12), None)

    assert lump_sum.status is LumpSumStatus.RELEASED
    assert lump_sum.released_by == CHECKER
    assert lump_sum.check_note == "Spoke to the appointee; bank details confirmed"
    with acting_as(CHECKER), refused(lump_sum, LumpSumNotHeld):
        lump_sum.release("again", date(2026, 5, 13), None)


def test_nothing_is_proposed_or_released_for_a_customer_whose_death_is_notified() -> None:
    person = customer(SupportNeed.HEALTH)
    held = proposed(900_000, person)
    person.notify_death(date(2026, 5, 11), "TUO-1", PROPOSED_ON)

    with pytest.raises(CustomerDeceased, match="payments have stopped"):
        proposed(900_000, person)
    with acting_as(CHECKER), refused(held, CustomerDeceased):
        held.release("checked", date(2026, 5, 12), person.date_of_death)


@pytest.mark.parametrize(
    ("amount", "period_from", "period_to", "field"),
    [
        (0, PERIOD[0], PERIOD[1], "amount_pence"),
        (100, date(2026, 4, 30), date(2026, 4, 1), "period_to"),
        (100, PERIOD[0], date(2026, 5, 12), "period_to"),
    ],
)
def test_an_amount_or_period_that_cannot_be_arrears_is_refused(
    amount: int, period_from: date, period_to: date, field: str
) -> None:
    with pytest.raises(InvalidLumpSum, match=f"^{field}"):
        LumpSum.propose(
            customer=customer(),
            claim=start_claim(),
            amount_pence=amount,
            period_from=period_from,
            period_to=period_to,
            proposed_on=PROPOSED_ON,
        )


def test_the_rule_is_registered_and_its_recorded_decision_reproduces() -> None:
    assert RULES["safeguarding.lump_sum_hold"] is SAFEGUARDING_LUMP_SUM_HOLD
    assert "UNVERIFIED" in SAFEGUARDING_LUMP_SUM_HOLD.versions[0].summary
    lump_sum = proposed(600_000, customer(SupportNeed.LANGUAGE))

    assert rerun(lump_sum.hold_decision).reproduces


@given(
    amount=st.integers(min_value=1, max_value=5_000_000),
    needs=st.sets(st.sampled_from(SupportNeed)),
)
def test_the_hold_is_exactly_above_the_threshold_and_a_marker(
    amount: int, needs: set[SupportNeed]
) -> None:
    decided = SAFEGUARDING_LUMP_SUM_HOLD.decide(
        LumpSumFacts(amount_pence=amount, support_needs=tuple(needs)), on=PROPOSED_ON
    )

    assert decided.outcome.hold == (amount > THRESHOLD and bool(needs))
