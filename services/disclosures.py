"""The disclosure audit: each staff read of a customer's data is recorded before it is served."""

from __future__ import annotations

from uuid import UUID

from domain.aggregate import recording_at
from domain.disclosure import Disclosure, ReaderRole
from services.base import JourneysBase, Recorded


class DisclosureUseCases(JourneysBase):
    """Use cases of this area (one method each)."""

    def record_disclosure(
        self,
        *,
        customer: UUID | None,
        subject: str,
        role: ReaderRole,
        purpose: str | None,
        resource: str,
        path: str,
    ) -> Recorded:
        """Record that staff read a customer's data (or a list of many), and why."""
        with recording_at(self.clock.now()):
            disclosure = Disclosure.record(
                customer=customer,
                subject=subject,
                role=role,
                purpose=purpose,
                resource=resource,
                path=path,
            )
        # Stored straight through the event store rather than _store: a disclosure is never
        # loaded again, and putting each one in the cache of recent aggregates would push
        # out the records that commands do load. A new random id cannot conflict.
        recordings = self.events.put(disclosure.collect_events())
        return Recorded(disclosure.id, max(r.notification.id for r in recordings))
