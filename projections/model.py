"""The read models: what self-service, caseworker and audit screens are given."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.debt import DebtKind


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


class SelfServiceTransition(ReadModel):
    """The move from DLA to PIP as the young person and their parent or appointee see it.

    Plain language and dates only: nothing that reveals the basis of a Special Rules award.
    """

    stage: str = Field(description="machine-readable stage of the move")
    summary: str = Field(description="where things stand, in plain language")
    next_step: NextStep | None = Field(default=None, description="what to do next, and by when")
    dla: str = Field(description="what happens to DLA, in plain language")
    appointee: str | None = Field(
        default=None, description="what to do about an appointee for PIP, if anything"
    )
    invite_on: date | None = Field(default=None, description="when we will write about PIP")
    claim_by: date | None = Field(default=None, description="the last day to claim PIP")
    second_claim_by: date | None = Field(
        default=None, description="the last day to claim after the second letter"
    )
    suspended_from: date | None = Field(default=None, description="DLA stopped from this day")
    restarted_on: date | None = Field(default=None, description="DLA started again on this day")
    unpaid_from: date | None = Field(default=None, description="first day DLA was not paid")
    unpaid_to: date | None = Field(default=None, description="last day DLA was not paid")
    pip_claimed_on: date | None = None
    dla_ends_on: date | None = Field(default=None, description="the last day of DLA")
    pip_starts_on: date | None = Field(default=None, description="the first day of PIP")
    negative_determination: bool = Field(
        default=False, description="DLA ends because the PIP questionnaire did not come back"
    )
    appointee_needed: bool = False
    had_dla_appointee: bool = Field(
        default=False, description="someone acted for the young person for DLA"
    )
    appointee_settled_on: date | None = Field(
        default=None,
        description="when someone was appointed for PIP, or we noted that nobody is needed",
    )
    hospital_discharged_on: date | None = Field(
        default=None, description="when the young person left hospital"
    )
    dla_reinstated_on: date | None = Field(
        default=None, description="DLA carries on again from this day (a good reason accepted)"
    )
    dla_arrears_from: date | None = Field(
        default=None, description="DLA not paid since this day is paid now"
    )


class DebtHardship(ReadModel):
    """A reduction or pause of repayments the customer was granted, and for how long."""

    kind: str = Field(description="pause or reduce")
    from_on: date
    until: date = Field(description="repayments go back to the usual amount on this day")
    months: int
    per_period_pence: int = Field(description="pence a month while it lasts (0 for a pause)")


class SelfServiceDebt(ReadModel):
    """A debt on the customer's own page: plain words, amounts in pence, dates to plan with.

    Never says why recovery is on hold, why a debt arose (fraud is not named) or any free
    text a caseworker wrote; a debt that passed to the estate is not shown at all.
    """

    debt_id: UUID
    kind: str = Field(description="the debt's kind: " + ", ".join(k.value for k in DebtKind))
    benefit: str
    what: str = Field(description="the debt in plain words, e.g. Universal Credit overpayment")
    status: str = Field(
        description="recovering, hardship_requested, paused, reduced, on_hold, cleared, "
        "written_off or not_recovered"
    )
    status_text: str = Field(description="the status in plain language")
    original_pence: int
    balance_pence: int
    method: str | None = Field(default=None, description="how it is repaid (machine-readable)")
    per_period_pence: int = Field(default=0, description="the usual amount repaid a month")
    plan: str | None = Field(default=None, description="how it is repaid, in plain language")
    first_repayment_on: date | None = Field(
        default=None, description="an advance's first repayment"
    )
    last_taken_on: date | None = Field(default=None, description="the last repayment taken")
    next_deduction_pence: int | None = None
    next_deduction_on: date | None = None
    projected_clear_on: date | None = Field(
        default=None, description="when it will be paid off at the usual amount, if known"
    )
    on_hold_until: date | None = Field(
        default=None, description="repayments are paused until this day"
    )
    recovery_on_hold: bool = Field(
        default=False, description="we are not asking for repayments at the moment"
    )
    hardship: DebtHardship | None = None
    hardship_requested_on: date | None = Field(
        default=None, description="a request to reduce or pause repayments waits for us"
    )
    cleared_on: date | None = None
    rights: tuple[Right, ...] = ()
    how_to_ask_for_hardship: str | None = None
    how_to_repay: str | None = None


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
    dla_to_pip: SelfServiceTransition | None = Field(
        default=None, description="the move from child DLA to PIP, if the customer is making it"
    )
    debts: tuple[SelfServiceDebt, ...] = Field(
        default=(), description="overpayments and advances the customer is paying back"
    )
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


# -- deadlines ---------------------------------------------------------------------------------


class DeadlineStatus(Enum):
    """Whether a deadline still waits, fired, or was cancelled."""

    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"


class DeadlineEntry(ReadModel):
    """A deadline a journey set: what happens, on which day, and whether it has happened."""

    deadline_id: UUID
    aggregate_id: UUID
    customer_id: UUID
    action: str
    description: str = Field(description="what happens when the deadline passes")
    fires_on: date
    set_on: date
    status: DeadlineStatus = DeadlineStatus.PENDING
    closed_on: date | None = Field(default=None, description="the day it fired or was cancelled")
    cancel_reason: str | None = None


class DeadlineQuery(ReadModel):
    """Which deadlines to list; unset fields match everything."""

    customer_id: UUID | None = None
    status: DeadlineStatus | None = None
    due_before: date | None = Field(default=None, description="fires_on before this day")


# -- DLA to PIP transition (caseworker) --------------------------------------------------------


class TransitionWorklist(Enum):
    """Caseworker queues of the DLA to PIP transition."""

    INVITATIONS_DUE = "invitations_due"
    CLAIM_DEADLINES = "claim_deadlines"
    DLA_SUSPENDED = "dla_suspended"
    APPOINTEE_NEEDED = "appointee_needed"
    AGE_REVIEWS_DUE = "age_reviews_due"


class AgeReviewItem(ReadModel):
    """A DLA award's age review that fell due and waits to be completed."""

    age: int
    due_on: date


