"""Group commit merges concurrent inserts; recent events remember what each aggregate did."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder

from domain.aggregate import JourneyAggregate, recording_at
from domain.concern import Concern
from domain.customer import Customer
from domain.values import ContactPreferences
from services.clock import SimulatedClock
from services.group_commit import GroupCommit, GroupCommitEventStore
from services.journeys import JourneysApplication
from services.recent_events import RecentEvents

JOIN_SECONDS = 30
Outcome = Sequence[int] | BaseException

# -- a fake insert: a log with the store's uniqueness rule, that can be held and made to fail --


@dataclass
class FakeLog:
    """Stores batches atomically, numbering events 1, 2, ...; a repeated version conflicts."""

    stored: list[StoredEvent] = field(default_factory=list)
    batches: list[list[StoredEvent]] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)
    # Scripted behaviour per insert call (0-based); calls without a script just store.
    hold: dict[int, threading.Event] = field(default_factory=dict)
    fail: dict[int, BaseException] = field(default_factory=dict)
    entered: list[threading.Event] = field(
        default_factory=lambda: [threading.Event() for _ in range(10)]
    )
    pause: float = 0.0  # seconds each insert takes, so that callers pile up behind it
    active: int = 0
    most_active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def insert(self, events: Sequence[StoredEvent]) -> Sequence[int]:
        with self._lock:
            call = len(self.batches)
            self.batches.append(list(events))
            self.threads.append(threading.current_thread().name)
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if call < len(self.entered):
                self.entered[call].set()
            if call in self.hold:
                assert self.hold[call].wait(JOIN_SECONDS), "the test never released the insert"
            if call in self.fail:
                raise self.fail[call]
            if self.pause:
                threading.Event().wait(self.pause)
            with self._lock:
                keys = {(e.originator_id, e.originator_version) for e in self.stored}
                batch_keys = [(e.originator_id, e.originator_version) for e in events]
                if len(set(batch_keys)) < len(batch_keys) or keys.intersection(batch_keys):
                    raise IntegrityError("duplicate key value violates unique constraint")
                first = len(self.stored) + 1
                self.stored.extend(events)
                return list(range(first, first + len(events)))
        finally:
            with self._lock:
                self.active -= 1

    def event(self, notification_id: int) -> StoredEvent:
        return self.stored[notification_id - 1]


_versions = itertools.count(1)


def batch(size: int, originator_id: UUID | None = None, tag: str = "") -> list[StoredEvent]:
    """`size` stored events of one aggregate, at versions nobody else uses."""
    aggregate = originator_id or uuid4()
    return [
        StoredEvent(
            originator_id=aggregate,
            originator_version=next(_versions),
            topic="tests:Event",
            state=f"{tag}{n}".encode(),
        )
        for n in range(size)
    ]


class Caller:
    """A thread that inserts one batch through the group commit and keeps the outcome."""

    def __init__(self, group_commit: GroupCommit, events: Sequence[StoredEvent]) -> None:
        self.events = events
        self.outcome: Outcome | None = None
        self._group_commit = group_commit
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.outcome = self._group_commit.insert(self.events)
        except BaseException as error:  # handed to the test thread
            self.outcome = error

    def start(self) -> Caller:
        self.thread.start()
        return self

    def join(self) -> Outcome:
        self.thread.join(JOIN_SECONDS)
        assert not self.thread.is_alive(), "a caller was left waiting"
        assert self.outcome is not None
        return self.outcome


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait (without asserting on time) until another thread has got somewhere."""
    done = threading.Event()
    for _ in range(JOIN_SECONDS * 1000):
        if condition():
            return
        done.wait(0.001)
    raise AssertionError("the other threads never got there")


def queued(group_commit: GroupCommit) -> int:
    """How many callers wait for a leader (private state: the only way to know they queued)."""
    return len(group_commit._waiting)


def queue_behind(
    group_commit: GroupCommit, batches: Sequence[Sequence[StoredEvent]]
) -> list[Caller]:
    """Start callers one by one, each queued before the next starts, so their order is known."""
    callers = []
    for events in batches:
        callers.append(Caller(group_commit, events).start())
        wait_until(partial(has_queued, group_commit, len(callers)))
    return callers


def has_queued(group_commit: GroupCommit, count: int) -> bool:
    return queued(group_commit) >= count


def ids_of(outcome: Outcome | None) -> Sequence[int]:
    assert outcome is not None
    assert not isinstance(outcome, BaseException), outcome
    return outcome


