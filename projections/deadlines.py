"""The deadlines view: every deadline a journey set, pending until it fires or is cancelled.

The scheduler finds due deadlines here; caseworkers and operators list them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from domain.deadlines import WithDeadlines
from projections.model import DeadlineEntry, DeadlineStatus
from projections.projection import LoggedEvent, OwnersBatch, Projection, owner_of, prefetch_owners


class DeadlineBatch(OwnersBatch, Protocol):
    """What the deadlines projection asks of a view batch: its own table, and owners."""

    def add_deadlines(self, entries: Sequence[DeadlineEntry]) -> None:
        """Record newly set deadlines (pending)."""
        ...

    def close_deadline(
        self,
        deadline_id: UUID,
        status: DeadlineStatus,
        closed_on: date,
        cancel_reason: str | None = None,
    ) -> None:
        """Mark a deadline fired or cancelled (it was added in this or an earlier batch)."""
        ...


class DeadlineProjection(Projection[DeadlineBatch]):
    """One row per deadline, closed when it fires or is cancelled."""

    name = "deadlines"
    tables = ("view_deadline",)

    def apply(self, events: Sequence[LoggedEvent], batch: DeadlineBatch) -> None:
        """Add set deadlines and close fired or cancelled ones, in log order."""
        prefetch_owners(events, batch)
        for logged in events:
            event = logged.event
            customer_id = owner_of(logged, batch)
            if isinstance(event, WithDeadlines.DeadlineSet) and customer_id is not None:
                deadline = event.deadline
                batch.add_deadlines(
                    [
                        DeadlineEntry(
                            deadline_id=deadline.deadline_id,
                            aggregate_id=event.originator_id,
                            customer_id=customer_id,
                            action=deadline.action,
                            description=deadline.description,
                            fires_on=deadline.fires_on,
                            set_on=event.effective_date,
                        )
                    ]
                )
            elif isinstance(event, WithDeadlines.DeadlineFired):
                batch.close_deadline(event.deadline_id, DeadlineStatus.FIRED, event.effective_date)
            elif isinstance(event, WithDeadlines.DeadlineCancelled):
                batch.close_deadline(
                    event.deadline_id,
                    DeadlineStatus.CANCELLED,
                    event.effective_date,
                    event.reason,
                )
