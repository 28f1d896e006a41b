"""Workload 5, bulk: the annual uprating of every PIP award, against a plain PostgreSQL COPY.

A scratch schema is seeded with `scale.uprated_awards` customers, each with a PIP claim
awarded through the real aggregates (register, claim, PIP2, assessment, decision: seven
events each), written in batches. The award index is brought up to date (as it would be by
following the log), then `journeys uprate` runs for 6 April 2026 and is timed end to end:
finding the awards, building one AwardUprated per claim, writing them into the log.

The baseline, in the same run: COPY the same number of rows of the same shape (the very
rows the uprating stored) into a scratch copy of the events table, with the same rows and
indexes, in one transaction; and, for reference, into an empty table of the same shape.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg import sql

from adapters.bootstrap import Journeys, build
from bench.harness import BenchContext, Result, ratio, scratch_schema
from domain.aggregate import recording_at
from domain.claim import Claim
from domain.customer import Customer
from domain.periods import add_calendar_months
from domain.rules.pip_assessment import (
    DAILY_LIVING_ACTIVITIES,
    MOBILITY_ACTIVITIES,
    AssessmentPoints,
)
from domain.values import Actor, BenefitType, ClaimantRole, ClaimChannel, ContactPreferences
from services.clock import SimulatedClock
from services.journeys import JourneysApplication
from services.settings import Settings

Row = tuple[Any, ...]

UPRATING_DATE = date(2026, 4, 6)
SEED_JOURNEYS_PER_TASK = 2_500
RANDOM_SEED = 5
ASSESSOR = Actor.caseworker("HP-BENCH")
EVENTS_TABLE = "journeys_events"


def _points(total: int, activities: Sequence[str]) -> dict[str, int]:
    points = dict.fromkeys(activities, 0)
    remaining = total
    for activity in activities:
        points[activity] = min(12, remaining)
        remaining -= points[activity]
    return points


def awarded_pip_journey(serial: int, rng: random.Random) -> tuple[Customer, Claim]:
    """A customer and their PIP claim awarded through the real commands (7 events)."""
    claimed = date(2025, 5, 1) + timedelta(days=rng.randrange(240))
    with recording_at(datetime(claimed.year, claimed.month, claimed.day, 9, tzinfo=UTC)):
        customer = Customer.register(
            nino=f"AB{serial:06d}C",
            name="Bench Customer",
            date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(15_000)),
            contact_preferences=ContactPreferences(),
            today=claimed,
        )
        claim = Claim.start(
            customer=customer.ref(),
            benefit=BenefitType.PIP,
            channel=ClaimChannel.PHONE,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=claimed,
            date_of_birth=customer.known_date_of_birth(),
        )
        customer.open_claim(claim.id, BenefitType.PIP, claimed)
        claim.issue_questionnaire(claimed)
        claim.return_questionnaire(claimed + timedelta(days=10))
        # At least one component is awarded, so every claim has an award in payment.
        daily_living, mobility = rng.randrange(8, 30), rng.randrange(0, 24)
        assessed = claimed + timedelta(days=20)
        claim.record_assessment(
            assessed,
            AssessmentPoints(
                daily_living=_points(daily_living, DAILY_LIVING_ACTIVITIES),
                mobility=_points(mobility, MOBILITY_ACTIVITIES),
            ),
            ASSESSOR,
        )
        claim.decide_pip_award(
            decided_on=assessed + timedelta(days=5),
            starts_on=claimed,
            ends_on=add_calendar_months(claimed, rng.choice((24, 36, 60))),
        )
    return customer, claim


def _stored_journeys(first: int, count: int) -> list[Row]:
    """Build `count` journeys from serial `first` and encode them (runs in a worker process)."""
    rng = random.Random(RANDOM_SEED * 1_000_003 + first)
    mapper = _worker_mapper()
    rows: list[Row] = []
    for serial in range(first, first + count):
        for aggregate in awarded_pip_journey(serial, rng):
            for event in aggregate.collect_events():
                stored = mapper.to_stored_event(event)
                rows.append(
                    (stored.originator_id, stored.originator_version, stored.topic, stored.state)
                )
    return rows


_MAPPERS: list[Mapper[UUID]] = []


def _worker_mapper() -> Mapper[UUID]:
    # The application's own mapper (same transcodings), on the in-memory store: a worker
    # process needs no connection to encode events.
    if not _MAPPERS:
        application = JourneysApplication(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=SimulatedClock.on(UPRATING_DATE)
        )
        _MAPPERS.append(application.mapper)
    return _MAPPERS[0]


def seed_awards(system: Journeys, awards: int, context: BenchContext) -> int:
    """Write `awards` awarded PIP journeys into the log in big batches; returns events.

    Building and encoding the aggregates is CPU work, so worker processes do it while this
    one writes what they have finished.
    """
    mapper = system.application.mapper
    if mapper.compressor is not None or mapper.cipher is not None:
        raise RuntimeError("the seeder encodes like a plain mapper; this store compresses")
    writer = system.uprating.writer
    starts = range(0, awards, SEED_JOURNEYS_PER_TASK)
    counts = [min(SEED_JOURNEYS_PER_TASK, awards - start) for start in starts]
    written = 0
    with ProcessPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        for done, rows in enumerate(pool.map(_stored_journeys, starts, counts), start=1):
            writer.append([StoredEvent(*row) for row in rows])
            written += len(rows)
            if done % 10 == 0:
                context.say(f"   seeded {min(done * SEED_JOURNEYS_PER_TASK, awards)} awards")
    return written


def copy_rows(url: str, table: sql.Identifier, rows: Sequence[Row]) -> float:
    """Seconds to COPY the rows into a table in one transaction (binary, as the uprating does)."""
    statement = sql.SQL(
        "COPY {} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
    ).format(table)
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for row in rows:
                copy.write_row(row)
        connection.commit()
        return time.perf_counter() - started


def events_table_ddl(table: sql.Identifier, index: sql.Identifier) -> list[sql.Composed]:
    """The library's own events table: primary key and the notification id index."""
    return [
        sql.SQL(
            "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
            " topic text, state bytea, notification_id bigserial,"
            " PRIMARY KEY (originator_id, originator_version))"
        ).format(table),
        sql.SQL("CREATE UNIQUE INDEX {} ON {} (notification_id ASC)").format(index, table),
    ]


