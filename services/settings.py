"""The one typed settings object everything is built from."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    command_attempts: int = Field(
        default=3, ge=1, description="How often a command is tried when it hits a conflict"
    )

    @property
    def uses_postgres(self) -> bool:
        """True when a PostgreSQL URL is configured."""
        return bool(self.database_url)
