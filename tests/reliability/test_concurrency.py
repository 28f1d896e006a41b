"""Concurrency: 32 clients issue conflicting commands on the same customers, claims and debts.

Every command ends in exactly one of three ways: stored, refused by a rule (a domain error),
or reported as a retryable conflict (ConcurrentUpdate in the service layer, 409 over HTTP).
At the end each aggregate must be what some serial order of the stored commands gives: no
lost update, no refused or conflicted command half-stored, versions without a gap.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import pytest
import uvicorn

from adapters.bootstrap import Journeys, build
from adapters.event_store.integrity import chained_log
from adapters.http.app import create_app
from domain.claim import Claim
from domain.debt import Debt
from domain.errors import DomainError
from domain.values import BenefitType
from services.clock import SimulatedClock
from services.errors import ConcurrentUpdate
from services.integrity import verify_log
from services.settings import Settings
from tests.api.helpers import Tokens
from tests.conftest import postgres_settings_for, scratch_schema
from tests.integration.helpers import register, start_claim
from tests.integration.test_debts import on_uc, overpaid
from tests.reliability.conftest import PostgresSystems

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CLIENTS = 32
COMMANDS_PER_CLIENT = 12
CUSTOMERS = 4
INSTANCES = 4  # as four API processes would be, each with its own connection pool
DEBT_PENCE = 40_000
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Outcome:
    """How one command ended: 'stored', 'refused' (a rule said no) or 'conflict'."""

    kind: str
    command: str
    target: UUID
    detail: str = ""
    amount_pence: int = 0
    position: int = 0


@dataclass(frozen=True)
class Targets:
    """One customer with a PIP claim still open and a debt of DEBT_PENCE being recovered."""

    customer_id: UUID
    claim_id: UUID
    debt_id: UUID


def contested(journeys: Journeys, count: int) -> list[Targets]:
    """Customers on UC, each with an open PIP claim and an overpayment to repay."""
    made = []
    for _ in range(count):
        customer_id = on_uc(journeys)
        claim_id = start_claim(journeys, customer_id, BenefitType.PIP)
        made.append(Targets(customer_id, claim_id, overpaid(journeys, customer_id, DEBT_PENCE)))
    return made


def run_clients(client: Callable[[int], list[Outcome]]) -> list[Outcome]:
    """Run CLIENTS threads at once (released together) and gather every outcome."""
    start = threading.Barrier(CLIENTS)
    outcomes: list[Outcome] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        try:
            start.wait(timeout=60)
            mine = client(number)
        except BaseException as error:  # anything unexpected fails the test in the main thread
            failures.append(error)
            return
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    assert failures == [], failures
    return outcomes


def assert_serializable(
    journeys: Journeys, targets: Sequence[Targets], outcomes: Sequence[Outcome]
) -> None:
    """Check each aggregate against the commands that said they were stored, and only those."""
    app = journeys.application
    assert len(outcomes) == CLIENTS * COMMANDS_PER_CLIENT  # every command answered once
    stored = [o for o in outcomes if o.kind == "stored"]
    by_target: dict[UUID, list[Outcome]] = defaultdict(list)
    for outcome in stored:
        by_target[outcome.target].append(outcome)

    for target in targets:
        # Customer: every stored change is there, once; no refused or conflicted one is.
        customer = app.customer(target.customer_id)
        changes = [o.detail for o in by_target[target.customer_id] if o.command == "change"]
        assert sorted(d for _, d in customer.circumstances) == sorted(changes)

        # Debt: the stored repayments, replayed in log order, never took the balance below zero.
        debt_events = list(app.events.get(target.debt_id))
        repaid = [e for e in debt_events if isinstance(e, Debt.Repaid)]
        assert sorted(e.amount_pence for e in repaid) == sorted(
            o.amount_pence for o in by_target[target.debt_id]
        )
        balance = DEBT_PENCE
        for event in repaid:
            assert 0 < event.amount_pence <= balance
            balance -= event.amount_pence
            assert event.balance_after_pence == balance
        debt = app.debt(target.debt_id)
        assert debt.balance_pence == balance
        assert debt.cleared == (balance == 0)
        # A repayment refused for the balance was larger than the balance then, so than now.
        for outcome in outcomes:
            if outcome.target == target.debt_id and outcome.kind == "refused":
                assert outcome.amount_pence > balance or debt.cleared, outcome

        # Claim: withdrawn at most once, and only if some withdrawal said it was stored.
        withdrawn = [e for e in app.events.get(target.claim_id) if isinstance(e, Claim.Withdrawn)]
        stored_withdrawals = [o for o in by_target[target.claim_id] if o.command == "withdraw"]
        assert len(withdrawn) == len(stored_withdrawals) <= 1

    # Versions 1..n with no gap; every position a stored command returned is in the log.
    for aggregate_id in {t for target in targets for t in vars(target).values()}:
        versions = [e.originator_version for e in app.events.get(aggregate_id)]
        assert versions == list(range(1, len(versions) + 1)), aggregate_id
    last = app.recorder.max_notification_id() or 0
    assert all(0 < o.position <= last for o in stored)
    report = verify_log(chained_log(app.recorder))
    assert report.intact, report


def summarise(outcomes: Sequence[Outcome], seconds: float) -> str:
    """One line of figures: outcomes by command and kind, and the rate."""
    kinds = Counter(f"{o.command}:{o.kind}" for o in outcomes)
    rate = len(outcomes) / seconds
    return (
        f"{len(outcomes)} commands in {seconds:.2f}s ({rate:.0f}/s): {dict(sorted(kinds.items()))}"
    )


def test_32_clients_on_the_same_aggregates_through_four_instances_lose_no_update(
    postgres_systems: PostgresSystems,
) -> None:
    # Two instances retry a conflict on fresh events; two give up at once, so conflicts are
    # reported too (as a 409 would be) and must leave nothing behind.
    instances = [postgres_systems(command_attempts=n) for n in (5, 5, 1, 1)]
    journeys = instances[0]
    targets = contested(journeys, CUSTOMERS)

    def client(number: int) -> list[Outcome]:
        app = instances[number % INSTANCES].application
        choose = random.Random(number)
        outcomes: list[Outcome] = []
        for n in range(COMMANDS_PER_CLIENT):
            target = choose.choice(targets)
            command = choose.choice(["change", "change", "repay", "repay", "withdraw"])
            amount = choose.randrange(500, 4_000) if command == "repay" else 0
            aggregate = {
                "change": target.customer_id,
                "repay": target.debt_id,
                "withdraw": target.claim_id,
            }[command]
            detail = f"client {number} command {n}"
            try:
                if command == "change":
                    recorded = app.report_change(target.customer_id, detail, app.clock.today())
                elif command == "repay":
                    recorded = app.repay(
                        target.debt_id, amount_pence=amount, paid_on=app.clock.today()
                    )
                else:
                    recorded = app.withdraw_claim(target.claim_id, app.clock.today(), detail)
            except ConcurrentUpdate as conflict:
                outcomes.append(Outcome("conflict", command, aggregate, str(conflict), amount))
            except DomainError as refusal:
                outcomes.append(Outcome("refused", command, aggregate, str(refusal), amount))
            else:
                outcomes.append(
                    Outcome("stored", command, aggregate, detail, amount, recorded.position)
                )
        return outcomes

    started = time.monotonic()
    outcomes = run_clients(client)
    print("\n" + summarise(outcomes, time.monotonic() - started))

    assert_serializable(journeys, targets, outcomes)
    kinds = Counter(o.kind for o in outcomes)
    assert kinds["conflict"] > 0, "no client ever met a conflict: the test contended nothing"
    for conflict in (o for o in outcomes if o.kind == "conflict"):
        assert str(conflict.target) in conflict.detail
        assert "try again" in conflict.detail
    # A refused command was refused by a rule: a cleared debt or a claim no longer open.
    assert {o.command for o in outcomes if o.kind == "refused"} <= {"repay", "withdraw"}


# -- the same over HTTP: 409 retryable, and a client that retries gets its change stored ----------


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(postgres_systems: PostgresSystems) -> Iterator[tuple[Journeys, str]]:
    """The API served by uvicorn on loopback, over a system that gives up at the first conflict."""
    system = postgres_systems(command_attempts=1)
    server = uvicorn.Server(
        uvicorn.Config(create_app(system), host=LOOPBACK, port=free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    give_up = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the API stopped while starting"
        assert time.monotonic() < give_up, "the API did not start within 30 s"
        time.sleep(0.05)
    try:
        yield system, f"http://{LOOPBACK}:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_32_http_clients_get_409_retryable_on_conflict_and_retrying_loses_nothing(
    served: tuple[Journeys, str],
) -> None:
    journeys, base_url = served
    customers = [register(journeys) for _ in range(CUSTOMERS)]
    tokens = Tokens(journeys)
    today = journeys.clock.today().isoformat()
    answers: Counter[int] = Counter()
    lock = threading.Lock()

    def client(number: int) -> list[Outcome]:
        outcomes: list[Outcome] = []
        backoff = random.Random(number)
        with httpx.Client(base_url=base_url, timeout=60) as http:
            for n in range(COMMANDS_PER_CLIENT):
                customer_id = customers[(number + n) % len(customers)]
                detail = f"client {number} change {n}"
                body = {"effective_date": today, "description": detail}
                headers = dict(tokens.customer(customer_id))
                for _ in range(100):  # retry a conflict, as the 409 invites
                    answer = http.post(
                        f"/customers/{customer_id}/changes", json=body, headers=headers
                    )
                    with lock:
                        answers[answer.status_code] += 1
                    if answer.status_code != 409:
                        break
                    problem = answer.json()
                    assert problem["retryable"] is True
                    assert "try again" in problem["detail"]
                    time.sleep(backoff.uniform(0, 0.02))  # a client backs off before retrying
                assert answer.status_code in (200, 201), answer.text
                position = int(answer.headers["X-Journeys-Position"])
                outcomes.append(Outcome("stored", "change", customer_id, detail, 0, position))
        return outcomes

    started = time.monotonic()
    outcomes = run_clients(client)
    print(
        "\n" + summarise(outcomes, time.monotonic() - started) + f"; HTTP answers {dict(answers)}"
    )

    assert answers[409] > 0, "no request met a conflict: the test contended nothing"
    assert set(answers) <= {200, 201, 409}
    app = journeys.application
    for customer_id in customers:
        mine = sorted(o.detail for o in outcomes if o.target == customer_id)
        customer = app.customer(customer_id)
        assert sorted(d for _, d in customer.circumstances) == mine
        versions = [e.originator_version for e in app.events.get(customer_id)]
        assert versions == list(range(1, len(versions) + 1))
    last = app.recorder.max_notification_id() or 0
    assert all(0 < o.position <= last for o in outcomes)


# -- processes starting together ------------------------------------------------------------------

STARTS_AT_ONCE = 4
START_ROUNDS = 5


def start_at_once(settings: Settings, clock: SimulatedClock) -> tuple[list[Journeys], list[str]]:
    """Build the system from STARTS_AT_ONCE threads released together: built, and failures."""
    start = threading.Barrier(STARTS_AT_ONCE)
    built: list[Journeys] = []
    failures: list[str] = []
    lock = threading.Lock()

    def start_one() -> None:
        start.wait(timeout=60)
        try:
            system = build(settings, clock=clock)
        except Exception as error:  # the outcome under test
            with lock:
                failures.append(f"{type(error).__name__}: {error}")
            return
        with lock:
            built.append(system)

    threads = [threading.Thread(target=start_one) for _ in range(STARTS_AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return built, failures


def test_processes_starting_at_once_on_a_new_schema_all_start(
    postgres_url: str, tmp_path: Path, clock: SimulatedClock
) -> None:
    # A deployment starts its API, relay and workers together, each creating its tables and
    # functions; unserialized, two at once failed in PostgreSQL's catalogs about half the time.
    failures: list[str] = []
    for round_number in range(START_ROUNDS):
        with scratch_schema(postgres_url) as schema:
            settings = postgres_settings_for(
                postgres_url, schema, contact_spool_dir=tmp_path / f"outbox-{round_number}"
            )
            built, failed = start_at_once(settings, clock)
            failures += failed
            try:
                if built:
                    register(built[0])  # what one set up, the others can use
            finally:
                for system in built:
                    system.close()
    assert failures == []
