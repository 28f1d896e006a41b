"""Workload 2: rebuild every view from a large log, against the library's runner and raw reads."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg import sql

from bench.harness import (
    BenchContext,
    Result,
    journeys_environment,
    library_environment,
    ratio,
)
from bench.shared_log import shared_log
from services.transcodings import register_domain_transcodings

LIBRARY_BASELINE_EVENTS = {"quick": 2_000, "full": 20_000}
"""The library runner writes one transaction per event, so it is timed over a prefix."""


def raw_read(url: str, schema: str, table: str) -> tuple[int, float]:
    """Every row of the events table, read with psycopg as fast as it goes."""
    query = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state"
        " FROM {}.{} ORDER BY notification_id"
    ).format(sql.Identifier(schema), sql.Identifier(table))
    rows = 0
    started = time.perf_counter()
    with psycopg.connect(url) as connection, connection.cursor("raw", binary=True) as cursor:
        cursor.itersize = 10_000
        cursor.execute(query)
        while batch := cursor.fetchmany(10_000):
            rows += len(batch)
    return rows, time.perf_counter() - started


class JourneysLog(Application[UUID]):
    """The Journeys log as a plain library application reads it."""

    name = "Journeys"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """The domain's transcodings, so events decode as the real application's do."""
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)


class EventRows(PostgresTrackingRecorder):
    """A straightforward view: one row per event, written with its tracking record."""

    def create_table(self) -> None:
        """The tracking table and the view's table."""
        super().create_table()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {}.library_event_rows ("
                    " position BIGINT PRIMARY KEY, originator_id TEXT, kind TEXT, summary TEXT)"
                ).format(sql.Identifier(self.datastore.schema))
            )

    def add_row(self, originator_id: str, kind: str, summary: str, tracking: Tracking) -> None:
        """Insert one row and the tracking record, in one transaction."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {}.library_event_rows (position, originator_id, kind, summary)"
                    " VALUES (%s, %s, %s, %s)"
                ).format(sql.Identifier(self.datastore.schema)),
                (tracking.notification_id, originator_id, kind, summary),
            )
            self._insert_tracking(cursor, tracking)


class EventRowsProjection(Projection[EventRows]):
    """Writes each event as it arrives, as the library's examples do."""

    name = "library_event_rows"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """One write per event."""
        self.view.add_row(
            str(domain_event.originator_id),
            type(domain_event).__qualname__,
            json.dumps({"version": domain_event.originator_version}),
            tracking,
        )


def library_runner(url: str, schema: str, events: int) -> float:
    """The library's ProjectionRunner over the first `events` events; returns events/s."""
    env = {
        **library_environment(url, schema),
        "LIBRARY_EVENT_ROWS_PERSISTENCE_MODULE": "eventsourcing.postgres",
    }
    for key, value in list(env.items()):
        if key.startswith("POSTGRES_"):
            env[f"LIBRARY_EVENT_ROWS_{key}"] = value
    started = time.perf_counter()
    with ProjectionRunner(
        application_class=JourneysLog,
        projection_class=EventRowsProjection,
        view_class=EventRows,
        env=env,
    ) as runner:
        runner.wait(events, timeout=3600)
        elapsed = time.perf_counter() - started
    return events / elapsed


def our_rebuild(url: str, schema: str) -> tuple[int, float, float]:
    """`journeys projections rebuild` in its own process: events, seconds, peak memory (MiB)."""
    script = (
        "import json, resource, sys, time\n"
        "from adapters.bootstrap import build\n"
        "from services.settings import Settings\n"
        "with build(Settings()) as system:\n"
        "    started = time.perf_counter()\n"
        "    read = system.projections.rebuild_all()\n"
        "    seconds = time.perf_counter() - started\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'read': read, 'seconds': seconds, 'peak_mib': peak}))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script],
        env=journeys_environment(url, schema),
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    return int(figures["read"]), float(figures["seconds"]), round(float(figures["peak_mib"]), 1)


def run(context: BenchContext) -> Iterator[Result]:
    """Rebuild events/s beside the library runner's rate and the raw read rate."""
    url = context.database_url
    log = shared_log(context)
    seeded = log.seeded
    schema, table = seeded.schema, seeded.events_table
    events = seeded.events
    rows, read_seconds = raw_read(url, schema, table)
    read, seconds, peak_mib = our_rebuild(url, schema)
    log.views_built = True
    baseline_events = min(events, LIBRARY_BASELINE_EVENTS[context.scale.name])
    library_rate = library_runner(url, schema, baseline_events)
    ours = read / seconds
    raw_rate = rows / read_seconds
    result = Result(
        workload="rebuild",
        name="every_view_from_zero",
        parameters={
            "events": events,
            "views": ["self_service", "timeline", "worklists", "decision_ledger"],
            "command": "journeys projections rebuild",
            "library_baseline_events": baseline_events,
            "log_from_cache": seeded.from_cache,
        },
        figures={"events_per_s": round(ours, 1), "seconds": round(seconds, 2)},
        baselines={
            "library_runner_events_per_s": round(library_rate, 1),
            "raw_read_rows_per_s": round(raw_rate, 1),
        },
        ratios={
            "ratio_vs_library": ratio(ours, library_rate),
            "fraction_of_raw_read": ratio(ours, raw_rate),
        },
    )
    result.aim("ratio_vs_library", ">=", 10)
    result.aim("fraction_of_raw_read", ">=", 0.2)
    context.say(
        f"   rebuild {ours:.0f} events/s; library runner {library_rate:.0f}; raw read"
        f" {raw_rate:.0f} rows/s"
    )
    yield result
    yield Result(
        workload="memory",
        name="rebuild",
        parameters={"events": events},
        figures={"peak_resident_mib": peak_mib},
    )
