"""The plumbing every use case shares: load aggregates, run a command, save once, retry."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    EventStore,
    JSONTranscoder,
    Mapper,
    RecordConflictError,
    Recording,
    StoredEvent,
)

from domain.aggregate import JourneyAggregate, acting_actor, recording_at
from domain.claim import Claim
from domain.customer import Customer
from domain.errors import DomainError
from domain.personal_data import storing_for
from domain.values import Actor
from services.clock import Clock
from services.errors import (
    ConcurrentUpdate,
    DateInFuture,
    NotFound,
    not_found_for,
)
from services.group_commit import GroupCommit, GroupCommitEventStore
from services.implied_contacts import with_implied_contacts
from services.personal_data import (
    CustomerKeys,
    MissingCustomerKey,
    SealingMapper,
    SealingTranscoder,
)
from services.recent_events import Events, RecentEvents, customer_of
from services.transcodings import register_domain_transcodings

AggregateT = TypeVar("AggregateT", bound=JourneyAggregate)

NOTHING_STORED = 0
"""The 'position' of a command that changed nothing (log positions start at 1)."""


@dataclass(frozen=True)
class Recorded:
    """What a command stored: the aggregate it was about and the log position it reached."""

    id: UUID
    position: int


class JourneysBase(Application[UUID]):
    """Load, command, save once; conflicts retried, then reported (the use cases subclass it)."""

    name = "Journeys"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A use case declared with one_change is named after its attribute (reassign_concern,
        # not the aggregate's reassign), so routes and tracebacks name the use case.
        for attribute, value in vars(cls).items():
            if getattr(value, "one_change_of", None) is not None:
                value.__name__ = attribute
                value.__qualname__ = f"{cls.__qualname__}.{attribute}"

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        clock: Clock,
        command_attempts: int = 3,
        group_commit: bool = True,
        recent_aggregates: int = 0,
        customer_keys: CustomerKeys | None = None,
    ) -> None:
        self.clock = clock
        self.customer_keys = customer_keys
        self.command_attempts = command_attempts
        self.recent = RecentEvents(recent_aggregates) if recent_aggregates else None
        self.group_commit = (
            GroupCommit(lambda stored: self.recorder.insert_events(stored))
            if group_commit
            else None
        )
        super().__init__(env=env)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save, naming whose personal data each aggregate's events carry."""
        subjects = {o.id: o.data_subject for o in objs if isinstance(o, JourneyAggregate)}
        with storing_for(subjects):
            return super().save(*objs, **kwargs)

    def _insert(self, stored_events: Sequence[StoredEvent]) -> Sequence[int] | None:
        return self.recorder.insert_events(stored_events)

    def construct_mapper(self) -> Mapper[UUID]:
        """Personal fields sealed per customer when a key store is given (the root gives one)."""
        if self.customer_keys is None:
            return super().construct_mapper()
        transcoder = SealingTranscoder()
        self.register_transcodings(transcoder)
        return SealingMapper(
            transcoder,
            self.customer_keys,
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )

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
        not_found = not_found_for(kind)
        aggregate: object
        if version is None:
            aggregate = self._current(aggregate_id, fresh)
        else:
            try:
                aggregate = self.repository.get(aggregate_id, version=version)
            except AggregateNotFoundError:
                aggregate = None
        label = kind.called()
        if aggregate is None:
            raise not_found(f"no {label} with id {aggregate_id}")
        if not isinstance(aggregate, kind):
            raise not_found(f"{aggregate_id} is not a {label}")
        return aggregate

    def _load_if_any(
        self, aggregate_id: UUID, kind: type[AggregateT], *, fresh: bool = True
    ) -> AggregateT | None:
        """An aggregate at its latest version, or None when it was never created."""
        try:
            return self._load(aggregate_id, kind, fresh=fresh)
        except NotFound:
            return None

    def _current(self, aggregate_id: UUID, fresh: bool) -> JourneyAggregate | None:
        """The aggregate at its latest version: recent events, plus any stored since if fresh.

        A command may run on recent events alone: if another process has moved the
        aggregate on, saving conflicts (or a refusal is checked again) and the command runs
        once more on fresh events. Queries always read fresh.
        """
        recent = self.recent
        known = recent.get(aggregate_id) if recent is not None else None
        if recent is not None and known and self._erased_since_cached(known):
            # Another process erased the customer: their decoded text must not outlive the key.
            recent.forget(aggregate_id)
            known = None
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
        if not any(events for _, events in pending):
            return NOTHING_STORED
        subjects = {aggregate.id: aggregate.data_subject for aggregate in changed}
        try:
            with storing_for(subjects):
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
                changed = self._with_contacts(command(fresh), fresh)
        except DomainError:
            if fresh:
                raise
            # Refused on cached events: make sure on the stored ones before saying no.
            with recording_at(self.clock.now()):
                changed = self._with_contacts(command(True), True)
        return self._store(changed)

    def _with_contacts(
        self, changed: Sequence[JourneyAggregate], fresh: bool
    ) -> Sequence[JourneyAggregate]:
        """Queue, on its customer and in this save, the letter each pending fact implies."""
        return with_implied_contacts(
            changed,
            lambda customer_id: self._load(customer_id, Customer, fresh=fresh),
            self.clock.today(),
        )

    def _change(
        self, aggregate_id: UUID, kind: type[AggregateT], change: Callable[[AggregateT], object]
    ) -> Recorded:
        """Load one aggregate, apply one command to it and save it."""

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            aggregate = self._load(aggregate_id, kind, fresh=fresh)
            change(aggregate)
            return (aggregate,)

        return Recorded(aggregate_id, self._save_with_retries(aggregate_id, command))

    def _erased_since_cached(self, events: Events) -> bool:
        """True when cached events are about a customer whose key is gone (erased elsewhere).

        The key store trusts a key it read for its cache window (30 s), so a cached aggregate
        serves another process's erasure no later than a key would; without this check it
        served the plaintext for as long as it stayed cached.
        """
        if self.customer_keys is None:
            return False
        subject = customer_of(events)
        if subject is None:
            return False
        try:
            return self.customer_keys.key_for_opening(subject) is None
        except MissingCustomerKey:
            return False  # registered before sealing: nothing was sealed to erase

    def _happened(self, **dates: date | None) -> None:
        """Refuse dates of past facts that lie after today, naming the field."""
        today = self.clock.today()
        for field_name, value in dates.items():
            if value is not None and value > today:
                raise DateInFuture(
                    f"{field_name} {value.isoformat()} is after today ({today.isoformat()})",
                    field=field_name,
                )

    def _change_claim(self, claim_id: UUID, change: Callable[[Claim], None]) -> Recorded:
        return self._change(claim_id, Claim, change)

    def _change_customer(self, customer_id: UUID, change: Callable[[Customer], None]) -> Recorded:
        return self._change(customer_id, Customer, change)