def assert_own_events(log: FakeLog, caller: Caller) -> None:
    """The caller got one id per event, in order, each naming exactly its own event."""
    ids = ids_of(caller.outcome)
    assert [log.event(i) for i in ids] == list(caller.events)


# -- group commit ---------------------------------------------------------------------------


def test_a_lone_caller_commits_at_once_in_its_own_thread() -> None:
    log = FakeLog()
    group_commit = GroupCommit(log.insert)
    events = batch(3)

    ids = group_commit.insert(events)

    assert ids == [1, 2, 3]
    assert log.batches == [events]
    assert log.threads == [threading.current_thread().name]
    assert group_commit.groups == 1
    assert queued(group_commit) == 0


def test_callers_arriving_during_a_commit_share_one_insert_and_get_their_own_ids() -> None:
    log = FakeLog(hold={0: threading.Event()})
    group_commit = GroupCommit(log.insert)
    first = Caller(group_commit, batch(2, tag="first")).start()
    assert log.entered[0].wait(JOIN_SECONDS)

    waiting = queue_behind(group_commit, [batch(size, tag=f"w{size}") for size in (1, 3, 2, 1)])
    log.hold[0].set()
    callers = [first, *waiting]
    for caller in callers:
        caller.join()

    assert [len(b) for b in log.batches] == [2, 7]
    assert log.batches[1] == [event for caller in waiting for event in caller.events]
    assert group_commit.groups == 2
    for caller in callers:
        assert_own_events(log, caller)
    assert ids_of(waiting[0].outcome) == [3]
    assert ids_of(waiting[-1].outcome) == [9]
    assert log.most_active == 1  # leaders take turns: the store never sees two inserts at once


def test_the_event_cap_splits_a_queue_into_groups_and_a_bigger_batch_goes_alone() -> None:
    log = FakeLog(hold={0: threading.Event()})
    group_commit = GroupCommit(log.insert, max_events=3)
    first = Caller(group_commit, batch(1)).start()
    assert log.entered[0].wait(JOIN_SECONDS)

    sizes = (1, 1, 1, 2, 2, 5, 1, 2)
    waiting = queue_behind(group_commit, [batch(size) for size in sizes])
    log.hold[0].set()
    for caller in (first, *waiting):
        caller.join()
        assert_own_events(log, caller)

    group_sizes = [len(b) for b in log.batches]
    assert group_sizes == [1, 3, 2, 2, 5, 3]
    assert all(size <= 3 for size in group_sizes if size != 5)
    assert group_commit.groups == len(group_sizes)
    assert sum(group_sizes) == 1 + sum(sizes)


def test_a_conflict_in_a_merged_group_fails_only_the_conflicting_caller() -> None:
    log = FakeLog(hold={0: threading.Event()})
    group_commit = GroupCommit(log.insert)
    contested = uuid4()
    first = Caller(group_commit, batch(1)).start()
    assert log.entered[0].wait(JOIN_SECONDS)

    winner_events = [StoredEvent(contested, 1, "tests:Event", b"winner")]
    loser_events = [StoredEvent(contested, 1, "tests:Event", b"loser")]
    winner, bystander, loser, latecomer = queue_behind(
        group_commit, [winner_events, batch(2), loser_events, batch(1)]
    )
    log.hold[0].set()
    for caller in (first, winner, bystander, loser, latecomer):
        caller.join()

    assert isinstance(loser.outcome, IntegrityError)
    for caller in (first, winner, bystander, latecomer):
        assert_own_events(log, caller)
    stored_states = [e.state for e in log.stored if e.originator_id == contested]
    assert stored_states == [b"winner"]
    # One merged attempt (refused, nothing stored), then each request on its own.
    assert [len(b) for b in log.batches] == [1, 5, 1, 2, 1, 1]
    assert group_commit.groups == 4  # the first group and the three requests that were stored


def test_a_lone_conflicting_caller_gets_the_conflict_and_nothing_is_retried() -> None:
    log = FakeLog()
    group_commit = GroupCommit(log.insert)
    events = batch(1)
    group_commit.insert(events)

    with pytest.raises(IntegrityError):
        group_commit.insert(events)

    assert len(log.batches) == 2
    assert group_commit.groups == 1


