"""Views built a few events at a time equal the views rebuilt from the whole log.

Any sequence of commands (refused ones are skipped), caught up after every command or after
random chunks, for all projections or only some, in batches of 1 to 7 events so that batches
split customers' and claims' histories anywhere, gives row for row the same tables as a
rebuild from scratch in a fresh store, and as runner.rebuild in place.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from adapters.bootstrap import Journeys, build
from adapters.demo.debts import DEBT_WEIGHTS
from adapters.demo.population import Population
from adapters.demo.safeguarding import SAFEGUARDING_WEIGHTS
from projections.model import CaseItem, CaseItemKind
from services.clock import SimulatedClock
from tests.projections.commands import Driver
from tests.projections.helpers import (
    CASE_ITEM_DOCUMENT,
    PROJECTIONS,
    ViewDump,
    dump_views,
    fresh_view_store,
    log_facts,
    positions,
    rebuild_everything,
    scratch_settings,
)

MAX_STEPS = 40
SLOW_EXAMPLES = [HealthCheck.too_slow, HealthCheck.data_too_large]

# Every kind of event a claim or customer journey records, bar contact preferences and
# appointees (folded too, but not needed to cover every branch of the projections).
EXPECTED_KINDS = {
    "Customer.Registered",
    "Customer.ClaimOpened",
    "Customer.SupportMarkerAdded",
    "Customer.CircumstancesChanged",
    "Customer.DeathNotified",
    "Claim.Started",
    "Claim.QuestionnaireIssued",
    "Claim.QuestionnaireReturned",
    "Claim.Disallowed",
    "Claim.AssessmentRecorded",
    "Claim.AwardDecided",
    "Claim.StatementOfReasonsRequested",
    "Claim.ReconsiderationRequested",
    "Claim.ReconsiderationDecided",
    "Claim.AppealLodged",
    "Claim.RevisedDuringAppeal",
    "Claim.AppealDecided",
    "Claim.Withdrawn",
}

# With the deadline scheduler the demo adds young people moving from DLA to PIP; seed 12
# takes them through every stage the demo plays, a good reason accepted included.
TRANSITION_KINDS = {
    "DlaToPipTransition.Started",
    "DlaToPipTransition.InvitationIssued",
    "DlaToPipTransition.PipClaimed",
    "DlaToPipTransition.DlaSuspended",
    "DlaToPipTransition.SecondNoticeSent",
    "DlaToPipTransition.DlaRestarted",
    "DlaToPipTransition.DlaEndDecided",
    "DlaToPipTransition.DlaEnded",
    "DlaToPipTransition.DlaReinstated",
    "DlaToPipTransition.Closed",
    "WithDeadlines.DeadlineSet",
    "WithDeadlines.DeadlineFired",
    "WithDeadlines.DeadlineCancelled",
    "Claim.GoodReasonAccepted",
}


def assert_views_equal_rebuilt_views(system: Journeys) -> ViewDump:
    """Catch up, check counts against the log, then compare with two kinds of rebuild."""
    runner = system.projections
    runner.catch_up()
    facts = log_facts(system)
    assert positions(system.views) == dict.fromkeys(PROJECTIONS, facts.last_position)
    incremental = dump_views(system.views)
    assert len(incremental["view_timeline"]) == facts.events_with_customer
    assert len(incremental["view_ledger"]) == facts.decisions
    assert len(incremental["view_self_service"]) == facts.customers
    assert len(incremental["view_claim_owner"]) == facts.owned_aggregates

    with fresh_view_store(system.settings) as fresh:
        rebuild_everything(system, fresh)
        assert positions(fresh) == positions(system.views)
        assert dump_views(fresh) == incremental

    batch_size, runner.batch_size = runner.batch_size, 1000
    for name in PROJECTIONS:
        runner.rebuild(name)
    runner.batch_size = batch_size
    assert dump_views(system.views) == incremental
    return incremental


def generated_sequence_builds_the_same_views(
    backend: str, postgres_url: str, data: st.DataObject
) -> None:
    """Drive one generated sequence against a fresh store and compare the views."""
    clock = SimulatedClock.on(date(2025, 1, 6))
    with scratch_settings(backend, postgres_url) as chosen, build(chosen, clock=clock) as system:
        runner = system.projections
        runner.batch_size = data.draw(st.integers(1, 7), label="batch_size")
        driver = Driver(system, clock, data)
        for _ in range(data.draw(st.integers(1, MAX_STEPS), label="steps")):
            driver.step()
            when = data.draw(st.sampled_from(["all", "some", "later", "later"]), label="catch up")
            if when == "all":
                runner.catch_up()
            elif when == "some":
                runner.catch_up(
                    data.draw(st.lists(st.sampled_from(PROJECTIONS), min_size=1, unique=True))
                )
        views = assert_views_equal_rebuilt_views(system)
        assert len(views["view_disclosure"]) == driver.done.count("record_disclosure")
        for kind in sorted({str(row[2]) for row in views["view_timeline"]}):
            event(kind)  # pytest --hypothesis-show-statistics shows how often each was reached


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=SLOW_EXAMPLES)
@given(data=st.data())
def test_generated_commands_build_the_same_views_incrementally_as_rebuilt_on_sqlite(
    postgres_url: str, data: st.DataObject
) -> None:
    generated_sequence_builds_the_same_views("sqlite", postgres_url, data)


@pytest.mark.postgres
@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=SLOW_EXAMPLES)
@given(data=st.data())
def test_generated_commands_build_the_same_views_incrementally_as_rebuilt_on_postgres(
    postgres_url: str, data: st.DataObject
) -> None:
    generated_sequence_builds_the_same_views("postgres", postgres_url, data)


def play_with_random_catch_ups(
    journeys: Journeys, clock: SimulatedClock, seed: int, customers: int, **population: Any
) -> None:
    """Play a demo population, catching up random views in random chunks as it goes."""
    rng = random.Random(seed)
    runner = journeys.projections
    runner.batch_size = rng.randint(1, 7)

    def now_and_then() -> None:
        if rng.random() < 0.2:
            runner.catch_up(rng.sample(PROJECTIONS, rng.randint(1, len(PROJECTIONS))))

    start = clock.today()
    Population(journeys.application, clock, rng, start, **population).run(customers, now_and_then)


@pytest.mark.parametrize(("seed", "with_transitions"), [(3, False), (12, True)])
def test_a_demo_population_caught_up_in_random_chunks_builds_the_same_views(
    journeys: Journeys, clock: SimulatedClock, seed: int, with_transitions: bool
) -> None:
    """Deterministic companion of the property: every journey kind, every event kind."""
    # Seed 3 reaches every claim kind, 12 every transition one.
    play_with_random_catch_ups(
        journeys,
        clock,
        seed,
        40,
        until=clock.today() + timedelta(days=420),
        scheduler=journeys.deadlines if with_transitions else None,
    )
    views = assert_views_equal_rebuilt_views(journeys)
    kinds = {str(row[2]) for row in views["view_timeline"]}
    expected = TRANSITION_KINDS if with_transitions else EXPECTED_KINDS
    assert kinds >= expected, f"never recorded: {sorted(expected - kinds)}"
    if with_transitions:
        assert views["view_transition"], "no transition case"
        assert views["view_deadline"], "no deadline"


# Special Rules cases, outbound contact and safeguarding: the demo's own journeys of them, and
# deaths (whose letters the outbox refuses and whose payments stop).
SAFEGUARDING_KINDS = {
    "SpecialRulesCase.Opened",
    "SpecialRulesCase.EvidenceRecorded",
    "SpecialRulesCase.ClaimConsidered",
    "SpecialRulesCase.DebtRecoveryPolicyApplied",
    "SpecialRulesCase.ClaimDecided",
    "Claim.FastTracked",
    "Claim.PaymentsStopped",
    "Customer.ContactQueued",
    "Concern.Raised",
    "Concern.OwnerReassigned",
    "Concern.OutcomeRecorded",
    "SixPointPlan.Opened",
    "SixPointPlan.StepRecorded",
    "SixPointPlan.Completed",
    "LumpSum.Proposed",
    "LumpSum.Released",
    "SeriousCaseReferral.Referred",
    "SeriousCaseReferral.RecommendationMade",
    "SeriousCaseReferral.RecommendationCompleted",
}


# Debt recovery: the demo's own debt journeys, and a death or two without a debt.
DEBT_KINDS = {
    "Customer.DebtOpened",
    "Debt.OverpaymentIdentified",
    "Debt.AdvanceTaken",
    "Debt.RecoveryPlanned",
    "Debt.Notified",
    "Debt.DeductionTaken",
    "Debt.HardshipRequested",
    "Debt.HardshipDecided",
    "Debt.Repaid",
    "Debt.Waived",
    "Debt.LeftUnrecovered",
    "Debt.RecoverySuspended",
    "Debt.TransferredToEstate",
    "Debt.Cleared",
    "SpecialRulesCase.DebtRecoveryPolicyApplied",
}


SAFEGUARDING_CASE_ITEMS = {
    CaseItemKind.SPECIAL_RULES,
    CaseItemKind.CONTACT,
    CaseItemKind.CONCERN,
    CaseItemKind.SIX_POINT_PLAN,
    CaseItemKind.LUMP_SUM,
    CaseItemKind.SERIOUS_CASE,
}
DEBT_CASE_ITEMS = {CaseItemKind.HARDSHIP_REQUEST, CaseItemKind.ESTATE_DEBT}


@pytest.mark.parametrize(
    ("days", "population", "event_kinds", "case_item_kinds"),
    [
        (
            240,
            {"safeguarding": True, "only_kinds": frozenset({*SAFEGUARDING_WEIGHTS, "deceased"})},
            SAFEGUARDING_KINDS,
            SAFEGUARDING_CASE_ITEMS,
        ),
        (
            420,
            {"debts": True, "only_kinds": frozenset({*DEBT_WEIGHTS, "deceased"})},
            DEBT_KINDS,
            DEBT_CASE_ITEMS,
        ),
    ],
    ids=["safeguarding", "debts"],
)
def test_an_area_population_builds_the_same_views_and_its_kinds_of_case_item(
    journeys: Journeys,
    clock: SimulatedClock,
    days: int,
    population: dict[str, Any],
    event_kinds: set[str],
    case_item_kinds: set[CaseItemKind],
) -> None:
    """The demo's own journeys of one area: every event kind listed, every case-item kind."""
    # Seed 3 reaches every kind listed.
    play_with_random_catch_ups(
        journeys,
        clock,
        3,
        30,
        until=clock.today() + timedelta(days=days),
        scheduler=journeys.deadlines,
        **population,
    )
    views = assert_views_equal_rebuilt_views(journeys)
    kinds = {str(row[2]) for row in views["view_timeline"]}
    assert kinds >= event_kinds, f"never recorded: {sorted(event_kinds - kinds)}"
    recorded = {
        CaseItem.model_validate_json(str(row[CASE_ITEM_DOCUMENT])).kind
        for row in views["view_case_item"]
    }
    # A safeguarding population has only safeguarding items; a debt one may have contacts too.
    assert recorded >= case_item_kinds
    assert recorded <= case_item_kinds | {CaseItemKind.CONTACT, CaseItemKind.SPECIAL_RULES}