def named_or_acting(decision_maker: Actor | None) -> Actor:
    """The decision maker named, else whoever is acting (a route runs as the signed-in user)."""
    return decision_maker if decision_maker is not None else acting_actor()


P = ParamSpec("P")


def one_change(
    kind: type[AggregateT],
    change: Callable[Concatenate[AggregateT, P], object],
    *,
    happened: tuple[str, ...] = (),
) -> Callable[Concatenate[JourneysBase, UUID, P], Recorded]:
    """A use case that loads one aggregate by id, makes one change to it and saves it.

    Most commands are just this: the use case takes the aggregate method's own arguments (its
    signature and types, so callers and the reflection test see them) after the aggregate's id.
    `happened` names the arguments that date past facts: one after today is refused first.
    """
    signature = inspect.signature(change)
    id_name = re.sub(r"\W+", "_", kind.called()) + "_id"
    aggregate_id = inspect.Parameter(id_name, inspect.Parameter.POSITIONAL_ONLY, annotation=UUID)
    own = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)

    def use_case(
        self: JourneysBase, aggregate_id: UUID, /, *args: P.args, **kwargs: P.kwargs
    ) -> Recorded:
        given = signature.bind(None, *args, **kwargs).arguments
        self._happened(**{name: given.get(name) for name in happened})
        return self._change(
            aggregate_id, kind, lambda aggregate: change(aggregate, *args, **kwargs)
        )

    use_case.__name__ = use_case.__qualname__ = change.__name__
    use_case.__doc__ = change.__doc__
    use_case.one_change_of = change  # type: ignore[attr-defined]  # named by its class
    use_case.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[own, aggregate_id, *list(signature.parameters.values())[1:]],
        return_annotation=Recorded,
    )
    return use_case
