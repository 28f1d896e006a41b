"""What every route needs: the assembled system, running commands, waiting for views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request, Response, status

from adapters.bootstrap import Journeys
from adapters.http.auth import Principal
from adapters.http.schemas import CommandAccepted
from domain.aggregate import acting_as
from services.journeys import Recorded

POSITION_HEADER = "X-Journeys-Position"
UNPROCESSABLE = 422  # named here: Starlette renamed its constant between releases


async def the_system(request: Request) -> Journeys:
    """The system the app was built with (async: no worker thread needed to look it up)."""
    journeys: Journeys = request.app.state.journeys
    return journeys


System = Annotated[Journeys, Depends(the_system)]

MAX_OFFSET = 2**31 - 1
"""No list is that long; past the 64-bit integers the databases take, a query would fail."""

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="entries to skip")]

Limit = Annotated[int, Query(ge=1, le=500, description="page length")]

MAX_LOG_POSITION = 2**63 - 1
"""The largest position the stores' 64-bit columns hold; past it a lookup cannot even be asked."""

LogPosition = Annotated[
    int, Path(ge=1, le=MAX_LOG_POSITION, description="the log position of the event")
]

MAX_DECISION_INDEX = 99
"""No event records that many decisions."""

DecisionIndex = Annotated[
    int, Path(ge=0, le=MAX_DECISION_INDEX, description="which of the event's decisions")
]

AfterPosition = Annotated[
    int | None,
    Query(
        ge=0,
        description="Wait (bounded) until the view includes this log position, e.g. the "
        "position a command returned, so you read your own write",
    ),
]


def run_command(
    journeys: Journeys,
    principal: Principal,
    response: Response,
    command: Callable[[], Recorded],
) -> CommandAccepted:
    """Run a command as the signed-in user and say where in the log it landed."""
    with acting_as(principal.actor):
        recorded = command()
    journeys.projections.nudge()
    response.headers[POSITION_HEADER] = str(recorded.position)
    return CommandAccepted(id=recorded.id, position=recorded.position)


def unprocessable(location: list[str], message: str) -> HTTPException:
    """A 422 shaped like FastAPI's own: one {loc, msg, type} naming the refused field."""
    return HTTPException(UNPROCESSABLE, [{"loc": location, "msg": message, "type": "value_error"}])


def wait_for_views(journeys: Journeys, after_position: int | None) -> None:
    """Hold a read until the views reach a position (503 with Retry-After if they do not).

    A position past the end of the log is no write of anyone's yet: 422 at once, not a wait.
    """
    if after_position is None:
        return
    last = journeys.projections.log.last_position()
    if after_position > last:
        raise unprocessable(
            ["query", "after_position"],
            f"after_position {after_position} is past the end of the log ({last}): "
            "pass a position a command returned",
        )
    if not journeys.projections.wait_for(after_position, journeys.settings.read_wait_seconds):
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            f"the views have not reached log position {after_position} yet; try again",
            headers={"Retry-After": "1"},
        )
