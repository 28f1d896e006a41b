"""Database faults: a command whose PostgreSQL backend is killed is applied whole or not at all."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date
from uuid import UUID

import psycopg
import pytest

from adapters.bootstrap import Journeys
from adapters.event_store.integrity import chained_log
from services.errors import CustomerNotFound
from services.integrity import verify_log
from tests.integration.helpers import new_nino
from tests.reliability.conftest import PostgresSystems
from tests.reliability.helpers import gapped_histories, register_until_it_works

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WRITERS = 4
COMMANDS_PER_WRITER = 80
KILL_ROUNDS = 6


@pytest.fixture
def postgres_journeys(postgres_systems: PostgresSystems) -> Journeys:
    """The whole system on PostgreSQL only (the faults below are PostgreSQL's)."""
    return postgres_systems()


def terminate_backends_of(postgres_url: str, schema: str) -> int:
    """Terminate every backend whose last query named the schema: this test's only."""
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE pid <> pg_backend_pid() AND position(%s in query) > 0",
            (schema,),
        ).fetchall()
    return len(rows)


def test_commands_whose_backend_is_terminated_are_applied_whole_or_not_at_all(
    postgres_journeys: Journeys, postgres_url: str, postgres_schema: str
) -> None:
    journeys = postgres_journeys
    app = journeys.application
    succeeded: dict[str, UUID] = {}
    failed: dict[str, str] = {}
    lock = threading.Lock()
    writers_done = threading.Event()

    def write(writer: int) -> None:
        for _ in range(COMMANDS_PER_WRITER):
            nino = new_nino()
            try:
                recorded = app.register_customer(
                    nino=nino, name=f"Writer {writer}", date_of_birth=date(1985, 3, 14)
                )
            except Exception as error:  # the outcome under test
                with lock:
                    failed[nino] = f"{type(error).__module__}.{type(error).__name__}: {error}"
            else:
                with lock:
                    succeeded[nino] = recorded.id

    terminated = 0

    def kill() -> None:
        nonlocal terminated
        for _ in range(KILL_ROUNDS):
            if writers_done.is_set():
                return
            time.sleep(0.15)
            terminated += terminate_backends_of(postgres_url, postgres_schema)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    killer = threading.Thread(target=kill)
    for thread in [*writers, killer]:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    writers_done.set()
    killer.join(timeout=30)

    # The same object serves new commands without being rebuilt.
    after_id, reconnect_seconds, errors_after = register_until_it_works(journeys)

    error_kinds = Counter(message.split(":", 1)[0] for message in failed.values())
    print(
        f"\nterminated backends: {terminated}; commands ok: {len(succeeded)},"
        f" failed: {len(failed)}; error kinds: {dict(error_kinds)}"
        f"\nsample error: {next(iter(failed.values()), None)}"
        f"\nfirst command afterwards took {reconnect_seconds:.3f}s, errors first: {errors_after}"
    )
    assert terminated > 0, "the test never terminated a backend: it proved nothing"
    assert len(succeeded) + len(failed) == WRITERS * COMMANDS_PER_WRITER

    # Every command that said yes is stored whole; every one that said no is absent or whole.
    for nino, customer_id in succeeded.items():
        assert app.customer(customer_id).nino == nino
    stored_though_failed = 0
    for nino in failed:
        try:
            customer = app.customer_by_nino(nino)
        except CustomerNotFound:
            continue  # not stored at all: a correct outcome
        # Committed before the reply was lost: also correct, if stored whole.
        assert customer.nino == nino
        stored_though_failed += 1
    print(f"failed commands whose events were stored anyway: {stored_though_failed}")
    assert app.customer(after_id).name == "After"

    # No aggregate has a partial or gapped history, and the hash chain is unbroken.
    assert gapped_histories(postgres_url, postgres_schema) == []
    report = verify_log(chained_log(app.recorder))
    assert report.intact, report
