"""Use cases of the move from child DLA to PIP, and firing the deadlines journeys set."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TypeVar
from uuid import UUID

from domain.aggregate import JourneyAggregate, known
from domain.claim import Claim
from domain.customer import Customer
from domain.deadlines import WithDeadlines
from domain.errors import NotAChildDlaRecipient, PipStartDoesNotFollowDla
from domain.rules.dla_child import DisablingCondition
from domain.rules.dla_to_pip import Determination, DlaEnd
from domain.rules.framework import Decided
from domain.rules.pip_assessment import Rate
from domain.rules.pip_rates import weekly_total_pence
from domain.transition import ChildDlaAward, DlaToPipTransition, transition_id_for
from domain.values import Appointee, BenefitType, EventRef, Region
from services.base import NOTHING_STORED, JourneysBase, Recorded
from services.errors import NotFound, TransitionAlreadyStarted, TransitionNotFound

JourneyT = TypeVar("JourneyT", Customer, Claim)


def no_transition(customer_id: UUID) -> TransitionNotFound:
    """The customer has no DLA to PIP transition (named by the customer, as callers know it)."""
    return TransitionNotFound(f"customer {customer_id} has no DLA to PIP transition")


@contextmanager
def _named_by_customer(customer_id: UUID) -> Iterator[None]:
    """A missing transition reported by its customer: its own id is one no caller ever saw."""
    try:
        yield
    except TransitionNotFound:
        raise no_transition(customer_id) from None


class DlaToPipUseCases(JourneysBase):
    """One method per use case of the transition; claim use cases call the hooks below."""

    # -- the journey's own commands ------------------------------------------------------------

    def start_transition(
        self,
        customer_id: UUID,
        *,
        dla_claim_id: UUID,
        dla_weekly_pence: int,
        special_rules: bool,
        condition: DisablingCondition,
        region: Region = Region.GREAT_BRITAIN,
    ) -> Recorded:
        """Start the move to PIP for a customer awarded DLA as a child (one journey each)."""
        today = self.clock.today()
        transition_id = transition_id_for(customer_id)

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            if self._load_if_any(transition_id, DlaToPipTransition, fresh=fresh) is not None:
                raise TransitionAlreadyStarted(
                    f"the DLA to PIP transition of customer {customer_id} has already started"
                )
            claim = self._load(dla_claim_id, Claim, fresh=fresh)
            award = claim.award
            if claim.customer_id != customer.id:
                raise NotAChildDlaRecipient("dla_claim_id: that claim is not this customer's")
            if claim.benefit is not BenefitType.DLA:
                raise NotAChildDlaRecipient(
                    f"dla_claim_id: that is a {claim.benefit.value} claim, not DLA"
                )
            if (
                award is None
                or not award.entitled
                or award.starts_on is None
                or claim.award_event is None
            ):
                raise NotAChildDlaRecipient("dla_claim_id: the DLA claim has no award of DLA")
            transition = DlaToPipTransition.start(
                customer=customer.ref(),
                date_of_birth=customer.known_date_of_birth(),
                nino=customer.nino,
                deceased=customer.deceased,
                has_appointee=customer.appointee is not None,
                dla=ChildDlaAward(
                    claim_id=claim.id,
                    starts_on=award.starts_on,
                    ends_on=award.ends_on,
                    weekly_pence=dla_weekly_pence,
                    special_rules=special_rules,
                    condition=condition,
                ),
                dla_award_event=claim.award_event,
                region=region,
                today=today,
            )
            return (transition,)

        return Recorded(transition_id, self._save_with_retries(transition_id, command))

    def _change_transition(
        self, customer_id: UUID, change: Callable[[DlaToPipTransition], None]
    ) -> Recorded:
        with _named_by_customer(customer_id):
            return self._change(transition_id_for(customer_id), DlaToPipTransition, change)

    def record_hospital_admission(self, customer_id: UUID, admitted_on: date) -> Recorded:
        """Record that the young person went into hospital (it may put off the invitation)."""
        self._happened(admitted_on=admitted_on)
        return self._change_transition(
            customer_id, lambda t: t.record_hospital_admission(admitted_on)
        )

    def record_hospital_discharge(self, customer_id: UUID, discharged_on: date) -> Recorded:
        """Record that the young person left hospital (a deferred invitation then goes)."""
        self._happened(discharged_on=discharged_on)
        today = self.clock.today()
        return self._change_transition(
            customer_id, lambda t: t.record_hospital_discharge(discharged_on, today)
        )

    def appoint_pip_appointee(
        self, customer_id: UUID, *, appointee: Appointee, effective_date: date
    ) -> Recorded:
        """Appoint someone to act for the young person for PIP, ending the DLA appointment."""
        self._happened(effective_date=effective_date)
        transition_id = transition_id_for(customer_id)

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            transition = self._load(transition_id, DlaToPipTransition, fresh=fresh)
            transition.appoint_for_pip(effective_date)
            if customer.appointee is not None:
                customer.end_appointee("a DLA appointee does not carry over to PIP", effective_date)
            customer.appoint(appointee, effective_date)
            return (customer, transition)

        with _named_by_customer(customer_id):
            return Recorded(transition_id, self._save_with_retries(transition_id, command))

    def record_appointee_not_needed(
        self, customer_id: UUID, *, reason: str, effective_date: date
    ) -> Recorded:
        """Record that the young person will deal with PIP themselves."""
        self._happened(effective_date=effective_date)
        return self._change_transition(
            customer_id, lambda t: t.record_appointee_not_needed(reason, effective_date)
        )

    def complete_age_review(
        self, customer_id: UUID, age: int, *, completed_on: date, outcome: str
    ) -> Recorded:
        """Record the outcome of the DLA award's review at an age."""
        self._happened(completed_on=completed_on)
        return self._change_transition(
            customer_id, lambda t: t.complete_age_review(age, completed_on, outcome)
        )

    def transition(self, customer_id: UUID) -> DlaToPipTransition:
        """The customer's DLA to PIP transition as it stands."""
        return self._load(transition_id_for(customer_id), DlaToPipTransition)

    # -- deadlines --------------------------------------------------------------------------------

    def fire_deadline(self, aggregate_id: UUID, deadline_id: UUID) -> Recorded | None:
        """Run a due deadline's action once, as of today; None if it already ran or was dropped."""
        today = self.clock.today()

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            aggregate = self._load(aggregate_id, JourneyAggregate, fresh=fresh)
            if not isinstance(aggregate, WithDeadlines):
                raise NotFound(f"{aggregate_id} sets no deadlines")
            return (aggregate,) if aggregate.fire_deadline(deadline_id, today) else ()

        position = self._save_with_retries(aggregate_id, command)
        return None if position == NOTHING_STORED else Recorded(aggregate_id, position)

    # -- hooks the claim and customer use cases call ----------------------------------------------

    def _transition_of(self, customer_id: UUID, fresh: bool) -> DlaToPipTransition | None:
        return self._load_if_any(transition_id_for(customer_id), DlaToPipTransition, fresh=fresh)

    def _journey_of(self, aggregate: Customer | Claim, fresh: bool) -> DlaToPipTransition | None:
        """The transition a customer is making, or a PIP claim was made in, if any."""
        if isinstance(aggregate, Customer):
            return self._transition_of(aggregate.id, fresh)
        if aggregate.transition_id is None:
            return None
        return self._load(aggregate.transition_id, DlaToPipTransition, fresh=fresh)

    def _change_in_journey(
        self,
        aggregate_id: UUID,
        kind: type[JourneyT],
        change: Callable[[JourneyT, DlaToPipTransition | None], None],
    ) -> Recorded:
        """Change a customer or claim and, when it is in a transition, the transition with it."""

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            aggregate = self._load(aggregate_id, kind, fresh=fresh)
            transition = self._journey_of(aggregate, fresh)
            change(aggregate, transition)
            return (aggregate,) if transition is None else (aggregate, transition)

        return Recorded(aggregate_id, self._save_with_retries(aggregate_id, command))

    def _dla_end_on_pip_decision(
        self,
        claim: Claim,
        transition: DlaToPipTransition,
        *,
        decided_on: date,
        rates: tuple[Rate, Rate],
        starts_on: date | None,
    ) -> Decided[DlaEnd]:
        """DLA's end (and PIP's start) the rule gives; a start given by the caller must match."""
        daily_living, mobility = rates
        awarded = daily_living is not Rate.NONE or mobility is not Rate.NONE
        decided = transition.dla_end_on_determination(
            determination=Determination.DECIDED,
            decided_on=decided_on,
            pip_awarded=awarded,
            pip_weekly_pence=weekly_total_pence(daily_living, mobility, decided_on),
            claim_event=EventRef(aggregate_id=claim.id, version=claim.version + 1),
        )
        pip_starts_on = decided.outcome.pip_starts_on
        if awarded and starts_on is not None and starts_on != pip_starts_on:
            raise PipStartDoesNotFollowDla(
                f"starts_on {starts_on.isoformat()} is not the day after DLA ends: rule "
                f"{decided.record.rule_id} v{decided.record.rule_version} gives DLA's last day "
                f"as {decided.outcome.dla_ends_on.isoformat()}, so PIP starts on "
                f"{pip_starts_on.isoformat() if pip_starts_on else 'no date'}"
            )
        return decided

    def _end_dla_on_negative_determination(
        self, claim: Claim, transition: DlaToPipTransition, decided_on: date
    ) -> None:
        decided = transition.dla_end_on_determination(
            determination=Determination.NEGATIVE_DETERMINATION,
            decided_on=decided_on,
            pip_awarded=False,
            pip_weekly_pence=None,
            claim_event=known(claim.decision_event, "decision event", "claim"),
        )
        transition.record_dla_end(claim.id, decided_on, decided, self.clock.today())
