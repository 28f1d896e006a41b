"""Views in PostgreSQL, in the same database (and schema) as the event store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.views.sql import Cursor, SqlViewStore


class PostgresViewStore(SqlViewStore):
    """A small connection pool; writers lock their projection's tracking row first."""

    _lock = " FOR UPDATE"

    def __init__(self, conninfo: str, schema: str = "", pool_size: int = 5) -> None:
        prefix = sql.Identifier(schema).as_string() + "." if schema else ""
        super().__init__(table_prefix=prefix)
        self.pool = ConnectionPool(
            conninfo, min_size=1, max_size=pool_size, open=True, name="journeys-views"
        )
        if schema:
            with self.pool.connection() as connection:
                connection.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
        self.create_tables()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Cursor]:
        with (
            self.pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            yield cast(Cursor, cursor)

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()
