"""`journeys erase`: erase a customer's personal data (crypto-shredding), unless held."""

from __future__ import annotations

from uuid import UUID

import typer

from adapters.bootstrap import build
from adapters.cli.terminal import console
from domain.aggregate import acting_as
from domain.errors import DomainError
from domain.values import Actor
from services.settings import Settings


def erase(
    customer_id: str = typer.Argument(..., help="The customer's id (a UUID)."),
    reason: str = typer.Option(..., help="Why the personal data is erased (recorded)."),
    by: str = typer.Option(..., help="The caseworker's staff id (recorded)."),
) -> None:
    """Erase a customer's personal data: their key is destroyed; facts and decisions remain."""
    try:
        customer = UUID(customer_id)
    except ValueError:
        raise typer.BadParameter(f"not a UUID: {customer_id!r}", param_hint="CUSTOMER_ID") from None
    with build(Settings()) as system, acting_as(Actor.caseworker(by)):
        try:
            recorded = system.erase_personal_data(customer, reason)
        except DomainError as error:
            console().print(f"[red]Refused[/red] ({type(error).__name__}): {error}")
            raise typer.Exit(code=2) from None
    console().print(
        f"Erased the personal data of customer {customer} (log position {recorded.position}): "
        "names, NINO, date of birth, addresses and contact details now read as [erased]."
    )
