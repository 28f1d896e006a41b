"""Case items: what caseworkers must see or act on, one generic view for several areas.

Special Rules cases, outbound contacts (refused ones above all), safeguarding work and debts
(hardship requests, debts the estate owes) each open, change and close items here; each
area's module says how its events do that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from projections.case_items.contacts import update_contacts
from projections.case_items.debts import update_debts
from projections.case_items.safeguarding import update_safeguarding
from projections.case_items.special_rules import update_special_rules
from projections.projection import LoggedEvent, Projection, owner_of, prefetch_owners
from projections.store import ViewBatch

CaseItemUpdater = Callable[[LoggedEvent, UUID | None, ViewBatch], None]
"""Changes the case items one event concerns; ignores events of other areas."""

UPDATERS: tuple[CaseItemUpdater, ...] = (
    update_special_rules,
    update_contacts,
    update_safeguarding,
    update_debts,
)


class CaseItemProjection(Projection):
    """One row per case item, kept current by every area's updater."""

    name = "case_items"
    tables = ("view_case_item",)

    def apply(self, events: Sequence[LoggedEvent], batch: ViewBatch) -> None:
        """Let each area's updater see every event, in log order."""
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            for update in UPDATERS:
                update(logged, customer_id, batch)
