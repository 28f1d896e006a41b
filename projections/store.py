"""The view store port: batches of view changes written with their tracking position."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from projections.model import (
    CaseItem,
    CaseItemKind,
    CaseItemQuery,
    DeadlineEntry,
    DeadlineQuery,
    DeadlineStatus,
    DisclosureEntry,
    DisclosureQuery,
    LedgerEntry,
    LedgerQuery,
    Page,
    SelfServiceView,
    TimelineEntry,
    TimelineQuery,
    TransitionCase,
    TransitionWorklist,
    TransitionWorklistItem,
    Worklist,
    WorklistItem,
)


@dataclass(frozen=True)
class ClaimOwner:
    """Whose claim it is and to which benefit (from the claim's start)."""

    customer_id: UUID
    benefit: str


class TrackingConflict(Exception):
    """Another runner moved the projection's position first; this batch was not written."""


class ViewBatch(ABC):
    """One transaction of view changes; committed with the new tracking position or not at all.

    Reads see the rows as they stand in the transaction; writes are buffered and sent
    together when the batch commits, so a batch costs a handful of round trips.
    """

    @abstractmethod
    def claim_owner(self, claim_id: UUID) -> ClaimOwner | None:
        """Whose claim it is, if the claim's start has been seen."""

    def prefetch_claim_owners(self, claim_ids: Iterable[UUID]) -> None:  # noqa: B027
        """Look many claims' owners up at once (a store may answer claim_owner from memory)."""

    def prefetch_self_service(self, customer_ids: Iterable[UUID]) -> None:  # noqa: B027
        """Read many customers' documents at once (a store may answer self_service then)."""

    @abstractmethod
    def record_claim_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Remember whose claim this is (idempotent: every projection may record it)."""

    @abstractmethod
    def self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """A customer's self-service document as stored."""

    @abstractmethod
    def put_self_service(self, view: SelfServiceView) -> None:
        """Store a customer's self-service document."""

    @abstractmethod
    def add_timeline_entries(self, entries: Sequence[TimelineEntry]) -> None:
        """Append timeline rows."""

    @abstractmethod
    def put_worklist_item(self, item: WorklistItem) -> None:
        """Put a claim on a worklist (replacing whatever list it was on)."""

    @abstractmethod
    def remove_worklist_item(self, claim_id: UUID) -> None:
        """Take a claim off the worklists."""

    @abstractmethod
    def add_ledger_entries(self, entries: Sequence[LedgerEntry]) -> None:
        """Append decision ledger rows."""

    @abstractmethod
    def add_deadlines(self, entries: Sequence[DeadlineEntry]) -> None:
        """Record newly set deadlines (pending)."""

    @abstractmethod
    def close_deadline(
        self,
        deadline_id: UUID,
        status: DeadlineStatus,
        closed_on: date,
        cancel_reason: str | None = None,
    ) -> None:
        """Mark a deadline fired or cancelled (it was added in this or an earlier batch)."""

    @abstractmethod
    def transition_case(self, transition_id: UUID) -> TransitionCase | None:
        """A transition's case as this batch last put it, else as stored."""

    @abstractmethod
    def put_transition_case(self, case: TransitionCase) -> None:
        """Store a transition's case (its worklist columns follow from it)."""

    @abstractmethod
    def case_item(self, item_id: UUID) -> CaseItem | None:
        """A case item as this batch last put it, else as stored."""

    @abstractmethod
    def put_case_item(self, item: CaseItem) -> None:
        """Store a case item (replacing the one with its id)."""

    # -- erasure: rows that hold personal data read as erased once their customer is erased

    @abstractmethod
    def add_erasable_timeline_entries(self, erased: Sequence[TimelineEntry]) -> None:
        """How timeline rows added in this batch read once their customer's data is erased."""

    @abstractmethod
    def erase_timeline(self, customer_id: UUID) -> None:
        """Make the customer's timeline rows read as erased (their erasable forms)."""

    @abstractmethod
    def add_erasable_ledger_entries(self, erased: Sequence[LedgerEntry]) -> None:
        """How ledger rows added in this batch read once their customer's data is erased."""

    @abstractmethod
    def erase_ledger(self, customer_id: UUID) -> None:
        """Make the customer's ledger rows read as erased (their erasable forms)."""

    @abstractmethod
    def erasable_case_item(self, item_id: UUID) -> CaseItem | None:
        """How an item reads once its customer's data is erased (None: as it reads now)."""

    @abstractmethod
    def put_erasable_case_item(self, item: CaseItem) -> None:
        """Store how an item put in this batch reads once its customer's data is erased."""

    @abstractmethod
    def erase_case_items(self, customer_id: UUID) -> None:
        """Make the customer's case items read as erased (their erasable forms)."""

    @abstractmethod
    def customer_case_items(self, customer_id: UUID, kind: CaseItemKind) -> list[CaseItem]:
        """A customer's case items of one kind, as this batch last put them, else as stored."""

    @abstractmethod
    def add_disclosures(self, entries: Sequence[DisclosureEntry]) -> None:
        """Append disclosure rows."""

    @abstractmethod
    def advance_to(self, position: int) -> None:
        """Set the position this batch brings the projection to."""


class ViewStore(ABC):
    """Where views live: written in tracked batches, read by the API and the CLI."""

    @abstractmethod
    def batch(self, projection: str, expected_position: int) -> AbstractContextManager[ViewBatch]:
        """A transaction that commits only if the projection is still at expected_position."""

    @abstractmethod
    def position(self, projection: str) -> int:
        """The last log position applied to a projection (0 when none)."""

    @abstractmethod
    def reset(self, projection: str, tables: Sequence[str]) -> None:
        """Empty a projection's tables and set its position to 0, in one transaction."""

    @abstractmethod
    def read_self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """A customer's self-service document."""

    @abstractmethod
    def read_timeline(self, query: TimelineQuery, page: Page) -> tuple[list[TimelineEntry], int]:
        """A page of a customer's timeline in log order, and how many entries match."""

    # The API serves these two reads as stored: parsing a document only to encode it again
    # was most of a read's cost. Stores that keep JSON text override them to skip both.

    def read_self_service_json(self, customer_id: UUID) -> str | None:
        """A customer's self-service document as JSON text (SelfServiceView's shape)."""
        view = self.read_self_service(customer_id)
        return view.model_dump_json() if view is not None else None

    def read_timeline_json(self, query: TimelineQuery, page: Page) -> tuple[list[str], int]:
        """A page of a customer's timeline as JSON texts (TimelineEntry's shape), and the total."""
        entries, total = self.read_timeline(query, page)
        return [entry.model_dump_json() for entry in entries], total

    @abstractmethod
    def read_worklist(
        self, worklist: Worklist, due_before: date | None, page: Page
    ) -> tuple[list[WorklistItem], int]:
        """A page of a worklist ordered by due date, and how many items match."""

    @abstractmethod
    def read_ledger(self, query: LedgerQuery, page: Page) -> tuple[list[LedgerEntry], int]:
        """A page of recorded decisions in log order, and how many match."""

    @abstractmethod
    def read_due_deadlines(self, on: date, limit: int) -> list[DeadlineEntry]:
        """Pending deadlines firing on or before `on`, by (fires_on, aggregate, deadline id)."""

    @abstractmethod
    def read_deadlines(self, query: DeadlineQuery, page: Page) -> tuple[list[DeadlineEntry], int]:
        """A page of deadlines by (fires_on, deadline id), and how many match."""

    @abstractmethod
    def read_transition(self, customer_id: UUID) -> TransitionCase | None:
        """A customer's DLA to PIP transition case, if they have one."""

    @abstractmethod
    def read_transition_worklist(
        self, worklist: TransitionWorklist, due_before: date | None, page: Page
    ) -> tuple[list[TransitionWorklistItem], int]:
        """A page of a transition worklist ordered by due date, and how many items match."""

    @abstractmethod
    def read_case_item(self, item_id: UUID) -> CaseItem | None:
        """One case item."""

    @abstractmethod
    def read_case_items(self, query: CaseItemQuery, page: Page) -> tuple[list[CaseItem], int]:
        """A page of case items by (due_on, none last; opened_on; item_id), and the total."""

    @abstractmethod
    def read_disclosures(
        self, query: DisclosureQuery, page: Page
    ) -> tuple[list[DisclosureEntry], int]:
        """A page of disclosures in log order (of a customer, by a colleague), and the total."""

    @abstractmethod
    def count_rows(self, table: str) -> int:
        """How many rows a view table holds (for checks and status)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""
