"""Special Rules for End of Life: evidence, fast-track decisions and awards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.customer import Customer
from domain.errors import CustomerDeceased, NotFastTracked
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import DlaMobilityRate
from domain.special_rules import (
    ClaimToConsider,
    SpecialRulesCase,
    Sr1Evidence,
    special_rules_case_id_for,
)
from domain.values import Actor, ClaimantRole, EventRef
from services.base import Recorded, named_or_acting
from services.debts import DebtUseCases
from services.transitions import DlaToPipUseCases


def _to_consider(claim: Claim) -> ClaimToConsider:
    return ClaimToConsider(
        claim_id=claim.id,
        benefit=claim.benefit,
        claim_date=claim.claim_date,
        # The claim date is a fact of the claim's first event.
        claim_event=EventRef(aggregate_id=claim.id, version=1),
    )


class SpecialRulesUseCases(DebtUseCases, DlaToPipUseCases):
    """Record SR1s, decide fast-tracked claims, read a customer's case."""

    def record_sr1(
        self,
        claim_id: UUID,
        *,
        received_on: date,
        evidence: Sr1Evidence,
        customer_aware: bool = False,
    ) -> Recorded:
        """Record an SR1 with a claim; every open claim of the customer that meets the
        definition in force on its claim date is fast-tracked, in one save."""
        self._happened(received_on=received_on, signed_on=evidence.signed_on)
        today = self.clock.today()
        recorded_for: list[UUID] = []

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            claim = self._load(claim_id, Claim, fresh=fresh)
            customer = self._load(claim.customer_id, Customer, fresh=fresh)
            if customer.deceased:
                raise CustomerDeceased("cannot record an SR1: the customer's death was notified")
            case_id = special_rules_case_id_for(customer.id)
            case = self._load_if_any(
                case_id, SpecialRulesCase, fresh=fresh
            ) or SpecialRulesCase.open(customer.id, today)
            case.record_evidence(
                evidence=evidence,
                claim_id=claim.id,
                received_on=received_on,
                # A third party may claim without the customer knowing: then nothing
                # customer-facing may say why the claim went so fast.
                basis_withheld=claim.claimant_role is ClaimantRole.THIRD_PARTY
                and not customer_aware,
            )
            others = [
                self._load(other, Claim, fresh=fresh)
                for other in customer.claims
                if other != claim.id
            ]
            changed: list[JourneyAggregate] = [case]
            for candidate in (claim, *others):
                if (
                    candidate.status.is_open
                    and not candidate.fast_tracked
                    and case.consider_claim(_to_consider(candidate), today)
                ):
                    candidate.fast_track(case.id, today)
                    changed.append(candidate)
            # The debt recovery policy, once decided, suspends open debts in the same save.
            changed.extend(self._suspend_debts_by_policy(customer, case, today, fresh))
            recorded_for[:] = [case.id]
            return changed

        position = self._save_with_retries(claim_id, command)
        return Recorded(recorded_for[0], position)

    def decide_special_rules_award(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        decision_maker: Actor | None = None,
        mobility: Rate = Rate.NONE,
        dla_mobility: DlaMobilityRate | None = None,
    ) -> Recorded:
        """Decide a fast-tracked claim by the Special Rules award rule (no assessment); the
        decision maker is the acting person unless named."""
        self._happened(decided_on=decided_on)
        decider = named_or_acting(decision_maker)
        today = self.clock.today()

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            claim = self._load(claim_id, Claim, fresh=fresh)
            if claim.special_rules_case_id is None:
                raise NotFastTracked(
                    "cannot decide a Special Rules award: the claim is not fast-tracked"
                )
            case = self._load(claim.special_rules_case_id, SpecialRulesCase, fresh=fresh)
            transition = self._journey_of(claim, fresh)
            dla_end = None
            if transition is not None and transition.plans_dla_end_for(claim.id):
                # DLA is paid until the DLA to PIP rule ends it; PIP starts the day after.
                dla_end = self._dla_end_on_pip_decision(
                    claim,
                    transition,
                    decided_on=decided_on,
                    rates=(Rate.ENHANCED, mobility),
                    starts_on=None,
                )
            reminder_on = claim.decide_special_rules_award(
                decided_on=decided_on,
                decision_maker=decider,
                mobility=mobility,
                dla_mobility=dla_mobility,
                dla_ends_on=dla_end.outcome.dla_ends_on if dla_end is not None else None,
            )
            if transition is not None and dla_end is not None:
                transition.record_dla_end(claim.id, decided_on, dla_end, today)
            award = claim.award
            case.claim_decided(
                claim.id,
                decided_on=decided_on,
                award_ends_on=award.ends_on if award is not None else None,
                reminder_on=reminder_on,
                today=today,
            )
            return (claim, case) if transition is None else (claim, case, transition)

        return Recorded(claim_id, self._save_with_retries(claim_id, command))

    def special_rules_case(self, customer_id: UUID) -> SpecialRulesCase:
        """The customer's Special Rules case as it stands."""
        return self._load(special_rules_case_id_for(customer_id), SpecialRulesCase)

    # -- hooks the claim and customer use cases call ---------------------------------------------

    def _fast_track_if_special_rules(
        self, claim: Claim, today: date, fresh: bool
    ) -> SpecialRulesCase | None:
        """A new claim of a customer whose case stands is fast-tracked if it meets the
        definition; the case to save with it (None when there is no standing case)."""
        case = self._load_if_any(
            special_rules_case_id_for(claim.customer_id), SpecialRulesCase, fresh=fresh
        )
        if case is None or not case.stands or not claim.status.is_open:
            return None
        if case.consider_claim(_to_consider(claim), today):
            claim.fast_track(case.id, today)
        return case

    def _special_rules_case_on_death(
        self, customer_id: UUID, date_of_death: date, today: date, fresh: bool
    ) -> SpecialRulesCase | None:
        """The customer's case, closed by their death (None when they have none)."""
        case = self._load_if_any(
            special_rules_case_id_for(customer_id), SpecialRulesCase, fresh=fresh
        )
        if case is not None:
            case.close_on_death(date_of_death, today)
        return case
