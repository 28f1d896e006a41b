"""Workload 3, reads: a busy customer's timeline and self-service views through the HTTP API.

The real API runs as a subprocess (`journeys serve --no-projections`) over a seeded log with
its views brought up to date; 8 clients in this process (keep-alive http.client connections,
one thread each) read for a fixed time. The baseline reads the same rows with one plain SQL
query per read over psycopg, 8 clients the same way, in the same run. Afterwards the API's
peak resident memory is reported as the `memory` workload.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from adapters.bootstrap import build
from adapters.http.app import token_issuer
from adapters.http.auth import Role
from bench.harness import BenchContext, Result, latency_figures, ratio
from bench.shared_log import shared_log
from services.settings import Settings

CLIENTS = 8
BUSY_CUSTOMER_EVENTS = 200
MAX_PAGE = 500  # the API's largest timeline page
WORKERS = int(os.environ.get("JOURNEYS_BENCH_API_WORKERS", "1"))
# Customer tokens are minted for a random sample; the sample is large enough that the
# self-service reads spread over many rows, and small enough to mint in a moment.
SELF_SERVICE_SAMPLE = 5_000
RANDOM_SEED = 3

# One request or query; raises if the answer is not the expected one.
Read = Callable[[], None]


@dataclass(frozen=True)
class Load:
    """What a fixed-time load measured: every latency (seconds) and the time it ran."""

    latencies: list[float]
    seconds: float
    reads: int
    """Every read, the warm-up's too."""
    server_cpu_seconds: float | None = None
    """CPU time the API process used meanwhile (warm-up included), when it was measured."""

    @property
    def per_second(self) -> float:
        """Completed reads per second over all clients."""
        return round(len(self.latencies) / self.seconds, 1) if self.seconds else 0.0


def run(context: BenchContext) -> Iterator[Result]:
    """Measure the timeline and self-service reads against plain SQL, then the API's memory."""
    scale = context.scale
    log = shared_log(context)
    seeded = log.seeded
    schema = seeded.schema
    settings = Settings(database_url=context.database_url, postgres_schema=schema)
    with build(settings) as system:
        if not log.views_built:
            context.say("   bringing the views up to date ...")
            started = time.monotonic()
            system.projections.catch_up(
                progress=_now_and_then(
                    context, lambda position, last: f"views at position {position} of {last}"
                )
            )
            log.views_built = True
            context.say(f"   views up to date in {time.monotonic() - started:.1f} s")
        issuer = token_issuer(system)
        caseworker = issuer.mint(Role.CASEWORKER, "BENCH-READS")
        sample = random.Random(RANDOM_SEED).sample(
            list(seeded.customer_ids), min(SELF_SERVICE_SAMPLE, len(seeded.customer_ids))
        )
        customer_tokens = [(c, issuer.mint(Role.CUSTOMER, str(c), c)) for c in sample]
    busy = seeded.busy_customer
    # The seeder stops at the first journey step past the target, so the busy customer
    # may have a few more than 200 entries: read them all in one page.
    page_size = min(seeded.busy_customer_events, MAX_PAGE)
    parameters: dict[str, Any] = {
        "customers": len(seeded.customer_ids),
        "events": seeded.events,
        "clients": CLIENTS,
        "seconds": scale.read_seconds,
        "scale": scale.name,
        "api_workers": WORKERS,
    }

    with _api_server(settings, context) as server:
        timeline_path = f"/customers/{busy}/timeline?limit={page_size}"
        _check_timeline(server, timeline_path, caseworker, seeded.busy_customer_events)
        context.say("   API: timeline ...")
        api_timeline = server.measure(
            lambda: _drive(
                lambda: _http_reader(server.port, lambda: (timeline_path, caseworker)),
                scale.read_seconds,
            )
        )
        context.say("   API: self-service ...")
        api_self_service = server.measure(
            lambda: _drive(
                lambda: _http_reader(server.port, _self_service_requests(customer_tokens)),
                scale.read_seconds,
            )
        )
        memory = server.memory()

    conninfo = context.database_url
    context.say("   SQL: timeline ...")
    sql_timeline = _drive(
        lambda: _sql_reader(conninfo, _timeline_query(schema, page_size), lambda: (str(busy),)),
        scale.read_seconds,
    )
    context.say("   SQL: self-service ...")
    sql_self_service = _drive(
        lambda: _sql_reader(conninfo, _self_service_query(schema), _sql_customers(sample)),
        scale.read_seconds,
    )

    yield _result(
        "timeline",
        {
            **parameters,
            "busy_customer_events": seeded.busy_customer_events,
            "page_size": page_size,
            "token": "caseworker",
        },
        api_timeline,
        sql_timeline,
    )
    yield _result(
        "self_service",
        {**parameters, "customers_read": len(sample), "token": "the customer's own"},
        api_self_service,
        sql_self_service,
    )
    yield Result(
        workload="memory",
        name="api",
        parameters={"after": "reads", **parameters},
        figures=memory,
    )


