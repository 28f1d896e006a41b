"""The one registry of facts that mean writing to the customer, derived from the events.

A recorded fact implies a contact when the department must tell the customer about it: its
event class declares the letter beside itself (``@implies(letter=Letter(...))``, or
``NoLetter`` with the reason it sends nothing). The write path (services/base.py) looks every
stored event up here and queues the message on the Customer in the same save. Nothing else
causes contact, except a caseworker's own message through the same outbox.

The texts are plain and built from the event's dates and rates only: never from a decision
maker's free-text reasons, and never naming the basis of a decision (a third party may have
claimed without the customer knowing why).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.aggregate import JourneyAggregate
from domain.contacts import OutboundMessage, channel_for, contact_id_for
from domain.events import recorded_event_classes
from domain.obligations import Letter, NoLetter, implications_of
from domain.values import ContactPreferences, EventRef


@dataclass(frozen=True)
class LetterTemplate:
    """A letter a fact implies: its template id, subject line and body."""

    template_id: str
    subject: str
    body: Callable[[Any], str]

    def message(
        self, event: JourneyAggregate.Event, preferences: ContactPreferences
    ) -> OutboundMessage:
        """The message this letter gives for one recorded event, by the customer's channel."""
        about = EventRef(aggregate_id=event.originator_id, version=event.originator_version)
        return OutboundMessage(
            contact_id=contact_id_for(about),
            channel=channel_for(preferences),
            template_id=self.template_id,
            subject=self.subject,
            body=self.body(event),
            about=about,
            large_print=preferences.large_print,
            language=preferences.language,
        )


LETTERS: Mapping[type[JourneyAggregate.Event], LetterTemplate] = {
    cls: LetterTemplate(implied.letter.template_id, implied.letter.subject, implied.letter.body)
    for cls in recorded_event_classes()
    if (implied := implications_of(cls)) is not None and isinstance(implied.letter, Letter)
}
"""Every fact that means writing to the customer, and its letter (as its class declares)."""

NOT_CONTACTS: Mapping[type[JourneyAggregate.Event], str] = {
    cls: implied.letter.reason
    for cls in recorded_event_classes()
    if (implied := implications_of(cls)) is not None and isinstance(implied.letter, NoLetter)
}
"""Every fact that sends nothing, and why (as its class declares)."""


def letter_for(event: JourneyAggregate.Event) -> LetterTemplate | None:
    """The letter a recorded fact implies, if any."""
    return LETTERS.get(type(event))
