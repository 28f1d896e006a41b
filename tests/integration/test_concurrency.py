"""Optimistic concurrency: stale writes are refused by the store, retried, or reported."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import RecordConflictError

from adapters.bootstrap import Journeys
from domain.aggregate import recording_at
from domain.customer import Customer
from domain.values import BenefitType, SupportDuration, SupportMarker, SupportNeed
from services.clock import SimulatedClock
from services.errors import ConcurrentUpdate, CustomerAlreadyRegistered
from tests.integration.conftest import OpenSystem
from tests.integration.helpers import log_position, new_nino, register, start_claim, topics_since

THREADS = 4
COMMANDS_PER_THREAD = 5
SUPPORT_NEEDS = list(SupportNeed)


def interfere_after_load(
    monkeypatch: pytest.MonkeyPatch,
    victim: Journeys,
    rival: Journeys,
    customer_id: UUID,
    times: int,
) -> list[int]:
    """Make the rival change the customer between the victim's load and save, `times` times."""
    loads: list[int] = []
    original_load: Callable[..., Any] = victim.application._load

    def load_then_rival_writes(aggregate_id: UUID, kind: type[Any], **options: Any) -> Any:
        aggregate = original_load(aggregate_id, kind, **options)
        loads.append(aggregate.version)
        if len(loads) <= times:
            rival.application.report_change(
                customer_id, f"rival change {len(loads)}", effective_date=rival.clock.today()
            )
        return aggregate

    monkeypatch.setattr(victim.application, "_load", load_then_rival_writes)
    return loads


def test_a_stale_save_from_a_second_application_instance_is_refused_by_the_store(
    journeys: Journeys, rival: Journeys, clock: SimulatedClock
) -> None:
    customer_id = register(journeys)
    ours: Customer = journeys.application.repository.get(customer_id)
    theirs: Customer = rival.application.repository.get(customer_id)
    assert ours.version == theirs.version == 1

    with recording_at(clock.now()):
        ours.report_change("moved to Leeds", clock.today())
        theirs.report_change("moved to York", clock.today())
    journeys.application.save(ours)
    before = log_position(journeys)
    with pytest.raises(RecordConflictError):
        rival.application.save(theirs)

    assert log_position(journeys) == before
    stored = rival.application.customer(customer_id)
    assert stored.version == 2
    assert [description for _, description in stored.circumstances] == ["moved to Leeds"]


