"""The port every outbound message leaves by: the print house, SMS and email senders."""

from __future__ import annotations

from abc import ABC, abstractmethod
from uuid import UUID

from domain.contacts import OutboundMessage


class ContactGateway(ABC):
    """Hands released messages to whoever delivers them; idempotent by contact id."""

    @abstractmethod
    def deliver(self, customer_id: UUID, message: OutboundMessage) -> None:
        """Pass one message on; delivering the same contact id again changes nothing."""

    @abstractmethod
    def withdraw(self, customer_id: UUID) -> int:
        """Take back the customer's messages not yet collected (an erasure); how many."""
