"""Request and response bodies at the HTTP edge: frozen pydantic models, unknown fields refused."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.claim import Award, RatesOverride
from domain.rules.dla_child import DisablingCondition
from domain.rules.pip_assessment import Rate
from domain.values import (
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactPreferences,
    Region,
    SupportMarker,
)
from projections.model import (
    DeadlineEntry,
    DisclosureEntry,
    DisclosureToCustomer,
    LedgerEntry,
    TimelineEntry,
    TransitionWorklistItem,
    WorklistItem,
)


class Body(BaseModel):
    """A request body: immutable, and unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Text = Field(min_length=1, max_length=2000)


# -- commands anyone signed in for the customer may send ----------------------------------


class StartClaim(Body):
    """Start a claim."""

    benefit: BenefitType
    claim_date: date
    channel: ClaimChannel = ClaimChannel.ONLINE
    claimant_role: ClaimantRole = Field(
        default=ClaimantRole.CUSTOMER,
        description="who is making the claim; customers can only claim for themselves",
    )


class ReturnQuestionnaire(Body):
    """The PIP2 questionnaire came back."""

    received_on: date


class RequestReconsideration(Body):
    """Ask for a mandatory reconsideration."""

    requested_on: date
    grounds: str = Text
    good_reason_for_lateness: str | None = Field(default=None, max_length=2000)
    official_error_alleged: bool = False


class ReportChange(Body):
    """Report a change of circumstances from its effective date."""

    effective_date: date
    description: str = Text


# -- caseworker commands ---------------------------------------------------------------------


class RegisterCustomer(Body):
    """Register a customer."""

    nino: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    date_of_birth: date
    contact_preferences: ContactPreferences | None = None


class AddSupportMarker(Body):
    """Mark an additional-support need."""

    marker: SupportMarker
    effective_date: date


class IssueQuestionnaire(Body):
    """Send the PIP2 questionnaire."""

    issued_on: date


class NegativeDetermination(Body):
    """Disallow a claim whose PIP2 is overdue (a good reason stops it)."""

    good_reason: str | None = Field(default=None, max_length=2000)


class RecordAssessment(Body):
    """The assessment's points per activity."""

    assessed_on: date
    daily_living: dict[str, int]
    mobility: dict[str, int]
    assessor_id: str = Field(min_length=1, max_length=100)


class DecidePipAward(Body):
    """Decide PIP from the assessment points (a decision maker may override the rates)."""

    decided_on: date
    starts_on: date | None = Field(
        default=None,
        description="the award's first day; leave it out for a PIP claim made in a DLA to PIP "
        "transition, which starts the day after DLA ends (the rule gives it)",
    )
    ends_on: date
    override: RatesOverride | None = None


class DecideEntitlement(Body):
    """Decide a non-PIP claim."""

    decided_on: date
    entitled: bool
    reason: str = Text
    starts_on: date | None = None
    ends_on: date | None = None


class WithdrawClaim(Body):
    """Withdraw an undecided claim."""

    withdrawn_on: date
    reason: str = Text


class RequestStatementOfReasons(Body):
    """Ask for written reasons for a decision."""

    requested_on: date


class ReconsiderationOutcome(Body):
    """The MR outcome: a revised award, or none to leave the decision unchanged."""

    notice_sent_on: date
    revised_award: Award | None = None
    reason: str = Text


class LodgeAppeal(Body):
    """An appeal to the tribunal."""

    lodged_on: date
    tribunal_extended: bool = False
    sought_daily_living: Rate | None = None
    sought_mobility: Rate | None = None


class ReviseDuringAppeal(Body):
    """A revision while the appeal is pending."""

    revised_on: date
    award: Award


class AppealOutcome(Body):
    """The tribunal's decision."""

    decided_on: date
    allowed: bool
    award: Award | None = None
    judge: str = Field(min_length=1, max_length=100)
    reason: str = Text


class AcceptGoodReason(Body):
    """Accept a good reason for the PIP2 not coming back: the disallowed claim reopens."""

    accepted_on: date
    reason: str = Text


# -- the move from child DLA to PIP (caseworker commands) ---------------------------------------


class StartTransition(Body):
    """Start a young person's move from child DLA to PIP."""

    dla_claim_id: UUID = Field(description="the customer's DLA claim with a child award")
    dla_weekly_pence: int = Field(gt=0, description="what DLA pays a week, in pence")
    special_rules: bool = Field(description="DLA was awarded under the Special Rules")
    condition: DisablingCondition = Field(description="the award's main disabling condition")
    region: Region = Region.GREAT_BRITAIN


class HospitalAdmission(Body):
    """The young person went into hospital."""

    admitted_on: date


class HospitalDischarge(Body):
    """The young person left hospital."""

    discharged_on: date


class PipAppointeeDetails(Body):
    """Who is appointed, and how they are related to the young person."""

    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=100)


class AppointPipAppointee(Body):
    """Appoint someone to act for the young person for PIP (from the 16th birthday)."""

    appointee: PipAppointeeDetails
    effective_date: date


class NoAppointeeNeeded(Body):
    """The young person will deal with PIP themselves."""

    reason: str = Text
    effective_date: date


class CompleteAgeReview(Body):
    """The outcome of the DLA award's review at an age."""

    completed_on: date
    outcome: str = Text


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
