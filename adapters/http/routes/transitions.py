"""The move from child DLA to PIP: caseworker commands, the case, deadlines and worklists.

The young person's own view of the move is the `dla_to_pip` section of their self-service
page (GET /me); nothing here is open to customers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from adapters.bootstrap import Journeys
from adapters.http.auth import Caseworker, Principal
from adapters.http.deps import AfterPosition, Limit, Offset, System, run_command, wait_for_views
from adapters.http.disclosure import CaseworkerOrAuditorReads, CaseworkerReadsList
from adapters.http.schemas import (
    AcceptGoodReason,
    AppointPipAppointee,
    CommandAccepted,
    CompleteAgeReview,
    DeadlinePage,
    HospitalAdmission,
    HospitalDischarge,
    NoAppointeeNeeded,
    StartTransition,
    TransitionWorklistPage,
)
from domain.values import Appointee
from projections.model import (
    DeadlineQuery,
    DeadlineStatus,
    Page,
    TransitionCase,
    TransitionWorklist,
)
from services.base import Recorded
from services.errors import TransitionNotFound

router = APIRouter(tags=["dla-to-pip"])


CLAIM_DEADLINES_AHEAD = timedelta(days=8)
"""The claim_deadlines worklist shows, unless told otherwise, deadlines passing within the
next 7 days (and any already passed): those due before today + 8 days."""


def _no_transition(customer_id: UUID) -> TransitionNotFound:
    return TransitionNotFound(f"customer {customer_id} has no DLA to PIP transition")


def _in_transition(customer_id: UUID, command: Callable[[], Recorded]) -> Callable[[], Recorded]:
    """The command, with a missing transition reported by the customer the caller named."""

    def run() -> Recorded:
        try:
            return command()
        except TransitionNotFound:
            # The service names the transition's own id, which the caller never saw.
            raise _no_transition(customer_id) from None

    return run


def _transition_command(
    journeys: Journeys,
    principal: Principal,
    response: Response,
    customer_id: UUID,
    command: Callable[[], Recorded],
) -> CommandAccepted:
    return run_command(journeys, principal, response, _in_transition(customer_id, command))


# -- commands -------------------------------------------------------------------------------------


@router.post("/customers/{customer_id}/dla-to-pip", status_code=201)
def start_transition(
    customer_id: UUID,
    body: StartTransition,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Start the move to PIP for a young person awarded DLA as a child (one per customer)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.start_transition(
            customer_id,
            dla_claim_id=body.dla_claim_id,
            dla_weekly_pence=body.dla_weekly_pence,
            special_rules=body.special_rules,
            condition=body.condition,
            region=body.region,
        ),
    )


@router.post("/customers/{customer_id}/dla-to-pip/hospital-admission")
def record_hospital_admission(
    customer_id: UUID,
    body: HospitalAdmission,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record a hospital stay before the invitation (in hospital on the birthday defers it)."""
    app = journeys.application
    return _transition_command(
        journeys,
        principal,
        response,
        customer_id,
        lambda: app.record_hospital_admission(customer_id, body.admitted_on),
    )


