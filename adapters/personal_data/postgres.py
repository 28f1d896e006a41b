"""Customers' wrapped data keys in PostgreSQL, in the event store's database and schema."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.postgres_connections import check_and_sweep
from services.personal_data import StoredKey, WrappedCustomerKeys


class PostgresCustomerKeys(WrappedCustomerKeys):
    """A small pool of autocommit connections; one statement per change.

    Erasing nulls the wrapped key in place; the row stays (with erased_at) so that the
    erasure itself remains visible and a later event for the customer is stored erased.
    PostgreSQL's own WAL and backups keep the old key until they age out: keep their
    retention within what the erasure policy allows.
    """

    def __init__(
        self,
        conninfo: str,
        master_key: bytes,
        *,
        schema: str = "",
        pool_size: int = 2,
        cache_seconds: float = 30.0,
    ) -> None:
        super().__init__(master_key, cache_seconds=cache_seconds)
        self._table = (
            sql.SQL("{}.customer_keys").format(sql.Identifier(schema))
            if schema
            else sql.SQL("customer_keys")
        )
        self.pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            open=True,
            name="journeys-customer-keys",
            kwargs={"autocommit": True},
            # As the event store's pool: never hand out a connection the server has dropped.
            check=check_and_sweep,
        )
        with self.pool.connection() as connection:
            if schema:
                connection.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
            connection.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    " customer_id UUID PRIMARY KEY, wrapped_key BYTEA,"
                    " created_at TIMESTAMPTZ NOT NULL, erased_at TIMESTAMPTZ,"
                    " legal_hold BOOLEAN NOT NULL DEFAULT FALSE)"
                ).format(self._table)
            )

    def stored(self, customer_id: UUID) -> StoredKey | None:
        """The customer's row."""
        with self.pool.connection() as connection:
            row = connection.execute(
                sql.SQL(
                    "SELECT wrapped_key, created_at, erased_at, legal_hold FROM {}"
                    " WHERE customer_id = %s"
                ).format(self._table),
                (customer_id,),
            ).fetchone()
        if row is None:
            return None
        wrapped, created_at, erased_at, legal_hold = row
        return StoredKey(
            wrapped=bytes(wrapped) if wrapped is not None else None,
            created_at=created_at,
            erased_at=erased_at,
            legal_hold=bool(legal_hold),
        )

    def _insert(self, customer_id: UUID, wrapped: bytes, at: datetime) -> bool:
        with self.pool.connection() as connection:
            inserted = connection.execute(
                sql.SQL(
                    "INSERT INTO {} (customer_id, wrapped_key, created_at) VALUES (%s, %s, %s)"
                    " ON CONFLICT (customer_id) DO NOTHING"
                ).format(self._table),
                (customer_id, wrapped, at),
            )
        return inserted.rowcount == 1

    def _erase_row(self, customer_id: UUID, at: datetime) -> bool:
        with self.pool.connection() as connection:
            connection.execute(
                sql.SQL(
                    "INSERT INTO {0} AS k (customer_id, wrapped_key, created_at, erased_at)"
                    " VALUES (%s, NULL, %s, %s) ON CONFLICT (customer_id) DO UPDATE SET"
                    " wrapped_key = NULL, erased_at = COALESCE(k.erased_at, excluded.erased_at)"
                    " WHERE NOT k.legal_hold"
                ).format(self._table),
                (customer_id, at, at),
            )
            row = connection.execute(
                sql.SQL("SELECT legal_hold FROM {} WHERE customer_id = %s").format(self._table),
                (customer_id,),
            ).fetchone()
        return not (row and row[0])

    def _hold_row(self, customer_id: UUID, held: bool) -> None:
        with self.pool.connection() as connection:
            connection.execute(
                sql.SQL("UPDATE {} SET legal_hold = %s WHERE customer_id = %s").format(self._table),
                (held, customer_id),
            )

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()
