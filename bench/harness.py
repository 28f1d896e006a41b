"""What every workload shares: scales, results as JSON lines, latency figures, scratch schemas."""

from __future__ import annotations

import json
import math
import os
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psycopg
from psycopg import sql

from adapters.bootstrap import event_store_environment
from services.settings import Settings

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


def database_url() -> str:
    """The PostgreSQL server to measure against (JOURNEYS_BENCH_DATABASE_URL, DATABASE_URL)."""
    return (
        os.environ.get("JOURNEYS_BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_DATABASE_URL
    )


@dataclass(frozen=True)
class Scale:
    """How big each workload is: `quick` is a smoke check, `full` is for measurement."""

    name: str
    command_seconds: float
    client_counts: tuple[int, ...]
    rebuild_events: int
    read_customers: int
    read_seconds: float
    freshness_seconds: float
    uprated_awards: int
    soak_seconds: float


# Quick runs every workload end to end in about half a minute (the test suite's smoke check);
# its figures are too small to compare with anything.
QUICK = Scale(
    name="quick",
    command_seconds=1.0,
    client_counts=(1, 8, 32),
    rebuild_events=4_000,
    read_customers=500,
    read_seconds=1.0,
    freshness_seconds=1.5,
    uprated_awards=1_500,
    soak_seconds=30.0,
)
FULL = Scale(
    name="full",
    command_seconds=10.0,
    client_counts=(1, 8, 32),
    rebuild_events=1_000_000,
    read_customers=100_000,
    read_seconds=10.0,
    freshness_seconds=10.0,
    uprated_awards=100_000,
    soak_seconds=600.0,
)


@dataclass(frozen=True)
class Target:
    """A goal for one figure: `value op threshold`, e.g. ratio_vs_library >= 4."""

    figure: str
    op: str
    threshold: float
    value: float

    @property
    def met(self) -> bool:
        """Whether the measured value meets the goal."""
        return self.value >= self.threshold if self.op == ">=" else self.value <= self.threshold


@dataclass
class Result:
    """One measurement: what ran, its figures, the baselines measured beside it, the ratios."""

    workload: str
    name: str
    parameters: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    baselines: dict[str, float] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)

    def aim(self, figure: str, op: str, threshold: float) -> None:
        """Add a goal for a figure, ratio or baseline already in this result."""
        value = {**self.baselines, **self.figures, **self.ratios}[figure]
        self.targets.append(Target(figure, op, threshold, value))

    def as_json(self) -> str:
        """One line of JSON."""
        document = asdict(self)
        document["targets"] = [{**asdict(target), "met": target.met} for target in self.targets]
        return json.dumps(document, sort_keys=False)


class ResultWriter:
    """Prints each result as a JSON line and keeps them all in a results file."""

    def __init__(self, path: Path, stream: TextIO = sys.stdout) -> None:
        self.path = path
        self.stream = stream
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        self.results: list[Result] = []

    def write(self, result: Result) -> None:
        """Print and keep one result."""
        line = result.as_json()
        print(line, file=self.stream, flush=True)
        with self.path.open("a") as file:
            file.write(line + "\n")
        self.results.append(result)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of samples (0 for none)."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_figures(seconds: Sequence[float], prefix: str = "") -> dict[str, float]:
    """p50 and p99 of latencies, in milliseconds."""
    return {
        f"{prefix}p50_ms": round(percentile(seconds, 0.50) * 1000, 3),
        f"{prefix}p99_ms": round(percentile(seconds, 0.99) * 1000, 3),
    }


def ratio(ours: float, theirs: float) -> float:
    """ours / theirs, rounded (0 when the baseline measured nothing)."""
    return round(ours / theirs, 3) if theirs else 0.0


@contextmanager
def scratch_schema(url: str, label: str) -> Iterator[str]:
    """A PostgreSQL schema that lives for one workload and is dropped afterwards."""
    schema = f"journeys_bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield schema
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            )


@dataclass(frozen=True)
class BenchContext:
    """What a workload is given: the server, the scale, and where progress goes."""

    database_url: str
    scale: Scale
    progress: TextIO = sys.stderr
    resources: ExitStack = field(default_factory=ExitStack)
    """What workloads share for the whole run (the large log), released when the run ends."""
    shared: dict[str, Any] = field(default_factory=dict)

    def say(self, message: str) -> None:
        """A progress line on stderr (stdout carries only JSON)."""
        print(message, file=self.progress, flush=True)


def library_environment(url: str, schema: str) -> dict[str, str]:
    """The eventsourcing settings for a plain library application on a schema (its own recorder)."""
    environment = event_store_environment(Settings(database_url=url, postgres_schema=schema))
    environment.pop("APPLICATION_RECORDER_TOPIC", None)
    return environment


def journeys_command(*arguments: str) -> list[str]:
    """The installed `journeys` command with arguments (beside this Python)."""
    return [str(Path(sys.executable).with_name("journeys")), *arguments]


def journeys_environment(url: str, schema: str, **settings: str) -> dict[str, str]:
    """The environment that points a `journeys` process at a workload's schema."""
    return {
        **os.environ,
        "JOURNEYS_DATABASE_URL": url,
        "JOURNEYS_POSTGRES_SCHEMA": schema,
        **{f"JOURNEYS_{name.upper()}": value for name, value in settings.items()},
    }


def peak_resident_mib(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MiB."""
    return _memory_mib(pid, "VmHWM")


def resident_mib(pid: int) -> float:
    """A live process's resident memory now (VmRSS), in MiB."""
    return _memory_mib(pid, "VmRSS")


def _memory_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise ValueError(f"no {field} for process {pid}")
