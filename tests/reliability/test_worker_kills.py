"""Process faults: projection and deadline workers killed with SIGKILL at random, under load.

Each test runs the real console script as a deployment would (a relay, projection workers in
one consumer group, or the deadline worker), kills a worker with SIGKILL at random moments
while a second built system keeps writing, restarts it, and finally runs the work to its end:
the views must equal a rebuild from the log, and every due deadline must have fired once.
PostgreSQL only: several processes write one store at once (SQLite would serialise them), and
the views the CLI workers build are then the event store's own, in its schema.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from adapters.bootstrap import Journeys, build
from adapters.kafka.tracking import PartitionTracking, tracking_name
from adapters.views.sql import SqlViewStore
from domain.deadlines import WithDeadlines
from domain.transition import DlaToPipTransition
from services.clock import SimulatedClock, SystemClock
from services.settings import Settings
from tests.conftest import process_environment
from tests.integration.test_deadlines_cli import summary, young_person
from tests.kafka.conftest import Broker
from tests.kafka.helpers import (
    all_applied,
    end_offsets,
    populate,
    read_topic,
    rebuilt,
    relay_environment,
    wait_until,
)
from tests.kafka.test_kafka_mode import kafka_mode
from tests.processes import FINISH_TIMEOUT, Processes, Started
from tests.projections.helpers import dump_views, execute

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.postgres]

KILLS = 5
# Kill the relay too on these rounds, so that the workers also meet records sent twice.
RELAY_KILLS = {1, 3}

RELAY_BATCH = 10
# Each command, and what it prints once it is built (its tables and functions created).
RELAY = ("Relaying to", "relay", "--follow", "--interval", "0.05", "--batch-size", str(RELAY_BATCH))
PROJECT = ("Following the events topic", "project", "--from-kafka", "--follow")
DEADLINES = ("Firing deadlines every", "deadlines", "run", "--follow", "--interval", "0.05")
FIRED_SOME = re.compile(r"Deadlines due by \S+: [1-9]\d* fired")

APPLIED = re.compile(r"Applied (\d+) events \((\d+) records, (\d+) duplicates skipped\)")
STOPPED = re.compile(r"Stopped: (\d+) events applied, (\d+) duplicates skipped")


# -- processes and load ------------------------------------------------------------------------


@contextmanager
def steady_load(step: Callable[[int], object], pause: float) -> Iterator[Callable[[], int]]:
    """Call step(0), step(1), ... in a thread, `pause` apart, until the block ends.

    Yields a function that stops the load and returns how many steps ran (the block's end
    stops it too); a step that raised fails the test there.
    """
    stop = threading.Event()
    failures: list[BaseException] = []
    steps = 0

    def keep_going() -> None:
        nonlocal steps
        try:
            while not stop.is_set():
                step(steps)
                steps += 1
                stop.wait(pause)
        except BaseException as error:  # surfaced in the test's thread
            failures.append(error)

    load = threading.Thread(target=keep_going, daemon=True)

    def finish() -> int:
        stop.set()
        load.join(timeout=60)
        assert not load.is_alive(), "the load did not stop"
        assert not failures, failures
        return steps

    load.start()
    try:
        yield finish
    finally:
        finish()


# -- test 1: Kafka projection workers -----------------------------------------------------------


def tallies(worker: Started) -> tuple[int, int]:
    """(applied, skipped) as the worker last printed them: all it did if it stopped cleanly."""
    output = worker.output()
    stopped = STOPPED.findall(output)
    if stopped:
        applied, skipped = stopped[-1]
        return int(applied), int(skipped)
    progress = APPLIED.findall(output)
    if not progress:
        return 0, 0
    applied, _, skipped = progress[-1]
    return int(applied), int(skipped)


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_projection_workers_killed_repeatedly_under_load_build_the_views_a_rebuild_builds(
    settings: Settings, journeys: Journeys, kafka_broker: Broker, events_topic: str, tmp_path: Path
) -> None:
    began = time.monotonic()
    views = journeys.views
    assert isinstance(views, SqlViewStore)
    tracking = PartitionTracking(views)
    populate(journeys, customers=10, seed=1, scheduled=False)
    environment = relay_environment(settings, kafka_broker, events_topic)
    environment["JOURNEYS_PROJECTION_MODE"] = "kafka"
    environment["JOURNEYS_KAFKA_PROJECTION_GROUP"] = f"{events_topic}-workers"
    delays = random.Random(20)
    applied_at_kills: list[int] = []

    with (
        Processes(environment, tmp_path) as processes,
        build(settings, clock=SimulatedClock.on(date(2026, 1, 5))) as writer,
    ):
        # The writer never catches a view up (no scheduler): only the workers write the views.
        with steady_load(
            lambda step: populate(writer, customers=1, seed=100 + step, scheduled=False), 0.05
        ) as finish:
            relay = processes.start("relay", *RELAY)
            # Two workers in the group: killing one rebalances its partitions to the other.
            workers = [processes.start(f"worker{n}", *PROJECT) for n in range(2)]
            for kill in range(KILLS):
                doomed = kill % 2
                # Killed while it applies: after the group's rebalance gave it partitions (a
                # killed member holds its partitions for the session timeout, so a kill that
                # came sooner would only meet a group still rebalancing).
                workers[doomed].wait_for("Applied ")
                time.sleep(delays.uniform(0.0, 1.0))
                applied_at_kills.append(
                    sum(mark.next_offset for mark in tracking.marks(events_topic).values())
                )
                workers[doomed].kill()
                if kill in RELAY_KILLS:
                    relay.kill()
                    # As if it died after the broker acknowledged its last batch and before it
                    # recorded it (a window too narrow for a random kill to hit often): that
                    # batch goes out again, and the workers must skip what they applied.
                    execute(
                        views,
                        "UPDATE {p}view_tracking SET position = position - ?"
                        " WHERE projection = ? AND position >= ?",
                        (RELAY_BATCH, tracking_name(events_topic), RELAY_BATCH),
                    )
                    relay = processes.start("relay", *RELAY)
                workers[doomed] = processes.start(f"worker{doomed}", *PROJECT)
            steps = finish()
        killed = time.monotonic()

        last = journeys.projections.log.last_position()
        name = tracking_name(events_topic)
        wait_until(lambda: views.position(name) == last, "the relay reached the log's end")
        relay.stop()
        ends = end_offsets(kafka_broker, events_topic)
        wait_until(
            all_applied(tracking, events_topic, ends),
            lambda: (
                f"every partition applied: {tracking.marks(events_topic)} of {ends}\n"
                + "\n".join(f"--- {w.name}:\n{w.output()[-3000:]}" for w in workers)
            ),
            FINISH_TIMEOUT,
        )
        for worker in workers:
            worker.stop()
        # A worker started now, in a group of its own (so from Kafka's earliest offsets), finds
        # every partition applied to its end by the tracking rows. A new group, too, because
        # rejoining the old one waits on its departed members (slow with Tansu).
        drained = processes.run(
            "project", "--from-kafka", group=f"{events_topic}-after-{uuid.uuid4().hex[:8]}"
        )
        assert "Stopped: 0 events applied, 0 duplicates skipped, lag 0." in drained, drained
        worker_logs = [w.output() for w in processes.started if w.name.startswith("worker")]
        figures = [tallies(w) for w in processes.started if w.name.startswith("worker")]

    assert applied_at_kills[-1] > 0, "the workers never got going before the kills"
    received = read_topic(kafka_broker.bootstrap_servers, events_topic)
    counts = Counter(record.envelope.log_position for record in received)
    assert set(counts) == set(range(1, last + 1))  # the topic holds every event
    highest: dict[int, int] = {}
    for record in received:
        highest[record.partition] = max(
            highest.get(record.partition, 0), record.envelope.log_position
        )
    # Each partition applied to its end, and to its highest event: nothing left behind.
    marks = tracking.marks(events_topic)
    assert {p: m.next_offset for p, m in marks.items()} == ends
    assert {p: m.position for p, m in marks.items()} == highest
    assert kafka_mode(journeys, views, events_topic).watermark() == last
    # What the killed workers printed is a lower bound of what they applied: an event applied
    # twice could push the sum past the number of events.
    applied_logged = sum(applied for applied, _ in figures)
    skipped_logged = sum(skipped for _, skipped in figures)
    assert applied_logged <= last
    # An event applied a second time would break the timeline's primary key (a failed batch,
    # retried for ever: the wait above gives up) or fold into a document twice (a view unlike
    # the rebuild's). A failed batch is counted, not refused: one that fails only because a
    # rebalance took its partition away is harmless.
    batch_failures = sum(log.count("Batch failed") for log in worker_logs)
    expected = rebuilt(journeys)
    assert sum(len(rows) for rows in expected.values()) > 0
    assert dump_views(views) == expected
    repeated = sum(n - 1 for n in counts.values())
    print(
        f"\nprojection workers: kills={KILLS} relay_kills={len(RELAY_KILLS)} events={last} "
        f"load_customers={steps} records_applied_at_kills={applied_at_kills} "
        f"resent_records={repeated} logged_applied={applied_logged} "
        f"logged_skipped={skipped_logged} per_process={figures} batch_failures={batch_failures} "
        f"kill_loop_seconds={killed - began:.1f} seconds={time.monotonic() - began:.1f}"
    )


# -- test 2: the deadline worker ---------------------------------------------------------------


@dataclass
class DeadlineFacts:
    """What the log says about deadlines: which were set due by a day, fired, cancelled."""

    due: set[UUID]
    fired: Counter[UUID]
    cancelled: set[UUID]
    invitations: Counter[UUID]


def deadline_facts(system: Journeys, today: date) -> DeadlineFacts:
    """Read the whole log for deadlines set (due by `today`), fired and cancelled."""
    facts = DeadlineFacts(set(), Counter(), set(), Counter())
    log = system.projections.log
    after = 0
    while page := log.read(after=after, limit=1000):
        for logged in page:
            event = logged.event
            if isinstance(event, WithDeadlines.DeadlineSet):
                if event.deadline.fires_on <= today:
                    facts.due.add(event.deadline.deadline_id)
            elif isinstance(event, WithDeadlines.DeadlineFired):
                facts.fired[event.deadline_id] += 1
            elif isinstance(event, WithDeadlines.DeadlineCancelled):
                facts.cancelled.add(event.deadline_id)
            elif isinstance(event, DlaToPipTransition.InvitationIssued):
                facts.invitations[event.originator_id] += 1
        after = page[-1].position
    return facts


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_a_deadline_worker_killed_repeatedly_under_load_fires_every_due_deadline_exactly_once(
    settings: Settings, tmp_path: Path
) -> None:
    began = time.monotonic()
    # The worker follows the system clock: every young person's invitation is due today.
    today = SystemClock().today()
    birthdays = random.Random(30)
    delays = random.Random(31)

    def add_young_person(system: Journeys) -> None:
        young_person(system, today - timedelta(days=birthdays.randint(1, 90)))

    fired_at_kills: list[int] = []
    with (
        Processes(process_environment(settings), tmp_path) as processes,
        build(settings, clock=SimulatedClock(SystemClock().now())) as writer,
    ):
        for _ in range(40):
            add_young_person(writer)
        # More due deadlines keep arriving, so each restarted worker has a backlog to fire.
        with steady_load(lambda _: add_young_person(writer), 0.02) as finish:
            for kill in range(KILLS):
                worker = processes.start("deadlines", *DEADLINES)
                if kill == 0:
                    # At least one kill after the worker has fired (on a busy machine its first
                    # run can outlast every random delay below: it did once, at 4x the load).
                    worker.wait_for(FIRED_SOME)
                time.sleep(delays.uniform(0.2, 1.5))  # mid-run, or between runs, varied
                worker.kill()
                fired_at_kills.append(sum(deadline_facts(writer, today).fired.values()))
            load_steps = finish()
        fired_by_workers = fired_at_kills[-1]  # nothing fires between the last kill and now
        final = processes.run("deadlines", "run")
        again = processes.run("deadlines", "run")
        facts = deadline_facts(writer, today)
        worker_logs = [
            started.output() for started in processes.started if started.name == "deadlines"
        ]

    people = 40 + load_steps
    fired, already_done, refused = summary(final)
    assert refused == 0, final
    assert summary(again) == (0, 0, 0), again  # nothing due is left, nothing fires again
    assert fired_at_kills[-1] > 0, "the workers never fired before they were killed"
    assert len(facts.due) >= people  # one invitation each, at least
    twice = {deadline: n for deadline, n in facts.fired.items() if n > 1}
    assert not twice, f"deadlines fired more than once: {twice}"
    assert set(facts.fired) == facts.due - facts.cancelled  # none missing, none not due
    assert fired_by_workers + fired == len(facts.fired)
    # And what firing does happened once too: one invitation per young person.
    assert len(facts.invitations) == people
    assert set(facts.invitations.values()) == {1}
    runs = [summary(line) for log in worker_logs for line in log.splitlines() if "fired," in line]
    print(
        f"\ndeadline worker: kills={KILLS} young_people={people} due={len(facts.due)} "
        f"fired_at_kills={fired_at_kills} fired_by_final_run={fired} "
        f"already_done_final={already_done} "
        f"worker_runs_logged={len(runs)} logged_fired={sum(r[0] for r in runs)} "
        f"logged_already_done={sum(r[1] for r in runs)} logged_refused={sum(r[2] for r in runs)} "
        f"seconds={time.monotonic() - began:.1f}"
    )
