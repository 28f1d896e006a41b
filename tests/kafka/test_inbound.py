"""Inbound consumers against a real broker: applied once, poison dead-lettered, offsets kept."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.utils import get_topic
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from adapters.bootstrap import Journeys
from adapters.kafka.consumer import (
    DeadLetterFailed,
    DeadLetters,
    InboundConsumer,
    build_consumer,
)
from adapters.kafka.inbound import (
    DeathNotificationV1,
    Handle,
    InboundHandler,
    Outcome,
    Sr1SubmissionV1,
)
from domain.customer import Customer
from domain.special_rules import SpecialRulesCase, special_rules_case_id_for
from domain.values import BenefitType
from services.errors import ConcurrentUpdate
from services.log import read_log
from services.settings import Settings
from tests.conftest import JOURNEYS
from tests.integration.helpers import new_nino, start_claim
from tests.kafka.conftest import Broker
from tests.kafka.helpers import QUICK_SESSION_TIMEOUT_MS, read_topic, relay_environment

pytestmark = pytest.mark.kafka

DIED = date(2026, 1, 2)  # the clock stands at 5 January 2026


@dataclass(frozen=True)
class Topics:
    """One test's inbound topics, dead-letter topic and consumer group."""

    deaths: str
    sr1s: str
    dead_letters: str
    group: str


@pytest.fixture
def topics(kafka_broker: Broker) -> Topics:
    suffix = uuid.uuid4().hex[:12]
    made = Topics(
        f"deaths.test-{suffix}", f"sr1s.test-{suffix}", f"dead.test-{suffix}", f"group-{suffix}"
    )
    admin = KafkaAdminClient(bootstrap_servers=kafka_broker.bootstrap_servers)
    try:
        admin.create_topics(
            [
                NewTopic(name, num_partitions=2, replication_factor=1)
                for name in (made.deaths, made.sr1s, made.dead_letters)
            ]
        )
    finally:
        admin.close()
    return made


@pytest.fixture
def producer(kafka_broker: Broker) -> Iterator[KafkaProducer]:
    sender = KafkaProducer(bootstrap_servers=kafka_broker.bootstrap_servers, acks="all")
    try:
        yield sender
    finally:
        sender.close()


def send(producer: KafkaProducer, topic: str, *values: bytes, key: bytes = b"k") -> None:
    for value in values:
        producer.send(topic, key=key, value=value).get(timeout=10)


def consumer_for(
    journeys: Journeys,
    broker: Broker,
    topics: Topics,
    wrap: Any = None,
) -> InboundConsumer:
    handler = InboundHandler(journeys.application)
    handlers: dict[str, Handle] = {
        topics.deaths: handler.death_notification,
        topics.sr1s: handler.sr1_submission,
    }
    if wrap is not None:
        handlers = {topic: wrap(handle) for topic, handle in handlers.items()}
    return build_consumer(
        broker.bootstrap_servers,
        topics.group,
        handlers,
        topics.dead_letters,
        session_timeout_ms=QUICK_SESSION_TIMEOUT_MS,
    )


def death(nino: str, message_id: str = "m-1", died: date = DIED, **extra: Any) -> bytes:
    body = {
        "version": 1,
        "message_id": message_id,
        "tuo_reference": f"TUO-{message_id}",
        "nino": nino,
        "date_of_death": died.isoformat(),
        **extra,
    }
    return json.dumps(body).encode()


def deaths_notified(journeys: Journeys) -> int:
    return len(list(read_log(journeys.application, topics=[get_topic(Customer.DeathNotified)])))


def log_position(journeys: Journeys) -> int:
    return journeys.projections.log.last_position()


def registered(journeys: Journeys) -> tuple[str, uuid.UUID]:
    nino = new_nino()
    customer = journeys.application.register_customer(
        nino=nino, name="Ada", date_of_birth=date(1985, 3, 14)
    )
    return nino, customer.id


def drain(consumer: InboundConsumer) -> tuple[int, int, int]:
    try:
        tally = consumer.drain()
    finally:
        consumer.close()
    return tally.applied, tally.duplicates, tally.dead_lettered


