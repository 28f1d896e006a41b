"""Small builders shared by the integration tests: people, points, awards and log checks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from uuid import UUID

from adapters.bootstrap import Journeys
from domain.claim import Award
from domain.periods import add_calendar_months
from domain.rules.pip_assessment import DAILY_LIVING_ACTIVITIES, MOBILITY_ACTIVITIES, Rate
from domain.values import Actor, BenefitType, ClaimantRole, ClaimChannel

DECISION_MAKER = Actor.caseworker("DM-1001")
HEALTH_PROFESSIONAL = Actor.caseworker("HP-2002")
TRIBUNAL_JUDGE = Actor.caseworker("JUDGE-3003")

_serial = itertools.count(100_000)


def new_nino() -> str:
    """A valid NINO not used before in this test run (ids derive from the NINO)."""
    return f"AB{next(_serial):06d}C"


def points_totalling(total: int, activities: tuple[str, ...]) -> dict[str, int]:
    """Points for every activity of a component adding up to `total` (at most 12 each)."""
    if not 0 <= total <= 12 * len(activities):
        raise ValueError(f"{total} points cannot be spread over {len(activities)} activities")
    points = dict.fromkeys(activities, 0)
    remaining = total
    for activity in activities:
        points[activity] = min(12, remaining)
        remaining -= points[activity]
    return points


def daily_living_points(total: int) -> dict[str, int]:
    """Points for all ten daily living activities adding up to `total`."""
    return points_totalling(total, DAILY_LIVING_ACTIVITIES)


def mobility_points(total: int) -> dict[str, int]:
    """Points for both mobility activities adding up to `total`."""
    return points_totalling(total, MOBILITY_ACTIVITIES)


def pip_award(daily_living: Rate, mobility: Rate, starts_on: date, months: int = 24) -> Award:
    """An entitled PIP award at the given rates running `months` from `starts_on`."""
    return Award(
        entitled=True,
        daily_living=daily_living,
        mobility=mobility,
        starts_on=starts_on,
        ends_on=add_calendar_months(starts_on, months),
    )


def register(journeys: Journeys, *, born: date = date(1985, 3, 14), name: str = "Ada") -> UUID:
    """Register a fresh customer and return their id."""
    return journeys.application.register_customer(nino=new_nino(), name=name, date_of_birth=born).id


def start_claim(
    journeys: Journeys, customer_id: UUID, benefit: BenefitType, claim_date: date | None = None
) -> UUID:
    """Start a phone claim made by the customer, dated today unless told otherwise."""
    return journeys.application.start_claim(
        customer_id=customer_id,
        benefit=benefit,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=claim_date or journeys.clock.today(),
    ).id


def pip_claim_awaiting_assessment(journeys: Journeys, customer_id: UUID) -> UUID:
    """A PIP claim started and its questionnaire issued and returned today."""
    app = journeys.application
    claim_id = start_claim(journeys, customer_id, BenefitType.PIP)
    app.issue_questionnaire(claim_id, journeys.clock.today())
    app.return_questionnaire(claim_id, journeys.clock.today())
    return claim_id


def assess(journeys: Journeys, claim_id: UUID, daily_living: int, mobility: int) -> None:
    """Record an assessment today with the given component totals."""
    journeys.application.record_assessment(
        claim_id,
        assessed_on=journeys.clock.today(),
        daily_living=daily_living_points(daily_living),
        mobility=mobility_points(mobility),
        assessor_id=HEALTH_PROFESSIONAL.identifier,
    )


def log_position(journeys: Journeys) -> int:
    """The id of the last notification in the log (0 when empty)."""
    return journeys.application.recorder.max_notification_id() or 0


def topics_since(journeys: Journeys, position: int) -> list[str]:
    """The event classes appended after a log position, in log order ("Customer.Registered")."""
    notifications = journeys.application.recorder.select_notifications(
        start=position + 1, limit=1000
    )
    return [notification.topic.rsplit(":", 1)[-1] for notification in notifications]


@contextmanager
def nothing_appended(journeys: Journeys) -> Iterator[None]:
    """Fail unless the block leaves the log exactly as it found it."""
    before = log_position(journeys)
    yield
    after = log_position(journeys)
    assert after == before, f"{after - before} event(s) were appended by a refused command"


def state_of(aggregate: object) -> Mapping[str, object]:
    """An aggregate's attributes, without the events still waiting to be saved."""
    return {key: value for key, value in vars(aggregate).items() if key != "_pending_events"}
