"""Shared by the projection tests: view dumps through SQL, scratch stores, and log facts."""

from __future__ import annotations

import bisect
import random
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from adapters.bootstrap import Journeys, postgres_conninfo
from adapters.demo.population import Population
from adapters.views.postgres import PostgresViewStore
from adapters.views.sql import CASE_ITEM_COLUMNS, SqlViewStore
from adapters.views.sqlite import SQLiteViewStore
from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.customer import Customer
from domain.decisions import decisions_in
from domain.transition import DlaToPipTransition
from projections.projection import EventLog, LoggedEvent
from projections.runner import ProjectionRunner
from projections.store import ViewStore
from services.clock import SimulatedClock
from services.settings import Settings
from tests.conftest import postgres_settings_for, scratch_schema

PROJECTIONS = (
    "self_service",
    "timeline",
    "worklists",
    "decision_ledger",
    "deadlines",
    "transitions",
    "case_items",
    "disclosures",
)

VIEW_TABLES = (
    "view_self_service",
    "view_timeline",
    "view_worklist",
    "view_ledger",
    "view_ledger_outcome",
    "view_claim_owner",
    "view_deadline",
    "view_transition",
    "view_case_item",
    "view_disclosure",
)

# Every table ordered by its primary key, so that two dumps compare row for row.
_ORDER_BY = {
    "view_tracking": "projection",
    "view_claim_owner": "claim_id",
    "view_self_service": "customer_id",
    "view_timeline": "position",
    "view_worklist": "claim_id",
    "view_ledger": "position, idx",
    "view_ledger_outcome": "position, idx, field",
    "view_deadline": "deadline_id",
    "view_transition": "transition_id",
    "view_case_item": "item_id",
    "view_disclosure": "position",
}

Row = tuple[Any, ...]
ViewDump = dict[str, list[Row]]

CASE_ITEM_DOCUMENT = [name for name, _ in CASE_ITEM_COLUMNS].index("document")
"""Where a dumped view_case_item row holds the item (its erased form follows it)."""


def sql_store(store: ViewStore) -> SqlViewStore:
    """The store as the SQL implementation both backends share."""
    assert isinstance(store, SqlViewStore), type(store)
    return store


def dump_views(store: ViewStore, tables: tuple[str, ...] = VIEW_TABLES) -> ViewDump:
    """Every row of every view table, ordered by primary key, read in one transaction."""
    views = sql_store(store)
    dump: ViewDump = {}
    with views._transaction(write=False) as cursor:
        for table in tables:
            cursor.execute(views.t(f"SELECT * FROM {{p}}{table} ORDER BY {_ORDER_BY[table]}"))
            dump[table] = [tuple(row) for row in cursor.fetchall()]
    return dump


