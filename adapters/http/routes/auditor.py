"""Auditor routes (read-only): the decision ledger, history as known then, decision re-runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from adapters.http.auth import Principal, Role
from adapters.http.deps import (
    AfterPosition,
    DecisionIndex,
    Limit,
    LogPosition,
    Offset,
    System,
    unprocessable,
    wait_for_views,
)
from adapters.http.disclosure import (
    AuditorReads,
    Discloses,
    customer_in_query,
    customer_of_decision,
)
from adapters.http.schemas import (
    ClaimAsKnown,
    CustomerAsKnown,
    DecisionReproduction,
    DisclosurePage,
    KnownAt,
    LedgerPage,
)
from domain.rules import rerun
from projections.model import DisclosureQuery, LedgerQuery, Page, TimelineQuery

router = APIRouter(prefix="/audit", tags=["auditor"])

# Lists filtered to one customer are disclosures of that customer; unfiltered, of many.
AuditorReadsList = Annotated[
    Principal, Depends(Discloses(Role.AUDITOR, customer=customer_in_query))
]
AuditorReadsDecision = Annotated[
    Principal, Depends(Discloses(Role.AUDITOR, customer=customer_of_decision))
]


def _outcome_filters(outcome: list[str]) -> dict[str, str]:
    filters = {}
    for pair in outcome:
        field, separator, value = pair.partition(":")
        if not separator or not field:
            raise unprocessable(
                ["query", "outcome"], f"{pair!r} is not field:value (e.g. eligible:true)"
            )
        filters[field] = value
    return filters


@router.get("/decisions")
def decision_ledger(
    principal: AuditorReadsList,
    journeys: System,
    rule_id: str | None = None,
    rule_version: Annotated[int | None, Query(ge=1)] = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
    outcome: Annotated[
        list[str] | None,
        Query(description="field:value the outcome must have, e.g. daily_living_rate:enhanced"),
    ] = None,
    customer_id: UUID | None = None,
    automated: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> LedgerPage:
    """Every recorded decision matching the filters, in log order."""
    wait_for_views(journeys, after_position)
    query = LedgerQuery(
        rule_id=rule_id,
        rule_version=rule_version,
        decided_from=decided_from,
        decided_to=decided_to,
        outcome=_outcome_filters(outcome or []),
        customer_id=customer_id,
        automated=automated,
    )
    decisions, total = journeys.views.read_ledger(query, Page(limit=limit, offset=offset))
    return LedgerPage(decisions=decisions, total=total, limit=limit, offset=offset)


@router.get("/disclosures")
def disclosures(
    principal: AuditorReadsList,
    journeys: System,
    customer_id: Annotated[UUID | None, Query(description="reads of this customer")] = None,
    subject: Annotated[
        str | None, Query(min_length=1, description="reads by this colleague (staff id)")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> DisclosurePage:
    """Recorded staff reads of customer data, in log order: per customer and/or per colleague."""
    wait_for_views(journeys, after_position)
    found, total = journeys.views.read_disclosures(
        DisclosureQuery(customer_id=customer_id, subject=subject),
        Page(limit=limit, offset=offset),
    )
    return DisclosurePage(disclosures=found, total=total, limit=limit, offset=offset)


@router.get("/decisions/{position}/{index}/reproduction")
def reproduce_decision(
    position: LogPosition,
    index: DecisionIndex,
    principal: AuditorReadsDecision,
    journeys: System,
) -> DecisionReproduction:
    """Re-run a recorded decision from its recorded inputs and say whether it reproduces."""
    recorded = journeys.ledger.decision_at(position, index)
    reproduction = rerun(recorded.decision)
    return DecisionReproduction(
        position=position,
        index=index,
        rule_id=reproduction.rule_id,
        rule_version=reproduction.rule_version,
        reproduces=reproduction.reproduces,
        recorded_outcome=reproduction.recorded_outcome,
        recomputed_outcome=reproduction.recomputed_outcome,
        recomputed_reasons=list(reproduction.recomputed_reasons),
    )


@router.get("/customers/{customer_id}/known-at")
def known_at(
    customer_id: UUID,
    as_of: Annotated[
        AwareDatetime, Query(description="a recorded time with its zone, e.g. 2026-03-01T00:00:00Z")
    ],
    principal: AuditorReads,
    journeys: System,
) -> KnownAt:
    """What the department knew about a customer at a recorded time: state and events."""
    customer, claims = journeys.application.known_at(customer_id, as_of)
    # The events known then are those recorded by then; the timeline must hold them all.
    wait_for_views(journeys, journeys.projections.log.last_position())
    query = TimelineQuery(customer_id=customer_id, recorded_to=as_of)
    events, total = journeys.views.read_timeline(query, Page(limit=500))
    while len(events) < total:
        more, _ = journeys.views.read_timeline(query, Page(limit=500, offset=len(events)))
        if not more:
            break
        events.extend(more)
    return KnownAt(
        as_of=as_of,
        customer=CustomerAsKnown(
            customer_id=customer.id,
            nino=customer.nino,
            name=customer.name,
            date_of_birth=customer.date_of_birth,
            date_of_death=customer.date_of_death,
            appointee=customer.appointee.model_dump(mode="json") if customer.appointee else None,
            support_markers=[m.model_dump(mode="json") for m in customer.support_markers.values()],
            circumstances=[
                {"effective_date": effective.isoformat(), "description": description}
                for effective, description in customer.circumstances
            ],
        ),
        claims=[
            ClaimAsKnown(
                claim_id=claim.id,
                benefit=claim.benefit.value,
                claim_date=claim.claim_date,
                status=claim.status.value,
                questionnaire_due_on=claim.questionnaire_due_on,
                award=claim.award.model_dump(mode="json") if claim.award else None,
                dispute=claim.dispute.value,
            )
            for claim in claims
        ],
        events=events,
    )
