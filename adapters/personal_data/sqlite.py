"""Customers' wrapped data keys in an embedded SQLite file beside the event store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from uuid import UUID

from services.personal_data import StoredKey, WrappedCustomerKeys

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS customer_keys ("
    " customer_id TEXT PRIMARY KEY, wrapped_key BLOB, created_at TEXT NOT NULL,"
    " erased_at TEXT, legal_hold INTEGER NOT NULL DEFAULT 0)"
)


class SQLiteCustomerKeys(WrappedCustomerKeys):
    """One connection, one statement at a time; a file of its own beside the event store.

    The keys live apart from the events so that a copy of the event file alone (a backup,
    an export) carries nothing that opens an erased customer's fields. Every change is
    committed with the default (full) durability: a key lost after its events were stored
    would make them unreadable.
    """

    def __init__(self, path: Path, master_key: bytes, *, cache_seconds: float = 30.0) -> None:
        super().__init__(master_key, cache_seconds=cache_seconds)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._connection = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._lock = threading.Lock()
        with self._transaction() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._connection:  # commits, or rolls back on an error
            yield self._connection

    def stored(self, customer_id: UUID) -> StoredKey | None:
        """The customer's row."""
        with self._transaction() as connection:
            row = connection.execute(
                "SELECT wrapped_key, created_at, erased_at, legal_hold FROM customer_keys"
                " WHERE customer_id = ?",
                (str(customer_id),),
            ).fetchone()
        if row is None:
            return None
        wrapped, created_at, erased_at, legal_hold = row
        return StoredKey(
            wrapped=bytes(wrapped) if wrapped is not None else None,
            created_at=datetime.fromisoformat(created_at),
            erased_at=datetime.fromisoformat(erased_at) if erased_at else None,
            legal_hold=bool(legal_hold),
        )

    def _insert(self, customer_id: UUID, wrapped: bytes, at: datetime) -> bool:
        with self._transaction() as connection:
            inserted = connection.execute(
                "INSERT INTO customer_keys (customer_id, wrapped_key, created_at)"
                " VALUES (?, ?, ?) ON CONFLICT (customer_id) DO NOTHING",
                (str(customer_id), wrapped, at.isoformat()),
            )
            return inserted.rowcount == 1

    def _erase_row(self, customer_id: UUID, at: datetime) -> bool:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO customer_keys (customer_id, wrapped_key, created_at, erased_at)"
                " VALUES (?, NULL, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET"
                " wrapped_key = NULL, erased_at = COALESCE(customer_keys.erased_at,"
                " excluded.erased_at) WHERE customer_keys.legal_hold = 0",
                (str(customer_id), at.isoformat(), at.isoformat()),
            )
            held = connection.execute(
                "SELECT legal_hold FROM customer_keys WHERE customer_id = ?",
                (str(customer_id),),
            ).fetchone()
        return not (held and held[0])

    def _hold_row(self, customer_id: UUID, held: bool) -> None:
        with self._transaction() as connection:
            connection.execute(
                "UPDATE customer_keys SET legal_hold = ? WHERE customer_id = ?",
                (int(held), str(customer_id)),
            )

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()
