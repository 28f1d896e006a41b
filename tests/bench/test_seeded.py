"""A seeded log is seeded once, cached, and loaded again exactly as it was written."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

import bench.seeded as seeded
from adapters.bootstrap import build
from bench.harness import QUICK, BenchContext
from bench.seeded import SeededSchema, seeded_schema
from domain.identity import customer_id_for
from projections.model import Page, TimelineQuery
from services.settings import Settings

pytestmark = pytest.mark.postgres

CUSTOMERS = 200
BUSY_EVENTS = 60

Row = tuple[Any, ...]


def table_rows(url: str, found: SeededSchema) -> list[Row]:
    """Every row of the events table, in log order, as PostgreSQL holds it."""
    query = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state"
        " FROM {}.{} ORDER BY notification_id"
    ).format(sql.Identifier(found.schema), sql.Identifier(found.events_table))
    with psycopg.connect(url) as connection:
        return [
            tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)
            for row in connection.execute(query).fetchall()
        ]


def schema_exists(url: str, schema: str) -> bool:
    """Whether the schema is still there."""
    with psycopg.connect(url) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
        ).fetchone()
    return found is not None


def cache_files(directory: Path) -> list[str]:
    """The files in a cache directory, by name."""
    return sorted(path.name for path in directory.iterdir())


@dataclass(frozen=True)
class FirstRun:
    """What the first, seeding call gave (its schema since dropped)."""

    seeded: SeededSchema
    rows: list[Row]
    cache: Path
    said: str


@contextmanager
def seeded_log(url: str, cache: Path, said: io.StringIO | None = None) -> Iterator[SeededSchema]:
    """The small seeded log of these tests, with the cache in the given directory."""
    context = BenchContext(database_url=url, scale=QUICK, progress=said or io.StringIO())
    with seeded_schema(
        context,
        customers=CUSTOMERS,
        label="test",
        busy_customer_events=BUSY_EVENTS,
        cache_dir=cache,
    ) as found:
        yield found


@pytest.fixture(autouse=True)
def cache_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is on, whatever the environment says."""
    monkeypatch.delenv(seeded.CACHE_SWITCH, raising=False)


