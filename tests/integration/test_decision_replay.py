"""Auditors' replay: every decision in the stored log re-runs to the outcome on record."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from psycopg import sql

from adapters.bootstrap import Journeys
from domain.aggregate import recording_at
from domain.claim import Award, Claim, ClaimStatus, DisputeStage, RatesOverride
from domain.customer import Customer
from domain.decisions import Decision, decisions_in
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
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactPreferences,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock
from services.settings import Settings
from tests.integration.conftest import OpenSystem
from tests.integration.helpers import (
    DECISION_MAKER,
    TRIBUNAL_JUDGE,
    assess,
    new_nino,
    pip_award,
    register,
    start_claim,
    state_of,
)

EXPECTED_DECISIONS_BY_RULE = {
    "pip.age_test": 5,
    "pip.questionnaire_due_date": 4,
    "pip.negative_determination": 1,
    "pip.component_rates": 3,
    "dispute.mr_time_limit": 2,
    "dispute.appeal_time_limit": 2,
    "dispute.appeal_lapse": 2,
    "determination.decision_maker": 4,
}


def on(day: date) -> datetime:
    """Nine in the morning, UTC, on a day."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def build_population(journeys: Journeys, clock: SimulatedClock) -> dict[str, UUID]:
    """Six customers whose claims between them pass through every kind of decision."""
    app = journeys.application
    start = clock.today()  # 5 January 2026
    claims = {
        "lapsed_appeal": start_claim(journeys, register(journeys), BenefitType.PIP),
        "not_returned": start_claim(journeys, register(journeys), BenefitType.PIP),
        "over_pension_age": start_claim(
            journeys, register(journeys, born=date(1950, 2, 2)), BenefitType.PIP
        ),
        "universal_credit": start_claim(journeys, register(journeys), BenefitType.UC),
        "overridden": start_claim(journeys, register(journeys), BenefitType.PIP),
        "tribunal": start_claim(journeys, register(journeys), BenefitType.PIP),
    }
    assessed = ("lapsed_appeal", "overridden", "tribunal")
    for name in (*assessed, "not_returned"):
        app.issue_questionnaire(claims[name], issued_on=start)

    clock.set(on(date(2026, 1, 15)))
    for name in assessed:
        app.return_questionnaire(claims[name], received_on=clock.today())
    app.decide_entitlement(
        claims["universal_credit"],
        decided_on=clock.today(),
        entitled=True,
        reason="no income",
        decision_maker=DECISION_MAKER,
        starts_on=start,
    )

    clock.set(on(date(2026, 1, 25)))
    assess(journeys, claims["lapsed_appeal"], daily_living=9, mobility=4)
    assess(journeys, claims["overridden"], daily_living=5, mobility=0)
    assess(journeys, claims["tribunal"], daily_living=3, mobility=2)

    clock.set(on(date(2026, 2, 2)))
    ends = date(2028, 1, 4)
    app.decide_pip_award(
        claims["lapsed_appeal"], decided_on=clock.today(), starts_on=start, ends_on=ends
    )
    app.decide_pip_award(
        claims["overridden"],
        decided_on=clock.today(),
        starts_on=start,
        ends_on=ends,
        decision_maker=DECISION_MAKER,
        override=RatesOverride(
            daily_living=Rate.STANDARD, mobility=Rate.NONE, reason="GP letter shows more need"
        ),
    )
    app.decide_pip_award(
        claims["tribunal"], decided_on=clock.today(), starts_on=start, ends_on=ends
    )

    clock.set(on(date(2026, 2, 6)))  # the day after the questionnaires were due
    app.make_negative_determination(claims["not_returned"])
    app.request_reconsideration(
        claims["lapsed_appeal"], requested_on=clock.today(), grounds="mobility needs missed"
    )

    clock.set(on(date(2026, 2, 20)))
    app.decide_reconsideration(
        claims["lapsed_appeal"],
        notice_sent_on=clock.today(),
        revised_award=pip_award(Rate.STANDARD, Rate.STANDARD, start),
        reason="further evidence on journeys",
        decision_maker=DECISION_MAKER,
    )
    clock.set(on(date(2026, 3, 10)))
    app.lodge_appeal(
        claims["lapsed_appeal"],
        lodged_on=clock.today(),
        sought_daily_living=Rate.ENHANCED,
        sought_mobility=Rate.STANDARD,
    )

    # Two months after the decision: late, accepted for a good reason.
    clock.set(on(date(2026, 4, 2)))
    app.request_reconsideration(
        claims["tribunal"],
        requested_on=clock.today(),
        grounds="the assessment was too short",
        good_reason_for_lateness="in hospital throughout February and March",
    )
    app.revise_during_appeal(
        claims["lapsed_appeal"],
        revised_on=clock.today(),
        award=pip_award(Rate.ENHANCED, Rate.STANDARD, start),
    )
    clock.set(on(date(2026, 4, 10)))
    app.decide_reconsideration(
        claims["tribunal"],
        notice_sent_on=clock.today(),
        revised_award=None,
        reason="the assessment stands",
        decision_maker=DECISION_MAKER,
    )
    # After the one-month limit (10 May); the tribunal extended it.
    clock.set(on(date(2026, 6, 1)))
    app.lodge_appeal(claims["tribunal"], lodged_on=clock.today(), tribunal_extended=True)
    clock.set(on(date(2026, 7, 1)))
    app.revise_during_appeal(
        claims["tribunal"],
        revised_on=clock.today(),
        award=pip_award(Rate.STANDARD, Rate.NONE, start),
    )
    clock.set(on(date(2026, 9, 1)))
    app.record_appeal_outcome(
        claims["tribunal"],
        decided_on=clock.today(),
        allowed=True,
        award=pip_award(Rate.ENHANCED, Rate.ENHANCED, start, months=60),
        judge=TRIBUNAL_JUDGE.identifier,
        reason="the tribunal found the claimant's evidence credible",
    )
    return claims


