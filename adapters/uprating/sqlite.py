"""The award index in an embedded SQLite file (beside the embedded event store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from uuid import UUID

from adapters.uprating.rows import COLUMNS, from_row, to_row
from services.uprating import AwardIndexStore, AwardRecord, IndexMoved

_CREATE = (
    "CREATE TABLE IF NOT EXISTS uprating_awards ("
    " claim_id TEXT PRIMARY KEY, version INTEGER NOT NULL, entitled INTEGER,"
    " daily_living TEXT, mobility TEXT, starts_on TEXT, ends_on TEXT,"
    " award_version INTEGER, uprated_on TEXT)",
    "CREATE TABLE IF NOT EXISTS uprating_position (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " position INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO uprating_position (id, position) VALUES (1, 0)",
)
_UPSERT = (
    f"INSERT INTO uprating_awards ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    " ON CONFLICT (claim_id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in COLUMNS[1:])
)


def _text(value: object) -> object:
    return (
        value.isoformat()
        if isinstance(value, date)
        else str(value)
        if isinstance(value, UUID)
        else value
    )


class SQLiteAwardIndex(AwardIndexStore):
    """One connection per call; BEGIN IMMEDIATE so that two followers cannot both move it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._transaction() as cursor:
            for statement in _CREATE:
                cursor.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                connection.rollback()
                raise
            connection.commit()
        finally:
            connection.close()

    def position(self) -> int:
        """The last log position folded into the index."""
        with self._transaction() as cursor:
            (position,) = cursor.execute("SELECT position FROM uprating_position").fetchone()
        return int(position)

    def records(self, claim_ids: Collection[UUID]) -> dict[UUID, AwardRecord]:
        """The records of those claims the index holds."""
        found: dict[UUID, AwardRecord] = {}
        ids = [str(claim_id) for claim_id in claim_ids]
        with self._transaction() as cursor:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                rows = cursor.execute(
                    f"SELECT {', '.join(COLUMNS)} FROM uprating_awards"
                    f" WHERE claim_id IN ({', '.join('?' * len(part))})",
                    part,
                ).fetchall()
                for row in rows:
                    record = from_row(row)
                    found[record.claim_id] = record
        return found

    def save(self, records: Sequence[AwardRecord], *, after: int, position: int) -> None:
        """Upsert the records and move the position, if nobody moved it first."""
        with self._transaction() as cursor:
            (current,) = cursor.execute("SELECT position FROM uprating_position").fetchone()
            if current != after:
                raise IndexMoved(f"the award index is at {current}, not {after}")
            cursor.executemany(
                _UPSERT, [tuple(_text(value) for value in to_row(r)) for r in records]
            )
            cursor.execute("UPDATE uprating_position SET position = ?", (position,))

    def in_payment(self, on: date) -> list[AwardRecord]:
        """Entitled awards running on the date and not yet uprated for it, by claim id."""
        day = on.isoformat()
        with self._transaction() as cursor:
            rows = cursor.execute(
                f"SELECT {', '.join(COLUMNS)} FROM uprating_awards WHERE entitled = 1"
                " AND (starts_on IS NULL OR starts_on <= ?) AND (ends_on IS NULL OR ends_on >= ?)"
                " AND (uprated_on IS NULL OR uprated_on < ?) ORDER BY claim_id",
                (day, day, day),
            ).fetchall()
        return [from_row(row) for row in rows]

    def close(self) -> None:
        """Nothing is held open between calls."""
