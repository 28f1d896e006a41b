"""Settings and the composition root: which event store the system is built on."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import sql

from adapters.bootstrap import InvalidDatabaseUrl, Journeys, build, event_store_environment
from services.clock import SimulatedClock
from services.settings import Settings
from tests.integration.helpers import register

ENVIRONMENT_VARIABLES = (
    "DATABASE_URL",
    "JOURNEYS_DATABASE_URL",
    "JOURNEYS_SQLITE_PATH",
    "JOURNEYS_POSTGRES_SCHEMA",
    "JOURNEYS_POSTGRES_POOL_SIZE",
    "JOURNEYS_POSTGRES_MAX_OVERFLOW",
    "JOURNEYS_COMMAND_ATTEMPTS",
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No settings leak in from the environment the tests were started in."""
    for name in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_a_database_url_the_event_store_is_an_embedded_sqlite_file(
    clean_environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_environment.setenv("JOURNEYS_SQLITE_PATH", str(tmp_path / "data" / "events.sqlite3"))
    settings = Settings()
    assert not settings.uses_postgres

    environment = event_store_environment(settings)

    assert environment["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert environment["SQLITE_DBNAME"] == str(tmp_path / "data" / "events.sqlite3")
    assert int(environment["SQLITE_LOCK_TIMEOUT"]) > 0
    assert (tmp_path / "data").is_dir()  # the folder is made so the file can be created
    assert not any(key.startswith("POSTGRES_") for key in environment)


def test_the_default_sqlite_file_is_journeys_sqlite3(clean_environment: pytest.MonkeyPatch) -> None:
    assert Settings().sqlite_path == Path("journeys.sqlite3")
    assert Settings().command_attempts == 3


def test_a_postgresql_url_gives_its_user_password_host_port_and_database(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    settings = Settings(
        database_url="postgresql://journeys:p%40ss%2Fword@db.internal:6543/welfare",
        postgres_schema="journeys_live",
        postgres_pool_size=7,
        postgres_max_overflow=3,
    )
    assert settings.uses_postgres

    environment = event_store_environment(settings)

    assert environment["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert environment["POSTGRES_DBNAME"] == "welfare"
    assert environment["POSTGRES_HOST"] == "db.internal"
    assert environment["POSTGRES_PORT"] == "6543"
    assert environment["POSTGRES_USER"] == "journeys"
    assert environment["POSTGRES_PASSWORD"] == "p@ss/word"  # percent-escapes are decoded
    assert environment["POSTGRES_SCHEMA"] == "journeys_live"
    assert environment["POSTGRES_POOL_SIZE"] == "7"
    assert environment["POSTGRES_MAX_OVERFLOW"] == "3"
    assert "SQLITE_DBNAME" not in environment


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_a_postgresql_url_without_user_or_port_falls_back_to_the_defaults(
    clean_environment: pytest.MonkeyPatch, scheme: str
) -> None:
    environment = event_store_environment(Settings(database_url=f"{scheme}://db.internal/welfare"))
    assert environment["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert environment["POSTGRES_HOST"] == "db.internal"
    assert environment["POSTGRES_PORT"] == "5432"
    assert environment["POSTGRES_USER"] == "postgres"
    assert environment["POSTGRES_PASSWORD"] == ""
    assert environment["POSTGRES_SCHEMA"] == ""


@pytest.mark.parametrize("variable", ["DATABASE_URL", "JOURNEYS_DATABASE_URL"])
def test_the_database_url_is_read_from_database_url_or_its_journeys_name(
    clean_environment: pytest.MonkeyPatch, variable: str
) -> None:
    clean_environment.setenv(variable, "postgresql://app:secret@10.0.0.5:5433/journeys")
    clean_environment.setenv("JOURNEYS_POSTGRES_SCHEMA", "tenant_a")

    settings = Settings()

    assert settings.database_url == "postgresql://app:secret@10.0.0.5:5433/journeys"
    environment = event_store_environment(settings)
    assert (environment["POSTGRES_HOST"], environment["POSTGRES_PORT"]) == ("10.0.0.5", "5433")
    assert environment["POSTGRES_SCHEMA"] == "tenant_a"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user@localhost/journeys",
        "sqlite:///journeys.sqlite3",
        "http://db.internal/journeys",
        "db.internal:5432/journeys",
    ],
)
def test_a_database_url_that_is_not_postgresql_is_refused(
    clean_environment: pytest.MonkeyPatch, url: str
) -> None:
    with pytest.raises(InvalidDatabaseUrl, match="postgresql://"):
        event_store_environment(Settings(database_url=url))


@pytest.mark.parametrize("url", ["postgresql://db.internal", "postgresql://db.internal/"])
def test_a_postgresql_url_without_a_database_name_is_refused(
    clean_environment: pytest.MonkeyPatch, url: str
) -> None:
    with pytest.raises(InvalidDatabaseUrl, match="must name a database"):
        event_store_environment(Settings(database_url=url))


def test_the_composition_root_builds_on_the_store_the_settings_name(
    journeys: Journeys, settings: Settings
) -> None:
    customer_id = register(journeys)
    recorder = journeys.application.recorder
    if settings.uses_postgres:
        assert isinstance(recorder, PostgresApplicationRecorder)
        assert settings.database_url is not None
        with psycopg.connect(settings.database_url) as connection:
            row = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(
                    sql.Identifier(settings.postgres_schema, "journeys_events")
                )
            ).fetchone()
        assert row == (1,)
    else:
        assert isinstance(recorder, SQLiteApplicationRecorder)
        assert settings.sqlite_path.is_file()
    assert journeys.application.customer(customer_id).version == 1


@pytest.mark.postgres
def test_a_system_configured_only_by_database_url_stores_events_in_postgresql(
    clean_environment: pytest.MonkeyPatch,
    postgres_url: str,
    postgres_schema: str,
    clock: SimulatedClock,
) -> None:
    clean_environment.setenv("DATABASE_URL", postgres_url)
    clean_environment.setenv("JOURNEYS_POSTGRES_SCHEMA", postgres_schema)

    with build(Settings(), clock=clock) as system:
        customer_id = register(system)
        assert isinstance(system.application.recorder, PostgresApplicationRecorder)

    with build(Settings(), clock=clock) as reopened:
        assert reopened.application.customer(customer_id).version == 1


@pytest.mark.parametrize(
    "url", ["postgresql://db.internal:port/journeys", "postgresql://h:99999/db"]
)
def test_a_postgresql_url_with_a_malformed_port_is_refused(
    clean_environment: pytest.MonkeyPatch, url: str
) -> None:
    with pytest.raises(InvalidDatabaseUrl, match="port"):
        event_store_environment(Settings(database_url=url))
