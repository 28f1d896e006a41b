"""The Journeys application: one method per use case on customers and claims."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    EventStore,
    JSONTranscoder,
    RecordConflictError,
    StoredEvent,
)

from domain.aggregate import JourneyAggregate, recording_at
from domain.claim import Award, Claim, RatesOverride
from domain.customer import Customer
from domain.errors import DomainError
from domain.identity import customer_id_for
from domain.rules.pip_assessment import AssessmentPoints, Rate
from domain.values import (
    Actor,
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactPreferences,
    SupportMarker,
    SupportNeed,
)
from services.clock import Clock
from services.errors import (
    ClaimNotFound,
    ConcurrentUpdate,
    CustomerAlreadyRegistered,
    CustomerNotFound,
    DateInFuture,
)
from services.group_commit import GroupCommit, GroupCommitEventStore
from services.recent_events import RecentEvents
from services.transcodings import register_domain_transcodings

AggregateT = TypeVar("AggregateT", bound=JourneyAggregate)


@dataclass(frozen=True)
class Recorded:
    """What a command stored: the aggregate it was about and the log position it reached."""

    id: UUID
    position: int


class JourneysApplication(Application[UUID]):
    """Customers and their claims: load, command, save once; conflicts retried, then reported."""

    name = "Journeys"

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        clock: Clock,
        command_attempts: int = 3,
        group_commit: bool = True,
        recent_aggregates: int = 0,
    ) -> None:
        self.clock = clock
        self.command_attempts = command_attempts
        self.recent = RecentEvents(recent_aggregates) if recent_aggregates else None
        self.group_commit = (
            GroupCommit(lambda stored: self.recorder.insert_events(stored))
            if group_commit
            else None
        )
        super().__init__(env=env)

    def _insert(self, stored_events: Sequence[StoredEvent]) -> Sequence[int] | None:
        return self.recorder.insert_events(stored_events)

    def construct_event_store(self) -> EventStore[UUID]:
        """The event store; concurrent commands share commits when group commit is on."""
        if self.group_commit is None:
            return super().construct_event_store()
        return GroupCommitEventStore(self.mapper, self.recorder, self.group_commit)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Teach the store the domain's dates, enums and value objects."""
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    # -- loading and saving -------------------------------------------------------------

    def _load(
        self,
        aggregate_id: UUID,
        kind: type[AggregateT],
        version: int | None = None,
        *,
        fresh: bool = True,
    ) -> AggregateT:
        """An aggregate at a version (default: the latest; from recent events unless fresh)."""
        not_found = CustomerNotFound if kind is Customer else ClaimNotFound
        aggregate: object
        if version is None:
            aggregate = self._current(aggregate_id, fresh)
        else:
            try:
                aggregate = self.repository.get(aggregate_id, version=version)
            except AggregateNotFoundError:
                aggregate = None
        if aggregate is None:
            raise not_found(f"no {kind.__name__.lower()} with id {aggregate_id}")
        if not isinstance(aggregate, kind):
            raise not_found(f"{aggregate_id} is not a {kind.__name__.lower()}")
        return aggregate

    def _current(self, aggregate_id: UUID, fresh: bool) -> JourneyAggregate | None:
        """The aggregate at its latest version: recent events, plus any stored since if fresh.

        A command may run on recent events alone: if another process has moved the
        aggregate on, saving conflicts (or a refusal is checked again) and the command runs
        once more on fresh events. Queries always read fresh.
        """
        known = self.recent.get(aggregate_id) if self.recent is not None else None
        if known and not fresh:
            events = known
        else:
            after = known[-1].originator_version if known else None
            stored = self.events.get(aggregate_id, gt=after)
            newer = tuple(cast(Iterable[JourneyAggregate.Event], stored))
            events = (*known, *newer) if known else newer
        if not events:
            return None
        if self.recent is not None:
            self.recent.put(aggregate_id, events)
        aggregate: JourneyAggregate | None = None
        for event in events:
            aggregate = cast(JourneyAggregate | None, event.mutate(aggregate))
        return aggregate

    def _store(self, changed: Sequence[JourneyAggregate]) -> int:
        """Store the aggregates' new events together; returns the last one's log position."""
        pending = [(aggregate.id, aggregate.collect_events()) for aggregate in changed]
        try:
            recordings = self.events.put([event for _, events in pending for event in events])
        except RecordConflictError:
            for aggregate_id, _ in pending:
                if self.recent is not None:
                    self.recent.forget(aggregate_id)
            raise
        if self.recent is not None:
            for aggregate_id, events in pending:
                self.recent.extend(aggregate_id, cast(Sequence[JourneyAggregate.Event], events))
        return max(recording.notification.id for recording in recordings)

    def _save_with_retries(
        self, contended_id: UUID, command: Callable[[bool], Sequence[JourneyAggregate]]
    ) -> int:
        """Run a command (load, change) and save once; a version conflict runs it again.

        Returns the log position of the last event stored, so that a client can wait for
        its views to reach it (read-your-writes).
        """
        if self.recent is not None and self.recent.get(contended_id) is not None:
            try:
                return self._attempt(command, fresh=False)
            except RecordConflictError:
                pass  # the cache was behind another process's writes: no race, no attempt used
        for attempt in range(1, self.command_attempts + 1):
            try:
                return self._attempt(command, fresh=True)
            except RecordConflictError:
                if attempt == self.command_attempts:
                    raise ConcurrentUpdate(contended_id, attempt) from None
        raise AssertionError("unreachable: command_attempts is at least 1")  # pragma: no cover

    def _attempt(self, command: Callable[[bool], Sequence[JourneyAggregate]], fresh: bool) -> int:
        """Run a command once and store what it changed."""
        try:
            with recording_at(self.clock.now()):
                changed = command(fresh)
        except DomainError:
            if fresh:
                raise
            # Refused on cached events: make sure on the stored ones before saying no.
            with recording_at(self.clock.now()):
                changed = command(True)
        return self._store(changed)

    def _change(
        self, aggregate_id: UUID, kind: type[AggregateT], change: Callable[[AggregateT], None]
    ) -> Recorded:
        """Load one aggregate, apply one command to it and save it."""

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            aggregate = self._load(aggregate_id, kind, fresh=fresh)
            change(aggregate)
            return (aggregate,)

        return Recorded(aggregate_id, self._save_with_retries(aggregate_id, command))

    def _happened(self, **dates: date | None) -> None:
        """Refuse dates of past facts that lie after today, naming the field."""
        today = self.clock.today()
        for field_name, value in dates.items():
            if value is not None and value > today:
                raise DateInFuture(
                    f"{field_name} {value.isoformat()} is after today ({today.isoformat()})"
                )

    def _change_claim(self, claim_id: UUID, change: Callable[[Claim], None]) -> Recorded:
        return self._change(claim_id, Claim, change)

    def _change_customer(self, customer_id: UUID, change: Callable[[Customer], None]) -> Recorded:
        return self._change(customer_id, Customer, change)

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

    def change_contact_preferences(
        self, customer_id: UUID, preferences: ContactPreferences, effective: date
    ) -> Recorded:
        """Record how the customer wants to be contacted."""
        self._happened(effective_date=effective)
        return self._change_customer(
            customer_id, lambda c: c.change_contact_preferences(preferences, effective)
        )

    def appoint(self, customer_id: UUID, appointee: Appointee, effective: date) -> Recorded:
        """Appoint someone to act for the customer."""
        self._happened(effective_date=effective)
        return self._change_customer(customer_id, lambda c: c.appoint(appointee, effective))

    def end_appointee(self, customer_id: UUID, reason: str, effective: date) -> Recorded:
        """End the current appointment."""
        self._happened(effective_date=effective)
        return self._change_customer(customer_id, lambda c: c.end_appointee(reason, effective))

    def add_support_marker(
        self, customer_id: UUID, marker: SupportMarker, effective: date
    ) -> Recorded:
        """Mark an additional-support need."""
        self._happened(effective_date=effective)
        return self._change_customer(customer_id, lambda c: c.add_support_marker(marker, effective))

    def remove_support_marker(
        self, customer_id: UUID, need: SupportNeed, effective: date
    ) -> Recorded:
        """Remove an additional-support need."""
        self._happened(effective_date=effective)
        return self._change_customer(
            customer_id, lambda c: c.remove_support_marker(need, effective)
        )

    def report_change(self, customer_id: UUID, description: str, effective: date) -> Recorded:
        """Record a change of circumstances from its effective date."""
        self._happened(effective_date=effective)
        return self._change_customer(customer_id, lambda c: c.report_change(description, effective))

    def notify_death(self, customer_id: UUID, date_of_death: date, reference: str) -> Recorded:
        """Record the customer's death."""
        today = self.clock.today()
        return self._change_customer(
            customer_id, lambda c: c.notify_death(date_of_death, reference, today)
        )

    # -- claims -------------------------------------------------------------------------

    def start_claim(
        self,
        *,
        customer_id: UUID,
        benefit: BenefitType,
        channel: ClaimChannel,
        claimant_role: ClaimantRole,
        claim_date: date,
    ) -> Recorded:
        """Start a claim and link it to the customer, both saved together."""
        self._happened(claim_date=claim_date)
        started: list[Claim] = []

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            claim = Claim.start(
                customer=customer.ref(),
                benefit=benefit,
                channel=channel,
                claimant_role=claimant_role,
                claim_date=claim_date,
                date_of_birth=customer.date_of_birth,
            )
            customer.open_claim(claim.id, benefit, claim_date)
            started[:] = [claim]
            return (customer, claim)

        position = self._save_with_retries(customer_id, command)
        return Recorded(started[0].id, position)

    def issue_questionnaire(self, claim_id: UUID, issued_on: date) -> Recorded:
        """Send the PIP2 questionnaire."""
        self._happened(issued_on=issued_on)
        return self._change_claim(claim_id, lambda c: c.issue_questionnaire(issued_on))

    def return_questionnaire(self, claim_id: UUID, received_on: date) -> Recorded:
        """Record the PIP2 arriving."""
        self._happened(received_on=received_on)
        return self._change_claim(claim_id, lambda c: c.return_questionnaire(received_on))

    def make_negative_determination(
        self, claim_id: UUID, good_reason: str | None = None
    ) -> Recorded:
        """Disallow a claim whose PIP2 is overdue today without a good reason."""
        today = self.clock.today()
        return self._change_claim(
            claim_id, lambda c: c.make_negative_determination(today, good_reason)
        )

    def record_assessment(
        self,
        claim_id: UUID,
        *,
        assessed_on: date,
        daily_living: Mapping[str, int],
        mobility: Mapping[str, int],
        assessor: Actor,
    ) -> Recorded:
        """Record the assessment's points per activity."""
        self._happened(assessed_on=assessed_on)
        points = AssessmentPoints(daily_living=dict(daily_living), mobility=dict(mobility))
        return self._change_claim(
            claim_id, lambda c: c.record_assessment(assessed_on, points, assessor)
        )

    def decide_pip_award(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        starts_on: date,
        ends_on: date,
        decision_maker: Actor | None = None,
        override: RatesOverride | None = None,
    ) -> Recorded:
        """Decide a PIP claim from its assessment points."""
        self._happened(decided_on=decided_on)
        return self._change_claim(
            claim_id,
            lambda c: c.decide_pip_award(
                decided_on=decided_on,
                starts_on=starts_on,
                ends_on=ends_on,
                decision_maker=decision_maker,
                override=override,
            ),
        )

    def decide_entitlement(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        entitled: bool,
        reason: str,
        decision_maker: Actor,
        starts_on: date | None = None,
        ends_on: date | None = None,
    ) -> Recorded:
        """A decision maker decides a non-PIP claim."""
        self._happened(decided_on=decided_on)
        return self._change_claim(
            claim_id,
            lambda c: c.decide_entitlement(
                decided_on=decided_on,
                entitled=entitled,
                reason=reason,
                decision_maker=decision_maker,
                starts_on=starts_on,
                ends_on=ends_on,
            ),
        )

    def withdraw_claim(self, claim_id: UUID, withdrawn_on: date, reason: str) -> Recorded:
        """Withdraw an undecided claim."""
        self._happened(withdrawn_on=withdrawn_on)
        return self._change_claim(claim_id, lambda c: c.withdraw(withdrawn_on, reason))

    def request_statement_of_reasons(self, claim_id: UUID, requested_on: date) -> Recorded:
        """Ask for written reasons for the decision."""
        self._happened(requested_on=requested_on)
        return self._change_claim(claim_id, lambda c: c.request_statement_of_reasons(requested_on))

    def request_reconsideration(
        self,
        claim_id: UUID,
        *,
        requested_on: date,
        grounds: str,
        good_reason_for_lateness: str | None = None,
        official_error_alleged: bool = False,
    ) -> Recorded:
        """Ask for a mandatory reconsideration."""
        self._happened(requested_on=requested_on)
        return self._change_claim(
            claim_id,
            lambda c: c.request_reconsideration(
                requested_on=requested_on,
                grounds=grounds,
                good_reason_for_lateness=good_reason_for_lateness,
                official_error_alleged=official_error_alleged,
            ),
        )

    def decide_reconsideration(
        self,
        claim_id: UUID,
        *,
        notice_sent_on: date,
        revised_award: Award | None,
        reason: str,
        decision_maker: Actor,
    ) -> Recorded:
        """Record the MR outcome."""
        self._happened(notice_sent_on=notice_sent_on)
        return self._change_claim(
            claim_id,
            lambda c: c.decide_reconsideration(
                notice_sent_on=notice_sent_on,
                revised_award=revised_award,
                reason=reason,
                decision_maker=decision_maker,
            ),
        )

    def lodge_appeal(
        self,
        claim_id: UUID,
        *,
        lodged_on: date,
        tribunal_extended: bool = False,
        sought_daily_living: Rate | None = None,
        sought_mobility: Rate | None = None,
    ) -> Recorded:
        """Lodge an appeal against the reconsidered decision."""
        self._happened(lodged_on=lodged_on)
        return self._change_claim(
            claim_id,
            lambda c: c.lodge_appeal(
                lodged_on=lodged_on,
                tribunal_extended=tribunal_extended,
                sought_daily_living=sought_daily_living,
                sought_mobility=sought_mobility,
            ),
        )

    def revise_during_appeal(self, claim_id: UUID, *, revised_on: date, award: Award) -> Recorded:
        """Revise the decision while an appeal is pending."""
        self._happened(revised_on=revised_on)
        return self._change_claim(
            claim_id, lambda c: c.revise_during_appeal(revised_on=revised_on, award=award)
        )

    def record_appeal_outcome(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        allowed: bool,
        award: Award | None,
        judge: Actor,
        reason: str,
    ) -> Recorded:
        """Record the tribunal's decision."""
        self._happened(decided_on=decided_on)
        return self._change_claim(
            claim_id,
            lambda c: c.record_appeal_outcome(
                decided_on=decided_on, allowed=allowed, award=award, judge=judge, reason=reason
            ),
        )

    def uprate_award(self, claim_id: UUID, on: date) -> Recorded:
        """Set one PIP award's weekly amounts from an uprating date (the bulk run: uprating.py)."""
        return self._change_claim(claim_id, lambda c: c.uprate_award(on))

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
        """Every event of the customer and their claims, in the order they were recorded."""
        customer = self.customer(customer_id)
        events = [e for e in self.events.get(customer.id) if isinstance(e, JourneyAggregate.Event)]
        for claim_id in customer.claims:
            events.extend(
                e for e in self.events.get(claim_id) if isinstance(e, JourneyAggregate.Event)
            )
        return sorted(
            events, key=lambda e: (e.timestamp, str(e.originator_id), e.originator_version)
        )
