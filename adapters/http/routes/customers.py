"""Routes for a customer's own record: self-service reads and the commands customers send.

Caseworkers may use them too, on behalf of any customer; customers only on their own.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException, Response, status

from adapters.bootstrap import Journeys
from adapters.http.auth import Customer as SignedInCustomer
from adapters.http.auth import CustomerOrCaseworker, Principal, require_own_record
from adapters.http.commands import CommandRoute, add_command_routes
from adapters.http.deps import AfterPosition, Limit, Offset, System, wait_for_views
from adapters.http.disclosure import CustomerOrCaseworkerReads
from adapters.http.schemas import DisclosuresToCustomerPage
from adapters.http.stored import StoredJson
from projections.model import DisclosureQuery, DisclosureToCustomer, Page, SelfServiceView
from services.commands.claims import (
    ReportChange,
    RequestReconsideration,
    RequestStatementOfReasons,
    ReturnQuestionnaire,
    StartClaim,
)
from services.journeys import JourneysApplication

router = APIRouter(tags=["self-service"])


def _view(journeys: Journeys, customer_id: UUID, after_position: int | None) -> StoredJson:
    wait_for_views(journeys, after_position)
    # Served as stored (SelfServiceView's JSON): parsing it only to encode it again cost
    # more than the rest of the read.
    document = journeys.views.read_self_service_json(customer_id)
    if document is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {customer_id}")
    return StoredJson(document)


def _own_record(journeys: Journeys, principal: Principal, customer_id: UUID) -> None:
    """403 to a customer whose own record this is not."""
    require_own_record(principal, customer_id)


def _own_claim(journeys: Journeys, principal: Principal, claim_id: UUID) -> None:
    """The claim's customer's record (404 for no claim, 403 to another customer)."""
    claim = journeys.application.claim(claim_id)
    require_own_record(principal, claim.customer_id)


@router.get("/me", response_model=SelfServiceView)
def my_view(
    principal: SignedInCustomer, journeys: System, after_position: AfterPosition = None
) -> Response:
    """The signed-in customer's claims, next steps, awards and rights."""
    return _view(journeys, principal.own_record, after_position)


@router.get("/me/disclosures")
def my_disclosures(
    principal: SignedInCustomer,
    journeys: System,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> DisclosuresToCustomerPage:
    """Which staff roles read the signed-in customer's record, and when (oldest first)."""
    wait_for_views(journeys, after_position)
    found, total = journeys.views.read_disclosures(
        DisclosureQuery(customer_id=principal.own_record), Page(limit=limit, offset=offset)
    )
    # Only the role and the time: the colleague's name and purpose are the auditor's to see.
    reads = [DisclosureToCustomer(role=entry.role, read_at=entry.read_at) for entry in found]
    return DisclosuresToCustomerPage(reads=reads, total=total, limit=limit, offset=offset)


@router.get("/customers/{customer_id}/self-service", response_model=SelfServiceView)
def self_service_view(
    customer_id: UUID,
    principal: CustomerOrCaseworkerReads,
    journeys: System,
    after_position: AfterPosition = None,
) -> Response:
    """What the customer sees (a caseworker may look at it to help them)."""
    require_own_record(principal, customer_id)
    return _view(journeys, customer_id, after_position)


App = JourneysApplication

add_command_routes(
    router,
    [
        CommandRoute(
            "/customers/{customer_id}/claims",
            StartClaim,
            App.start_claim,
            CustomerOrCaseworker,
            created=True,
            check=_own_record,
            description="Start a claim.",
        ),
        CommandRoute(
            "/customers/{customer_id}/changes",
            ReportChange,
            App.report_change,
            CustomerOrCaseworker,
            created=True,
            check=_own_record,
            description="Report a change of circumstances with its effective date.",
        ),
        CommandRoute(
            "/claims/{claim_id}/questionnaire/return",
            ReturnQuestionnaire,
            App.return_questionnaire,
            CustomerOrCaseworker,
            check=_own_claim,
            description="Return the PIP2 questionnaire.",
        ),
        CommandRoute(
            "/claims/{claim_id}/reconsideration",
            RequestReconsideration,
            App.request_reconsideration,
            CustomerOrCaseworker,
            created=True,
            check=_own_claim,
            description="Ask for a mandatory reconsideration of the claim's decision.",
        ),
        CommandRoute(
            "/claims/{claim_id}/statement-of-reasons",
            RequestStatementOfReasons,
            App.request_statement_of_reasons,
            CustomerOrCaseworker,
            created=True,
            check=_own_claim,
            description="Ask for a written statement of the decision's reasons.",
        ),
    ],
)
