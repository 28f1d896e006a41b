"""Lump sums: an arrears payment on a claim, held for a colleague's check when the rule says so.

RULES.md section 6. The rule `safeguarding.lump_sum_hold` decides from the amount and the
customer's active additional-support markers; a held payment is released by a colleague
other than the one who proposed it, with a note of the check. Nothing is paid to a customer
whose death has been notified.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate, acting_actor
from domain.claim import Claim
from domain.customer import Customer
from domain.decisions import Decision
from domain.errors import CustomerDeceased, InvalidLumpSum, LumpSumNotHeld, ReleaseBySameColleague
from domain.obligations import implies
from domain.rules.safeguarding import SAFEGUARDING_LUMP_SUM_HOLD, LumpSumFacts
from domain.safeguarding_checks import not_before, required_text
from domain.values import Actor, pounds
from domain.wording import SAFEGUARDING_WORK


class LumpSumStatus(Enum):
    """Where a lump sum stands."""

    HELD = "held"
    RELEASED = "released"


def _refuse_if_deceased(date_of_death: date | None, action: str) -> None:
    if date_of_death is not None:
        raise CustomerDeceased(
            f"cannot {action}: death notified (date of death {date_of_death.isoformat()}), "
            "payments have stopped"
        )


class LumpSum(JourneyAggregate):
    """An arrears payment for a period of a customer's claim."""

    noun = "lump sum"

    @implies(
        timeline=lambda e: (
            f"Lump sum of {pounds(e.amount_pence)} proposed for {e.period_from.isoformat()} to "
            f"{e.period_to.isoformat()}"
            + (": held for a colleague's check" if e.hold_decision.outcome.get("hold") else "")
        ),
        letter=SAFEGUARDING_WORK,
    )
    class Proposed(JourneyAggregate.Created):
        """A colleague proposed an arrears payment; the rule said whether it is held."""

        customer_id: UUID
        claim_id: UUID
        amount_pence: int
        period_from: date
        period_to: date
        proposed_by: Actor
        hold_decision: Decision
        effective_date: date

    @classmethod
    def propose(
        cls,
        *,
        customer: Customer,
        claim: Claim,
        amount_pence: int,
        period_from: date,
        period_to: date,
        proposed_on: date,
    ) -> LumpSum:
        """Propose the payment; it is released at once unless the rule holds it."""
        _refuse_if_deceased(customer.date_of_death, "propose a lump sum")
        if amount_pence <= 0:
            raise InvalidLumpSum(
                f"amount_pence: {amount_pence} is not a positive amount", field="amount_pence"
            )
        if period_to < period_from:
            raise InvalidLumpSum(
                f"period_to {period_to.isoformat()} is before period_from "
                f"{period_from.isoformat()}",
                field="period_to",
            )
        if period_to > proposed_on:
            raise InvalidLumpSum(
                f"period_to {period_to.isoformat()} is after the day the arrears are proposed "
                f"({proposed_on.isoformat()}): arrears are for a period already past",
                field="period_to",
            )
        decided = SAFEGUARDING_LUMP_SUM_HOLD.decide(
            LumpSumFacts(
                amount_pence=amount_pence,
                support_needs=tuple(sorted(customer.support_markers, key=lambda n: n.value)),
            ),
            on=proposed_on,
            sources={"support_needs": customer.ref(), "claim": claim.ref()},
        )
        lump_sum = cls(
            customer_id=customer.id,
            claim_id=claim.id,
            amount_pence=amount_pence,
            period_from=period_from,
            period_to=period_to,
            proposed_by=acting_actor(),
            hold_decision=decided.record,
            effective_date=proposed_on,
        )
        if not decided.outcome.hold:
            lump_sum._released(
                effective_date=proposed_on, released_by=Actor.system(), check_note=None
            )
        return lump_sum

    @event(Proposed)
    def __init__(
        self,
        customer_id: UUID,
        claim_id: UUID,
        amount_pence: int,
        period_from: date,
        period_to: date,
        proposed_by: Actor,
        hold_decision: Decision,
        effective_date: date,
    ) -> None:
        self.customer_id = customer_id
        self.claim_id = claim_id
        self.amount_pence = amount_pence
        self.period_from = period_from
        self.period_to = period_to
        self.proposed_by = proposed_by
        self.hold_decision = hold_decision
        self.proposed_on = effective_date
        self.status = LumpSumStatus.HELD
        self.released_on: date | None = None
        self.released_by: Actor | None = None
        self.check_note: str | None = None

    @implies(
        timeline=lambda e: (
            "Lump sum released"
            + (f" after a check: {e.check_note}" if e.check_note else " at once")
        ),
        letter=SAFEGUARDING_WORK,
    )
    class Released(JourneyAggregate.Event):
        """The payment was released: at once (no check needed) or after a colleague's check."""

        effective_date: date
        released_by: Actor
        check_note: str | None

    def release(self, check_note: str, released_on: date, date_of_death: date | None) -> None:
        """A colleague other than the proposer releases a held payment after checking it."""
        _refuse_if_deceased(date_of_death, "release a lump sum")
        if self.status is not LumpSumStatus.HELD:
            raise LumpSumNotHeld(f"the lump sum is {self.status.value}, not held for a check")
        checker = acting_actor()
        if not checker.is_person or checker == self.proposed_by:
            raise ReleaseBySameColleague(
                "the check must be made by a colleague other than the one who proposed the "
                f"payment ({self.proposed_by.identifier})"
            )
        not_before(released_on, self.proposed_on, "released_on", "the day it was proposed")
        self._released(
            effective_date=released_on,
            released_by=checker,
            check_note=required_text(check_note, "check_note"),
        )

    @event(Released)
    def _released(self, effective_date: date, released_by: Actor, check_note: str | None) -> None:
        self.status = LumpSumStatus.RELEASED
        self.released_on = effective_date
        self.released_by = released_by
        self.check_note = check_note
