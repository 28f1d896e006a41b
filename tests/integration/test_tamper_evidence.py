"""Tamper evidence: rows changed, deleted, inserted or reordered in the store are found.

The log is written through the real application; the tampering is direct SQL, as someone
with access to the database would do it.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import sql
from typer.testing import CliRunner

from adapters.bootstrap import Journeys, build
from adapters.cli.main import app as cli
from adapters.event_store.integrity import chained_log
from domain.values import BenefitType
from services.clock import SimulatedClock
from services.integrity import (
    GENESIS,
    Anchor,
    BreakKind,
    IntegrityReport,
    NewEvent,
    aggregate_hash,
    chain,
    log_hash,
    verify_log,
)
from services.settings import Settings
from tests.conftest import postgres_settings_for
from tests.integration.helpers import (
    assess,
    pip_claim_awaiting_assessment,
    register,
    start_claim,
)

APRIL_2026 = date(2026, 4, 6)


# -- building a log ---------------------------------------------------------------------------


def awarded_claim(journeys: Journeys) -> UUID:
    """A PIP claim awarded today, for two years."""
    claim_id = pip_claim_awaiting_assessment(journeys, register(journeys))
    assess(journeys, claim_id, 9, 12)
    today = journeys.clock.today()
    journeys.application.decide_pip_award(
        claim_id, decided_on=today, starts_on=today, ends_on=today + timedelta(days=730)
    )
    return claim_id


def populate(journeys: Journeys) -> None:
    """Customers with claims in several states: aggregates with many versions, interleaved."""
    for _ in range(3):
        awarded_claim(journeys)
    customer_id = register(journeys, name="Grace")
    start_claim(journeys, customer_id, BenefitType.UC)
    journeys.application.report_change(customer_id, "Moved house", journeys.clock.today())


def check(journeys: Journeys, anchor: Anchor | None = None) -> IntegrityReport:
    """Verify the log of the system's store in small pages (so paging is exercised)."""
    return verify_log(chained_log(journeys.application.recorder), anchor=anchor, page_size=7)


def first_break(report: IntegrityReport) -> tuple[BreakKind, int]:
    assert report.first_break is not None, report
    return report.first_break.kind, report.first_break.position


# -- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def pg(postgres_url: str, postgres_schema: str, tmp_path: Path) -> Iterator[Journeys]:
    """The system on PostgreSQL, with a populated log."""
    settings = postgres_settings_for(
        postgres_url, postgres_schema, contact_spool_dir=tmp_path / "outbox"
    )
    system = build(settings, clock=SimulatedClock.on(date(2026, 1, 5)))
    try:
        populate(system)
        yield system
    finally:
        system.close()


class Table:
    """Direct SQL on the events table, as a tamperer with database access would write it."""

    def __init__(self, url: str, recorder: PostgresApplicationRecorder) -> None:
        self.url = url
        self.name = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        self.qualified = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(sql.SQL(statement).format(t=self.name), params)
            return cursor.fetchall() if cursor.description else []

    def positions(self) -> list[int]:
        return [row[0] for row in self.run("SELECT notification_id FROM {t} ORDER BY 1")]

    def row(self, position: int) -> tuple[Any, ...]:
        (found,) = self.run(
            "SELECT originator_id, originator_version, topic, state, aggregate_hash, log_hash"
            " FROM {t} WHERE notification_id = %s",
            (position,),
        )
        return found

    def burn_positions(self, count: int) -> None:
        """Take positions from the sequence and never use them, as a rolled-back insert does."""
        self.run(
            "SELECT nextval(pg_get_serial_sequence(%s, 'notification_id'))"
            " FROM generate_series(1, %s)",
            (self.qualified, count),
        )


@pytest.fixture
def table(pg: Journeys, postgres_url: str) -> Table:
    recorder = pg.application.recorder
    assert isinstance(recorder, PostgresApplicationRecorder)
    return Table(postgres_url, recorder)


def stored_and_recomputed(table: Table) -> tuple[list[tuple[Any, ...]], list[tuple[bytes, ...]]]:
    """Every row's stored hashes, and the hashes Python computes from the rows' content."""
    rows = table.run(
        "SELECT notification_id, originator_id, originator_version, topic, state,"
        " aggregate_hash, log_hash FROM {t} ORDER BY notification_id"
    )
    events = [NewEvent(row[1], row[2], row[3], bytes(row[4])) for row in rows]
    recomputed = chain(events, [row[0] for row in rows], None, lambda _id, _version: None)
    stored = [(bytes(row[5]), bytes(row[6])) for row in rows]
    return stored, [(hashed.aggregate_hash, hashed.log_hash) for hashed in recomputed]


