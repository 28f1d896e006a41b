"""Outbound contact: every letter, text and email goes through one outbox; none after a death."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.contacts import OutboundMessage, channel_for
from domain.customer import Customer
from domain.errors import MissingDescription
from domain.values import ContactChannel, ContactPreferences
from services.base import JourneysBase, Recorded

CASEWORKER_TEMPLATE = "caseworker_message"
"""The template id of a message a caseworker wrote."""


class ContactUseCases(JourneysBase):
    """Use cases of this area (one method each: load, command, save once)."""

    def send_message(
        self,
        customer_id: UUID,
        *,
        subject: str,
        body: str,
        channel: ContactChannel | None = None,
    ) -> Recorded:
        """Queue a caseworker's message (refused and recorded if the customer has died)."""
        if not subject.strip():
            raise MissingDescription("subject: a message needs a subject", field="subject")
        if not body.strip():
            raise MissingDescription("body: a message needs some text", field="body")
        contact_id = uuid.uuid4()
        today = self.clock.today()

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            preferences = customer.contact_preferences
            if channel is not None:
                preferences = ContactPreferences(
                    channel=channel,
                    large_print=preferences.large_print,
                    language=preferences.language,
                )
            customer.queue_contact(
                OutboundMessage(
                    contact_id=contact_id,
                    channel=channel_for(preferences),
                    template_id=CASEWORKER_TEMPLATE,
                    subject=subject.strip(),
                    body=body.strip(),
                    large_print=preferences.large_print,
                    language=preferences.language,
                ),
                today,
            )
            return (customer,)

        return Recorded(contact_id, self._save_with_retries(customer_id, command))

    def dispatch_contact(self, customer_id: UUID, contact_id: UUID) -> OutboundMessage | None:
        """Claim a queued contact for the gateway: the message, or None when a death refused it.

        The claim (ContactSent) is saved with optimistic concurrency on the customer, so a
        death notified at the same moment either comes first (the contact is refused) or
        after (the message had already gone).
        """
        today = self.clock.today()
        claimed: list[OutboundMessage | None] = [None]

        def command(fresh: bool) -> Sequence[JourneyAggregate]:
            customer = self._load(customer_id, Customer, fresh=fresh)
            claimed[0] = customer.dispatch_contact(contact_id, today)
            return (customer,)

        self._save_with_retries(customer_id, command)
        return claimed[0]

    def _stop_payments_on_death(
        self, customer: Customer, date_of_death: date, fresh: bool
    ) -> list[Claim]:
        """Every claim of the customer with an award in payment, stopped from after the death."""
        stopped = []
        for claim_id in customer.claims:
            claim = self._load(claim_id, Claim, fresh=fresh)
            if claim.stop_payments_on_death(date_of_death):
                stopped.append(claim)
        return stopped
