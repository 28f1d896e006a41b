"""Group commit: the events of concurrent commands are stored in one transaction, not one each.

Every insert into the log takes the store's table lock and waits for the disk to flush the
commit, so commands that each commit alone queue behind one another at a few hundred a
second. Here the first command to arrive becomes the leader and commits the events of every
command that arrived while the previous group was committing: under load one flush serves
many commands, and a lone command still commits at once, with no timer to wait for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import (
    AggregateRecorder,
    EventStore,
    IntegrityError,
    Mapper,
    Notification,
    Recording,
    StoredEvent,
)

Insert = Callable[[Sequence[StoredEvent]], Sequence[int] | None]


@dataclass(eq=False)
class _Request:
    """One command's events, waiting for a leader to store them."""

    stored_events: Sequence[StoredEvent]
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    notification_ids: Sequence[int] = ()
    error: BaseException | None = None


class GroupCommit:
    """Merges concurrent inserts into one; a conflict is settled insert by insert."""

    def __init__(self, insert: Insert, max_events: int = 2000) -> None:
        self._insert = insert
        self._max_events = max_events
        self._lock = threading.Lock()
        self._waiting: list[_Request] = []
        self._leading = False
        self.groups = 0
        """How many transactions have been committed (for measurements)."""

    def insert(self, stored_events: Sequence[StoredEvent]) -> Sequence[int]:
        """Store events with those of concurrent callers; returns their notification ids."""
        request = _Request(stored_events)
        with self._lock:
            self._waiting.append(request)
            request.lead = not self._leading
            self._leading = True
        if not request.lead:
            request.done.wait()
        if request.lead:
            self._lead()
        if request.error is not None:
            raise request.error
        return request.notification_ids

    def _lead(self) -> None:
        """Commit one group, then hand the lead to the first caller still waiting."""
        with self._lock:
            group: list[_Request] = []
            size = 0
            # A request joins only if the group stays within the cap (one bigger goes alone).
            while self._waiting and (
                not group or size + len(self._waiting[0].stored_events) <= self._max_events
            ):
                request = self._waiting.pop(0)
                group.append(request)
                size += len(request.stored_events)
        try:
            self._commit(group)
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting[0].lead = True
                    self._waiting[0].done.set()
                else:
                    self._leading = False
            for request in group:
                request.lead = False
                request.done.set()

    def _commit(self, group: list[_Request]) -> None:
        merged = [event for request in group for event in request.stored_events]
        try:
            notification_ids = self._insert(merged) or ()
        except IntegrityError as conflict:
            if len(group) == 1:
                group[0].error = conflict
                return
            # Someone in the group lost an optimistic-concurrency race (or two members of
            # the group raced each other): store them one by one so only the loser fails.
            for request in group:
                self._commit([request])
            return
        except BaseException as error:
            for request in group:
                request.error = error
            return
        self.groups += 1
        start = 0
        for request in group:
            end = start + len(request.stored_events)
            request.notification_ids = notification_ids[start:end]
            start = end


class GroupCommitEventStore(EventStore[Any]):
    """An event store whose inserts go through a group commit."""

    def __init__(
        self, mapper: Mapper[Any], recorder: AggregateRecorder, group_commit: GroupCommit
    ) -> None:
        super().__init__(mapper, recorder)
        self.group_commit = group_commit

    def put(self, domain_events: Sequence[Any], **kwargs: Any) -> list[Recording[Any]]:
        """Encode here, in the caller's thread; store with whoever else is committing."""
        if kwargs.get("tracking") is not None:
            return super().put(domain_events, **kwargs)
        stored_events = [self.mapper.to_stored_event(event) for event in domain_events]
        notification_ids = self.group_commit.insert(stored_events)
        return [
            Recording(
                domain_event,
                Notification(
                    id=notification_id,
                    originator_id=stored.originator_id,
                    originator_version=stored.originator_version,
                    topic=stored.topic,
                    state=stored.state,
                ),
            )
            for domain_event, stored, notification_id in zip(
                domain_events, stored_events, notification_ids, strict=True
            )
        ]
