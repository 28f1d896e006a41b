"""Checks shared by the reliability tests: stored histories; a command retried until it works."""

from __future__ import annotations

import time
from datetime import date
from uuid import UUID

import psycopg
from psycopg import sql

from adapters.bootstrap import Journeys
from tests.integration.helpers import new_nino

RECONNECT_DEADLINE_SECONDS = 15.0


def gapped_histories(database_url: str, schema: str) -> list[tuple[object, ...]]:
    """Aggregates whose stored versions do not run 1, 2, ... n without a hole."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(
            sql.SQL(
                "SELECT originator_id FROM {}.journeys_events GROUP BY originator_id"
                " HAVING min(originator_version) <> 1"
                " OR max(originator_version) <> count(*)"
            ).format(sql.Identifier(schema))
        ).fetchall()


def register_until_it_works(journeys: Journeys) -> tuple[UUID, float, list[str]]:
    """Register a customer, retrying failures; the id, the seconds it took and the errors seen."""
    started = time.monotonic()
    errors: list[str] = []
    while True:
        try:
            recorded = journeys.application.register_customer(
                nino=new_nino(), name="After", date_of_birth=date(1980, 1, 1)
            )
            return recorded.id, time.monotonic() - started, errors
        except Exception as error:  # any failure here is what we measure
            errors.append(f"{type(error).__module__}.{type(error).__name__}: {error}")
            if time.monotonic() - started > RECONNECT_DEADLINE_SECONDS:
                raise
            time.sleep(0.1)
