"""The check every PostgreSQL pool runs before handing out a connection."""

from __future__ import annotations

from typing import Any

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
