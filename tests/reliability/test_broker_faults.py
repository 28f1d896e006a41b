"""Broker faults: the broker dies under a following relay and a new one comes up on its port."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from adapters.bootstrap import Journeys, build
from adapters.kafka.tracking import tracking_name
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
from tests.kafka.helpers import populate, read_topic, relay_environment

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def test_a_following_relay_resumes_on_a_restarted_broker_without_a_gap_after_its_tracking(
    settings: Settings, journeys: Journeys, tmp_path: Path
) -> None:
    port = free_port()
    broker_log = tmp_path / "tansu.log"
    broker = Broker(f"{LOOPBACK}:{port}", tansu_on(port, broker_log), broker_log)
    topic = "journeys.events.broker-faults"
    create_restartable_topic(broker.bootstrap_servers, topic)
    populate(journeys, customers=3, seed=1)
    environment = relay_environment(settings, broker, topic)
    name = tracking_name(topic)
    relay_log = tmp_path / "relay.log"
    restarted: subprocess.Popen[bytes] | None = None
    with relay_log.open("w") as log:
        relay = subprocess.Popen(
            [str(JOURNEYS), "relay", "--follow", "--interval", "0.05"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            give_up = time.monotonic() + 30
            while journeys.views.position(name) < journeys.projections.log.last_position():
                assert relay.poll() is None, relay_log.read_text()
                assert time.monotonic() < give_up, relay_log.read_text()
                time.sleep(0.05)
            assert broker.process is not None
            broker.process.send_signal(signal.SIGKILL)
            broker.process.wait(timeout=10)
            # Events stored while the broker is down must wait, not be skipped.
            with build(settings, clock=journeys.clock) as writer:
                populate(writer, customers=3, seed=2)
            tracked_at_outage = journeys.views.position(name)
            time.sleep(1.0)
            assert journeys.views.position(name) == tracked_at_outage
            assert relay.poll() is None, relay_log.read_text()
            # Memory storage loses the topic with the broker, so the new one is given it again.
            restarted = tansu_on(port, broker_log)
            back = time.monotonic()
            create_restartable_topic(broker.bootstrap_servers, topic)
            last = journeys.projections.log.last_position()
            give_up = time.monotonic() + 20
            while journeys.views.position(name) < last:
                assert relay.poll() is None, relay_log.read_text()
                assert time.monotonic() < give_up, relay_log.read_text()
                time.sleep(0.05)
            resumed_after = time.monotonic() - back
            relay.send_signal(signal.SIGTERM)
            assert relay.wait(timeout=15) == 0, relay_log.read_text()
            counts = Counter(
                record.envelope.log_position
                for record in read_topic(broker.bootstrap_servers, topic)
            )
        finally:
            if relay.poll() is None:
                relay.kill()
                relay.wait()
            if restarted is not None:
                stop_process(restarted)
    # Everything the relay had not recorded as sent reaches the new broker, each exactly once.
    assert set(counts) == set(range(tracked_at_outage + 1, last + 1)), sorted(counts)
    assert max(counts.values()) == 1
    print(f"outage at {tracked_at_outage}, last {last}, resumed in {resumed_after:.1f} s")
