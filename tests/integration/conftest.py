"""Fixtures for the integration tests: more instances of the system on the same event store."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from adapters.bootstrap import Journeys, build
from services.clock import SimulatedClock
from services.settings import Settings

OpenSystem = Callable[..., Journeys]


@pytest.fixture
def open_system(settings: Settings, clock: SimulatedClock) -> Iterator[OpenSystem]:
    """Build further instances on the same store (another process, a restart), closed after."""
    opened: list[Journeys] = []

    def _open(*, command_attempts: int | None = None) -> Journeys:
        chosen = settings
        if command_attempts is not None:
            chosen = settings.model_copy(update={"command_attempts": command_attempts})
        system = build(chosen, clock=clock)
        opened.append(system)
        return system

    yield _open
    for system in opened:
        system.close()


@pytest.fixture
def rival(open_system: OpenSystem) -> Journeys:
    """A second instance of the system writing to the same store."""
    return open_system()
