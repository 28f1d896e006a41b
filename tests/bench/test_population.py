"""The benchmark seeder writes the log the commands would write, only faster."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

import bench.population as population
from adapters.bootstrap import Journeys, build
from adapters.demo.population import Population
from bench.population import SeededLog, seed_log
from domain.claim import Claim
from domain.contacts import contact_id_for
from domain.customer import Customer
from domain.transition import DlaToPipTransition
from domain.values import EventRef
from projections.model import Page, TimelineQuery
from services.clock import SimulatedClock
from services.journeys import JourneysApplication
from services.settings import Settings

CUSTOMERS = 300
BUSY_EVENTS = 200

Row = tuple[UUID, int, str, bytes]
UUID_TEXT = re.compile(rb"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


def log_rows(application: JourneysApplication) -> list[Row]:
    """The whole log, in order, as the store holds it."""
    rows: list[Row] = []
    after = 0
    while page := application.recorder.select_notifications(start=after + 1, limit=5_000):
        rows.extend(
            (UUID(str(n.originator_id)), n.originator_version, n.topic, n.state) for n in page
        )
        after = page[-1].id
    return rows


def with_claim_ids_numbered(rows: list[Row]) -> list[Row]:
    """The rows with each claim's random id (uuid4, as commands make them) numbered in order.

    A letter a claim's event implies has an id made from the claim's id and the event's
    version (`contact_id_for`): it is renumbered with the claim.
    """
    numbered: dict[UUID, UUID] = {}
    for aggregate_id, version, topic, _state in rows:
        if version == 1 and topic.endswith("Claim.Started"):
            numbered[aggregate_id] = UUID(int=len(numbered) + 1)
    renamed = dict(numbered)
    for aggregate_id, version, _topic, _state in rows:
        if aggregate_id in numbered:
            renamed[contact_id_for(EventRef(aggregate_id=aggregate_id, version=version))] = (
                contact_id_for(EventRef(aggregate_id=numbered[aggregate_id], version=version))
            )
    spellings = {
        spelling(random_id).encode(): spelling(number).encode()
        for random_id, number in renamed.items()
        for spelling in (lambda u: u.hex, str)
    }

    def renumber(found: re.Match[bytes]) -> bytes:
        return spellings.get(found.group(), found.group())

    return [
        (numbered.get(aggregate_id, aggregate_id), version, topic, UUID_TEXT.sub(renumber, state))
        for aggregate_id, version, topic, state in rows
    ]


@pytest.fixture
def seeded(journeys: Journeys) -> SeededLog:
    """A small seeded log in the fixture's store (SQLite and PostgreSQL)."""
    written: list[int] = []
    log = seed_log(
        journeys.application,
        customers=CUSTOMERS,
        seed=7,
        busy_customer_events=BUSY_EVENTS,
        batch_events=500,
        progress=written.append,
    )
    assert written == sorted(written)
    assert written[-1] == log.events
    return log


def test_a_seeded_log_has_every_customer_and_claim_loadable(
    journeys: Journeys, seeded: SeededLog
) -> None:
    application = journeys.application
    assert seeded.customers == CUSTOMERS
    assert len(set(seeded.customer_ids)) == CUSTOMERS
    assert seeded.busy_customer in seeded.customer_ids
    assert application.recorder.max_notification_id() == seeded.events
    versions = 0
    for customer_id in seeded.customer_ids:
        customer = application.customer(customer_id)
        versions += customer.version
        for claim_id in customer.claims:
            claim = application.claim(claim_id)
            assert claim.customer_id == customer_id
            versions += claim.version
    assert versions == seeded.events


def test_a_seeded_log_is_in_an_order_projections_can_follow(
    journeys: Journeys, seeded: SeededLog
) -> None:
    application = journeys.application
    position_of: dict[tuple[UUID, int], int] = {}
    last_recorded = None
    for position, (aggregate_id, version, _topic, _state) in enumerate(
        log_rows(application), start=1
    ):
        # Versions are consecutive, in log order.
        assert version == 1 or (aggregate_id, version - 1) in position_of
        position_of[aggregate_id, version] = position
    for position, notification in enumerate(
        application.recorder.select_notifications(start=1, limit=seeded.events), start=1
    ):
        event = application.mapper.to_domain_event(notification)
        recorded = getattr(event, "timestamp")  # noqa: B009
        # One department's log: recorded times never go backwards.
        assert last_recorded is None or recorded >= last_recorded
        last_recorded = recorded
        if isinstance(event, Claim.Started):
            # The customer's claim opening comes first.
            customer = application.customer(event.customer_id)
            assert event.originator_id in customer.claims
            assert position_of[event.customer_id, 1] < position
    assert last_recorded is not None
    assert last_recorded.date() < journeys.clock.today()


def test_every_decision_in_a_seeded_log_reproduces(journeys: Journeys, seeded: SeededLog) -> None:
    report = journeys.ledger.replay()
    assert report.checked > CUSTOMERS / 2
    assert report.all_reproduce, report.failures[:3]


def test_the_views_catch_up_with_a_seeded_log(journeys: Journeys, seeded: SeededLog) -> None:
    assert journeys.projections.catch_up() >= seeded.events
    _, rows = journeys.views.read_timeline(
        TimelineQuery(customer_id=seeded.busy_customer), Page(limit=1)
    )
    assert rows == seeded.busy_customer_events >= BUSY_EVENTS
    busy = journeys.application.customer(seeded.busy_customer)
    assert len(busy.claims) >= 2
    assert len(busy.circumstances) > BUSY_EVENTS / 2


