"""Durable deadlines: recorded as events on the aggregate they concern, fired once when due.

A deadline says what happens (its action) when a date passes. It is set by an event,
so it survives restarts with the log; a scheduler fires it at most once, because firing
is itself an event on the same aggregate, saved with optimistic concurrency: a second
firing finds the deadline no longer pending. What the action does is the aggregate's own
business (`_on_deadline`); the effective dates it produces come from rules, not from
whenever the scheduler happened to run.
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from datetime import date
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate
from domain.errors import DeadlineNotDue
from domain.obligations import CODE, SYSTEM_WORDING, NoLetter, implies
from domain.values import ValueObject
from domain.wording import DEADLINE_ACTIONS


class Deadline(ValueObject):
    """An action that happens on or after a date unless it is cancelled first."""

    deadline_id: UUID
    action: Annotated[str, CODE]
    fires_on: date
    description: Annotated[str, SYSTEM_WORDING]


def deadline_id_for(aggregate_id: UUID, action: str, version: int) -> UUID:
    """A deadline's id from where it was set: the same history always gives the same ids."""
    return uuid.uuid5(aggregate_id, f"deadline:{action}:{version}")


class WithDeadlines(JourneyAggregate):
    """An aggregate that sets deadlines on itself and reacts when one fires.

    Subclasses call `_init_deadlines()` in their `__init__` and implement `_on_deadline`.
    """

    def _init_deadlines(self) -> None:
        self.pending_deadlines: dict[UUID, Deadline] = {}

    @implies(
        timeline=lambda e: (
            f"Deadline set: {e.deadline.description} on {e.deadline.fires_on.isoformat()}"
        ),
        letter=NoLetter("a reminder the system sets itself; what it leads to writes any letter"),
    )
    class DeadlineSet(JourneyAggregate.Event):
        """A deadline was set: on `fires_on` its action happens unless cancelled."""

        effective_date: date
        deadline: Deadline

    def _set_deadline(self, action: str, fires_on: date, description: str, today: date) -> None:
        deadline = Deadline(
            deadline_id=deadline_id_for(self.id, action, self.version + 1),
            action=action,
            fires_on=fires_on,
            description=description,
        )
        self._deadline_set(effective_date=today, deadline=deadline)

    @event(DeadlineSet)
    def _deadline_set(self, effective_date: date, deadline: Deadline) -> None:
        self.pending_deadlines[deadline.deadline_id] = deadline

    @implies(
        timeline=lambda e: f"Deadline cancelled: {e.reason}",
        letter=NoLetter("a reminder the system sets itself; what it leads to writes any letter"),
    )
    class DeadlineCancelled(JourneyAggregate.Event):
        """A pending deadline no longer applies (what it waited for happened)."""

        effective_date: date
        deadline_id: UUID
        reason: Annotated[str, SYSTEM_WORDING]

    def _cancel_deadlines(self, actions: set[str], reason: str, today: date) -> None:
        """Cancel every pending deadline with one of the actions."""
        for deadline in list(self.pending_deadlines.values()):
            if deadline.action in actions:
                self._deadline_cancelled(
                    effective_date=today, deadline_id=deadline.deadline_id, reason=reason
                )

    @event(DeadlineCancelled)
    def _deadline_cancelled(self, effective_date: date, deadline_id: UUID, reason: str) -> None:
        del self.pending_deadlines[deadline_id]

    @implies(
        timeline=lambda e: (
            f"Deadline of {e.fires_on.isoformat()} reached: "
            + DEADLINE_ACTIONS.get(e.action, e.action)
        ),
        letter=NoLetter("a reminder the system sets itself; what it leads to writes any letter"),
    )
    class DeadlineFired(JourneyAggregate.Event):
        """A deadline passed and its action ran (the events that follow say what it did)."""

        effective_date: date
        deadline_id: UUID
        action: Annotated[str, CODE]
        fires_on: date

    def fire_deadline(self, deadline_id: UUID, today: date) -> bool:
        """Run a due deadline's action once; False when it is no longer pending (done before)."""
        deadline = self.pending_deadlines.get(deadline_id)
        if deadline is None:
            return False
        if deadline.fires_on > today:
            raise DeadlineNotDue(
                f"the deadline {deadline.action} fires on {deadline.fires_on.isoformat()}, "
                f"not before (today is {today.isoformat()})"
            )
        self._deadline_fired(
            effective_date=today,
            deadline_id=deadline_id,
            action=deadline.action,
            fires_on=deadline.fires_on,
        )
        self._on_deadline(deadline, today)
        return True

    @event(DeadlineFired)
    def _deadline_fired(
        self, effective_date: date, deadline_id: UUID, action: str, fires_on: date
    ) -> None:
        del self.pending_deadlines[deadline_id]

    @abstractmethod
    def _on_deadline(self, deadline: Deadline, today: date) -> None:
        """What the aggregate does when one of its deadlines fires."""
