"""Demo journeys of debt recovery, for the synthetic population.

Only the demo draws these (with `Population.debts`): the benchmark seed stays as it was.
Each journey is a generator of moments, as in `population.py`: it yields when its next step
happens, then runs that step's command. Customers on Universal Credit have their deductions
taken at the start of each monthly assessment period, so the journeys that start before
30 April 2025 cross the day the overall deduction cap fell from 25% to 15%.
"""

from __future__ import annotations

import random
from collections.abc import Generator, Iterator
from datetime import date, datetime, timedelta
from uuid import UUID

from adapters.demo.safeguarding import PopulationSteps
from domain.aggregate import acting_as
from domain.periods import add_calendar_months
from domain.rules.debt import (
    AdvanceKind,
    DebtCause,
    HardshipKind,
    PayFrequency,
    WaiverGround,
)
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole
from domain.special_rules import Sr1Evidence
from domain.values import Actor, BenefitType, ClaimantRole, ClaimChannel

# Shares of the demo population (the population's other journeys weigh about 120).
DEBT_WEIGHTS: dict[str, float] = {
    "debt_overpayment": 1.5,
    "debt_advance": 1,
    "debt_earnings_attachment": 0.8,
    "debt_voluntary_plan": 0.5,
    "debt_hardship": 1,
    "debt_early_repayment": 0.7,
    "debt_waiver": 0.5,
    "debt_small": 0.5,
    "debt_special_rules": 0.5,
    "debt_deceased": 0.5,
}

UC_DECISION_MAKER = Actor.caseworker("dm-0588")
DEBT_DECISION_MAKER = Actor.caseworker("dm-debt-0716")
SPECIAL_RULES_DECISION_MAKER = Actor.caseworker("dm-sr-0311")

# The UC standard allowance (single, 25 or over) a month, in pence: 2024-25, then 2025-26 from
# the first assessment period starting on or after 7 April 2025.
ALLOWANCE_2024_PENCE = 39_345
ALLOWANCE_2025_PENCE = 40_014
UPRATED_FROM = date(2025, 4, 7)

# Direct Earnings Attachment band edges in pounds (RULES.md section 5): pay near them.
WEEKLY_EDGES = (100, 160, 220, 270, 375, 520)
MONTHLY_EDGES = (430, 690, 950, 1160, 1615, 2240)

HARDSHIP_REASONS = (
    "rent went up and the deductions leave nothing for food",
    "a new baby and the cost of heating the flat",
    "the car broke down and it is needed to get to work",
)
WAIVERS = (
    (WaiverGround.OFFICIAL_ERROR_HARDSHIP, "our error, and recovery would cause hardship"),
    (WaiverGround.DISTRESS, "recovery would harm the customer's health, per the GP's letter"),
    (WaiverGround.OTHER, "the cost of recovery is out of proportion to the sum"),
)


def allowance_on(period_start: date) -> int:
    """The standard allowance for an assessment period starting that day."""
    return ALLOWANCE_2025_PENCE if period_start >= UPRATED_FROM else ALLOWANCE_2024_PENCE