def test_every_decision_recorded_for_a_mixed_population_reproduces_on_replay(
    journeys: Journeys, clock: SimulatedClock, open_system: OpenSystem
) -> None:
    claims = build_population(journeys, clock)
    app = journeys.application
    assert app.claim(claims["lapsed_appeal"]).dispute is DisputeStage.APPEAL_LAPSED
    assert app.claim(claims["not_returned"]).status is ClaimStatus.DISALLOWED
    assert app.claim(claims["over_pension_age"]).status is ClaimStatus.DISALLOWED
    tribunal = app.claim(claims["tribunal"])
    assert tribunal.dispute is DisputeStage.APPEAL_DECIDED
    assert tribunal.award is not None
    assert (tribunal.award.daily_living, tribunal.award.mobility) == (Rate.ENHANCED, Rate.ENHANCED)

    # The auditor replays from their own process, reading only the stored log.
    auditor = open_system()
    report = auditor.ledger.replay()

    assert report.failures == []
    assert report.all_reproduce
    assert report.checked == report.reproduced == sum(EXPECTED_DECISIONS_BY_RULE.values())
    assert report.by_rule == EXPECTED_DECISIONS_BY_RULE

    recorded = list(auditor.ledger.recorded_decisions())
    positions = [r.log_position for r in recorded]
    assert positions == sorted(positions)
    recorded_times = [r.recorded_at for r in recorded]
    assert recorded_times == sorted(recorded_times)
    assert recorded_times[-1] == on(date(2026, 9, 1))
    for entry in recorded:
        # Every input a decision names a source for points at an event in the log.
        for source in entry.decision.input_sources.values():
            versions = [
                e.originator_version for e in auditor.application.events.get(source.aggregate_id)
            ]
            assert source.version in versions
        assert (
            entry.aggregate_version
            <= auditor.application.repository.get(entry.aggregate_id).version
        )

    overridden = [
        r.decision
        for r in recorded
        if r.aggregate_id == claims["overridden"] and r.decision.rule_id == "pip.component_rates"
    ]
    (decision,) = overridden
    assert not decision.automated
    assert decision.outcome["daily_living_rate"] == "none"  # the rule's own outcome stays
    assert decision.effective_outcome["daily_living_rate"] == "standard"


