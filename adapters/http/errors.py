"""How refused commands and missing records become HTTP answers; nothing was appended."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from adapters.http.deps import UNPROCESSABLE
from domain.errors import DomainError, LegalHoldInForce, PersonalDataAlreadyErased
from projections.runner import UnknownProjection
from services.errors import (
    ConcurrentUpdate,
    CustomerAlreadyRegistered,
    NotFound,
    TransitionAlreadyStarted,
)


def _problem(status_code: int, error: Exception, field: str | None = None) -> JSONResponse:
    # The same shape as FastAPI's own 422s: a list of {loc, msg, type}.
    location = ["body", field] if field else ["body"]
    return JSONResponse(
        status_code=status_code,
        content={"detail": [{"loc": location, "msg": str(error), "type": type(error).__name__}]},
    )


def install_error_handlers(app: FastAPI) -> None:
    """404 unknown records, 409 conflicts, 422 refused commands, 503 a lost database connection."""

    @app.exception_handler(NotFound)
    async def not_found(_: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)})

    @app.exception_handler(UnknownProjection)
    async def unknown_projection(_: Request, error: UnknownProjection) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error.args[0])}
        )

    @app.exception_handler(ConcurrentUpdate)
    async def conflict(_: Request, error: ConcurrentUpdate) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={"detail": str(error), "retryable": True},
        )

    async def already_exists(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={"detail": str(error), "retryable": False},
        )

    # One customer per NINO, one transition per customer: retrying cannot help. Nor can it
    # erase under a legal hold, or erase twice.
    for exists in (
        CustomerAlreadyRegistered,
        TransitionAlreadyStarted,
        LegalHoldInForce,
        PersonalDataAlreadyErased,
    ):
        app.add_exception_handler(exists, already_exists)

    async def database_unavailable(_: Request, error: Exception) -> JSONResponse:
        # A lost connection mid-command: the transaction committed whole or not at all, and
        # the answer may have been lost on the way back, so the client must look, then retry.
        return JSONResponse(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            content={
                "detail": "the database connection failed; a command was stored whole or not "
                "at all: read the record, then retry",
                "retryable": True,
            },
            headers={"Retry-After": "1"},
        )

    lost_connections = (
        OperationalError,
        InterfaceError,
        psycopg.OperationalError,
        psycopg.InterfaceError,
    )
    for lost in lost_connections:
        app.add_exception_handler(lost, database_unavailable)

    @app.exception_handler(DomainError)
    async def refused(_: Request, error: DomainError) -> JSONResponse:
        # The field is the error's own data (its class's, or the raising site's), never
        # read out of the message: wording can change without changing the API.
        return _problem(UNPROCESSABLE, error, error.field)