class DebtJourneys:
    """Steps of the debt recovery journeys, drawn with the population's random source."""

    def __init__(self, people: PopulationSteps, rng: random.Random) -> None:
        self.people = people
        self.app = people.application
        self.rng = rng

    def steps(self, kind: str, customer_id: UUID) -> Iterator[datetime]:
        """The journey of one kind for a registered customer."""
        journeys = {
            "debt_overpayment": self._overpayment,
            "debt_advance": self._advance,
            "debt_earnings_attachment": self._earnings_attachment,
            "debt_voluntary_plan": self._voluntary_plan,
            "debt_hardship": self._hardship,
            "debt_early_repayment": self._early_repayment,
            "debt_waiver": self._waiver,
            "debt_small": self._small,
            "debt_special_rules": self._special_rules,
            "debt_deceased": self._deceased,
        }
        return journeys[kind](customer_id)

    # -- time and dice ------------------------------------------------------------------------

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _on(self, day: date) -> datetime:
        """A moment on `day` (today at the earliest)."""
        days = max(0, (day - self.people._today()).days)
        return self.people._later(days, days)

    # -- shared steps -------------------------------------------------------------------------

    def _on_uc(self, customer_id: UUID) -> Generator[datetime, None, date]:
        """A UC claim made weeks ago and awarded from its claim date: returns the claim date."""
        yield self.people._later(0, 2)
        claim_date = self.people._today() - timedelta(days=self.rng.randint(20, 70))
        claim_id = self.app.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.UC,
            channel=ClaimChannel.ONLINE,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=claim_date,
        ).id
        yield self.people._later(1, 10)
        self.app.decide_entitlement(
            claim_id,
            decided_on=self.people._today(),
            entitled=True,
            reason="conditions of entitlement met",
            decision_maker=UC_DECISION_MAKER,
            starts_on=claim_date,
        )
        return claim_date

    def _identify(
        self,
        customer_id: UUID,
        *,
        amount_pence: int,
        cause: DebtCause | None = None,
        employed: bool = False,
        on_uc: bool = True,
    ) -> UUID:
        """An overpayment of UC for some months before today, found today."""
        today = self.people._today()
        period_to = today - timedelta(days=self.rng.randint(10, 60))
        if cause is None:
            cause = self.rng.choices(list(DebtCause), (3, 6, 1))[0]
        return self.app.identify_overpayment(
            customer_id,
            benefit=BenefitType.UC,
            cause=cause,
            period_from=period_to - timedelta(days=self.rng.randint(30, 300)),
            period_to=period_to,
            amount_pence=amount_pence,
            identified_on=today,
            employed=employed,
            # On UC the rate is decided at once, from this period's standard allowance.
            standard_allowance_pence=allowance_on(today) if on_uc else None,
        ).id

    def _advance(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        self._take_advance(customer_id)
        yield from self._deductions(customer_id, claim_date, 14)

    def _take_advance(self, customer_id: UUID) -> UUID:
        """A new-claim advance taken today, repaid over 24 months (sometimes deferred)."""
        return self.app.record_advance(
            customer_id,
            benefit=BenefitType.UC,
            advance_kind=AdvanceKind.NEW_CLAIM,
            amount_pence=self.rng.randint(20, 90) * 1000,
            taken_on=self.people._today(),
            deferral_months=self.rng.choice((0, 0, 0, 1, 3)),
        ).id

    def _deductions(self, customer_id: UUID, claim_date: date, periods: int) -> Iterator[datetime]:
        """Deductions at the start of each assessment period, until cleared or `periods` run."""
        month, taken = 1, 0
        while taken < periods:
            period_start = add_calendar_months(claim_date, month)
            month += 1
            if period_start < self.people._today():
                continue
            yield self._on(period_start)
            self.app.take_deductions(
                customer_id,
                period_start=period_start,
                standard_allowance_pence=allowance_on(period_start),
            )
            taken += 1
            if not any(debt.open for debt in self.app.debts_of(customer_id)):
                return

    # -- on benefit ---------------------------------------------------------------------------

    def _overpayment(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        if self._chance(0.35):
            # An advance too: under the cap it comes before the overpayment.
            self._take_advance(customer_id)
        yield self.people._later(5, 40)
        self._identify(customer_id, amount_pence=self.rng.randint(25, 250) * 1000)
        yield from self._deductions(customer_id, claim_date, 14)

    def _hardship(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        yield self.people._later(5, 30)
        debt_id = self._identify(
            customer_id,
            amount_pence=self.rng.randint(60, 250) * 1000,
            cause=self.rng.choice((DebtCause.CLAIMANT_ERROR, DebtCause.OFFICIAL_ERROR)),
        )
        yield from self._deductions(customer_id, claim_date, self.rng.randint(1, 3))
        yield self.people._later(2, 12)
        pause = self._chance(0.5)
        rate = self.app.debt(debt_id).per_period_pence
        self.app.request_hardship(
            debt_id,
            kind=HardshipKind.PAUSE if pause else HardshipKind.REDUCE,
            months=self.rng.randint(1, 3) if pause else self.rng.randint(2, 6),
            reason=self.rng.choice(HARDSHIP_REASONS),
            requested_on=self.people._today(),
            reduced_per_period_pence=None if pause else rate // 2,
        )
        if self._chance(0.15):
            return  # still on the hardship worklist
        yield self.people._later(1, 9)
        agree = self._chance(0.7)
        with acting_as(DEBT_DECISION_MAKER):
            self.app.decide_hardship(
                debt_id,
                agree=agree,
                reason="income and outgoings checked: the deductions cause hardship"
                if agree
                else "income and outgoings checked: the deductions are affordable",
                decided_on=self.people._today(),
            )
        yield from self._deductions(customer_id, claim_date, 8)

    def _early_repayment(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        yield self.people._later(5, 30)
        if self._chance(0.5):
            debt_id = self._take_advance(customer_id)
        else:
            debt_id = self._identify(customer_id, amount_pence=self.rng.randint(20, 150) * 1000)
        yield from self._deductions(customer_id, claim_date, self.rng.randint(1, 3))
        yield self.people._later(3, 20)
        balance = self.app.debt(debt_id).balance_pence
        in_full = self._chance(0.6)
        self.app.repay(
            debt_id,
            amount_pence=balance if in_full else max(1, balance // 2),
            paid_on=self.people._today(),
        )
        if not in_full:
            yield from self._deductions(customer_id, claim_date, 4)

    def _waiver(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        yield self.people._later(5, 30)
        debt_id = self._identify(
            customer_id,
            amount_pence=self.rng.randint(30, 300) * 1000,
            cause=DebtCause.OFFICIAL_ERROR,
        )
        yield from self._deductions(customer_id, claim_date, self.rng.randint(1, 2))
        yield self.people._later(5, 30)
        balance = self.app.debt(debt_id).balance_pence
        in_full = self._chance(0.7)
        grounds, reason = self.rng.choice(WAIVERS)
        with acting_as(DEBT_DECISION_MAKER):
            self.app.waive(
                debt_id,
                amount_pence=balance if in_full else max(1, balance // 2),
                grounds=grounds,
                reason=reason,
                decided_on=self.people._today(),
            )
        if not in_full:
            yield from self._deductions(customer_id, claim_date, 4)

    def _special_rules(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        sr1_first = self._chance(0.3)
        if not sr1_first:
            yield self.people._later(5, 30)
            self._identify(customer_id, amount_pence=self.rng.randint(30, 200) * 1000)
            yield from self._deductions(customer_id, claim_date, self.rng.randint(1, 3))
        # Terminally ill: a PIP claim with an SR1; the policy suspends recovery of every debt.
        yield self.people._later(1, 10)
        today = self.people._today()
        pip_claim = self.app.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.PIP,
            channel=ClaimChannel.PHONE,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=today,
        ).id
        yield self.people._later(0, 4)
        today = self.people._today()
        self.app.record_sr1(
            pip_claim,
            received_on=today,
            evidence=Sr1Evidence(
                signer_role=ClinicianRole.CONSULTANT,
                signer_name="Dr R. Okafor",
                signed_on=today - timedelta(days=1),
                progressive_disease=True,
                death_expected_within_months=self.rng.choice((4, 9)),
            ),
            customer_aware=True,
        )
        if sr1_first:
            # Found after the SR1: suspended from the start.
            yield self.people._later(5, 30)
            self._identify(customer_id, amount_pence=self.rng.randint(30, 200) * 1000)
        yield self.people._later(1, 5)
        self.app.decide_special_rules_award(
            pip_claim,
            decided_on=self.people._today(),
            decision_maker=SPECIAL_RULES_DECISION_MAKER,
            mobility=Rate.ENHANCED if self._chance(0.5) else Rate.STANDARD,
        )

    def _deceased(self, customer_id: UUID) -> Iterator[datetime]:
        claim_date = yield from self._on_uc(customer_id)
        yield self.people._later(5, 30)
        if self._chance(0.4):
            debt_id = self._take_advance(customer_id)
        else:
            debt_id = self._identify(customer_id, amount_pence=self.rng.randint(40, 250) * 1000)
        yield from self._deductions(customer_id, claim_date, self.rng.randint(1, 4))
        yield self.people._later(5, 40)
        died = self.people._today() - timedelta(days=self.rng.randint(1, 5))
        self.app.notify_death(customer_id, died, f"TUO-{self.rng.randint(0, 10**8):08d}")
        if self._chance(0.5):
            return  # the estate has not paid yet: on the estate debts worklist
        # The executor settles the balance from the estate (never from family).
        yield self.people._later(20, 90)
        debt = self.app.debt(debt_id)
        if debt.open:
            self.app.record_voluntary_payment(
                debt_id, amount_pence=debt.balance_pence, paid_on=self.people._today()
            )

    # -- off benefit --------------------------------------------------------------------------

    def _earnings_attachment(self, customer_id: UUID) -> Iterator[datetime]:
        # Now in work and off benefit: recovered from wages by the employer.
        yield self.people._later(0, 5)
        debt_id = self._identify(
            customer_id,
            amount_pence=self.rng.randint(30, 250) * 1000,
            cause=DebtCause.CLAIMANT_ERROR,
            employed=True,
            on_uc=False,
        )
        weekly = self._chance(0.5)
        edge = self.rng.choice(WEEKLY_EDGES if weekly else MONTHLY_EDGES) * 100
        # Just under, on, or just over a band edge.
        net_pay = edge + self.rng.choice((-100, -1, 0, 1, 100))
        pay_date = self.people._today() + timedelta(days=self.rng.randint(3, 10))
        for number in range(6 if weekly else 10):
            if number:
                pay_date = (
                    pay_date + timedelta(days=7) if weekly else add_calendar_months(pay_date, 1)
                )
            yield self._on(pay_date)
            self.app.take_earnings_attachment(
                debt_id,
                pay_date=pay_date,
                net_pay_pence=net_pay,
                frequency=PayFrequency.WEEKLY if weekly else PayFrequency.MONTHLY,
            )
            if not self.app.debt(debt_id).open:
                return

    def _voluntary_plan(self, customer_id: UUID) -> Iterator[datetime]:
        # Off benefit and not in work: the customer agrees a monthly plan.
        yield self.people._later(0, 5)
        debt_id = self._identify(
            customer_id,
            amount_pence=self.rng.randint(15, 120) * 1000,
            cause=DebtCause.OFFICIAL_ERROR,
            on_uc=False,
        )
        monthly = self.rng.randint(20, 60) * 100
        paid_on = self.people._today() + timedelta(days=self.rng.randint(7, 20))
        for _ in range(self.rng.randint(2, 10)):
            yield self._on(paid_on)
            balance = self.app.debt(debt_id).balance_pence
            self.app.record_voluntary_payment(
                debt_id, amount_pence=min(monthly, balance), paid_on=paid_on
            )
            if balance <= monthly:
                return
            paid_on = add_calendar_months(paid_on, 1)

    def _small(self, customer_id: UUID) -> Iterator[datetime]:
        # Under the small-debt threshold and not fraud: left unrecovered by rule.
        yield self.people._later(0, 5)
        self._identify(
            customer_id,
            amount_pence=self.rng.randint(500, 6_499),
            cause=self.rng.choice((DebtCause.CLAIMANT_ERROR, DebtCause.OFFICIAL_ERROR)),
            on_uc=False,
        )
