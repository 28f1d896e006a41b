"""Reliability fixtures: the Kafka fixtures re-exported, and the system on PostgreSQL alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import Journeys, build
from services.clock import SimulatedClock
from services.settings import Settings
from tests.conftest import postgres_settings_for
from tests.kafka.conftest import events_topic, kafka_broker

__all__ = ["events_topic", "kafka_broker", "postgres_settings", "postgres_systems"]

PostgresSystems = Callable[..., Journeys]


@pytest.fixture
def postgres_settings(postgres_url: str, postgres_schema: str, tmp_path: Path) -> Settings:
    """Settings for this test's own PostgreSQL schema (the faults here are PostgreSQL's)."""
    return postgres_settings_for(
        postgres_url, postgres_schema, contact_spool_dir=tmp_path / "outbox"
    )


@pytest.fixture
def postgres_systems(
    postgres_settings: Settings, clock: SimulatedClock
) -> Iterator[PostgresSystems]:
    """Build instances of the system on that schema (as separate processes would), closed after."""
    opened: list[Journeys] = []

    def open_one(**changes: object) -> Journeys:
        system = build(postgres_settings.model_copy(update=changes), clock=clock)
        opened.append(system)
        return system

    yield open_one
    for system in opened:
        system.close()
