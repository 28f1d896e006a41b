"""Special Rules for End of Life: SR1 evidence and fast-track awards (caseworkers).

Nothing here is open to customers: a third party may have claimed without the customer
knowing, and the customer must not learn the basis of the claim from any view.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.http.auth import Caseworker
from adapters.http.deps import System, run_command
from adapters.http.disclosure import CaseworkerOrAuditorReads
from adapters.http.schemas import CommandAccepted
from domain.decisions import Decision
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole, DlaMobilityRate
from domain.special_rules import CaseStatus, FastTrackedClaim, SpecialRulesCase, Sr1Evidence
from services.commands import Command
from services.errors import SpecialRulesCaseNotFound

router = APIRouter(tags=["special-rules"])


class RecordSr1(Command):
    """An SR1 form that arrived with a claim."""

    received_on: date
    signer_role: ClinicianRole
    signer_name: str = Field(min_length=1, max_length=200)
    signed_on: date
    progressive_disease: bool
    death_expected_within_months: int = Field(
        ge=1, le=120, description="the clinician's stated horizon"
    )
    customer_aware: bool = Field(
        default=False,
        description="a third party claimed and the customer knows; otherwise the basis is "
        "withheld from the customer",
    )


class DecideSpecialRulesAward(Command):
    """Decide a fast-tracked claim; mobility is the need the decision maker found."""

    decided_on: date
    mobility: Rate = Field(default=Rate.NONE, description="PIP mobility rate by need")
    dla_mobility: DlaMobilityRate | None = Field(
        default=None, description="DLA mobility rate by need"
    )


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


@router.post("/claims/{claim_id}/special-rules/sr1")
def record_sr1(
    claim_id: UUID,
    body: RecordSr1,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record an SR1; every open claim of the customer meeting the definition is fast-tracked.

    The answer's id is the customer's Special Rules case.
    """
    evidence = Sr1Evidence(
        signer_role=body.signer_role,
        signer_name=body.signer_name,
        signed_on=body.signed_on,
        progressive_disease=body.progressive_disease,
        death_expected_within_months=body.death_expected_within_months,
    )
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.record_sr1(
            claim_id,
            received_on=body.received_on,
            evidence=evidence,
            customer_aware=body.customer_aware,
        ),
    )


@router.post("/claims/{claim_id}/special-rules/award")
def decide_special_rules_award(
    claim_id: UUID,
    body: DecideSpecialRulesAward,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Decide a fast-tracked claim by the Special Rules (no PIP2, no assessment)."""
    app = journeys.application
    return run_command(
        journeys,
        principal,
        response,
        lambda: app.decide_special_rules_award(
            claim_id,
            decided_on=body.decided_on,
            decision_maker=principal.actor,
            mobility=body.mobility,
            dla_mobility=body.dla_mobility,
        ),
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
