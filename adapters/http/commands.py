"""Command routes derived from a table: the path, who may send it, the command and its use case.

Every command route did the same thing in its own 20 lines: take the body, restate its fields
as the use case's arguments, run it as the signed-in user and answer where it landed. Here each
route is one `CommandRoute` and the endpoint is built from it, keeping what a client sees: its
own path, operation id, roles, description, request and response models in the OpenAPI.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from inspect import Parameter, Signature, cleandoc
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from adapters.bootstrap import Journeys
from adapters.http.auth import Principal
from adapters.http.deps import System, run_command
from adapters.http.schemas import CommandAccepted
from services.base import Recorded
from services.commands import Command

Check = Callable[[Journeys, Principal, UUID], object]
"""Run before the command with the path's first id: e.g. 403 for a token of another customer."""

_PATH_PARAMETER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class CommandRoute:
    """One command's route: where it is sent, by whom, what it carries and what handles it."""

    path: str
    command: type[Command]
    use_case: Callable[..., Recorded]
    """Called as use_case(application, *path_values, **command.arguments())."""
    sender: object
    """The principal dependency saying who may send it, e.g. `Caseworker`."""
    description: str
    created: bool = False
    """201 Created: the command makes something new (its id is in the answer)."""
    check: Check | None = None
    name: str | None = None
    """The operation's name (its operationId's start); the use case's name by default."""
    on_system: bool = False
    """The use case is the assembled system's, not the application's: it reaches beyond the log
    (erasure also withdraws the customer's queued letters from the outbox)."""
    path_types: Mapping[str, object] = field(default_factory=dict)
    """The type of each path parameter that is not an id (a UUID), e.g. a bounded number."""

    @property
    def operation_name(self) -> str:
        """The name given, else the use case's (FastAPI builds the operationId from it)."""
        return self.name or self.use_case.__name__

    @property
    def path_parameters(self) -> tuple[str, ...]:
        """The names of the path's parameters, in the order the use case takes them."""
        return tuple(_PATH_PARAMETER.findall(self.path))


def add_command_routes(router: APIRouter, routes: Iterable[CommandRoute]) -> None:
    """Add a POST route to the router for each command route, in order."""
    for route in routes:
        router.add_api_route(
            route.path,
            _endpoint(route),
            methods=["POST"],
            status_code=201 if route.created else 200,
            response_model=CommandAccepted,
            name=route.operation_name,
            description=cleandoc(route.description),
        )


def _endpoint(route: CommandRoute) -> Callable[..., CommandAccepted]:
    """A FastAPI endpoint for the route, its signature spelt out so the OpenAPI shows it all."""
    names = route.path_parameters

    def endpoint(**values: Any) -> CommandAccepted:
        journeys: Journeys = values["journeys"]
        principal: Principal = values["principal"]
        command: Command = values["body"]
        path_values = tuple(values[name] for name in names)
        if route.check is not None and path_values:
            route.check(journeys, principal, path_values[0])
        return run_command(
            journeys,
            principal,
            values["response"],
            lambda: route.use_case(
                journeys if route.on_system else journeys.application,
                *path_values,
                **command.arguments(),
            ),
        )

    ordinary = Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        Parameter(name, ordinary, annotation=route.path_types.get(name, UUID)) for name in names
    ]
    parameters += [
        Parameter("body", ordinary, annotation=route.command),
        Parameter("principal", ordinary, annotation=route.sender),
        Parameter("journeys", ordinary, annotation=System),
        Parameter("response", ordinary, annotation=Response),
    ]
    # FastAPI reads what to inject from the signature: this one is the route's own.
    endpoint.__signature__ = Signature(parameters, return_annotation=CommandAccepted)  # type: ignore[attr-defined]
    endpoint.__name__ = route.operation_name
    endpoint.__doc__ = route.description
    endpoint.command_route = route  # type: ignore[attr-defined]  # for the reflection test
    return endpoint


def command_route_of(endpoint: Callable[..., object]) -> CommandRoute | None:
    """The command route an endpoint was built from (None for a hand-written one)."""
    route = getattr(endpoint, "command_route", None)
    return route if isinstance(route, CommandRoute) else None
