"""Properties of whole journeys: history replays to the same state, decisions re-run, storage
round-trips, and a refused command never leaves a trace."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.claim import Award, Claim, ClaimStatus, DisputeStage, RatesOverride
from domain.customer import Customer
from domain.decisions import Decision
from domain.errors import DomainError
from domain.periods import add_calendar_months
from domain.rules import rerun
from domain.rules.pip_assessment import (
    DAILY_LIVING_ACTIVITIES,
    MOBILITY_ACTIVITIES,
    AssessmentPoints,
    Rate,
)
from domain.values import (
    Actor,
    Appointee,
    BenefitType,
    ContactChannel,
    ContactPreferences,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.transcodings import register_domain_transcodings
from tests.unit.builders import ASSESSOR, DECISION_MAKER, JUDGE, replay, start_claim, state_of

MAX_STEPS = 14
JOURNEY_SETTINGS = settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _mapper() -> Mapper[UUID]:
    transcoder = JSONTranscoder()
    transcoder.register(UUIDAsHex())
    transcoder.register(DatetimeAsISO())
    transcoder.register(DecimalAsStr())
    register_domain_transcodings(transcoder)
    return Mapper(transcoder)


MAPPER = _mapper()


def through_storage(
    events: Sequence[CanMutateAggregate[UUID]],
) -> list[CanMutateAggregate[UUID]]:
    """The events written as stored events and read back, as the event store does."""
    stored = [MAPPER.to_stored_event(domain_event) for domain_event in events]
    return [cast(CanMutateAggregate[UUID], MAPPER.to_domain_event(s)) for s in stored]


def decisions_in(events: Sequence[object]) -> list[Decision]:
    """Every Decision carried by the events (time limits, rules and judgements)."""
    found: list[Decision] = []
    for domain_event in events:
        for value in vars(domain_event).values():
            if isinstance(value, Decision):
                found.append(value)
    return found


@dataclass
class Journey:
    """An aggregate driven by generated commands, with what happened along the way."""

    aggregate: Aggregate
    commands: list[str] = field(default_factory=list)  # those that succeeded, after creation
    refused: list[str] = field(default_factory=list)
    traces_of_refusals: list[str] = field(default_factory=list)


def attempt(journey: Journey, name: str, command: Callable[[], None]) -> bool:
    """Run a command; when refused, check it appended nothing and changed nothing."""
    aggregate = journey.aggregate
    pending, version, before = len(aggregate.pending_events), aggregate.version, state_of(aggregate)
    try:
        command()
    except DomainError as error:
        journey.refused.append(f"{name}: {type(error).__name__}")
        if (len(aggregate.pending_events), aggregate.version) != (pending, version):
            journey.traces_of_refusals.append(f"{name} appended events before refusing")
        if state_of(aggregate) != before:
            journey.traces_of_refusals.append(f"{name} changed state before refusing")
        return False
    journey.commands.append(name)
    return True


# -- claim journeys ------------------------------------------------------------------------------

CLAIM_COMMANDS = (
    "issue_questionnaire",
    "return_questionnaire",
    "make_negative_determination",
    "record_assessment",
    "decide_pip_award",
    "decide_entitlement",
    "withdraw",
    "request_statement_of_reasons",
    "request_reconsideration",
    "decide_reconsideration",
    "lodge_appeal",
    "revise_during_appeal",
    "record_appeal_outcome",
)
rates = st.sampled_from(list(Rate))
reasons = st.sampled_from(["", "in hospital", "evidence from GP", "new medical evidence"])
benefits = st.sampled_from(
    [BenefitType.PIP] * 4 + [b for b in BenefitType if b is not BenefitType.PIP]
)


def applicable(claim: Claim) -> list[str]:
    """The commands that fit the claim's stage (others are still tried now and then)."""
    pip = claim.benefit is BenefitType.PIP
    status, dispute = claim.status, claim.dispute
    options: list[str] = []
    if status.is_open:
        options.append("withdraw")
        if not pip:
            options.append("decide_entitlement")
    if pip and status is ClaimStatus.STARTED:
        options.append("issue_questionnaire")
    if status is ClaimStatus.AWAITING_QUESTIONNAIRE:
        options += ["return_questionnaire", "make_negative_determination"]
    if status is ClaimStatus.AWAITING_ASSESSMENT:
        options.append("record_assessment")
    if pip and status is ClaimStatus.AWAITING_DECISION:
        options.append("decide_pip_award")
    decided = status in {ClaimStatus.AWARDED, ClaimStatus.NOT_AWARDED, ClaimStatus.DISALLOWED}
    if decided and dispute is DisputeStage.NONE:
        options.append("request_reconsideration")
        if claim.statement_of_reasons_requested_on is None:
            options.append("request_statement_of_reasons")
    if dispute is DisputeStage.RECONSIDERATION_REQUESTED:
        options.append("decide_reconsideration")
    if dispute is DisputeStage.RECONSIDERED:
        options.append("lodge_appeal")
    if dispute is DisputeStage.APPEAL_LODGED:
        options += ["revise_during_appeal", "record_appeal_outcome"]
    return options


