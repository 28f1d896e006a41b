"""Routes for a customer's own record: self-service reads and the commands customers send.

Caseworkers may use them too, on behalf of any customer; customers only on their own.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException, Response, status

from adapters.bootstrap import Journeys
from adapters.http.auth import Customer as SignedInCustomer
from adapters.http.auth import CustomerOrCaseworker, Principal, Role, require_own_record
from adapters.http.deps import (
    AfterPosition,
    Limit,
    Offset,
    System,
    run_command,
    unprocessable,
    wait_for_views,
)
from adapters.http.disclosure import CustomerOrCaseworkerReads
from adapters.http.schemas import (
    CommandAccepted,
    DisclosuresToCustomerPage,
    ReportChange,
    RequestReconsideration,
    RequestStatementOfReasons,
    ReturnQuestionnaire,
    StartClaim,
)
from adapters.http.stored import StoredJson
from domain.values import ClaimantRole
from projections.model import DisclosureQuery, DisclosureToCustomer, Page, SelfServiceView

router = APIRouter(tags=["self-service"])


def _view(journeys: Journeys, customer_id: UUID, after_position: int | None) -> StoredJson:
    wait_for_views(journeys, after_position)
    # Served as stored (SelfServiceView's JSON): parsing it only to encode it again cost
    # more than the rest of the read.
    document = journeys.views.read_self_service_json(customer_id)
    if document is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {customer_id}")
    return StoredJson(document)


def _own_claim(journeys: Journeys, principal: Principal, claim_id: UUID) -> None:
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


@router.post("/customers/{customer_id}/claims", status_code=201)
def start_claim(
    customer_id: UUID,
    body: StartClaim,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Start a claim."""
    require_own_record(principal, customer_id)
    if principal.role is Role.CUSTOMER and body.claimant_role is not ClaimantRole.CUSTOMER:
        raise unprocessable(
            ["body", "claimant_role"],
            "customers claim for themselves: claimant_role must be 'customer'",
        )
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.start_claim(
            customer_id=customer_id,
            benefit=body.benefit,
            channel=body.channel,
            claimant_role=body.claimant_role,
            claim_date=body.claim_date,
        ),
    )


@router.post("/customers/{customer_id}/changes", status_code=201)
def report_change(
    customer_id: UUID,
    body: ReportChange,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Report a change of circumstances with its effective date."""
    require_own_record(principal, customer_id)
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.report_change(
            customer_id, body.description, body.effective_date
        ),
    )


@router.post("/claims/{claim_id}/questionnaire/return")
def return_questionnaire(
    claim_id: UUID,
    body: ReturnQuestionnaire,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Return the PIP2 questionnaire."""
    _own_claim(journeys, principal, claim_id)
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.return_questionnaire(claim_id, body.received_on),
    )


@router.post("/claims/{claim_id}/reconsideration", status_code=201)
def request_reconsideration(
    claim_id: UUID,
    body: RequestReconsideration,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Ask for a mandatory reconsideration of the claim's decision."""
    _own_claim(journeys, principal, claim_id)
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.request_reconsideration(
            claim_id,
            requested_on=body.requested_on,
            grounds=body.grounds,
            good_reason_for_lateness=body.good_reason_for_lateness,
            official_error_alleged=body.official_error_alleged,
        ),
    )


@router.post("/claims/{claim_id}/statement-of-reasons", status_code=201)
def request_statement_of_reasons(
    claim_id: UUID,
    body: RequestStatementOfReasons,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Ask for a written statement of the decision's reasons."""
    _own_claim(journeys, principal, claim_id)
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.request_statement_of_reasons(claim_id, body.requested_on),
    )
