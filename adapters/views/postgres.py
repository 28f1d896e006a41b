"""Views in PostgreSQL, in the same database (and schema) as the event store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.postgres_connections import check_and_sweep
from adapters.views.sql import Column, Cursor, SqlViewStore


class PostgresViewStore(SqlViewStore):
    """A small connection pool; writers lock their projection's tracking row first."""

    _lock = " FOR UPDATE"

    def __init__(self, conninfo: str, schema: str = "", pool_size: int = 5) -> None:
        prefix = sql.Identifier(schema).as_string() + "." if schema else ""
        super().__init__(table_prefix=prefix)
        # Autocommit: a read of one statement needs no BEGIN and COMMIT round trips (nor a
        # rollback when the pool takes the connection back); writers open a transaction.
        self.pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            open=True,
            name="journeys-views",
            kwargs={"autocommit": True},
            # As the event store's pool: never hand out a connection the server has dropped.
            check=check_and_sweep,
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
            if write:
                # Views can always be rebuilt from the log, and each batch commits its rows
                # with its tracking position: a crash can lose only the last batches, which
                # are then applied again. So view commits need not wait for the disk.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            yield cast(Cursor, cursor)

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self.pool.connection() as connection, connection.cursor() as cursor:
            yield cast(Cursor, cursor)

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """One array parameter, however many values."""
        return f"{column} = ANY(%b)", [list(values)]

    def insert_rows(
        self,
        cursor: Cursor,
        table: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Any]],
        conflict: str = "",
    ) -> None:
        """One INSERT of every row, sent as one array per column (one round trip)."""
        names = ", ".join(name for name, _ in columns)
        # %b: arrays go in binary, so long JSON texts need no escaping on the way.
        arrays = ", ".join(f"%b::{kind}[]" for _, kind in columns)
        cursor.execute(
            self.t(f"INSERT INTO {{p}}{table} ({names}) SELECT * FROM unnest({arrays}) {conflict}"),
            [list(column) for column in zip(*rows, strict=True)],
        )

    def delete_rows(self, cursor: Cursor, table: str, column: str, values: Sequence[Any]) -> None:
        """One DELETE for every value."""
        cursor.execute(self.t(f"DELETE FROM {{p}}{table} WHERE {column} = ANY(%b)"), [list(values)])

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()
