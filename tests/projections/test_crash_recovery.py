"""Projection processes killed part-way lose and double nothing; racing runners double nothing.

The processes are real ones configured by JOURNEYS_* variables as in production: a traced
`python -c` over adapters.bootstrap.build (its trace shows the kill lands inside a batch) and
the deployed worker, `journeys projections follow`. They are killed with SIGKILL, so no
cleanup runs: what is left is exactly what their committed transactions wrote.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

from adapters.bootstrap import Journeys
from projections.batch import ViewBatch
from projections.runner import ProjectionRunner
from projections.store import TrackingConflict, ViewStore
from services.clock import SimulatedClock
from services.settings import Settings
from tests.conftest import process_environment
from tests.projections.conftest import OpenSystem
from tests.projections.helpers import (
    PROJECTIONS,
    LogUpTo,
    assert_each_projection_matches_a_rebuild_to_its_position,
    dump_views,
    fresh_view_store,
    log_facts,
    populate,
    positions,
    rebuild_everything,
)

# The projection process as deployed (build() from JOURNEYS_* variables, then catch_up), with
# each batch traced on stdout: "open" when its transaction begins, "committed" after commit.
PROJECTION_PROCESS = """
import time
from contextlib import contextmanager

from adapters.bootstrap import build

with build() as system:
    store = system.views
    open_batch = store.batch

    @contextmanager
    def traced(projection, expected_position):
        print("open", projection, expected_position, flush=True)
        with open_batch(projection, expected_position) as batch:
            yield batch
            # Hold the transaction open a moment: a kill sent on seeing "open" lands in it.
            time.sleep(0.02)
        print("committed", projection, flush=True)

    store.batch = traced
    # One batch at a time, so the last line says whether a batch is open when the kill
    # lands; the `journeys projections follow` runs below apply batches side by side.
    system.projections.parallel = False
    system.projections.catch_up()
"""
BATCH_SIZE = 250  # a batch of 250 events takes tens of milliseconds: time to land a kill in it
# How often a kill looks for progress in the views: well inside one batch, yet not so often
# that the polling (eight position reads) takes the processor from the process it waits for.
KILL_POLL = 0.005


TRACED_CATCH_UP = (sys.executable, "-c", PROJECTION_PROCESS)
FOLLOW = (str(Path(sys.executable).parent / "journeys"), "projections", "follow")  # the worker


class ProjectionProcess:
    """A projection process in a subprocess, its stdout read as it runs."""

    def __init__(self, command: tuple[str, ...], settings: Settings, cwd: Path) -> None:
        self.traced = command == TRACED_CATCH_UP
        self.process = subprocess.Popen(
            command,
            env=process_environment(settings, JOURNEYS_PROJECTION_BATCH_SIZE=str(BATCH_SIZE)),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.trace: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.trace.append(line.strip())

    def _ended(self, timeout: float = 10) -> str:
        """Wait for the process to end; its stderr (stdout belongs to the reader thread)."""
        self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        assert self.process.stderr is not None
        return self.process.stderr.read()

    def _fail(self, reason: str) -> NoReturn:
        self.process.kill()
        stderr = self._ended()
        pytest.fail(f"{reason}; output {self.trace[-5:]}; stderr {stderr}")

    def _wait(self, condition: Callable[[], bool], what: str, every: float) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            if self.process.poll() is not None:
                self._fail(f"the process ended (exit {self.process.returncode}) before {what}")
            if time.monotonic() > deadline:
                self._fail(f"no {what} within 60 s")
            time.sleep(every)

    def _batch_opened_after_a_commit(self) -> bool:
        trace = list(self.trace)
        return (
            bool(trace)
            and trace[-1].startswith("open ")
            and any(line.startswith("committed") for line in trace)
        )

    def kill_part_way(self, store: ViewStore, past: int, last: int) -> dict[str, int]:
        """SIGKILL the process once some projection has committed beyond `past`.

        A traced process is killed while its trace shows a batch open, so the kill is known
        to land inside a transaction.
        """
        self._wait(
            lambda: max(positions(store).values()) > past, f"a position beyond {past}", KILL_POLL
        )
        if self.traced:
            # The process commits a batch before it prints "committed", so the position above
            # can be seen while the trace still ends with that batch's "open": wait for a batch
            # opened after a commit the trace shows. Reading the trace costs nothing: look often.
            self._wait(self._batch_opened_after_a_commit, "a batch under way", 0.001)
        os.kill(self.process.pid, signal.SIGKILL)
        self._ended()
        assert self.process.returncode == -signal.SIGKILL
        if self.traced:
            assert self.trace[-1].startswith("open "), f"not inside a batch: {self.trace[-3:]}"
        reached = positions(store)
        assert max(reached.values()) > past
        assert min(reached.values()) < last, f"killed too late: {reached} of {last}"
        return reached

    def stop_once_caught_up(self, store: ViewStore, last: int) -> None:
        """Wait until every projection reaches `last`, then stop the worker with SIGTERM."""
        self._wait(lambda: min(positions(store).values()) >= last, f"position {last}", 0.05)
        self.process.send_signal(signal.SIGTERM)
        stderr = self._ended(timeout=30)
        assert self.process.returncode == 0, stderr  # SIGTERM is a clean stop


def assert_views_are_complete(system: Journeys) -> None:
    """At the end of the log, equal to a rebuild in a fresh store, with the log's counts."""
    facts = log_facts(system)
    assert positions(system.views) == dict.fromkeys(PROJECTIONS, facts.last_position)
    views = dump_views(system.views)
    assert len(views["view_timeline"]) == facts.events_with_customer
    assert len(views["view_ledger"]) == facts.decisions
    assert len(views["view_self_service"]) == facts.customers
    assert len(views["view_claim_owner"]) == facts.owned_aggregates
    with fresh_view_store(system.settings) as fresh:
        rebuild_everything(system, fresh)
        assert dump_views(fresh) == views


