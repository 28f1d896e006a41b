"""The inbound consumer: other systems' messages in, commands stored, offsets committed after.

One consumer group (``journeys-inbound``) reads the inbound topics. For each record, in
partition order, the topic's handler (adapters/kafka/inbound.py) applies it, recognises it
as already applied, or refuses it. A refused record is published to the dead-letter topic
and acknowledged (acks=all) before anything moves on. Only then is the record's offset
committed: an offset is never committed past a record whose command is not stored or whose
dead letter is not acknowledged. A crash in between delivers the record again, and the
handler recognises what it already did (exactly once in effect).

A transient failure (the database away, a conflict that outlasted the retries, the broker
not acknowledging a dead letter) is not the message's fault: nothing is dead-lettered, the
offsets of the records done before it are committed, and the partition is rewound to the
record, which is tried again (``follow``) or left for the next run (``drain`` raises).

Dead letters (topic ``journeys.inbound.dead-letters``): the original key and value, byte for
byte, the original headers, and these headers (UTF-8 text):

  ``dlq.version`` 1, ``dlq.reason`` (what was wrong), ``dlq.error`` (its kind, e.g.
  ``ValidationError``, ``CustomerNotFound``, ``InvalidDateOfDeath``), ``dlq.message_id``
  (when the message parsed), ``dlq.source.topic``, ``dlq.source.partition``,
  ``dlq.source.offset`` and ``dlq.failed_at`` (UTC, ISO 8601).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from adapters.kafka.group_member import GroupMember
from adapters.kafka.inbound import Handle, Outcome, Verdict
from adapters.kafka.producer import ReplaceableProducer

log = logging.getLogger(__name__)

DEAD_LETTER_VERSION = "1"

DEFAULT_SESSION_TIMEOUT_MS = 6000
MAX_POLL_RECORDS = 100


def group_timing(session_timeout_ms: int) -> dict[str, int]:
    """A consumer group's timing: a stuck member is noticed quickly, and a group forms fast.

    A group forms in about half the session timeout (the broker waits that long for more
    members: 3 s at 6 s). A poll's batch is bounded so that it is applied well within the
    poll interval; heartbeats go several times a session.
    """
    return {
        "session_timeout_ms": session_timeout_ms,
        "heartbeat_interval_ms": min(500, session_timeout_ms // 4),
        "max_poll_interval_ms": 5000,
    }


class DeadLetterFailed(RuntimeError):
    """The broker did not acknowledge a dead letter: the record's offset stays uncommitted."""


@dataclass
class Tally:
    """What a consumer has done so far, and the lag it saw last."""

    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    lag: int = 0

    @property
    def handled(self) -> int:
        """Records committed: applied, duplicates and dead letters."""
        return self.applied + self.duplicates + self.dead_lettered

    def count(self, outcome: Outcome) -> None:
        """Add one record's outcome."""
        if outcome.verdict is Verdict.APPLIED:
            self.applied += 1
        elif outcome.verdict is Verdict.DUPLICATE:
            self.duplicates += 1
        else:
            self.dead_lettered += 1


def _servers(bootstrap_servers: str) -> list[str]:
    return [server.strip() for server in bootstrap_servers.split(",") if server.strip()]


class DeadLetters:
    """Publishes refused records to the dead-letter topic, each acknowledged (acks=all)."""

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        *,
        ack_timeout: float = 4.0,
        bootstrap_timeout_ms: int = 30_000,
    ) -> None:
        self.topic = topic
        # Below the group's poll interval (group_timing): a dead letter that cannot be sent
        # fails back to the poll loop, which tries again, rather than costing the membership.
        self.ack_timeout = ack_timeout
        wait_ms = int(ack_timeout * 1000)
        self._producer = ReplaceableProducer(
            {
                "bootstrap_servers": _servers(bootstrap_servers),
                "client_id": "journeys-dead-letters",
                "acks": "all",
                "enable_idempotence": True,
                "max_block_ms": wait_ms,
                "request_timeout_ms": 15_000,
                "delivery_timeout_ms": 30_000,
                "bootstrap_timeout_ms": bootstrap_timeout_ms,
            },
            # Dead letters are rare and each is awaited alone: any failure gets a new producer
            # (a restarted broker does not know the old one's id, and it would retry for ever).
            timeouts_tolerated=0,
        )
        self._producer.get()  # fail at start, not at the first dead letter, on bad settings

    def publish(self, record: Any, outcome: Outcome) -> None:
        """Send the record's bytes with the reason, and wait for the acknowledgement."""
        headers = list(record.headers or ())
        headers += [
            ("dlq.version", DEAD_LETTER_VERSION.encode()),
            ("dlq.reason", (outcome.reason or "").encode()),
            ("dlq.error", (outcome.error or "").encode()),
            ("dlq.source.topic", record.topic.encode()),
            ("dlq.source.partition", str(record.partition).encode()),
            ("dlq.source.offset", str(record.offset).encode()),
            ("dlq.failed_at", datetime.now(tz=UTC).isoformat().encode()),
        ]
        if outcome.message_id is not None:
            headers.append(("dlq.message_id", outcome.message_id.encode()))
        try:
            future = self._producer.get().send(
                self.topic, key=record.key, value=record.value, headers=headers
            )
            future.get(timeout=self.ack_timeout)
        except KafkaError as error:
            self._producer.failed(error)
            raise DeadLetterFailed(f"dead letter not acknowledged: {error!r}") from error

    def close(self) -> None:
        """Flush and close the producer."""
        self._producer.close(timeout=10)


