"""Views built by Kafka projection workers, as the rest of a process sees them.

With ``JOURNEYS_PROJECTION_MODE=kafka`` the views are built by ``journeys project
--from-kafka`` workers, never by the process that reads them. ``KafkaFedRunner`` stands in
for the in-process runner there: it applies nothing while following, it answers "have the
views reached log position N?" from the relay's and the workers' tracking rows (so
read-your-writes through ``after_position`` works in this mode too), and its ``catch_up``
waits for the workers instead of applying the log itself (the deadline and outbox workers
call it before they read the views).

A rebuild in this mode rebuilds the views from the log in this process, then anchors each
partition's tracking row at the offset the relay had published to before the rebuild began,
with the rebuild's last log position as the highest applied: the workers skip records the
rebuild already applied and carry on with the rest. Stop the workers while it runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence

from adapters.kafka.tracking import (
    DEFAULT_PROJECTION_SET,
    PartitionMark,
    PartitionTracking,
    RelayOffsets,
    tracking_name,
    views_low_watermark,
)
from adapters.views.sql import SqlViewStore
from projections.batch import ViewBatch
from projections.model import ProjectionPosition
from projections.projection import EventLog, Projection
from projections.runner import Progress, ProjectionRunner

log = logging.getLogger(__name__)

CATCH_UP_TIMEOUT = 60.0
"""The longest catch_up waits for the workers before the caller reads the views anyway."""


class PartialRebuild(ValueError):
    """In Kafka mode the partitions' tracking covers every projection: rebuild them all."""


class KafkaFedRunner(ProjectionRunner):
    """Reads how far Kafka projection workers have built the views; never applies in-process."""

    def __init__(
        self,
        log: EventLog,
        store: SqlViewStore,
        projections: Sequence[Projection[ViewBatch]],
        *,
        topic: str,
        projection_set: str = DEFAULT_PROJECTION_SET,
        batch_size: int = 1000,
        poll_interval: float = 0.2,
        catch_up_timeout: float = CATCH_UP_TIMEOUT,
    ) -> None:
        super().__init__(
            log, store, projections, batch_size=batch_size, poll_interval=poll_interval
        )
        self.sql_store = store
        self.topic = topic
        self.catch_up_timeout = catch_up_timeout
        self.partitions = PartitionTracking(store, projection_set)
        self.relay_ends = RelayOffsets(store)

    def watermark(self) -> int:
        """The log position up to which the workers' views hold every event."""
        return views_low_watermark(
            self.store.position(tracking_name(self.topic)),
            self.relay_ends.ends(self.topic),
            self.partitions.marks(self.topic),
        )

    def reached(self, position: int) -> bool:
        """True when the workers have applied every event up to a position."""
        return self.watermark() >= position

    def status(self) -> list[ProjectionPosition]:
        """Every projection at the workers' watermark (they apply all projections together)."""
        last = self.log.last_position()
        watermark = self.watermark()
        return [
            ProjectionPosition(name=name, position=watermark, log_position=last)
            for name in self.projections
        ]

    def catch_up(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Wait (bounded) for the workers to reach the log's end as it stands; applies nothing."""
        self._selected(names)
        target = self.log.last_position()
        give_up = time.monotonic() + self.catch_up_timeout
        while (watermark := self.watermark()) < target:
            if progress is not None:
                progress(watermark, target)
            if time.monotonic() >= give_up:
                log.warning(
                    "the projection workers are at %d, not %d, after %.0f s: reading anyway",
                    watermark,
                    target,
                    self.catch_up_timeout,
                )
                break
            time.sleep(self.poll_interval)
        return 0

    def start(self) -> None:
        """Nothing to follow here: the workers build the views."""
        log.info("views are built by Kafka projection workers; this process only reads them")

    def rebuild_all(
        self, names: Iterable[str] | None = None, progress: Progress | None = None
    ) -> int:
        """Rebuild every view from the log here, then hand the partitions on to the workers."""
        selected = self._selected(names)
        if len(selected) != len(self.projections):
            raise PartialRebuild(
                "in Kafka mode the workers track every projection together: rebuild all of them"
            )
        # Taken first: every record before these offsets (published by the relay, or already
        # applied by a worker, now stopped) carries a position the rebuild will read.
        starts = {p: mark.next_offset for p, mark in self.partitions.marks(self.topic).items()}
        for partition, end in self.relay_ends.ends(self.topic).items():
            starts[partition] = max(starts.get(partition, 0), end)
        for projection in selected:
            self.store.reset(projection.name, projection.tables)
        read = super().catch_up(list(self.projections), progress)
        rebuilt_to = min(self.store.position(name) for name in self.projections)
        # A record at or after a start is applied by the workers only if the rebuild did not
        # reach it: its position is above rebuilt_to.
        self.partitions.anchor(
            self.topic, {p: PartitionMark(start, rebuilt_to) for p, start in starts.items()}
        )
        return read
