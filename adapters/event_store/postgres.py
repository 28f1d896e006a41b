"""Inserting events into PostgreSQL in one round trip: lock, notify, chain, insert in one call.

Tamper evidence (services/integrity.py defines the hashes): the events table has two more
columns, ``aggregate_hash`` and ``log_hash`` (bytea), added by the recorder's create
statements. Every write path computes them in the writing transaction, under the table's
EXCLUSIVE lock, so the log chain is linear: the insert function computes them in plpgsql
(PostgreSQL's sha256) and inserts the rows with notification ids it takes from the table's
sequence first (the hash of an event includes its position); the bulk path
(``append_by_copy``, used by the annual uprating and the benchmark seeder) computes the
same hashes in Python and COPYs them with the rows. Tests prove the two agree.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import tuple_row

from adapters.postgres_connections import check_and_sweep
from services.integrity import GENESIS, ChainedLog, ChainedRow, NewEvent, chain

FUNCTION = "journeys_insert_events"


def _qualified_name(schema: str, table: str) -> str:
    """schema.table quoted as PostgreSQL's regclass input takes it."""
    return ".".join('"' + name.replace('"', '""') + '"' for name in (schema, table))


def _hash_columns(recorder: PostgresApplicationRecorder) -> sql.Composed:
    """Add the hash columns unless they exist (no ACCESS EXCLUSIVE lock when they do)."""
    return sql.SQL(
        "DO $columns$ BEGIN"
        " IF NOT EXISTS (SELECT 1 FROM information_schema.columns"
        "  WHERE table_schema = {schema_name} AND table_name = {table_name}"
        "  AND column_name = 'log_hash') THEN"
        "  ALTER TABLE {schema}.{table} ADD COLUMN IF NOT EXISTS aggregate_hash bytea,"
        "   ADD COLUMN IF NOT EXISTS log_hash bytea;"
        " END IF;"
        " END $columns$"
    ).format(
        schema_name=sql.Literal(recorder.datastore.schema),
        table_name=sql.Literal(recorder.events_table_name),
        schema=sql.Identifier(recorder.datastore.schema),
        table=sql.Identifier(recorder.events_table_name),
    )