class TransitionCase(ReadModel):
    """One young person's move from DLA to PIP, as caseworkers see it."""

    transition_id: UUID
    customer_id: UUID
    dla_claim_id: UUID
    stage: str
    stage_text: str
    started_on: date
    sixteenth_birthday: date
    invite_on: date
    invitation_basis: str
    special_rules: bool
    region: str
    had_dla_appointee: bool
    appointee_needed: bool = Field(
        description="the DLA appointee must be replaced for PIP (or noted as not needed)"
    )
    appointee_settled_on: date | None = Field(
        default=None,
        description="when someone was appointed for PIP, or it was noted that none is needed",
    )
    hospital_admitted_on: date | None = None
    hospital_discharged_on: date | None = None
    invited_on: date | None = None
    claim_by: date | None = None
    second_notice_on: date | None = None
    second_claim_by: date | None = None
    suspended_from: date | None = None
    restarted_on: date | None = None
    unpaid_from: date | None = None
    unpaid_to: date | None = None
    pip_claim_id: UUID | None = None
    pip_claimed_on: date | None = None
    claimed_in: str | None = None
    dla_ends_on: date | None = None
    dla_end_basis: str | None = None
    pip_starts_on: date | None = None
    dla_reinstated_on: date | None = Field(
        default=None, description="a good reason accepted: DLA carries on from this day"
    )
    dla_arrears_from: date | None = Field(
        default=None, description="DLA is paid again from this day (it had already ended)"
    )
    reviews_due: tuple[AgeReviewItem, ...] = ()
    position: int = Field(description="the log position this case reflects")


class TransitionWorklistItem(ReadModel):
    """A transition waiting for the department or the young person, with its date."""

    worklist: TransitionWorklist
    transition_id: UUID
    customer_id: UUID
    stage: str
    due_on: date
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


# -- case items: Special Rules cases, contacts, safeguarding and debts (caseworker) -----------


class CaseItemKind(Enum):
    """What a caseworker case item is about; each kind is one worklist."""

    SPECIAL_RULES = "special_rules"
    CONTACT = "contact"
    CONCERN = "concern"
    SIX_POINT_PLAN = "six_point_plan"
    LUMP_SUM = "lump_sum"
    SERIOUS_CASE = "serious_case"
    HARDSHIP_REQUEST = "hardship_request"
    ESTATE_DEBT = "estate_debt"


class CaseItem(ReadModel):
    """One thing a caseworker must see or act on; never shown to the customer."""

    item_id: UUID
    kind: CaseItemKind
    customer_id: UUID | None = Field(description="None for a concern about a policy")
    status: str
    open: bool = Field(description="still on its worklist")
    opened_on: date
    due_on: date | None = None
    at_risk_from: date | None = Field(
        default=None, description="from this day an open item is at risk of missing due_on"
    )
    owner: str | None = None
    title: str = Field(description="one caseworker-facing line")
    details: dict[str, Any] = Field(default_factory=dict)
    closed_on: date | None = None
    updated_position: int = Field(description="the log position that last changed it")

    def at_risk(self, today: date) -> bool:
        """Open, not yet overdue, and on or after the day it counts as at risk."""
        return (
            self.open
            and self.at_risk_from is not None
            and self.at_risk_from <= today
            and not self.overdue(today)
        )

    def overdue(self, today: date) -> bool:
        """Open and past its due date."""
        return self.open and self.due_on is not None and self.due_on < today


class CaseItemQuery(ReadModel):
    """Which case items to list; unset fields match everything."""

    kind: CaseItemKind | None = None
    customer_id: UUID | None = None
    open: bool | None = None
    due_before: date | None = Field(default=None, description="due_on before this day")


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


# -- disclosures: staff reads of customer data (auditor; the customer sees role and time) ----


class DisclosureEntry(ReadModel):
    """One recorded read of customer data by staff: who, in which role, when, why, what."""

    position: int = Field(description="the disclosure's log position")
    customer_id: UUID | None = Field(description="whose data; null for a list of many")
    subject: str = Field(description="the member of staff, as their token names them")
    role: str = Field(description="caseworker or auditor")
    purpose: str = Field(description="why they read it, as they stated it")
    resource: str = Field(description="the route read, e.g. GET /customers/{customer_id}/timeline")
    path: str = Field(description="the path as requested (ids, no query)")
    read_at: datetime


class DisclosureQuery(ReadModel):
    """Which disclosures an auditor asks for: of one customer, by one colleague, or both."""

    customer_id: UUID | None = None
    subject: str | None = None


class DisclosureToCustomer(ReadModel):
    """A read of the customer's record as they are told of it: the role and when, no more."""

    role: str
    read_at: datetime
