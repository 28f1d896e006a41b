"""Outbound contact: one message to a customer (letter, text or email) and why it went.

Every contact is recorded on the Customer (queued, then sent or refused), so the guard
against contacting someone whose death has been notified sits in one place.
"""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Annotated
from uuid import UUID

from pydantic import Field

from domain.obligations import CODE
from domain.values import ContactChannel, ContactPreferences, EventRef, ValueObject

# Contacts a fact implies get an id derived from that fact, so the same fact can never
# queue its letter twice (a retried command, a redelivered message).
_CONTACT_NAMESPACE = uuid.UUID("6c1d2a8e-4f4b-4b8e-9a51-2d7e0c3f9b14")


def contact_id_for(about: EventRef) -> UUID:
    """The id of the contact a recorded fact implies."""
    return uuid.uuid5(_CONTACT_NAMESPACE, f"{about.aggregate_id}:{about.version}")


def channel_for(preferences: ContactPreferences) -> ContactChannel:
    """The channel a written message goes by: the customer's choice, by post if they chose phone."""
    if preferences.channel is ContactChannel.PHONE:
        return ContactChannel.LETTER
    return preferences.channel


class ContactStatus(Enum):
    """Where an outbound contact stands."""

    QUEUED = "queued"
    SENT = "sent"
    REFUSED = "refused"


class OutboundMessage(ValueObject):
    """One message to a customer, with the template it came from and the fact it is about."""

    contact_id: UUID
    channel: ContactChannel
    template_id: Annotated[str, CODE] = Field(min_length=1)
    subject: str = Field(min_length=1)
    body: str = Field(min_length=1)
    about: EventRef | None = Field(
        default=None, description="the recorded fact the message tells of (None: a caseworker's)"
    )
    large_print: bool = False
    language: Annotated[str, CODE] = "en"
