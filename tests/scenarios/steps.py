"""Steps of dated DLA to PIP journeys, driven through the real system and its scheduler.

Every young person here gets DLA from Monday 5 January 2026 and a NINO ending in 00-19,
so DLA is paid on Mondays every 4 weeks from 5 January 2026: 4 January 2027 is 52 weeks
(13 cycles) later, and the pay days the scenarios count with are

    2027: 4 Jan, 1 Feb, 1 Mar, 29 Mar, 26 Apr, 24 May, 21 Jun, 19 Jul, 16 Aug, 13 Sep,
          11 Oct, 8 Nov, 6 Dec
    2028: 3 Jan, 31 Jan, 28 Feb, 27 Mar, 24 Apr, 22 May, 19 Jun, 17 Jul

(each 28 days after the one before).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel

from adapters.bootstrap import Journeys
from domain.aggregate import JourneyAggregate
from domain.decisions import Decision, decisions_in
from domain.rules.dla_child import DisablingCondition
from domain.transition import transition_id_for
from domain.values import Actor, Appointee, BenefitType, ClaimantRole, ClaimChannel, Region
from projections.model import (
    Page,
    SelfServiceTransition,
    TransitionCase,
    TransitionWorklist,
    TransitionWorklistItem,
)
from services.clock import SimulatedClock
from services.deadlines import SchedulerRun
from services.log import read_log
from tests.integration.helpers import (
    DECISION_MAKER,
    HEALTH_PROFESSIONAL,
    daily_living_points,
    mobility_points,
)

AWARD_STARTS = date(2026, 1, 5)
"""A Monday: the DLA awards start here, so their pay days are 5 January 2026 + 28n days."""

DLA_WEEKLY_PENCE = 7000
MONDAY_DIGITS = "07"
"""NINO digits 00-19 are paid on Mondays (dla.pay_schedule v1)."""

EventT = TypeVar("EventT", bound=JourneyAggregate.Event)

_serial = itertools.count(1)


def nino(digits: str = MONDAY_DIGITS) -> str:
    """A NINO not used before in this run whose last two digits set the DLA pay day."""
    return f"YP{next(_serial) % 10_000:04d}{digits}A"


@dataclass(frozen=True)
class Child:
    """A young person on child DLA whose transition has started."""

    customer_id: UUID
    dla_claim_id: UUID
    born: date

    @property
    def transition_id(self) -> UUID:
        """The id of the young person's transition."""
        return transition_id_for(self.customer_id)


def move_to(clock: SimulatedClock, day: date) -> None:
    """Set the clock to 9:00 UTC on `day` (staying put if it is already that day)."""
    if clock.today() != day:
        clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))


def run_on(system: Journeys, clock: SimulatedClock, day: date) -> SchedulerRun:
    """Move the clock to `day` and run the deadline scheduler once."""
    move_to(clock, day)
    return system.deadlines.run_due()


def fired_actions(run: SchedulerRun) -> list[str]:
    """The actions a scheduler run fired, in firing order."""
    return [deadline.action for deadline in run.fired]


def child_on_dla(
    system: Journeys,
    *,
    born: date,
    special_rules: bool = False,
    award_ends: date | None = None,
    weekly_pence: int = DLA_WEEKLY_PENCE,
    region: Region = Region.GREAT_BRITAIN,
    condition: DisablingCondition = DisablingCondition.OTHER,
    appointee: bool = False,
    digits: str = MONDAY_DIGITS,
    national_insurance_number: str | None = None,
) -> Child:
    """Register a child, award DLA from 5 January 2026 and start the transition today."""
    app = system.application
    today = system.clock.today()
    customer_id = app.register_customer(
        nino=national_insurance_number or nino(digits), name="Sam Young", date_of_birth=born
    ).id
    if appointee:
        app.appoint(customer_id, Appointee(name="Pat Young", relationship="parent"), today)
    dla_claim_id = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.DLA,
        channel=ClaimChannel.POST,
        claimant_role=ClaimantRole.APPOINTEE if appointee else ClaimantRole.CUSTOMER,
        claim_date=AWARD_STARTS,
    ).id
    app.decide_entitlement(
        dla_claim_id,
        decided_on=AWARD_STARTS,
        entitled=True,
        reason="needs care and supervision",
        decision_maker=DECISION_MAKER,
        starts_on=AWARD_STARTS,
        ends_on=award_ends,
    )
    app.start_transition(
        customer_id,
        dla_claim_id=dla_claim_id,
        dla_weekly_pence=weekly_pence,
        special_rules=special_rules,
        condition=condition,
        region=region,
    )
    return Child(customer_id=customer_id, dla_claim_id=dla_claim_id, born=born)


def claim_pip(
    system: Journeys,
    clock: SimulatedClock,
    child: Child,
    on: date,
    role: ClaimantRole = ClaimantRole.CUSTOMER,
) -> UUID:
    """Claim PIP dated `on`, moving the clock there first if it is earlier."""
    if clock.today() < on:
        move_to(clock, on)
    return system.application.start_claim(
        customer_id=child.customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=role,
        claim_date=on,
    ).id


def assess_pip(
    system: Journeys,
    clock: SimulatedClock,
    claim_id: UUID,
    *,
    returned_on: date,
    assessed_on: date,
    daily_living: int = 9,
    mobility: int = 0,
) -> None:
    """The PIP2 comes back and the assessment scores the points (the PIP2 is already out)."""
    move_to(clock, returned_on)
    system.application.return_questionnaire(claim_id, returned_on)
    assess(system, clock, claim_id, assessed_on, daily_living=daily_living, mobility=mobility)


