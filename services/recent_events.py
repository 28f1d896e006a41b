"""The decoded events of recently used aggregates, so a command need not read them all again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.customer import Customer

Events = tuple[JourneyAggregate.Event, ...]


def customer_of(events: Events) -> UUID | None:
    """The customer an aggregate's events are about: the customer's own record, or the
    customer every other journey names in its first event (None: about nobody, e.g. a policy)."""
    first = events[0]
    if isinstance(first, Customer.Event):
        return first.originator_id
    customer_id = getattr(first, "customer_id", None)
    return customer_id if isinstance(customer_id, UUID) else None


class RecentEvents:
    """A bounded, least-recently-used map from aggregate id to its events, oldest first.

    Events are immutable, so every thread can replay the same tuple into its own aggregate;
    that is far cheaper than deep-copying a cached aggregate before each command.
    """

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._entries: OrderedDict[UUID, Events] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, aggregate_id: UUID) -> Events | None:
        """The aggregate's events as last seen, if it was seen recently."""
        with self._lock:
            events = self._entries.get(aggregate_id)
            if events is not None:
                self._entries.move_to_end(aggregate_id)
            return events

    def put(self, aggregate_id: UUID, events: Events) -> None:
        """Remember an aggregate's events (a shorter history never replaces a longer one)."""
        with self._lock:
            known = self._entries.get(aggregate_id)
            if known is not None and len(known) > len(events):
                return
            self._entries[aggregate_id] = events
            self._entries.move_to_end(aggregate_id)
            while len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)

    def extend(self, aggregate_id: UUID, stored: Sequence[JourneyAggregate.Event]) -> None:
        """Add events just stored; forget the aggregate if they do not follow what is known."""
        if not stored:
            return
        first_version = stored[0].originator_version
        with self._lock:
            known = self._entries.get(aggregate_id, ())
        if len(known) == first_version - 1:
            self.put(aggregate_id, (*known, *stored))
        else:
            self.forget(aggregate_id)

    def forget_about(self, customer_id: UUID) -> None:
        """Drop the customer's record and every aggregate whose first event names them."""
        with self._lock:
            about = [
                aggregate_id
                for aggregate_id, events in self._entries.items()
                if events and customer_of(events) == customer_id
            ]
            for aggregate_id in about:
                del self._entries[aggregate_id]

    def forget(self, aggregate_id: UUID) -> None:
        """Drop an aggregate (after a conflict, say)."""
        with self._lock:
            self._entries.pop(aggregate_id, None)
