"""A cache of seeded logs: seed a population once, then load its events table in seconds.

Seeding a realistic log through the real domain (`bench.population.seed_log`) runs at a few
thousand events a second, so a million-event log takes many minutes. `seeded_schema` seeds
once, saves the events table with binary COPY into `bench/results/cache/`, and afterwards
loads that file into a fresh schema whose tables the application itself created: the same
notification ids, originators, versions, topics and states, byte for byte.

A cache file is named by everything the log depends on: the number of customers, the seed,
the busy customer's length, and a fingerprint of the code that makes and reads the events
(the domain, the use cases, the transcodings, both population scripts, the library's
version). Code that would write a different log looks for a different file, so a stale log
is never loaded. `JOURNEYS_BENCH_CACHE=off` seeds every time; `JOURNEYS_BENCH_CACHE_DIR`
moves the cache.

One thing the key leaves out on purpose: the seeded history ends the day before the day it
was seeded, so an older file holds an older window. Commands made after loading are still
recorded after everything in it, which is all the benchmarks rely on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from io import BufferedIOBase
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql
from psycopg.rows import tuple_row

from adapters.bootstrap import build
from bench.harness import BenchContext, scratch_schema
from bench.population import SeededLog, seed_log
from services.clock import SystemClock
from services.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

CACHE_SWITCH = "JOURNEYS_BENCH_CACHE"
"""Set to `off` to seed every time (nothing is read from or written to the cache)."""

CACHE_DIRECTORY_VARIABLE = "JOURNEYS_BENCH_CACHE_DIR"
"""Where cache files live, when not in the default place."""

DEFAULT_CACHE_DIRECTORY = ROOT / "bench" / "results" / "cache"

FORMAT = 3
"""The layout of a cache file and its sidecar; part of the fingerprint (2: with the hashes;
3: with the customers' wrapped data keys, without which sealed personal fields do not open)."""

SOURCES: tuple[Path, ...] = (
    ROOT / "domain",
    ROOT / "services" / "journeys.py",
    ROOT / "services" / "transcodings.py",
    ROOT / "bench" / "population.py",
    ROOT / "adapters" / "demo" / "population.py",
)
"""The code a seeded log depends on (directories: every .py file under them)."""

# The hash chains (services/integrity.py) are saved and restored with the rows: a loaded
# log keeps its positions, so its chains verify as the seeded one's did.
COLUMNS = (
    "notification_id",
    "originator_id",
    "originator_version",
    "topic",
    "state",
    "aggregate_hash",
    "log_hash",
)

COMPRESS_LEVEL = 1
"""gzip's fastest level: JSON states shrink about fourfold for little CPU."""

BLOCK = 1 << 20


@dataclass(frozen=True)
class SeededSchema:
    """A scratch schema holding a seeded log, and what is in it."""

    schema: str
    events: int
    events_table: str
    customer_ids: tuple[UUID, ...]
    busy_customer: UUID
    busy_customer_events: int
    seconds: float
    from_cache: bool


class CacheUnusable(RuntimeError):
    """A cache file could not be loaded as it was saved (it is discarded and reseeded)."""


def cache_enabled() -> bool:
    """False when JOURNEYS_BENCH_CACHE is off."""
    return os.environ.get(CACHE_SWITCH, "").strip().lower() not in {"off", "0", "no", "false"}


def cache_directory() -> Path:
    """Where cache files live: JOURNEYS_BENCH_CACHE_DIR, else bench/results/cache."""
    configured = os.environ.get(CACHE_DIRECTORY_VARIABLE)
    return Path(configured) if configured else DEFAULT_CACHE_DIRECTORY


def source_files(sources: Sequence[Path]) -> list[Path]:
    """The files named by sources, directories expanded to their .py files, in a fixed order."""
    files: set[Path] = set()
    for source in sources:
        if source.is_dir():
            files.update(path for path in source.rglob("*.py") if "__pycache__" not in path.parts)
        else:
            files.add(source)
    return sorted(files)


def fingerprint(originator_id_type: str = "uuid", sources: Sequence[Path] | None = None) -> str:
    """A hash of what a seeded log depends on besides its parameters."""
    digest = hashlib.sha256()
    digest.update(f"format {FORMAT}\0eventsourcing {version('eventsourcing')}\0".encode())
    digest.update(f"originator_id {originator_id_type}\0".encode())
    for path in source_files(SOURCES if sources is None else sources):
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        digest.update(f"{name}\0".encode())
        # A missing file is part of the fingerprint too (removing a module changes the log).
        digest.update(path.read_bytes() if path.exists() else b"\0missing\0")
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    """The two files of one cached log: the events table (binary COPY, gzip) and its facts."""

    data: Path
    facts: Path

    @classmethod
    def named(
        cls, directory: Path, *, customers: int, seed: int, busy: int, fingerprint: str
    ) -> CacheEntry:
        """The entry for a log's parameters and fingerprint."""
        stem = f"log-c{customers}-s{seed}-b{busy}-{fingerprint[:20]}"
        return cls(directory / f"{stem}.copy.gz", directory / f"{stem}.json")

    def exists(self) -> bool:
        """Both files are there (the facts are renamed into place last)."""
        return self.data.exists() and self.facts.exists()

    def discard(self) -> None:
        """Remove both files."""
        self.facts.unlink(missing_ok=True)
        self.data.unlink(missing_ok=True)


def read_facts(entry: CacheEntry, fingerprint: str) -> dict[str, Any] | None:
    """The facts of a complete cache entry for this fingerprint, if there is one."""
    if not entry.exists():
        return None
    try:
        facts = json.loads(entry.facts.read_text())
    except (OSError, ValueError):
        return None  # half gone or unreadable: seeding writes it afresh
    if not isinstance(facts, dict) or facts.get("fingerprint") != fingerprint:
        return None
    return facts


def _table(schema: str, table: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))


