"""Scale-out projection workers: a Kafka consumer group over the events topic builds the views.

Each worker is one member of a consumer group (``kafka_projection_group``) over the topic the
relay publishes to. The relay keys every record by customer, so one customer's events share
a partition and arrive in log order; the group spreads the partitions over the workers, and
adding or removing a worker rebalances them.

Records carry a redacted payload, so a worker reads each event whole from the event store by
its ``log_position`` (as the in-process runner reads the log), then applies one partition's
part of a poll to every projection in ONE view transaction, together with that partition's
tracking row in ``view_partition_tracking`` (projection set, topic, partition, the next
offset to apply, and the highest log position applied from it). The Kafka offset is
committed only after that transaction: the tracking row is the truth. On assignment each
partition is sought to its tracked offset, so a worker that dies between its view commit
and its offset commit re-applies nothing; the row is locked and compared in the transaction,
so a worker that lost its partition in a rebalance mid-batch cannot apply a record twice
either. An event the relay sent twice (after a relay crash) has a log position no higher
than one already applied from its partition, and is skipped.

The two modes and their tracking: the in-process runner (``journeys project``, the API's
follower) tracks one global log position per projection in ``view_tracking``; the workers
track partitions' offsets in ``view_partition_tracking`` and leave ``view_tracking`` alone
(its positions mean nothing in this mode). A deployment builds a views store with one mode
or the other, never both at once; to switch, rebuild the views (and, to the workers, start
a new projection set or group with empty tracking rows).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from adapters.bootstrap import Journeys
from adapters.kafka.consumer import DEFAULT_SESSION_TIMEOUT_MS, group_timing
from adapters.kafka.group_member import GroupMember
from adapters.kafka.tracking import DEFAULT_PROJECTION_SET, PartitionMark, PartitionTracking
from adapters.views.sql import SqlViewBatch, SqlViewStore
from projections.batch import ViewBatch
from projections.projection import EventLog, LoggedEvent, Projection

log = logging.getLogger(__name__)

MAX_POLL_RECORDS = 500


@dataclass
class WorkerTally:
    """What a worker has done: records read, events applied, duplicates skipped, and lag."""

    records: int = 0
    applied: int = 0
    skipped: int = 0
    lag: int = 0
    partitions: list[int] = field(default_factory=list)


def log_position_of(value: bytes | None) -> int:
    """The envelope's log position (the rest of it is not needed: the event store has it)."""
    position = json.loads(value or b"{}")["log_position"]
    if not isinstance(position, int):
        raise ValueError(f"log_position is not an integer: {position!r}")
    return position


class OffsetGap(RuntimeError):
    """A partition's records start past its tracking row: they are read again from the row."""

    def __init__(self, topic: str, partition: int, expected: int, got: int) -> None:
        super().__init__(
            f"{topic}[{partition}]: records start at offset {got}, but the views have applied"
            f" up to {expected}; reading again from {expected}"
        )
        self.expected = expected


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, worker: ProjectionWorker) -> None:
        self.worker = worker

    def on_partitions_revoked(self, revoked: Any) -> None:
        self.worker.partitions_revoked(list(revoked))

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.worker.partitions_assigned(list(assigned))