class OneTripPostgresRecorder(PostgresApplicationRecorder):
    """The library's recorder, but an insert is one statement: a server-side function.

    The library sends BEGIN, SET lock_timeout, LOCK TABLE, NOTIFY, INSERT and COMMIT through
    psycopg's pipeline, whose bookkeeping costs more Python time than the rest of a command.
    The function does the same in one call, in the statement's own transaction: it takes
    the same EXCLUSIVE lock (so positions are committed in order and readers never skip one),
    sends the same NOTIFY, and inserts every event of the group with one INSERT.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.pre_ping:
            # The library's pool checks with psycopg_pool's plain check; ours also sweeps the
            # pool's dead connections at once (after a server restart they all are).
            datastore.pool._check = check_and_sweep
        schema = sql.Identifier(self.datastore.schema)
        function = sql.Identifier(FUNCTION)
        self.sql_create_statements.append(_hash_columns(self))
        # The hashes are those of services/integrity.py: aggregate_hash = sha256('A' ||
        # previous aggregate hash || content), log_hash = sha256('L' || previous log hash ||
        # int8(position) || aggregate_hash). Positions are taken from the sequence before the
        # INSERT because the log hash includes them; under the lock they ascend in commit order.
        # The previous version of an aggregate is in the table or earlier in this batch (a
        # command storing several events of one aggregate): the loop looks back for it.
        # Per-row work is plpgsql simple expressions (cheap); the only per-row query is the
        # primary-key lookup of a stored previous version.
        self.sql_create_statements.append(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}("
                " ids {id_type}[], versions bigint[], topics text[], states bytea[])"
                " RETURNS SETOF bigint LANGUAGE plpgsql AS $body$"
                " DECLARE"
                "  n integer := cardinality(ids);"
                "  positions bigint[] := array_fill(NULL::bigint, ARRAY[n]);"
                "  aggregate_hashes bytea[] := array_fill(NULL::bytea, ARRAY[n]);"
                "  log_hashes bytea[] := array_fill(NULL::bytea, ARRAY[n]);"
                "  sequence regclass := pg_get_serial_sequence({qualified}, 'notification_id');"
                "  head bytea;"
                "  prior bytea;"
                "  topic bytea;"
                " BEGIN"
                "  SET LOCAL lock_timeout = {lock_timeout};"
                "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;"
                "  NOTIFY {channel};"
                "  SELECT t.log_hash INTO head FROM {schema}.{table} t"
                "   ORDER BY t.notification_id DESC LIMIT 1;"
                "  head := coalesce(head, {genesis});"
                "  FOR i IN 1..n LOOP"
                "   positions[i] := nextval(sequence);"
                "   prior := NULL;"
                "   IF versions[i] > 1 AND i > 1 AND ids[i - 1] = ids[i]"
                "    AND versions[i - 1] = versions[i] - 1 THEN"
                "    prior := aggregate_hashes[i - 1];"
                "   ELSIF versions[i] > 1 THEN"
                "    SELECT t.aggregate_hash INTO prior FROM {schema}.{table} t"
                "     WHERE t.originator_id = ids[i] AND t.originator_version = versions[i] - 1;"
                "    IF prior IS NULL THEN"
                "     FOR j IN REVERSE i - 1..1 LOOP"
                "      IF ids[j] = ids[i] AND versions[j] = versions[i] - 1 THEN"
                "       prior := aggregate_hashes[j];"
                "       EXIT;"
                "      END IF;"
                "     END LOOP;"
                "    END IF;"
                "   END IF;"
                "   topic := convert_to(topics[i], 'UTF8');"
                "   aggregate_hashes[i] := sha256('\\x41'::bytea || coalesce(prior, {genesis})"
                "    || uuid_send(ids[i]) || int8send(versions[i])"
                "    || int8send(octet_length(topic)::bigint) || topic"
                "    || int8send(octet_length(states[i])::bigint) || states[i]);"
                "   head := sha256('\\x4c'::bytea || head || int8send(positions[i])"
                "    || aggregate_hashes[i]);"
                "   log_hashes[i] := head;"
                "  END LOOP;"
                "  RETURN QUERY INSERT INTO {schema}.{table} (notification_id, originator_id,"
                "   originator_version, topic, state, aggregate_hash, log_hash)"
                "   SELECT * FROM unnest(positions, ids, versions, topics, states,"
                "   aggregate_hashes, log_hashes) RETURNING notification_id;"
                " END $body$"
            ).format(
                schema=schema,
                function=function,
                id_type=sql.Identifier(self.datastore.originator_id_type),
                lock_timeout=sql.Literal(f"{self.datastore.lock_timeout}s"),
                table=sql.Identifier(self.events_table_name),
                channel=sql.Identifier(self.channel_name),
                genesis=sql.Literal(GENESIS),
                qualified=sql.Literal(
                    _qualified_name(self.datastore.schema, self.events_table_name)
                ),
            )
        )
        self._insert_statement = sql.SQL(
            "SELECT * FROM {schema}.{function}(%b, %b, %b, %b)"
        ).format(schema=schema, function=function)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert events in one round trip; returns their notification ids in order."""
        # Never retried here (the library's insert is): a connection lost after the COMMIT was
        # sent may have stored the events, so the command answers a retryable error and the
        # caller reads the record before trying again.
        if kwargs.get("tracking") is not None:
            # Whatever a subclass records with the events (_insert_events: a process
            # recorder's tracking row) goes in the same transaction; the events still go
            # through the function, so they are chained like every other event.
            with self.datastore.transaction(commit=True) as cursor:
                self._insert_events(cursor, stored_events, **kwargs)
                return self._call_insert(cursor, stored_events) if stored_events else []
        if not stored_events:
            return []
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            return self._call_insert(cursor, stored_events)

    def _call_insert(
        self, cursor: Cursor[Any], stored_events: Sequence[StoredEvent]
    ) -> Sequence[int]:
        cursor.execute(
            self._insert_statement,
            (
                [event.originator_id for event in stored_events],
                [event.originator_version for event in stored_events],
                [event.topic for event in stored_events],
                [event.state for event in stored_events],
            ),
            prepare=True,
        )
        return [int(row[FUNCTION]) for row in cursor.fetchall()]


def _stored_previous(
    cursor: Cursor[Any], events_table: sql.Composable, events: Sequence[NewEvent]
) -> dict[tuple[UUID, int], bytes]:
    """The stored aggregate hash of each event's previous version, in one query.

    The keys go as two packed byte strings and the hashes come back as one (32 bytes per
    event, zeros where there is none): for a bulk write, arrays of thousands of uuids cost
    more to encode and decode than the join costs the server.
    """
    wanted = [event for event in events if event.originator_version > 1]
    if not wanted:
        return {}
    cursor.execute(
        sql.SQL(
            "SELECT string_agg(coalesce(p.aggregate_hash, %(genesis)s), ''::bytea ORDER BY k.g)"
            " FROM (SELECT g,"
            "  encode(substring(%(ids)s FROM g * 16 + 1 FOR 16), 'hex')::uuid AS id,"
            "  ('x' || encode(substring(%(versions)s FROM g * 8 + 1 FOR 8), 'hex'))"
            "  ::bit(64)::bigint AS version"
            "  FROM generate_series(0, %(n)s - 1) AS g) AS k"
            # LATERAL ... LIMIT 1 (not flattened into a hash join): one primary-key probe per
            # key, never a scan of the whole log.
            " LEFT JOIN LATERAL (SELECT t.aggregate_hash FROM {} t"
            "  WHERE t.originator_id = k.id AND t.originator_version = k.version LIMIT 1) AS p"
            " ON true"
        ).format(events_table),
        {
            "genesis": GENESIS,
            "n": len(wanted),
            "ids": b"".join(event.originator_id.bytes for event in wanted),
            "versions": struct.pack(
                f">{len(wanted)}q", *(event.originator_version - 1 for event in wanted)
            ),
        },
        binary=True,
    )
    found = cursor.fetchone()
    hashes = bytes(found[0]) if found and found[0] is not None else b""
    return {
        (event.originator_id, event.originator_version - 1): hashes[32 * i : 32 * i + 32]
        for i, event in enumerate(wanted)
        if hashes[32 * i : 32 * i + 32] != GENESIS
    }


