"""Builders for unit tests: customers and claims at each stage, and a refusal checker."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate

from domain.claim import Award, Claim
from domain.customer import Customer
from domain.errors import DomainError
from domain.identity import customer_id_for
from domain.rules.pip_assessment import (
    DAILY_LIVING_ACTIVITIES,
    MOBILITY_ACTIVITIES,
    AssessmentPoints,
    Rate,
)
from domain.values import (
    Actor,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactPreferences,
    EventRef,
)

NINO = "AB123456C"
DATE_OF_BIRTH = date(1980, 6, 15)
CLAIM_DATE = date(2025, 1, 31)
ISSUED_ON = date(2025, 1, 31)  # the PIP2 is due back on 28 February 2025
DUE_ON = date(2025, 2, 28)
RETURNED_ON = date(2025, 2, 20)
ASSESSED_ON = date(2025, 3, 10)
DECIDED_ON = date(2025, 3, 31)  # MR due by 30 April 2025; absolute limit 30 April 2026
AWARD_STARTS = CLAIM_DATE
AWARD_ENDS = date(2028, 1, 30)

ASSESSOR = Actor.caseworker("hp-001")
DECISION_MAKER = Actor.caseworker("dm-042")
JUDGE = Actor.caseworker("judge-7")


def spread(total: int, activities: Sequence[str]) -> dict[str, int]:
    """Points per activity adding up to `total`, each activity scoring at most 12."""
    if not 0 <= total <= 12 * len(activities):
        raise ValueError(f"{total} points cannot be spread over {len(activities)} activities")
    scores: dict[str, int] = {}
    remaining = total
    for activity in activities:
        scores[activity] = min(12, remaining)
        remaining -= scores[activity]
    return scores


def points(daily_living: int = 0, mobility: int = 0) -> AssessmentPoints:
    """Assessment points with the given total per component, every activity scored."""
    return AssessmentPoints(
        daily_living=spread(daily_living, DAILY_LIVING_ACTIVITIES),
        mobility=spread(mobility, MOBILITY_ACTIVITIES),
    )


def award(
    daily_living: Rate = Rate.STANDARD,
    mobility: Rate = Rate.NONE,
    starts_on: date = AWARD_STARTS,
    ends_on: date = AWARD_ENDS,
) -> Award:
    """An entitled PIP award."""
    return Award(
        entitled=True,
        daily_living=daily_living,
        mobility=mobility,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def register_customer(
    *, nino: str = NINO, date_of_birth: date = DATE_OF_BIRTH, today: date = CLAIM_DATE
) -> Customer:
    """A registered customer with default contact preferences."""
    return Customer.register(
        nino=nino,
        name="Alex Example",
        date_of_birth=date_of_birth,
        contact_preferences=ContactPreferences(),
        today=today,
    )


def customer_ref(nino: str = NINO) -> EventRef:
    """A reference to a customer's registration event."""
    return EventRef(aggregate_id=customer_id_for(nino), version=1)


def start_claim(
    benefit: BenefitType = BenefitType.PIP,
    *,
    claim_date: date = CLAIM_DATE,
    date_of_birth: date = DATE_OF_BIRTH,
) -> Claim:
    """A started claim."""
    return Claim.start(
        customer=customer_ref(),
        benefit=benefit,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=claim_date,
        date_of_birth=date_of_birth,
    )


def awaiting_questionnaire() -> Claim:
    """A PIP claim whose PIP2 was sent on 31 January 2025."""
    claim = start_claim()
    claim.issue_questionnaire(ISSUED_ON)
    return claim


def awaiting_assessment() -> Claim:
    """A PIP claim whose PIP2 came back in time."""
    claim = awaiting_questionnaire()
    claim.return_questionnaire(RETURNED_ON)
    return claim


def awaiting_decision(daily_living: int = 9, mobility: int = 12) -> Claim:
    """A PIP claim with its assessment recorded."""
    claim = awaiting_assessment()
    claim.record_assessment(ASSESSED_ON, points(daily_living, mobility), ASSESSOR)
    return claim


def awarded(daily_living: int = 9, mobility: int = 12) -> Claim:
    """A PIP claim decided on 31 March 2025 (standard daily living, enhanced mobility)."""
    claim = awaiting_decision(daily_living, mobility)
    claim.decide_pip_award(decided_on=DECIDED_ON, starts_on=AWARD_STARTS, ends_on=AWARD_ENDS)
    return claim


def not_awarded() -> Claim:
    """A PIP claim decided on 31 March 2025 with too few points for either component."""
    return awarded(daily_living=7, mobility=7)


def disallowed() -> Claim:
    """A PIP claim disallowed on 3 March 2025 because the PIP2 never came back."""
    claim = awaiting_questionnaire()
    claim.make_negative_determination(date(2025, 3, 3), good_reason=None)
    return claim


def reconsideration_requested() -> Claim:
    """An awarded claim whose MR was asked for in time."""
    claim = awarded()
    claim.request_reconsideration(requested_on=date(2025, 4, 10), grounds="mobility is worse")
    return claim


MR_NOTICE_SENT = date(2025, 5, 30)  # appeal due by 30 June 2025; extension to 30 June 2026


def reconsidered(revised_award: Award | None = None) -> Claim:
    """An awarded claim whose MR notice was sent on 30 May 2025."""
    claim = reconsideration_requested()
    claim.decide_reconsideration(
        notice_sent_on=MR_NOTICE_SENT,
        revised_award=revised_award,
        reason="the evidence supports the original decision",
        decision_maker=DECISION_MAKER,
    )
    return claim


APPEAL_LODGED = date(2025, 6, 20)


def appeal_lodged(
    sought_daily_living: Rate = Rate.ENHANCED, sought_mobility: Rate = Rate.ENHANCED
) -> Claim:
    """A reconsidered claim under appeal, lodged on 20 June 2025."""
    claim = reconsidered()
    claim.lodge_appeal(
        lodged_on=APPEAL_LODGED,
        sought_daily_living=sought_daily_living,
        sought_mobility=sought_mobility,
    )
    return claim


def state_of(aggregate: Aggregate) -> dict[str, Any]:
    """A deep copy of an aggregate's state, without its pending events."""
    return copy.deepcopy({k: v for k, v in vars(aggregate).items() if k != "_pending_events"})


def event_names(aggregate: Aggregate) -> list[str]:
    """The class names of the aggregate's pending events, oldest first."""
    return [type(e).__name__ for e in aggregate.pending_events]


@contextmanager
def refused(
    aggregate: Aggregate, error: type[DomainError], match: str | None = None
) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """Expect the command in the block to raise `error` and record nothing at all."""
    pending_before = len(aggregate.pending_events)
    version_before = aggregate.version
    state_before = state_of(aggregate)
    with pytest.raises(error, match=match) as info:
        yield info
    assert len(aggregate.pending_events) == pending_before, "a refused command appended events"
    assert aggregate.version == version_before
    assert state_of(aggregate) == state_before, "a refused command changed the state"


def replay(events: Sequence[CanMutateAggregate[UUID]]) -> Aggregate:
    """Rebuild an aggregate from its events, as the library's repository does."""
    aggregate: Aggregate | None = None
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    assert aggregate is not None
    return aggregate
