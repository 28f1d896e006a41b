"""Every command route is derived from its declaration, and each command fits its use case.

A command's fields are the keyword arguments of the use case that handles it: a field the use
case does not take, or a required argument no field gives, fails here rather than as a 500 on
the first request. A POST route answering `CommandAccepted` written out by hand fails too, so
no route restates a command's fields again.
"""

from __future__ import annotations

import inspect
from uuid import uuid4

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from adapters.http.app import ROUTE_MODULES
from adapters.http.commands import CommandRoute, command_route_of
from services.commands import Command, NonBlank


def _routes() -> list[APIRoute]:
    return [
        route
        for module in ROUTE_MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute)
    ]


def _command_routes() -> list[CommandRoute]:
    return [r for route in _routes() if (r := command_route_of(route.endpoint)) is not None]


@pytest.mark.parametrize("route", _command_routes(), ids=lambda route: route.path)
def test_each_command_gives_its_use_case_exactly_the_arguments_it_takes(
    route: CommandRoute,
) -> None:
    signature = inspect.signature(route.use_case)
    ids = [uuid4() for _ in route.path_parameters]
    arguments = dict.fromkeys(route.command.model_fields)

    # Raises TypeError naming the field the use case does not take or the argument not given.
    signature.bind(object(), *ids, **arguments)


def test_a_command_whose_field_the_use_case_does_not_take_is_caught() -> None:
    class Mistyped(Command):
        amount: int

    def use_case(application: object, debt_id: object, *, amount_pence: int) -> None: ...

    with pytest.raises(TypeError):
        inspect.signature(use_case).bind(object(), uuid4(), **dict.fromkeys(Mistyped.model_fields))


def test_arguments_keep_nested_values_as_the_domains_objects() -> None:
    class Inner(BaseModel):
        note: NonBlank

    class Outer(Command):
        inner: Inner
        count: int

    command = Outer(inner=Inner(note="kept"), count=2)

    assert command.arguments() == {"inner": Inner(note="kept"), "count": 2}
    assert isinstance(command.arguments()["inner"], Inner)
