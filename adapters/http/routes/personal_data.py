"""Routes for personal data: caseworkers place and lift legal holds, and erase.

Erasure destroys the customer's key (crypto-shredding): afterwards every personal field of
theirs reads as "[erased]" (a date of birth as null) in every view, while decisions, dates
and amounts stay. It is refused with 409 while a legal hold is in force, and when the data
was erased already. Auditors read and never write, so holds are caseworkers' commands too.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from adapters.http.auth import Caseworker
from adapters.http.deps import System, run_command
from adapters.http.schemas import CommandAccepted
from services.commands.personal_data import GiveReason

router = APIRouter(tags=["personal data"])


@router.post("/customers/{customer_id}/legal-hold", status_code=201)
def place_legal_hold(
    customer_id: UUID,
    body: GiveReason,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Keep the customer's personal data from erasure until the hold is lifted."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.place_legal_hold(customer_id, body.reason),
    )


@router.post("/customers/{customer_id}/legal-hold/lift", status_code=201)
def lift_legal_hold(
    customer_id: UUID,
    body: GiveReason,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Lift the customer's legal hold, so that their personal data may be erased."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.lift_legal_hold(customer_id, body.reason),
    )


@router.post("/customers/{customer_id}/erasure", status_code=201)
def erase_personal_data(
    customer_id: UUID,
    body: GiveReason,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Erase the customer's personal data (409 under a legal hold or when already erased)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.erase_personal_data(customer_id, body.reason),
    )
