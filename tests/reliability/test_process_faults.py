"""Process faults: the relay is killed with SIGKILL at random moments under a steady load."""

from __future__ import annotations

import random
import subprocess
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from adapters.bootstrap import Journeys, build
from adapters.kafka.tracking import tracking_name
from services.settings import Settings
from tests.conftest import JOURNEYS
from tests.kafka.conftest import Broker
from tests.kafka.helpers import expected_keys, populate, read_topic, relay_environment
from tests.processes import Processes

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

KILLS = 5
BATCH_SIZE = 10
# What it runs, and what it prints once it is running.
RELAY = ("Relaying to", "relay", "--follow", "--interval", "0.05", "--batch-size", str(BATCH_SIZE))


def test_a_relay_killed_repeatedly_under_load_still_delivers_every_event_in_customer_order(
    settings: Settings, journeys: Journeys, kafka_broker: Broker, events_topic: str, tmp_path: Path
) -> None:
    populate(journeys, customers=5, seed=1)
    environment = relay_environment(settings, kafka_broker, events_topic)
    name = tracking_name(events_topic)
    delays = random.Random(10)
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_writing() -> None:
        # A second system, as another process would be: commands keep arriving while the relay dies.
        try:
            with build(settings, clock=journeys.clock) as writer:
                seed = 100
                while not stop.is_set():
                    populate(writer, customers=1, seed=seed)
                    seed += 1
        except BaseException as error:  # surfaced in the main thread
            failures.append(error)

    load = threading.Thread(target=keep_writing, daemon=True)
    load.start()
    killed_at: list[int] = []
    try:
        with Processes(environment, tmp_path) as processes:
            for _ in range(KILLS):
                relay = processes.start("relay", *RELAY)
                # Killed once it runs, after some relaying, at a varied moment (waiting for its
                # start-up by the clock missed it on a busy machine: nothing relayed at all).
                time.sleep(delays.uniform(0.1, 1.5))
                relay.kill()
                killed_at.append(journeys.views.position(name))
    finally:
        stop.set()
        load.join(timeout=60)
    assert not failures, failures
    assert killed_at[-1] > 0, "the relay never got going before it was killed"

    last = journeys.projections.log.last_position()
    finished = subprocess.run(
        [str(JOURNEYS), "relay", "--batch-size", str(BATCH_SIZE)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "lag 0" in finished.stdout

    received = read_topic(kafka_broker.bootstrap_servers, events_topic)
    counts = Counter(record.envelope.log_position for record in received)
    assert set(counts) == set(range(1, last + 1))  # at least once, no gap
    keys = expected_keys(journeys)
    first_seen: dict[str, list[int]] = defaultdict(list)
    seen: set[int] = set()
    for record in sorted(received, key=lambda r: (r.partition, r.offset)):
        position = record.envelope.log_position
        assert record.key.decode() == keys[position]
        if position not in seen:
            seen.add(position)
            first_seen[record.key.decode()].append(position)
    # Re-sent batches repeat old records, but each customer's first sightings are in log order.
    for key, positions in first_seen.items():
        assert positions == sorted(positions), key
    repeated = sum(n - 1 for n in counts.values())
    print(f"kills={KILLS} killed_at={killed_at} events={last} repeated={repeated}")
