"""Safeguarding use cases: concerns, six-point plans, lump-sum holds, serious case referrals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID, uuid4

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.concern import Concern
from domain.customer import Customer
from domain.lump_sum import LumpSum
from domain.serious_case import SeriousCaseReferral
from domain.six_point_plan import SixPointPlan
from services.base import JourneysBase, Recorded, one_change


class SafeguardingUseCases(JourneysBase):
    """Use cases of this area (one method each: load, command, save once)."""

    def _open(self, contended_id: UUID, build: Callable[[bool], JourneyAggregate]) -> Recorded:
        """Create one aggregate (built from fresh or recent state) and save it."""
        made: list[JourneyAggregate] = []

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            made[:] = [build(fresh)]
            return tuple(made)

        position = self._save_with_retries(contended_id, command)
        return Recorded(made[0].id, position)

    # -- early-warning concerns -------------------------------------------------------------

    def raise_concern(
        self,
        *,
        customer_id: UUID | None,
        policy: str | None,
        description: str,
        owner: str,
        due_on: date,
        raised_on: date,
    ) -> Recorded:
        """Raise a concern about a customer (or, without one, about a policy or procedure)."""
        self._happened(raised_on=raised_on)

        def build(fresh: bool) -> JourneyAggregate:
            if customer_id is not None:
                self._load(customer_id, Customer, fresh=fresh)  # the customer must exist
            return Concern.raise_concern(
                customer_id=customer_id,
                policy=policy,
                description=description,
                owner=owner,
                due_on=due_on,
                raised_on=raised_on,
            )

        return self._open(customer_id or uuid4(), build)

    reassign_concern = one_change(Concern, Concern.reassign, happened=("reassigned_on",))

    record_concern_outcome = one_change(Concern, Concern.record_outcome, happened=("recorded_on",))

    def concern(self, concern_id: UUID) -> Concern:
        """A concern's current state."""
        return self._load(concern_id, Concern)

    # -- six-point plans --------------------------------------------------------------------

    def open_six_point_plan(self, customer_id: UUID, *, statement: str, made_on: date) -> Recorded:
        """Start the six-point plan for a customer's statement of suicide or self-harm."""
        self._happened(made_on=made_on)

        def build(fresh: bool) -> JourneyAggregate:
            customer = self._load(customer_id, Customer, fresh=fresh)
            return SixPointPlan.open(customer_id=customer.id, statement=statement, made_on=made_on)

        return self._open(customer_id, build)

    record_plan_step = one_change(SixPointPlan, SixPointPlan.record_step, happened=("done_on",))

    def six_point_plan(self, plan_id: UUID) -> SixPointPlan:
        """A six-point plan's current state."""
        return self._load(plan_id, SixPointPlan)

    # -- lump sums ----------------------------------------------------------------------------

    def propose_lump_sum(
        self,
        claim_id: UUID,
        *,
        amount_pence: int,
        period_from: date,
        period_to: date,
        proposed_on: date,
    ) -> Recorded:
        """Propose an arrears payment on a claim; held for a check when the rule says so."""
        self._happened(proposed_on=proposed_on)

        def build(fresh: bool) -> JourneyAggregate:
            claim = self._load(claim_id, Claim, fresh=fresh)
            customer = self._load(claim.customer_id, Customer, fresh=fresh)
            return LumpSum.propose(
                customer=customer,
                claim=claim,
                amount_pence=amount_pence,
                period_from=period_from,
                period_to=period_to,
                proposed_on=proposed_on,
            )

        return self._open(claim_id, build)

    def release_lump_sum(
        self, lump_sum_id: UUID, *, check_note: str, released_on: date
    ) -> Recorded:
        """A colleague other than the proposer releases a held lump sum after checking it."""
        self._happened(released_on=released_on)

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            lump_sum = self._load(lump_sum_id, LumpSum, fresh=fresh)
            customer = self._load(lump_sum.customer_id, Customer, fresh=fresh)
            lump_sum.release(check_note, released_on, customer.date_of_death)
            return (lump_sum,)

        return Recorded(lump_sum_id, self._save_with_retries(lump_sum_id, command))

    def lump_sum(self, lump_sum_id: UUID) -> LumpSum:
        """A lump sum's current state."""
        return self._load(lump_sum_id, LumpSum)

    # -- serious case referrals ---------------------------------------------------------------

    def refer_serious_case(self, customer_id: UUID, *, reason: str, referred_on: date) -> Recorded:
        """Refer a customer's case to the Serious Case Panel."""
        self._happened(referred_on=referred_on)

        def build(fresh: bool) -> JourneyAggregate:
            customer = self._load(customer_id, Customer, fresh=fresh)
            return SeriousCaseReferral.refer(
                customer_id=customer.id, reason=reason, referred_on=referred_on
            )

        return self._open(customer_id, build)

    record_panel_recommendation = one_change(
        SeriousCaseReferral, SeriousCaseReferral.record_recommendation, happened=("made_on",)
    )

    complete_panel_recommendation = one_change(
        SeriousCaseReferral, SeriousCaseReferral.complete_recommendation, happened=("completed_on",)
    )

    close_serious_case = one_change(
        SeriousCaseReferral, SeriousCaseReferral.close, happened=("closed_on",)
    )

    def serious_case(self, referral_id: UUID) -> SeriousCaseReferral:
        """A serious case referral's current state."""
        return self._load(referral_id, SeriousCaseReferral)
