"""Fixtures for the API tests: the app over the real system, and signed tokens for each role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys, build
from adapters.http.app import create_app
from services.clock import SimulatedClock
from services.settings import Settings
from tests.api.helpers import Tokens


@pytest.fixture
def app(journeys: Journeys) -> FastAPI:
    """The HTTP API over the system, with the projection runner following in-process."""
    return create_app(journeys)


@pytest.fixture
def api(app: FastAPI) -> Iterator[TestClient]:
    """A client of the app, entered so that the app's lifespan starts the projection runner."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def tokens(journeys: Journeys) -> Tokens:
    """Bearer headers for customers, caseworkers and auditors, signed as the app checks them."""
    return Tokens(journeys)


@pytest.fixture
def idle_journeys(settings: Settings, clock: SimulatedClock) -> Iterator[Journeys]:
    """The system with nobody following the log, and reads that wait only 0.2 s for a position."""
    system = build(settings.model_copy(update={"read_wait_seconds": 0.2}), clock=clock)
    try:
        yield system
    finally:
        system.close()


@pytest.fixture
def idle_api(idle_journeys: Journeys) -> Iterator[TestClient]:
    """A client of an app that does not run the projections (as with a separate worker)."""
    with TestClient(create_app(idle_journeys, run_projections=False)) as client:
        yield client
