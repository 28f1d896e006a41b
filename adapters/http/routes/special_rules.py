"""Special Rules for End of Life: SR1 evidence and fast-track awards (caseworkers).

Nothing here is open to customers: a third party may have claimed without the customer
knowing, and the customer must not learn the basis of the claim from any view.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from adapters.http.auth import Caseworker
from adapters.http.commands import CommandRoute, add_command_routes
from adapters.http.deps import System
from adapters.http.disclosure import CaseworkerOrAuditorReads
from domain.decisions import Decision
from domain.special_rules import CaseStatus, FastTrackedClaim, SpecialRulesCase, Sr1Evidence
from services.commands.special_rules import DecideSpecialRulesAward, RecordSr1
from services.errors import SpecialRulesCaseNotFound
from services.journeys import JourneysApplication

router = APIRouter(tags=["special-rules"])


class SpecialRulesCaseView(BaseModel):
    """A customer's Special Rules case as it stands (caseworkers and auditors)."""

    case_id: UUID
    customer_id: UUID
    status: CaseStatus
    opened_on: date
    basis_withheld: bool = Field(description="the customer must not be told")
    evidence: Sr1Evidence | None
    evidence_received_on: date | None
    fast_tracked: list[FastTrackedClaim]
    not_met: dict[UUID, Decision]
    debt_policy: Decision | None
    closed_on: date | None

    @classmethod
    def of(cls, case: SpecialRulesCase) -> SpecialRulesCaseView:
        """The view of an aggregate."""
        return cls(
            case_id=case.id,
            customer_id=case.customer_id,
            status=case.status,
            opened_on=case.opened_on,
            basis_withheld=case.basis_withheld,
            evidence=case.evidence,
            evidence_received_on=case.evidence_received_on,
            fast_tracked=list(case.claims.values()),
            not_met=dict(case.not_met),
            debt_policy=case.debt_policy,
            closed_on=case.closed_on,
        )


add_command_routes(
    router,
    [
        CommandRoute(
            "/claims/{claim_id}/special-rules/sr1",
            RecordSr1,
            JourneysApplication.record_sr1,
            Caseworker,
            description="Record an SR1; every open claim of the customer meeting the definition "
            "is fast-tracked.\n\nThe answer's id is the customer's Special Rules case.",
        ),
        CommandRoute(
            "/claims/{claim_id}/special-rules/award",
            DecideSpecialRulesAward,
            JourneysApplication.decide_special_rules_award,
            Caseworker,
            description="Decide a fast-tracked claim by the Special Rules (no PIP2, no "
            "assessment).",
        ),
    ],
)


@router.get("/customers/{customer_id}/special-rules")
def special_rules_case(
    customer_id: UUID, principal: CaseworkerOrAuditorReads, journeys: System
) -> SpecialRulesCaseView:
    """The customer's Special Rules case (404 when no SR1 was ever recorded)."""
    app = journeys.application
    app.customer(customer_id)  # 404 for an unknown customer
    try:
        case = app.special_rules_case(customer_id)
    except SpecialRulesCaseNotFound:
        # The service names the case's own id, which the caller never saw.
        raise SpecialRulesCaseNotFound(
            f"customer {customer_id} has no Special Rules case (no SR1 recorded)"
        ) from None
    return SpecialRulesCaseView.of(case)
