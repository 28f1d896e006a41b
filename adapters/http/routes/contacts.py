"""Outbound contact: messages to customers, and what was sent or refused (caseworkers).

A message is queued on the customer's record and released by the outbox worker; after a
death has been notified it is refused, and the refusal is listed here with its reason.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.http.auth import Caseworker
from adapters.http.deps import AfterPosition, Limit, Offset, System, run_command, wait_for_views
from adapters.http.disclosure import CaseworkerOrAuditorReads
from adapters.http.schemas import CommandAccepted
from domain.values import ContactChannel
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page
from services.commands import Command

router = APIRouter(tags=["contacts"])


class SendMessage(Command):
    """A caseworker's message to the customer."""

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)
    channel: ContactChannel | None = Field(
        default=None, description="how to send it (default: the customer's preference)"
    )


class ContactPage(BaseModel):
    """A page of a customer's outbound contacts: queued, sent and refused (with the reason)."""

    contacts: list[CaseItem]
    total: int
    limit: int
    offset: int


@router.post("/customers/{customer_id}/messages", status_code=201)
def send_message(
    customer_id: UUID,
    body: SendMessage,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Queue a message to the customer (refused, and the refusal recorded, after a death)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.send_message(
            customer_id, subject=body.subject, body=body.body, channel=body.channel
        ),
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
