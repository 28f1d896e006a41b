"""Scale-out projection workers against a real broker: the views equal a single-process rebuild."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, TopicPartition

from adapters.bootstrap import Journeys
from adapters.kafka.producer import KafkaPublisher
from adapters.kafka.relay import build_relay
from adapters.kafka.tracking import PartitionTracking, tracking_name
from adapters.kafka.workers import OffsetGap, ProjectionWorker, WorkerTally
from adapters.views.sql import SqlViewStore
from adapters.views.sqlite import SQLiteViewStore
from services.settings import Settings
from tests.conftest import JOURNEYS
from tests.kafka.conftest import Broker
from tests.kafka.helpers import (
    DONE_TIMEOUT,
    QUICK_SESSION_TIMEOUT_MS,
    all_applied,
    end_offsets,
    populate,
    rebuilt,
    relay_environment,
    wait_until,
)
from tests.projections.helpers import dump_views, fresh_view_store, rebuild_everything

pytestmark = pytest.mark.kafka

CUSTOMERS = 24


class Crash(Exception):
    """A worker dying between its view commit and its offset commit."""


@pytest.fixture
def worker_views(journeys: Journeys) -> Iterator[SqlViewStore]:
    """An empty views store the workers build (the system's own views are the runner's)."""
    with fresh_view_store(journeys.settings) as store:
        assert isinstance(store, SqlViewStore)
        yield store


def relayed(journeys: Journeys, broker: Broker, topic: str, seed: int) -> int:
    """Populate the log and relay all of it; the log's last position."""
    last = populate(journeys, customers=CUSTOMERS, seed=seed)
    relay = build_relay(journeys, publisher=KafkaPublisher(broker.bootstrap_servers, topic))
    try:
        assert relay.catch_up() == last
    finally:
        relay.close()
    return last


def committed(broker: Broker, topic: str, group: str, partition: int) -> int | None:
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap_servers, group_id=group)
    try:
        offset: int | None = consumer.committed(TopicPartition(topic, partition))
        return offset
    finally:
        consumer.close()


def worker(
    journeys: Journeys, store: SqlViewStore, broker: Broker, topic: str, group: str, **extra: Any
) -> ProjectionWorker:
    return ProjectionWorker(
        journeys.projections.log,
        store,
        list(journeys.projections.projections.values()),
        broker.bootstrap_servers,
        topic,
        group,
        session_timeout_ms=QUICK_SESSION_TIMEOUT_MS,
        **extra,
    )


class Running:
    """A worker following the topic in a thread of its own (closed on that thread when stopped)."""

    def __init__(
        self, worker: ProjectionWorker, on_batch: Callable[[WorkerTally], None] | None = None
    ) -> None:
        self.worker = worker
        self.stop = threading.Event()
        self.errors: list[Exception] = []
        self.thread = threading.Thread(target=self._run, args=(on_batch,), daemon=True)
        self.thread.start()

    def _run(self, on_batch: Callable[[WorkerTally], None] | None) -> None:
        try:
            self.worker.follow(self.stop, on_batch, self.errors.append, pause=0.2)
        finally:
            self.worker.close()

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive()


def poll_until_crash(doomed: ProjectionWorker) -> None:
    give_up = time.monotonic() + DONE_TIMEOUT
    while time.monotonic() < give_up:
        doomed.poll(timeout_ms=200)


def applied(workers: Sequence[ProjectionWorker]) -> int:
    return sum(w.tally.applied for w in workers)