def altered(decision: Decision) -> Decision:
    """The same decision with the first value of its recorded outcome changed."""
    key, value = next(iter(decision.outcome.items()))
    changed: Any
    if isinstance(value, bool):
        changed = not value
    elif isinstance(value, int):
        changed = value + 1
    else:
        changed = f"tampered {value}"
    return decision.model_copy(update={"outcome": {**decision.outcome, key: changed}})


def test_a_decision_whose_recorded_outcome_was_altered_does_not_reproduce(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    build_population(journeys, clock)
    recorded = list(journeys.ledger.recorded_decisions())
    assert {r.decision.rule_id for r in recorded} == set(EXPECTED_DECISIONS_BY_RULE)

    for entry in recorded:
        original = entry.decision
        assert rerun(original).reproduces
        tampered = altered(original)
        reproduction = rerun(tampered)
        assert not reproduction.reproduces, original.rule_id
        assert reproduction.recorded_outcome == tampered.outcome
        assert reproduction.recomputed_outcome == original.outcome


def rewrite_stored_event(
    settings: Settings, aggregate_id: UUID, version: int, old: bytes, new: bytes
) -> None:
    """Alter one stored event's bytes behind the application's back, as a tamperer would."""
    if settings.database_url is None:
        with sqlite3.connect(settings.sqlite_path) as connection:
            where = (aggregate_id.hex, version)
            (state,) = connection.execute(
                "SELECT state FROM stored_events WHERE originator_id=? AND originator_version=?",
                where,
            ).fetchone()
            assert old in state
            connection.execute(
                "UPDATE stored_events SET state=? WHERE originator_id=? AND originator_version=?",
                (state.replace(old, new), *where),
            )
        return
    table = sql.Identifier(settings.postgres_schema, "journeys_events")
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        row = connection.execute(
            sql.SQL("SELECT state FROM {} WHERE originator_id=%s AND originator_version=%s").format(
                table
            ),
            (aggregate_id, version),
        ).fetchone()
        assert row is not None
        state = bytes(row[0])
        assert old in state
        connection.execute(
            sql.SQL(
                "UPDATE {} SET state=%s WHERE originator_id=%s AND originator_version=%s"
            ).format(table),
            (state.replace(old, new), aggregate_id, version),
        )


def test_an_outcome_altered_in_the_stored_log_is_caught_by_the_replay(
    journeys: Journeys, clock: SimulatedClock, settings: Settings, open_system: OpenSystem
) -> None:
    claims = build_population(journeys, clock)
    claim_id = claims["lapsed_appeal"]
    (award_decided,) = [
        e for e in journeys.application.events.get(claim_id) if isinstance(e, Claim.AwardDecided)
    ]
    assert award_decided.decision.outcome["daily_living_rate"] == "standard"

    rewrite_stored_event(
        settings,
        claim_id,
        award_decided.originator_version,
        old=b'"daily_living_rate":"standard"',
        new=b'"daily_living_rate":"enhanced"',
    )

    report = open_system().ledger.replay()
    assert report.checked == sum(EXPECTED_DECISIONS_BY_RULE.values())
    assert report.reproduced == report.checked - 1
    assert not report.all_reproduce
    ((entry, reproduction),) = report.failures
    assert (entry.aggregate_id, entry.aggregate_version) == (
        claim_id,
        award_decided.originator_version,
    )
    assert entry.event_type == "Claim.AwardDecided"
    assert reproduction.rule_id == "pip.component_rates"
    assert reproduction.recorded_outcome["daily_living_rate"] == "enhanced"
    assert reproduction.recomputed_outcome["daily_living_rate"] == "standard"


# -- property: random journeys, stored and reloaded, equal the live aggregates -------------

GAPS = st.sampled_from([0, 1, 3, 7, 14, 20, 30, 35, 45, 400])  # days; 400 makes a dispute late
ACTIVITY_POINTS = st.sampled_from([0, 0, 0, 1, 2, 4, 6, 8, 12])


def draw_award(data: st.DataObject, claim: Claim) -> Award:
    """An award a decision maker or tribunal might give on this claim."""
    if claim.benefit is BenefitType.PIP:
        daily_living = data.draw(st.sampled_from(Rate))
        mobility = data.draw(st.sampled_from(Rate))
        entitled = daily_living is not Rate.NONE or mobility is not Rate.NONE
    else:
        daily_living = mobility = Rate.NONE
        entitled = data.draw(st.booleans())
    if not entitled:
        return Award.nil()
    months = data.draw(st.integers(min_value=3, max_value=120))
    return Award(
        entitled=True,
        daily_living=daily_living,
        mobility=mobility,
        starts_on=claim.claim_date,
        ends_on=add_calendar_months(claim.claim_date, months),
    )


def next_command(data: st.DataObject, claim: Claim, today: date) -> Callable[[], None] | None:
    """A command that fits the claim's stage (it may still be refused), or None at the end."""
    status, dispute = claim.status, claim.dispute
    options: list[str]
    if status is ClaimStatus.STARTED:
        first = "issue_questionnaire" if claim.benefit is BenefitType.PIP else "decide_entitlement"
        options = [first, first, first, "withdraw"]
    elif status is ClaimStatus.AWAITING_QUESTIONNAIRE:
        options = ["return_questionnaire", "return_questionnaire", "negative_determination"]
    elif status is ClaimStatus.AWAITING_ASSESSMENT:
        options = ["record_assessment", "record_assessment", "record_assessment", "withdraw"]
    elif status is ClaimStatus.AWAITING_DECISION:
        options = ["decide_pip_award"]
    elif status is ClaimStatus.WITHDRAWN:
        options = []
    elif dispute is DisputeStage.NONE:
        options = ["statement_of_reasons", "reconsideration", "reconsideration"]
    elif dispute is DisputeStage.RECONSIDERATION_REQUESTED:
        options = ["decide_reconsideration"]
    elif dispute is DisputeStage.RECONSIDERED:
        options = ["lodge_appeal"]
    elif dispute is DisputeStage.APPEAL_LODGED:
        options = ["revise_during_appeal", "record_appeal_outcome"]
    else:
        options = []
    if not options:
        return None
    action = data.draw(st.sampled_from(options))
    when = today - timedelta(days=data.draw(st.integers(min_value=0, max_value=3)))

    if action == "issue_questionnaire":
        return lambda: claim.issue_questionnaire(when)
    if action == "withdraw":
        return lambda: claim.withdraw(when, "no longer wishes to claim")
    if action == "return_questionnaire":
        return lambda: claim.return_questionnaire(when)
    if action == "negative_determination":
        good_reason = data.draw(st.sampled_from([None, None, "in hospital"]))
        return lambda: claim.make_negative_determination(today, good_reason)
    if action == "record_assessment":
        points = AssessmentPoints(
            daily_living={a: data.draw(ACTIVITY_POINTS) for a in DAILY_LIVING_ACTIVITIES},
            mobility={a: data.draw(ACTIVITY_POINTS) for a in MOBILITY_ACTIVITIES},
        )
        return lambda: claim.record_assessment(when, points, DECISION_MAKER)
    if action == "decide_pip_award":
        ends_on = add_calendar_months(claim.claim_date, data.draw(st.integers(1, 130)))
        override = data.draw(
            st.one_of(
                st.none(),
                st.builds(
                    RatesOverride,
                    daily_living=st.sampled_from(Rate),
                    mobility=st.sampled_from(Rate),
                    reason=st.just("further medical evidence"),
                ),
            )
        )
        return lambda: claim.decide_pip_award(
            decided_on=when,
            starts_on=claim.claim_date,
            ends_on=ends_on,
            decision_maker=DECISION_MAKER if override is not None else None,
            override=override,
        )
    if action == "decide_entitlement":
        entitled = data.draw(st.booleans())
        return lambda: claim.decide_entitlement(
            decided_on=when,
            entitled=entitled,
            reason="meets the conditions" if entitled else "does not meet the conditions",
            decision_maker=DECISION_MAKER,
            starts_on=claim.claim_date,
        )
    if action == "statement_of_reasons":
        return lambda: claim.request_statement_of_reasons(when)
    if action == "reconsideration":
        good_reason = data.draw(st.sampled_from([None, "was seriously ill"]))
        official_error = data.draw(st.booleans())
        return lambda: claim.request_reconsideration(
            requested_on=when,
            grounds="the decision is wrong",
            good_reason_for_lateness=good_reason,
            official_error_alleged=official_error,
        )
    if action == "decide_reconsideration":
        revised = data.draw(st.one_of(st.none(), st.just(draw_award(data, claim))))
        return lambda: claim.decide_reconsideration(
            notice_sent_on=when,
            revised_award=revised,
            reason="looked at it again",
            decision_maker=DECISION_MAKER,
        )
    if action == "lodge_appeal":
        extended = data.draw(st.booleans())
        sought = (data.draw(st.sampled_from(Rate)), data.draw(st.sampled_from(Rate)))
        return lambda: claim.lodge_appeal(
            lodged_on=when,
            tribunal_extended=extended,
            sought_daily_living=sought[0],
            sought_mobility=sought[1],
        )
    if action == "revise_during_appeal":
        award = draw_award(data, claim)
        return lambda: claim.revise_during_appeal(revised_on=when, award=award)
    allowed = data.draw(st.booleans())
    award = draw_award(data, claim)
    return lambda: claim.record_appeal_outcome(
        decided_on=when, allowed=allowed, award=award, judge=TRIBUNAL_JUDGE, reason="heard it"
    )


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_claim_journeys_reload_equal_to_the_live_aggregates_and_their_decisions_reproduce(
    journeys: Journeys, data: st.DataObject
) -> None:
    app = journeys.application
    # Each example has its own clock from the same day, so a journey's path depends on its draws
    # alone (calendar months and pension-age bands depend on the actual dates).
    clock = SimulatedClock.on(date(2026, 1, 5))
    today = clock.today()
    age_years = data.draw(st.sampled_from([30, 17, 45, 12, 70]))  # 12 and 70: no PIP
    with recording_at(clock.now()):
        customer = Customer.register(
            nino=new_nino(),
            name="Property Tester",
            date_of_birth=today - timedelta(days=age_years * 366),
            contact_preferences=ContactPreferences(),
            today=today,
        )
    app.save(customer)
    with recording_at(clock.now()):
        claim = Claim.start(
            customer=customer.ref(),
            benefit=data.draw(st.sampled_from([BenefitType.PIP, BenefitType.PIP, BenefitType.UC])),
            channel=data.draw(st.sampled_from(ClaimChannel)),
            claimant_role=data.draw(st.sampled_from(ClaimantRole)),
            claim_date=today,
            date_of_birth=customer.known_date_of_birth(),
        )
        customer.open_claim(claim.id, claim.benefit, today)
    app.save(customer, claim)

    for _ in range(data.draw(st.integers(min_value=6, max_value=14))):
        clock.advance(timedelta(days=data.draw(GAPS), minutes=data.draw(st.integers(0, 600))))
        if data.draw(st.integers(0, 4)) == 0:
            marker = SupportMarker(need=SupportNeed.LITERACY, duration=SupportDuration.SHORT_TERM)
            with recording_at(clock.now()):
                customer.add_support_marker(marker, clock.today())
            app.save(customer)
        command = next_command(data, claim, clock.today())
        if command is None:
            break
        before = copy.deepcopy(state_of(claim))
        with recording_at(clock.now()):
            try:
                command()
            except DomainError:
                # A refused command leaves nothing half-applied on the live aggregate.
                assert claim.collect_events() == []
                assert state_of(claim) == before
                continue
        app.save(claim)

    stored_claim: Claim = app.repository.get(claim.id)
    stored_customer: Customer = app.repository.get(customer.id)
    assert state_of(stored_claim) == state_of(claim)
    assert state_of(stored_customer) == state_of(customer)

    decisions = [d for e in app.events.get(claim.id) for d in decisions_in(e)]
    if claim.benefit is BenefitType.PIP:
        assert decisions, "a PIP claim always records its age test"
    for decision in decisions:
        assert rerun(decision).reproduces, decision
    report = journeys.ledger.replay()
    assert report.all_reproduce, report.failures