@pytest.mark.postgres
def test_the_insert_function_stores_the_hashes_the_python_check_computes(
    pg: Journeys, table: Table
) -> None:
    stored, recomputed = stored_and_recomputed(table)
    rows = table.run("SELECT notification_id, log_hash FROM {t} ORDER BY notification_id")

    assert len(rows) > 20
    assert stored == recomputed
    report = check(pg)
    assert report.intact
    assert (report.checked_events, report.head_position) == (len(rows), rows[-1][0])
    assert report.head_hash == bytes(rows[-1][1])


@pytest.mark.postgres
def test_interleaved_versions_non_ascii_topics_and_tracked_inserts_chain_as_python_does(
    pg: Journeys, table: Table
) -> None:
    recorder = pg.application.recorder
    first, second = uuid.uuid4(), uuid.uuid4()
    topic = "domain.tést:Événement"
    # Versions of two aggregates interleaved in one call, then continued in the next calls.
    recorder.insert_events(
        [
            StoredEvent(first, 1, topic, b"a"),
            StoredEvent(second, 1, topic, b"b"),
            StoredEvent(first, 2, topic, b""),
            StoredEvent(second, 2, topic, bytes(range(256))),
        ]
    )
    recorder.insert_events([StoredEvent(first, 3, topic, b"c")], tracking=Tracking("Other", 1))
    recorder.insert_events(
        [StoredEvent(second, 3, topic, b"d"), StoredEvent(first, 4, topic, b"e")]
    )

    stored, recomputed = stored_and_recomputed(table)

    assert stored == recomputed
    assert check(pg).intact


@pytest.mark.postgres
def test_gaps_left_by_rolled_back_inserts_are_not_breaks(pg: Journeys, table: Table) -> None:
    table.burn_positions(3)
    populate(pg)

    positions = table.positions()
    assert positions[-1] > len(positions)  # there is a gap
    assert check(pg).intact


@pytest.mark.postgres
def test_events_of_a_bulk_uprating_copy_are_chained(pg: Journeys, table: Table) -> None:
    before = table.positions()[-1]

    report = pg.uprating.uprate_all(APRIL_2026)

    assert report.uprated == 3
    copied = table.run("SELECT log_hash FROM {t} WHERE notification_id > %s", (before,))
    assert len(copied) == 3
    assert all(row[0] is not None for row in copied)
    populate(pg)  # the function chains on from the COPY's last hash
    assert check(pg).intact