def draw_points(draw: st.DrawFn) -> AssessmentPoints:
    daily_living = {a: draw(st.integers(0, 12)) for a in DAILY_LIVING_ACTIVITIES}
    mobility = {a: draw(st.integers(0, 12)) for a in MOBILITY_ACTIVITIES}
    spoiled = draw(st.sampled_from([None] * 8 + [-1, 13]))
    if spoiled is not None:
        daily_living["preparing_food"] = spoiled
    return AssessmentPoints(daily_living=daily_living, mobility=mobility)


def draw_award(draw: st.DrawFn, claim: Claim) -> Award:
    if not draw(st.integers(0, 4)):
        return Award.nil()
    starts_on = claim.claim_date + timedelta(days=draw(st.integers(-2, 30)))
    months = draw(st.integers(2, 121))
    ends_on = add_calendar_months(starts_on, months) + timedelta(days=draw(st.integers(-1, 1)))
    return Award(
        entitled=True,
        daily_living=draw(rates),
        mobility=draw(rates),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def step(draw: st.DrawFn, journey: Journey, name: str, cursor: date) -> date | None:
    """Run one generated command; returns the command's date when it succeeded."""
    claim = cast(Claim, journey.aggregate)

    def later(most: int) -> date:
        return cursor + timedelta(days=draw(st.integers(0, most)))

    when = later(60)
    command: Callable[[], None]
    if name == "issue_questionnaire":

        def command() -> None:
            claim.issue_questionnaire(when)

    elif name == "return_questionnaire":

        def command() -> None:
            claim.return_questionnaire(when)

    elif name == "make_negative_determination":
        when = later(120)
        good_reason = draw(st.sampled_from([None, None, "", "in hospital"]))

        def command() -> None:
            claim.make_negative_determination(when, good_reason=good_reason)

    elif name == "record_assessment":
        scored = draw_points(draw)

        def command() -> None:
            claim.record_assessment(when, scored, ASSESSOR)

    elif name == "decide_pip_award":
        proposed = draw_award(draw, claim)
        starts_on = proposed.starts_on or claim.claim_date
        ends_on = proposed.ends_on or add_calendar_months(starts_on, 24)
        override: RatesOverride | None = None
        maker: Actor | None = None
        if not draw(st.integers(0, 3)):
            override = RatesOverride(
                daily_living=draw(rates), mobility=draw(rates), reason=draw(reasons)
            )
            maker = draw(st.sampled_from([DECISION_MAKER, DECISION_MAKER, Actor.system()]))

        def command() -> None:
            claim.decide_pip_award(
                decided_on=when,
                starts_on=starts_on,
                ends_on=ends_on,
                decision_maker=maker,
                override=override,
            )

    elif name == "decide_entitlement":
        entitled = draw(st.booleans())
        reason = draw(reasons)
        starts_on = claim.claim_date + timedelta(days=draw(st.integers(-2, 20)))

        def command() -> None:
            claim.decide_entitlement(
                decided_on=when,
                entitled=entitled,
                reason=reason,
                decision_maker=DECISION_MAKER,
                starts_on=starts_on,
            )

    elif name == "withdraw":

        def command() -> None:
            claim.withdraw(when, reason="no longer needed")

    elif name == "request_statement_of_reasons":
        when = later(40)

        def command() -> None:
            claim.request_statement_of_reasons(when)

    elif name == "request_reconsideration":
        when = later(draw(st.sampled_from([40, 40, 450])))
        good_reason = draw(st.sampled_from([None, "", "  ", "in hospital"]))
        official_error = not draw(st.integers(0, 5))
        grounds = draw(st.sampled_from(["wrong rate", "wrong rate", " "]))

        def command() -> None:
            claim.request_reconsideration(
                requested_on=when,
                grounds=grounds,
                good_reason_for_lateness=good_reason,
                official_error_alleged=official_error,
            )

    elif name == "decide_reconsideration":
        revised = draw(st.none() | st.builds(lambda: draw_award(draw, claim)))
        reason = draw(reasons)

        def command() -> None:
            claim.decide_reconsideration(
                notice_sent_on=when,
                revised_award=revised,
                reason=reason,
                decision_maker=DECISION_MAKER,
            )

    elif name == "lodge_appeal":
        when = later(draw(st.sampled_from([40, 40, 450])))
        extended = draw(st.booleans())
        sought = (draw(rates), draw(rates))

        def command() -> None:
            claim.lodge_appeal(
                lodged_on=when,
                tribunal_extended=extended,
                sought_daily_living=sought[0],
                sought_mobility=sought[1],
            )

    elif name == "revise_during_appeal":
        revision = draw_award(draw, claim)

        def command() -> None:
            claim.revise_during_appeal(revised_on=when, award=revision)

    else:
        assert name == "record_appeal_outcome"
        allowed = draw(st.booleans())
        outcome_award = draw(st.none() | st.builds(lambda: draw_award(draw, claim)))
        reason = draw(reasons)

        def command() -> None:
            claim.record_appeal_outcome(
                decided_on=when, allowed=allowed, award=outcome_award, judge=JUDGE, reason=reason
            )

    return when if attempt(journey, name, command) else None


@st.composite
def claim_journeys(draw: st.DrawFn) -> Journey:
    """A claim started with generated facts, then driven by up to MAX_STEPS commands."""
    claim_date = draw(st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 12, 31)))
    age_in_days = draw(st.integers(10 * 365, 80 * 365))
    claim = start_claim(
        draw(benefits),
        claim_date=claim_date,
        date_of_birth=claim_date - timedelta(days=age_in_days),
    )
    journey = Journey(aggregate=claim)
    cursor = claim.decision_notified_on or claim_date
    for _ in range(draw(st.integers(0, MAX_STEPS))):
        options = applicable(claim)
        keep_withdrawal = draw(st.integers(0, 9)) == 0
        if len(options) > 1 and "withdraw" in options and not keep_withdrawal:
            options.remove("withdraw")  # withdrawal ends the journey: keep it rare
        try_any_command = draw(st.integers(0, 5)) == 0
        if options and not try_any_command:
            name = draw(st.sampled_from(options))
        else:
            name = draw(st.sampled_from(CLAIM_COMMANDS))
        done_on = step(draw, journey, name, cursor)
        if done_on is not None:
            cursor = done_on
    return journey


