"""Where Kafka-fed views stand: the workers' partition rows and the relay's partition ends.

Two small tables beside the views (created with them, in adapters/views/sql.py):

- ``view_partition_tracking``: per projection set, topic and partition, the next offset a
  projection worker will apply and the highest log position it has applied from that
  partition (written in the same transaction as the view rows; see workers.py).
- ``relay_partition_offsets``: per topic and partition, the offset after the last record the
  relay has had acknowledged there. The relay writes it after the broker acknowledges a
  batch and before it moves its own position past the batch, so the row is never behind
  the position (it may be ahead after a crash, which only makes readers wait longer).

Together with the relay's position they say how far the workers' views have got in the log
(see ``views_low_watermark``), which is what read-your-writes waits on in Kafka mode.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from adapters.views.sql import Cursor, SqlViewStore

DEFAULT_PROJECTION_SET = "views"


def tracking_name(topic: str) -> str:
    """The relay's row in the views' tracking table: one position per topic."""
    return f"kafka_relay:{topic}"


@dataclass(frozen=True)
class PartitionMark:
    """Where a partition stands: the next offset to apply and the highest position applied."""

    next_offset: int
    position: int


class PartitionTracking:
    """The per-partition tracking rows of one projection set, beside the views."""

    def __init__(self, store: SqlViewStore, projection_set: str = DEFAULT_PROJECTION_SET) -> None:
        self.store = store
        self.projection_set = projection_set

    def mark(self, topic: str, partition: int) -> PartitionMark | None:
        """The partition's tracking, if anything of it has been applied."""
        return self.marks(topic).get(partition)

    def marks(self, topic: str) -> dict[int, PartitionMark]:
        """Every tracked partition of a topic."""
        with self.store._transaction(write=False) as cursor:
            cursor.execute(
                self.store.t(
                    "SELECT partition_no, next_offset, position FROM {p}view_partition_tracking"
                    " WHERE projection_set = ? AND topic = ?"
                ),
                (self.projection_set, topic),
            )
            rows = cursor.fetchall()
        return {int(row[0]): PartitionMark(int(row[1]), int(row[2])) for row in rows}

    @contextmanager
    def transaction(self, topic: str, partition: int) -> Iterator[tuple[Cursor, PartitionMark]]:
        """A writing transaction holding the partition's row (locked), and the row as it stood."""
        store = self.store
        key = (self.projection_set, topic, partition)
        with store._transaction(write=True) as cursor:
            cursor.execute(
                store.t(
                    "INSERT INTO {p}view_partition_tracking"
                    " (projection_set, topic, partition_no, next_offset, position)"
                    " VALUES (?, ?, ?, 0, 0)"
                    " ON CONFLICT (projection_set, topic, partition_no) DO NOTHING"
                ),
                key,
            )
            cursor.execute(
                store.t(
                    "SELECT next_offset, position FROM {p}view_partition_tracking"
                    f" WHERE projection_set = ? AND topic = ? AND partition_no = ?{store._lock}"
                ),
                key,
            )
            next_offset, position = cursor.fetchone()
            yield cursor, PartitionMark(int(next_offset), int(position))

    def advance(self, cursor: Cursor, topic: str, partition: int, mark: PartitionMark) -> None:
        """Move the partition's row on (inside the transaction that wrote the views)."""
        cursor.execute(
            self.store.t(
                "UPDATE {p}view_partition_tracking SET next_offset = ?, position = ?"
                " WHERE projection_set = ? AND topic = ? AND partition_no = ?"
            ),
            (mark.next_offset, mark.position, self.projection_set, topic, partition),
        )

    def anchor(self, topic: str, marks: Mapping[int, PartitionMark]) -> None:
        """Replace every partition row of a topic (after the views were rebuilt from the log)."""
        with self.store._transaction(write=True) as cursor:
            cursor.execute(
                self.store.t(
                    "DELETE FROM {p}view_partition_tracking WHERE projection_set = ? AND topic = ?"
                ),
                (self.projection_set, topic),
            )
            cursor.executemany(
                self.store.t(
                    "INSERT INTO {p}view_partition_tracking"
                    " (projection_set, topic, partition_no, next_offset, position)"
                    " VALUES (?, ?, ?, ?, ?)"
                ),
                [
                    (self.projection_set, topic, partition, mark.next_offset, mark.position)
                    for partition, mark in sorted(marks.items())
                ],
            )


class RelayOffsets:
    """The offset after the relay's last acknowledged record, per partition of a topic."""

    def __init__(self, store: SqlViewStore) -> None:
        self.store = store

    def ends(self, topic: str) -> dict[int, int]:
        """Each partition's next offset after what the relay has published."""
        with self.store._transaction(write=False) as cursor:
            cursor.execute(
                self.store.t(
                    "SELECT partition_no, next_offset FROM {p}relay_partition_offsets"
                    " WHERE topic = ?"
                ),
                (topic,),
            )
            rows = cursor.fetchall()
        return {int(row[0]): int(row[1]) for row in rows}

    def advance(self, topic: str, ends: Mapping[int, int]) -> None:
        """Record newly acknowledged ends (never moving a partition's end backwards)."""
        if not ends:
            return
        with self.store._transaction(write=True) as cursor:
            cursor.executemany(
                self.store.t(
                    "INSERT INTO {p}relay_partition_offsets (topic, partition_no, next_offset)"
                    " VALUES (?, ?, ?) ON CONFLICT (topic, partition_no) DO UPDATE"
                    " SET next_offset = CASE WHEN excluded.next_offset > {p}relay_partition_offsets"
                    ".next_offset THEN excluded.next_offset"
                    " ELSE {p}relay_partition_offsets.next_offset END"
                ),
                [(topic, partition, end) for partition, end in sorted(ends.items())],
            )


def views_low_watermark(
    relay_position: int,
    relay_ends: Mapping[int, int],
    worker_marks: Mapping[int, PartitionMark],
) -> int:
    """The highest log position up to which the workers' views hold every event.

    Everything up to the relay's position has been published; a partition whose worker has
    applied up to the relay's end holds all of it; a partition still behind holds every one
    of its events up to the highest position it applied (a partition's records are in log
    order), so the views are complete up to the lowest such position. A lower bound: a
    lagging partition's next event may lie well beyond it.
    """
    watermark = relay_position
    for partition, end in relay_ends.items():
        mark = worker_marks.get(partition)
        if mark is None:
            if end > 0:
                watermark = min(watermark, 0)
        elif mark.next_offset < end:
            watermark = min(watermark, mark.position)
    return max(watermark, 0)
