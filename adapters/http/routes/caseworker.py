"""Caseworker routes: register customers, the timeline, worklists and claim commands."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime

from adapters.http.auth import Caseworker
from adapters.http.deps import AfterPosition, Limit, Offset, System, run_command, wait_for_views
from adapters.http.disclosure import CaseworkerOrAuditorReads, CaseworkerReadsList
from adapters.http.schemas import (
    AddSupportMarker,
    AppealOutcome,
    CommandAccepted,
    DecideEntitlement,
    DecidePipAward,
    IssueQuestionnaire,
    LodgeAppeal,
    NegativeDetermination,
    ReconsiderationOutcome,
    RecordAssessment,
    RegisterCustomer,
    ReviseDuringAppeal,
    TimelinePage,
    WithdrawClaim,
    WorklistPage,
)
from adapters.http.stored import json_page
from domain.values import Actor
from projections.model import Page, TimelineQuery, Worklist

router = APIRouter(tags=["caseworker"])


@router.post("/customers", status_code=201)
def register_customer(
    body: RegisterCustomer, principal: Caseworker, journeys: System, response: Response
) -> CommandAccepted:
    """Register a customer (one record per National Insurance number)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.register_customer(
            nino=body.nino,
            name=body.name,
            date_of_birth=body.date_of_birth,
            contact_preferences=body.contact_preferences,
        ),
    )


@router.post("/customers/{customer_id}/support-markers", status_code=201)
def add_support_marker(
    customer_id: UUID,
    body: AddSupportMarker,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Mark an additional-support need."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.add_support_marker(
            customer_id, body.marker, body.effective_date
        ),
    )


@router.get("/customers/{customer_id}/timeline", response_model=TimelinePage)
def timeline(
    customer_id: UUID,
    principal: CaseworkerOrAuditorReads,
    journeys: System,
    kind: Annotated[
        list[str] | None, Query(description="event kinds, e.g. Claim.AwardDecided")
    ] = None,
    effective_from: date | None = None,
    effective_to: date | None = None,
    recorded_from: Annotated[AwareDatetime | None, Query(description="with a time zone")] = None,
    recorded_to: Annotated[AwareDatetime | None, Query(description="with a time zone")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> Response:
    """Every event of the customer and their claims, in log order, filtered and paginated."""
    wait_for_views(journeys, after_position)
    page = Page(limit=limit, offset=offset)
    entries, total = journeys.views.read_timeline_json(
        TimelineQuery(
            customer_id=customer_id,
            kinds=tuple(kind or ()),
            effective_from=effective_from,
            effective_to=effective_to,
            recorded_from=recorded_from,
            recorded_to=recorded_to,
        ),
        page,
    )
    if total == 0:
        # Only an empty answer needs the log: a customer with entries exists, and loading
        # the aggregate to find out replayed its whole history on every read.
        journeys.application.customer(customer_id)  # 404 for an unknown customer
    return json_page("entries", entries, total=total, limit=limit, offset=offset)


@router.get("/worklists/{worklist}")
def worklist(
    worklist: Worklist,
    principal: CaseworkerReadsList,
    journeys: System,
    due_before: Annotated[
        date | None,
        Query(description="only items due before this day, e.g. today for overdue items"),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> WorklistPage:
    """Claims waiting for the department, soonest due first."""
    wait_for_views(journeys, after_position)
    items, total = journeys.views.read_worklist(
        worklist, due_before, Page(limit=limit, offset=offset)
    )
    return WorklistPage(
        worklist=worklist.value, items=items, total=total, limit=limit, offset=offset
    )


@router.post("/claims/{claim_id}/questionnaire")
def issue_questionnaire(
    claim_id: UUID,
    body: IssueQuestionnaire,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Send the PIP2 questionnaire."""
    app = journeys.application
    return run_command(
        journeys, principal, response, lambda: app.issue_questionnaire(claim_id, body.issued_on)
    )


@router.post("/claims/{claim_id}/negative-determination")
def make_negative_determination(
    claim_id: UUID,
    body: NegativeDetermination,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Disallow a claim whose PIP2 is overdue today (the rule decides; a good reason stops it)."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.make_negative_determination(claim_id, body.good_reason),
    )


@router.post("/claims/{claim_id}/assessment")
def record_assessment(
    claim_id: UUID,
    body: RecordAssessment,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record the assessment's points per activity."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.record_assessment(
            claim_id,
            assessed_on=body.assessed_on,
            daily_living=body.daily_living,
            mobility=body.mobility,
            assessor=Actor.caseworker(body.assessor_id),
        ),
    )


@router.post("/claims/{claim_id}/decision")
def decide_pip_award(
    claim_id: UUID,
    body: DecidePipAward,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Decide a PIP claim from its points; an override needs a reason.

    In a DLA to PIP transition leave starts_on out: PIP starts the day after DLA ends.
    """
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.decide_pip_award(
            claim_id,
            decided_on=body.decided_on,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            decision_maker=principal.actor,
            override=body.override,
        ),
    )


@router.post("/claims/{claim_id}/entitlement-decision")
def decide_entitlement(
    claim_id: UUID,
    body: DecideEntitlement,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Decide a UC, ESA, AA or DLA claim."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.decide_entitlement(
            claim_id,
            decided_on=body.decided_on,
            entitled=body.entitled,
            reason=body.reason,
            decision_maker=principal.actor,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
        ),
    )


@router.post("/claims/{claim_id}/withdrawal")
def withdraw_claim(
    claim_id: UUID,
    body: WithdrawClaim,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Withdraw an undecided claim."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.withdraw_claim(claim_id, body.withdrawn_on, body.reason),
    )


@router.post("/claims/{claim_id}/reconsideration/outcome")
def decide_reconsideration(
    claim_id: UUID,
    body: ReconsiderationOutcome,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record the mandatory reconsideration's outcome."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.decide_reconsideration(
            claim_id,
            notice_sent_on=body.notice_sent_on,
            revised_award=body.revised_award,
            reason=body.reason,
            decision_maker=principal.actor,
        ),
    )


@router.post("/claims/{claim_id}/appeal", status_code=201)
def lodge_appeal(
    claim_id: UUID,
    body: LodgeAppeal,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record an appeal lodged with the tribunal."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.lodge_appeal(
            claim_id,
            lodged_on=body.lodged_on,
            tribunal_extended=body.tribunal_extended,
            sought_daily_living=body.sought_daily_living,
            sought_mobility=body.sought_mobility,
        ),
    )


@router.post("/claims/{claim_id}/appeal/revision")
def revise_during_appeal(
    claim_id: UUID,
    body: ReviseDuringAppeal,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Revise the decision while the appeal is pending."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.revise_during_appeal(claim_id, revised_on=body.revised_on, award=body.award),
    )


@router.post("/claims/{claim_id}/appeal/outcome")
def record_appeal_outcome(
    claim_id: UUID,
    body: AppealOutcome,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record the tribunal's decision."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.record_appeal_outcome(
            claim_id,
            decided_on=body.decided_on,
            allowed=body.allowed,
            award=body.award,
            judge=Actor.caseworker(body.judge),
            reason=body.reason,
        ),
    )