def _now_and_then(context: BenchContext, line: Callable[..., str]) -> Callable[..., None]:
    """A progress callback that says how far it got at most every 30 seconds."""
    last = time.monotonic()

    def progress(*args: int) -> None:
        nonlocal last
        if time.monotonic() - last >= 30:
            last = time.monotonic()
            context.say(f"   ... {line(*args)}")

    return progress


def _result(name: str, parameters: dict[str, Any], api: Load, baseline: Load) -> Result:
    api_figures = latency_figures(api.latencies)
    sql_figures = latency_figures(baseline.latencies, "sql_")
    figures = {"requests_per_second": api.per_second, **api_figures}
    if api.server_cpu_seconds is not None:
        # Less noisy than latency on a shared machine: what one request costs the API.
        figures["api_cpu_ms_per_request"] = round(
            api.server_cpu_seconds * 1000 / max(api.reads, 1), 3
        )
    result = Result(
        workload="reads",
        name=name,
        parameters=parameters,
        figures=figures,
        baselines={"sql_queries_per_second": baseline.per_second, **sql_figures},
        ratios={
            "p50_vs_sql": ratio(api_figures["p50_ms"], sql_figures["sql_p50_ms"]),
            "p99_vs_sql": ratio(api_figures["p99_ms"], sql_figures["sql_p99_ms"]),
            "throughput_vs_sql": ratio(api.per_second, baseline.per_second),
        },
    )
    result.aim("p99_vs_sql", "<=", 3)
    return result


# -- load --------------------------------------------------------------------------------------


def _drive(make_reader: Callable[[], Read], seconds: float) -> Load:
    """CLIENTS threads, each with its own connection, reading until the time is up.

    The first fifth of the time (at most a second) warms up connections, prepared
    statements and caches; its reads are not counted.
    """
    warm_up = min(1.0, seconds / 5)
    barrier = threading.Barrier(CLIENTS + 1)
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    reads = [0] * CLIENTS
    failures: list[BaseException] = []
    window: list[float] = []

    def client(number: int) -> None:
        samples = latencies[number]
        try:
            read = make_reader()
        except BaseException as error:
            failures.append(error)
            barrier.abort()
            return
        try:
            barrier.wait()
            start, stop = window
            clock = time.perf_counter
            while (before := clock()) < stop:
                read()
                reads[number] += 1
                if before >= start:
                    samples.append(clock() - before)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    window[:] = [now + warm_up, now + warm_up + seconds]
    with suppress(threading.BrokenBarrierError):  # a client failed to connect: reported below
        barrier.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"a read failed: {failures[0]!r}") from failures[0]
    return Load([s for samples in latencies for s in samples], seconds, sum(reads))


def _headers(token: str) -> dict[str, str]:
    """The bearer token, and the purpose staff must state (each staff read is a disclosure)."""
    return {"Authorization": f"Bearer {token}", "X-Access-Purpose": "benchmark read"}


def _http_reader(port: int, next_request: Callable[[], tuple[str, str]]) -> Read:
    """A keep-alive connection that GETs paths with bearer tokens; bodies are read, not parsed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def read() -> None:
        path, token = next_request()
        connection.request("GET", path, headers=_headers(token))
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")

    return read


def _self_service_requests(tokens: Sequence[tuple[UUID, str]]) -> Callable[[], tuple[str, str]]:
    """Each call: a random customer's self-service path and their own token."""
    choose = random.Random().choice

    def next_request() -> tuple[str, str]:
        customer_id, token = choose(tokens)
        return f"/customers/{customer_id}/self-service", token

    return next_request


