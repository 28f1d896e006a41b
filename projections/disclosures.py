"""The disclosure view: every recorded staff read, by customer and by colleague."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.disclosure import Disclosure
from projections.model import DisclosureEntry
from projections.projection import LoggedEvent, OwnersBatch, Projection


class DisclosureBatch(OwnersBatch, Protocol):
    """What the disclosures projection asks of a view batch: its own table, and owners."""

    def add_disclosures(self, entries: Sequence[DisclosureEntry]) -> None:
        """Append disclosure rows."""
        ...


class DisclosureProjection(Projection[DisclosureBatch]):
    """One row per recorded read (Disclosure.Recorded); every other event is ignored."""

    name = "disclosures"
    tables = ("view_disclosure",)

    def apply(self, events: Sequence[LoggedEvent], batch: DisclosureBatch) -> None:
        """Add a row for each disclosure."""
        batch.add_disclosures(
            [
                DisclosureEntry(
                    position=logged.position,
                    customer_id=event.customer,
                    subject=event.subject,
                    role=event.role.value,
                    purpose=event.purpose,
                    resource=event.resource,
                    path=event.path,
                    read_at=event.timestamp,
                )
                for logged in events
                if isinstance(event := logged.event, Disclosure.Recorded)
            ]
        )