@given(journey=claim_journeys())
@JOURNEY_SETTINGS
def test_replaying_a_claims_events_rebuilds_the_same_claim(journey: Journey) -> None:
    claim = journey.aggregate
    events = claim.collect_events()
    assert [e.originator_version for e in events] == list(range(1, claim.version + 1))
    rebuilt = replay(events)
    assert state_of(rebuilt) == state_of(claim)
    assert rebuilt == claim


@given(journey=claim_journeys())
@JOURNEY_SETTINGS
def test_every_decision_a_claim_records_reproduces_when_rerun(journey: Journey) -> None:
    events = journey.aggregate.collect_events()
    for decision in decisions_in(events):
        reproduction = rerun(decision)
        assert reproduction.reproduces, (decision, reproduction)
        assert reproduction.rule_version == decision.rule_version


@given(journey=claim_journeys())
@JOURNEY_SETTINGS
def test_a_decision_only_cites_earlier_events_of_its_own_claim(journey: Journey) -> None:
    claim = journey.aggregate
    for domain_event in claim.collect_events():
        for decision in decisions_in([domain_event]):
            for source in decision.input_sources.values():
                if source.aggregate_id == claim.id:
                    assert source.version < domain_event.originator_version


@given(journey=claim_journeys())
@JOURNEY_SETTINGS
def test_a_claims_events_survive_storage_and_replay_to_the_same_claim(journey: Journey) -> None:
    claim = journey.aggregate
    events = claim.collect_events()
    decoded = through_storage(events)
    assert [type(e) for e in decoded] == [type(e) for e in events]
    assert [e.timestamp for e in decoded] == [e.timestamp for e in events]
    assert decisions_in(decoded) == decisions_in(events)
    rebuilt = replay(decoded)
    assert state_of(rebuilt) == state_of(claim)
    assert rebuilt == claim