def _sql_reader(
    conninfo: str, query: sql.Composed, next_params: Callable[[], tuple[str, ...]]
) -> Read:
    """A connection of its own that runs one query and fetches every row."""
    connection = psycopg.connect(conninfo, autocommit=True)

    def read() -> None:
        rows = connection.execute(query, next_params()).fetchall()
        if not rows:
            raise RuntimeError("the baseline query found no rows")

    return read


def _timeline_query(schema: str, page_size: int) -> sql.Composed:
    # The rows the API serves for the busy customer: every entry, in log order.
    return sql.SQL(
        "SELECT entry FROM {}.view_timeline WHERE customer_id = %s ORDER BY position LIMIT {}"
    ).format(sql.Identifier(schema), sql.Literal(page_size))


def _self_service_query(schema: str) -> sql.Composed:
    return sql.SQL("SELECT document FROM {}.view_self_service WHERE customer_id = %s").format(
        sql.Identifier(schema)
    )


def _sql_customers(customer_ids: Sequence[UUID]) -> Callable[[], tuple[str, ...]]:
    choose = random.Random().choice
    texts = [str(c) for c in customer_ids]
    return lambda: (choose(texts),)


# -- the API server ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """The API subprocess: where it listens and its process id."""

    port: int
    pid: int

    def processes(self) -> list[int]:
        """The server and its worker processes (when it has any)."""
        found, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            with suppress(OSError):
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
                pending.extend(int(child) for child in children.split())
        return found

    def cpu_seconds(self) -> float:
        """User and system CPU time the server's processes have used so far."""
        ticks = 0
        for pid in self.processes():
            with suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def measure(self, drive: Callable[[], Load]) -> Load:
        """A load, with the CPU time the API spent on it."""
        before = self.cpu_seconds()
        load = drive()
        return replace(load, server_cpu_seconds=self.cpu_seconds() - before)

    def memory(self) -> dict[str, float]:
        """Peak and current resident memory in MiB (from /proc), summed over the processes."""
        kib = {"VmHWM": 0, "VmRSS": 0}
        processes = self.processes()
        for pid in processes:
            status = Path(f"/proc/{pid}/status").read_text()
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            for name in kib:
                kib[name] += int(fields[name].split()[0])
        return {
            "peak_resident_mib": round(kib["VmHWM"] / 1024, 1),
            "resident_mib": round(kib["VmRSS"] / 1024, 1),
            "processes": len(processes),
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve_command() -> list[str]:
    """The installed `journeys` script beside this interpreter, else the same entry point."""
    script = Path(sys.executable).with_name("journeys")
    if script.exists():
        return [str(script)]
    found = shutil.which("journeys")
    if found:
        return [found]
    return [sys.executable, "-c", "from adapters.cli.main import run; run()"]


@contextmanager
def _api_server(settings: Settings, context: BenchContext) -> Iterator[Server]:
    """`journeys serve` without background projections on a free port, until /health answers."""
    port = _free_port()
    environment = {
        **os.environ,
        "JOURNEYS_DATABASE_URL": settings.database_url or "",
        "JOURNEYS_POSTGRES_SCHEMA": settings.postgres_schema,
    }
    command = [
        *_serve_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-projections",
        "--workers",
        str(WORKERS),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        log_path = Path(scratch) / "api.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait_for_health(port, process, log_path)
            context.say(f"   API up on port {port} (pid {process.pid})")
            yield Server(port=port, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_health(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the API exited with {process.returncode}:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the API did not answer /health within 60 s:\n{log.read_text()}")


def _check_timeline(server: Server, path: str, token: str, expected: int) -> None:
    """Once, before timing: the page holds every entry of the busy customer."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path, headers=_headers(token))
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:500]!r}")
    page = json.loads(body)
    if len(page["entries"]) != min(expected, MAX_PAGE) or page["total"] != expected:
        raise RuntimeError(
            f"the busy customer's timeline has {page['total']} entries"
            f" ({len(page['entries'])} on the page), not {expected}"
        )
