"""Soak (opt-in, `--only soak`): the 8-client mix for minutes; memory and view lag over time.

Not part of a default run and never of the test suite: the full scale runs ten minutes. The
views are kept by a separate `journeys projections follow` process, as in production; every
sampling window records both processes' resident memory and how far the views trail the log.
"Flat" means the second half of the run looks like the first: memory stops growing once
caches are warm, and the lag does not climb.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from adapters.bootstrap import Journeys, build
from bench.harness import (
    BenchContext,
    Result,
    latency_figures,
    percentile,
    resident_mib,
    scratch_schema,
)
from bench.workloads.commands import NinoSource, Run, journeys_settings, measure_journeys
from bench.workloads.freshness import separate_follower, wait_until_current
from services.clock import SystemClock

CLIENTS = 8
WINDOWS = 20


@dataclass(frozen=True)
class Sample:
    """One sampling window's end: memory of both processes, the log and how far views trail."""

    at_seconds: float
    commands_mib: float
    follower_mib: float
    log_position: int
    lag_events: int


def sample(system: Journeys, follower_pid: int, started: float) -> Sample:
    """Measure now."""
    status = system.projections.status()
    return Sample(
        at_seconds=time.monotonic() - started,
        commands_mib=resident_mib(os.getpid()),
        follower_mib=resident_mib(follower_pid),
        log_position=status[0].log_position if status else 0,
        lag_events=max((position.lag for position in status), default=0),
    )


def halves(samples: list[Sample]) -> tuple[list[Sample], list[Sample]]:
    """The first and second half of the run's samples."""
    middle = len(samples) // 2
    return samples[:middle], samples[middle:]


def run(context: BenchContext) -> Iterator[Result]:
    """Run the mix for the soak time; report memory growth and view lag, first half vs second."""
    seconds = context.scale.soak_seconds
    interval = seconds / WINDOWS
    with scratch_schema(context.database_url, "soak") as schema:
        settings = journeys_settings(context.database_url, schema, CLIENTS + 1)
        with (
            build(settings, clock=SystemClock()) as system,
            separate_follower(context.database_url, schema) as follower,
        ):
            wait_until_current(system)
            loads: list[Run] = []
            load = threading.Thread(
                target=lambda: loads.append(
                    measure_journeys(system, CLIENTS, seconds, NinoSource())
                )
            )
            started = time.monotonic()
            load.start()
            samples: list[Sample] = []
            while load.is_alive():
                load.join(timeout=interval)
                samples.append(sample(system, follower.pid, started))
                latest = samples[-1]
                context.say(
                    f"   {latest.at_seconds:6.0f} s: log {latest.log_position}, views "
                    f"{latest.lag_events} behind, memory {latest.commands_mib} MiB "
                    f"(commands) {latest.follower_mib} MiB (follower)"
                )
            wait_until_current(system)
    if not loads or len(samples) < 2:
        raise RuntimeError("the soak measured nothing (see its error above)")
    first, second = halves(samples)
    lags = [s.lag_events for s in samples]
    result = Result(
        workload="soak",
        name="command_mix_with_follower",
        parameters={"clients": CLIENTS, "seconds": seconds, "windows": len(samples)},
        figures={
            "commands_per_s": round(loads[0].rate, 1),
            "events_per_s": round(samples[-1].log_position / samples[-1].at_seconds, 1),
            **latency_figures(loads[0].latencies, "command_"),
            "commands_mib_first_half_max": max(s.commands_mib for s in first),
            "commands_mib_second_half_max": max(s.commands_mib for s in second),
            "follower_mib_first_half_max": max(s.follower_mib for s in first),
            "follower_mib_second_half_max": max(s.follower_mib for s in second),
            "lag_events_p50": percentile(lags, 0.5),
            "lag_events_first_half_max": max(s.lag_events for s in first),
            "lag_events_second_half_max": max(s.lag_events for s in second),
        },
    )
    figures = result.figures
    result.figures["follower_mib_growth_second_half"] = round(
        figures["follower_mib_second_half_max"] - figures["follower_mib_first_half_max"], 1
    )
    result.figures["commands_mib_growth_second_half"] = round(
        figures["commands_mib_second_half_max"] - figures["commands_mib_first_half_max"], 1
    )
    # Flat enough: the follower is a long-lived worker; a leak shows as steady growth.
    result.aim("follower_mib_growth_second_half", "<=", 32)
    context.say(
        f"   soak {seconds:.0f} s: {figures['commands_per_s']} commands/s; follower memory "
        f"{figures['follower_mib_first_half_max']} -> {figures['follower_mib_second_half_max']}"
        f" MiB; lag max {figures['lag_events_first_half_max']} -> "
        f"{figures['lag_events_second_half_max']} events"
    )
    yield result
