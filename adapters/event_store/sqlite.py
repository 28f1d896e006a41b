"""The embedded event store (SQLite), with every event hash-chained as in PostgreSQL.

The library's SQLite recorder, plus the two hash columns of services/integrity.py
(``aggregate_hash``, ``log_hash``). An insert stores the rows, then (holding SQLite's write
lock from the first INSERT, in the same transaction) reads the log's previous head and the
events' stored previous versions, computes the hashes in Python and writes them: the
notification id (SQLite's rowid) is part of the log hash and is known only after the INSERT.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from services.integrity import ChainedLog, ChainedRow, NewEvent, chain


def _stored_id(originator_id: UUID | str) -> str:
    """The originator id as the library stores it in SQLite (hex without dashes)."""
    return originator_id.hex if isinstance(originator_id, UUID) else UUID(originator_id).hex


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite application recorder; every insert also chains the events."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        table = self.events_table_name
        # Named columns: the table has two more than the library's positional insert fills.
        self.insert_events_statement = (
            f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
            " VALUES (?,?,?,?)"
        )
        self._head = f"SELECT log_hash FROM {table} WHERE rowid < ? ORDER BY rowid DESC LIMIT 1"
        self._previous = (
            f"SELECT aggregate_hash FROM {table} WHERE originator_id = ? AND originator_version = ?"
        )
        self._set_hashes = f"UPDATE {table} SET aggregate_hash = ?, log_hash = ? WHERE rowid = ?"

    def _create_table(self, c: SQLiteCursor) -> None:
        super()._create_table(c)
        c.execute(f"PRAGMA table_info({self.events_table_name})")
        columns = {row["name"] for row in c.fetchall()}
        for column in ("aggregate_hash", "log_hash"):
            if column not in columns:
                c.execute(f"ALTER TABLE {self.events_table_name} ADD COLUMN {column} BLOB")

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if not positions:
            return positions
        c.execute(self._head, (positions[0],))
        found = c.fetchone()
        head = None if found is None or found[0] is None else bytes(found[0])

        def stored_previous(originator_id: UUID, version: int) -> bytes | None:
            c.execute(self._previous, (originator_id.hex, version))
            row = c.fetchone()
            return None if row is None or row[0] is None else bytes(row[0])

        events = [
            NewEvent(
                UUID(_stored_id(event.originator_id)),
                event.originator_version,
                event.topic,
                event.state,
            )
            for event in stored_events
        ]
        hashes = chain(events, positions, head, stored_previous)
        c.executemany(
            self._set_hashes,
            [
                (hashed.aggregate_hash, hashed.log_hash, position)
                for hashed, position in zip(hashes, positions, strict=True)
            ],
        )
        return positions


def _blob(value: object) -> bytes:
    """A BLOB column's bytes; SQLite lets a tamperer store TEXT there (state || x'20' is TEXT)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)  # type: ignore[call-overload]


class SQLiteChainedLog(ChainedLog):
    """The embedded events table with its hashes, each row with its previous version."""

    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        table = recorder.events_table_name
        self._rows = (
            "SELECT t.rowid, t.originator_id, t.originator_version, t.topic, t.state,"
            " t.aggregate_hash, t.log_hash, p.rowid, p.aggregate_hash"
            f" FROM {table} t LEFT JOIN {table} p ON p.originator_id = t.originator_id"
            " AND p.originator_version = t.originator_version - 1"
            " WHERE t.rowid > ? ORDER BY t.rowid LIMIT ?"
        )
        self._last = f"SELECT max(rowid) FROM {table}"

    def rows(self, after: int, limit: int) -> Sequence[ChainedRow]:
        """Up to `limit` stored events after a position, in log order."""
        with self._datastore.transaction(commit=False) as c:
            c.execute(self._rows, (after, limit))
            return [
                ChainedRow(
                    position=int(row[0]),
                    originator_id=UUID(str(row[1])),
                    originator_version=int(row[2]),
                    topic=_blob(row[3]).decode("utf-8", "replace"),
                    state=_blob(row[4]),
                    aggregate_hash=None if row[5] is None else _blob(row[5]),
                    log_hash=None if row[6] is None else _blob(row[6]),
                    previous_position=None if row[7] is None else int(row[7]),
                    previous_aggregate_hash=None if row[8] is None else _blob(row[8]),
                )
                for row in c.fetchall()
            ]

    def last_position(self) -> int:
        """The newest event's position (0 when the log is empty)."""
        with self._datastore.transaction(commit=False) as c:
            c.execute(self._last)
            found = c.fetchone()
        return int(found[0]) if found is not None and found[0] is not None else 0
