"""What a projection is: a name, its tables, and how a batch of logged events changes them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.customer import Customer
from domain.personal_data import erased_copy
from domain.transition import DlaToPipTransition
from projections.store import ClaimOwner


class LoggedEvent(Protocol):
    """A domain event with its position in the log."""

    @property
    def position(self) -> int:
        """The event's log position (notification id)."""
        ...

    @property
    def event(self) -> JourneyAggregate.Event:
        """The domain event."""
        ...


@dataclass(frozen=True)
class ErasedEvent:
    """A logged event as it reads once its customer's personal data is erased."""

    position: int
    event: JourneyAggregate.Event


def as_erased(logged: LoggedEvent) -> LoggedEvent:
    """The logged event as a rebuild after its customer's erasure reads it (itself if the same)."""
    erased = erased_copy(logged.event)
    return logged if erased is logged.event else ErasedEvent(logged.position, erased)


class EventLog(Protocol):
    """The log the projections follow (implemented over the event store)."""

    def read(self, after: int, limit: int) -> Sequence[LoggedEvent]:
        """Up to `limit` events after a position, in log order."""
        ...

    def last_position(self) -> int:
        """The position of the newest event (0 when the log is empty)."""
        ...


class OwnersBatch(Protocol):
    """What a projection may ask of a batch about whose each claim or journey is."""

    def claim_owner(self, claim_id: UUID) -> ClaimOwner | None:
        """The customer and kind of a claim or journey (None when it is not known)."""
        ...

    def record_claim_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Remember whose a claim or journey is (from its first event)."""
        ...

    def prefetch_claim_owners(self, claim_ids: Iterable[UUID]) -> None:
        """Load the owners of many claims or journeys at once (a hint; may do nothing)."""
        ...


BatchT = TypeVar("BatchT", contravariant=True)


class Projection(ABC, Generic[BatchT]):
    """A read model built from the log; every batch is one tracked transaction.

    Each projection names the small part of a view batch it uses (its own tables' methods), so
    a view's interface is read beside the view, and the full batch must provide every one.
    """

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]

    @abstractmethod
    def apply(self, events: Sequence[LoggedEvent], batch: BatchT) -> None:
        """Change the view for events, in log order, inside one batch."""


TRANSITION_OWNER_KIND = "DLA_TO_PIP"
"""What the owner table records as the 'benefit' of a transition (claims record theirs)."""


def owner_of(logged: LoggedEvent, batch: OwnersBatch) -> UUID | None:
    """The customer an event concerns (other aggregates are looked up by their first event).

    The owner table maps each aggregate's id to its customer and its kind: a claim's benefit,
    DLA_TO_PIP, or the aggregate class's name in capitals for the other journeys.
    """
    event = logged.event
    if isinstance(event, Customer.Event):
        return event.originator_id
    if isinstance(event, Claim.Started):
        owner = ClaimOwner(customer_id=event.customer_id, benefit=event.benefit.value)
        batch.record_claim_owner(event.originator_id, owner)
        return event.customer_id
    if isinstance(event, DlaToPipTransition.Started):
        owner = ClaimOwner(customer_id=event.customer_id, benefit=TRANSITION_OWNER_KIND)
        batch.record_claim_owner(event.originator_id, owner)
        return event.customer_id
    if isinstance(event, JourneyAggregate.Created):
        # Every other journey names its customer in its first event (None: about nobody).
        customer_id = getattr(event, "customer_id", None)
        if isinstance(customer_id, UUID):
            kind = type(event).__qualname__.split(".", 1)[0].upper()
            batch.record_claim_owner(event.originator_id, ClaimOwner(customer_id, kind))
            return customer_id
        return None
    claim = batch.claim_owner(event.originator_id)
    return claim.customer_id if claim is not None else None


def prefetch_owners(events: Sequence[LoggedEvent], batch: OwnersBatch) -> None:
    """Ask the batch for the owners of every claim or journey in a page at once."""
    batch.prefetch_claim_owners(
        {
            logged.event.originator_id
            for logged in events
            if not isinstance(logged.event, Customer.Event | JourneyAggregate.Created)
        }
    )


def effective_date_of(event: JourneyAggregate.Event) -> date | None:
    """The date the fact took effect, for events that describe one."""
    value = getattr(event, "effective_date", None)
    return value if isinstance(value, date) else None


def event_kind(event: JourneyAggregate.Event) -> str:
    """Aggregate.Event, e.g. Claim.AwardDecided."""
    return type(event).__qualname__


def long_date(day: date) -> str:
    """A date as people write it: 2 May 2026."""
    return f"{day.day} {day.strftime('%B')} {day.year}"
