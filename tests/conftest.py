"""Fixtures that build the real system: embedded SQLite and a real PostgreSQL, same tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from adapters.bootstrap import Journeys, build
from services.clock import SimulatedClock
from services.settings import Settings

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"

# The order in which parallel workers are handed tests: the long ones first, so that the run
# does not end with one worker alone on a long test that it picked up last.
LONG_FIRST = ("slow", "kafka")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests, then Kafka tests, then the rest, each group in its usual order."""

    def rank(item: pytest.Item) -> int:
        for place, marker in enumerate(LONG_FIRST):
            if item.get_closest_marker(marker) is not None:
                return place
        return len(LONG_FIRST)

    items.sort(key=rank)


def _test_database_url() -> str:
    return (
        os.environ.get("JOURNEYS_TEST_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_TEST_DATABASE_URL
    )


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL server the integration tests use (JOURNEYS_TEST_DATABASE_URL)."""
    return _test_database_url()


@contextmanager
def scratch_schema(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL schema that exists for the block only."""
    schema = f"journeys_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield schema
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            )


@pytest.fixture
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """A fresh schema for one test, dropped afterwards."""
    with scratch_schema(postgres_url) as schema:
        yield schema


# Parallel test workers share one PostgreSQL server (100 connections by default): a test's
# system keeps one pooled connection open, not five, and opens more only while it needs them.
TEST_POOL_SIZE = 1


def postgres_settings_for(postgres_url: str, schema: str, **more: object) -> Settings:
    """Settings for the system on one PostgreSQL schema, with the tests' small pool."""
    return Settings.model_validate(
        {
            "database_url": postgres_url,
            "postgres_schema": schema,
            "postgres_pool_size": TEST_POOL_SIZE,
            **more,
        }
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for the embedded store and for PostgreSQL: each test runs against both."""
    if request.param == "sqlite":
        return Settings(database_url=None, sqlite_path=tmp_path / "events.sqlite3")
    return postgres_settings_for(
        request.getfixturevalue("postgres_url"),
        request.getfixturevalue("postgres_schema"),
        contact_spool_dir=tmp_path / "outbox",
    )


@pytest.fixture
def clock() -> SimulatedClock:
    """A clock that starts on 5 January 2026 and moves only when a test moves it."""
    return SimulatedClock.on(date(2026, 1, 5))


@pytest.fixture
def journeys(settings: Settings, clock: SimulatedClock) -> Iterator[Journeys]:
    """The whole system built by the composition root, closed after the test."""
    system = build(settings, clock=clock)
    try:
        yield system
    finally:
        system.close()


def store_environment(settings: Settings) -> dict[str, str | None]:
    """The variables that make Settings() name the test's store (None: unset)."""
    unset: dict[str, str | None] = {
        "DATABASE_URL": None,
        "JOURNEYS_VIEWS_SQLITE_PATH": None,
        "JOURNEYS_PROJECTION_BATCH_SIZE": None,
    }
    if settings.database_url:
        return {
            **unset,
            "JOURNEYS_DATABASE_URL": settings.database_url,
            "JOURNEYS_POSTGRES_SCHEMA": settings.postgres_schema,
            "JOURNEYS_POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        }
    return {
        **unset,
        "JOURNEYS_DATABASE_URL": None,
        "JOURNEYS_SQLITE_PATH": str(settings.sqlite_path),
    }


def process_environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a `journeys` process on the test's store: this one's, less our settings.

    The caller's own JOURNEYS_* and DATABASE_URL are dropped, so nothing but the test's store
    (and `extra`) configures the process; COLUMNS keeps rich's lines whole for the assertions.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "DATABASE_URL" and not key.startswith("JOURNEYS_")
    }
    environment.update(
        {key: value for key, value in store_environment(settings).items() if value is not None}
    )
    environment["COLUMNS"] = "200"
    environment.update(extra)
    return environment


@pytest.fixture
def cli_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the CLI's own Settings() at the test's store through the environment."""
    for name, value in store_environment(settings).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "200")
    return settings


JOURNEYS = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "journeys"
"""The console script, as `make install` puts it in the project's virtual environment."""