def test_a_shard_writes_exactly_what_the_commands_write() -> None:
    """The write-behind store against the ordinary command path, event for event."""
    start = date(2024, 11, 1)
    until = start + timedelta(days=population.SIMULATED_DAYS)
    plan = population._ShardPlan(
        shard=0,
        customers=600,
        seed=3,
        start=start,
        until=until,
        busy_target=120,
        store_holds_others=False,
        env={},
        command_attempts=3,
    )
    popo = {"PERSISTENCE_MODULE": "eventsourcing.popo"}

    # The seeder's way.
    seeded: list[Row] = []

    def collect(message: object) -> None:
        assert not isinstance(message, population._ShardFailed), message
        if isinstance(message, list):
            seeded.extend(row for _when, _registered, rows in message for row in rows)

    population._run_shard(
        plan, JourneysApplication(env=popo, clock=SimulatedClock.on(until)), collect
    )

    # The ordinary way: every command loads from and saves to the store, one at a time.
    clock = SimulatedClock.on(start)
    application = JourneysApplication(env=popo, clock=clock)
    commands = population._ShardPopulation(
        application,
        clock,
        random.Random(f"journeys-seed-{plan.seed}-shard-{plan.shard}"),
        start,
        until,
    )
    commands.has_busy = True
    commands.busy_target = plan.busy_target
    stats = commands.run(plan.customers, lambda: None)

    assert stats.refused, "the run should include refused commands"
    assert with_claim_ids_numbered(seeded) == with_claim_ids_numbered(log_rows(application))


@pytest.fixture
def sqlite_systems(tmp_path: Path) -> Iterator[tuple[Journeys, Journeys]]:
    """Two empty systems on SQLite, on the same day."""
    day = date(2026, 1, 5)
    first = build(Settings(sqlite_path=tmp_path / "a.sqlite3"), clock=SimulatedClock.on(day))
    second = build(Settings(sqlite_path=tmp_path / "b.sqlite3"), clock=SimulatedClock.on(day))
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_seeding_in_processes_writes_the_same_log_as_in_threads(
    sqlite_systems: tuple[Journeys, Journeys], monkeypatch: pytest.MonkeyPatch
) -> None:
    in_threads, in_processes = sqlite_systems
    threads = seed_log(in_threads.application, customers=150, seed=5, busy_customer_events=60)
    monkeypatch.setattr(population, "PARALLEL_FROM", 1)
    processes = seed_log(in_processes.application, customers=150, seed=5, busy_customer_events=60)
    assert threads == processes
    assert with_claim_ids_numbered(log_rows(in_threads.application)) == with_claim_ids_numbered(
        log_rows(in_processes.application)
    )


def test_seeding_a_store_that_already_has_customers_adds_to_it(journeys: Journeys) -> None:
    first = seed_log(journeys.application, customers=40, seed=1, busy_customer_events=30)
    second = seed_log(journeys.application, customers=40, seed=1, busy_customer_events=30)
    # The same seed draws the same people, already registered: they are drawn again.
    assert not set(first.customer_ids) & set(second.customer_ids)
    assert journeys.application.recorder.max_notification_id() == first.events + second.events
    assert journeys.application.customer(second.busy_customer).version >= 1
    assert isinstance(journeys.application.customer(first.customer_ids[-1]), Customer)


def test_a_log_seeded_without_a_busy_target_still_names_a_busy_customer(
    sqlite_systems: tuple[Journeys, Journeys],
) -> None:
    system, _ = sqlite_systems
    log = seed_log(system.application, customers=10, busy_customer_events=0)
    assert log.busy_customer in log.customer_ids
    assert log.busy_customer_events >= 1


def test_the_population_without_a_scheduler_draws_the_journeys_it_always_drew() -> None:
    """The seeder's population has no scheduler: DLA to PIP journeys must not change its log.

    The figures are those of the population before young people moving to PIP joined the
    demo; a different draw would change every benchmark's seeded log.
    """
    start = date(2025, 1, 6)
    clock = SimulatedClock.on(start)
    application = JourneysApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    drawn = Population(
        application, clock, random.Random(20), start, until=start + timedelta(days=420)
    )

    stats = drawn.run(150, lambda: None)

    assert (stats.customers, stats.commands, stats.refused) == (
        150,
        778,
        {"ReconsiderationOutOfTime": 1},
    )
    assert stats.journeys == {
        "deceased": 8,
        "other_benefit": 34,
        "pip_decided": 52,
        "pip_disputed": 9,
        "pip_in_progress": 25,
        "pip_late_reconsideration": 4,
        "pip_no_questionnaire": 13,
        "pip_over_pension_age": 2,
        "pip_withdrawn": 3,
    }
    assert stats.sample_ninos == {
        "deceased": "XM441568C",
        "other_benefit": "AN823318C",
        "pip_decided": "LA815284A",
        "pip_disputed": "SY590584C",
        "pip_in_progress": "EC257078C",
        "pip_late_reconsideration": "MG625825B",
        "pip_no_questionnaire": "LC974219B",
        "pip_over_pension_age": "XP789855C",
        "pip_withdrawn": "CC024717B",
    }
    assert clock.now() == datetime(2026, 2, 18, 15, 16, tzinfo=UTC)
    assert (stats.deadline_runs, stats.deadlines_fired) == (0, 0)
    transitions = application.recorder.select_notifications(
        start=1, limit=10_000, topics=[get_topic(DlaToPipTransition.Started)]
    )
    assert transitions == []
