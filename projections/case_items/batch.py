"""What the case items projection asks of a view batch: its own table's methods, and owners."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from projections.model import CaseItem, CaseItemKind
from projections.projection import OwnersBatch


class CaseItems(Protocol):
    """What an area's updater asks: an item as it stands, and putting one."""

    def case_item(self, item_id: UUID) -> CaseItem | None:
        """A case item as this batch last put it, else as stored."""
        ...

    def put_case_item(self, item: CaseItem) -> None:
        """Store a case item (replacing the one with its id)."""
        ...


class CaseItemBatch(CaseItems, OwnersBatch, Protocol):
    """What the case items projection asks of a view batch: its own table, and owners."""

    def erasable_case_item(self, item_id: UUID) -> CaseItem | None:
        """How an item reads once its customer's data is erased (None: as it reads now)."""
        ...

    def put_erasable_case_item(self, item: CaseItem) -> None:
        """Store how an item put in this batch reads once its customer's data is erased."""
        ...

    def erase_case_items(self, customer_id: UUID) -> None:
        """Make the customer's case items read as erased (their erasable forms)."""
        ...

    def customer_case_items(self, customer_id: UUID, kind: CaseItemKind) -> list[CaseItem]:
        """A customer's case items of one kind, as this batch last put them, else as stored."""
        ...
