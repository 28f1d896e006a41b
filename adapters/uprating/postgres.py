"""The uprating's PostgreSQL side: the award index beside the events, and COPY into the log."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql
from psycopg.rows import tuple_row

from adapters.event_store.postgres import append_by_copy
from adapters.uprating.rows import COLUMNS, from_row, to_row
from services.uprating import AwardIndexStore, AwardRecord, BulkEventWriter, IndexMoved


class PostgresCopyWriter(BulkEventWriter):
    """COPY into the events table under the recorder's own table lock, then NOTIFY as it does.

    The EXCLUSIVE lock is what the library's recorder takes for every insert: it makes log
    positions commit in order, so a follower never passes a gap that fills in later. The
    primary key (originator_id, originator_version) fails the whole COPY on any clash.
    The rows are hash-chained as the recorder's own inserts are (append_by_copy).
    """

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._recorder = recorder
        self._datastore = recorder.datastore
        table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        self._versions = sql.SQL(
            "SELECT originator_id, max(originator_version) FROM {}"
            " WHERE originator_id = ANY(%s) GROUP BY originator_id"
        ).format(table)

    def append(self, stored_events: Sequence[StoredEvent]) -> int:
        """One transaction: lock, notify, chain and COPY every row; the last position."""
        return append_by_copy(
            self._recorder,
            [
                (event.originator_id, event.originator_version, event.topic, event.state)
                for event in stored_events
            ],
        )

    def current_versions(self, aggregate_ids: Collection[UUID]) -> dict[UUID, int]:
        """One query for the lot."""
        with (
            self._datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(self._versions, (list(aggregate_ids),))
            return {UUID(str(row[0])): int(row[1]) for row in cursor.fetchall()}


class PostgresAwardIndex(AwardIndexStore):
    """The index in two tables of the event store's schema, using the recorder's pool."""

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        schema = recorder.datastore.schema
        self._table = sql.Identifier(schema, "uprating_awards")
        self._position = sql.Identifier(schema, "uprating_position")
        columns = sql.SQL(", ").join(sql.Identifier(column) for column in COLUMNS)
        self._select = sql.SQL("SELECT {} FROM {}").format(columns, self._table)
        self._copy = sql.SQL("COPY uprating_incoming ({}) FROM STDIN (FORMAT BINARY)").format(
            columns
        )
        self._merge = sql.SQL(
            "INSERT INTO {} ({}) SELECT {} FROM uprating_incoming"
            " ON CONFLICT (claim_id) DO UPDATE SET {}"
        ).format(
            self._table,
            columns,
            columns,
            sql.SQL(", ").join(
                sql.SQL("{0} = excluded.{0}").format(sql.Identifier(column))
                for column in COLUMNS[1:]
            ),
        )
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (claim_id uuid PRIMARY KEY,"
                    " version bigint NOT NULL, entitled boolean, daily_living text,"
                    " mobility text, starts_on date, ends_on date, award_version bigint,"
                    " uprated_on date)"
                ).format(self._table)
            )
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (id int PRIMARY KEY CHECK (id = 1),"
                    " position bigint NOT NULL)"
                ).format(self._position)
            )
            cursor.execute(
                sql.SQL("INSERT INTO {} VALUES (1, 0) ON CONFLICT DO NOTHING").format(
                    self._position
                )
            )

    def position(self) -> int:
        """The last log position folded into the index."""
        with self._datastore.get_connection() as connection:
            cursor = connection.cursor(row_factory=tuple_row)
            row = cursor.execute(sql.SQL("SELECT position FROM {}").format(self._position))
            found = row.fetchone()
        return int(found[0]) if found else 0

    def records(self, claim_ids: Collection[UUID]) -> dict[UUID, AwardRecord]:
        """The records of those claims the index holds (one query)."""
        if not claim_ids:
            return {}
        with self._datastore.get_connection() as connection:
            cursor = connection.cursor(row_factory=tuple_row)
            cursor.execute(self._select + sql.SQL(" WHERE claim_id = ANY(%s)"), (list(claim_ids),))
            return {record.claim_id: record for record in map(from_row, cursor.fetchall())}

    def save(self, records: Sequence[AwardRecord], *, after: int, position: int) -> None:
        """COPY the records into a scratch table, merge them, move the position: one transaction."""
        with self._datastore.transaction(commit=True) as dict_cursor:
            cursor = dict_cursor.connection.cursor(row_factory=tuple_row)
            cursor.execute(sql.SQL("SELECT position FROM {} FOR UPDATE").format(self._position))
            found = cursor.fetchone()
            if found is None or found[0] != after:
                raise IndexMoved(f"the award index is at {found and found[0]}, not {after}")
            if records:
                cursor.execute(
                    sql.SQL(
                        "CREATE TEMPORARY TABLE uprating_incoming (LIKE {}) ON COMMIT DROP"
                    ).format(self._table)
                )
                with cursor.copy(self._copy) as copy:
                    copy.set_types(
                        ["uuid", "int8", "bool", "text", "text", "date", "date", "int8", "date"]
                    )
                    for record in records:
                        copy.write_row(to_row(record))
                cursor.execute(self._merge)
            cursor.execute(
                sql.SQL("UPDATE {} SET position = %s").format(self._position), (position,)
            )

    def in_payment(self, on: date) -> list[AwardRecord]:
        """Entitled awards running on the date and not yet uprated for it, by claim id."""
        query = self._select + sql.SQL(
            " WHERE entitled AND (starts_on IS NULL OR starts_on <= %(on)s)"
            " AND (ends_on IS NULL OR ends_on >= %(on)s)"
            " AND (uprated_on IS NULL OR uprated_on < %(on)s) ORDER BY claim_id"
        )
        params: dict[str, Any] = {"on": on}
        with self._datastore.get_connection() as connection:
            cursor = connection.cursor(row_factory=tuple_row, binary=True)
            cursor.execute(query, params)
            return [from_row(row) for row in cursor.fetchall()]

    def close(self) -> None:
        """The recorder's pool is closed with the application."""
