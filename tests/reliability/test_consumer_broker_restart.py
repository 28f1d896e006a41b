"""The broker dies under a following inbound consumer and a new one comes up on its port."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic
from kafka import KafkaProducer

from adapters.bootstrap import Journeys
from domain.customer import Customer
from services.log import read_log
from services.settings import Settings
from tests.conftest import JOURNEYS
from tests.kafka.conftest import (
    LOOPBACK,
    Broker,
    create_restartable_topic,
    free_port,
    stop_process,
    tansu_on,
)
from tests.kafka.helpers import read_topic, wait_until
from tests.kafka.test_inbound import (
    DIED,
    Topics,
    consume_environment,
    death,
    deaths_notified,
    registered,
)

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

BEFORE = 120  # customers whose death notifications go to the first broker
AFTER = 20  # customers whose notifications are new after the restart
STEADY = 30  # notifications applied and committed before the burst the broker dies in
KILL_AFTER = 20  # notifications of the burst applied when the broker is killed: mid-stream
OUTAGE = 1.5  # seconds the consumer spends with no broker at all
GIVE_UP = 30.0  # a generous bound on each wait: passing it fails the test, nothing is timed
# Several of a dead letter's acknowledgement timeouts (DeadLetters: 4 s), each with a retry.
JUNK_GIVE_UP = 40.0
TALLY = re.compile(r"applied (\d+), duplicates (\d+), dead-lettered (\d+); lag (\d+)\.")

# The subprocess consumer runs against the production store; SQLite adds nothing here.
ON_POSTGRES = pytest.mark.parametrize(
    "settings", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@dataclass(frozen=True)
class Message:
    """One inbound record as the department system sends it (customer None: junk)."""

    key: bytes
    value: bytes
    message_id: str
    customer_id: UUID | None = None


class PrivateBroker:
    """A Tansu of the test's own on a fixed port, to kill and start again (memory storage)."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process = tansu_on(self.port, log_path)
        suffix = uuid.uuid4().hex[:12]
        self.topics = Topics(
            f"deaths.restart-{suffix}",
            f"sr1s.restart-{suffix}",
            f"dead.restart-{suffix}",
            f"group-{suffix}",
        )
        self.create_topics()

    @property
    def bootstrap_servers(self) -> str:
        """Where clients reach it, the same before and after a restart."""
        return f"{LOOPBACK}:{self.port}"

    def create_topics(self) -> None:
        """The inbound and dead-letter topics (again, after a restart: memory storage)."""
        for name in (self.topics.deaths, self.topics.sr1s, self.topics.dead_letters):
            # The consumer's metadata requests may make them on the new broker first.
            create_restartable_topic(self.bootstrap_servers, name)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no goodbye to its clients."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def restart(self) -> None:
        """A new, empty broker on the same port, given the topics again."""
        self.process = tansu_on(self.port, self.log_path)
        self.create_topics()

    def send(self, messages: Sequence[Message]) -> None:
        """Send each message to the death-notification topic, acknowledged one by one."""
        producer = KafkaProducer(bootstrap_servers=self.bootstrap_servers, acks="all")
        try:
            for message in messages:
                producer.send(self.topics.deaths, key=message.key, value=message.value).get(
                    timeout=10
                )
        finally:
            producer.close(timeout=5)

    def deaths_by_place(self) -> dict[str, bytes]:
        """Each record on the death-notification topic, by partition@offset (for diagnosis)."""
        return {
            f"{record.partition}@{record.offset}": record.value[:40]
            for record in read_topic(self.bootstrap_servers, self.topics.deaths)
        }

    def dead_letters(self) -> list[bytes]:
        """The values on the dead-letter topic now."""
        return [
            letter.value for letter in read_topic(self.bootstrap_servers, self.topics.dead_letters)
        ]


@pytest.fixture
def private_broker(tmp_path: Path) -> Iterator[PrivateBroker]:
    """A broker for this test alone, stopped afterwards."""
    # Not the session's broker: killing that one would break every other Kafka test.
    broker = PrivateBroker(tmp_path / "tansu.log")
    try:
        yield broker
    finally:
        stop_process(broker.process)


@dataclass(frozen=True)
class Worker:
    """`journeys consume --follow` running as a subprocess, and its output."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def output(self) -> str:
        """Everything it printed so far."""
        return self.log_path.read_text()

    def wait_for(
        self,
        condition: Callable[[], bool],
        what: str | Callable[[], str],
        give_up: float = GIVE_UP,
        interval: float = 0.02,
    ) -> None:
        """Poll until the condition holds; fail if the worker exits or the time runs out.

        `what` names the condition, or returns a description of the state it waits on.
        """

        def alive_and_holds() -> bool:
            assert self.process.poll() is None, f"the consumer exited:\n{self.output()}"
            return condition()

        def described() -> str:
            return f"{what() if callable(what) else what}\n{self.output()}"

        wait_until(alive_and_holds, described, give_up, interval)

    def last_tally(self) -> tuple[int, int, int, int]:
        """Applied, duplicates, dead-lettered and lag, as last printed."""
        figures = TALLY.findall(self.output())
        if not figures:
            return 0, 0, 0, 0
        applied, duplicates, dead_lettered, lag = (int(figure) for figure in figures[-1])
        return applied, duplicates, dead_lettered, lag

    def stop(self) -> tuple[int, int, int, int]:
        """SIGTERM, a clean exit, and its final tally."""
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=15) == 0, self.output()
        assert "Stopped after" in self.output(), self.output()
        return self.last_tally()


@pytest.fixture
def worker(settings: Settings, private_broker: PrivateBroker, tmp_path: Path) -> Iterator[Worker]:
    """The consumer, started on the private broker's topics; killed afterwards if still up."""
    environment = consume_environment(
        settings, Broker(private_broker.bootstrap_servers), private_broker.topics
    )
    log_path = tmp_path / "consume.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(JOURNEYS), "consume", "--follow"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Worker(process, log_path)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def notifications(journeys: Journeys, customers: int, prefix: str) -> list[Message]:
    """A death notification for each of that many newly registered customers."""
    messages: list[Message] = []
    for number in range(customers):
        nino, customer_id = registered(journeys)
        message_id = f"{prefix}-{number:03d}"
        # Keyed by customer, so that a resend lands on the same partition as the original.
        key = str(customer_id).encode()
        messages.append(Message(key, death(nino, message_id), message_id, customer_id))
    return messages


