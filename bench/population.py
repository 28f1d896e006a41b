"""A fast seeder of a large, realistic event log: the demo's journeys, written in big batches.

`seed_log` plays the demo population (`adapters.demo.population.Population`) through the
real `JourneysApplication` use cases, so every event comes from the real aggregates, rules
and recorded Decisions, stamped by a simulated clock. Only persistence differs:

- A write-behind stand-in (`WriteBehindApplication`) is the real application over an event
  store port that keeps events in memory (`WriteBehindEventStore`): loads, refusals and
  retries work exactly as they do against a database, and a save converts the events with
  the application's own mapper (the exact bytes the command path stores) and hands them on.
- The customers are split into `SHARDS` independent shards (journeys never touch another
  customer's aggregates), each simulated in its own process when the log is big, so both
  cores do domain work. Each shard yields its commands in simulated-time order; the
  parent merges the shards by recorded time, so the log reads like one department's day
  after day, and writes the merged stream in transactions of about `batch_events` events
  (PostgreSQL: COPY under the recorder's table lock; otherwise `recorder.insert_events`).

A command's events are never split across transactions and keep their order, so a customer's
events come before the claims that refer to them, a claim's Started event before the rest of
its events, and every aggregate's versions are consecutive. The result depends only on the
seed, the number of customers and the application clock's date, not on the machine.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import os
import queue
import random
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import (
    DomainEventProtocol,
)
from eventsourcing.persistence import (
    ApplicationRecorder,
    EventStore,
    InfrastructureFactory,
    IntegrityError,
    Mapper,
    Notification,
    Recording,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import Environment

from adapters.demo.population import DECISION_MAKER, Population
from adapters.event_store.postgres import append_by_copy
from domain.customer import Customer
from domain.values import (
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactChannel,
    ContactPreferences,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock, SystemClock
from services.journeys import JourneysApplication

# The demo's window: journeys begin in its first 180 days and run on for up to a year or so;
# whatever falls after the last day stays in progress, as a real caseload does.
SIMULATED_DAYS = 420

# Fixed, so that the log does not depend on how many cores the machine has.
SHARDS = 4

# Below this many customers the shards run as threads in this process: starting processes
# costs more than it saves. Either way the log is the same.
PARALLEL_FROM = 5_000

# How many events a shard sends to the parent at a time, and how far it may run ahead.
CHUNK_EVENTS = 2_000
CHUNKS_AHEAD = 16

# What the busy customer reports, round and round.
CHANGES = (
    "moved house",
    "started part-time work",
    "stopped work",
    "partner moved in",
    "partner moved out",
    "new GP",
    "hospital admission",
    "discharged from hospital",
    "care home stay began",
    "care home stay ended",
    "bank account changed",
    "started a course",
)

Row = tuple[UUID, int, str, bytes]
# One saved command: when it was recorded, the customer it registered (if any), its events.
Command = tuple[datetime, UUID | None, list[Row]]


@dataclass(frozen=True)
class SeededLog:
    """What `seed_log` wrote: how much, who, and one customer with a long timeline."""

    customers: int
    events: int
    customer_ids: tuple[UUID, ...]
    busy_customer: UUID
    busy_customer_events: int


class SeedingError(RuntimeError):
    """The seeder could not produce the log the command path would have written."""


# -- the write-behind application ----------------------------------------------------------


class WriteBehindEventStore(EventStore[UUID]):
    """An event store that keeps what it is given in memory and hands it on to be written.

    `put` converts the events with the application's mapper at once (the exact bytes the
    command path stores) and passes them, as one command, to `on_saved`; writing them is
    the caller's business. `get` answers from the events put here, and from the store for
    aggregates that were there before the seeder began. Loading, refusing and retrying are
    left to the application, which rebuilds aggregates from these events as it always does.
    """

    def __init__(
        self,
        mapper: Mapper[UUID],
        recorder: ApplicationRecorder,
        *,
        clock: SimulatedClock,
        on_saved: Callable[[Command], None],
        store_holds_others: bool,
    ) -> None:
        super().__init__(mapper, recorder)
        self.clock = clock
        self.on_saved = on_saved
        # When the store was empty at the start, "is it registered?" never needs to ask it.
        self.store_holds_others = store_holds_others
        self.by_aggregate: dict[UUID, list[DomainEventProtocol[UUID]]] = {}
        self._position = 0

    def put(
        self, domain_events: Sequence[DomainEventProtocol[UUID]], **kwargs: Any
    ) -> list[Recording[UUID]]:
        """Keep and convert one command's events; positions are provisional (never read)."""
        for domain_event in domain_events:
            # As the store would, refuse a second first event for an id (a NINO used twice).
            if domain_event.originator_version == 1 and self._exists(domain_event.originator_id):
                raise IntegrityError(f"{domain_event.originator_id} is already stored")
        rows: list[Row] = []
        recordings: list[Recording[UUID]] = []
        registered: UUID | None = None
        for domain_event in domain_events:
            stored = self.mapper.to_stored_event(domain_event)
            originator_id = cast(UUID, stored.originator_id)
            rows.append((originator_id, stored.originator_version, stored.topic, stored.state))
            self.by_aggregate.setdefault(originator_id, []).append(domain_event)
            if isinstance(domain_event, Customer.Registered):
                registered = originator_id
            self._position += 1
            recordings.append(
                Recording(
                    domain_event,
                    Notification(
                        originator_id=stored.originator_id,
                        originator_version=stored.originator_version,
                        topic=stored.topic,
                        state=stored.state,
                        id=self._position,
                    ),
                )
            )
        if rows:
            self.on_saved((self.clock.now(), registered, rows))
        return recordings

    def _exists(self, originator_id: UUID) -> bool:
        if originator_id in self.by_aggregate:
            return True
        return self.store_holds_others and bool(self.recorder.select_events(originator_id, limit=1))

    def get(
        self,
        originator_id: UUID,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Iterator[DomainEventProtocol[UUID]]:
        """The aggregate's events, selected as the store would select them."""
        events = self.by_aggregate.get(originator_id)
        if events is None:
            if not self.store_holds_others:
                return iter(())
            return super().get(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        # Versions are consecutive from 1, so a version is an index plus one.
        selected = events[gt or 0 : lte]
        if desc:
            selected = selected[::-1]
        return iter(selected[:limit] if limit is not None else selected)


class WriteBehindApplication(JourneysApplication):
    """The real use cases over a write-behind event store and another application's mapper.

    It shares the given application's factory, mapper and recorder (no second connection
    pool; closing it closes nothing); only the event store differs.
    """

    def __init__(
        self,
        application: JourneysApplication,
        *,
        clock: SimulatedClock,
        on_saved: Callable[[Command], None],
        store_holds_others: bool,
    ) -> None:
        self._source = application
        self._on_saved = on_saved
        self._store_holds_others = store_holds_others
        super().__init__(
            env=dict(application.env), clock=clock, command_attempts=application.command_attempts
        )

    # The library's construction hooks: reuse the given application's infrastructure.

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        """The given application's factory (its connection pool)."""
        return self._source.factory

    def construct_mapper(self) -> Mapper[UUID]:
        """The given application's transcodings, its personal fields left unsealed.

        Sealed bytes differ on every run (each value has a random nonce) and the shard
        processes have no key store, so a seeded log is stored as the plain mapper stores
        it, alike from threads and processes; the sealing mapper reads it unchanged.
        """
        return Mapper(transcoder=self._source.mapper.transcoder)

    def construct_recorder(self) -> ApplicationRecorder:
        """The given application's recorder (read only when the store held events before)."""
        return self._source.recorder

    def construct_event_store(self) -> EventStore[UUID]:
        """The write-behind event store."""
        return WriteBehindEventStore(
            self.mapper,
            self.recorder,
            clock=cast(SimulatedClock, self.clock),
            on_saved=self._on_saved,
            store_holds_others=self._store_holds_others,
        )

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """Journeys takes no snapshots."""
        raise SeedingError("the seeder does not take snapshots")

    def close(self) -> None:
        """Nothing to release: the infrastructure belongs to the given application."""


def timeline_events(application: JourneysApplication, customer_id: UUID) -> int:
    """How many events the customer and their claims hold."""
    customer = application.customer(customer_id)
    return customer.version + sum(
        application.claim(claim_id).version for claim_id in customer.claims
    )


# -- the population -------------------------------------------------------------------------


class _ShardPopulation(Population):
    """The demo population for one shard; shard 0's first journey is the busy customer's."""

    shard = 0
    has_busy = False
    busy_target = 0
    busy_customer: UUID | None = None
    _busy_planned = False

    def _journey(self, kind: str, begins: datetime) -> Iterator[datetime]:
        if self.has_busy and not self._busy_planned:
            self._busy_planned = True
            return self._busy_journey(begins)
        return super()._journey(kind, begins)

    def _new_nino(self) -> str:
        # Each shard owns the NINOs whose digits leave its remainder (10**6 divides evenly),
        # so two shards never register the same person: each knows only its own customers.
        nino = super()._new_nino()
        digits = int(nino[2:8])
        return f"{nino[:2]}{digits - digits % SHARDS + self.shard:06d}{nino[8:]}"

    def _busy_journey(self, begins: datetime) -> Iterator[datetime]:
        """A long-standing customer: a PIP claim, other benefits, many reported changes."""
        yield begins
        customer_id = self._register("busy", 30, 60)
        self.busy_customer = customer_id
        application = self.application
        yield self._later(0, 5)
        marker = SupportMarker(need=SupportNeed.HEALTH, duration=SupportDuration.LONG_TERM)
        application.add_support_marker(customer_id, marker, self._today())
        yield from self._pip_decided(customer_id)
        step = 0
        while (remaining := self.busy_target - timeline_events(application, customer_id)) > 0:
            step += 1
            # Spread what is left over the rest of the window (half of it, on average).
            days_left = (self.until - self._today()).days
            yield self._later(0, max(0, days_left // remaining))
            today = self._today()
            if step % 25 == 0:
                yield from self._busy_other_claim(customer_id)
            elif step % 10 == 0:
                preferences = ContactPreferences(
                    channel=self.rng.choice(list(ContactChannel)),
                    large_print=self.rng.random() < 0.5,
                )
                application.change_contact_preferences(customer_id, preferences, today)
            else:
                backdated = today - timedelta(days=self.rng.randint(0, 30))
                application.report_change(customer_id, CHANGES[step % len(CHANGES)], backdated)

    def _busy_other_claim(self, customer_id: UUID) -> Iterator[datetime]:
        claim_id = self.application.start_claim(
            customer_id=customer_id,
            benefit=self.rng.choice((BenefitType.UC, BenefitType.ESA)),
            channel=self.rng.choice(list(ClaimChannel)),
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=self._today(),
        ).id
        yield self._later(0, 2)
        entitled = self.rng.random() < 0.5
        self.application.decide_entitlement(
            claim_id,
            decided_on=self._today(),
            entitled=entitled,
            reason="conditions of entitlement met" if entitled else "capital above the limit",
            decision_maker=DECISION_MAKER,
            starts_on=self.application.claim(claim_id).claim_date if entitled else None,
        )


# -- shards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ShardPlan:
    """What one shard simulates (picklable, for a shard in another process)."""

    shard: int
    customers: int
    seed: int
    start: date
    until: date
    busy_target: int
    store_holds_others: bool
    env: dict[str, str]
    command_attempts: int


@dataclass(frozen=True)
class _ShardDone:
    """A shard's last message."""

    busy_customer: UUID | None
    busy_events: int


class _Cancelled(Exception):
    """The parent stopped listening: a shard thread ends quietly."""


@dataclass(frozen=True)
class _ShardFailed:
    """A shard stopped with an error."""

    error: str


def _run_shard(
    plan: _ShardPlan, application: JourneysApplication, put: Callable[[object], None]
) -> None:
    """Simulate one shard, sending chunks of commands and then `_ShardDone` (or the error)."""
    try:
        clock = SimulatedClock.on(plan.start)
        chunk: list[Command] = []
        chunk_events = 0

        def on_saved(command: Command) -> None:
            nonlocal chunk, chunk_events
            chunk.append(command)
            chunk_events += len(command[2])
            if chunk_events >= CHUNK_EVENTS:
                put(chunk)
                chunk, chunk_events = [], 0

        writer = WriteBehindApplication(
            application,
            clock=clock,
            on_saved=on_saved,
            store_holds_others=plan.store_holds_others,
        )
        # Distinct, reproducible random streams per shard.
        rng = random.Random(f"journeys-seed-{plan.seed}-shard-{plan.shard}")
        population = _ShardPopulation(writer, clock, rng, plan.start, plan.until)
        population.shard = plan.shard
        population.has_busy = plan.shard == 0
        population.busy_target = plan.busy_target
        population.run(plan.customers, lambda: None)
        if chunk:
            put(chunk)
        busy = population.busy_customer
        put(_ShardDone(busy, timeline_events(writer, busy) if busy is not None else 0))
    except _Cancelled:
        return
    except BaseException:  # the parent must hear of any failure, or it waits for ever
        put(_ShardFailed(traceback.format_exc()))


def _shard_process(plan: _ShardPlan, outbox: Any) -> None:
    """A shard in its own process, with its own application configured like the parent's."""
    # Hundreds of thousands of events kept in memory make the cyclic GC's full passes
    # dominate; the simulation makes little cyclic garbage, so collect far less often.
    gc.set_threshold(50_000, 20, 100)
    # The parent created the tables (creating them from several processes at once fails);
    # with an empty store to begin with, the shard needs only the mapper, not a connection.
    env = {**plan.env, "CREATE_TABLE": "n"}
    if not plan.store_holds_others:
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
    try:
        application = JourneysApplication(
            env=env, clock=SystemClock(), command_attempts=plan.command_attempts
        )
    except BaseException:
        outbox.put(_ShardFailed(traceback.format_exc()))
        return
    try:
        _run_shard(plan, application, outbox.put)
    finally:
        application.close()


class _Shard:
    """The parent's end of a running shard: its commands in order, then its summary."""

    def __init__(self, inbox: Any, alive: Callable[[], bool]) -> None:
        self._inbox = inbox
        self._alive = alive
        self.done: _ShardDone | None = None

    def commands(self) -> Iterator[Command]:
        """The shard's commands, in recorded-time order."""
        while True:
            try:
                message = self._inbox.get(timeout=5)
            except queue.Empty:
                if not self._alive():
                    raise SeedingError("a seeding shard died without a word") from None
                continue
            if isinstance(message, _ShardFailed):
                raise SeedingError(f"a seeding shard failed:\n{message.error}")
            if isinstance(message, _ShardDone):
                self.done = message
                return
            yield from message


@dataclass
class _Running:
    shards: list[_Shard]
    stop: Callable[[], None]


def _start_shards(
    plans: Sequence[_ShardPlan], application: JourneysApplication, processes: bool
) -> _Running:
    if processes:
        # spawn, not fork: the parent holds a connection pool and its threads.
        context = multiprocessing.get_context("spawn")
        workers = []
        shards = []
        for plan in plans:
            outbox = context.Queue(maxsize=CHUNKS_AHEAD)
            worker = context.Process(target=_shard_process, args=(plan, outbox), daemon=True)
            worker.start()
            workers.append(worker)
            shards.append(_Shard(outbox, worker.is_alive))

        def terminate() -> None:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                worker.join()

        return _Running(shards, terminate)
    cancelled = threading.Event()
    threads = []
    shards = []
    for plan in plans:
        inbox: queue.Queue[object] = queue.Queue(maxsize=CHUNKS_AHEAD)

        def put(message: object, inbox: queue.Queue[object] = inbox) -> None:
            while True:
                if cancelled.is_set():
                    raise _Cancelled
                try:
                    inbox.put(message, timeout=0.2)
                except queue.Full:
                    if cancelled.is_set():
                        raise _Cancelled from None
                else:
                    return

        thread = threading.Thread(target=_run_shard, args=(plan, application, put), daemon=True)
        thread.start()
        threads.append(thread)
        shards.append(_Shard(inbox, thread.is_alive))

    def cancel() -> None:
        cancelled.set()
        for thread in threads:
            thread.join()

    return _Running(shards, cancel)


# -- writing -------------------------------------------------------------------------------------


class _Writer:
    """Writes batches of events in one transaction each, the fastest way the store allows."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self._recorder = recorder

    def write(self, rows: list[Row]) -> None:
        """Append the rows to the log, in order, atomically."""
        recorder = self._recorder
        if not isinstance(recorder, PostgresApplicationRecorder):
            recorder.insert_events([StoredEvent(*row) for row in rows])
            return
        # What insert_events does, with COPY instead of one huge array parameter (whose
        # text encoding costs more than the simulation): the same table lock, so readers
        # following the log never pass over a position filled in later, the same NOTIFY,
        # and the same hash chains.
        append_by_copy(recorder, rows)


# -- the seeder -----------------------------------------------------------------------------------


def seed_log(
    application: JourneysApplication,
    *,
    customers: int,
    seed: int = 1,
    busy_customer_events: int = 200,
    batch_events: int = 5_000,
    progress: Callable[[int], None] | None = None,
) -> SeededLog:
    """Append a realistic log of `customers` customers' journeys, in batches of events."""
    if customers < 1:
        raise ValueError("customers must be at least 1 (the busy customer is one of them)")
    if batch_events < 1:
        raise ValueError("batch_events must be at least 1")
    # The simulated history ends the day before the application's today, so that commands
    # through the application afterwards are recorded after everything seeded.
    until = application.clock.today() - timedelta(days=1)
    start = until - timedelta(days=SIMULATED_DAYS)
    store_holds_others = bool(application.recorder.max_notification_id())
    # A shard process looks customers up in the store only when it held some before; then
    # it needs a store it can open too (an in-memory one it cannot).
    processes = (
        customers >= PARALLEL_FROM
        and (os.cpu_count() or 1) > 1
        and (
            not store_holds_others or isinstance(application.recorder, PostgresApplicationRecorder)
        )
    )
    plans = [
        _ShardPlan(
            shard=shard,
            customers=customers // SHARDS + (shard < customers % SHARDS),
            seed=seed,
            start=start,
            until=until,
            busy_target=busy_customer_events,
            store_holds_others=store_holds_others,
            env=dict(application.env),
            command_attempts=application.command_attempts,
        )
        for shard in range(SHARDS)
    ]
    plans = [plan for plan in plans if plan.customers > 0]
    writer = _Writer(application.recorder)
    running = _start_shards(plans, application, processes)
    customer_ids: list[UUID] = []
    written = 0
    batch: list[Row] = []
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)  # see _shard_process
    try:
        streams = [shard.commands() for shard in running.shards]
        # Merged by recorded time (ties: shard order), as one department's log would be.
        for _when, registered, rows in heapq.merge(*streams, key=itemgetter(0)):
            if registered is not None:
                customer_ids.append(registered)
            batch.extend(rows)
            # Only between commands: a command's events share one transaction.
            if len(batch) >= batch_events:
                writer.write(batch)
                written += len(batch)
                batch = []
                if progress is not None:
                    progress(written)
        if batch:
            writer.write(batch)
            written += len(batch)
            if progress is not None:
                progress(written)
    finally:
        gc.set_threshold(*thresholds)
        running.stop()
    busy = running.shards[0].done
    if busy is None or busy.busy_customer is None:  # pragma: no cover - shard 0 registers it
        raise SeedingError("the busy customer was never registered")
    if busy.busy_events < busy_customer_events:
        raise SeedingError(
            f"the busy customer reached {busy.busy_events} events, not {busy_customer_events}"
            " (the simulated window is too short for so many)"
        )
    return SeededLog(
        customers=len(customer_ids),
        events=written,
        customer_ids=tuple(customer_ids),
        busy_customer=busy.busy_customer,
        busy_customer_events=busy.busy_events,
    )
