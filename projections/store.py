"""The view store port: batches of view changes written with their tracking position."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from projections.model import (
    CaseItem,
    CaseItemQuery,
    DeadlineEntry,
    DeadlineQuery,
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

if TYPE_CHECKING:
    # The batch is made of every projection's own interface; those modules import this one.
    from projections.batch import ViewBatch


@dataclass(frozen=True)
class ClaimOwner:
    """Whose claim it is and to which benefit (from the claim's start)."""

    customer_id: UUID
    benefit: str


class TrackingConflict(Exception):
    """Another runner moved the projection's position first; this batch was not written."""


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
