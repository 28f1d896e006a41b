"""Fakes of the outbox's ports, for unit tests only (integration tests use the spool and views)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.contacts import OutboundMessage
from services.contact_gateway import ContactGateway
from services.journeys import JourneysApplication
from services.outbox import QueuedContact, QueuedContactIndex


class FakeGateway(ContactGateway):
    """Keeps what it was given, once per contact id; can be told to fail."""

    def __init__(self) -> None:
        self.delivered: dict[UUID, tuple[UUID, OutboundMessage]] = {}
        self.failing = False

    def deliver(self, customer_id: UUID, message: OutboundMessage) -> None:
        """Keep the message (a second delivery of the same contact changes nothing)."""
        if self.failing:
            raise OSError("the print house is not answering")
        self.delivered.setdefault(message.contact_id, (customer_id, message))

    def withdraw(self, customer_id: UUID) -> int:
        """Forget the customer's messages."""
        mine = [c for c, (customer, _) in self.delivered.items() if customer == customer_id]
        for contact_id in mine:
            del self.delivered[contact_id]
        return len(mine)


class CustomersIndex(QueuedContactIndex):
    """Reads queued contacts straight from the named customers' records."""

    def __init__(self, application: JourneysApplication, customer_ids: Sequence[UUID]) -> None:
        self.application = application
        self.customer_ids = customer_ids

    def queued(self, limit: int) -> Sequence[QueuedContact]:
        """Every queued contact of the named customers."""
        found = [
            QueuedContact(customer_id=customer_id, contact_id=contact_id)
            for customer_id in self.customer_ids
            for contact_id in self.application.customer(customer_id).queued_contacts
        ]
        return found[:limit]
