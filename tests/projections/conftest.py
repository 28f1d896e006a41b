"""Fixtures for the projection tests: more instances of the system on the same stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from adapters.bootstrap import Journeys, build
from services.clock import SimulatedClock
from services.settings import Settings

OpenSystem = Callable[[], Journeys]


@pytest.fixture
def open_system(settings: Settings, clock: SimulatedClock) -> Iterator[OpenSystem]:
    """Build further instances on the same event store and views (another process), closed after."""
    opened: list[Journeys] = []

    def _open() -> Journeys:
        system = build(settings, clock=clock)
        opened.append(system)
        return system

    yield _open
    for system in opened:
        system.close()
