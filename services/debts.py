"""Debt recovery use cases: overpayments and advances, deductions under the cap, and the rest.

One `debt.deduction_cap` decision per customer and assessment period grants every debt's
deduction together (services never add deductions up themselves). A debt identified for a
customer whose Special Rules case applied the debt recovery policy is suspended at once; a
debt identified after a death goes straight to the estate and no letter is attempted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID, uuid4

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.customer import Customer
from domain.debt import (
    Debt,
    DebtProposal,
    PenaltyKind,
    WhatIf,
    plan_period_deductions,
    what_if,
)
from domain.decisions import Decision
from domain.errors import CustomerDeceased, DeductionAlreadyTaken
from domain.rules.debt import (
    AdvanceKind,
    DebtCause,
)
from domain.rules.special_rules import SPECIAL_RULES_DEBT_RECOVERY
from domain.special_rules import SpecialRulesCase, special_rules_case_id_for
from domain.values import BenefitType, EventRef
from services.base import JourneysBase, Recorded, one_change


def _in_payment_on(claim: Claim, day: date) -> bool:
    award = claim.award
    return (
        award is not None
        and award.entitled
        and claim.payments_stopped_from is None
        and (award.starts_on is None or award.starts_on <= day)
        and (award.ends_on is None or award.ends_on >= day)
    )


class DebtUseCases(JourneysBase):
    """Use cases of this area (one method each: load, command, save once)."""

    # -- reads ----------------------------------------------------------------------------------

    def debt(self, debt_id: UUID) -> Debt:
        """A debt's current state."""
        return self._load_debt(debt_id, fresh=True)

    def debts_of(self, customer_id: UUID) -> list[Debt]:
        """Every debt of the customer, oldest first."""
        customer = self._load(customer_id, Customer)
        return self._debts_of(customer, fresh=True)

    def debt_what_if(self, customer_id: UUID, proposal: DebtProposal) -> WhatIf:
        """Each open debt's schedule now and under a proposed hardship or write-off (no write)."""
        customer = self._load(customer_id, Customer)
        return what_if(
            customer.id, self._debts_of(customer, fresh=True), proposal, self.clock.today()
        )

    # -- identification -------------------------------------------------------------------------

    def identify_overpayment(
        self,
        customer_id: UUID,
        *,
        benefit: BenefitType,
        cause: DebtCause,
        period_from: date,
        period_to: date,
        amount_pence: int,
        identified_on: date,
        employed: bool = False,
        standard_allowance_pence: int | None = None,
    ) -> Recorded:
        """Record an overpayment; recovery is planned by rule and the customer told, in one save.

        With the standard allowance the deduction rate is decided at once; otherwise it is
        decided with each period's deductions.
        """
        self._happened(identified_on=identified_on)
        debt_id = uuid4()

        def build() -> Debt:
            return Debt.identify_overpayment(
                debt_id=debt_id,
                customer_id=customer_id,
                benefit=benefit,
                cause=cause,
                period_from=period_from,
                period_to=period_to,
                amount_pence=amount_pence,
                identified_on=identified_on,
            )

        return self._open_debt(
            customer_id, build, identified_on, employed, standard_allowance_pence
        )

    def record_advance(
        self,
        customer_id: UUID,
        *,
        benefit: BenefitType,
        advance_kind: AdvanceKind,
        amount_pence: int,
        taken_on: date,
        deferral_months: int = 0,
        standard_allowance_pence: int | None = None,
    ) -> Recorded:
        """Record an advance; its repayment is planned and the customer told, in one save."""
        self._happened(taken_on=taken_on)
        debt_id = uuid4()

        def build() -> Debt:
            return Debt.take_advance(
                debt_id=debt_id,
                customer_id=customer_id,
                benefit=benefit,
                advance_kind=advance_kind,
                amount_pence=amount_pence,
                taken_on=taken_on,
                deferral_months=deferral_months,
            )

        return self._open_debt(customer_id, build, taken_on, False, standard_allowance_pence)

    def impose_penalty(
        self,
        customer_id: UUID,
        *,
        benefit: BenefitType,
        penalty_kind: PenaltyKind,
        amount_pence: int,
        imposed_on: date,
        employed: bool = False,
        standard_allowance_pence: int | None = None,
    ) -> Recorded:
        """Record a civil or administrative penalty: recovered outside the deduction cap."""
        self._happened(imposed_on=imposed_on)
        debt_id = uuid4()

        def build() -> Debt:
            return Debt.impose_penalty(
                debt_id=debt_id,
                customer_id=customer_id,
                benefit=benefit,
                penalty_kind=penalty_kind,
                amount_pence=amount_pence,
                imposed_on=imposed_on,
            )

        return self._open_debt(customer_id, build, imposed_on, employed, standard_allowance_pence)

    def _open_debt(
        self,
        customer_id: UUID,
        build: Callable[[], Debt],
        on: date,
        employed: bool,
        standard_allowance_pence: int | None,
    ) -> Recorded:
        made: list[Debt] = []
        today = self.clock.today()

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            debt = build()
            made[:] = [debt]
            customer.open_debt(debt.id, on)
            if customer.date_of_death is not None:
                # Paid after the death, or found out after it: owed by the estate, and no
                # letter is even attempted to the customer.
                debt.transfer_to_estate(customer.date_of_death, customer.death_reference or "")
                return (customer, debt)
            policy = self._debt_policy(self._special_rules_case(customer.id, fresh))
            debt.plan_recovery(
                on=on,
                on_benefit=self._on_benefit(customer, on, fresh),
                employed=employed,
                special_rules_suspended=policy is not None,
                standard_allowance_pence=standard_allowance_pence,
                sources={"customer": customer.ref()},
            )
            if policy is not None:
                debt.suspend_by_policy(policy[0], policy[1], on)
            debt.notify(today)
            return (customer, debt)

        position = self._save_with_retries(customer_id, command)
        return Recorded(made[0].id, position)

    # -- deductions from benefit ----------------------------------------------------------------

    def take_deductions(
        self,
        customer_id: UUID,
        *,
        period_start: date,
        standard_allowance_pence: int,
        has_earnings: bool = False,
        last_resort_pence: int = 0,
    ) -> Recorded:
        """Take every debt's deduction for an assessment period under one cap decision.

        Each open debt recovered from benefit (not suspended, not paused) asks its rate; the
        `debt.deduction_cap` rule in force on the period's start grants amounts in priority
        order, so the total never exceeds the cap. Nothing is stored when nothing is granted.
        """
        self._happened(period_start=period_start)

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            debts = self._period_debts(customer_id, period_start, fresh)
            plan = plan_period_deductions(
                debts,
                period_start=period_start,
                standard_allowance_pence=standard_allowance_pence,
                has_earnings=has_earnings,
                last_resort_pence=last_resort_pence,
            )
            changed: list[JourneyAggregate] = []
            for planned in plan.planned:
                if planned.granted_pence > 0:
                    planned.debt.take_deduction(
                        period_start=period_start,
                        amount_pence=planned.granted_pence,
                        granted_pence=planned.granted_pence,
                        cap_decision=plan.cap.record,
                        rate_decision=planned.rate_decision,
                    )
                    changed.append(planned.debt)
            return changed

        return Recorded(customer_id, self._save_with_retries(customer_id, command))

    def take_deduction(
        self,
        debt_id: UUID,
        *,
        amount_pence: int,
        period_start: date,
        standard_allowance_pence: int,
        has_earnings: bool = False,
        last_resort_pence: int = 0,
    ) -> Recorded:
        """Take a stated deduction from one debt; more than the period's cap grants it is refused.

        The cap decision is the one `take_deductions` would make for the customer's debts.
        """
        self._happened(period_start=period_start)

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            debt = self._load_debt(debt_id, fresh=fresh)
            debts = self._period_debts(debt.customer_id, period_start, fresh)
            debt = next((d for d in debts if d.id == debt_id), debt)
            plan = plan_period_deductions(
                debts,
                period_start=period_start,
                standard_allowance_pence=standard_allowance_pence,
                has_earnings=has_earnings,
                last_resort_pence=last_resort_pence,
            )
            mine = next((p for p in plan.planned if p.debt.id == debt_id), None)
            debt.take_deduction(
                period_start=period_start,
                amount_pence=amount_pence,
                granted_pence=mine.granted_pence if mine is not None else 0,
                cap_decision=plan.cap.record,
                rate_decision=mine.rate_decision if mine is not None else None,
            )
            return (debt,)

        return Recorded(debt_id, self._save_with_retries(debt_id, command))

    def _period_debts(self, customer_id: UUID, period_start: date, fresh: bool) -> list[Debt]:
        """The customer's debts, refusing a dead customer or a period already deducted."""
        customer = self._load(customer_id, Customer, fresh=fresh)
        if customer.date_of_death is not None:
            raise CustomerDeceased(
                "cannot deduct from benefit: death notified (date of death "
                f"{customer.date_of_death.isoformat()}), payments have stopped"
            )
        debts = self._debts_of(customer, fresh)
        if any(period_start in debt.periods_deducted for debt in debts):
            # A second run for the period would see a fresh cap: the total could exceed it.
            raise DeductionAlreadyTaken(
                "deductions were already taken for the assessment period starting "
                f"{period_start.isoformat()}"
            )
        return debts

    # -- off benefit ----------------------------------------------------------------------------

    take_earnings_attachment = one_change(
        Debt, Debt.take_earnings_attachment, happened=("pay_date",)
    )
    record_voluntary_payment = one_change(
        Debt, Debt.record_voluntary_payment, happened=("paid_on",)
    )
    repay = one_change(Debt, Debt.repay, happened=("paid_on",))

    # -- hardship and waiver --------------------------------------------------------------------

    request_hardship = one_change(Debt, Debt.request_hardship, happened=("requested_on",))
    decide_hardship = one_change(Debt, Debt.decide_hardship, happened=("decided_on",))
    waive = one_change(Debt, Debt.waive, happened=("decided_on",))

    # -- loading and hooks ----------------------------------------------------------------------

    def _load_debt(self, debt_id: UUID, *, fresh: bool) -> Debt:
        return self._load(debt_id, Debt, fresh=fresh)

    def _change_debt(self, debt_id: UUID, change: Callable[[Debt], object]) -> Recorded:
        return self._change(debt_id, Debt, change)

    def _debts_of(self, customer: Customer, fresh: bool) -> list[Debt]:
        return [self._load_debt(debt_id, fresh=fresh) for debt_id in customer.debts]

    def _on_benefit(self, customer: Customer, day: date, fresh: bool) -> bool:
        """True when a claim of the customer has an award in payment on the day."""
        return any(
            _in_payment_on(self._load(claim_id, Claim, fresh=fresh), day)
            for claim_id in customer.claims
        )

    def _special_rules_case(self, customer_id: UUID, fresh: bool) -> SpecialRulesCase | None:
        return self._load_if_any(
            special_rules_case_id_for(customer_id), SpecialRulesCase, fresh=fresh
        )

    def _debt_policy(self, case: SpecialRulesCase | None) -> tuple[Decision, EventRef] | None:
        """The Special Rules policy decision that suspends recovery, with the event recording it.

        None when the customer has no standing case or the policy does not suspend.
        """
        if case is None or case.closed or case.debt_policy is None:
            return None
        if not SPECIAL_RULES_DEBT_RECOVERY.outcome_of(case.debt_policy).suspend_recovery:
            return None
        recorded = [*self.events.get(case.id), *case.pending_events]
        for event in recorded:
            if isinstance(event, SpecialRulesCase.DebtRecoveryPolicyApplied):
                ref = EventRef(aggregate_id=case.id, version=event.originator_version)
                return event.decision, ref
        return case.debt_policy, case.ref()

    def _suspend_debts_by_policy(
        self, customer: Customer, case: SpecialRulesCase, today: date, fresh: bool
    ) -> list[Debt]:
        """Open debts suspended by the case's debt recovery policy (to save with the case)."""
        policy = self._debt_policy(case)
        if policy is None:
            return []
        return [
            debt
            for debt in self._debts_of(customer, fresh)
            if debt.suspend_by_policy(policy[0], policy[1], today)
        ]

    def _debts_to_estate(
        self, customer: Customer, date_of_death: date, reference: str, fresh: bool
    ) -> list[Debt]:
        """Every open debt of the customer, moved to the estate (to save with the death)."""
        return [
            debt
            for debt in self._debts_of(customer, fresh)
            if debt.transfer_to_estate(date_of_death, reference)
        ]