def test_two_workers_in_one_group_build_the_views_a_single_rebuild_builds_skipping_resent_events(
    journeys: Journeys, worker_views: SqlViewStore, kafka_broker: Broker, events_topic: str
) -> None:
    last = relayed(journeys, kafka_broker, events_topic, seed=31)
    # A relay that crashed before recording its position sends everything again.
    journeys.views.reset(tracking_name(events_topic), ())
    relay = build_relay(
        journeys, publisher=KafkaPublisher(kafka_broker.bootstrap_servers, events_topic)
    )
    try:
        assert relay.catch_up() == last
    finally:
        relay.close()
    ends = end_offsets(kafka_broker, events_topic)
    assert sum(ends.values()) == 2 * last
    group = f"{events_topic}-workers"
    running = [
        Running(worker(journeys, worker_views, kafka_broker, events_topic, group)) for _ in range(2)
    ]
    try:
        tracking = PartitionTracking(worker_views)
        wait_until(all_applied(tracking, events_topic, ends), "every partition applied")
    finally:
        for run in running:
            run.finish()
    workers = [run.worker for run in running]
    assert applied(workers) == last  # every event applied once, none twice
    assert sum(w.tally.skipped for w in workers) == last  # each resent event recognised
    assert not [error for run in running for error in run.errors]
    assert dump_views(worker_views) == rebuilt(journeys)


def test_a_worker_joining_and_another_leaving_mid_run_still_build_the_same_views(
    journeys: Journeys, worker_views: SqlViewStore, kafka_broker: Broker, events_topic: str
) -> None:
    last = relayed(journeys, kafka_broker, events_topic, seed=32)
    ends = end_offsets(kafka_broker, events_topic)
    group = f"{events_topic}-workers"

    def slowly(_: WorkerTally) -> None:
        time.sleep(0.1)  # so that the group changes while there is work left

    first = Running(
        worker(journeys, worker_views, kafka_broker, events_topic, group, max_poll_records=10),
        slowly,
    )
    second: Running | None = None
    try:
        wait_until(lambda: first.worker.tally.applied > 0, "the first worker applied some")
        second = Running(
            worker(journeys, worker_views, kafka_broker, events_topic, group, max_poll_records=10),
            slowly,
        )
        wait_until(lambda: second.worker.tally.applied > 0, "the joining worker applied some")
        first.finish()  # leaves the group: the second takes every partition
        assert applied([first.worker, second.worker]) < last, "the run ended before the rebalance"
        tracking = PartitionTracking(worker_views)
        wait_until(all_applied(tracking, events_topic, ends), "every partition applied")
    finally:
        first.finish()
        if second is not None:
            second.finish()
    assert second is not None
    assert applied([first.worker, second.worker]) == last
    assert dump_views(worker_views) == rebuilt(journeys)


def test_a_worker_that_dies_before_committing_its_offset_leaves_nothing_to_apply_twice(
    journeys: Journeys, worker_views: SqlViewStore, kafka_broker: Broker, events_topic: str
) -> None:
    last = relayed(journeys, kafka_broker, events_topic, seed=33)
    ends = end_offsets(kafka_broker, events_topic)
    group = f"{events_topic}-workers"
    doomed = worker(journeys, worker_views, kafka_broker, events_topic, group)
    crashed: list[TopicPartition] = []

    def crash(partition: TopicPartition) -> None:
        crashed.append(partition)
        raise Crash(partition)

    doomed.after_views_committed = crash
    try:
        with pytest.raises(Crash):
            poll_until_crash(doomed)
    finally:
        doomed.close()  # as a dead process would: without committing anything
    [partition] = crashed
    tracking = PartitionTracking(worker_views)
    mark = tracking.mark(events_topic, partition.partition)
    assert mark is not None
    assert mark.next_offset > 0
    behind = committed(kafka_broker, events_topic, group, partition.partition)
    assert (behind or 0) < mark.next_offset  # Kafka never heard of the applied batch

    successor = Running(worker(journeys, worker_views, kafka_broker, events_topic, group))
    try:
        wait_until(all_applied(tracking, events_topic, ends), "every partition applied")
    finally:
        successor.finish()
    assert not successor.errors
    assert doomed.tally.applied + successor.worker.tally.applied == last  # none applied twice
    assert dump_views(worker_views) == rebuilt(journeys)


class TransientFailure(Exception):
    """A database error applying one partition (a lock timeout, a dropped connection)."""