@pytest.mark.postgres
def test_group_committed_concurrent_commands_leave_one_linear_chain(
    pg: Journeys, postgres_url: str, postgres_schema: str, tmp_path: Path
) -> None:
    customer_id = register(pg)
    # Two instances (two processes' worth of group commits) racing on one customer: losers
    # of a race roll back, leaving unused positions, and run again.
    instances = [
        build(
            postgres_settings_for(
                postgres_url,
                postgres_schema,
                contact_spool_dir=tmp_path / "outbox",
                command_attempts=100,
            ),
            clock=SimulatedClock.on(date(2026, 1, 5)),
        )
        for _ in range(2)
    ]
    errors: list[BaseException] = []

    def commands(worker: int) -> None:
        system = instances[worker % 2]
        try:
            for n in range(10):
                if n % 2:
                    register(system)
                else:
                    system.application.report_change(customer_id, f"{worker}/{n}", date(2026, 1, 5))
        except BaseException as error:  # reported to the main thread
            errors.append(error)

    try:
        threads = [threading.Thread(target=commands, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for system in instances:
            system.close()

    assert errors == []
    assert pg.application.customer(customer_id).version == 1 + 8 * 5
    assert check(pg).intact


@pytest.mark.postgres
def test_an_events_changed_state_is_the_first_break(pg: Journeys, table: Table) -> None:
    target = table.positions()[10]
    table.run(
        "UPDATE {t} SET state = state || '\\x20'::bytea WHERE notification_id = %s", (target,)
    )

    report = check(pg)

    assert first_break(report) == (BreakKind.CONTENT_CHANGED, target)
    assert report.first_break is not None
    originator_id, version = table.row(target)[:2]
    assert (report.first_break.originator_id, report.first_break.originator_version) == (
        originator_id,
        version,
    )
    assert report.checked_events == 10


@pytest.mark.postgres
def test_an_events_changed_topic_is_the_first_break(pg: Journeys, table: Table) -> None:
    target = table.positions()[5]
    table.run(
        "UPDATE {t} SET topic = topic || 'X' WHERE notification_id = %s",
        (target,),
    )

    assert first_break(check(pg)) == (BreakKind.CONTENT_CHANGED, target)


@pytest.mark.postgres
def test_a_deleted_event_is_found_at_the_event_after_it(pg: Journeys, table: Table) -> None:
    positions = table.positions()
    table.run("DELETE FROM {t} WHERE notification_id = %s", (positions[12],))

    assert first_break(check(pg)) == (BreakKind.ROW_MISSING, positions[13])


@pytest.mark.postgres
def test_a_forged_event_with_a_correctly_computed_hash_is_found_where_it_was_inserted(
    pg: Journeys, table: Table
) -> None:
    # Positions left unused by rolled-back inserts are where a forger can put a row.
    table.burn_positions(1)
    populate(pg)
    positions = table.positions()
    gap = next(p + 1 for p, q in itertools.pairwise(positions) if q > p + 1)
    preceding_log_hash = bytes(table.row(gap - 1)[5])
    forged_id = uuid.uuid4()
    topic, state = "domain.customer:Customer.Registered", b'{"name":"Mallory"}'
    forged_aggregate = aggregate_hash(GENESIS, forged_id, 1, topic, state)
    table.run(
        "INSERT INTO {t} (notification_id, originator_id, originator_version, topic, state,"
        " aggregate_hash, log_hash) VALUES (%s, %s, 1, %s, %s, %s, %s)",
        (
            gap,
            forged_id,
            topic,
            state,
            forged_aggregate,
            log_hash(preceding_log_hash, gap, forged_aggregate),
        ),
    )

    report = check(pg)

    assert first_break(report) == (BreakKind.ROW_INSERTED, gap)
    assert report.head_position == gap - 1


@pytest.mark.postgres
def test_a_forged_event_with_made_up_hashes_is_found_where_it_was_inserted(
    pg: Journeys, table: Table
) -> None:
    table.burn_positions(1)
    populate(pg)
    positions = table.positions()
    gap = next(p + 1 for p, q in itertools.pairwise(positions) if q > p + 1)
    table.run(
        "INSERT INTO {t} (notification_id, originator_id, originator_version, topic, state,"
        " aggregate_hash, log_hash) VALUES (%s, %s, 1, 'x:Y', '\\x7b7d', %s, %s)",
        (gap, uuid.uuid4(), bytes(32), bytes(32)),
    )

    assert first_break(check(pg)) == (BreakKind.ROW_INSERTED, gap)


@pytest.mark.postgres
def test_two_events_swapping_positions_are_out_of_order(pg: Journeys, table: Table) -> None:
    positions = table.positions()
    early, late = positions[4], positions[15]
    table.run(
        "UPDATE {t} SET notification_id = CASE notification_id WHEN %s THEN %s ELSE %s END"
        " WHERE notification_id IN (%s, %s)",
        (early, -1, -2, early, late),
    )
    table.run("UPDATE {t} SET notification_id = %s WHERE notification_id = -1", (late,))
    table.run("UPDATE {t} SET notification_id = %s WHERE notification_id = -2", (early,))

    assert first_break(check(pg)) == (BreakKind.OUT_OF_ORDER, early)


@pytest.mark.postgres
def test_two_versions_of_one_aggregate_swapping_contents_are_out_of_order(
    pg: Journeys, table: Table
) -> None:
    (claim_id,) = table.run(
        "SELECT originator_id FROM {t} WHERE originator_version = 5 ORDER BY notification_id"
        " LIMIT 1"
    )[0:1]
    # Versions 2 and 3 of the aggregate swap places: each row keeps its position.
    table.run(
        "UPDATE {t} SET originator_version = -originator_version"
        " WHERE originator_id = %s AND originator_version IN (2, 3)",
        (claim_id[0],),
    )
    table.run(
        "UPDATE {t} SET originator_version = 5 + originator_version"
        " WHERE originator_id = %s AND originator_version IN (-2, -3)",
        (claim_id[0],),
    )
    (second,) = table.run(
        "SELECT notification_id FROM {t} WHERE originator_id = %s AND originator_version = 3",
        (claim_id[0],),
    )

    assert first_break(check(pg)) == (BreakKind.OUT_OF_ORDER, second[0])


@pytest.mark.postgres
def test_an_event_written_without_hashes_is_reported(pg: Journeys, table: Table) -> None:
    target = table.positions()[7]
    table.run(
        "UPDATE {t} SET aggregate_hash = NULL, log_hash = NULL WHERE notification_id = %s",
        (target,),
    )

    assert first_break(check(pg)) == (BreakKind.HASH_MISSING, target)


@pytest.mark.postgres
def test_deleting_the_newest_event_is_found_only_against_an_anchor(
    pg: Journeys, table: Table
) -> None:
    kept = check(pg)
    anchor = Anchor(kept.head_position, kept.head_hash or b"")
    table.run("DELETE FROM {t} WHERE notification_id = %s", (kept.head_position,))

    shorter = check(pg)
    against_anchor = check(pg, anchor)

    assert shorter.intact  # a shorter log whose chains hold
    assert shorter.head_hash != anchor.log_hash
    assert first_break(against_anchor) == (BreakKind.TRUNCATED, anchor.position)


# -- SQLite -----------------------------------------------------------------------------------


def test_the_embedded_store_chains_every_event_and_finds_a_changed_one(tmp_path: Path) -> None:
    settings = Settings(database_url=None, sqlite_path=tmp_path / "events.sqlite3")
    with build(settings, clock=SimulatedClock.on(date(2026, 1, 5))) as journeys:
        populate(journeys)
        journeys.uprating.uprate_all(APRIL_2026)
        populate(journeys)
        recorder = journeys.application.recorder
        assert isinstance(recorder, SQLiteApplicationRecorder)
        intact = check(journeys)
        assert intact.intact
        assert intact.checked_events == journeys.application.recorder.max_notification_id()

        with sqlite3.connect(settings.sqlite_path) as connection:
            connection.execute(
                f"UPDATE {recorder.events_table_name} SET state = state || x'20' WHERE rowid = 9"
            )

        assert first_break(check(journeys)) == (BreakKind.CONTENT_CHANGED, 9)


# -- the command line -------------------------------------------------------------------------


def test_audit_verify_exits_0_on_an_intact_log_and_1_at_the_first_break(
    cli_settings: Settings, clock: SimulatedClock
) -> None:
    settings = cli_settings
    runner = CliRunner()
    with build(settings, clock=clock) as journeys:
        populate(journeys)
        kept = check(journeys)
        recorder = journeys.application.recorder

    intact = runner.invoke(cli, ["audit", "verify"])

    assert intact.exit_code == 0, intact.output
    assert f"Intact: {kept.checked_events} events checked" in intact.output
    anchor = f"{kept.head_position}:{(kept.head_hash or b'').hex()}"
    assert f"Anchor: {anchor}" in intact.output
    assert runner.invoke(cli, ["audit", "verify", "--anchor", anchor]).exit_code == 0

    if isinstance(recorder, PostgresApplicationRecorder):
        assert settings.database_url
        Table(settings.database_url, recorder).run(
            "UPDATE {t} SET topic = topic || 'X' WHERE notification_id = 4"
        )
    else:
        assert isinstance(recorder, SQLiteApplicationRecorder)
        with sqlite3.connect(settings.sqlite_path) as connection:
            connection.execute(
                f"UPDATE {recorder.events_table_name} SET topic = topic || 'X' WHERE rowid = 4"
            )
    broken = runner.invoke(cli, ["audit", "verify", "--anchor", anchor])

    assert broken.exit_code == 1, broken.output
    assert "BROKEN at log position 4" in broken.output
    assert "content_changed" in broken.output
    assert "3 events verified before it" in broken.output

    refused = runner.invoke(cli, ["audit", "verify", "--anchor", "12:nothex"])
    assert refused.exit_code == 2
    assert "POSITION:HASH" in refused.output