def _columns() -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(column) for column in COLUMNS)


def _count_and_last(
    cursor: psycopg.Cursor[tuple[Any, ...]], schema: str, table: str
) -> tuple[int, int]:
    cursor.execute(
        sql.SQL("SELECT count(*), coalesce(max(notification_id), 0) FROM {}").format(
            _table(schema, table)
        )
    )
    row = cursor.fetchone()
    assert row is not None  # an aggregate query always returns a row
    return int(row[0]), int(row[1])


def save(url: str, schema: str, table: str, facts: dict[str, Any], entry: CacheEntry) -> int:
    """Write the events table and its facts into the cache entry; returns the file's size."""
    entry.data.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed into place, so a reader never sees half a file
    # and two runs saving the same log at once do not mix their bytes.
    temporary = entry.data.with_name(f"{entry.data.name}.{os.getpid()}.tmp")
    temporary_facts = entry.facts.with_name(f"{entry.facts.name}.{os.getpid()}.tmp")
    query = sql.SQL(
        "COPY (SELECT {} FROM {} ORDER BY notification_id) TO STDOUT (FORMAT BINARY)"
    ).format(_columns(), _table(schema, table))
    try:
        with (
            psycopg.connect(url) as connection,
            connection.cursor() as cursor,
            gzip.open(temporary, "wb", compresslevel=COMPRESS_LEVEL) as file,
        ):
            _copy_out(cursor, query, file)
        temporary_facts.write_text(json.dumps(facts))
        os.replace(temporary, entry.data)
        os.replace(temporary_facts, entry.facts)
    finally:
        temporary.unlink(missing_ok=True)
        temporary_facts.unlink(missing_ok=True)
    return entry.data.stat().st_size