class ProjectionWorker(GroupMember[WorkerTally]):
    """One member of the projection group: applies its partitions' events to the views."""

    name = "projection worker"

    def __init__(
        self,
        log: EventLog,
        store: SqlViewStore,
        projections: Sequence[Projection[ViewBatch]],
        bootstrap_servers: str,
        topic: str,
        group_id: str,
        *,
        projection_set: str = DEFAULT_PROJECTION_SET,
        max_poll_records: int = MAX_POLL_RECORDS,
        session_timeout_ms: int = DEFAULT_SESSION_TIMEOUT_MS,
        **consumer_settings: Any,
    ) -> None:
        self.log = log
        self.store = store
        self.projections = list(projections)
        self.topic = topic
        self.tracking = PartitionTracking(store, projection_set)
        self.tally = WorkerTally()
        self.after_views_committed: Callable[[TopicPartition], None] | None = None
        """Called between a partition's view commit and its offset commit (tests crash here)."""
        settings: dict[str, Any] = {
            "bootstrap_servers": [s.strip() for s in bootstrap_servers.split(",") if s.strip()],
            "group_id": group_id,
            "client_id": "journeys-project",
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_records": max_poll_records,
            **group_timing(session_timeout_ms),
        }
        settings.update(consumer_settings)
        self._consumer = KafkaConsumer(**settings)
        self._consumer.subscribe([topic], listener=_Rebalance(self))

    # -- rebalancing ----------------------------------------------------------------------

    def partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        """Start each partition where its tracking row says, whatever offset Kafka holds."""
        for partition in assigned:
            mark = self.tracking.mark(partition.topic, partition.partition)
            if mark is not None:
                self._consumer.seek(partition, mark.next_offset)
        self.tally.partitions = sorted(p.partition for p in self._consumer.assignment())
        log.info("%s: assigned partitions %s", self.topic, sorted(p.partition for p in assigned))

    def partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        """Nothing to hand over: each batch's offset was committed after it was applied.

        No commit here: kafka-python 3 calls this on its I/O thread, where a blocking commit
        raises ("Cannot block on net.run() from the IO thread"), and the tracking rows say
        where the next owner starts anyway.
        """
        log.info("%s: revoked partitions %s", self.topic, sorted(p.partition for p in revoked))

    # -- applying -------------------------------------------------------------------------

    def poll(self, timeout_ms: int = 500) -> int:
        """Apply one poll's records, partition by partition; returns how many were read.

        When a partition fails, it and every partition of the poll not yet applied are read
        again: the consumer has moved past all the records the poll returned, and a
        partition skipped here would otherwise be missed for good.
        """
        batch = self._consumer.poll(timeout_ms=timeout_ms)
        read = 0
        pending = list(batch.items())
        while pending:
            partition, records = pending[0]
            try:
                self._apply(partition, records)
                if self.after_views_committed is not None:
                    self.after_views_committed(partition)
                self._commit(partition, records[-1].offset + 1)
            except Exception as error:
                # No database call here: the failure may be the database's. Records already
                # applied are skipped on the way back by the tracking row.
                assigned = self._consumer.assignment()  # a rebalance may have taken some
                for unapplied, again in pending:
                    if unapplied in assigned:
                        self._consumer.seek(unapplied, again[0].offset)
                if isinstance(error, OffsetGap) and partition in assigned:
                    self._consumer.seek(partition, error.expected)
                raise
            pending.pop(0)
            read += len(records)
        return read

    def _apply(self, partition: TopicPartition, records: Sequence[Any]) -> None:
        topic, number = _tp(partition)
        with self.tracking.transaction(topic, number) as (cursor, mark):
            fresh = [r for r in records if r.offset >= mark.next_offset]
            if not fresh:
                return  # another worker applied these before this one lost the partition
            if mark.next_offset and fresh[0].offset > mark.next_offset:
                # Records between the row and this batch were never applied: applying this
                # batch would move the row past them for good.
                raise OffsetGap(topic, number, mark.next_offset, fresh[0].offset)
            positions = [log_position_of(r.value) for r in fresh]
            # A record the relay sent again carries a position already applied: skip it.
            wanted: list[int] = []
            highest = mark.position
            for position in positions:
                if position > highest:
                    wanted.append(position)
                    highest = position
            events = self._load(wanted)
            if events:
                for projection in self.projections:
                    batch = SqlViewBatch(self.store, cursor)
                    projection.apply(events, batch)
                    batch.flush_rows()
            self.tracking.advance(
                cursor, topic, number, PartitionMark(fresh[-1].offset + 1, highest)
            )
        self.tally.records += len(fresh)
        self.tally.applied += len(events)
        self.tally.skipped += len(fresh) - len(events)

    def _load(self, positions: Sequence[int]) -> list[LoggedEvent]:
        """The events at these log positions (increasing), read whole from the event store."""
        if not positions:
            return []
        wanted = set(positions)
        first, last = positions[0], positions[-1]
        events = [
            logged
            for logged in self.log.read(after=first - 1, limit=last - first + 1)
            if logged.position in wanted
        ]
        if len(events) != len(wanted):
            found = {logged.position for logged in events}
            missing = sorted(wanted - found)[:5]
            raise LookupError(f"events not in the log at positions {missing}")
        return events

    def _commit(self, partition: TopicPartition, next_offset: int) -> None:
        self._consumer.commit({partition: OffsetAndMetadata(next_offset, "", -1)})

    # -- running --------------------------------------------------------------------------

    def close(self) -> None:
        """Leave the group (the tracking rows keep the truth; nothing more is committed)."""
        self._consumer.close(autocommit=False)


def _tp(partition: TopicPartition) -> tuple[str, int]:
    return partition.topic, partition.partition


def build_worker(
    system: Journeys,
    *,
    bootstrap_servers: str | None = None,
    topic: str | None = None,
    group_id: str | None = None,
    **consumer_settings: Any,
) -> ProjectionWorker:
    """A projection worker over a built system's log, views and projections (settings' topic)."""
    settings = system.settings
    store = system.views
    if not isinstance(store, SqlViewStore):
        raise TypeError(f"projection workers need a SQL view store, not {type(store).__name__}")
    return ProjectionWorker(
        system.projections.log,
        store,
        list(system.projections.projections.values()),
        bootstrap_servers or settings.kafka_bootstrap_servers,
        topic or settings.kafka_events_topic,
        group_id or settings.kafka_projection_group,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        **{"bootstrap_timeout_ms": settings.kafka_bootstrap_timeout_ms, **consumer_settings},
    )
