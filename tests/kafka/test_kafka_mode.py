"""Kafka mode: views built only by the workers, read-your-writes on their watermark, rebuilds."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import HTTPException
from typer.testing import CliRunner

from adapters.bootstrap import Journeys
from adapters.cli.main import app as cli_app
from adapters.http.deps import wait_for_views
from adapters.kafka.fed_views import KafkaFedRunner, PartialRebuild
from adapters.kafka.producer import KafkaPublisher
from adapters.kafka.relay import EventRelay
from adapters.kafka.tracking import (
    PartitionMark,
    PartitionTracking,
    RelayOffsets,
    views_low_watermark,
)
from adapters.views.sql import SqlViewStore
from tests.kafka.conftest import Broker
from tests.kafka.helpers import all_applied, end_offsets, populate, rebuilt, wait_until
from tests.kafka.test_projection_workers import Running, worker
from tests.projections.helpers import dump_views, fresh_view_store

pytestmark = pytest.mark.kafka


# -- the watermark, worked out from the rows ------------------------------------------------


def test_the_watermark_is_the_relays_position_when_every_partition_has_caught_up() -> None:
    marks = {0: PartitionMark(10, 95), 1: PartitionMark(7, 100)}
    assert views_low_watermark(100, {0: 10, 1: 7}, marks) == 100


def test_a_partition_behind_the_relay_holds_the_watermark_at_its_highest_applied_position() -> None:
    marks = {0: PartitionMark(10, 95), 1: PartitionMark(5, 60)}
    assert views_low_watermark(100, {0: 10, 1: 7}, marks) == 60


def test_a_partition_with_records_and_no_worker_yet_holds_the_watermark_at_zero() -> None:
    assert views_low_watermark(100, {0: 10, 1: 7}, {0: PartitionMark(10, 95)}) == 0


def test_nothing_relayed_means_nothing_to_wait_for_beyond_the_relays_position() -> None:
    assert views_low_watermark(0, {}, {}) == 0
    assert views_low_watermark(40, {}, {}) == 40


# -- against a real broker and database -------------------------------------------------------


@pytest.fixture
def worker_views(journeys: Journeys) -> Iterator[SqlViewStore]:
    """The deployment's views, built only by workers (the fixture's own are the runner's)."""
    with fresh_view_store(journeys.settings) as store:
        assert isinstance(store, SqlViewStore)
        yield store


def kafka_mode(journeys: Journeys, views: SqlViewStore, topic: str) -> KafkaFedRunner:
    """What the API, deadline and outbox processes of a Kafka-mode deployment read through."""
    return KafkaFedRunner(
        journeys.projections.log,
        views,
        list(journeys.projections.projections.values()),
        topic=topic,
        poll_interval=0.05,
        catch_up_timeout=0.5,
    )


def relay_all(journeys: Journeys, views: SqlViewStore, broker: Broker, topic: str) -> int:
    """Relay the log as the deployment's relay does (its rows beside those views)."""
    relay = EventRelay(
        journeys.projections.log,
        views,
        KafkaPublisher(broker.bootstrap_servers, topic),
        ends=RelayOffsets(views),
    )
    try:
        return relay.catch_up()
    finally:
        relay.close()


def drain(
    journeys: Journeys, views: SqlViewStore, broker: Broker, topic: str, workers: int = 1
) -> int:
    """Run workers in a new group until every partition is applied; events they applied.

    A new group each time: the workers resume from the views' own tracking, not the group's
    offsets, which is what these tests check; rejoining one group (which waits on the last
    members' leave, slow on a loaded machine) is tests/kafka/test_projection_workers.py's.
    """
    done = all_applied(PartitionTracking(views), topic, end_offsets(broker, topic))
    group = f"{topic}-workers-{uuid.uuid4().hex[:8]}"
    running = [Running(worker(journeys, views, broker, topic, group)) for _ in range(workers)]
    try:
        wait_until(done, "every partition applied")
    finally:
        for run in running:
            run.finish()
    return sum(run.worker.tally.applied for run in running)


