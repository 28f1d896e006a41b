"""Reading an application's event log page by page, in log order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Notification


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
