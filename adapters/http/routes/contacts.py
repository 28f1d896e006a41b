"""Outbound contact: messages to customers, and what was sent or refused (caseworkers).

A message is queued on the customer's record and released by the outbox worker; after a
death has been notified it is refused, and the refusal is listed here with its reason.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from adapters.http.auth import Caseworker
from adapters.http.commands import CommandRoute, add_command_routes
from adapters.http.deps import AfterPosition, Limit, Offset, System, wait_for_views
from adapters.http.disclosure import CaseworkerOrAuditorReads
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page
from services.commands.contacts import SendMessage
from services.journeys import JourneysApplication

router = APIRouter(tags=["contacts"])


class ContactPage(BaseModel):
    """A page of a customer's outbound contacts: queued, sent and refused (with the reason)."""

    contacts: list[CaseItem]
    total: int
    limit: int
    offset: int


add_command_routes(
    router,
    [
        CommandRoute(
            "/customers/{customer_id}/messages",
            SendMessage,
            JourneysApplication.send_message,
            Caseworker,
            created=True,
            description="Queue a message to the customer (refused, and the refusal recorded, "
            "after a death).",
        )
    ],
)


@router.get("/customers/{customer_id}/contacts")
def customer_contacts(
    customer_id: UUID,
    principal: CaseworkerOrAuditorReads,
    journeys: System,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> ContactPage:
    """Every outbound contact to the customer, with its status and any refusal's reason."""
    wait_for_views(journeys, after_position)
    found, total = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.CONTACT, customer_id=customer_id),
        Page(limit=limit, offset=offset),
    )
    if total == 0:
        journeys.application.customer(customer_id)  # 404 for an unknown customer
    return ContactPage(contacts=found, total=total, limit=limit, offset=offset)