def death_events_by_customer(journeys: Journeys) -> Counter[UUID]:
    """How many DeathNotified events the log holds for each customer."""
    notified = read_log(journeys.application, topics=[get_topic(Customer.DeathNotified)])
    return Counter(UUID(str(notification.originator_id)) for notification in notified)


@ON_POSTGRES
def test_a_following_consumer_resumes_on_a_restarted_broker_and_applies_every_message_once(
    journeys: Journeys, private_broker: PrivateBroker, worker: Worker
) -> None:
    first = notifications(journeys, BEFORE, "tuo-a")
    second = notifications(journeys, AFTER, "tuo-b")
    everyone = first + second
    logged_before = journeys.projections.log.last_position()

    # No junk here: a dead letter after a restart is the next test's (known) failure.
    # A steady state first (offsets committed on the old broker), then a burst to die in.
    private_broker.send(first[:STEADY])
    worker.wait_for(lambda: worker.last_tally() == (STEADY, 0, 0, 0), "the first committed")
    private_broker.send(first[STEADY:])
    worker.wait_for(lambda: deaths_notified(journeys) >= STEADY + KILL_AFTER, "mid-stream")
    private_broker.kill()
    applied_at_kill = deaths_notified(journeys)
    # No broker at all for a while: the consumer must wait, not exit.
    time.sleep(OUTAGE)
    assert worker.process.poll() is None, worker.output()
    applied_while_down = deaths_notified(journeys)

    # The new broker has forgotten the topics, their records and the group's offsets, so the
    # department system resends every message it cannot confirm (all), then sends new ones.
    private_broker.restart()
    back = time.monotonic()
    private_broker.send(everyone)
    worker.wait_for(lambda: deaths_notified(journeys) > applied_while_down, "resumed")
    resumed_after = time.monotonic() - back
    worker.wait_for(lambda: deaths_notified(journeys) >= len(everyone), "all applied")
    all_applied_after = time.monotonic() - back
    # Caught up on every resent record too (their duplicates are skipped, not applied).
    worker.wait_for(lambda: worker.last_tally()[3] == 0, "caught up")
    applied, duplicates, dead_lettered, lag = worker.stop()

    # Exactly once in effect: one death per customer, recorded under its own notification.
    assert death_events_by_customer(journeys) == Counter(m.customer_id for m in everyone)
    for message in everyone:
        assert message.customer_id is not None
        customer = journeys.application.customer(message.customer_id)
        assert (customer.date_of_death, customer.death_reference) == (
            DIED,
            f"TUO-{message.message_id}",
        )
    appended = list(read_log(journeys.application, start=logged_before + 1))
    # Nothing half-applied and nothing else: a notification's whole save is that one event.
    assert Counter(n.topic for n in appended) == {get_topic(Customer.DeathNotified): len(everyone)}
    # One process, never restarted, applied each notification once over its whole life.
    assert (applied, dead_lettered, lag) == (len(everyone), 0, 0), worker.output()
    assert private_broker.dead_letters() == []
    print(
        f"\nsent before the kill {len(first)}, applied by the kill {applied_at_kill}, with "
        f"the broker down {applied_while_down}; resent {len(first)} and {len(second)} new; "
        f"first applied {resumed_after:.1f} s after the restart, all {all_applied_after:.1f} s "
        f"after; duplicates skipped {duplicates}"
    )


@ON_POSTGRES
def test_junk_arriving_after_a_broker_restart_is_dead_lettered_and_the_consumer_moves_on(
    journeys: Journeys, private_broker: PrivateBroker, worker: Worker
) -> None:
    early = notifications(journeys, 1, "tuo-c")
    private_broker.send(early)
    worker.wait_for(lambda: worker.last_tally() == (1, 0, 0, 0), "the first committed")
    private_broker.kill()
    private_broker.restart()
    later = notifications(journeys, 1, "tuo-d")
    # The junk has the same key as the notification behind it: one partition, junk first.
    junk = Message(later[0].key, b"not json", "garbled")
    private_broker.send([*early, junk, *later])

    worker.wait_for(
        lambda: deaths_notified(journeys) == 2, "applied behind the junk", give_up=JUNK_GIVE_UP
    )
    worker.wait_for(
        lambda: private_broker.dead_letters() == [junk.value],
        lambda: (
            f"dead-lettered (dead letters {private_broker.dead_letters()}; the deaths topic "
            f"by partition@offset: {private_broker.deaths_by_place()})"
        ),
        interval=0.5,
    )
    applied, duplicates, dead_lettered, lag = worker.stop()
    assert (applied, dead_lettered, lag) == (2, 1, 0)
    # The early notification, sent again, is skipped as a duplicate if the consumer reads it:
    # a consumer that kept its place on that partition across the restart never does (the
    # new memory broker starts its offsets at 0 again).
    assert duplicates in (0, 1)
    assert deaths_notified(journeys) == 2
