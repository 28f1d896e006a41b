"""The outbound relay: follows the log and publishes every event to the events topic.

Delivery is at least once and in log order per customer. A batch of events is published,
the broker acknowledges every record (acks=all), and only then is the relay's position
moved on past the batch. A crash between the two sends the unacknowledged (or acknowledged
but not yet recorded) batch again on restart: a consumer may see an event twice, with the
same event id, but never misses one.

The position is a tracking row in the views database (named ``kafka_relay:<topic>``),
written with the view store's own compare-and-set, so two relays of one topic never move it
past each other. The owner of each claim or journey is found as the projections find it,
through the shared claim-owner table that is never emptied.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from adapters.bootstrap import Journeys
from adapters.kafka.envelope import Publication, publication_for
from adapters.kafka.publisher import EventPublisher, PublishFailed
from adapters.kafka.tracking import RelayOffsets, tracking_name
from adapters.views.sql import SqlViewStore
from projections.projection import EventLog, LoggedEvent, owner_of, prefetch_owners
from projections.store import TrackingConflict, ViewStore

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class RelayedBatch:
    """One acknowledged and recorded batch: how many events, up to where, and the lag after."""

    events: int
    first_position: int
    position: int
    log_position: int

    @property
    def lag(self) -> int:
        """Events in the log not yet relayed."""
        return max(self.log_position - self.position, 0)


@dataclass(frozen=True)
class RelayStatus:
    """Where the relay stands against the log."""

    topic: str
    position: int
    log_position: int

    @property
    def lag(self) -> int:
        """Events in the log not yet relayed."""
        return max(self.log_position - self.position, 0)


class EventRelay:
    """Publishes the log, batch by batch, recording its position after each acknowledgement."""

    def __init__(
        self,
        log: EventLog,
        store: ViewStore,
        publisher: EventPublisher,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        ends: RelayOffsets | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.log = log
        self.store = store
        self.publisher = publisher
        self.batch_size = batch_size
        self.name = tracking_name(publisher.topic)
        self.ends = ends
        """Where each partition's published records end (for Kafka-fed views' freshness)."""

    def status(self) -> RelayStatus:
        """The relay's position and the log's."""
        return RelayStatus(
            topic=self.publisher.topic,
            position=self.store.position(self.name),
            log_position=self.log.last_position(),
        )

    def relay_batch(self) -> RelayedBatch | None:
        """Publish the next batch after the recorded position (None: nothing to relay)."""
        position = self.store.position(self.name)
        page = self.log.read(after=position, limit=self.batch_size)
        if not page:
            return None
        try:
            records = self._records(position, page)
            ends = self.publisher.publish(records)
            # The partitions' ends before the position: they must never be behind it.
            if self.ends is not None:
                self.ends.advance(self.publisher.topic, ends)
            # Only now, with every record acknowledged, does the position move past them.
            with self.store.batch(self.name, position) as batch:
                batch.advance_to(page[-1].position)
        except TrackingConflict:
            # Another relay of this topic moved on meanwhile: carry on from where it got to
            # (what we sent is a duplicate of what it sent).
            log.warning("%s: another relay moved the position; continuing from it", self.name)
            return None
        return RelayedBatch(
            events=len(page),
            first_position=page[0].position,
            position=page[-1].position,
            log_position=max(self.log.last_position(), page[-1].position),
        )

    def _records(self, position: int, page: Sequence[LoggedEvent]) -> list[Publication]:
        """The page's records, each keyed by its customer (owners found as projections do)."""
        # One short transaction that records the owners of claims and journeys started in
        # this page (the shared table) and leaves the position where it is.
        with self.store.batch(self.name, position) as batch:
            prefetch_owners(page, batch)
            owners = [owner_of(logged, batch) for logged in page]
            batch.advance_to(position)
        return [
            publication_for(logged.position, logged.event, owner)
            for logged, owner in zip(page, owners, strict=True)
        ]

    def catch_up(self, on_batch: Callable[[RelayedBatch], None] | None = None) -> int:
        """Relay until the log's end as it stands now; returns how many events were relayed."""
        target = self.log.last_position()
        relayed = 0
        while (position := self.store.position(self.name)) < target:
            batch = self.relay_batch()
            if batch is None:
                if self.store.position(self.name) == position:
                    break  # nothing readable after the position after all
                continue  # another relay moved on: read from its position
            relayed += batch.events
            if on_batch is not None:
                on_batch(batch)
        return relayed

    def follow(
        self,
        stop: threading.Event,
        interval: float,
        on_batch: Callable[[RelayedBatch], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Relay new events as they are stored until `stop` is set (finishing the batch in hand).

        A batch the broker did not acknowledge is sent again after a pause, from the
        recorded position, until it is; nothing after it is sent before it.
        """
        pause = interval
        while not stop.is_set():
            try:
                batch = self.relay_batch()
            except PublishFailed as error:
                if on_error is not None:
                    on_error(error)
                else:
                    log.error("%s: %s; trying again", self.name, error)
                stop.wait(pause)
                pause = min(pause * 2, max(interval, 30.0))  # back off while the broker is away
                continue
            pause = interval
            if batch is not None:
                if on_batch is not None:
                    on_batch(batch)
                if batch.events == self.batch_size:
                    continue  # more is waiting: no pause
            stop.wait(interval)

    def close(self) -> None:
        """Close the publisher."""
        self.publisher.close()


def build_relay(
    system: Journeys,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    publisher: EventPublisher | None = None,
) -> EventRelay:
    """The relay over a built system's log and views, publishing to its settings' topic."""
    settings = system.settings
    if publisher is None:
        # Imported here: the rest of the CLI starts without loading the Kafka client.
        from adapters.kafka.producer import KafkaPublisher

        publisher = KafkaPublisher(
            settings.kafka_bootstrap_servers,
            settings.kafka_events_topic,
            bootstrap_timeout_ms=settings.kafka_bootstrap_timeout_ms,
        )
    ends = RelayOffsets(system.views) if isinstance(system.views, SqlViewStore) else None
    return EventRelay(
        system.projections.log, system.views, publisher, batch_size=batch_size, ends=ends
    )
