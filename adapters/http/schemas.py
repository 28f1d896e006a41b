"""Request and response bodies at the HTTP edge: frozen pydantic models, unknown fields refused."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from projections.model import (
    DeadlineEntry,
    DisclosureEntry,
    DisclosureToCustomer,
    LedgerEntry,
    TimelineEntry,
    TransitionWorklistItem,
    WorklistItem,
)

# -- responses -----------------------------------------------------------------------------------


class CommandAccepted(BaseModel):
    """A command was stored: the record it concerned and the log position it reached."""

    id: UUID
    position: int = Field(description="pass as after_position to read your own write")


class TimelinePage(BaseModel):
    """A page of a customer's timeline."""

    entries: list[TimelineEntry]
    total: int
    limit: int
    offset: int


class WorklistPage(BaseModel):
    """A page of a worklist, by due date."""

    worklist: str
    items: list[WorklistItem]
    total: int
    limit: int
    offset: int


class DeadlinePage(BaseModel):
    """A page of a customer's deadlines, by the day they fire."""

    deadlines: list[DeadlineEntry]
    total: int
    limit: int
    offset: int


class TransitionWorklistPage(BaseModel):
    """A page of a DLA to PIP worklist, soonest due first."""

    worklist: str
    due_before: date | None = Field(description="only items due before this day, if any")
    items: list[TransitionWorklistItem]
    total: int
    limit: int
    offset: int


class LedgerPage(BaseModel):
    """A page of recorded decisions."""

    decisions: list[LedgerEntry]
    total: int
    limit: int
    offset: int


class DisclosurePage(BaseModel):
    """A page of recorded staff reads of customer data, in log order."""

    disclosures: list[DisclosureEntry]
    total: int
    limit: int
    offset: int


class DisclosuresToCustomerPage(BaseModel):
    """A page of the staff reads of the customer's record: the role and when, no more."""

    reads: list[DisclosureToCustomer]
    total: int
    limit: int
    offset: int


class ClaimAsKnown(BaseModel):
    """A claim as the department knew it at a moment."""

    claim_id: UUID
    benefit: str
    claim_date: date
    status: str
    questionnaire_due_on: date | None
    award: dict[str, Any] | None
    dispute: str


class CustomerAsKnown(BaseModel):
    """A customer as the department knew them at a moment."""

    customer_id: UUID
    nino: str
    name: str
    date_of_birth: date
    date_of_death: date | None
    appointee: dict[str, Any] | None
    support_markers: list[dict[str, Any]]
    circumstances: list[dict[str, Any]]


class KnownAt(BaseModel):
    """What the department knew about a customer at a recorded time, and the events it knew."""

    as_of: datetime
    customer: CustomerAsKnown
    claims: list[ClaimAsKnown]
    events: list[TimelineEntry]


class DecisionReproduction(BaseModel):
    """A recorded decision re-run from its recorded inputs under its recorded rule version."""

    position: int
    index: int
    rule_id: str
    rule_version: int
    reproduces: bool
    recorded_outcome: dict[str, Any]
    recomputed_outcome: dict[str, Any]
    recomputed_reasons: list[str]


class ProjectionStatus(BaseModel):
    """How far a projection has read the log and how far it lags behind."""

    name: str
    position: int
    log_position: int
    lag: int = Field(description="events in the log the projection has not applied yet")


class Health(BaseModel):
    """Whether the service can reach its stores, and how far behind the views are."""

    status: str
    log_position: int
    projections: dict[str, int]
