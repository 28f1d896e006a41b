"""The move from child DLA to PIP: caseworker commands, the case, deadlines and worklists.

The young person's own view of the move is the `dla_to_pip` section of their self-service
page (GET /me); nothing here is open to customers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from adapters.http.auth import Caseworker
from adapters.http.commands import CommandRoute, add_command_routes
from adapters.http.deps import AfterPosition, Limit, Offset, System, wait_for_views
from adapters.http.disclosure import CaseworkerOrAuditorReads, CaseworkerReadsList
from adapters.http.schemas import DeadlinePage, TransitionWorklistPage
from projections.model import (
    DeadlineQuery,
    DeadlineStatus,
    Page,
    TransitionCase,
    TransitionWorklist,
)
from services.commands.claims import AcceptGoodReason
from services.commands.transitions import (
    AppointPipAppointee,
    CompleteAgeReview,
    HospitalAdmission,
    HospitalDischarge,
    NoAppointeeNeeded,
    StartTransition,
)
from services.journeys import JourneysApplication
from services.transitions import no_transition

router = APIRouter(tags=["dla-to-pip"])

ReviewAge = Annotated[int, Path(ge=0, le=120, description="the age the review is for, e.g. 14")]


CLAIM_DEADLINES_AHEAD = timedelta(days=8)
"""The claim_deadlines worklist shows, unless told otherwise, deadlines passing within the
next 7 days (and any already passed): those due before today + 8 days."""


App = JourneysApplication

# -- commands -------------------------------------------------------------------------------------

add_command_routes(
    router,
    [
        CommandRoute(
            "/customers/{customer_id}/dla-to-pip",
            StartTransition,
            App.start_transition,
            Caseworker,
            created=True,
            description="Start the move to PIP for a young person awarded DLA as a child (one per "
            "customer).",
        ),
        CommandRoute(
            "/customers/{customer_id}/dla-to-pip/hospital-admission",
            HospitalAdmission,
            App.record_hospital_admission,
            Caseworker,
            description="Record a hospital stay before the invitation (in hospital on the birthday "
            "defers it).",
        ),
        CommandRoute(
            "/customers/{customer_id}/dla-to-pip/hospital-discharge",
            HospitalDischarge,
            App.record_hospital_discharge,
            Caseworker,
            description="Record the discharge; a deferred invitation then goes.",
        ),
        CommandRoute(
            "/customers/{customer_id}/dla-to-pip/appointee",
            AppointPipAppointee,
            App.appoint_pip_appointee,
            Caseworker,
            description="Appoint someone to act for the young person for PIP (a DLA appointee does "
            "not carry).",
        ),
        CommandRoute(
            "/customers/{customer_id}/dla-to-pip/no-appointee-needed",
            NoAppointeeNeeded,
            App.record_appointee_not_needed,
            Caseworker,
            description="Record that the young person will deal with PIP themselves.",
        ),
        CommandRoute(
            "/customers/{customer_id}/dla-to-pip/age-reviews/{age}",
            CompleteAgeReview,
            App.complete_age_review,
            Caseworker,
            path_types={"age": ReviewAge},
            description="Record the outcome of the DLA award's due review at an age.",
        ),
        CommandRoute(
            "/claims/{claim_id}/good-reason",
            AcceptGoodReason,
            App.accept_good_reason,
            Caseworker,
            description="Accept a good reason for the missing PIP2: the claim reopens (DLA is "
            "reinstated).",
        ),
    ],
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
        raise no_transition(customer_id)
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
