"""Workload 1: command mixes from concurrent clients, against a plain eventsourcing baseline."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ParamSpec, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from adapters.bootstrap import Journeys, build
from bench.harness import (
    BenchContext,
    Result,
    latency_figures,
    library_environment,
    ratio,
    scratch_schema,
)
from domain.rules.pip_assessment import DAILY_LIVING_ACTIVITIES, MOBILITY_ACTIVITIES
from domain.values import BenefitType, ClaimantRole, ClaimChannel
from services.clock import SystemClock
from services.journeys import JourneysApplication
from services.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")

ASSESSOR_ID = "hp-assessor-bench"
MIX = (
    "register_customer",
    "start_claim",
    "issue_questionnaire",
    "return_questionnaire",
    "record_assessment",
    "decide_pip_award",
    "request_reconsideration",
)


def journeys_settings(url: str, schema: str, clients: int) -> Settings:
    """Settings for a measured system: a pool big enough for every client."""
    return Settings(
        database_url=url,
        postgres_schema=schema,
        postgres_pool_size=max(8, clients + 2),
        postgres_max_overflow=clients,
    )


class NinoSource:
    """Distinct, valid National Insurance numbers for as many customers as a run needs."""

    def __init__(self, prefix: str = "AB") -> None:
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._prefix = prefix

    def next(self) -> str:
        """The next unused number."""
        with self._lock:
            number = next(self._numbers)
        return f"{self._prefix}{number % 1_000_000:06d}{'ABCD'[number // 1_000_000 % 4]}"


@dataclass
class Timings:
    """Latencies of one kind of operation, collected by many threads."""

    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, samples: list[float]) -> None:
        """Merge one thread's samples."""
        with self.lock:
            self.seconds.extend(samples)


class Timer(Protocol):
    """Runs a command and keeps how long it took."""

    def __call__(self, command: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """The command's result."""
        ...


def stopwatch(samples: list[float]) -> Timer:
    """A timer that appends each command's latency in seconds to samples."""

    def timed(command: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        result = command(*args, **kwargs)
        samples.append(time.perf_counter() - started)
        return result

    return timed


def claim_journey(application: JourneysApplication, ninos: NinoSource, timed: Timer) -> None:
    """One customer's PIP claim from registration to a reconsideration request."""
    today = application.clock.today()
    claimed = today - timedelta(days=60)
    customer_id = timed(
        application.register_customer,
        nino=ninos.next(),
        name="Bench Customer",
        date_of_birth=date(1980, 5, 17),
    ).id
    claim_id = timed(
        application.start_claim,
        customer_id=customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.ONLINE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=claimed,
    ).id
    timed(application.issue_questionnaire, claim_id, claimed + timedelta(days=2))
    timed(application.return_questionnaire, claim_id, claimed + timedelta(days=20))
    timed(
        application.record_assessment,
        claim_id,
        assessed_on=claimed + timedelta(days=40),
        daily_living=dict.fromkeys(DAILY_LIVING_ACTIVITIES, 2),
        mobility=dict.fromkeys(MOBILITY_ACTIVITIES, 8),
        assessor_id=ASSESSOR_ID,
    )
    timed(
        application.decide_pip_award,
        claim_id,
        decided_on=claimed + timedelta(days=50),
        starts_on=claimed,
        ends_on=claimed + timedelta(days=3 * 365),
    )
    timed(
        application.request_reconsideration,
        claim_id,
        requested_on=claimed + timedelta(days=55),
        grounds="I need more help with preparing food than the assessment found",
    )


@dataclass
class Run:
    """What a timed run of clients did."""

    operations: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        """Operations per second."""
        return self.operations / self.seconds if self.seconds else 0.0


def run_clients(clients: int, seconds: float, loop: Callable[[Callable[[], bool]], None]) -> float:
    """Run `loop(keep_going)` in each of `clients` threads for `seconds`; returns elapsed time."""
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=loop, args=(lambda: time.monotonic() < stop_at,))
        for _ in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def measure_journeys(system: Journeys, clients: int, seconds: float, ninos: NinoSource) -> Run:
    """Clients play claim journeys through the service layer; every command is timed."""
    timings = Timings()

    def loop(keep_going: Callable[[], bool]) -> None:
        samples: list[float] = []
        timed = stopwatch(samples)
        while keep_going():
            claim_journey(system.application, ninos, timed)
        timings.add(samples)

    elapsed = run_clients(clients, seconds, loop)
    return Run(len(timings.seconds), elapsed, timings.seconds)


class Note(Aggregate):
    """The plain library baseline's aggregate: one small event per command."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


def measure_plain_library(url: str, schema: str, clients: int, seconds: float) -> Run:
    """The same concurrency through a plain eventsourcing Application, one save per command."""
    environment = library_environment(url, schema)
    environment["POSTGRES_POOL_SIZE"] = str(max(8, clients + 2))
    environment["POSTGRES_MAX_OVERFLOW"] = str(clients)
    application: Application[UUID] = Application(env=environment)
    timings = Timings()

    def loop(keep_going: Callable[[], bool]) -> None:
        samples: list[float] = []
        while keep_going():
            started = time.perf_counter()
            application.save(Note("a small event"))
            samples.append(time.perf_counter() - started)
        timings.add(samples)

    try:
        elapsed = run_clients(clients, seconds, loop)
    finally:
        application.close()
    return Run(len(timings.seconds), elapsed, timings.seconds)


def run(context: BenchContext) -> Iterator[Result]:
    """Commands/s, events/s and latency at each client count, beside the plain library."""
    scale = context.scale
    for clients in scale.client_counts:
        with scratch_schema(context.database_url, "baseline") as schema:
            plain = measure_plain_library(
                context.database_url, schema, clients, scale.command_seconds
            )
        with scratch_schema(context.database_url, "commands") as schema:
            settings = journeys_settings(context.database_url, schema, clients)
            with build(settings, clock=SystemClock()) as system:
                before = system.application.recorder.max_notification_id() or 0
                group_commit = system.application.group_commit
                groups_before = group_commit.groups if group_commit else 0
                ours = measure_journeys(system, clients, scale.command_seconds, NinoSource())
                events = (system.application.recorder.max_notification_id() or 0) - before
                groups = (group_commit.groups if group_commit else 0) - groups_before
        result = Result(
            workload="commands",
            name=f"{clients}_clients",
            parameters={
                "clients": clients,
                "seconds": scale.command_seconds,
                "mix": list(MIX),
                "store": "postgresql",
                "group_commit": settings.group_commit,
                "aggregate_cache_size": settings.aggregate_cache_size,
            },
            figures={
                "commands_per_s": round(ours.rate, 1),
                "events_per_s": round(events / ours.seconds, 1),
                "commands": ours.operations,
                "transactions": groups,
                **latency_figures(ours.latencies),
            },
            baselines={
                "library_commands_per_s": round(plain.rate, 1),
                **latency_figures(plain.latencies, "library_"),
            },
        )
        result.ratios["ratio_vs_library"] = ratio(ours.rate, plain.rate)
        if clients == 8:
            result.aim("ratio_vs_library", ">=", 4)
            result.aim("p99_ms", "<=", 50)
        context.say(
            f"   {clients} clients: {ours.rate:.0f} commands/s (library {plain.rate:.0f}),"
            f" p99 {result.figures['p99_ms']} ms"
        )
        yield result