def append_by_copy(
    recorder: PostgresApplicationRecorder, rows: Sequence[tuple[UUID | str, int, str, bytes]]
) -> int:
    """COPY events into the log, chained, in one transaction; returns the last position.

    What the insert function does, for batches too big for one array parameter: the same
    table lock (positions commit in order, and the log chain stays linear), the same NOTIFY,
    and the same hashes, computed here from the log's head and the stored previous versions.
    A clash on (originator_id, originator_version) fails the whole COPY.
    """
    if not rows:
        return recorder.max_notification_id() or 0
    schema, table = recorder.datastore.schema, recorder.events_table_name
    events_table = sql.Identifier(schema, table)
    with (
        recorder.datastore.get_connection() as connection,
        connection.transaction(),
        connection.cursor(row_factory=tuple_row) as cursor,
    ):
        for statement in recorder.lock_table_statements:
            cursor.execute(statement)
        cursor.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(recorder.channel_name)))
        cursor.execute(
            sql.SQL("SELECT log_hash FROM {} ORDER BY notification_id DESC LIMIT 1").format(
                events_table
            )
        )
        found = cursor.fetchone()
        head: bytes | None = bytes(found[0]) if found and found[0] is not None else None
        # Reserve the positions as one range: under the table lock no other writer takes
        # any (each takes the lock before nextval), and were one to, the unique index on
        # notification_id would refuse this COPY whole.
        cursor.execute(
            "SELECT setval(s, nextval(s) + %s - 1)"
            " FROM CAST(pg_get_serial_sequence(%s, 'notification_id') AS regclass) AS s",
            (len(rows), _qualified_name(schema, table)),
        )
        reserved = cursor.fetchone()
        assert reserved is not None  # a one-row SELECT
        positions = range(int(reserved[0]) - len(rows) + 1, int(reserved[0]) + 1)
        events = [
            NewEvent(row[0] if isinstance(row[0], UUID) else UUID(row[0]), *row[1:]) for row in rows
        ]
        stored = _stored_previous(cursor, events_table, events)
        hashes = chain(events, positions, head, lambda id_, version: stored.get((id_, version)))
        copy_rows = sql.SQL(
            "COPY {} (notification_id, originator_id, originator_version, topic, state,"
            " aggregate_hash, log_hash) FROM STDIN (FORMAT BINARY)"
        ).format(events_table)
        with cursor.copy(copy_rows) as copy:
            copy.set_types(["int8", "uuid", "int8", "text", "bytea", "bytea", "bytea"])
            write_row = copy.write_row
            for position, event, hashed in zip(positions, events, hashes, strict=True):
                write_row(
                    (
                        position,
                        event.originator_id,
                        event.originator_version,
                        event.topic,
                        event.state,
                        hashed.aggregate_hash,
                        hashed.log_hash,
                    )
                )
    return positions[-1]


class PostgresChainedLog(ChainedLog):
    """The events table with its hashes, each row with its aggregate's previous version."""

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        # The page first, then one primary-key probe per row for its previous version
        # (LATERAL ... LIMIT 1, which the planner does not turn into a hash join over the
        # whole table), so a page costs the same however long the log is.
        self._rows = sql.SQL(
            "SELECT t.notification_id, t.originator_id, t.originator_version, t.topic, t.state,"
            " t.aggregate_hash, t.log_hash, p.notification_id, p.aggregate_hash"
            " FROM (SELECT * FROM {table} WHERE notification_id > %s"
            "  ORDER BY notification_id LIMIT %s) AS t"
            " LEFT JOIN LATERAL (SELECT q.notification_id, q.aggregate_hash FROM {table} q"
            "  WHERE q.originator_id = t.originator_id"
            "  AND q.originator_version = t.originator_version - 1 LIMIT 1) AS p ON true"
            " ORDER BY t.notification_id"
        ).format(table=table)
        self._last = sql.SQL("SELECT max(notification_id) FROM {}").format(table)

    def rows(self, after: int, limit: int) -> Sequence[ChainedRow]:
        """Up to `limit` stored events after a position, in log order."""
        with (
            self._datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(self._rows, (after, limit))
            return [
                ChainedRow(
                    position=int(row[0]),
                    originator_id=UUID(str(row[1])),
                    originator_version=int(row[2]),
                    topic=row[3],
                    state=bytes(row[4]),
                    aggregate_hash=None if row[5] is None else bytes(row[5]),
                    log_hash=None if row[6] is None else bytes(row[6]),
                    previous_position=None if row[7] is None else int(row[7]),
                    previous_aggregate_hash=None if row[8] is None else bytes(row[8]),
                )
                for row in cursor.fetchall()
            ]

    def last_position(self) -> int:
        """The newest event's position (0 when the log is empty)."""
        with (
            self._datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(self._last)
            found = cursor.fetchone()
        return int(found[0]) if found and found[0] is not None else 0