def execute(store: ViewStore, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run one writing statement against the view tables ({p} is the schema prefix)."""
    views = sql_store(store)
    with views._transaction(write=True) as cursor:
        cursor.execute(views.t(statement), params)


def positions(store: ViewStore) -> dict[str, int]:
    """Every projection's tracking position."""
    return {name: store.position(name) for name in PROJECTIONS}


@contextmanager
def scratch_settings(backend: str, postgres_url: str) -> Iterator[Settings]:
    """Settings for an empty event store that lasts for the block (per hypothesis example)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="journeys-projections-") as directory:
            yield Settings(database_url=None, sqlite_path=Path(directory) / "events.sqlite3")
    else:
        with scratch_schema(postgres_url) as schema:
            yield postgres_settings_for(postgres_url, schema)


@contextmanager
def fresh_view_store(settings: Settings) -> Iterator[ViewStore]:
    """An empty view store on the same kind of database as `settings` (not the same tables)."""
    if settings.database_url is None:
        with tempfile.TemporaryDirectory(prefix="journeys-fresh-views-") as directory:
            yield SQLiteViewStore(Path(directory) / "fresh-views.sqlite3")
        return
    with scratch_schema(settings.database_url) as schema:
        store = PostgresViewStore(postgres_conninfo(settings.database_url), schema=schema)
        try:
            yield store
        finally:
            store.close()


def rebuild_everything(system: Journeys, store: ViewStore) -> ProjectionRunner:
    """A second runner over the same log that rebuilds every projection into `store`."""
    runner = ProjectionRunner(
        system.projections.log, store, list(system.projections.projections.values())
    )
    runner.rebuild_all()  # as `journeys projections rebuild` does: the log read once for all
    return runner


@dataclass(frozen=True)
class LogFacts:
    """What the log says the views must hold, counted without the projections."""

    last_position: int
    events_with_customer: int
    decisions: int
    customers: int
    claims: int
    transitions: int
    other_journeys: int

    @property
    def owned_aggregates(self) -> int:
        """Claims, transitions and other journeys: what the owner table maps to a customer."""
        return self.claims + self.transitions + self.other_journeys


def log_facts(system: Journeys, up_to: int | None = None) -> LogFacts:
    """Count events whose customer is known, decisions, customers, claims and transitions."""
    log = system.projections.log
    last = log.last_position() if up_to is None else up_to
    started: set[uuid.UUID] = set()
    transitions: set[uuid.UUID] = set()
    owned: set[uuid.UUID] = set()
    with_customer = decisions = customers = 0
    after = 0
    while after < last:
        page = log.read(after=after, limit=500)
        if not page:
            break
        for logged in page:
            if logged.position > last:
                break
            event = logged.event
            if isinstance(event, Claim.Started):
                started.add(event.originator_id)
            elif isinstance(event, DlaToPipTransition.Started):
                transitions.add(event.originator_id)
            elif isinstance(event, JourneyAggregate.Created) and isinstance(
                getattr(event, "customer_id", None), uuid.UUID
            ):
                # Every other journey (Special Rules case, concern, plan...) names its customer.
                owned.add(event.originator_id)
            known = (
                isinstance(event, Customer.Event)
                or event.originator_id in started
                or event.originator_id in transitions
                or event.originator_id in owned
            )
            if known:
                with_customer += 1
                decisions += len(list(decisions_in(event)))
            customers += isinstance(event, Customer.Registered)
        after = page[-1].position
    return LogFacts(
        last, with_customer, decisions, customers, len(started), len(transitions), len(owned)
    )


def populate(system: Journeys, clock: SimulatedClock, customers: int, seed: int) -> int:
    """Append a demo population's journeys to the log (no views built); the last position."""
    start = clock.today()
    population = Population(
        system.application, clock, random.Random(seed), start, until=start + timedelta(days=420)
    )
    population.run(customers, lambda: None)
    return system.projections.log.last_position()


@dataclass(frozen=True)
class LogInMemory:
    """The log read and decoded once: rebuilds to several positions then share the one read."""

    events: Sequence[LoggedEvent]

    @classmethod
    def read_from(cls, log: EventLog, up_to: int) -> LogInMemory:
        """Every event of `log` up to a position."""
        events: list[LoggedEvent] = []
        while page := log.read(events[-1].position if events else 0, 500):
            events.extend(logged for logged in page if logged.position <= up_to)
            if page[-1].position >= up_to:
                break
        return cls(events)

    def read(self, after: int, limit: int) -> Sequence[LoggedEvent]:
        """Up to `limit` events after a position, in log order."""
        start = bisect.bisect_right(self.events, after, key=lambda logged: logged.position)
        return self.events[start : start + limit]

    def last_position(self) -> int:
        """The newest event's position (0 when there is none)."""
        return self.events[-1].position if self.events else 0


@dataclass(frozen=True)
class LogUpTo:
    """The log as it stood at a position: what a projection had seen when it got there."""

    log: EventLog
    position: int

    def read(self, after: int, limit: int) -> Sequence[LoggedEvent]:
        """Events after a position, none beyond the cut."""
        return [e for e in self.log.read(after, limit) if e.position <= self.position]

    def last_position(self) -> int:
        """The cut."""
        return min(self.position, self.log.last_position())


def projection_tables(system: Journeys, name: str) -> tuple[str, ...]:
    """The tables a projection owns (the shared claim-owner table is nobody's)."""
    return system.projections.projections[name].tables


def assert_each_projection_matches_a_rebuild_to_its_position(system: Journeys) -> None:
    """Every projection's tables hold exactly what a rebuild up to its own position gives.

    This is what a batch being atomic with its tracking position means: whatever a crash
    interrupted left no trace, and nothing before the recorded position is missing.
    """
    reached = positions(system.views)
    log = LogInMemory.read_from(system.projections.log, max(reached.values()))
    with fresh_view_store(system.settings) as fresh:
        for name, position in reached.items():
            projection = system.projections.projections[name]
            ProjectionRunner(LogUpTo(log, position), fresh, [projection]).rebuild(name)
            tables = projection.tables
            assert dump_views(system.views, tables) == dump_views(fresh, tables), name
        assert positions(fresh) == reached
