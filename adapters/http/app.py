"""The HTTP API: built around an assembled system; runs the projections in-process if asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from adapters.bootstrap import Journeys, build
from adapters.http.auth import TokenIssuer
from adapters.http.errors import install_error_handlers
from adapters.http.metrics import Metrics
from adapters.http.routes import (
    auditor,
    case_items,
    caseworker,
    contacts,
    customers,
    debts,
    integrity,
    operations,
    personal_data,
    safeguarding,
    special_rules,
    transitions,
)
from services.settings import Settings

TITLE = "Journeys"
VERSION = "1"
# Every router the API serves, in the order the OpenAPI document lists them.
ROUTE_MODULES = (
    customers,
    caseworker,
    transitions,
    special_rules,
    safeguarding,
    contacts,
    debts,
    case_items,
    auditor,
    personal_data,
    integrity,
    operations,
)


def token_issuer(journeys: Journeys) -> TokenIssuer:
    """Tokens signed with the configured secret, checked against the system's clock."""
    return TokenIssuer(
        journeys.settings.token_secret,
        timedelta(seconds=journeys.settings.token_ttl_seconds),
        journeys.clock,
    )


def create_app(
    journeys: Journeys, *, run_projections: bool = True, close_system: bool = False
) -> FastAPI:
    """The API over a system; with run_projections the views follow the log in-process."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if run_projections:
            journeys.projections.start()
        try:
            yield
        finally:
            journeys.projections.stop()
            if close_system:
                journeys.close()

    app = FastAPI(
        title=TITLE,
        version=VERSION,
        description=(
            "Customer journeys of a welfare department. Self-service (role customer), "
            "caseworker and auditor endpoints; every command answers with the log position "
            "it reached, and every view can wait for a position (after_position)."
        ),
        lifespan=lifespan,
    )
    app.state.journeys = journeys
    app.state.tokens = token_issuer(journeys)
    app.state.metrics = Metrics(journeys.projections)
    app.state.metrics.install(app)
    install_error_handlers(app)
    for module in ROUTE_MODULES:
        app.include_router(module.router)
    return app


def reader_app() -> FastAPI:
    """The API over a system built from JOURNEYS_* variables, without projections.

    A factory for `journeys serve --workers N`: each worker process builds its own system
    (and closes it when it stops); the views are kept up to date by another process.
    """
    return create_app(build(Settings()), run_projections=False, close_system=True)