class InboundConsumer(GroupMember[Tally]):
    """Applies the inbound topics' records in order; commits each offset once it is done."""

    name = "inbound"

    def __init__(
        self,
        bootstrap_servers: str,
        group_id: str,
        handlers: Mapping[str, Handle],
        dead_letters: DeadLetters,
        *,
        session_timeout_ms: int = DEFAULT_SESSION_TIMEOUT_MS,
        **consumer_settings: Any,
    ) -> None:
        self.handlers = dict(handlers)
        self.dead_letters = dead_letters
        self.tally = Tally()
        settings: dict[str, Any] = {
            "bootstrap_servers": _servers(bootstrap_servers),
            "group_id": group_id,
            "client_id": "journeys-consume",
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_records": MAX_POLL_RECORDS,
            # The inbound topics belong to the sending systems: asking for one must not make it
            # (with the broker's default partition count) on a broker that has lost or lacks it.
            "allow_auto_create_topics": False,
            **group_timing(session_timeout_ms),
        }
        settings.update(consumer_settings)
        self._consumer = KafkaConsumer(**settings)
        self._consumer.subscribe(sorted(self.handlers))

    def poll(self, timeout_ms: int = 500) -> int:
        """Apply one poll's records and commit them; returns how many were handled.

        Raises what a handler, the dead-letter topic or a commit raised (transient), after
        rewinding every partition of the batch to its first record not handled, so that
        nothing is skipped, and committing what was handled where the broker lets it.
        """
        batch = self._consumer.poll(timeout_ms=timeout_ms)
        # Per partition, the next offset to read: everything before it is stored or
        # dead-lettered (acknowledged).
        handled_to = {partition: records[0].offset for partition, records in batch.items()}
        handled = 0
        try:
            for partition, records in batch.items():
                for record in records:
                    self._handle(record)
                    handled_to[partition] = record.offset + 1
                    handled += 1
                self._commit(partition, handled_to[partition])
        except Exception:
            for partition, offset in handled_to.items():
                self._consumer.seek(partition, offset)
            for partition, records in batch.items():
                if handled_to[partition] > records[0].offset:
                    with contextlib.suppress(Exception):  # committed later, or done again
                        self._commit(partition, handled_to[partition])
            raise
        return handled

    def _handle(self, record: Any) -> None:
        # A tombstone (no value) is no message: it is dead-lettered as invalid JSON.
        outcome = self.handlers[record.topic](record.value or b"")
        if outcome.verdict is Verdict.DEAD_LETTER:
            self.dead_letters.publish(record, outcome)
        # The kind of error only: a reason may quote a NINO, and logs must not.
        log.info(
            "%s[%d]@%d message %s: %s%s",
            record.topic,
            record.partition,
            record.offset,
            outcome.message_id,
            outcome.verdict.value,
            f" ({outcome.error})" if outcome.error else "",
        )
        self.tally.count(outcome)

    def _commit(self, partition: TopicPartition, next_offset: int) -> None:
        self._consumer.commit({partition: OffsetAndMetadata(next_offset, "", -1)})

    def close(self) -> None:
        """Leave the group (committing nothing more) and close the dead-letter producer."""
        try:
            self._consumer.close(autocommit=False)
        finally:
            self.dead_letters.close()


def build_consumer(
    bootstrap_servers: str,
    group_id: str,
    handlers: Mapping[str, Handle],
    dead_letter_topic: str,
    *,
    session_timeout_ms: int = DEFAULT_SESSION_TIMEOUT_MS,
    bootstrap_timeout_ms: int = 30_000,
    **consumer_settings: Any,
) -> InboundConsumer:
    """A consumer of the handlers' topics with its dead-letter producer."""
    dead_letters = DeadLetters(
        bootstrap_servers, dead_letter_topic, bootstrap_timeout_ms=bootstrap_timeout_ms
    )
    try:
        return InboundConsumer(
            bootstrap_servers,
            group_id,
            handlers,
            dead_letters,
            session_timeout_ms=session_timeout_ms,
            bootstrap_timeout_ms=bootstrap_timeout_ms,
            **consumer_settings,
        )
    except BaseException:
        dead_letters.close()
        raise
