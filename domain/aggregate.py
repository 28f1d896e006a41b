"""The base of every Journeys aggregate: events stamped with when they were recorded and by whom."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import ClaimHistoryInconsistent
from domain.values import Actor, EventRef

_T = TypeVar("_T")


def known(value: _T | None, what: str, whose: str) -> _T:
    """A fact an aggregate's history guarantees at its stage; absent means corrupt history."""
    if value is None:
        raise ClaimHistoryInconsistent(f"the {whose}'s history has no {what} at this stage")
    return value


# The service layer sets this from its injectable clock so that replays, tests and the
# synthetic demo record deterministic times; outside a service call it is the wall clock.
_recording_time: ContextVar[datetime | None] = ContextVar("recording_time", default=None)


@contextmanager
def recording_at(moment: datetime) -> Iterator[None]:
    """Stamp every event created inside the block with `moment` (a UTC time)."""
    if moment.tzinfo is None:
        raise ValueError("recording times must be timezone-aware (UTC)")
    token = _recording_time.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _recording_time.reset(token)


def recording_time() -> datetime:
    """The time events created now will be recorded with."""
    return _recording_time.get() or datetime.now(tz=UTC)


# The adapter that received a command (HTTP, CLI, Kafka) says who asked for it; the domain
# stamps every event with that actor so the timeline can say who or what caused each fact.
_acting_actor: ContextVar[Actor | None] = ContextVar("acting_actor", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Attribute every event created inside the block to `actor`."""
    token = _acting_actor.set(actor)
    try:
        yield
    finally:
        _acting_actor.reset(token)


def acting_actor() -> Actor:
    """Who events created now are attributed to (the system when nobody is named)."""
    return _acting_actor.get() or Actor.system()


class JourneyAggregate(Aggregate):
    """An aggregate whose events carry their recorded time from the recording clock."""

    noun: ClassVar[str | None] = None
    """What people call one (as in "no claim with id ..."); None: the class name, lowercased."""

    @classmethod
    def called(cls) -> str:
        """What people call one of these aggregates."""
        return cls.noun or cls.__name__.lower()

    @property
    def data_subject(self) -> UUID | None:
        """The customer whose personal data its events carry (a journey's customer)."""
        customer_id = getattr(self, "customer_id", None)
        return customer_id if isinstance(customer_id, UUID) else None

    class Event(Aggregate.Event):
        """An event of a Journeys aggregate; `timestamp` is when it was recorded."""

        caused_by: Actor

        @staticmethod
        def create_timestamp() -> datetime:
            """The recording clock's time."""
            return recording_time()

    class Created(Event, Aggregate.Created):
        """The first event of a Journeys aggregate."""

    @classmethod
    def _create(cls, event_class: type[Any], **kwargs: Any) -> Any:
        kwargs.setdefault("caused_by", acting_actor())
        return super()._create(event_class, **kwargs)

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        """Trigger an event attributed to the acting actor."""
        kwargs.setdefault("caused_by", acting_actor())
        super().trigger_event(event_class, **kwargs)

    def ref(self) -> EventRef:
        """A reference to this aggregate's latest event."""
        return EventRef(aggregate_id=self.id, version=self.version)
