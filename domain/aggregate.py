"""The base of every Journeys aggregate: events stamped with the time they were recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from eventsourcing.domain import Aggregate

from domain.values import EventRef

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


class JourneyAggregate(Aggregate):
    """An aggregate whose events carry their recorded time from the recording clock."""

    class Event(Aggregate.Event):
        """An event of a Journeys aggregate; `timestamp` is when it was recorded."""

        @staticmethod
        def create_timestamp() -> datetime:
            """The recording clock's time."""
            return recording_time()

    class Created(Event, Aggregate.Created):
        """The first event of a Journeys aggregate."""

    def ref(self) -> EventRef:
        """A reference to this aggregate's latest event."""
        return EventRef(aggregate_id=self.id, version=self.version)