@router.post("/customers/{customer_id}/dla-to-pip/hospital-discharge")
def record_hospital_discharge(
    customer_id: UUID,
    body: HospitalDischarge,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record the discharge; a deferred invitation then goes."""
    app = journeys.application
    return _transition_command(
        journeys,
        principal,
        response,
        customer_id,
        lambda: app.record_hospital_discharge(customer_id, body.discharged_on),
    )


@router.post("/customers/{customer_id}/dla-to-pip/appointee")
def appoint_pip_appointee(
    customer_id: UUID,
    body: AppointPipAppointee,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Appoint someone to act for the young person for PIP (a DLA appointee does not carry)."""
    app = journeys.application
    appointee = Appointee(name=body.appointee.name, relationship=body.appointee.relationship)
    return _transition_command(
        journeys,
        principal,
        response,
        customer_id,
        lambda: app.appoint_pip_appointee(customer_id, appointee, body.effective_date),
    )


@router.post("/customers/{customer_id}/dla-to-pip/no-appointee-needed")
def record_appointee_not_needed(
    customer_id: UUID,
    body: NoAppointeeNeeded,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record that the young person will deal with PIP themselves."""
    app = journeys.application
    return _transition_command(
        journeys,
        principal,
        response,
        customer_id,
        lambda: app.record_appointee_not_needed(customer_id, body.reason, body.effective_date),
    )


@router.post("/customers/{customer_id}/dla-to-pip/age-reviews/{age}")
def complete_age_review(
    customer_id: UUID,
    age: Annotated[int, Path(ge=0, le=120, description="the age the review is for, e.g. 14")],
    body: CompleteAgeReview,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record the outcome of the DLA award's due review at an age."""
    app = journeys.application
    return _transition_command(
        journeys,
        principal,
        response,
        customer_id,
        lambda: app.complete_age_review(
            customer_id, age=age, completed_on=body.completed_on, outcome=body.outcome
        ),
    )


@router.post("/claims/{claim_id}/good-reason")
def accept_good_reason(
    claim_id: UUID,
    body: AcceptGoodReason,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Accept a good reason for the missing PIP2: the claim reopens (DLA is reinstated)."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.accept_good_reason(
            claim_id,
            accepted_on=body.accepted_on,
            reason=body.reason,
            decision_maker=principal.actor,
        ),
    )


# -- reads ----------------------------------------------------------------------------------------


@router.get("/customers/{customer_id}/dla-to-pip")
def transition_case(
    customer_id: UUID,
    principal: CaseworkerOrAuditorReads,
    journeys: System,
    after_position: AfterPosition = None,
) -> TransitionCase:
    """The young person's move from DLA to PIP: stage, dates and what is due."""
    wait_for_views(journeys, after_position)
    case = journeys.views.read_transition(customer_id)
    if case is None:
        journeys.application.customer(customer_id)  # 404 for an unknown customer
        raise _no_transition(customer_id)
    return case


@router.get("/customers/{customer_id}/deadlines")
def deadlines(
    customer_id: UUID,
    principal: CaseworkerOrAuditorReads,
    journeys: System,
    status: DeadlineStatus | None = None,
    due_before: Annotated[
        date | None, Query(description="only deadlines firing before this day")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> DeadlinePage:
    """The deadlines the customer's journeys set, by the day they fire, with their status."""
    wait_for_views(journeys, after_position)
    query = DeadlineQuery(customer_id=customer_id, status=status, due_before=due_before)
    entries, total = journeys.views.read_deadlines(query, Page(limit=limit, offset=offset))
    if total == 0:
        journeys.application.customer(customer_id)  # 404 for an unknown customer
    return DeadlinePage(deadlines=entries, total=total, limit=limit, offset=offset)


@router.get("/worklists/dla-to-pip/{worklist}")
def transition_worklist(
    worklist: TransitionWorklist,
    principal: CaseworkerReadsList,
    journeys: System,
    due_before: Annotated[
        date | None,
        Query(
            description="only items due before this day; for claim_deadlines it defaults to "
            "today + 8 days (deadlines passing in the next 7 days, and any passed)"
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> TransitionWorklistPage:
    """Young people moving from DLA to PIP who need the department, soonest due first."""
    wait_for_views(journeys, after_position)
    if due_before is None and worklist is TransitionWorklist.CLAIM_DEADLINES:
        due_before = journeys.clock.today() + CLAIM_DEADLINES_AHEAD
    items, total = journeys.views.read_transition_worklist(
        worklist, due_before, Page(limit=limit, offset=offset)
    )
    return TransitionWorklistPage(
        worklist=worklist.value,
        due_before=due_before,
        items=items,
        total=total,
        limit=limit,
        offset=offset,
    )
