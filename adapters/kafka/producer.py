"""The Kafka publisher: kafka-python's producer, acks=all, every acknowledgement checked."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError, KafkaTimeoutError

from adapters.kafka.envelope import Publication
from adapters.kafka.publisher import EventPublisher, PublishFailed

CLOSE_TIMEOUT = 10.0
"""The longest a stop waits for buffered records (what is unsent goes again after a restart)."""

TIMEOUTS_BEFORE_NEW_PRODUCER = 3
"""Unacknowledged batches in a row after which the relay gives up on its producer."""


class ReplaceableProducer:
    """A KafkaProducer, made on first use and replaced after a failure it would not outlive.

    A producer whose broker restarted (or forgot its producer id) retries its old id for ever
    (tests/reliability/test_broker_faults.py, test_consumer_broker_restart.py): the next send
    starts on a new one. A timeout alone may be a slow or paused broker, which the same
    producer outlives, so only `timeouts_tolerated` of them in a row count as such a failure.
    """

    def __init__(self, settings: Mapping[str, Any], *, timeouts_tolerated: int) -> None:
        self._settings = dict(settings)
        self._timeouts_tolerated = timeouts_tolerated
        self._producer: KafkaProducer | None = None
        self._timeouts_in_a_row = 0

    def get(self) -> KafkaProducer:
        """The current producer (a new one after a failure)."""
        if self._producer is None:
            self._producer = KafkaProducer(**self._settings)
        return self._producer

    def succeeded(self) -> None:
        """A send was acknowledged: earlier timeouts no longer count."""
        self._timeouts_in_a_row = 0

    def failed(self, error: KafkaError) -> None:
        """A send failed with `error`: discard the producer unless a short run of timeouts."""
        if isinstance(error, KafkaTimeoutError):
            self._timeouts_in_a_row += 1
            if self._timeouts_in_a_row <= self._timeouts_tolerated:
                return
        self._timeouts_in_a_row = 0
        discarded, self._producer = self._producer, None
        if discarded is not None:
            # Closing waits on the producer's I/O thread, which a dead broker can hold up.
            threading.Thread(target=discarded.close, kwargs={"timeout": 0}, daemon=True).start()

    def close(self, timeout: float) -> None:
        """Flush and close the current producer, waiting at most `timeout` seconds."""
        if self._producer is not None:
            self._producer.close(timeout=timeout)


class KafkaPublisher(EventPublisher):
    """kafka-python's producer with acks=all and idempotence: no loss, no reordering by retries.

    Idempotence keeps a partition's records in order across retries, so one customer's
    events (one key, one partition) are stored in the order they were sent.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        *,
        client_id: str = "journeys-relay",
        ack_timeout: float = 60.0,
        **producer_settings: Any,
    ) -> None:
        self.topic = topic
        self.ack_timeout = ack_timeout
        settings: dict[str, Any] = {
            "bootstrap_servers": [s.strip() for s in bootstrap_servers.split(",") if s.strip()],
            "client_id": client_id,
            "acks": "all",
            "enable_idempotence": True,
            "linger_ms": 5,
            # A relay batch is hundreds of ~1 kB envelopes: fewer, larger produce requests.
            "batch_size": 256 * 1024,
            # A send waits this long for the topic's metadata before it raises, rather than
            # the default minute: the relay retries the whole batch anyway.
            "max_block_ms": 15_000,
            "request_timeout_ms": 15_000,
            # The producer's own retries stop at this bound (it must exceed linger + request
            # timeout); publish gives up waiting at ack_timeout and the relay sends again.
            "delivery_timeout_ms": max(int(ack_timeout * 1000), 30_000),
        }
        settings.update(producer_settings)
        self._producer = ReplaceableProducer(
            settings, timeouts_tolerated=TIMEOUTS_BEFORE_NEW_PRODUCER - 1
        )
        self._producer.get()  # fail at start, not at the first batch, if the settings are bad

    def publish(self, records: Sequence[Publication]) -> Mapping[int, int]:
        """Send every record, flush, check each acknowledgement; returns partitions' new ends."""
        try:
            producer = self._producer.get()
            futures = [
                producer.send(
                    self.topic, key=record.key, value=record.value, headers=record.headers
                )
                for record in records
            ]
            producer.flush(timeout=self.ack_timeout)
            ends: dict[int, int] = {}
            for future in futures:
                stored = future.get(timeout=0)  # raises the error a record failed with
                ends[stored.partition] = max(ends.get(stored.partition, 0), stored.offset + 1)
        except KafkaError as error:
            # The relay sends the whole batch again; the envelope's event id lets readers
            # skip a record a discarded producer had stored.
            self._producer.failed(error)
            raise PublishFailed(f"the broker did not acknowledge the batch: {error!r}") from error
        self._producer.succeeded()
        return ends

    def close(self) -> None:
        """Flush and close the producer (bounded, so a dead broker cannot hold up a stop)."""
        self._producer.close(timeout=min(self.ack_timeout, CLOSE_TIMEOUT))
