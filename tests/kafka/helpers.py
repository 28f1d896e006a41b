"""Shared by the Kafka tests: a populated log, and everything a topic holds, read back."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from kafka import KafkaConsumer, TopicPartition

from adapters.bootstrap import Journeys
from adapters.demo.population import Population
from adapters.kafka.envelope import EventEnvelope
from domain.values import Appointee, SupportDuration, SupportMarker, SupportNeed
from services.clock import SimulatedClock

# A customer whose personal data turns up in free text, letters and an appointment too.
PLAIN_NAME = "Zebedee Quinton-Marsh"
PLAIN_NINO = "JZ904417B"
PLAIN_APPOINTEE = "Marjorie Quinton-Marsh"
PLAIN_BIRTH = date(1971, 2, 13)


@dataclass(frozen=True)
class Received:
    """One record as a consumer reads it."""

    partition: int
    offset: int
    key: bytes
    value: bytes
    headers: dict[str, bytes]

    @property
    def envelope(self) -> EventEnvelope:
        """The value parsed as the documented envelope."""
        return EventEnvelope.model_validate_json(self.value)

    @property
    def raw(self) -> bytes:
        """Every byte the record carries: key, value, header names and values."""
        header_bytes = b"".join(name.encode() + value for name, value in self.headers.items())
        return self.key + self.value + header_bytes


def populate(system: Journeys, customers: int, seed: int, *, scheduled: bool = True) -> int:
    """Play a demo population (deadlines, Special Rules, safeguarding); the log's last position.

    scheduled=False plays it without the deadline scheduler, whose runs catch the deadlines
    view up in this process (on PostgreSQL, the view a test's Kafka workers build).
    """
    clock = system.clock
    assert isinstance(clock, SimulatedClock)
    start = clock.today()
    Population(
        system.application,
        clock,
        random.Random(seed),
        start,
        until=start + timedelta(days=420),
        scheduler=system.deadlines if scheduled else None,
        safeguarding=True,
    ).run(customers, lambda: None)
    return system.projections.log.last_position()


def add_plainly_personal_customer(system: Journeys) -> None:
    """A customer whose name, NINO and address are quoted in every free-text field we have."""
    application = system.application
    today = system.clock.today()
    customer_id = application.register_customer(
        nino=PLAIN_NINO, name=PLAIN_NAME, date_of_birth=PLAIN_BIRTH
    ).id
    application.report_change(
        customer_id, f"{PLAIN_NAME} ({PLAIN_NINO}) moved to 12 Acacia Avenue, Leeds", today
    )
    application.appoint(customer_id, Appointee(name=PLAIN_APPOINTEE, relationship="wife"), today)
    application.add_support_marker(
        customer_id,
        SupportMarker(
            need=SupportNeed.HEALTH,
            duration=SupportDuration.LONG_TERM,
            details=f"{PLAIN_NAME} is deaf; call {PLAIN_APPOINTEE}",
        ),
        today,
    )
    application.send_message(
        customer_id,
        subject=f"For {PLAIN_NAME}",
        body=f"Dear {PLAIN_NAME}, about your National Insurance number {PLAIN_NINO}.",
    )
    application.end_appointee(customer_id, f"{PLAIN_APPOINTEE} asked to stop", today)
    application.notify_death(customer_id, today, f"TUO {PLAIN_NAME}")


def read_topic(bootstrap_servers: str, topic: str, timeout: float = 30.0) -> list[Received]:
    """Every record the topic holds now, by partition and offset."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None
    )
    try:
        partitions = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        received: list[Received] = []
        give_up = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            assert time.monotonic() < give_up, f"could not read {topic} to its end in {timeout} s"
            for tp, records in consumer.poll(timeout_ms=500).items():
                received.extend(
                    Received(tp.partition, r.offset, r.key, r.value, dict(r.headers))
                    for r in records
                )
        return sorted(received, key=lambda r: (r.partition, r.offset))
    finally:
        consumer.close()
