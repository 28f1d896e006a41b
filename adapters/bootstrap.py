"""The composition root: builds the running system from Settings (CLI, API and tests alike)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import unquote, urlsplit
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic

from adapters.contact.spool import SpoolGateway
from adapters.contact.view_index import ViewQueuedContacts
from adapters.deadline_index import ViewDeadlineIndex
from adapters.event_store.postgres import OneTripPostgresRecorder
from adapters.event_store.sqlite import ChainedSQLiteRecorder
from adapters.kafka.fed_views import KafkaFedRunner
from adapters.log_listener import PostgresLogListener
from adapters.personal_data.postgres import PostgresCustomerKeys
from adapters.personal_data.sqlite import SQLiteCustomerKeys
from adapters.postgres_connections import schema_setup_lock
from adapters.uprating.postgres import PostgresAwardIndex, PostgresCopyWriter
from adapters.uprating.sqlite import SQLiteAwardIndex
from adapters.views.postgres import PostgresViewStore
from adapters.views.sql import SqlViewStore
from adapters.views.sqlite import SQLiteViewStore
from domain.values import Actor
from projections.batch import ViewBatch
from projections.case_items import CaseItemProjection
from projections.deadlines import DeadlineProjection
from projections.disclosures import DisclosureProjection
from projections.ledger import DecisionLedgerProjection
from projections.projection import Projection
from projections.runner import ProjectionRunner
from projections.self_service import SelfServiceProjection
from projections.store import ViewStore
from projections.timeline import TimelineProjection
from projections.transitions import TransitionProjection
from projections.worklists import WorklistProjection
from services.audit import DecisionLedger
from services.base import Recorded
from services.clock import Clock, SystemClock
from services.deadlines import DeadlineScheduler
from services.journeys import JourneysApplication
from services.log import ApplicationLog
from services.outbox import OutboxDispatcher
from services.personal_data import CustomerKeys, master_key_from
from services.production import refuse_unsafe_production
from services.settings import Settings
from services.uprating import AnnualUprating, RecorderEventWriter


class InvalidDatabaseUrl(ValueError):
    """The database URL is not a postgresql:// URL with a database name."""


def event_store_environment(settings: Settings) -> dict[str, str]:
    """The eventsourcing library's settings for the configured event store."""
    if not settings.database_url:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "10",
            "APPLICATION_RECORDER_TOPIC": get_topic(ChainedSQLiteRecorder),
        }
    url = urlsplit(settings.database_url)
    if url.scheme not in {"postgresql", "postgres", "postgresql+psycopg"}:
        raise InvalidDatabaseUrl(
            f"database_url must start with postgresql://, got scheme {url.scheme!r}"
        )
    dbname = url.path.lstrip("/")
    if not dbname:
        raise InvalidDatabaseUrl("database_url must name a database, e.g. postgresql://host/db")
    try:
        port = url.port  # urllib raises a bare ValueError for a non-numeric or too large port
    except ValueError as error:
        raise InvalidDatabaseUrl(f"database_url has an invalid port: {error}") from None
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(dbname),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_SCHEMA": settings.postgres_schema,
        "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
        "POSTGRES_CONNECT_TIMEOUT": str(settings.postgres_connect_timeout_seconds),
        # Check a pooled connection before handing it out: after a server restart or a killed
        # backend the pool would otherwise fail one command per dead connection.
        "POSTGRES_PRE_PING": "y",
        "APPLICATION_RECORDER_TOPIC": get_topic(OneTripPostgresRecorder),
    }


def postgres_conninfo(database_url: str) -> str:
    """The URL as libpq takes it (without a SQLAlchemy-style +driver suffix)."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def schema_setup(settings: Settings) -> Iterator[None]:
    """While the stores create their tables: one process at a time per PostgreSQL schema."""
    if not settings.database_url:
        yield  # SQLite files serialize their own writers
        return
    event_store_environment(settings)  # the same URL checks, the same clear errors
    with schema_setup_lock(postgres_conninfo(settings.database_url), settings.postgres_schema):
        yield


def build_view_store(settings: Settings) -> ViewStore:
    """The view store beside the event store: PostgreSQL when configured, else SQLite."""
    if settings.database_url:
        event_store_environment(settings)  # the same URL checks, the same clear errors
        return PostgresViewStore(
            postgres_conninfo(settings.database_url),
            schema=settings.postgres_schema,
            pool_size=settings.postgres_pool_size,
        )
    return SQLiteViewStore(settings.views_path)


def build_customer_keys(settings: Settings) -> CustomerKeys:
    """Customers' data keys beside the event store, wrapped under the configured master key."""
    master_key = master_key_from(settings.personal_data_master_key)
    if settings.database_url:
        event_store_environment(settings)  # the same URL checks, the same clear errors
        return PostgresCustomerKeys(
            postgres_conninfo(settings.database_url), master_key, schema=settings.postgres_schema
        )
    path = settings.sqlite_path.with_name(f"{settings.sqlite_path.stem}-keys.sqlite3")
    return SQLiteCustomerKeys(path, master_key)


