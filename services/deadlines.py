"""The deadline scheduler: fires every deadline due by today, once, from an injectable clock.

Deadlines live in the log (`domain.deadlines`), so the scheduler keeps no state of its own:
after a restart it finds the same due deadlines, and one that already fired is skipped
because firing is an event on the deadline's aggregate, saved with optimistic concurrency.
Two schedulers may run side by side; each deadline still fires once.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.errors import DomainError
from services.clock import Clock
from services.errors import ConcurrentUpdate
from services.transitions import DlaToPipUseCases

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueDeadline:
    """A pending deadline whose day has come."""

    aggregate_id: UUID
    deadline_id: UUID
    action: str
    fires_on: date


class DeadlineIndex(ABC):
    """Finds pending deadlines due by a day, soonest first (a view that follows the log)."""

    @abstractmethod
    def due(self, on: date, limit: int) -> Sequence[DueDeadline]:
        """Up to `limit` pending deadlines with fires_on on or before `on`, in firing order."""


@dataclass
class SchedulerRun:
    """What one run of the scheduler did."""

    on: date
    fired: list[DueDeadline] = field(default_factory=list)
    already_done: list[DueDeadline] = field(default_factory=list)
    refused: list[tuple[DueDeadline, str]] = field(default_factory=list)


class DeadlineScheduler:
    """Fires due deadlines in order (day, aggregate, deadline), so a run is reproducible."""

    def __init__(
        self,
        application: DlaToPipUseCases,
        index: DeadlineIndex,
        clock: Clock,
        page_size: int = 500,
    ) -> None:
        self.application = application
        self.index = index
        self.clock = clock
        self.page_size = page_size

    def run_due(self, on_fired: Callable[[DueDeadline], None] | None = None) -> SchedulerRun:
        """Fire every deadline due by the clock's today, including any a firing sets for today.

        A deadline that cannot fire (its aggregate refuses, or keeps meeting concurrent
        changes) is reported and the rest still fire; the next run tries it again.
        """
        today = self.clock.today()
        run = SchedulerRun(on=today)
        attempted: set[UUID] = set()
        while True:
            # Refused deadlines stay pending at the head of the list: read past them.
            page = self.index.due(today, self.page_size + len(run.refused))
            due = [d for d in page if d.deadline_id not in attempted]
            if not due:
                return run
            for deadline in due:
                attempted.add(deadline.deadline_id)
                self._fire(deadline, run)
                if on_fired is not None:
                    on_fired(deadline)

    def _fire(self, deadline: DueDeadline, run: SchedulerRun) -> None:
        try:
            recorded = self.application.fire_deadline(deadline.aggregate_id, deadline.deadline_id)
        except (DomainError, ConcurrentUpdate) as error:
            log.warning(
                "deadline %s (%s) not fired: %s", deadline.deadline_id, deadline.action, error
            )
            run.refused.append((deadline, str(error)))
            return
        (run.fired if recorded is not None else run.already_done).append(deadline)

    def follow(
        self,
        stop: threading.Event,
        interval: float,
        on_run: Callable[[SchedulerRun], None] | None = None,
    ) -> None:
        """Run every `interval` seconds until `stop` is set (the deadline worker)."""
        while not stop.is_set():
            try:
                run = self.run_due()
            except Exception:  # keep the worker alive: a database blip must not stop deadlines
                log.exception("deadline run failed; trying again after the interval")
            else:
                if on_run is not None:
                    on_run(run)
            stop.wait(interval)