@pytest.mark.slow
def test_projection_processes_killed_part_way_resume_to_the_same_views_as_a_rebuild(
    journeys: Journeys, clock: SimulatedClock, tmp_path: Path
) -> None:
    last = populate(journeys, clock, customers=450, seed=21)
    facts = log_facts(journeys)
    assert facts.last_position == last > 2500
    assert facts.events_with_customer == last  # every event concerns a known customer
    views = journeys.views

    catching_up = ProjectionProcess(TRACED_CATCH_UP, journeys.settings, tmp_path)
    first = catching_up.kill_part_way(views, 0, last)
    assert_each_projection_matches_a_rebuild_to_its_position(journeys)

    worker = ProjectionProcess(FOLLOW, journeys.settings, tmp_path)
    second = worker.kill_part_way(views, max(first.values()), last)
    assert_each_projection_matches_a_rebuild_to_its_position(journeys)
    assert all(second[name] >= first[name] for name in PROJECTIONS)

    restarted = ProjectionProcess(FOLLOW, journeys.settings, tmp_path)
    restarted.stop_once_caught_up(views, last)
    assert "Following the log; Ctrl-C to stop." in restarted.trace
    assert_views_are_complete(journeys)


# -- runners racing on the same store ---------------------------------------------------------


BatchOpener = Callable[[str, int], AbstractContextManager[ViewBatch]]


def counting_conflicts(batch: BatchOpener, conflicts: list[str]) -> BatchOpener:
    """The store's batch(), noting every TrackingConflict it raises."""

    @contextmanager
    def counted(projection: str, expected_position: int) -> Iterator[ViewBatch]:
        try:
            with batch(projection, expected_position) as view_batch:
                yield view_batch
        except TrackingConflict:
            conflicts.append(projection)
            raise

    return counted


def racing_runner(
    system: Journeys, batch_size: int, conflicts: list[str], monkeypatch: pytest.MonkeyPatch
) -> ProjectionRunner:
    monkeypatch.setattr(system.views, "batch", counting_conflicts(system.views.batch, conflicts))
    system.projections.batch_size = batch_size
    return system.projections


def race(runners: list[ProjectionRunner]) -> list[BaseException]:
    """Every runner catches up in its own thread, all starting together; what they raised."""
    start = threading.Barrier(len(runners))
    failures: list[BaseException] = []

    def catch_up(runner: ProjectionRunner) -> None:
        start.wait()
        try:
            runner.catch_up()
        except BaseException as error:  # reported by the test, with the thread's traceback
            failures.append(error)

    threads = [threading.Thread(target=catch_up, args=(runner,)) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_two_runners_racing_in_threads_double_no_rows(
    journeys: Journeys,
    open_system: OpenSystem,
    clock: SimulatedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conflicts: list[str] = []
    runners = [
        racing_runner(journeys, 5, conflicts, monkeypatch),
        racing_runner(open_system(), 3, conflicts, monkeypatch),
    ]
    for round_number in range(3):
        populate(journeys, clock, customers=25, seed=round_number)
        failures = race(runners)
        assert failures == []
        assert_views_are_complete(journeys)
        if conflicts:
            break
    assert conflicts, "the runners never raced for the same batch"


def test_a_runner_overtaken_mid_catch_up_skips_what_the_other_applied(
    journeys: Journeys,
    open_system: OpenSystem,
    clock: SimulatedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    last = populate(journeys, clock, customers=20, seed=4)
    conflicts: list[str] = []
    overtaken = racing_runner(journeys, 10, conflicts, monkeypatch)
    other = open_system().projections
    pages: list[int] = []

    def overtake_after_the_first_page(position: int, target: int) -> None:
        pages.append(position)
        if len(pages) == 1:
            other.catch_up()  # applies everything after the first page, first

    read = overtaken.catch_up(progress=overtake_after_the_first_page)

    # Each projection's second batch was refused once (on PostgreSQL the projections'
    # batches run side by side, so in no set order).
    assert sorted(conflicts) == sorted(PROJECTIONS)
    assert read == 20  # the first page and the page it could not apply
    assert positions(journeys.views) == dict.fromkeys(PROJECTIONS, last)
    assert_views_are_complete(journeys)


def test_a_reset_racing_another_runners_batch_leaves_none_of_its_rows_behind(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    """`projections rebuild` while a follower is mid-batch: the reset must take it all away.

    A reset that emptied the tables before it locked the tracking row kept the rows the
    batch committed meanwhile while setting the position to 0: on PostgreSQL every later
    batch then failed on a duplicate key and the view stopped for good.
    """
    last = populate(journeys, clock, customers=6, seed=7)
    half = last // 2
    runner, views = journeys.projections, journeys.views
    every_projection = list(runner.projections.values())
    ProjectionRunner(LogUpTo(runner.log, half), views, every_projection).catch_up()
    timeline = runner.projections["timeline"]

    with views.batch("timeline", half) as batch:  # a follower's batch, under way...
        timeline.apply(runner.log.read(after=half, limit=last), batch)
        batch.advance_to(last)
        # ...when an operator rebuilds the timeline: the reset waits for the batch.
        resetting = threading.Thread(target=views.reset, args=("timeline", timeline.tables))
        resetting.start()
        resetting.join(timeout=0.5)
        assert resetting.is_alive()
    resetting.join(timeout=30)
    assert not resetting.is_alive()

    assert (views.position("timeline"), views.count_rows("view_timeline")) == (0, 0)
    assert runner.catch_up() == last
    assert_views_are_complete(journeys)
