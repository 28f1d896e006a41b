"""Safeguarding: concerns, six-point plans, lump-sum holds, serious case referrals (caseworkers).

Commands only: the case items they open are read through the case-item routes
(adapters/http/routes/case_items.py). Nothing here is open to customers, and none of it
appears in the customer's own view.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from adapters.http.auth import Caseworker
from adapters.http.commands import CommandRoute, add_command_routes
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
from services.journeys import JourneysApplication

router = APIRouter(tags=["safeguarding"])

App = JourneysApplication
Number = Annotated[int, Path(ge=1, description="the recommendation's number in the referral")]


add_command_routes(
    router,
    [
        CommandRoute(
            "/customers/{customer_id}/death-notification",
            NotifyDeath,
            App.notify_death,
            Caseworker,
            description="Record a death: payments stop, journeys close, and no contact goes to "
            "the customer again.",
        ),
        CommandRoute(
            "/concerns",
            RaiseConcern,
            App.raise_concern,
            Caseworker,
            created=True,
            description="Raise an early-warning concern about a customer or a policy, with an "
            "owner and due date.",
        ),
        CommandRoute(
            "/concerns/{concern_id}/owner",
            ReassignConcern,
            App.reassign_concern,
            Caseworker,
            description="Give a concern a new named owner.",
        ),
        CommandRoute(
            "/concerns/{concern_id}/outcome",
            RecordConcernOutcome,
            App.record_concern_outcome,
            Caseworker,
            description="Record a concern's outcome, which closes it.",
        ),
        CommandRoute(
            "/customers/{customer_id}/six-point-plans",
            OpenSixPointPlan,
            App.open_six_point_plan,
            Caseworker,
            created=True,
            description="Start the six-point plan for a statement of suicide or self-harm.",
        ),
        CommandRoute(
            "/six-point-plans/{plan_id}/steps",
            RecordPlanStep,
            App.record_plan_step,
            Caseworker,
            description="Record the next step of a six-point plan, by whom, when, with a note.",
        ),
        CommandRoute(
            "/claims/{claim_id}/lump-sums",
            ProposeLumpSum,
            App.propose_lump_sum,
            Caseworker,
            created=True,
            description="Propose an arrears payment; held for a second colleague's check when "
            "the rule says so.",
        ),
        CommandRoute(
            "/lump-sums/{lump_sum_id}/release",
            ReleaseLumpSum,
            App.release_lump_sum,
            Caseworker,
            description="Release a held lump sum after checking it (not by the colleague who "
            "proposed it).",
        ),
        CommandRoute(
            "/customers/{customer_id}/serious-case-referrals",
            ReferSeriousCase,
            App.refer_serious_case,
            Caseworker,
            created=True,
            description="Refer the customer's case to the Serious Case Panel.",
        ),
        CommandRoute(
            "/serious-case-referrals/{referral_id}/recommendations",
            RecordRecommendation,
            App.record_panel_recommendation,
            Caseworker,
            created=True,
            name="record_recommendation",
            description="Record a panel recommendation with its owner and due date (numbered "
            "1, 2, ...).",
        ),
        CommandRoute(
            "/serious-case-referrals/{referral_id}/recommendations/{number}/completion",
            CompleteRecommendation,
            App.complete_panel_recommendation,
            Caseworker,
            name="complete_recommendation",
            path_types={"number": Number},
            description="Record a recommendation's outcome.",
        ),
        CommandRoute(
            "/serious-case-referrals/{referral_id}/closure",
            CloseSeriousCase,
            App.close_serious_case,
            Caseworker,
            description="Close a referral once every recommendation has its outcome.",
        ),
    ],
)
