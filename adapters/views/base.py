"""What every view's SQL builds on: the cursor, column lists and the shared statement helpers.

Each view module (self_service.py, timeline.py, ...) holds a mixin for the store's reads and
one for the batch's writes; both sides inherit the helpers here, and adapters/views/sql.py
composes them into SqlViewStore and SqlViewBatch. These live apart from sql.py because the
view modules need them and sql.py needs the view modules.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from projections.model import Page
from projections.store import ClaimOwner

Column = tuple[str, str]
"""A column's name and SQL type, as the set-based writes of a dialect may need them."""

KNOWN_OWNERS_LIMIT = 1_000_000
"""Claim owners remembered between batches (a claim's owner never changes)."""


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any:
        """Run one statement."""
        ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]], /) -> Any:
        """Run one statement for many parameter rows."""
        ...

    def fetchone(self) -> Any:
        """The next row."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        ...


def recorded_text(moment: datetime) -> str:
    """A UTC time as fixed-width ISO text, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class SqlStoreBase(ABC):
    """The store's helpers every view's reads and a batch's writes use; dialects fill the gaps."""

    def __init__(self, table_prefix: str = "") -> None:
        self.prefix = table_prefix
        self.known_owners: dict[UUID, ClaimOwner] = {}

    def remember_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Keep a claim's owner for later batches (forgetting all, now and then, to stay small)."""
        if len(self.known_owners) >= KNOWN_OWNERS_LIMIT:
            self.known_owners.clear()
        self.known_owners[claim_id] = owner

    # -- set-based statements (a dialect may do each in one statement) ------------------------

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A condition that `column` is one of values, and its parameters."""
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    def insert_rows(
        self,
        cursor: Cursor,
        table: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Any]],
        conflict: str = "",
    ) -> None:
        """Insert many rows (with an ON CONFLICT clause, if given)."""
        names = ", ".join(name for name, _ in columns)
        marks = ", ".join("?" * len(columns))
        cursor.executemany(
            self.t(f"INSERT INTO {{p}}{table} ({names}) VALUES ({marks}) {conflict}"), rows
        )

    def delete_rows(self, cursor: Cursor, table: str, column: str, values: Sequence[Any]) -> None:
        """Delete the rows whose column holds any of values."""
        cursor.executemany(
            self.t(f"DELETE FROM {{p}}{table} WHERE {column} = ?"), [(v,) for v in values]
        )

    # -- what a dialect supplies --------------------------------------------------------

    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Cursor]:
        """A cursor in a transaction; writers hold the write lock from the start."""

    @abstractmethod
    def _sql(self, statement: str) -> str:
        """The statement with ? placeholders in the dialect's style and tables prefixed."""

    def t(self, statement: str) -> str:
        """Prefix {table} references with the schema."""
        return self._sql(statement.replace("{p}", self.prefix))

    # -- reading ------------------------------------------------------------------------------

    def _reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads of one statement each (a dialect may run them without BEGIN)."""
        return self._transaction(write=False)

    def _page(
        self,
        table: str,
        where: str,
        params: list[Any],
        order: str,
        column: str,
        page: Page,
    ) -> tuple[list[str], int]:
        # One statement, so one round trip and one snapshot: the count joined to the page.
        # The count is always there (one row with a NULL column when the page is empty).
        chosen = ", ".join(f"chosen.{name.strip()}" for name in order.split(","))
        statement = (
            f"SELECT matching.total, chosen.{column}"
            f" FROM (SELECT COUNT(*) AS total FROM {{p}}{table} WHERE {where}) AS matching"
            f" LEFT JOIN (SELECT {column}, {order} FROM {{p}}{table} WHERE {where}"
            f" ORDER BY {order} LIMIT ? OFFSET ?) AS chosen ON 1 = 1"
            f" ORDER BY {chosen}"
        )
        with self._reading() as cursor:
            cursor.execute(self.t(statement), [*params, *params, page.limit, page.offset])
            rows = cursor.fetchall()
        total = int(rows[0][0]) if rows else 0
        return [row[1] for row in rows if row[1] is not None], total


class SqlBatchBase:
    """A batch's open transaction: the store's helpers and the cursor its reads and writes use."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        self._store = store
        self._cursor = cursor

    def _apply_erasures(self, table: str, column: str, customers: Sequence[UUID]) -> None:
        """Swap each customer's rows to their erased form (after this batch's rows are written)."""
        for customer_id in customers:
            self._cursor.execute(
                self._store.t(
                    f"UPDATE {{p}}{table} SET {column} = erased_{column},"
                    f" erased_{column} = NULL"
                    f" WHERE customer_id = ? AND erased_{column} IS NOT NULL"
                ),
                (str(customer_id),),
            )
