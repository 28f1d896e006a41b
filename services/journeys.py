"""The Journeys application: one method per use case on customers, claims and transitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

from domain.aggregate import JourneyAggregate, acting_actor, recording_at
from domain.claim import Award, Claim, RatesOverride
from domain.customer import Customer
from domain.errors import NotEligibleToClaim
from domain.identity import customer_id_for
from domain.rules.pip_assessment import AssessmentPoints
from domain.special_rules import special_rules_case_id_for
from domain.transition import DlaToPipTransition, transition_id_for
from domain.values import (
    Actor,
    ActorKind,
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactPreferences,
)
from services.base import Recorded, named_or_acting, one_change
from services.contacts import ContactUseCases
from services.debts import DebtUseCases
from services.disclosures import DisclosureUseCases
from services.erasure import PersonalDataUseCases
from services.errors import CustomerAlreadyRegistered, CustomerNotFound
from services.safeguarding import SafeguardingUseCases
from services.special_rules import SpecialRulesUseCases
from services.transitions import DlaToPipUseCases

__all__ = ["JourneysApplication", "Recorded"]


class JourneysApplication(
    SpecialRulesUseCases,
    DebtUseCases,
    SafeguardingUseCases,
    ContactUseCases,
    DlaToPipUseCases,
    DisclosureUseCases,
    PersonalDataUseCases,
):
    """Customers, their claims and their journeys: load, command, save once."""

    # The library names an application's tables after this (journeys_events): every
    # subclass must keep it, or it would look for a log that is not there.
    name = "Journeys"

    # -- customers ----------------------------------------------------------------------

    def register_customer(
        self,
        *,
        nino: str,
        name: str,
        date_of_birth: date,
        contact_preferences: ContactPreferences | None = None,
    ) -> Recorded:
        """Register a new customer; one registration per National Insurance number."""
        with recording_at(self.clock.now()):
            customer = Customer.register(
                nino=nino,
                name=name,
                date_of_birth=date_of_birth,
                contact_preferences=contact_preferences or ContactPreferences(),
                today=self.clock.today(),
            )
        try:
            # The store refuses a second first event for the same id (derived from the NINO),
            # so a duplicate needs no read beforehand.
            position = self._store((customer,))
        except RecordConflictError:
            raise CustomerAlreadyRegistered(f"{customer.nino} is already registered") from None
        return Recorded(customer.id, position)

    change_contact_preferences = one_change(
        Customer, Customer.change_contact_preferences, happened=("effective",)
    )

    def appoint(self, customer_id: UUID, appointee: Appointee, effective: date) -> Recorded:
        """Appoint someone to act for the customer (from 16, also for a transition's PIP claim)."""
        self._happened(effective_date=effective)

        def change(customer: Customer, transition: DlaToPipTransition | None) -> None:
            customer.appoint(appointee, effective)
            if transition is not None:
                transition.new_appointee_appointed(effective)

        return self._change_in_journey(customer_id, Customer, change)

    end_appointee = one_change(Customer, Customer.end_appointee, happened=("effective",))

    add_support_marker = one_change(
        Customer, Customer.add_support_marker, happened=("effective_date",)
    )

    remove_support_marker = one_change(
        Customer, Customer.remove_support_marker, happened=("effective",)
    )

    report_change = one_change(Customer, Customer.report_change, happened=("effective_date",))

    def notify_death(self, customer_id: UUID, date_of_death: date, reference: str) -> Recorded:
        """Record the death: journeys and payments stop, open debts move to the estate."""
        today = self.clock.today()

        def change(customer: Customer, transition: DlaToPipTransition | None) -> None:
            customer.notify_death(date_of_death, reference, today)
            if transition is not None:
                transition.close_on_death(date_of_death, today)

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            transition = self._journey_of(customer, fresh)
            change(customer, transition)
            case = self._special_rules_case_on_death(customer_id, date_of_death, today, fresh)
            stopped = self._stop_payments_on_death(customer, date_of_death, fresh)
            debts = self._debts_to_estate(customer, date_of_death, reference, fresh)
            return tuple(a for a in (customer, transition, case, *stopped, *debts) if a is not None)

        return Recorded(customer_id, self._save_with_retries(customer_id, command))

    # -- claims -------------------------------------------------------------------------

    def start_claim(
        self,
        customer_id: UUID,
        *,
        benefit: BenefitType,
        channel: ClaimChannel,
        claimant_role: ClaimantRole,
        claim_date: date,
    ) -> Recorded:
        """Start a claim and link it to the customer, both saved together.

        A customer acting for themselves claims as the customer, never for someone else.
        """
        if acting_actor().kind is ActorKind.CUSTOMER and claimant_role is not ClaimantRole.CUSTOMER:
            raise NotEligibleToClaim(
                "customers claim for themselves: claimant_role must be 'customer'",
                field="claimant_role",
            )
        self._happened(claim_date=claim_date)
        started: list[Claim] = []

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            transition = (
                self._transition_of(customer_id, fresh) if benefit is BenefitType.PIP else None
            )
            if transition is not None and not transition.takes_pip_claim(claim_date, claimant_role):
                transition = None
            claim = Claim.start(
                customer=customer.ref(),
                benefit=benefit,
                channel=channel,
                claimant_role=claimant_role,
                claim_date=claim_date,
                date_of_birth=customer.known_date_of_birth(),
                transition_id=transition.id if transition is not None else None,
            )
            customer.open_claim(claim.id, benefit, claim_date)
            started[:] = [claim]
            case = self._fast_track_if_special_rules(claim, self.clock.today(), fresh)
            also = () if case is None else (case,)
            if transition is None:
                return (customer, claim, *also)
            transition.record_pip_claim(
                claim_id=claim.id, claim_date=claim_date, today=self.clock.today()
            )
            return (customer, claim, transition, *also)

        position = self._save_with_retries(customer_id, command)
        return Recorded(started[0].id, position)

    issue_questionnaire = one_change(Claim, Claim.issue_questionnaire, happened=("issued_on",))

    return_questionnaire = one_change(Claim, Claim.return_questionnaire, happened=("received_on",))

    def make_negative_determination(
        self, claim_id: UUID, good_reason: str | None = None
    ) -> Recorded:
        """Disallow a claim whose PIP2 is overdue today without a good reason.

        In a DLA to PIP transition, DLA's last day follows from the determination.
        """
        today = self.clock.today()

        def change(claim: Claim, transition: DlaToPipTransition | None) -> None:
            claim.make_negative_determination(today, good_reason)
            if transition is not None and transition.plans_dla_end_for(claim.id):
                self._end_dla_on_negative_determination(claim, transition, today)

        return self._change_in_journey(claim_id, Claim, change)

    def accept_good_reason(
        self,
        claim_id: UUID,
        *,
        accepted_on: date,
        reason: str,
        decision_maker: Actor | None = None,
    ) -> Recorded:
        """Reopen a claim disallowed for want of the PIP2; in a transition, DLA is reinstated.

        The decision maker is whoever is acting unless named.
        """
        self._happened(accepted_on=accepted_on)
        today = self.clock.today()
        maker = named_or_acting(decision_maker)

        def change(claim: Claim, transition: DlaToPipTransition | None) -> None:
            claim.accept_good_reason(accepted_on, reason, maker)
            if transition is not None:
                transition.good_reason_accepted(claim.id, accepted_on, today)

        return self._change_in_journey(claim_id, Claim, change)

    def record_assessment(
        self,
        claim_id: UUID,
        *,
        assessed_on: date,
        daily_living: Mapping[str, int],
        mobility: Mapping[str, int],
        assessor_id: str,
    ) -> Recorded:
        """Record the assessment's points per activity (the assessor is a member of staff)."""
        self._happened(assessed_on=assessed_on)
        points = AssessmentPoints(daily_living=dict(daily_living), mobility=dict(mobility))
        assessor = Actor.caseworker(assessor_id)
        return self._change_claim(
            claim_id, lambda c: c.record_assessment(assessed_on, points, assessor)
        )

    def decide_pip_award(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        starts_on: date | None,
        ends_on: date | None,
        decision_maker: Actor | None = None,
        override: RatesOverride | None = None,
    ) -> Recorded:
        """Decide a PIP claim from its assessment points.

        In a DLA to PIP transition PIP starts the day after DLA ends, as the rule gives: leave
        starts_on out to take that date (a different one is refused). The decision maker is
        the person acting unless named; with no person acting, the rule decides alone.
        """
        self._happened(decided_on=decided_on)
        if decision_maker is None:
            acting = acting_actor()
            decision_maker = acting if acting.is_person else None

        def change(claim: Claim, transition: DlaToPipTransition | None) -> None:
            dla_end = None
            if transition is not None and transition.plans_dla_end_for(claim.id):
                _, daily_living, mobility = claim.award_rates(
                    decided_on=decided_on, decision_maker=decision_maker, override=override
                )
                dla_end = self._dla_end_on_pip_decision(
                    claim,
                    transition,
                    decided_on=decided_on,
                    rates=(daily_living, mobility),
                    starts_on=starts_on,
                )
            claim.decide_pip_award(
                decided_on=decided_on,
                starts_on=dla_end.outcome.pip_starts_on if dla_end is not None else starts_on,
                ends_on=ends_on,
                decision_maker=decision_maker,
                override=override,
            )
            if transition is not None and dla_end is not None:
                transition.record_dla_end(claim.id, decided_on, dla_end, self.clock.today())

        return self._change_in_journey(claim_id, Claim, change)

    def decide_entitlement(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        entitled: bool,
        reason: str,
        decision_maker: Actor | None = None,
        starts_on: date | None = None,
        ends_on: date | None = None,
    ) -> Recorded:
        """A decision maker (whoever is acting unless named) decides a non-PIP claim."""
        self._happened(decided_on=decided_on)
        maker = named_or_acting(decision_maker)
        return self._change_claim(
            claim_id,
            lambda c: c.decide_entitlement(
                decided_on=decided_on,
                entitled=entitled,
                reason=reason,
                decision_maker=maker,
                starts_on=starts_on,
                ends_on=ends_on,
            ),
        )

    def withdraw_claim(self, claim_id: UUID, withdrawn_on: date, reason: str) -> Recorded:
        """Withdraw an undecided claim (a transition then waits for a claim again)."""
        self._happened(withdrawn_on=withdrawn_on)
        today = self.clock.today()

        def change(claim: Claim, transition: DlaToPipTransition | None) -> None:
            claim.withdraw(withdrawn_on, reason)
            if transition is not None:
                transition.pip_claim_withdrawn(claim.id, withdrawn_on, today)

        return self._change_in_journey(claim_id, Claim, change)

    request_statement_of_reasons = one_change(
        Claim, Claim.request_statement_of_reasons, happened=("requested_on",)
    )

    request_reconsideration = one_change(
        Claim, Claim.request_reconsideration, happened=("requested_on",)
    )

    def decide_reconsideration(
        self,
        claim_id: UUID,
        *,
        notice_sent_on: date,
        revised_award: Award | None,
        reason: str,
        decision_maker: Actor | None = None,
    ) -> Recorded:
        """Record the MR outcome (the decision maker is whoever is acting unless named)."""
        self._happened(notice_sent_on=notice_sent_on)
        maker = named_or_acting(decision_maker)
        return self._change_claim(
            claim_id,
            lambda c: c.decide_reconsideration(
                notice_sent_on=notice_sent_on,
                revised_award=revised_award,
                reason=reason,
                decision_maker=maker,
            ),
        )

    lodge_appeal = one_change(Claim, Claim.lodge_appeal, happened=("lodged_on",))

    revise_during_appeal = one_change(Claim, Claim.revise_during_appeal, happened=("revised_on",))

    def record_appeal_outcome(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        allowed: bool,
        award: Award | None,
        judge: str,
        reason: str,
    ) -> Recorded:
        """Record the tribunal's decision (the judge named by their identifier)."""
        self._happened(decided_on=decided_on)
        by = Actor.caseworker(judge)
        return self._change_claim(
            claim_id,
            lambda c: c.record_appeal_outcome(
                decided_on=decided_on, allowed=allowed, award=award, judge=by, reason=reason
            ),
        )

    uprate_award = one_change(Claim, Claim.uprate_award)

    # -- queries --------------------------------------------------------------------------

    def customer(self, customer_id: UUID) -> Customer:
        """The customer's current state."""
        return self._load(customer_id, Customer)

    def customer_by_nino(self, nino: str) -> Customer:
        """The customer registered with a National Insurance number."""
        customer_id = customer_id_for(nino)
        try:
            return self._load(customer_id, Customer)
        except CustomerNotFound:
            raise CustomerNotFound(f"no customer is registered with NINO {nino}") from None

    def claim(self, claim_id: UUID) -> Claim:
        """The claim's current state."""
        return self._load(claim_id, Claim)

    def known_at(self, customer_id: UUID, as_of: datetime) -> tuple[Customer, list[Claim]]:
        """The customer and their claims as the department knew them at a recorded time."""
        customer_version = self._last_version_recorded_by(customer_id, as_of)
        if customer_version is None:
            raise CustomerNotFound(
                f"customer {customer_id} was not registered at {as_of.isoformat()}"
            )
        customer = self._load(customer_id, Customer, customer_version)
        claims = []
        for claim_id in customer.claims:
            claim_version = self._last_version_recorded_by(claim_id, as_of)
            if claim_version is not None:
                claims.append(self._load(claim_id, Claim, claim_version))
        return customer, claims

    def _last_version_recorded_by(self, aggregate_id: UUID, as_of: datetime) -> int | None:
        versions = [
            event.originator_version
            for event in self.events.get(aggregate_id)
            if isinstance(event, JourneyAggregate.Event) and event.timestamp <= as_of
        ]
        return max(versions, default=None)

    def history(self, customer_id: UUID) -> Sequence[JourneyAggregate.Event]:
        """Every event of the customer, their claims and their journeys, in recorded order."""
        customer = self.customer(customer_id)
        events = [e for e in self.events.get(customer.id) if isinstance(e, JourneyAggregate.Event)]
        journeys = (transition_id_for(customer.id), special_rules_case_id_for(customer.id))
        for aggregate_id in (*customer.claims, *journeys, *customer.debts):
            events.extend(
                e for e in self.events.get(aggregate_id) if isinstance(e, JourneyAggregate.Event)
            )
        return sorted(
            events, key=lambda e: (e.timestamp, str(e.originator_id), e.originator_version)
        )
