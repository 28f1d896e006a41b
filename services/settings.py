"""The one typed settings object everything is built from."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# A fixed, public key so the embedded store works out of the box; anything sealed under it is
# readable by anyone with the source, so production must set JOURNEYS_PERSONAL_DATA_MASTER_KEY.
DEVELOPMENT_MASTER_KEY = "am91cm5leXMtZGV2ZWxvcG1lbnQtbWFzdGVyLWtleSE="

# Public, like the master key above: production refuses to start with it (services/production.py).
DEVELOPMENT_TOKEN_SECRET = "journeys-development-secret-change-me!"


class Settings(BaseSettings):
    """Where the event log lives and how to reach it; read from JOURNEYS_* variables."""

    model_config = SettingsConfigDict(env_prefix="JOURNEYS_", frozen=True, extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("JOURNEYS_DATABASE_URL", "DATABASE_URL"),
        description="postgresql://user[:password]@host[:port]/dbname; unset means embedded SQLite",
    )
    sqlite_path: Path = Field(
        default=Path("journeys.sqlite3"),
        description="The embedded event store file, used when no database_url is set",
    )
    postgres_schema: str = Field(default="", description="PostgreSQL schema (default public)")
    postgres_pool_size: int = Field(default=5, ge=1)
    postgres_max_overflow: int = Field(default=10, ge=0)
    postgres_connect_timeout_seconds: int = Field(
        default=10,
        ge=1,
        le=300,
        description="The longest a command waits for a pooled event-store connection before its "
        "retryable error (an API answers 503 then)",
    )
    command_attempts: int = Field(
        default=3, ge=1, description="How often a command is tried when it hits a conflict"
    )
    group_commit: bool = Field(
        default=True,
        description="Store the events of concurrent commands in one transaction (one disk flush)",
    )
    aggregate_cache_size: int = Field(
        default=10_000,
        ge=0,
        description="Aggregates kept in memory between commands (0: load every one from the log)",
    )
    views_sqlite_path: Path | None = Field(
        default=None,
        description="The embedded views file (default: beside the event store, *-views.sqlite3)",
    )
    projection_batch_size: int = Field(
        default=5000, ge=1, le=100_000, description="Events applied per view transaction"
    )
    projection_poll_seconds: float = Field(
        default=0.2, gt=0, description="How often an idle projection runner looks for events"
    )
    read_wait_seconds: float = Field(
        default=5.0, ge=0, le=60, description="The longest a view read waits for a position"
    )
    contact_spool_dir: Path | None = Field(
        default=None,
        description="Where released messages are spooled for the print and notify house "
        "(default: beside the event store, *-outbox)",
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="production refuses to start with development defaults "
        "(services/production.py)",
    )
    token_secret: str = Field(
        default=DEVELOPMENT_TOKEN_SECRET,
        min_length=32,
        description="The HMAC key that signs bearer tokens (set a real one in production)",
    )
    token_ttl_seconds: int = Field(default=3600, ge=60, description="How long a token lives")
    personal_data_master_key: str = Field(
        default=DEVELOPMENT_MASTER_KEY,
        min_length=44,
        max_length=44,
        pattern=r"^[A-Za-z0-9+/]{43}=$",
        description="Base64 of the 32-byte key that wraps each customer's personal-data key "
        "(the default is a public development key: production must set its own)",
    )
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        min_length=1,
        description="Kafka brokers to bootstrap from, host:port, comma-separated",
    )
    kafka_bootstrap_timeout_ms: int = Field(
        default=30_000,
        ge=100,
        le=600_000,
        description="How long a Kafka client waits for a broker when it starts; a worker that "
        "reaches none by then says so and exits 1",
    )
    kafka_events_topic: str = Field(
        default="journeys.events",
        pattern=r"^[A-Za-z0-9._-]{1,249}$",
        description="The topic the relay publishes every logged event to",
    )
    kafka_death_notifications_topic: str = Field(
        default="journeys.inbound.death-notifications",
        pattern=r"^[A-Za-z0-9._-]{1,249}$",
        description="Tell Us Once death notifications `journeys consume` applies",
    )
    kafka_sr1_submissions_topic: str = Field(
        default="journeys.inbound.sr1-submissions",
        pattern=r"^[A-Za-z0-9._-]{1,249}$",
        description="Clinicians' SR1 submissions `journeys consume` applies",
    )
    kafka_dead_letters_topic: str = Field(
        default="journeys.inbound.dead-letters",
        pattern=r"^[A-Za-z0-9._-]{1,249}$",
        description="Where inbound messages that cannot be applied go, with the reason",
    )
    kafka_inbound_group: str = Field(
        default="journeys-inbound",
        min_length=1,
        description="The consumer group of `journeys consume` (its committed offsets)",
    )
    projection_mode: Literal["log", "kafka"] = Field(
        default="log",
        description="Who builds the views this deployment reads: `log`, the in-process runner "
        "(`journeys projections follow`, the API's own follower), or `kafka`, the projection "
        "workers of `journeys project --from-kafka`. Every process of a deployment must agree.",
    )
    kafka_projection_group: str = Field(
        default="journeys-projections",
        min_length=1,
        description="The consumer group of `journeys project --from-kafka` (the workers)",
    )
    kafka_session_timeout_ms: int = Field(
        default=6000,
        ge=1000,
        le=60_000,
        description="How long a silent member of a consumer group keeps its partitions; "
        "a group forms in about half of it (the workers and `journeys consume`)",
    )

    @property
    def views_path(self) -> Path:
        """Where the embedded views live."""
        if self.views_sqlite_path is not None:
            return self.views_sqlite_path
        return self.sqlite_path.with_name(f"{self.sqlite_path.stem}-views.sqlite3")

    @property
    def contact_spool_path(self) -> Path:
        """Where the outbox spools released messages."""
        if self.contact_spool_dir is not None:
            return self.contact_spool_dir
        return self.sqlite_path.with_name(f"{self.sqlite_path.stem}-outbox")

    @property
    def uses_postgres(self) -> bool:
        """True when a PostgreSQL URL is configured."""
        return bool(self.database_url)
