"""The claim-owner table every projection shares: whose claim it is, written once per claim.

The store remembers owners between batches (SqlStoreBase.known_owners); a batch looks up
the ones it does not know and writes the new ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.store import ClaimOwner

TABLES = ("view_claim_owner",)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_claim_owner ("
    " claim_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, benefit TEXT NOT NULL)",
)

CLAIM_OWNER_COLUMNS: tuple[Column, ...] = (
    ("claim_id", "TEXT"),
    ("customer_id", "TEXT"),
    ("benefit", "TEXT"),
)


class ClaimOwnerBatch(SqlBatchBase):
    """A batch's claim owners: looked up through the store's memory, new ones buffered."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._new_owners: dict[UUID, ClaimOwner] = {}

    def claim_owner(self, claim_id: UUID) -> ClaimOwner | None:
        """Whose claim it is (remembered by the store, else from the table)."""
        owner = self._store.known_owners.get(claim_id)
        if owner is None:
            self.prefetch_claim_owners((claim_id,))
            owner = self._store.known_owners.get(claim_id)
        return owner

    def prefetch_claim_owners(self, claim_ids: Iterable[UUID]) -> None:
        """One query for every owner the store does not remember yet."""
        unknown = [c for c in claim_ids if c not in self._store.known_owners]
        if not unknown:
            return
        condition, params = self._store.in_list("claim_id", [str(c) for c in unknown])
        self._cursor.execute(
            self._store.t(
                "SELECT claim_id, customer_id, benefit FROM {p}view_claim_owner"
                f" WHERE {condition}"
            ),
            params,
        )
        for claim_id, customer_id, benefit in self._cursor.fetchall():
            self._store.remember_owner(UUID(claim_id), ClaimOwner(UUID(customer_id), benefit))

    def record_claim_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Remember the claim's owner (written once, whichever projection sees it first)."""
        self._store.remember_owner(claim_id, owner)
        self._new_owners[claim_id] = owner

    def _flush_claim_owners(self) -> None:
        if self._new_owners:
            self._store.insert_rows(
                self._cursor,
                "view_claim_owner",
                CLAIM_OWNER_COLUMNS,
                [(str(c), str(o.customer_id), o.benefit) for c, o in self._new_owners.items()],
                "ON CONFLICT (claim_id) DO NOTHING",
            )