def run(context: BenchContext) -> Iterator[Result]:
    """Seed, uprate, then COPY the same rows; report events/s against COPY rows/s."""
    awards = context.scale.uprated_awards
    url = context.database_url
    with scratch_schema(url, "bulk") as schema:
        settings = Settings(database_url=url, postgres_schema=schema)
        clock = SimulatedClock.on(date(2026, 3, 2))
        with build(settings, clock=clock) as system:
            context.say(f"   seeding {awards} awarded PIP claims")
            started = time.perf_counter()
            seeded = seed_awards(system, awards, context)
            seed_seconds = time.perf_counter() - started
            started = time.perf_counter()
            indexed = system.uprating.follow_log()
            index_seconds = time.perf_counter() - started
            context.say(
                f"   seeded {seeded} events in {seed_seconds:.1f} s;"
                f" index followed {indexed} in {index_seconds:.1f} s"
            )
            before = system.application.recorder.max_notification_id() or 0
            started = time.perf_counter()
            report = system.uprating.uprate_all(UPRATING_DATE)
            uprating_seconds = time.perf_counter() - started
            if report.uprated != awards or report.conflicts:
                raise RuntimeError(f"expected {awards} upratings and no clashes: {report}")
            rows = [
                (n.originator_id, n.originator_version, n.topic, n.state)
                for n in system.application.recorder.select_notifications(
                    start=before + 1, limit=awards + 1
                )
            ]
            if len(rows) != awards:
                raise RuntimeError(f"expected {awards} new rows in the log, found {len(rows)}")
            context.say(f"   uprated {awards} awards in {uprating_seconds:.2f} s")

        with psycopg.connect(url, autocommit=True) as connection:
            events = sql.Identifier(schema, EVENTS_TABLE)
            for name in ("copy_full", "copy_empty"):
                for statement in events_table_ddl(
                    sql.Identifier(schema, name), sql.Identifier(f"{name}_notification_id_idx")
                ):
                    connection.execute(statement)
            # The scratch copy holds what the events table held before the uprating.
            connection.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state)"
                    " SELECT originator_id, originator_version, topic, state FROM {}"
                    " WHERE notification_id <= %s ORDER BY notification_id"
                ).format(sql.Identifier(schema, "copy_full"), events),
                (before,),
            )
            connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(schema, "copy_full")))
            connection.execute("CHECKPOINT")
        copy_seconds = copy_rows(url, sql.Identifier(schema, "copy_full"), rows)
        empty_seconds = copy_rows(url, sql.Identifier(schema, "copy_empty"), rows)

    events_per_second = awards / uprating_seconds
    copy_rate = awards / copy_seconds
    result = Result(
        workload="bulk",
        name="annual_uprating",
        parameters={
            "awards": awards,
            "uprating_date": UPRATING_DATE.isoformat(),
            "log_events_before": before,
            "chunk_size": system.uprating.chunk_size,
            "state_bytes_per_event": round(sum(len(row[3]) for row in rows) / len(rows)),
        },
        figures={
            "events_per_second": round(events_per_second),
            "uprating_seconds": round(uprating_seconds, 3),
            "seed_events_per_second": round(seeded / seed_seconds),
            "index_follow_events_per_second": round(indexed / index_seconds),
        },
        baselines={
            "copy_rows_per_second": round(copy_rate),
            "copy_seconds": round(copy_seconds, 3),
            "copy_empty_table_rows_per_second": round(awards / empty_seconds),
        },
        ratios={
            "ratio_vs_copy": ratio(events_per_second, copy_rate),
            "ratio_vs_copy_empty_table": ratio(events_per_second, awards / empty_seconds),
        },
    )
    result.aim("ratio_vs_copy", ">=", 0.3)
    yield result
