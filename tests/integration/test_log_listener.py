"""The PostgreSQL listener: new events wake the views at once, and stop() ends it at once."""

from __future__ import annotations

import threading

import psycopg
import pytest

from adapters.bootstrap import postgres_conninfo
from adapters.log_listener import PostgresLogListener

pytestmark = pytest.mark.postgres

CHANNEL = "journeys_listener_test"
# Far longer than the join below allows: only the listener's own wake-up can end its wait.
LONG_WAIT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 10.0


def notify(postgres_url: str, channel: str) -> None:
    """What the event store does on every insert."""
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("SELECT pg_notify(%s, 'stored')", [channel])


def started(listener: PostgresLogListener, woken: threading.Event) -> list[threading.Thread]:
    """Start listening; the threads that started with it."""
    before = set(threading.enumerate())
    listener.start(woken.set)
    assert woken.wait(STOP_TIMEOUT_SECONDS), "the listener never called back after LISTEN"
    return [thread for thread in threading.enumerate() if thread not in before]


def test_a_notification_on_the_channel_calls_back(postgres_url: str, postgres_schema: str) -> None:
    channel = f"{CHANNEL}_{postgres_schema}"
    listener = PostgresLogListener(
        postgres_conninfo(postgres_url), channel, wait_seconds=LONG_WAIT_SECONDS
    )
    woken = threading.Event()
    started(listener, woken)
    try:
        woken.clear()
        notify(postgres_url, channel)

        assert woken.wait(STOP_TIMEOUT_SECONDS)
    finally:
        listener.stop()


def test_stop_ends_the_listening_thread_without_waiting_out_its_wait(
    postgres_url: str, postgres_schema: str
) -> None:
    listener = PostgresLogListener(
        postgres_conninfo(postgres_url),
        f"{CHANNEL}_{postgres_schema}",
        wait_seconds=LONG_WAIT_SECONDS,
        stop_timeout=STOP_TIMEOUT_SECONDS,
    )
    threads = started(listener, threading.Event())
    assert [thread.name for thread in threads] == ["log-listener"]

    listener.stop()

    assert not threads[0].is_alive()
