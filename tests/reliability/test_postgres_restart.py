"""PostgreSQL restarts under load: commands succeed or fail retryably, never half-applied.

The shared test server must not be restarted, so these tests start a private PostgreSQL
(initdb and pg_ctl, run as the unprivileged postgres user) on a free loopback port, and
restart or stop that one while the same built system, or the HTTP API over it, keeps
serving. Durations are printed for the record, never asserted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from uuid import UUID

import httpx
import psycopg
import pytest
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys, build
from adapters.event_store.integrity import chained_log
from adapters.http.app import create_app
from domain.values import BenefitType, ClaimantRole, ClaimChannel
from services.clock import SimulatedClock
from services.errors import ConcurrentUpdate, CustomerNotFound
from services.integrity import verify_log
from services.settings import Settings
from tests.api.helpers import Tokens, register
from tests.integration.helpers import new_nino
from tests.kafka.conftest import LOOPBACK, free_port
from tests.reliability.helpers import gapped_histories, register_until_it_works

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SERVER_USER = "postgres"
SCHEMA = "journeys_restart"
WRITERS = 4
RESTARTS = 2
PAUSE_BETWEEN_RESTARTS_SECONDS = 1.0
COMMANDS_AFTER_RESTARTS = 3
# Give-up limits only: reaching one fails the test; they are not performance targets.
PG_CTL_TIMEOUT_SECONDS = 60
WRITERS_GIVE_UP_SECONDS = 90.0
VIEWS_GIVE_UP_SECONDS = 30.0
API_GIVE_UP_SECONDS = 60.0
# How long a command waits for a connection to the stopped server before its retryable error.
OUTAGE_WAIT_SECONDS = 2

# What the HTTP API answers as retryable (adapters/http/errors.py): a lost database
# connection (503) and a command that kept meeting conflicts (409).
RETRYABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    ConcurrentUpdate,
)


def as_server_user() -> list[str]:
    """The prefix that runs initdb and pg_ctl as an unprivileged user when we are root."""
    # PostgreSQL refuses to run as root; as anyone else it runs as that user.
    return ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []


@dataclass(frozen=True)
class PrivatePostgres:
    """A PostgreSQL server of the test's own, which it may stop and restart at will."""

    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        """The server's log (pg_ctl -l)."""
        return self.root / "server.log"

    @property
    def url(self) -> str:
        """Where the system reaches it: trust auth, loopback only."""
        return f"postgresql://{SERVER_USER}@{LOOPBACK}:{self.port}/postgres"

    def log(self) -> str:
        """The server's log so far (for failure messages)."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(no server log: {error})"

    def run(self, *command: str) -> None:
        """Run initdb or pg_ctl as the server's user; fail the test, with the log, if it fails."""
        done = subprocess.run(
            [*as_server_user(), *command],
            capture_output=True,
            text=True,
            timeout=PG_CTL_TIMEOUT_SECONDS + 30,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(
                f"{' '.join(command)} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
                f"\n--- server log ---\n{self.log()}"
            )

    def pg_ctl(self, action: str, *options: str) -> None:
        """pg_ctl start, stop or restart, waiting until it is done."""
        self.run(
            "pg_ctl",
            action,
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_path),
            "-w",
            "-t",
            str(PG_CTL_TIMEOUT_SECONDS),
            *options,
        )

    def started_at(self) -> datetime:
        """When the postmaster last started: it changes with every restart."""
        with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as connection:
            row = connection.execute("SELECT pg_postmaster_start_time()").fetchone()
        assert row is not None  # a one-row SELECT
        started: datetime = row[0]
        return started


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh PostgreSQL cluster on a free loopback port, stopped and removed afterwards."""
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.skip("initdb is not installed: no private PostgreSQL to restart")
    # Under /tmp, not tmp_path: pytest's base directory is private to root, and the
    # server's user must reach its data directory.
    root = Path(tempfile.mkdtemp(prefix="journeys-pg-"))
    if as_server_user():
        shutil.chown(root, user=SERVER_USER)
    server = PrivatePostgres(root=root, port=free_port())
    try:
        server.run(
            initdb,
            *("-D", str(server.data_dir), "-A", "trust", "-U", SERVER_USER),
            *("-E", "UTF8", "--locale=C", "--no-sync"),
        )
        with (server.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{LOOPBACK}'\n"
                f"port = {server.port}\n"
                # A socket inside the data directory: no clash with the shared server's.
                f"unix_socket_directories = '{server.data_dir}'\n"
                # A restart shuts down cleanly (a checkpoint), so nothing is lost without
                # flushes to disk; skipping them keeps the test quick.
                "fsync = off\n"
            )
        server.pg_ctl("start")
        yield server
    finally:
        # Immediate: nothing of this cluster is worth a checkpoint, and it is removed next.
        subprocess.run(
            [
                *as_server_user(),
                *("pg_ctl", "stop"),
                *("-D", str(server.data_dir), "-m", "immediate", "-w"),
            ],
            capture_output=True,
            timeout=PG_CTL_TIMEOUT_SECONDS,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def restartable_journeys(
    private_postgres: PrivatePostgres, tmp_path: Path, clock: SimulatedClock
) -> Iterator[Journeys]:
    """The whole system on the private server, built once for the whole test."""
    settings = Settings(
        database_url=private_postgres.url,
        postgres_schema=SCHEMA,
        contact_spool_dir=tmp_path / "outbox",
        # A command meeting a stopped server gives up after this (10 s by default).
        postgres_connect_timeout_seconds=OUTAGE_WAIT_SECONDS,
    )
    system = build(settings, clock=clock)
    try:
        yield system
    finally:
        system.close()


def described(error: BaseException) -> str:
    """module.Type: message, the form in which error kinds are counted."""
    return f"{type(error).__module__}.{type(error).__name__}: {error}"


@dataclass
class Outcomes:
    """What the writers were told, command by command, and how long each answer took."""

    registered: dict[str, UUID] = field(default_factory=dict)
    claims: dict[UUID, UUID] = field(default_factory=dict)
    failed_registrations: dict[str, BaseException] = field(default_factory=dict)
    failed_claims: dict[UUID, BaseException] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def errors(self) -> list[BaseException]:
        """Every failure, of registrations and of claims."""
        return [*self.failed_registrations.values(), *self.failed_claims.values()]


def write_until(
    journeys: Journeys, outcomes: Outcomes, restarts_done: threading.Event, writer: int
) -> None:
    """Register customers and start a claim for each until a few commands after the restarts."""
    app = journeys.application
    given_up_at = time.monotonic() + WRITERS_GIVE_UP_SECONDS
    after_restarts = 0
    while after_restarts < COMMANDS_AFTER_RESTARTS and time.monotonic() < given_up_at:
        if restarts_done.is_set():
            after_restarts += 1
        nino = new_nino()
        began = time.monotonic()
        try:
            customer_id = app.register_customer(
                nino=nino, name=f"Writer {writer}", date_of_birth=date(1985, 3, 14)
            ).id
        except Exception as error:  # the outcome under test
            with outcomes.lock:
                outcomes.failed_registrations[nino] = error
                outcomes.seconds.append(time.monotonic() - began)
            continue
        with outcomes.lock:
            outcomes.registered[nino] = customer_id
            outcomes.seconds.append(time.monotonic() - began)
        # A second kind of command, which stores two aggregates in one transaction.
        began = time.monotonic()
        try:
            claim_id = app.start_claim(
                customer_id=customer_id,
                benefit=BenefitType.UC,
                channel=ClaimChannel.PHONE,
                claimant_role=ClaimantRole.CUSTOMER,
                claim_date=journeys.clock.today(),
            ).id
        except Exception as error:  # the outcome under test
            with outcomes.lock:
                outcomes.failed_claims[customer_id] = error
                outcomes.seconds.append(time.monotonic() - began)
        else:
            with outcomes.lock:
                outcomes.claims[customer_id] = claim_id
                outcomes.seconds.append(time.monotonic() - began)


def test_commands_across_postgres_restarts_are_whole_or_retryable_and_the_system_reconnects(
    private_postgres: PrivatePostgres, restartable_journeys: Journeys, clock: SimulatedClock
) -> None:
    journeys = restartable_journeys
    app = journeys.application
    # The views follow the log all along: they too must find the server again on their own.
    journeys.projections.start()
    outcomes = Outcomes()
    restarts_done = threading.Event()
    start_times = [private_postgres.started_at()]
    restart_seconds: list[float] = []

    def restart() -> None:
        try:
            for _ in range(RESTARTS):
                time.sleep(PAUSE_BETWEEN_RESTARTS_SECONDS)
                began = time.monotonic()
                private_postgres.pg_ctl("restart", "-m", "fast")
                restart_seconds.append(time.monotonic() - began)
                start_times.append(private_postgres.started_at())
        finally:
            restarts_done.set()

    writers = [
        threading.Thread(target=write_until, args=(journeys, outcomes, restarts_done, n))
        for n in range(WRITERS)
    ]
    restarter = threading.Thread(target=restart)
    for thread in [*writers, restarter]:
        thread.start()
    for thread in [restarter, *writers]:
        thread.join(timeout=WRITERS_GIVE_UP_SECONDS + 10)
    assert not any(thread.is_alive() for thread in [restarter, *writers]), "a thread hung"

    # The same object serves new commands without being rebuilt.
    after_id, reconnect_seconds, errors_after = register_until_it_works(journeys)

    errors = outcomes.errors()
    error_kinds = Counter(described(error).split(":", 1)[0] for error in errors)
    slowest = sorted(outcomes.seconds)[-3:]
    print(
        f"\nrestarts: {len(restart_seconds)}, pg_ctl restart took"
        f" {', '.join(f'{s:.2f}s' for s in restart_seconds)}"
        f"\nregistrations ok: {len(outcomes.registered)},"
        f" failed: {len(outcomes.failed_registrations)};"
        f" claims ok: {len(outcomes.claims)}, failed: {len(outcomes.failed_claims)}"
        f"\nerror kinds: {dict(error_kinds)}"
        f"\nerrors: {sorted({described(error) for error in errors})}"
        f"\nslowest answers: {', '.join(f'{s:.2f}s' for s in slowest)};"
        f" answers over 1s: {sum(s > 1 for s in outcomes.seconds)} of {len(outcomes.seconds)}"
        f"\nfirst command afterwards took {reconnect_seconds:.3f}s, errors first: {errors_after}"
    )
    # The restarts really happened: a new postmaster each time.
    assert len(set(start_times)) == RESTARTS + 1, start_times
    # A failure is one the client is told it may retry, never something that looks final.
    assert [described(e) for e in errors if not isinstance(e, RETRYABLE)] == []

    # A second reader with no cache of recent events: what it loads is what the server stored.
    reader = build(journeys.settings.model_copy(update={"aggregate_cache_size": 0}), clock=clock)
    try:
        for nino, customer_id in outcomes.registered.items():
            assert reader.application.customer(customer_id).nino == nino
        registrations_stored_anyway = 0
        for nino in outcomes.failed_registrations:
            try:
                customer = reader.application.customer_by_nino(nino)
            except CustomerNotFound:
                continue  # not stored at all: a correct outcome
            # Committed before the answer was lost: also correct, if stored whole.
            assert customer.nino == nino
            registrations_stored_anyway += 1
        # A claim and the customer's link to it are stored together or not at all, and no
        # command is applied twice (one claim per customer was asked for).
        claims_stored_anyway = 0
        for customer_id in outcomes.registered.values():
            customer = reader.application.customer(customer_id)
            assert len(customer.claims) <= 1, (customer_id, customer.claims)
            for claim_id in customer.claims:
                assert reader.application.claim(claim_id).customer_id == customer_id
            if customer_id in outcomes.claims:
                assert list(customer.claims) == [outcomes.claims[customer_id]]
            elif customer.claims:
                claims_stored_anyway += 1
        assert reader.application.customer(after_id).name == "After"
    finally:
        reader.close()
    print(
        f"failed commands stored whole anyway: {registrations_stored_anyway} registrations,"
        f" {claims_stored_anyway} claims"
    )

    # No aggregate has a partial or gapped history, and the hash chain is unbroken.
    assert gapped_histories(private_postgres.url, SCHEMA) == []
    log = chained_log(app.recorder)
    report = verify_log(log)
    assert report.intact, report

    # The views, following all along, catch up without being restarted.
    began = time.monotonic()
    caught_up = journeys.projections.wait_for(log.last_position(), timeout=VIEWS_GIVE_UP_SECONDS)
    assert caught_up, journeys.projections.status()
    print(f"views caught up with the log {time.monotonic() - began:.3f}s after the check")


def test_the_api_answers_a_retryable_503_while_postgres_is_down_and_serves_again_after(
    private_postgres: PrivatePostgres, restartable_journeys: Journeys
) -> None:
    journeys = restartable_journeys
    tokens = Tokens(journeys)
    change = {"effective_date": "2026-01-05", "description": "Moved"}
    with TestClient(create_app(journeys)) as api:
        customer_id = register(api, tokens)
        path = f"/customers/{customer_id}/changes"

        private_postgres.pg_ctl("stop", "-m", "fast")
        began = time.monotonic()
        during = api.post(path, json=change, headers=tokens.customer(customer_id))
        outage_answer_seconds = time.monotonic() - began

        assert during.status_code == 503, during.text
        assert during.json()["retryable"] is True
        assert "retry" in during.json()["detail"]
        retry_after = float(during.headers["Retry-After"])

        # Back again; the API keeps running, and a client that honours Retry-After gets in.
        private_postgres.pg_ctl("start")
        back_at = time.monotonic()
        answers: list[httpx.Response] = []
        while True:
            answers.append(api.post(path, json=change, headers=tokens.customer(customer_id)))
            if answers[-1].status_code != 503 or time.monotonic() - back_at > API_GIVE_UP_SECONDS:
                break
            time.sleep(float(answers[-1].headers["Retry-After"]))
        recovery_seconds = time.monotonic() - back_at

        print(
            f"\nthe 503 during the outage took {outage_answer_seconds:.2f}s"
            f" (Retry-After: {retry_after:g}); after the start the API needed"
            f" {len(answers)} attempt(s), {recovery_seconds:.2f}s:"
            f" {[answer.status_code for answer in answers]}"
        )
        assert answers[-1].status_code == 201, answers[-1].text
        assert all(answer.status_code == 503 for answer in answers[:-1]), answers
        assert all(answer.json()["retryable"] is True for answer in answers[:-1])

        # The command refused during the outage stored nothing; the accepted one is stored
        # once (the server was down, so no answer can have been lost after a commit).
        customer = journeys.application.customer(customer_id)
        assert [description for _, description in customer.circumstances] == ["Moved"]
    assert gapped_histories(private_postgres.url, SCHEMA) == []
    report = verify_log(chained_log(journeys.application.recorder))
    assert report.intact, report


def test_the_first_command_after_a_restart_succeeds_though_every_pooled_connection_died(
    private_postgres: PrivatePostgres, restartable_journeys: Journeys
) -> None:
    journeys = restartable_journeys
    app = journeys.application
    customer_id = app.register_customer(
        nino=new_nino(), name="Before", date_of_birth=date(1985, 3, 14)
    ).id
    journeys.views.position("self-service")  # the views' pool has a connection too

    private_postgres.pg_ctl("restart", "-m", "fast")

    # Every idle connection of every pool is dead now. The pools check a connection before
    # handing it out and, finding one dead, sweep out the rest at once: without that sweep
    # the command met the dead ones one by one, a second or more apart, and its 10 s wait
    # for a connection ran out (a retryable error, but a failure all the same).
    began = time.monotonic()
    app.report_change(customer_id, "after the restart", effective_date=journeys.clock.today())
    seconds = time.monotonic() - began
    journeys.views.position("self-service")
    print(f"\nthe first command after the restart took {seconds:.2f}s")
    assert [d for _, d in app.customer(customer_id).circumstances] == ["after the restart"]