def test_a_death_notification_delivered_twice_is_applied_once(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    nino, customer_id = registered(journeys)
    send(producer, topics.deaths, death(nino), death(nino))

    assert drain(consumer_for(journeys, kafka_broker, topics)) == (1, 1, 0)

    customer = journeys.application.customer(customer_id)
    assert (customer.date_of_death, customer.death_reference) == (DIED, "TUO-m-1")
    assert deaths_notified(journeys) == 1
    assert read_topic(kafka_broker.bootstrap_servers, topics.dead_letters) == []


def test_a_consumer_killed_after_storing_but_before_committing_applies_nothing_twice(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    nino, customer_id = registered(journeys)
    send(producer, topics.deaths, death(nino))

    def crash_after_storing(handle: Handle) -> Handle:
        def handled(raw: bytes) -> Outcome:
            handle(raw)  # the command is stored...
            raise RuntimeError("killed before the offset was committed")

        return handled

    with pytest.raises(RuntimeError, match="killed"):
        drain(consumer_for(journeys, kafka_broker, topics, wrap=crash_after_storing))
    assert journeys.application.customer(customer_id).deceased
    stored = log_position(journeys)

    # The restarted consumer gets the message again and recognises it as done.
    assert drain(consumer_for(journeys, kafka_broker, topics)) == (0, 1, 0)
    assert log_position(journeys) == stored
    assert deaths_notified(journeys) == 1
    assert read_topic(kafka_broker.bootstrap_servers, topics.dead_letters) == []


def test_a_restarted_group_resumes_after_its_committed_offsets(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    first, _ = registered(journeys)
    second, second_id = registered(journeys)
    send(producer, topics.deaths, death(first, "m-1"))
    assert drain(consumer_for(journeys, kafka_broker, topics)) == (1, 0, 0)

    send(producer, topics.deaths, death(second, "m-2"))
    # Only the new message: nothing before the committed offsets is read again.
    assert drain(consumer_for(journeys, kafka_broker, topics)) == (1, 0, 0)
    assert journeys.application.customer(second_id).deceased


def test_poison_messages_are_dead_lettered_with_reason_and_original_bytes_and_nothing_appended(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    nino, customer_id = registered(journeys)
    poison: Sequence[tuple[bytes, str, str]] = (
        (b"\xff not json {", "ValidationError", "Invalid JSON"),
        (
            json.dumps({"version": 1, "message_id": "m-2", "nino": nino}).encode(),
            "ValidationError",
            "date_of_death: Field required",
        ),
        (death(new_nino(), "m-3"), "CustomerNotFound", "no customer is registered"),
        (death(nino, "m-4", died=date(2026, 2, 1)), "InvalidDateOfDeath", "after today"),
        (death(nino, "m-5", version=2), "ValidationError", "version"),
    )
    before = log_position(journeys)
    send(producer, topics.deaths, *(raw for raw, _, _ in poison), key=str(customer_id).encode())

    assert drain(consumer_for(journeys, kafka_broker, topics)) == (0, 0, len(poison))

    assert log_position(journeys) == before
    assert not journeys.application.customer(customer_id).deceased
    letters = read_topic(kafka_broker.bootstrap_servers, topics.dead_letters)
    assert len(letters) == len(poison)
    by_offset = {int(letter.headers["dlq.source.offset"]): letter for letter in letters}
    for offset, (raw, error, reason) in enumerate(poison):
        letter = by_offset[offset]
        assert letter.value == raw  # byte for byte
        assert letter.key == str(customer_id).encode()
        assert letter.headers["dlq.error"].decode() == error
        assert reason in letter.headers["dlq.reason"].decode()
        assert letter.headers["dlq.source.topic"].decode() == topics.deaths
        assert letter.headers["dlq.version"] == b"1"
        assert "dlq.failed_at" in letter.headers
    assert by_offset[2].headers["dlq.message_id"] == b"m-3"
    # Dead letters are committed: a restarted group sends none of them again.
    assert drain(consumer_for(journeys, kafka_broker, topics)) == (0, 0, 0)


def test_an_sr1_submission_is_recorded_once_and_fast_tracks_the_claim(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    _, customer_id = registered(journeys)
    claim_id = start_claim(journeys, customer_id, BenefitType.PIP)
    submission = {
        "version": 1,
        "message_id": "sr1-1",
        "claim_id": str(claim_id),
        "received_on": "2026-01-05",
        "clinician": {"name": "Dr Okafor", "role": "gp"},
        "diagnosed_on": "2025-11-20",
        "signed_on": "2026-01-04",
        "progressive_disease": True,
        "death_expected_within_months": 6,
    }
    raw = json.dumps(submission).encode()
    signed_by_nobody = json.dumps({**submission, "message_id": "sr1-2", "clinician": {}}).encode()
    send(producer, topics.sr1s, raw, raw, signed_by_nobody, key=str(claim_id).encode())

    assert drain(consumer_for(journeys, kafka_broker, topics)) == (1, 1, 1)

    case_id = special_rules_case_id_for(customer_id)
    recorded = [
        event
        for event in journeys.application.events.get(case_id)
        if isinstance(event, SpecialRulesCase.EvidenceRecorded)
    ]
    assert len(recorded) == 1
    assert recorded[0].evidence.signer_name == "Dr Okafor"
    assert journeys.application.claim(claim_id).fast_tracked
    letters = read_topic(kafka_broker.bootstrap_servers, topics.dead_letters)
    assert [letter.value for letter in letters] == [signed_by_nobody]
    assert b"clinician.name: Field required" in letters[0].headers["dlq.reason"]


def test_a_transient_failure_is_retried_not_dead_lettered_and_the_message_applied_once(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    nino, customer_id = registered(journeys)
    send(producer, topics.deaths, death(nino))
    failures: list[Exception] = []

    def busy_once(handle: Handle) -> Handle:
        def handled(raw: bytes) -> Outcome:
            if not failures:
                raise ConcurrentUpdate(customer_id, 3)  # nothing stored
            return handle(raw)

        return handled

    consumer = consumer_for(journeys, kafka_broker, topics, wrap=busy_once)
    stop = threading.Event()
    worker = threading.Thread(
        target=consumer.follow,
        args=(stop, lambda tally: stop.set() if tally.handled else None, failures.append),
        kwargs={"pause": 0.05},
    )
    worker.start()
    worker.join(timeout=30)
    stop.set()
    worker.join()
    consumer.close()

    assert [type(error) for error in failures] == [ConcurrentUpdate]
    assert (consumer.tally.applied, consumer.tally.dead_lettered) == (1, 0)
    assert deaths_notified(journeys) == 1
    assert read_topic(kafka_broker.bootstrap_servers, topics.dead_letters) == []


def readme_examples() -> list[dict[str, Any]]:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("### Inbound: death notifications and SR1 submissions", 1)[1]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.S)]


def test_the_readme_examples_are_valid_messages_of_each_schema() -> None:
    death_example, sr1_example = readme_examples()[:2]
    assert DeathNotificationV1.model_validate(death_example).nino == "QQ123456C"
    assert Sr1SubmissionV1.model_validate(sr1_example).clinician.name == "Dr A Example"


def consume_environment(settings: Settings, broker: Broker, topics: Topics) -> dict[str, str]:
    """The environment of a `journeys consume` process on the test's store, broker and topics."""
    # The relay's environment names the store and the broker; the events topic is unused.
    environment = relay_environment(settings, broker, "unused")
    environment.update(
        {
            "JOURNEYS_KAFKA_DEATH_NOTIFICATIONS_TOPIC": topics.deaths,
            "JOURNEYS_KAFKA_SR1_SUBMISSIONS_TOPIC": topics.sr1s,
            "JOURNEYS_KAFKA_DEAD_LETTERS_TOPIC": topics.dead_letters,
            "JOURNEYS_KAFKA_INBOUND_GROUP": topics.group,
        }
    )
    return environment


def test_the_consume_worker_logs_its_progress_and_stops_on_sigterm(
    settings: Settings,
    journeys: Journeys,
    kafka_broker: Broker,
    topics: Topics,
    producer: KafkaProducer,
    tmp_path: Path,
) -> None:
    nino, customer_id = registered(journeys)
    send(producer, topics.deaths, death(nino), b"not json")
    environment = consume_environment(settings, kafka_broker, topics)
    log_path = tmp_path / "consume.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(JOURNEYS), "consume", "--follow"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            give_up = time.monotonic() + 30
            while "dead-lettered 1" not in log_path.read_text():
                assert worker.poll() is None, log_path.read_text()
                assert time.monotonic() < give_up, log_path.read_text()
                time.sleep(0.05)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=15) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert f"as group {topics.group}" in output
    assert "applied 1, duplicates 0, dead-lettered 1; lag 0." in output
    assert "Stopped after" in output
    assert journeys.application.customer(customer_id).deceased
    letters = read_topic(kafka_broker.bootstrap_servers, topics.dead_letters)
    assert [letter.value for letter in letters] == [b"not json"]


def test_a_dead_letter_the_broker_does_not_acknowledge_leaves_its_offset_uncommitted(
    journeys: Journeys, kafka_broker: Broker, topics: Topics, producer: KafkaProducer
) -> None:
    class Unacknowledged(DeadLetters):
        def publish(self, record: Any, outcome: Outcome) -> None:
            raise DeadLetterFailed("dead letter not acknowledged: timed out")

    send(producer, topics.deaths, b"not json")
    handler = InboundHandler(journeys.application)
    consumer = InboundConsumer(
        kafka_broker.bootstrap_servers,
        topics.group,
        {topics.deaths: handler.death_notification},
        Unacknowledged(kafka_broker.bootstrap_servers, topics.dead_letters),
        session_timeout_ms=QUICK_SESSION_TIMEOUT_MS,
    )
    with pytest.raises(DeadLetterFailed):
        drain(consumer)
    assert consumer.tally.handled == 0

    # Read again by the restarted group, and dead-lettered once it is acknowledged.
    assert drain(consumer_for(journeys, kafka_broker, topics)) == (0, 0, 1)
    letters = read_topic(kafka_broker.bootstrap_servers, topics.dead_letters)
    assert [letter.value for letter in letters] == [b"not json"]