def build_uprating(settings: Settings, application: JourneysApplication) -> AnnualUprating:
    """The annual uprating: COPY into PostgreSQL, the recorder's own inserts elsewhere."""
    recorder = application.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        return AnnualUprating(
            application, PostgresAwardIndex(recorder), PostgresCopyWriter(recorder)
        )
    index_path = settings.sqlite_path.with_name(f"{settings.sqlite_path.stem}-uprating.sqlite3")
    return AnnualUprating(
        application, SQLiteAwardIndex(index_path), RecorderEventWriter(application)
    )


@dataclass
class Journeys:
    """The assembled system: the application, its clock, the ledger, views, runner, scheduler."""

    settings: Settings
    clock: Clock
    application: JourneysApplication
    ledger: DecisionLedger
    views: ViewStore
    projections: ProjectionRunner
    uprating: AnnualUprating
    deadlines: DeadlineScheduler
    outbox: OutboxDispatcher

    def erase_personal_data(
        self, customer_id: UUID, reason: str, by: Actor | None = None
    ) -> Recorded:
        """Erase the customer (their key destroyed), then withdraw their uncollected letters."""
        recorded = self.application.erase_personal_data(customer_id, reason, by)
        self.outbox.gateway.withdraw(customer_id)
        return recorded

    def close(self) -> None:
        """Stop following the log and release database connections."""
        self.projections.stop()
        self.views.close()
        self.uprating.index.close()
        self.application.close()
        if self.application.customer_keys is not None:
            self.application.customer_keys.close()

    def __enter__(self) -> Journeys:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Journeys:
    """Build everything from settings; pass a clock to control recorded times."""
    settings = settings or Settings()
    # Every process (API, workers, CLI) starts here: production with public keys stops here.
    refuse_unsafe_production(settings)
    clock = clock or SystemClock()
    with schema_setup(settings):
        application = JourneysApplication(
            env=event_store_environment(settings),
            clock=clock,
            command_attempts=settings.command_attempts,
            group_commit=settings.group_commit,
            recent_aggregates=settings.aggregate_cache_size,
            customer_keys=build_customer_keys(settings),
        )
        views = build_view_store(settings)
        uprating = build_uprating(settings, application)
    new_events = None
    if settings.database_url:
        channel = getattr(application.recorder, "channel_name", None)
        if isinstance(channel, str):
            new_events = PostgresLogListener(postgres_conninfo(settings.database_url), channel)
    projections: list[Projection[ViewBatch]] = [
        SelfServiceProjection(),
        TimelineProjection(),
        WorklistProjection(),
        DecisionLedgerProjection(),
        DeadlineProjection(),
        TransitionProjection(),
        CaseItemProjection(),
        DisclosureProjection(),
    ]
    runner: ProjectionRunner
    if settings.projection_mode == "kafka":
        if not isinstance(views, SqlViewStore):
            raise TypeError(f"Kafka-fed views need a SQL view store, not {type(views).__name__}")
        runner = KafkaFedRunner(
            ApplicationLog(application),
            views,
            projections,
            topic=settings.kafka_events_topic,
            batch_size=settings.projection_batch_size,
            poll_interval=settings.projection_poll_seconds,
        )
    else:
        runner = ProjectionRunner(
            ApplicationLog(application),
            views,
            projections,
            batch_size=settings.projection_batch_size,
            poll_interval=settings.projection_poll_seconds,
            new_events=new_events,
            parallel=bool(settings.database_url),
        )
    return Journeys(
        settings=settings,
        clock=clock,
        application=application,
        ledger=DecisionLedger(application),
        views=views,
        projections=runner,
        uprating=uprating,
        deadlines=DeadlineScheduler(application, ViewDeadlineIndex(runner, views), clock),
        outbox=OutboxDispatcher(
            application,
            ViewQueuedContacts(runner, views),
            SpoolGateway(settings.contact_spool_path),
        ),
    )