def assess(
    system: Journeys,
    clock: SimulatedClock,
    claim_id: UUID,
    assessed_on: date,
    *,
    daily_living: int = 9,
    mobility: int = 0,
) -> None:
    """Record the assessment's points on `assessed_on` (the PIP2 has come back)."""
    move_to(clock, assessed_on)
    system.application.record_assessment(
        claim_id,
        assessed_on=assessed_on,
        daily_living=daily_living_points(daily_living),
        mobility=mobility_points(mobility),
        assessor_id=HEALTH_PROFESSIONAL.identifier,
    )


def decide_pip(
    system: Journeys,
    clock: SimulatedClock,
    claim_id: UUID,
    decided_on: date,
    starts_on: date | None = None,
    decision_maker: Actor = DECISION_MAKER,
) -> None:
    """Decide the assessed claim on `decided_on`; PIP's start comes from the rule."""
    move_to(clock, decided_on)
    system.application.decide_pip_award(
        claim_id,
        decided_on=decided_on,
        starts_on=starts_on,
        ends_on=decided_on + timedelta(days=2 * 365 + 120),
        decision_maker=decision_maker,
    )


def pip_claim_decided(
    system: Journeys,
    clock: SimulatedClock,
    child: Child,
    *,
    claimed_on: date,
    decided_on: date,
    daily_living: int = 9,
    mobility: int = 0,
) -> UUID:
    """Claim PIP, issue and get back the PIP2, assess, and decide on `decided_on`."""
    claim_id = claim_pip(system, clock, child, claimed_on)
    system.application.issue_questionnaire(claim_id, claimed_on)
    assess_pip(
        system,
        clock,
        claim_id,
        returned_on=claimed_on + timedelta(days=3),
        assessed_on=decided_on - timedelta(days=1),
        daily_living=daily_living,
        mobility=mobility,
    )
    decide_pip(system, clock, claim_id, decided_on)
    return claim_id


# -- what the log, the views and the worklists say ----------------------------------------------


def transition_events(system: Journeys, child: Child) -> list[JourneyAggregate.Event]:
    """Every event of the child's transition, in order."""
    stored = system.application.events.get(child.transition_id)
    return [event for event in stored if isinstance(event, JourneyAggregate.Event)]


def events_of(system: Journeys, child: Child, kind: type[EventT]) -> list[EventT]:
    """The transition's events of one kind, in order."""
    return [event for event in transition_events(system, child) if isinstance(event, kind)]


def only(system: Journeys, child: Child, kind: type[EventT]) -> EventT:
    """The transition's one event of a kind (fails when there are none or several)."""
    found = events_of(system, child, kind)
    assert len(found) == 1, f"expected one {kind.__qualname__}, found {len(found)}"
    return found[0]


def stage_of(system: Journeys, child: Child) -> str:
    """The transition's stage as the aggregate has it."""
    return system.application.transition(child.customer_id).stage.value


def section(system: Journeys, child: Child) -> SelfServiceTransition:
    """The young person's DLA to PIP section of the self-service page, brought up to date."""
    system.projections.catch_up()
    view = system.views.read_self_service(child.customer_id)
    assert view is not None
    assert view.dla_to_pip is not None
    return view.dla_to_pip


def case(system: Journeys, child: Child) -> TransitionCase:
    """The caseworkers' case of the transition, brought up to date."""
    system.projections.catch_up()
    found = system.views.read_transition(child.customer_id)
    assert found is not None
    return found


SECRET_WORDS = ("special rules", "special_rules", "terminal", "sr1")


def self_service_secrets(system: Journeys, child: Child) -> list[str]:
    """Words of the Special Rules that the young person's self-service page lets slip."""
    system.projections.catch_up()
    document = system.views.read_self_service_json(child.customer_id)
    assert document is not None
    text = json.dumps(json.loads(document)).lower()
    return [word for word in SECRET_WORDS if word in text]


def week_ahead(today: date) -> date:
    """The due_before that lists what falls in the next 7 days (today + 8 days, exclusive)."""
    return today + timedelta(days=8)


def worklist(
    system: Journeys, which: TransitionWorklist, due_before: date | None
) -> list[TransitionWorklistItem]:
    """A transition worklist, brought up to date."""
    system.projections.catch_up()
    items, total = system.views.read_transition_worklist(which, due_before, Page(limit=500))
    assert total == len(items)
    return items


def listed(
    system: Journeys, which: TransitionWorklist, due_before: date | None
) -> dict[UUID, TransitionWorklistItem]:
    """The worklist's items by customer id."""
    return {item.customer_id: item for item in worklist(system, which, due_before)}


LogEntry = tuple[str, tuple[tuple[str, date], ...], tuple[str, ...]]


def log_summary(system: Journeys) -> list[LogEntry]:
    """The log as (event kind, its dates, its decisions' outcomes): what a replay must repeat.

    Ids are left out (claims get random ids); dates inside value objects, such as a
    deadline's day, are kept under their dotted names.
    """
    app = system.application
    summary: list[LogEntry] = []
    for notification in read_log(app):
        event = app.mapper.to_domain_event(notification)
        dates = tuple(sorted(_dates_in(vars(event))))
        outcomes = tuple(
            json.dumps(decision.outcome, sort_keys=True, default=str)
            for decision in decisions_in(event)
        )
        summary.append((type(event).__qualname__, dates, outcomes))
    return summary


def _dates_in(values: dict[str, object], prefix: str = "") -> list[tuple[str, date]]:
    found: list[tuple[str, date]] = []
    for name, value in values.items():
        if isinstance(value, datetime | Decision):
            continue
        if isinstance(value, date):
            found.append((prefix + name, value))
        elif isinstance(value, BaseModel):
            found.extend(_dates_in(dict(value), f"{prefix}{name}."))
    return found
