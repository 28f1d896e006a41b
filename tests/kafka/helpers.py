"""Shared by the Kafka tests: a populated log, a topic read back, and waiting for workers."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from kafka import KafkaConsumer, TopicPartition

from adapters.bootstrap import Journeys
from adapters.demo.population import Population
from adapters.kafka.envelope import EventEnvelope
from adapters.kafka.tracking import PartitionTracking
from domain.aggregate import JourneyAggregate
from domain.customer import Customer
from domain.values import Appointee, SupportDuration, SupportMarker, SupportNeed
from services.clock import SimulatedClock
from services.settings import Settings
from tests.conftest import process_environment
from tests.kafka.conftest import Broker
from tests.projections.helpers import ViewDump, dump_views, fresh_view_store, rebuild_everything

DONE_TIMEOUT = 40.0
QUICK_SESSION_TIMEOUT_MS = 2000
"""The session timeout of the tests' own consumers: a group forms in about a second, not three."""

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


def expected_keys(system: Journeys) -> dict[int, str]:
    """Each log position's key, worked out from the log alone: its customer, else its aggregate."""
    owners: dict[UUID, UUID] = {}
    keys: dict[int, str] = {}
    for logged in system.projections.log.read(after=0, limit=1_000_000):
        event = logged.event
        if isinstance(event, Customer.Event):
            owner: UUID | None = event.originator_id
        elif isinstance(event, JourneyAggregate.Created):
            customer_id = getattr(event, "customer_id", None)
            owner = customer_id if isinstance(customer_id, UUID) else None
            if owner is not None:
                owners[event.originator_id] = owner
        else:
            owner = owners.get(event.originator_id)
        keys[logged.position] = str(owner or event.originator_id)
    return keys


def relay_environment(settings: Settings, broker: Broker, topic: str) -> dict[str, str]:
    """The environment that points `journeys relay` at the test's store, broker and topic."""
    return process_environment(
        settings,
        JOURNEYS_KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap_servers,
        JOURNEYS_KAFKA_EVENTS_TOPIC=topic,
    )


def rebuilt(journeys: Journeys) -> ViewDump:
    """The views a single process builds from the whole log, into a fresh store."""
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        return dump_views(fresh)


def end_offsets(broker: Broker, topic: str) -> dict[int, int]:
    """Each partition's next offset, from the records themselves (Tansu's ListOffsets is not)."""
    ends: dict[int, int] = {}
    for record in read_topic(broker.bootstrap_servers, topic):
        ends[record.partition] = max(ends.get(record.partition, 0), record.offset + 1)
    return ends


def wait_until(
    condition: Callable[[], bool],
    what: str | Callable[[], str],
    timeout: float = DONE_TIMEOUT,
    interval: float = 0.05,
) -> None:
    """Poll `condition` until it holds; fail naming `what` (or what it returns) after `timeout`."""
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= give_up:
            described = what() if callable(what) else what
            raise AssertionError(f"not within {timeout:g} s: {described}")
        time.sleep(interval)


def all_applied(
    tracking: PartitionTracking, topic: str, ends: dict[int, int]
) -> Callable[[], bool]:
    """A condition: every partition's tracking row has reached the topic's end there."""

    def done() -> bool:
        marks = {p: tracking.mark(topic, p) for p in ends}
        return all(m is not None and m.next_offset == ends[p] for p, m in marks.items())

    return done