def _export_keys(url: str, schema: str) -> list[list[str]]:
    """The customers' wrapped data keys: the cached events' sealed fields open only with them."""
    query = sql.SQL(
        "SELECT customer_id::text, encode(wrapped_key, 'base64'), created_at::text FROM {}"
        " WHERE wrapped_key IS NOT NULL ORDER BY customer_id"
    ).format(_table(schema, "customer_keys"))
    with psycopg.connect(url) as connection:
        return [list(row) for row in connection.execute(query).fetchall()]


def _import_keys(url: str, schema: str, keys: list[list[str]]) -> None:
    """Put cached wrapped keys into a fresh schema's key table (same master key)."""
    insert = sql.SQL(
        "INSERT INTO {} (customer_id, wrapped_key, created_at)"
        " VALUES (%s, decode(%s, 'base64'), %s) ON CONFLICT (customer_id) DO NOTHING"
    ).format(_table(schema, "customer_keys"))
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.executemany(insert, keys)


def _copy_out(cursor: psycopg.Cursor[Any], query: sql.Composed, file: BufferedIOBase) -> None:
    # Binary COPY arrives a row at a time: gather about a megabyte before each write.
    pending: list[bytes] = []
    size = 0
    with cursor.copy(query) as copy:
        for data in copy:
            pending.append(bytes(data))
            size += len(data)
            if size >= BLOCK:
                file.write(b"".join(pending))
                pending, size = [], 0
    file.write(b"".join(pending))


def load(
    recorder: PostgresApplicationRecorder, entry: CacheEntry, facts: dict[str, Any]
) -> tuple[int, int]:
    """Load a cached events table into the recorder's empty table: rows and the last id."""
    schema, table = recorder.datastore.schema, recorder.events_table_name
    copy_in = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        _table(schema, table), _columns()
    )
    try:
        with (
            recorder.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            # As the recorder inserts: its table lock (readers following the log never pass
            # over a position filled in later) and a NOTIFY on its channel at commit.
            for statement in recorder.lock_table_statements:
                cursor.execute(statement)
            cursor.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(recorder.channel_name)))
            with cursor.copy(copy_in) as copy, gzip.open(entry.data, "rb") as file:
                while block := file.read(BLOCK):
                    copy.write(block)
            rows, last = _count_and_last(cursor, schema, table)
            if (rows, last) != (facts["events"], facts["last_notification_id"]):
                raise CacheUnusable(
                    f"{entry.data.name} held {rows} events up to {last}, its facts say"
                    f" {facts['events']} up to {facts['last_notification_id']}"
                )
            # The rows brought their own ids; the next command must get the one after them.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                (_table(schema, table).as_string(connection), last),
            )
    except (OSError, EOFError, KeyError, zlib.error, psycopg.DataError) as error:
        raise CacheUnusable(f"{entry.data.name} could not be loaded: {error}") from error
    return rows, last


def settle(url: str, schema: str, table: str) -> None:
    """VACUUM ANALYZE the events table, so a seeded and a loaded log are read alike."""
    # Without it the first reader of freshly written rows sets their hint bits (writing every
    # page once) and plans without statistics: whichever workload reads first pays for that.
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("VACUUM (ANALYZE) {}").format(_table(schema, table)))


def _facts(
    log: SeededLog, *, fingerprint: str, table: str, rows: int, last: int, seeded_on: date
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "customers": log.customers,
        "events": rows,
        "last_notification_id": last,
        "events_table": table,
        "customer_ids": [customer.hex for customer in log.customer_ids],
        "busy_customer": log.busy_customer.hex,
        "busy_customer_events": log.busy_customer_events,
        "seeded_on": seeded_on.isoformat(),
    }


def _seed(
    context: BenchContext, application: Any, *, customers: int, seed: int, busy: int
) -> SeededLog:
    """Run the seeder, with a progress line about every ten seconds."""
    started = last_said = time.perf_counter()

    def progress(written: int) -> None:
        nonlocal last_said
        now = time.perf_counter()
        if now - last_said >= 10:
            last_said = now
            context.say(f"   seeding: {written} events ({written / (now - started):.0f}/s)")

    return seed_log(
        application,
        customers=customers,
        seed=seed,
        busy_customer_events=busy,
        progress=progress,
    )