@given(journey=claim_journeys())
@JOURNEY_SETTINGS
def test_a_refused_claim_command_leaves_no_trace_and_each_success_records_one_event(
    journey: Journey,
) -> None:
    assert journey.traces_of_refusals == []
    created = journey.aggregate.pending_events[
        : len(journey.aggregate.pending_events) - len(journey.commands)
    ]
    assert [type(e).__name__ for e in created] in (["Started"], ["Started", "Disallowed"])


# -- customer journeys ---------------------------------------------------------------------------

markers = st.builds(
    SupportMarker,
    need=st.sampled_from(list(SupportNeed)),
    duration=st.sampled_from(list(SupportDuration)),
    details=st.sampled_from(["", "reads slowly"]),
)


@st.composite
def customer_journeys(draw: st.DrawFn) -> Journey:
    """A registered customer driven by up to MAX_STEPS generated commands."""
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)))
    customer = Customer.register(
        nino="AB123456C",
        name="Alex Example",
        date_of_birth=born,
        contact_preferences=ContactPreferences(),
        today=date(2025, 1, 31),
    )
    journey = Journey(aggregate=customer)
    today = date(2025, 1, 31)
    for _ in range(draw(st.integers(0, MAX_STEPS))):
        name = draw(
            st.sampled_from(
                [
                    "change_contact_preferences",
                    "appoint",
                    "end_appointee",
                    "add_support_marker",
                    "remove_support_marker",
                    "report_change",
                    "notify_death",
                    "open_claim",
                ]
            )
        )
        effective = today - timedelta(days=draw(st.integers(0, 30)))
        arguments: dict[str, Any] = {}
        if name == "change_contact_preferences":
            arguments = {
                "preferences": ContactPreferences(
                    channel=draw(st.sampled_from(list(ContactChannel))),
                    large_print=draw(st.booleans()),
                ),
                "effective": effective,
            }
        elif name == "appoint":
            arguments = {
                "appointee": Appointee(name="Sam", relationship="son"),
                "effective": effective,
            }
        elif name == "end_appointee":
            arguments = {"reason": "ended", "effective": effective}
        elif name == "add_support_marker":
            arguments = {"marker": draw(markers), "effective_date": effective}
        elif name == "remove_support_marker":
            arguments = {"need": draw(st.sampled_from(list(SupportNeed))), "effective": effective}
        elif name == "report_change":
            arguments = {"description": draw(reasons), "effective_date": effective}
        elif name == "notify_death":
            arguments = {
                "date_of_death": born + timedelta(days=draw(st.integers(-5, 40000))),
                "reference": "TUO-1",
                "today": today,
            }
        else:
            arguments = {
                "claim_id": uuid4(),
                "benefit": draw(st.sampled_from(list(BenefitType))),
                "claim_date": effective,
            }
        method = getattr(customer, name)
        attempt(journey, name, partial(method, **arguments))
    return journey


@given(journey=customer_journeys())
@JOURNEY_SETTINGS
def test_a_customers_events_replay_and_survive_storage_to_the_same_customer(
    journey: Journey,
) -> None:
    customer = journey.aggregate
    assert journey.traces_of_refusals == []
    events = customer.collect_events()
    assert [e.originator_version for e in events] == list(range(1, customer.version + 1))
    assert replay(events) == customer
    assert replay(through_storage(events)) == customer