def test_another_error_reaches_every_caller_of_its_group_and_later_groups_still_commit() -> None:
    broken = OperationalError("the server closed the connection")
    log = FakeLog(hold={0: threading.Event(), 1: threading.Event()}, fail={1: broken})
    group_commit = GroupCommit(log.insert)
    first = Caller(group_commit, batch(1)).start()
    assert log.entered[0].wait(JOIN_SECONDS)
    doomed = queue_behind(group_commit, [batch(1), batch(2), batch(1)])
    log.hold[0].set()
    assert log.entered[1].wait(JOIN_SECONDS)  # the doomed group is being inserted
    later = queue_behind(group_commit, [batch(2), batch(1)])
    log.hold[1].set()

    for caller in (first, *doomed, *later):
        caller.join()

    assert all(caller.outcome is broken for caller in doomed)
    for caller in (first, *later):
        assert_own_events(log, caller)
    assert [len(b) for b in log.batches] == [1, 4, 3]
    assert len(log.stored) == 4  # nothing of the doomed group
    assert group_commit.groups == 2
    assert queued(group_commit) == 0
    assert group_commit.insert(batch(1)) == [5]  # and a lone caller still commits afterwards


def test_many_threads_each_get_exactly_their_own_ids_and_nobody_waits_forever() -> None:
    log = FakeLog(pause=0.001)
    group_commit = GroupCommit(log.insert, max_events=7)
    already = batch(1)
    group_commit.insert(already)
    threads, rounds = 24, 15
    start = threading.Barrier(threads)
    outcomes: dict[int, list[tuple[list[StoredEvent], Outcome]]] = {n: [] for n in range(threads)}

    def work(worker: int) -> None:
        start.wait(JOIN_SECONDS)
        for round_ in range(rounds):
            # Every fifth request repeats an event already stored: it must fail alone.
            events = already if (worker + round_) % 5 == 0 else batch(1 + (worker + round_) % 4)
            try:
                outcome: Outcome = group_commit.insert(events)
            except IntegrityError as conflict:
                outcome = conflict
            outcomes[worker].append((list(events), outcome))

    workers = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(JOIN_SECONDS)
    assert not any(worker.is_alive() for worker in workers)

    stored_ids: list[int] = []
    for results in outcomes.values():
        assert len(results) == rounds
        for events, outcome in results:
            if events == already:
                assert isinstance(outcome, IntegrityError)
                continue
            ids = ids_of(outcome)
            assert [log.event(i) for i in ids] == events
            stored_ids.extend(ids)
    assert sorted(stored_ids) == list(range(2, len(log.stored) + 1))  # none lost, none doubled
    assert log.most_active == 1
    assert all(len(b) <= 7 for b in log.batches)
    assert queued(group_commit) == 0


# -- the event store: encoding in the caller's thread, recordings with the right ids ----------


@pytest.fixture
def application() -> Iterator[JourneysApplication]:
    app = JourneysApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=SimulatedClock.on(date(2026, 1, 5)),
        recent_aggregates=10,
    )
    yield app
    app.close()


def registration(n: int) -> Customer:
    with recording_at(datetime(2026, 1, 5, 9, tzinfo=UTC)):
        return Customer.register(
            nino=f"AB{n:06d}C",
            name=f"Customer {n}",
            date_of_birth=date(1980, 1, 1),
            contact_preferences=ContactPreferences(),
            today=date(2026, 1, 5),
        )


