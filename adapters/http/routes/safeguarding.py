"""Safeguarding: concerns, six-point plans, lump-sum holds, serious case referrals (caseworkers).

Commands only: the case items they open are read through the case-item routes
(adapters/http/routes/case_items.py). Nothing here is open to customers, and none of it
appears in the customer's own view.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response

from adapters.http.auth import Caseworker
from adapters.http.deps import System, run_command
from adapters.http.schemas import CommandAccepted
from services.commands.safeguarding import (
    CloseSeriousCase,
    CompleteRecommendation,
    NotifyDeath,
    OpenSixPointPlan,
    ProposeLumpSum,
    RaiseConcern,
    ReassignConcern,
    RecordConcernOutcome,
    RecordPlanStep,
    RecordRecommendation,
    ReferSeriousCase,
    ReleaseLumpSum,
)

router = APIRouter(tags=["safeguarding"])

Number = Annotated[int, Path(ge=1, description="the recommendation's number in the referral")]


@router.post("/customers/{customer_id}/death-notification")
def notify_death(
    customer_id: UUID,
    body: NotifyDeath,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record a death: payments stop, journeys close, and no contact goes to the customer again."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.notify_death(customer_id, body.date_of_death, body.reference),
    )


@router.post("/concerns", status_code=201)
def raise_concern(
    body: RaiseConcern, principal: Caseworker, journeys: System, response: Response
) -> CommandAccepted:
    """Raise an early-warning concern about a customer or a policy, with an owner and due date."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.raise_concern(
            customer_id=body.customer_id,
            policy=body.policy,
            description=body.description,
            owner=body.owner,
            due_on=body.due_on,
            raised_on=body.raised_on,
        ),
    )


@router.post("/concerns/{concern_id}/owner")
def reassign_concern(
    concern_id: UUID,
    body: ReassignConcern,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Give a concern a new named owner."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.reassign_concern(
            concern_id, owner=body.owner, reason=body.reason, reassigned_on=body.reassigned_on
        ),
    )


@router.post("/concerns/{concern_id}/outcome")
def record_concern_outcome(
    concern_id: UUID,
    body: RecordConcernOutcome,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record a concern's outcome, which closes it."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.record_concern_outcome(
            concern_id, outcome=body.outcome, recorded_on=body.recorded_on
        ),
    )


@router.post("/customers/{customer_id}/six-point-plans", status_code=201)
def open_six_point_plan(
    customer_id: UUID,
    body: OpenSixPointPlan,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Start the six-point plan for a statement of suicide or self-harm."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.open_six_point_plan(
            customer_id, statement=body.statement, made_on=body.made_on
        ),
    )


@router.post("/six-point-plans/{plan_id}/steps")
def record_plan_step(
    plan_id: UUID,
    body: RecordPlanStep,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record the next step of a six-point plan, by whom, when, with a note."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.record_plan_step(
            plan_id,
            body.step,
            done_by=body.done_by,
            done_on=body.done_on,
            note=body.note,
            details=body.details.to_domain() if body.details is not None else None,
        ),
    )


@router.post("/claims/{claim_id}/lump-sums", status_code=201)
def propose_lump_sum(
    claim_id: UUID,
    body: ProposeLumpSum,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Propose an arrears payment; held for a second colleague's check when the rule says so."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.propose_lump_sum(
            claim_id,
            amount_pence=body.amount_pence,
            period_from=body.period_from,
            period_to=body.period_to,
            proposed_on=body.proposed_on,
        ),
    )


@router.post("/lump-sums/{lump_sum_id}/release")
def release_lump_sum(
    lump_sum_id: UUID,
    body: ReleaseLumpSum,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Release a held lump sum after checking it (not by the colleague who proposed it)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.release_lump_sum(
            lump_sum_id, check_note=body.check_note, released_on=body.released_on
        ),
    )


@router.post("/customers/{customer_id}/serious-case-referrals", status_code=201)
def refer_serious_case(
    customer_id: UUID,
    body: ReferSeriousCase,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Refer the customer's case to the Serious Case Panel."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.refer_serious_case(
            customer_id, reason=body.reason, referred_on=body.referred_on
        ),
    )


@router.post("/serious-case-referrals/{referral_id}/recommendations", status_code=201)
def record_recommendation(
    referral_id: UUID,
    body: RecordRecommendation,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record a panel recommendation with its owner and due date (numbered 1, 2, ...)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.record_panel_recommendation(
            referral_id,
            text=body.text,
            owner=body.owner,
            due_on=body.due_on,
            made_on=body.made_on,
        ),
    )


@router.post("/serious-case-referrals/{referral_id}/recommendations/{number}/completion")
def complete_recommendation(
    referral_id: UUID,
    number: Number,
    body: CompleteRecommendation,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record a recommendation's outcome."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.complete_panel_recommendation(
            referral_id, number, outcome=body.outcome, completed_on=body.completed_on
        ),
    )


@router.post("/serious-case-referrals/{referral_id}/closure")
def close_serious_case(
    referral_id: UUID,
    body: CloseSeriousCase,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Close a referral once every recommendation has its outcome."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.close_serious_case(
            referral_id, summary=body.summary, closed_on=body.closed_on
        ),
    )
