"""Case items of kind contact: one per outbound message, queued (open), sent or refused.

A refused contact (the customer's death was notified) stays visible to caseworkers with its
reason; a queued one is the outbox's work still to do.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.contacts import ContactStatus, OutboundMessage
from domain.customer import Customer
from projections.case_items.batch import CaseItems
from projections.model import CaseItem, CaseItemKind
from projections.projection import LoggedEvent


def _details(message: OutboundMessage, reason: str | None) -> dict[str, Any]:
    details = message.model_dump(mode="json", exclude={"contact_id"})
    details["reason"] = reason
    return details


def _title(message: OutboundMessage, status: ContactStatus) -> str:
    channel = message.channel.value
    if status is ContactStatus.REFUSED:
        return f"Not sent ({channel}): {message.subject}"
    return f"{channel.capitalize()} {status.value}: {message.subject}"


def update_contacts(logged: LoggedEvent, customer_id: UUID | None, batch: CaseItems) -> None:
    """Open, change or close this area's case items for one event (others are ignored)."""
    event = logged.event
    if isinstance(event, Customer.ContactQueued):
        batch.put_case_item(
            CaseItem(
                item_id=event.message.contact_id,
                kind=CaseItemKind.CONTACT,
                customer_id=event.originator_id,
                status=ContactStatus.QUEUED.value,
                open=True,
                opened_on=event.effective_date,
                title=_title(event.message, ContactStatus.QUEUED),
                details=_details(event.message, None),
                updated_position=logged.position,
            )
        )
    elif isinstance(event, Customer.ContactSent):
        current = batch.case_item(event.contact_id)
        if current is None:
            return
        batch.put_case_item(
            current.model_copy(
                update={
                    "status": ContactStatus.SENT.value,
                    "open": False,
                    "closed_on": event.effective_date,
                    "title": current.title.replace(" queued: ", " sent: ", 1),
                    "updated_position": logged.position,
                }
            )
        )
    elif isinstance(event, Customer.ContactRefused):
        current = batch.case_item(event.message.contact_id)
        batch.put_case_item(
            CaseItem(
                item_id=event.message.contact_id,
                kind=CaseItemKind.CONTACT,
                customer_id=event.originator_id,
                status=ContactStatus.REFUSED.value,
                open=False,
                opened_on=current.opened_on if current is not None else event.effective_date,
                title=_title(event.message, ContactStatus.REFUSED),
                details=_details(event.message, event.reason),
                closed_on=event.effective_date,
                updated_position=logged.position,
            )
        )
