"""The benchmark command line: `journeys-bench [--quick] [--only NAME]` or `python -m bench`."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, cast

import typer

from bench.harness import FULL, QUICK, BenchContext, Result, ResultWriter, database_url

# Each workload module has run(context) -> Iterator[Result]; imported only when it runs.
WORKLOADS = ("commands", "freshness", "rebuild", "reads", "bulk")
# Run only when named (--only soak): ten minutes of load is a separate, deliberate run.
OPT_IN = ("soak",)

RESULTS_FILE = Path("bench/results/latest.jsonl")

Workload = Callable[[BenchContext], Iterator[Result]]


def workload(name: str) -> Workload:
    """The run() of a workload module."""
    module = importlib.import_module(f"bench.workloads.{name}")
    return cast(Workload, module.run)


def bench(
    quick: Annotated[
        bool, typer.Option("--quick", help="Small sizes: a smoke check, not figures.")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help="Run only this workload (repeatable): " + ", ".join((*WORKLOADS, *OPT_IN)),
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", help="Where all results are written.")
    ] = RESULTS_FILE,
    database: Annotated[
        str,
        typer.Option(
            "--database-url", help="PostgreSQL to measure (default: JOURNEYS_BENCH_DATABASE_URL)."
        ),
    ] = "",
) -> None:
    """Run the benchmarks; print one JSON object per line and write them to a results file."""
    only = only or []
    unknown = [name for name in only if name not in (*WORKLOADS, *OPT_IN)]
    if unknown:
        raise typer.BadParameter(
            f"unknown workload {', '.join(unknown)} (known: {', '.join((*WORKLOADS, *OPT_IN))})",
            param_hint="--only",
        )
    context = BenchContext(database_url=database or database_url(), scale=QUICK if quick else FULL)
    writer = ResultWriter(output)
    started = time.monotonic()
    with context.resources:
        for name in only or WORKLOADS:
            context.say(f"== {name} ({context.scale.name})")
            for result in workload(name)(context):
                writer.write(result)
    missed = [
        f"{result.workload}/{result.name}: {target.figure} {target.op} {target.threshold}"
        f" (measured {target.value})"
        for result in writer.results
        for target in result.targets
        if not target.met
    ]
    context.say(f"== done in {time.monotonic() - started:.1f} s; results in {output}")
    for line in missed:
        context.say(f"   target missed: {line}")


def main() -> None:
    """Entry point of `journeys-bench` and `python -m bench`."""
    typer.run(bench)
