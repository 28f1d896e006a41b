"""The relay against a real broker: each event once, in order per customer, no gap after a crash."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from adapters.bootstrap import Journeys, build
from adapters.kafka.envelope import ENVELOPE_VERSION, Publication, event_id_for
from adapters.kafka.producer import KafkaPublisher
from adapters.kafka.publisher import EventPublisher, PublishFailed
from adapters.kafka.relay import EventRelay, build_relay
from adapters.kafka.tracking import tracking_name
from services.settings import Settings
from tests.conftest import JOURNEYS
from tests.kafka.conftest import Broker
from tests.kafka.helpers import Received, expected_keys, populate, read_topic, relay_environment

pytestmark = pytest.mark.kafka


def relay_for(system: Journeys, broker: Broker, topic: str, batch_size: int) -> EventRelay:
    return build_relay(
        system,
        batch_size=batch_size,
        publisher=KafkaPublisher(broker.bootstrap_servers, topic),
    )


def positions_of(received: Sequence[Received]) -> list[int]:
    return [record.envelope.log_position for record in received]


def test_every_event_arrives_once_keyed_by_customer_in_log_order_with_its_envelope(
    journeys: Journeys, kafka_broker: Broker, events_topic: str
) -> None:
    last = populate(journeys, customers=60, seed=8)
    relay = relay_for(journeys, kafka_broker, events_topic, batch_size=97)
    try:
        batches: list[int] = []
        assert relay.catch_up(lambda batch: batches.append(batch.events)) == last
        assert sum(batches) == last
        assert len(batches) == -(-last // 97)
        assert relay.status().lag == 0
        assert relay.catch_up() == 0  # nothing is sent twice without a crash
    finally:
        relay.close()

    received = read_topic(kafka_broker.bootstrap_servers, events_topic)
    assert sorted(positions_of(received)) == list(range(1, last + 1))  # each exactly once
    logged = {e.position: e.event for e in journeys.projections.log.read(after=0, limit=last)}
    keys = expected_keys(journeys)
    by_key: dict[bytes, list[int]] = defaultdict(list)
    partition_of_key: dict[bytes, set[int]] = defaultdict(set)
    for record in received:
        envelope = record.envelope
        event = logged[envelope.log_position]
        assert record.key.decode() == keys[envelope.log_position]
        assert envelope.envelope_version == ENVELOPE_VERSION
        assert envelope.type == get_topic(type(event))
        assert envelope.aggregate_id == event.originator_id
        assert envelope.aggregate_version == event.originator_version
        assert envelope.event_id == event_id_for(event.originator_id, event.originator_version)
        assert envelope.recorded_at == event.timestamp
        assert envelope.effective_date == getattr(event, "effective_date", None)
        assert envelope.customer_id is None or str(envelope.customer_id) == record.key.decode()
        assert record.headers["event_id"] == str(envelope.event_id).encode()
        assert record.headers["event_type"] == envelope.type.encode()
        assert record.headers["envelope_version"] == b"1"
        assert record.headers["content_type"] == b"application/json"
        assert (
            record.headers["correlation_id"] == str(event_id_for(event.originator_id, 1)).encode()
        )
        assert UUID(record.headers["causation_id"].decode())
        by_key[record.key].append(envelope.log_position)
        partition_of_key[record.key].add(record.partition)
    # One customer, one partition, and their events in log order within it.
    assert all(len(partitions) == 1 for partitions in partition_of_key.values())
    assert all(positions == sorted(positions) for positions in by_key.values())
    customers = {r.envelope.customer_id for r in received} - {None}
    assert len(customers) >= 60
    assert len({r.partition for r in received}) > 1  # keys really spread over partitions


class CrashAfterAcknowledgement(EventPublisher):
    """Publishes for real, then dies on the given batch before the relay records it."""

    def __init__(self, inner: EventPublisher, crash_on_batch: int) -> None:
        self.inner = inner
        self.topic = inner.topic
        self.crash_on_batch = crash_on_batch
        self.batches = 0
        self.crashed_positions: list[int] = []

    def publish(self, records: Sequence[Publication]) -> Mapping[int, int]:
        ends = self.inner.publish(records)
        self.batches += 1
        if self.batches == self.crash_on_batch:
            self.crashed_positions = [r.log_position for r in records]
            raise SystemExit("the relay's process died between the ack and the commit")
        return ends

    def close(self) -> None:
        self.inner.close()


def test_a_relay_that_dies_after_the_ack_resends_only_that_batch_on_restart(
    journeys: Journeys, kafka_broker: Broker, events_topic: str
) -> None:
    last = populate(journeys, customers=30, seed=3)
    dying = CrashAfterAcknowledgement(
        KafkaPublisher(kafka_broker.bootstrap_servers, events_topic), crash_on_batch=3
    )
    relay = build_relay(journeys, batch_size=50, publisher=dying)
    with pytest.raises(SystemExit):
        relay.catch_up()
    relay.close()
    name = tracking_name(events_topic)
    assert journeys.views.position(name) == 100  # two batches recorded, the third not

    restarted = relay_for(journeys, kafka_broker, events_topic, batch_size=50)
    try:
        assert restarted.catch_up() == last - 100
    finally:
        restarted.close()

    counts = Counter(positions_of(read_topic(kafka_broker.bootstrap_servers, events_topic)))
    assert set(counts) == set(range(1, last + 1))  # no gap
    duplicated = sorted(p for p, n in counts.items() if n > 1)
    assert duplicated == dying.crashed_positions == list(range(101, 151))
    assert max(counts.values()) == 2


def test_a_relay_killed_mid_run_resumes_with_no_gap_and_repeats_at_most_its_last_batch(
    settings: Settings, journeys: Journeys, kafka_broker: Broker, events_topic: str, tmp_path: Path
) -> None:
    last = populate(journeys, customers=150, seed=5)
    batch_size = 10
    environment = relay_environment(settings, kafka_broker, events_topic)
    name = tracking_name(events_topic)
    log_path = tmp_path / "relay.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(JOURNEYS), "relay", "--follow", "--batch-size", str(batch_size)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            give_up = time.monotonic() + 60
            while journeys.views.position(name) < 3 * batch_size:
                assert worker.poll() is None, log_path.read_text()
                assert time.monotonic() < give_up, log_path.read_text()
                time.sleep(0.005)
            worker.send_signal(signal.SIGKILL)  # no chance to finish the batch in hand
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    killed_at = journeys.views.position(name)
    assert killed_at < last, "the relay finished before it could be killed: make the log longer"
    assert killed_at % batch_size == 0

    finished = subprocess.run(
        [str(JOURNEYS), "relay", "--batch-size", str(batch_size)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert f"Relayed {last - killed_at} events" in finished.stdout
    assert "lag 0" in finished.stdout

    counts = Counter(positions_of(read_topic(kafka_broker.bootstrap_servers, events_topic)))
    assert set(counts) == set(range(1, last + 1))  # no gap
    duplicated = sorted(p for p, n in counts.items() if n > 1)
    # Only the batch in flight when the relay died (sent, not yet recorded) comes again.
    assert all(killed_at < p <= killed_at + batch_size for p in duplicated), duplicated
    assert max(counts.values()) <= 2


def test_the_relay_worker_publishes_new_events_as_they_are_stored_and_stops_on_sigterm(
    settings: Settings, journeys: Journeys, kafka_broker: Broker, events_topic: str, tmp_path: Path
) -> None:
    first = populate(journeys, customers=5, seed=1)
    environment = relay_environment(settings, kafka_broker, events_topic)
    name = tracking_name(events_topic)
    log_path = tmp_path / "relay.log"

    def wait_for(position: int) -> None:
        give_up = time.monotonic() + 30
        while journeys.views.position(name) < position:
            assert worker.poll() is None, log_path.read_text()
            assert time.monotonic() < give_up, log_path.read_text()
            time.sleep(0.02)

    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(JOURNEYS), "relay", "--follow", "--interval", "0.05"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(first)
            with build(settings, clock=journeys.clock) as writer:
                later = populate(writer, customers=3, seed=2)
            assert later > first
            wait_for(later)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=15) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert f"position 0, log at {first}, lag {first}." in output
    assert "Following the log every 0.05 s" in output
    assert "lag 0." in output
    assert f"Stopped at position {later} (lag 0)." in output
    received = read_topic(kafka_broker.bootstrap_servers, events_topic)
    assert sorted(positions_of(received)) == list(range(1, later + 1))


def test_a_relay_rides_out_a_broker_outage_and_delivers_everything_once_it_is_back(
    journeys: Journeys, kafka_broker: Broker, events_topic: str
) -> None:
    if kafka_broker.process is None:
        pytest.skip("pausing the broker needs the broker this fixture started")
    before = populate(journeys, customers=5, seed=6)
    publisher = KafkaPublisher(kafka_broker.bootstrap_servers, events_topic, ack_timeout=0.5)
    relay = build_relay(journeys, batch_size=25, publisher=publisher)
    assert relay.catch_up() == before
    after = populate(journeys, customers=10, seed=7)
    failures: list[Exception] = []
    stop = threading.Event()
    worker = threading.Thread(target=relay.follow, args=(stop, 0.05, None, failures.append))
    kafka_broker.process.send_signal(signal.SIGSTOP)  # the broker stops answering
    try:
        worker.start()
        give_up = time.monotonic() + 20
        while not failures:
            assert time.monotonic() < give_up, "publishing to a paused broker never failed"
            time.sleep(0.05)
        assert journeys.views.position(relay.name) == before  # nothing recorded unacknowledged
    finally:
        kafka_broker.process.send_signal(signal.SIGCONT)
    try:
        give_up = time.monotonic() + 60
        while journeys.views.position(relay.name) < after:
            assert time.monotonic() < give_up, failures[-3:]
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=30)
        relay.close()
    assert all(isinstance(failure, PublishFailed) for failure in failures)
    counts = Counter(positions_of(read_topic(kafka_broker.bootstrap_servers, events_topic)))
    assert set(counts) == set(range(1, after + 1))  # no gap
    assert all(n == 1 for p, n in counts.items() if p <= before)  # acknowledged: never again
