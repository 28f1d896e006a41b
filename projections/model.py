"""The read models: what self-service, caseworker and audit screens are given."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class ReadModel(BaseModel):
    """A row or document of a view, as stored and as served."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# -- self-service ---------------------------------------------------------------------------


class NextStep(ReadModel):
    """What happens next on a claim, in plain language, and by when if there is a date."""

    who: str = Field(description="'you' when the customer must act, 'us' when we must")
    text: str
    by: date | None = None


class AwardSummary(ReadModel):
    """An award as the customer sees it."""

    entitled: bool
    text: str
    daily_living: str | None = None
    mobility: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    # Known once the award has been uprated; absent in documents stored before then.
    daily_living_weekly_pence: int | None = Field(default=None, description="pence a week")
    mobility_weekly_pence: int | None = Field(default=None, description="pence a week")
    weekly_total_pence: int | None = Field(default=None, description="pence a week")
    weekly_amounts_from: date | None = Field(
        default=None, description="the uprating date the weekly amounts apply from"
    )
    amounts_text: str | None = Field(
        default=None, description="the weekly amounts in plain language"
    )


class Right(ReadModel):
    """Something the customer may do about a decision, and the last day to do it."""

    kind: str = Field(description="statement_of_reasons, reconsideration or appeal")
    text: str
    by: date


class SelfServiceClaim(ReadModel):
    """One claim on the customer's own page."""

    claim_id: UUID
    benefit: str
    made_on: date
    status: str = Field(description="machine-readable status")
    status_text: str = Field(description="the status in plain language")
    next_step: NextStep | None = None
    decided_on: date | None = Field(default=None, description="when the decision was notified")
    statement_of_reasons_asked_on: date | None = None
    dispute: str = Field(default="none", description="how far a dispute has gone")
    award: AwardSummary | None = None
    rights: tuple[Right, ...] = ()
    decision_reasons: tuple[str, ...] = ()


class DeclaredSupport(ReadModel):
    """A support need the customer told us about."""

    need: str
    duration: str
    since: date


class ReportedChange(ReadModel):
    """A change of circumstances the customer reported, from its effective date."""

    effective_date: date
    description: str


class SelfServiceView(ReadModel):
    """Everything a signed-in customer sees about themselves.

    Never holds internal-only information: who made a claim for them (a third party's
    Special Rules claim must not be revealed), caseworker notes, safeguarding concerns,
    staff identifiers or assessment internals.
    """

    customer_id: UUID
    name: str
    claims: tuple[SelfServiceClaim, ...] = ()
    support: tuple[DeclaredSupport, ...] = ()
    reported_changes: tuple[ReportedChange, ...] = ()
    appointee: str | None = None
    position: int = Field(description="the log position this view reflects")


# -- caseworker -------------------------------------------------------------------------------


class DecisionSummary(ReadModel):
    """A recorded decision as the timeline shows it."""

    rule_id: str
    rule_version: int
    outcome: dict[str, Any]
    reasons: tuple[str, ...]
    automated: bool
    overridden_by: str | None = None


class TimelineEntry(ReadModel):
    """One event of a customer's history."""

    position: int
    customer_id: UUID
    aggregate_id: UUID
    aggregate_version: int
    kind: str = Field(description="Aggregate.Event, e.g. Claim.AwardDecided")
    effective_date: date | None
    recorded_at: datetime
    caused_by: str = Field(description="kind:identifier of who or what caused the event")
    summary: str
    decisions: tuple[DecisionSummary, ...] = ()


class Worklist(Enum):
    """A queue of work for caseworkers, each item with a due date."""

    QUESTIONNAIRES_OUTSTANDING = "questionnaires_outstanding"
    ASSESSMENTS_DUE = "assessments_due"
    DECISIONS_DUE = "decisions_due"
    RECONSIDERATIONS_DUE = "reconsiderations_due"
    APPEAL_RESPONSES_DUE = "appeal_responses_due"


class WorklistTargets(ReadModel):
    """Service targets that set due dates where the law sets none (operational choices)."""

    assessment_after_questionnaire: timedelta = timedelta(days=28)
    decision_after_assessment: timedelta = timedelta(days=14)
    reconsideration_after_request: timedelta = timedelta(days=28)
    # The decision maker's response to an appeal: 28 days after the tribunal sends the
    # notice (Tribunal Procedure (First-tier Tribunal) (SEC) Rules 2008, rule 24(1)(b)).
    appeal_response_after_lodging: timedelta = timedelta(days=28)


class WorklistItem(ReadModel):
    """A claim waiting for the department, with the date it is due."""

    worklist: Worklist
    claim_id: UUID
    customer_id: UUID
    benefit: str
    due_on: date
    since: date
    detail: str


# -- audit -------------------------------------------------------------------------------------


class LedgerEntry(ReadModel):
    """One recorded decision, where it is in the log and whom it concerns."""

    position: int
    index: int = Field(description="the decision's place among its event's decisions")
    rule_id: str
    rule_version: int
    outcome: dict[str, Any]
    inputs: dict[str, Any]
    reasons: tuple[str, ...]
    made_by: str
    automated: bool
    customer_id: UUID
    aggregate_id: UUID
    event_type: str
    decided_on: date | None
    recorded_at: datetime


class LedgerQuery(ReadModel):
    """Which decisions an auditor asks for; unset fields match everything."""

    rule_id: str | None = None
    rule_version: int | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    outcome: dict[str, str] = Field(
        default_factory=dict, description="outcome fields that must equal these values"
    )
    customer_id: UUID | None = None
    automated: bool | None = None


class Page(ReadModel):
    """Where a page starts and how long it is."""

    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class TimelineQuery(ReadModel):
    """A filtered page of one customer's timeline."""

    customer_id: UUID
    kinds: tuple[str, ...] = ()
    effective_from: date | None = None
    effective_to: date | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None


class ProjectionPosition(ReadModel):
    """How far a projection has read the log."""

    name: str
    position: int
    log_position: int

    @property
    def lag(self) -> int:
        """Events in the log the projection has not applied yet."""
        return max(self.log_position - self.position, 0)
