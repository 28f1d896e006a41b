"""Caseworker routes: register customers, the timeline, worklists and claim commands."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime

from adapters.http.auth import Caseworker
from adapters.http.commands import CommandRoute, add_command_routes
from adapters.http.deps import AfterPosition, Limit, Offset, System, wait_for_views
from adapters.http.disclosure import CaseworkerOrAuditorReads, CaseworkerReadsList
from adapters.http.schemas import TimelinePage, WorklistPage
from adapters.http.stored import json_page
from projections.model import Page, TimelineQuery, Worklist
from services.commands.claims import (
    AddSupportMarker,
    AppealOutcome,
    DecideEntitlement,
    DecidePipAward,
    IssueQuestionnaire,
    LodgeAppeal,
    NegativeDetermination,
    ReconsiderationOutcome,
    RecordAssessment,
    RegisterCustomer,
    ReviseDuringAppeal,
    WithdrawClaim,
)
from services.journeys import JourneysApplication

router = APIRouter(tags=["caseworker"])

App = JourneysApplication

add_command_routes(
    router,
    [
        CommandRoute(
            "/customers",
            RegisterCustomer,
            App.register_customer,
            Caseworker,
            created=True,
            description="Register a customer (one record per National Insurance number).",
        ),
        CommandRoute(
            "/customers/{customer_id}/support-markers",
            AddSupportMarker,
            App.add_support_marker,
            Caseworker,
            created=True,
            description="Mark an additional-support need.",
        ),
    ],
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


add_command_routes(
    router,
    [
        CommandRoute(
            "/claims/{claim_id}/questionnaire",
            IssueQuestionnaire,
            App.issue_questionnaire,
            Caseworker,
            description="Send the PIP2 questionnaire.",
        ),
        CommandRoute(
            "/claims/{claim_id}/negative-determination",
            NegativeDetermination,
            App.make_negative_determination,
            Caseworker,
            description="Disallow a claim whose PIP2 is overdue today (the rule decides; a good "
            "reason stops it).",
        ),
        CommandRoute(
            "/claims/{claim_id}/assessment",
            RecordAssessment,
            App.record_assessment,
            Caseworker,
            description="Record the assessment's points per activity.",
        ),
        CommandRoute(
            "/claims/{claim_id}/decision",
            DecidePipAward,
            App.decide_pip_award,
            Caseworker,
            description="Decide a PIP claim from its points; an override needs a reason.\n\n"
            "In a DLA to PIP transition leave starts_on out: PIP starts the day after DLA ends.",
        ),
        CommandRoute(
            "/claims/{claim_id}/entitlement-decision",
            DecideEntitlement,
            App.decide_entitlement,
            Caseworker,
            description="Decide a UC, ESA, AA or DLA claim.",
        ),
        CommandRoute(
            "/claims/{claim_id}/withdrawal",
            WithdrawClaim,
            App.withdraw_claim,
            Caseworker,
            description="Withdraw an undecided claim.",
        ),
        CommandRoute(
            "/claims/{claim_id}/reconsideration/outcome",
            ReconsiderationOutcome,
            App.decide_reconsideration,
            Caseworker,
            description="Record the mandatory reconsideration's outcome.",
        ),
        CommandRoute(
            "/claims/{claim_id}/appeal",
            LodgeAppeal,
            App.lodge_appeal,
            Caseworker,
            created=True,
            description="Record an appeal lodged with the tribunal.",
        ),
        CommandRoute(
            "/claims/{claim_id}/appeal/revision",
            ReviseDuringAppeal,
            App.revise_during_appeal,
            Caseworker,
            description="Revise the decision while the appeal is pending.",
        ),
        CommandRoute(
            "/claims/{claim_id}/appeal/outcome",
            AppealOutcome,
            App.record_appeal_outcome,
            Caseworker,
            description="Record the tribunal's decision.",
        ),
    ],
)