@contextmanager
def seeded_schema(
    context: BenchContext,
    *,
    customers: int,
    label: str,
    seed: int = 1,
    busy_customer_events: int = 200,
    cache_dir: Path | None = None,
) -> Iterator[SeededSchema]:
    """A scratch schema holding a seeded log of `customers` customers (dropped afterwards)."""
    url = context.database_url
    use_cache = cache_enabled()
    directory = cache_dir or cache_directory()
    started = time.perf_counter()
    with scratch_schema(url, label) as schema:
        settings = Settings(database_url=url, postgres_schema=schema)
        # build() creates every table the system uses, the events table among them.
        with build(settings, clock=SystemClock()) as system:
            recorder = system.application.recorder
            if not isinstance(recorder, PostgresApplicationRecorder):  # pragma: no cover
                raise TypeError("seeded_schema needs the PostgreSQL event store")
            table = recorder.events_table_name
            key = fingerprint(recorder.datastore.originator_id_type)
            entry = CacheEntry.named(
                directory,
                customers=customers,
                seed=seed,
                busy=busy_customer_events,
                fingerprint=key,
            )
            facts = read_facts(entry, key) if use_cache else None
            if facts is not None:
                context.say(f"   loading {customers} customers' log from {entry.data}")
                try:
                    load(recorder, entry, facts)
                    _import_keys(url, schema, facts["customer_keys"])
                except CacheUnusable as error:
                    context.say(f"   cache unusable ({error}); seeding again")
                    entry.discard()
                    facts = None
            from_cache = facts is not None
            if facts is None:
                context.say(f"   seeding {customers} customers (seed {seed}) into {schema}")
                seeding = time.perf_counter()
                log = _seed(
                    context,
                    system.application,
                    customers=customers,
                    seed=seed,
                    busy=busy_customer_events,
                )
                seed_seconds = time.perf_counter() - seeding
                with psycopg.connect(url) as connection, connection.cursor() as cursor:
                    rows, last = _count_and_last(cursor, schema, table)
                context.say(
                    f"   seeded {rows} events in {seed_seconds:.1f} s"
                    f" ({rows / seed_seconds:.0f} events/s)"
                )
                facts = _facts(
                    log,
                    fingerprint=key,
                    table=table,
                    rows=rows,
                    last=last,
                    seeded_on=system.clock.today(),
                )
                facts["seed_seconds"] = round(seed_seconds, 2)
                facts["customer_keys"] = _export_keys(url, schema)
                # The code may have changed while it ran; then which code wrote the log is
                # unclear, and it is not kept.
                if use_cache and fingerprint(recorder.datastore.originator_id_type) == key:
                    saving = time.perf_counter()
                    size = save(url, schema, table, facts, entry)
                    context.say(
                        f"   cached {rows} events in {time.perf_counter() - saving:.1f} s:"
                        f" {entry.data} ({size / 2**20:.1f} MiB)"
                    )
                elif use_cache:
                    context.say("   the code changed while seeding: this log is not cached")
        settle(url, schema, table)
        seconds = time.perf_counter() - started
        if from_cache:
            context.say(
                f"   loaded {facts['events']} events in {seconds:.1f} s"
                f" ({facts['events'] / seconds:.0f} events/s)"
            )
        yield SeededSchema(
            schema=schema,
            events=int(facts["events"]),
            events_table=table,
            customer_ids=tuple(UUID(hex=customer) for customer in facts["customer_ids"]),
            busy_customer=UUID(hex=facts["busy_customer"]),
            busy_customer_events=int(facts["busy_customer_events"]),
            seconds=seconds,
            from_cache=from_cache,
        )
