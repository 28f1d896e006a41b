"""Operator routes: health, metrics and projection status (no personal data)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from adapters.http.deps import System
from adapters.http.metrics import Metrics
from adapters.http.schemas import Health, ProjectionStatus

router = APIRouter(tags=["operations"])


@router.get("/health", responses={503: {"description": "a store does not answer"}})
def health(journeys: System) -> Health:
    """The log and view stores answer; how far each projection has got."""
    try:
        statuses = journeys.projections.status()
    except Exception as error:  # any failure to reach a store means: not healthy
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, f"a store does not answer: {type(error).__name__}"
        ) from None
    return Health(
        status="ok",
        log_position=statuses[0].log_position if statuses else 0,
        projections={status.name: status.position for status in statuses},
    )


@router.get("/projections")
def projections(journeys: System) -> list[ProjectionStatus]:
    """Each projection's position and lag behind the log."""
    return [
        ProjectionStatus(
            name=status.name,
            position=status.position,
            log_position=status.log_position,
            lag=status.lag,
        )
        for status in journeys.projections.status()
    ]


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text: request counts and latency, projection positions and lag."""
    registry: Metrics = request.app.state.metrics
    return Response(registry.exposition(), media_type="text/plain; version=0.0.4")
