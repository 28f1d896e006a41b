"""Recent events and group commit: commands run on cached events stay correct across processes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from adapters.bootstrap import Journeys, build
from domain.claim import Claim, ClaimStatus
from domain.customer import Customer
from domain.errors import ClaimWithdrawn, CustomerDeceased, QuestionnaireNotOutstanding
from domain.values import (
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock
from services.journeys import Recorded
from services.settings import Settings
from tests.integration.helpers import (
    log_position,
    nothing_appended,
    register,
    start_claim,
    state_of,
    topics_since,
)

CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "group-commit-and-cache": {"group_commit": True, "aggregate_cache_size": 10_000},
    "neither": {"group_commit": False, "aggregate_cache_size": 0},
    "cache-only": {"group_commit": False, "aggregate_cache_size": 10_000},
    "group-commit-only": {"group_commit": True, "aggregate_cache_size": 0},
}
JOIN_SECONDS = 120

OpenOurs = Callable[..., Journeys]


@pytest.fixture(params=list(CONFIGURATIONS))
def open_ours(
    request: pytest.FixtureRequest, settings: Settings, clock: SimulatedClock
) -> Iterator[OpenOurs]:
    """Build our instances with group commit and the aggregate cache on or off."""
    opened: list[Journeys] = []

    def _open(**overrides: Any) -> Journeys:
        chosen = settings.model_copy(update={**CONFIGURATIONS[request.param], **overrides})
        system = build(chosen, clock=clock)
        opened.append(system)
        return system

    yield _open
    for system in opened:
        system.close()


@pytest.fixture
def ours(open_ours: OpenOurs) -> Journeys:
    """The instance under test; the `rival` fixture is another process on the same store."""
    return open_ours()


def caches(journeys: Journeys) -> bool:
    return journeys.application.recent is not None


def watch_inserts(monkeypatch: pytest.MonkeyPatch, journeys: Journeys) -> list[str]:
    """Record whether each insert into the store was stored or refused as a conflict."""
    outcomes: list[str] = []
    recorder = journeys.application.recorder
    insert_events = recorder.insert_events

    def watched(stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        try:
            ids = insert_events(stored_events, **kwargs)
        except IntegrityError:
            outcomes.append("conflict")
            raise
        outcomes.append("stored")
        return ids

    monkeypatch.setattr(recorder, "insert_events", watched)
    return outcomes


def descriptions(customer: Customer) -> list[str]:
    return [description for _, description in customer.circumstances]


def test_a_command_on_an_aggregate_a_rival_moved_on_reloads_and_keeps_both_changes_in_order(
    ours: Journeys, rival: Journeys, monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock
) -> None:
    customer_id = register(ours)
    ours.application.report_change(customer_id, "ours first", clock.today())
    rival.application.report_change(customer_id, "theirs", clock.today())
    inserts = watch_inserts(monkeypatch, ours)
    before = log_position(ours)

    ours.application.report_change(customer_id, "ours second", clock.today())

    # On cached events the save conflicts once and the command runs again on fresh events.
    assert inserts == (["conflict", "stored"] if caches(ours) else ["stored"])
    assert topics_since(ours, before) == ["Customer.CircumstancesChanged"]
    events = list(rival.application.events.get(customer_id))
    assert [event.originator_version for event in events] == [1, 2, 3, 4]
    customer = rival.application.customer(customer_id)
    assert descriptions(customer) == ["ours first", "theirs", "ours second"]
    assert state_of(ours.application.customer(customer_id)) == state_of(customer)


def test_a_claim_started_on_a_customer_a_rival_moved_on_is_linked_after_the_rivals_claim(
    ours: Journeys, rival: Journeys, clock: SimulatedClock
) -> None:
    customer_id = register(ours)
    our_first = start_claim(ours, customer_id, BenefitType.PIP)
    their_claim = start_claim(rival, customer_id, BenefitType.DLA)

    our_second = start_claim(ours, customer_id, BenefitType.ESA)

    customer = rival.application.customer(customer_id)
    assert list(customer.claims) == [our_first, their_claim, our_second]
    assert customer.version == 4
    claim = rival.application.claim(our_second)
    assert claim.customer_id == customer_id
    assert claim.benefit is BenefitType.ESA


def test_a_command_refused_on_stale_cached_state_but_valid_on_the_stored_state_succeeds(
    ours: Journeys, rival: Journeys, monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock
) -> None:
    customer_id = register(ours)
    claim_id = start_claim(ours, customer_id, BenefitType.PIP)
    assert ours.application.claim(claim_id).status is ClaimStatus.STARTED
    rival.application.issue_questionnaire(claim_id, clock.today())  # our cache says "not issued"
    inserts = watch_inserts(monkeypatch, ours)
    before = log_position(ours)

    ours.application.return_questionnaire(claim_id, clock.today())

    assert inserts == ["stored"]  # checked again on fresh events, then saved once
    assert topics_since(ours, before) == ["Claim.QuestionnaireReturned"]
    claim = rival.application.claim(claim_id)
    assert claim.status is ClaimStatus.AWAITING_ASSESSMENT
    assert claim.version == 3


def test_a_command_allowed_on_stale_cached_state_but_refused_on_the_stored_state_is_refused(
    ours: Journeys, rival: Journeys, monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock
) -> None:
    customer_id = register(ours)
    claim_id = start_claim(ours, customer_id, BenefitType.PIP)
    rival.application.withdraw_claim(claim_id, clock.today(), "changed their mind")
    inserts = watch_inserts(monkeypatch, ours)

    with nothing_appended(ours), pytest.raises(ClaimWithdrawn):
        ours.application.issue_questionnaire(claim_id, clock.today())

    assert inserts == (["conflict"] if caches(ours) else [])
    assert rival.application.claim(claim_id).status is ClaimStatus.WITHDRAWN
    # And the refusal stands on every later try, now that our cache has caught up.
    with nothing_appended(ours), pytest.raises(ClaimWithdrawn):
        ours.application.issue_questionnaire(claim_id, clock.today())


def test_a_command_refused_on_both_cached_and_stored_state_reports_the_domain_error(
    ours: Journeys, rival: Journeys, clock: SimulatedClock
) -> None:
    customer_id = register(ours)
    claim_id = start_claim(ours, customer_id, BenefitType.PIP)
    rival.application.notify_death(customer_id, clock.today(), "TUO-1")

    with nothing_appended(ours), pytest.raises(QuestionnaireNotOutstanding):
        ours.application.return_questionnaire(claim_id, clock.today())
    with nothing_appended(ours), pytest.raises(CustomerDeceased):
        ours.application.report_change(customer_id, "moved house", clock.today())

    assert ours.application.customer(customer_id).deceased


def test_queries_always_see_a_rivals_writes(
    ours: Journeys, rival: Journeys, clock: SimulatedClock
) -> None:
    customer_id = register(ours)
    claim_id = start_claim(ours, customer_id, BenefitType.PIP)
    nino = ours.application.customer(customer_id).nino
    assert ours.application.claim(claim_id).status is ClaimStatus.STARTED

    rival.application.report_change(customer_id, "theirs", clock.today())
    rival.application.issue_questionnaire(claim_id, clock.today())
    their_claim = start_claim(rival, customer_id, BenefitType.DLA)

    customer = ours.application.customer(customer_id)
    assert descriptions(customer) == ["theirs"]
    assert set(customer.claims) == {claim_id, their_claim}
    assert ours.application.customer_by_nino(nino).version == customer.version
    assert ours.application.claim(claim_id).status is ClaimStatus.AWAITING_QUESTIONNAIRE
    assert ours.application.claim(their_claim).benefit is BenefitType.DLA
    topics = [type(event).__qualname__ for event in ours.application.history(customer_id)]
    assert "Claim.QuestionnaireIssued" in topics
    assert topics.count("Customer.ClaimOpened") == 2


def test_an_instance_allowed_one_attempt_is_not_refused_only_because_its_cache_is_stale(
    open_ours: OpenOurs, rival: Journeys, clock: SimulatedClock
) -> None:
    single_attempt = open_ours(command_attempts=1)
    customer_id = register(single_attempt)
    single_attempt.application.report_change(customer_id, "ours first", clock.today())
    rival.application.report_change(customer_id, "theirs", clock.today())

    # Nobody races this command: the only conflict would be with our own out-of-date cache.
    single_attempt.application.report_change(customer_id, "ours second", clock.today())

    customer = rival.application.customer(customer_id)
    assert descriptions(customer) == ["ours first", "theirs", "ours second"]


THREADS = 8
COMMANDS_PER_THREAD = 6
CUSTOMERS = 3


def test_many_threads_in_one_instance_lose_nothing_and_double_nothing(
    open_ours: OpenOurs, rival: Journeys, clock: SimulatedClock
) -> None:
    total = THREADS * COMMANDS_PER_THREAD
    # Every failed attempt means another command succeeded, so `total` attempts always suffice.
    ours = open_ours(command_attempts=total)
    app = ours.application
    shared = register(ours)
    own = [register(ours) for _ in range(CUSTOMERS)]
    for customer_id in (shared, *own):
        app.customer(customer_id)  # everything cached (when caching) before the race
    before = log_position(ours)
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    sent: list[tuple[UUID, str, Recorded]] = []
    claims: list[tuple[UUID, Recorded]] = []
    lock = threading.Lock()

    def issue_commands(worker: int) -> None:
        try:
            start.wait(JOIN_SECONDS)
            for n in range(COMMANDS_PER_THREAD):
                # Even commands all hit one customer; odd ones spread over a few others.
                target = shared if n % 2 == 0 else own[worker % CUSTOMERS]
                text = f"worker {worker} command {n}"
                if n == COMMANDS_PER_THREAD - 1:
                    started = app.start_claim(
                        customer_id=shared,
                        benefit=BenefitType.PIP,
                        channel=ClaimChannel.PHONE,
                        claimant_role=ClaimantRole.CUSTOMER,
                        claim_date=clock.today(),
                    )
                    with lock:
                        claims.append((started.id, started))
                elif n % 3 == 1:
                    marker = SupportMarker(
                        need=list(SupportNeed)[worker % len(SupportNeed)],
                        duration=SupportDuration.RECURRING,
                        details=text,
                    )
                    recorded = app.add_support_marker(target, marker, effective_date=clock.today())
                    with lock:
                        sent.append((target, text, recorded))
                else:
                    recorded = app.report_change(target, text, clock.today())
                    with lock:
                        sent.append((target, text, recorded))
        except BaseException as error:  # handed to the test thread
            errors.append(error)

    threads = [threading.Thread(target=issue_commands, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    # The log holds exactly what was sent: one event per command, two per started claim.
    notifications = app.recorder.select_notifications(start=before + 1, limit=10 * total)
    assert len(notifications) == len(sent) + 2 * len(claims)
    logged = [app.mapper.to_domain_event(notification) for notification in notifications]
    by_position = {n.id: event for n, event in zip(notifications, logged, strict=True)}
    texts = [text for text in map(text_of, logged) if text is not None]
    assert sorted(texts) == sorted(text for _, text, _ in sent)

    # Each command's reported position is its own event (read-your-writes needs this).
    for target, text, recorded in sent:
        event = by_position[recorded.position]
        assert (event.originator_id, text_of(event)) == (target, text)
    for claim_id, recorded in claims:
        assert by_position[recorded.position].originator_id == claim_id

    # Every aggregate replays to what was sent, versions without gaps, in each thread's order.
    for customer_id in (shared, *own):
        events = list(rival.application.events.get(customer_id))
        assert [event.originator_version for event in events] == list(range(1, len(events) + 1))
        expected = [text for target, text, _ in sent if target == customer_id]
        texts = [text for text in map(text_of, events) if text is not None]
        assert sorted(texts) == sorted(expected)
        for worker in range(THREADS):
            mine = [text for text in texts if text.startswith(f"worker {worker} ")]
            assert mine == sorted(mine)
        theirs = rival.application.customer(customer_id)
        assert state_of(app.customer(customer_id)) == state_of(theirs)
        # What the cache holds (if anything) is exactly the stored history.
        if app.recent is not None:
            cached = app.recent.get(customer_id)
            assert cached is None or list(cached) == events
    customer = rival.application.customer(shared)
    assert set(customer.claims) == {claim_id for claim_id, _ in claims}
    for claim_id, _ in claims:
        assert isinstance(rival.application.claim(claim_id), Claim)


def text_of(event: object) -> str | None:
    """The text a test command put into an event (a reported change or a marker's details)."""
    if isinstance(event, Customer.CircumstancesChanged):
        return event.description
    if isinstance(event, Customer.SupportMarkerAdded):
        return event.marker.details
    return None
