"""Case items: what caseworkers must see or act on, one generic view for several areas.

Special Rules cases, outbound contacts (refused ones above all), safeguarding work and debts
(hardship requests, debts the estate owes) each open, change and close items here; each
area's module says how its events do that.

An item that holds personal data keeps its erased form beside it, built by the same updaters
from the events as they read once erased (``erased_copy``); erasing the customer swaps it in,
so the view reads as a rebuild after the erasure would, whatever the events held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from domain.customer import Customer
from projections.case_items.batch import CaseItemBatch, CaseItems
from projections.case_items.contacts import update_contacts
from projections.case_items.debts import update_debts
from projections.case_items.safeguarding import update_safeguarding
from projections.case_items.special_rules import update_special_rules
from projections.model import CaseItem
from projections.projection import (
    LoggedEvent,
    Projection,
    as_erased,
    owner_of,
    prefetch_owners,
)

CaseItemUpdater = Callable[[LoggedEvent, UUID | None, CaseItems], None]
"""Changes the case items one event concerns; ignores events of other areas."""

UPDATERS: tuple[CaseItemUpdater, ...] = (
    update_special_rules,
    update_contacts,
    update_safeguarding,
    update_debts,
)


class _ErasedForms(CaseItems):
    """The batch as the updaters see it while they build items' erased forms."""

    def __init__(self, batch: CaseItemBatch, holds_personal_data: bool) -> None:
        self._batch = batch
        self._holds_personal_data = holds_personal_data

    def case_item(self, item_id: UUID) -> CaseItem | None:
        # An item without an erased form holds nothing personal: it reads the same erased.
        return self._batch.erasable_case_item(item_id) or self._batch.case_item(item_id)

    def put_case_item(self, item: CaseItem) -> None:
        if self._holds_personal_data or self._batch.erasable_case_item(item.item_id):
            self._batch.put_erasable_case_item(item)


class CaseItemProjection(Projection[CaseItemBatch]):
    """One row per case item, kept current by every area's updater (and its erased form)."""

    name = "case_items"
    tables = ("view_case_item",)

    def apply(self, events: Sequence[LoggedEvent], batch: CaseItemBatch) -> None:
        """Let each area's updater see every event, in log order."""
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            # The erased forms first: they start from the items as they were before the event.
            erased = as_erased(logged)
            forms = _ErasedForms(batch, holds_personal_data=erased is not logged)
            for update in UPDATERS:
                update(erased, customer_id, forms)
            for update in UPDATERS:
                update(logged, customer_id, batch)
            if isinstance(logged.event, Customer.PersonalDataErased) and customer_id is not None:
                batch.erase_case_items(customer_id)
