"""Reading an application's event log page by page, in log order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from domain.aggregate import JourneyAggregate


def read_log(
    application: Application[Any],
    *,
    start: int = 1,
    topics: Sequence[str] = (),
    page_size: int = 1000,
) -> Iterator[Notification]:
    """Every stored event from a log position on (only the given topics, if any)."""
    position = start
    while True:
        page = application.recorder.select_notifications(
            start=position, limit=page_size, topics=topics
        )
        if not page:
            return
        yield from page
        position = page[-1].id + 1


@dataclass(frozen=True)
class PositionedEvent:
    """A domain event with its log position (what the projections read)."""

    position: int
    event: JourneyAggregate.Event


class ApplicationLog:
    """The application's event log as the projections read it."""

    def __init__(self, application: Application[Any]) -> None:
        self._application = application

    def read(self, after: int, limit: int) -> Sequence[PositionedEvent]:
        """Up to `limit` domain events after a position, in log order."""
        notifications = self._application.recorder.select_notifications(
            start=after + 1, limit=limit
        )
        to_domain_event = self._application.mapper.to_domain_event
        return [
            PositionedEvent(n.id, cast(JourneyAggregate.Event, to_domain_event(n)))
            for n in notifications
        ]

    def last_position(self) -> int:
        """The newest event's position (0 when the log is empty)."""
        return self._application.recorder.max_notification_id() or 0
