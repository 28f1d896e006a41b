"""The scheduler's index of due deadlines: the deadlines view, brought up to date first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from projections.deadlines import DeadlineProjection
from projections.runner import ProjectionRunner
from projections.store import ViewStore
from services.deadlines import DeadlineIndex, DueDeadline


class ViewDeadlineIndex(DeadlineIndex):
    """Reads pending deadlines from the view after applying the log to it.

    Catching up first means a deadline set a moment ago is found; the view can never make a
    deadline fire twice, because firing checks the deadline's aggregate, not the view.
    """

    def __init__(self, runner: ProjectionRunner, views: ViewStore) -> None:
        self.runner = runner
        self.views = views

    def due(self, on: date, limit: int) -> Sequence[DueDeadline]:
        """Pending deadlines due by `on`, after the deadlines view has caught up with the log."""
        self.runner.catch_up([DeadlineProjection.name])
        return [
            DueDeadline(
                aggregate_id=entry.aggregate_id,
                deadline_id=entry.deadline_id,
                action=entry.action,
                fires_on=entry.fires_on,
            )
            for entry in self.views.read_due_deadlines(on, limit)
        ]