@pytest.fixture(scope="module")
def first_run(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    """One seeding call into an empty cache directory (seeding is the slow part: once)."""
    cache = tmp_path_factory.mktemp("cache")
    said = io.StringIO()
    with seeded_log(postgres_url, cache, said) as first:
        rows = table_rows(postgres_url, first)
    return FirstRun(first, rows, cache, said.getvalue())


@pytest.fixture
def loaded(postgres_url: str, first_run: FirstRun) -> Iterator[SeededSchema]:
    """The first run's log, loaded from its cache into a new schema."""
    with seeded_log(postgres_url, first_run.cache) as found:
        yield found


def test_a_first_call_seeds_the_log_and_writes_the_cache(
    postgres_url: str, first_run: FirstRun
) -> None:
    first = first_run.seeded
    assert not first.from_cache
    assert "seeding 200 customers" in first_run.said
    assert len(first.customer_ids) == CUSTOMERS
    assert first.busy_customer in first.customer_ids
    assert first.busy_customer_events >= BUSY_EVENTS
    assert first.events == len(first_run.rows) > CUSTOMERS
    assert [row[0] for row in first_run.rows] == list(range(1, first.events + 1))
    names = cache_files(first_run.cache)
    assert len(names) == 2
    data, facts = (first_run.cache / name for name in names)
    assert data.name.endswith(".copy.gz")
    assert facts.name.endswith(".json")
    assert f"-c{CUSTOMERS}-s1-b{BUSY_EVENTS}-" in data.name
    written = json.loads(facts.read_text())
    assert written["events"] == first.events
    assert written["busy_customer"] == first.busy_customer.hex
    assert written["fingerprint"] == seeded.fingerprint()


def test_a_second_call_loads_the_same_rows_from_the_cache(
    postgres_url: str, first_run: FirstRun, loaded: SeededSchema
) -> None:
    first = first_run.seeded
    assert loaded.from_cache
    assert loaded.schema != first.schema
    assert table_rows(postgres_url, loaded) == first_run.rows
    assert loaded.events == first.events
    assert loaded.events_table == first.events_table
    assert loaded.customer_ids == first.customer_ids
    assert loaded.busy_customer == first.busy_customer
    assert loaded.busy_customer_events == first.busy_customer_events


def test_every_aggregate_of_a_loaded_log_loads_through_the_application(
    postgres_url: str, loaded: SeededSchema
) -> None:
    settings = Settings(database_url=postgres_url, postgres_schema=loaded.schema)
    with build(settings) as system:
        application = system.application
        assert application.recorder.max_notification_id() == loaded.events
        versions = 0
        for customer_id in loaded.customer_ids:
            customer = application.customer(customer_id)
            versions += customer.version
            for claim_id in customer.claims:
                claim = application.claim(claim_id)
                assert claim.customer_id == customer_id
                versions += claim.version
    assert versions == loaded.events


def test_commands_after_loading_take_the_next_positions_and_the_views_catch_up(
    postgres_url: str, loaded: SeededSchema
) -> None:
    settings = Settings(database_url=postgres_url, postgres_schema=loaded.schema)
    with build(settings) as system:
        application = system.application
        today = system.clock.today()
        assert customer_id_for("ZY999999D") not in loaded.customer_ids

        registered = application.register_customer(
            nino="ZY999999D", name="Ada Newcomer", date_of_birth=date(1980, 5, 17)
        )
        changed = application.report_change(loaded.busy_customer, "moved house", today)

        assert (registered.position, changed.position) == (loaded.events + 1, loaded.events + 2)
        assert system.projections.catch_up() >= loaded.events + 2
        _, busy_entries = system.views.read_timeline(
            TimelineQuery(customer_id=loaded.busy_customer), Page(limit=1)
        )
        assert busy_entries == loaded.busy_customer_events + 1
        assert system.views.read_self_service(registered.id) is not None


def test_a_changed_fingerprint_seeds_afresh_instead_of_reusing_the_file(
    postgres_url: str, first_run: FirstRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(first_run.cache, cache)
    changed_source = tmp_path / "events.py"
    changed_source.write_text("# an event class changed\n")
    monkeypatch.setattr(seeded, "SOURCES", (*seeded.SOURCES, changed_source))

    with seeded_log(postgres_url, cache) as found:
        assert not found.from_cache

    assert len(cache_files(cache)) == 4
    assert set(cache_files(first_run.cache)) < set(cache_files(cache))


def test_the_fingerprint_follows_the_source_of_the_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "events.py"
    source.write_text("class Started: ...\n")
    monkeypatch.setattr(seeded, "SOURCES", (*seeded.SOURCES, source))
    before = seeded.fingerprint()
    assert seeded.fingerprint() == before
    source.write_text("class Started:\n    class_version = 2\n")
    assert seeded.fingerprint() != before
    assert seeded.fingerprint(originator_id_type="text") != seeded.fingerprint()


def test_a_damaged_cache_file_is_discarded_and_the_log_seeded_again(
    postgres_url: str, first_run: FirstRun, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(first_run.cache, cache)
    (data,) = cache.glob("*.copy.gz")
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    said = io.StringIO()

    with seeded_log(postgres_url, cache, said) as found:
        assert not found.from_cache
        assert found.events == first_run.seeded.events

    assert "cache unusable" in said.getvalue()
    with seeded_log(postgres_url, cache) as again:
        assert again.from_cache


def test_the_cache_can_be_switched_off(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(seeded.CACHE_SWITCH, "off")
    cache = tmp_path / "cache"

    with seeded_log(postgres_url, cache) as found:
        assert not found.from_cache

    assert not cache.exists()


def test_the_schemas_are_dropped_afterwards(postgres_url: str, first_run: FirstRun) -> None:
    with seeded_log(postgres_url, first_run.cache) as found:
        assert schema_exists(postgres_url, found.schema)
    assert not schema_exists(postgres_url, found.schema)
    assert not schema_exists(postgres_url, first_run.seeded.schema)