def test_concurrent_puts_through_the_event_store_return_recordings_of_their_own_events(
    application: JourneysApplication,
) -> None:
    store = application.events
    assert isinstance(store, GroupCommitEventStore)
    assert isinstance(application.recorder, POPOApplicationRecorder)
    threads = 16
    start = threading.Barrier(threads)
    recorded: dict[UUID, list[int]] = {}
    errors: list[BaseException] = []

    def put(n: int) -> None:
        customer = registration(n)
        with recording_at(datetime(2026, 1, 5, 9, tzinfo=UTC)):
            customer.report_change(f"change {n}", date(2026, 1, 5))
        try:
            start.wait(JOIN_SECONDS)
            recordings = store.put(customer.collect_events())
            recorded[customer.id] = [r.notification.id for r in recordings]
            assert [r.notification.originator_id for r in recordings] == [customer.id] * 2
            assert [r.domain_event.originator_version for r in recordings] == [1, 2]
        except BaseException as error:  # handed to the test thread
            errors.append(error)

    workers = [threading.Thread(target=put, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(JOIN_SECONDS)
    assert not any(worker.is_alive() for worker in workers)
    assert errors == []

    notifications = application.recorder.select_notifications(start=1, limit=100)
    by_id = {n.id: (n.originator_id, n.originator_version) for n in notifications}
    assert len(by_id) == 2 * threads
    for customer_id, ids in recorded.items():
        assert [by_id[i] for i in ids] == [(customer_id, 1), (customer_id, 2)]
    assert application.group_commit is not None
    assert application.group_commit.groups <= threads


# -- recent events --------------------------------------------------------------------------


def history(n: int, changes: int) -> tuple[JourneyAggregate.Event, ...]:
    """A customer's registration followed by `changes` reported changes, as stored events."""
    customer = registration(n)
    with recording_at(datetime(2026, 1, 5, 9, tzinfo=UTC)):
        for change in range(changes):
            customer.report_change(f"change {change}", date(2026, 1, 5))
    return tuple(cast(Sequence[JourneyAggregate.Event], customer.collect_events()))


def test_recent_events_forgets_the_least_recently_used_aggregate_first() -> None:
    recent = RecentEvents(2)
    a, b, c = history(1, 0), history(2, 0), history(3, 0)
    ids = [events[0].originator_id for events in (a, b, c)]
    recent.put(ids[0], a)
    recent.put(ids[1], b)
    assert recent.get(ids[0]) == a  # a is now the most recently used

    recent.put(ids[2], c)

    assert recent.get(ids[1]) is None
    assert recent.get(ids[0]) == a
    assert recent.get(ids[2]) == c


def test_recent_events_never_replaces_a_longer_history_with_a_shorter_one() -> None:
    recent = RecentEvents(5)
    events = history(4, 3)
    aggregate_id = events[0].originator_id
    recent.put(aggregate_id, events)

    recent.put(aggregate_id, events[:2])
    assert recent.get(aggregate_id) == events

    longer = history(4, 4)
    recent.put(aggregate_id, longer)
    assert recent.get(aggregate_id) == longer


def test_recent_events_extends_a_history_with_events_that_follow_it() -> None:
    recent = RecentEvents(5)
    events = history(5, 3)
    aggregate_id = events[0].originator_id

    recent.extend(aggregate_id, events[:1])  # a new aggregate: its first event is enough
    assert recent.get(aggregate_id) == events[:1]
    recent.extend(aggregate_id, events[1:3])
    assert recent.get(aggregate_id) == events[:3]
    recent.extend(aggregate_id, ())
    assert recent.get(aggregate_id) == events[:3]


def test_recent_events_forgets_an_aggregate_whose_stored_events_do_not_follow() -> None:
    recent = RecentEvents(5)
    events = history(6, 4)
    aggregate_id = events[0].originator_id
    recent.put(aggregate_id, events[:2])

    recent.extend(aggregate_id, events[3:])  # version 4 after version 2: something was missed
    assert recent.get(aggregate_id) is None

    recent.extend(aggregate_id, events[2:])  # an unknown aggregate is not started mid-history
    assert recent.get(aggregate_id) is None

    recent.put(aggregate_id, events[:3])
    recent.extend(aggregate_id, events[1:2])  # events already known do not follow either
    assert recent.get(aggregate_id) is None


def test_recent_events_forget_drops_only_that_aggregate() -> None:
    recent = RecentEvents(5)
    a, b = history(7, 1), history(8, 1)
    recent.put(a[0].originator_id, a)
    recent.put(b[0].originator_id, b)

    recent.forget(a[0].originator_id)
    recent.forget(uuid4())  # forgetting an unknown aggregate is harmless

    assert recent.get(a[0].originator_id) is None
    assert recent.get(b[0].originator_id) == b


def test_recent_events_replay_to_the_same_state_every_time() -> None:
    # Many commands replay one cached tuple: replaying must not change the events.
    events = history(9, 3)
    states = []
    for _ in range(2):
        aggregate: Customer | None = None
        for event in events:
            aggregate = cast(Customer | None, event.mutate(aggregate))
        assert aggregate is not None
        aggregate.report_change("a change that is never saved", date(2026, 1, 5))
        states.append(aggregate.circumstances[:3])
    assert states[0] == states[1] == [(date(2026, 1, 5), f"change {n}") for n in range(3)]


def test_recent_events_forgets_everything_about_a_customer_and_nothing_else() -> None:
    recent = RecentEvents(10)
    customer, other = history(7, 1), history(8, 0)
    customer_id = customer[0].originator_id
    concern = Concern.raise_concern(
        customer_id=customer_id,
        policy=None,
        description="worried about them",
        owner="CW-101",
        due_on=date(2026, 1, 9),
        raised_on=date(2026, 1, 5),
    )
    concern_events = tuple(cast(Sequence[JourneyAggregate.Event], concern.collect_events()))
    for events in (customer, other, concern_events):
        recent.put(events[0].originator_id, events)

    recent.forget_about(customer_id)

    assert recent.get(customer_id) is None
    assert recent.get(concern.id) is None  # a journey naming the customer in its first event
    assert recent.get(other[0].originator_id) == other
