"""Connecting to PostgreSQL: the pools' check before use, and the lock for creating tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import Connection
from psycopg_pool import ConnectionPool


def check_and_sweep(connection: Connection[Any]) -> None:
    """Refuse a dead connection, and first discard every dead one idle in its pool.

    After a server restart every idle connection is dead. psycopg_pool checks them one per
    attempt, waiting about 1, 2, then 4 s between attempts, so a command's 10 s wait ran out
    before it reached a fresh connection (stalls of 10 to 17 s and failed commands, measured
    by tests/reliability/test_postgres_restart.py). Checking the whole pool on the first
    failure discards the dead ones and opens new ones at once: the next attempt gets one.
    """
    try:
        ConnectionPool.check_connection(connection)
    except Exception:
        # The pool sets `_pool` on a connection it hands out, before it runs this check.
        pool = getattr(connection, "_pool", None)
        if isinstance(pool, ConnectionPool):
            pool.check()
        raise


@contextmanager
def schema_setup_lock(conninfo: str, schema: str) -> Iterator[None]:
    """Hold a session advisory lock on the schema while a process creates its tables.

    Every process creates what it needs when it starts (CREATE ... IF NOT EXISTS, CREATE OR
    REPLACE FUNCTION). Two doing so at once fail in PostgreSQL's catalogs ("tuple concurrently
    updated", duplicate type names): measured, two builds at once failed 17 times in 40.
    """
    with psycopg.connect(conninfo, autocommit=True) as connection:
        key = f"journeys schema setup: {schema}"
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