def test_reads_wait_for_the_workers_watermark_and_read_your_writes_holds_in_kafka_mode(
    journeys: Journeys, worker_views: SqlViewStore, kafka_broker: Broker, events_topic: str
) -> None:
    last = populate(journeys, customers=12, seed=41)
    fed = kafka_mode(journeys, worker_views, events_topic)
    assert relay_all(journeys, worker_views, kafka_broker, events_topic) == last

    # Published, not yet applied: a read after the last position is refused with a retry.
    assert fed.watermark() == 0
    assert not fed.wait_for(last, timeout=0.2)
    reader = journeys_reading(journeys, fed, worker_views)
    with pytest.raises(HTTPException) as refused:
        wait_for_views(reader, last)
    assert refused.value.status_code == 503

    assert drain(journeys, worker_views, kafka_broker, events_topic, workers=2) == last
    assert fed.watermark() == last
    wait_for_views(reader, last)  # no exception: the views include the last event
    assert {row.position for row in fed.status()} == {last}

    # One more change: the watermark stays below it until a worker has applied it.
    customer = journeys.application.register_customer(
        nino="JT112233A",
        name="Read Mywrites",
        date_of_birth=journeys.clock.today().replace(year=1980),
    )
    assert not fed.reached(customer.position)
    relay_all(journeys, worker_views, kafka_broker, events_topic)
    assert not fed.reached(customer.position)
    assert drain(journeys, worker_views, kafka_broker, events_topic) == customer.position - last
    assert fed.reached(customer.position)
    assert dump_views(worker_views) == rebuilt(journeys)


def journeys_reading(journeys: Journeys, fed: KafkaFedRunner, views: SqlViewStore) -> Journeys:
    """The system as a Kafka-mode API process holds it: workers' views, read through `fed`."""
    return Journeys(
        # A read that waits a fifth of a second for its position, not five: the test waits it out.
        settings=journeys.settings.model_copy(update={"read_wait_seconds": 0.2}),
        clock=journeys.clock,
        application=journeys.application,
        ledger=journeys.ledger,
        views=views,
        projections=fed,
        uprating=journeys.uprating,
        deadlines=journeys.deadlines,
        outbox=journeys.outbox,
    )


def test_a_rebuild_in_kafka_mode_hands_the_partitions_back_so_the_workers_skip_what_it_applied(
    journeys: Journeys, worker_views: SqlViewStore, kafka_broker: Broker, events_topic: str
) -> None:
    fed = kafka_mode(journeys, worker_views, events_topic)
    first = populate(journeys, customers=10, seed=43)
    relay_all(journeys, worker_views, kafka_broker, events_topic)
    assert drain(journeys, worker_views, kafka_broker, events_topic) == first

    # More events published while the workers are stopped, then a rebuild.
    second = populate(journeys, customers=6, seed=44)
    relay_all(journeys, worker_views, kafka_broker, events_topic)
    with pytest.raises(PartialRebuild):
        fed.rebuild_all(["timeline"])
    assert fed.rebuild_all() == second
    assert fed.watermark() == second
    assert dump_views(worker_views) == rebuilt(journeys)

    # And more after it: the workers apply those, and nothing the rebuild applied.
    third = populate(journeys, customers=6, seed=45)
    relay_all(journeys, worker_views, kafka_broker, events_topic)
    assert drain(journeys, worker_views, kafka_broker, events_topic) == third - second
    assert first < second < third
    assert fed.watermark() == third
    assert dump_views(worker_views) == rebuilt(journeys)


def test_a_projection_worker_refuses_to_start_in_a_log_mode_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNEYS_PROJECTION_MODE", "log")
    result = CliRunner().invoke(cli_app, ["project", "--from-kafka"])
    assert result.exit_code == 2
    assert "JOURNEYS_PROJECTION_MODE is log" in result.output
    assert "twice" in result.output
