"""Commands on a customer's outbound contact: a caseworker's message."""

from __future__ import annotations

from pydantic import Field

from domain.values import ContactChannel
from services.commands import Command


class SendMessage(Command):
    """A caseworker's message to the customer."""

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)
    channel: ContactChannel | None = Field(
        default=None, description="how to send it (default: the customer's preference)"
    )