def test_commands_racing_on_one_customer_from_many_threads_are_all_kept(
    journeys: Journeys, open_system: OpenSystem, clock: SimulatedClock
) -> None:
    customer_id = register(journeys)
    total = THREADS * COMMANDS_PER_THREAD
    # Every failed attempt means another command succeeded, so `total` attempts always suffice.
    instances = [open_system(command_attempts=total), open_system(command_attempts=total)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def issue_commands(worker: int) -> None:
        app = instances[worker % len(instances)].application
        try:
            start.wait(timeout=30)
            for n in range(COMMANDS_PER_THREAD):
                if n % 2:
                    marker = SupportMarker(
                        need=SUPPORT_NEEDS[worker % len(SUPPORT_NEEDS)],
                        duration=SupportDuration.RECURRING,
                        details=f"worker {worker} command {n}",
                    )
                    app.add_support_marker(customer_id, marker, effective_date=clock.today())
                else:
                    app.report_change(customer_id, f"worker {worker} command {n}", clock.today())
        except BaseException as error:  # report any failure to the main thread
            errors.append(error)

    threads = [threading.Thread(target=issue_commands, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    customer = journeys.application.customer(customer_id)
    assert customer.version == 1 + total
    events = list(journeys.application.events.get(customer_id))
    assert len(events) == 1 + total
    assert [event.originator_version for event in events] == list(range(1, total + 2))
    reported = sorted(description for _, description in customer.circumstances)
    assert reported == sorted(
        f"worker {w} command {n}"
        for w in range(THREADS)
        for n in range(COMMANDS_PER_THREAD)
        if n % 2 == 0
    )
    markers = [e for e in events if isinstance(e, Customer.SupportMarkerAdded)]
    assert len(markers) == THREADS * (COMMANDS_PER_THREAD // 2)


def test_a_write_between_load_and_save_is_retried_and_both_changes_are_kept(
    journeys: Journeys, rival: Journeys, monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock
) -> None:
    customer_id = register(journeys)
    loads = interfere_after_load(monkeypatch, journeys, rival, customer_id, times=2)

    journeys.application.report_change(customer_id, "our change", effective_date=clock.today())

    assert loads == [1, 2, 3]  # two conflicts, then a clean third attempt
    customer = rival.application.customer(customer_id)
    assert [description for _, description in customer.circumstances] == [
        "rival change 1",
        "rival change 2",
        "our change",
    ]
    assert customer.version == 4


def test_a_conflict_on_the_last_attempt_is_a_retryable_concurrent_update_and_saves_nothing(
    journeys: Journeys,
    rival: Journeys,
    open_system: OpenSystem,
    monkeypatch: pytest.MonkeyPatch,
    clock: SimulatedClock,
) -> None:
    customer_id = register(journeys)
    single_attempt = open_system(command_attempts=1)
    interfere_after_load(monkeypatch, single_attempt, rival, customer_id, times=1)
    before = log_position(journeys)

    with pytest.raises(ConcurrentUpdate) as refused:
        single_attempt.application.report_change(
            customer_id, "our change", effective_date=clock.today()
        )

    assert refused.value.retryable
    assert refused.value.aggregate_id == customer_id
    assert refused.value.attempts == 1
    assert topics_since(journeys, before) == ["Customer.CircumstancesChanged"]  # the rival's
    customer = journeys.application.customer(customer_id)
    assert [description for _, description in customer.circumstances] == ["rival change 1"]

    # Retrying the same command afterwards (as the error invites) succeeds.
    single_attempt.application.report_change(
        customer_id, "our change", effective_date=clock.today()
    )
    customer = journeys.application.customer(customer_id)
    assert [d for _, d in customer.circumstances] == ["rival change 1", "our change"]


def test_a_claim_started_during_a_conflict_is_not_half_saved(
    journeys: Journeys,
    rival: Journeys,
    open_system: OpenSystem,
    monkeypatch: pytest.MonkeyPatch,
    clock: SimulatedClock,
) -> None:
    customer_id = register(journeys)
    three_attempts = open_system(command_attempts=3)
    loads = interfere_after_load(monkeypatch, three_attempts, rival, customer_id, times=3)
    before = log_position(journeys)

    with pytest.raises(ConcurrentUpdate) as refused:
        start_claim(three_attempts, customer_id, BenefitType.PIP)

    assert refused.value.attempts == 3
    assert len(loads) == 3
    # Three rival changes were saved; neither the claim nor the customer's link to it was.
    assert topics_since(journeys, before) == ["Customer.CircumstancesChanged"] * 3
    assert journeys.application.customer(customer_id).claims == {}


def test_two_instances_registering_the_same_person_at_once_register_them_once(
    journeys: Journeys, rival: Journeys, clock: SimulatedClock
) -> None:
    nino = new_nino()
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def register_from(system: Journeys) -> None:
        start.wait(timeout=30)
        try:
            outcomes.append(
                system.application.register_customer(
                    nino=nino, name="Ada", date_of_birth=clock.today() - timedelta(days=9000)
                ).id
            )
        except CustomerAlreadyRegistered as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=register_from, args=(s,)) for s in (journeys, rival)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    registered = [o for o in outcomes if isinstance(o, UUID)]
    refused = [o for o in outcomes if isinstance(o, CustomerAlreadyRegistered)]
    assert (len(registered), len(refused)) == (1, 1)
    assert len(list(journeys.application.events.get(registered[0]))) == 1
