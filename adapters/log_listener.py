"""Wake-ups from PostgreSQL: the event store announces each insert with NOTIFY; we LISTEN."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)


class PostgresLogListener:
    """Calls back as soon as new events are committed, so views need not wait for a poll.

    The eventsourcing recorder sends NOTIFY on its channel inside every insert transaction;
    PostgreSQL delivers it when that transaction commits. A lost connection is retried; the
    runner's own polling covers the gap.
    """

    def __init__(
        self,
        conninfo: str,
        channel: str,
        *,
        retry_seconds: float = 1.0,
        wait_seconds: float = 0.5,
        stop_timeout: float = 5.0,
    ) -> None:
        self._conninfo = conninfo
        self._channel = channel
        self._retry_seconds = retry_seconds
        self._wait_seconds = wait_seconds
        self._stop_timeout = stop_timeout
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_new_events: Callable[[], None]) -> None:
        """Listen in a background thread until stop()."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._listen, args=(on_new_events,), name="log-listener", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: at once, or after the wait in hand if the database cannot be reached."""
        self._stop.set()
        if self._thread is not None:
            self._wake_listener()
            self._thread.join(timeout=self._stop_timeout)
            self._thread = None

    def _wake_listener(self) -> None:
        # The listener waits for notifications in slices (half a second); one of our own ends the
        # wait now (every API shutdown, and every API test on PostgreSQL, waited it out). Other
        # listeners on the channel take it as a spurious wake-up: one catch-up that finds nothing.
        try:
            with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=2) as connection:
                connection.execute("SELECT pg_notify(%s, '')", [self._channel])
        except psycopg.Error:
            log.debug("could not wake the listener; it stops at its next timeout", exc_info=True)

    def _listen(self, on_new_events: Callable[[], None]) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    on_new_events()  # anything committed before LISTEN took effect
                    while not self._stop.is_set():
                        # A timeout lets stop() end the loop even when its wake-up is lost.
                        for _ in connection.notifies(timeout=self._wait_seconds):
                            if self._stop.is_set():
                                break
                            on_new_events()
            except psycopg.Error:
                log.warning("lost the event store's notifications; reconnecting", exc_info=True)
                self._stop.wait(self._retry_seconds)