def test_a_partition_that_fails_to_apply_costs_the_rest_of_its_poll_nothing(
    journeys: Journeys,
    worker_views: SqlViewStore,
    kafka_broker: Broker,
    events_topic: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    last = relayed(journeys, kafka_broker, events_topic, seed=35)
    ends = end_offsets(kafka_broker, events_topic)
    member = worker(journeys, worker_views, kafka_broker, events_topic, f"{events_topic}-w")
    apply = member._apply
    polls: list[int] = []

    def fail_the_first_of_a_poll_with_several(partition: TopicPartition, records: Any) -> None:
        # The first time a poll returns more than one partition, the first of them fails: the
        # others were fetched too, and the consumer has moved past all of them.
        if not polls and len(member._consumer.assignment()) > 1:
            polls.append(partition.partition)
            raise TransientFailure(partition)
        apply(partition, records)

    monkeypatch.setattr(member, "_apply", fail_the_first_of_a_poll_with_several)
    tracking = PartitionTracking(worker_views)
    failures = 0
    give_up = time.monotonic() + DONE_TIMEOUT
    try:
        while not all_applied(tracking, events_topic, ends)():
            assert time.monotonic() < give_up, (tracking.marks(events_topic), ends)
            try:
                member.poll(timeout_ms=200)
            except TransientFailure:
                failures += 1
    finally:
        member.close()
    assert failures == 1
    assert member.tally.applied == last
    assert dump_views(worker_views) == rebuilt(journeys)


def test_a_batch_starting_past_its_tracking_row_is_refused_and_read_from_the_row(
    journeys: Journeys, worker_views: SqlViewStore, kafka_broker: Broker, events_topic: str
) -> None:
    relayed(journeys, kafka_broker, events_topic, seed=36)
    ends = end_offsets(kafka_broker, events_topic)
    group = f"{events_topic}-w"
    # Small polls, so that the first leaves its partition part applied.
    member = worker(journeys, worker_views, kafka_broker, events_topic, group, max_poll_records=5)
    tracking = PartitionTracking(worker_views)
    try:
        wait_until(lambda: member.poll(timeout_ms=200) > 0, "a first batch")
        partition, mark = next(iter(tracking.marks(events_topic).items()))
        assert mark.next_offset < ends[partition]
        # As if records had been skipped: the consumer jumps one record past the row.
        skipped_to = TopicPartition(events_topic, partition)
        member._consumer.seek(skipped_to, mark.next_offset + 1)
        refusals: list[str] = []
        give_up = time.monotonic() + DONE_TIMEOUT
        while not all_applied(tracking, events_topic, ends)():
            assert time.monotonic() < give_up, (tracking.marks(events_topic), ends)
            try:
                member.poll(timeout_ms=200)
            except OffsetGap as gap:
                refusals.append(str(gap))
    finally:
        member.close()
    assert refusals
    assert all(f"[{partition}]" in refusal for refusal in refusals)
    assert dump_views(worker_views) == rebuilt(journeys)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_project_worker_logs_progress_and_lag_and_stops_on_sigterm(
    settings: Settings, journeys: Journeys, kafka_broker: Broker, events_topic: str, tmp_path: Path
) -> None:
    last = relayed(journeys, kafka_broker, events_topic, seed=34)
    environment = relay_environment(settings, kafka_broker, events_topic)
    worker_views = tmp_path / "worker-views.sqlite3"  # the system's own views are the runner's
    environment["JOURNEYS_VIEWS_SQLITE_PATH"] = str(worker_views)
    environment["JOURNEYS_KAFKA_PROJECTION_GROUP"] = f"{events_topic}-cli"
    environment["JOURNEYS_PROJECTION_MODE"] = "kafka"
    log_path = tmp_path / "project.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(JOURNEYS), "project", "--from-kafka", "--follow"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            tracking = PartitionTracking(SQLiteViewStore(worker_views))
            ends = end_offsets(kafka_broker, events_topic)
            wait_until(all_applied(tracking, events_topic, ends), log_path.read_text())
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0, log_path.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    output = log_path.read_text()
    assert f"in group {events_topic}-cli" in output
    assert "; lag " in output
    assert f"Stopped: {last} events applied, 0 duplicates skipped" in output
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(SQLiteViewStore(worker_views)) == dump_views(fresh)
