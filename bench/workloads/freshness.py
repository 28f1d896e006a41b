"""Workload 4: how soon a command's effect shows in the self-service view, under command load."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import psycopg
from psycopg import sql

from adapters.bootstrap import Journeys, build
from bench.harness import (
    BenchContext,
    Result,
    journeys_command,
    journeys_environment,
    latency_figures,
    scratch_schema,
)
from bench.workloads.commands import NinoSource, journeys_settings, measure_journeys
from services.clock import SystemClock

CLIENTS = 8
PROBE_PAUSE_SECONDS = 0.02


@contextmanager
def separate_follower(url: str, schema: str) -> Iterator[subprocess.Popen[bytes]]:
    """A `journeys projections follow` process keeping the schema's views, stopped afterwards."""
    follower = subprocess.Popen(
        journeys_command("projections", "follow"),
        env=journeys_environment(url, schema),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield follower
    finally:
        follower.terminate()
        follower.wait(timeout=30)


def wait_until_current(system: Journeys, timeout: float = 60.0) -> None:
    """Wait until the follower has started and applied the whole log (start-up is not timed)."""
    last = system.application.recorder.max_notification_id() or 0
    deadline = time.monotonic() + timeout
    while not system.projections.reached(last):
        if time.monotonic() > deadline:
            raise TimeoutError("the projection follower did not catch up")
        time.sleep(0.05)


def probe(
    system: Journeys, customer_id: UUID, url: str, schema: str, stop: threading.Event
) -> list[float]:
    """Report changes one at a time; time each until the customer's view reflects it."""
    application = system.application
    query = sql.SQL("SELECT document FROM {}.view_self_service WHERE customer_id = %s").format(
        sql.Identifier(schema)
    )
    delays: list[float] = []
    with psycopg.connect(url, autocommit=True) as connection:
        while not stop.is_set():
            position = application.report_change(
                customer_id, f"change {len(delays)}", effective_date=application.clock.today()
            ).position
            answered = time.perf_counter()
            while True:
                row = connection.execute(query, (str(customer_id),), prepare=True).fetchone()
                if row is not None and json.loads(row[0])["position"] >= position:
                    break
                time.sleep(0.001)
            delays.append(time.perf_counter() - answered)
            stop.wait(PROBE_PAUSE_SECONDS)
    return delays


def run(context: BenchContext) -> Iterator[Result]:
    """Freshness p50/p99 while 8 clients run the command mix, views kept by a separate worker."""
    seconds = context.scale.freshness_seconds
    with scratch_schema(context.database_url, "freshness") as schema:
        settings = journeys_settings(context.database_url, schema, CLIENTS + 1)
        with (
            build(settings, clock=SystemClock()) as system,
            separate_follower(context.database_url, schema),
        ):
            customer_id = system.application.register_customer(
                nino=NinoSource("ZX").next(),
                name="Freshness Probe",
                date_of_birth=date(1975, 3, 2),
            ).id
            wait_until_current(system)
            stop = threading.Event()
            delays: list[float] = []
            prober = threading.Thread(
                target=lambda: delays.extend(
                    probe(system, customer_id, context.database_url, schema, stop)
                )
            )
            prober.start()
            load = measure_journeys(system, CLIENTS, seconds, NinoSource())
            stop.set()
            prober.join()
    if not delays:
        raise RuntimeError("the freshness probe measured nothing (see its error above)")
    result = Result(
        workload="freshness",
        name="self_service_after_command",
        parameters={
            "clients": CLIENTS,
            "seconds": seconds,
            "views": "a separate `journeys projections follow` process (LISTEN/NOTIFY wake-ups)",
        },
        figures={
            "samples": len(delays),
            "commands_per_s": round(load.rate, 1),
            **latency_figures(delays),
            **latency_figures(load.latencies, "command_"),
        },
    )
    result.aim("p99_ms", "<=", 250)
    context.say(
        f"   freshness p50 {result.figures['p50_ms']} ms, p99 {result.figures['p99_ms']} ms"
        f" under {load.rate:.0f} commands/s"
    )
    yield result
