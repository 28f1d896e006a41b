"""Every command route is derived from its declaration, and each command fits its use case.

A command's fields are the keyword arguments of the use case that handles it: a field the use
case does not take, or a required argument no field gives, fails here rather than as a 500 on
the first request. A POST route answering `CommandAccepted` written out by hand fails too, so
no route restates a command's fields again.
"""

from __future__ import annotations

import inspect
from datetime import date
from uuid import uuid4

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from adapters.http.app import ROUTE_MODULES
from adapters.http.commands import CommandRoute, command_route_of
from adapters.http.schemas import CommandAccepted
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


def test_every_route_answering_a_command_is_derived_from_a_command_route() -> None:
    written_by_hand = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in _routes()
        if route.response_model is CommandAccepted and command_route_of(route.endpoint) is None
    ]

    assert _command_routes(), "no command route found: the walk over the routers is broken"
    assert written_by_hand == []


@pytest.mark.parametrize("route", _command_routes(), ids=lambda route: route.path)
def test_each_command_gives_its_use_case_exactly_the_arguments_it_takes(
    route: CommandRoute,
) -> None:
    signature = inspect.signature(route.use_case)
    ids = [uuid4() for _ in route.path_parameters]
    arguments = dict.fromkeys(route.command.argument_names())

    # Raises TypeError naming the field the use case does not take or the argument not given.
    signature.bind(object(), *ids, **arguments)


def test_a_command_whose_field_the_use_case_does_not_take_is_caught() -> None:
    class Mistyped(Command):
        amount: int

    def use_case(application: object, debt_id: object, *, amount_pence: int) -> None: ...

    with pytest.raises(TypeError):
        inspect.signature(use_case).bind(object(), uuid4(), **dict.fromkeys(Mistyped.model_fields))


def test_nested_bodies_become_the_domains_values_and_flat_fields_are_gathered_into_one() -> None:
    class Details(Command):
        note: NonBlank

    class DomainDetails(BaseModel):
        note: str

    class Evidence(BaseModel):
        signed_on: date
        signer: str

    class Sent(Command):
        as_domain = {"details": DomainDetails}
        gathers = {"evidence": Evidence}

        details: Details | None
        signed_on: date
        signer: str
        count: int

    sent = Sent(details=Details(note="kept"), signed_on=date(2026, 1, 5), signer="Dr A", count=2)
    without_details = sent.model_copy(update={"details": None})

    assert Sent.argument_names() == ("details", "count", "evidence")
    assert sent.arguments() == {
        "details": DomainDetails(note="kept"),
        "count": 2,
        "evidence": Evidence(signed_on=date(2026, 1, 5), signer="Dr A"),
    }
    assert type(sent.arguments()["details"]) is DomainDetails  # never the command's own class
    assert without_details.arguments()["details"] is None
