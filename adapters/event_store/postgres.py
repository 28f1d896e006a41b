"""Inserting events into PostgreSQL in one round trip: lock, notify and insert in one function."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import sql
from psycopg.errors import InterfaceError, OperationalError

FUNCTION = "journeys_insert_events"


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
        schema = sql.Identifier(self.datastore.schema)
        function = sql.Identifier(FUNCTION)
        self.sql_create_statements.append(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}("
                " ids {id_type}[], versions bigint[], topics text[], states bytea[])"
                " RETURNS SETOF bigint LANGUAGE plpgsql AS $body$"
                " BEGIN"
                "  SET LOCAL lock_timeout = {lock_timeout};"
                "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;"
                "  NOTIFY {channel};"
                "  RETURN QUERY INSERT INTO {schema}.{table}"
                "   (originator_id, originator_version, topic, state)"
                "   SELECT * FROM unnest(ids, versions, topics, states)"
                "   RETURNING notification_id;"
                " END $body$"
            ).format(
                schema=schema,
                function=function,
                id_type=sql.Identifier(self.datastore.originator_id_type),
                lock_timeout=sql.Literal(f"{self.datastore.lock_timeout}s"),
                table=sql.Identifier(self.events_table_name),
                channel=sql.Identifier(self.channel_name),
            )
        )
        self._insert_statement = sql.SQL(
            "SELECT * FROM {schema}.{function}(%b, %b, %b, %b)"
        ).format(schema=schema, function=function)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert events in one round trip; returns their notification ids in order."""
        if kwargs.get("tracking") is not None:
            inserted: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return inserted
        if not stored_events:
            return []
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
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
