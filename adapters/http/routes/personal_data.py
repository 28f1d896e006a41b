"""Routes for personal data: caseworkers place and lift legal holds, and erase.

Erasure destroys the customer's key (crypto-shredding): afterwards every personal field of
theirs reads as "[erased]" (a date of birth as null) in every view, while decisions, dates
and amounts stay. It is refused with 409 while a legal hold is in force, and when the data
was erased already. Auditors read and never write, so holds are caseworkers' commands too.
"""

from __future__ import annotations

from fastapi import APIRouter

from adapters.bootstrap import Journeys
from adapters.http.auth import Caseworker
from adapters.http.commands import CommandRoute, add_command_routes
from services.commands.personal_data import GiveReason
from services.journeys import JourneysApplication

router = APIRouter(tags=["personal data"])


add_command_routes(
    router,
    [
        CommandRoute(
            "/customers/{customer_id}/legal-hold",
            GiveReason,
            JourneysApplication.place_legal_hold,
            Caseworker,
            created=True,
            description="Keep the customer's personal data from erasure until the hold is lifted.",
        ),
        CommandRoute(
            "/customers/{customer_id}/legal-hold/lift",
            GiveReason,
            JourneysApplication.lift_legal_hold,
            Caseworker,
            created=True,
            description="Lift the customer's legal hold, so that their personal data may be "
            "erased.",
        ),
        CommandRoute(
            "/customers/{customer_id}/erasure",
            GiveReason,
            Journeys.erase_personal_data,
            Caseworker,
            created=True,
            on_system=True,
            description="Erase the customer's personal data (409 under a legal hold or when "
            "already erased).",
        ),
    ],
)
