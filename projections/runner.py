"""Following the log: read pages once, apply them to every projection in tracked batches."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Protocol

from projections.batch import ViewBatch
from projections.model import ProjectionPosition
from projections.projection import EventLog, LoggedEvent, Projection
from projections.store import TrackingConflict, ViewStore

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called after each page with the position reached and the log's last position."""


class NewEventSignal(Protocol):
    """Something that says when new events have been stored (e.g. PostgreSQL NOTIFY)."""

    def start(self, on_new_events: Callable[[], None]) -> None:
        """Call on_new_events whenever new events may be in the log, until stop()."""
        ...

    def stop(self) -> None:
        """Stop calling back."""
        ...


class UnknownProjection(KeyError):
    """No projection has that name."""


class ProjectionRunner:
    """Applies the log to projections; safe to run beside other runners of the same views."""

    def __init__(
        self,
        log: EventLog,
        store: ViewStore,
        projections: Sequence[Projection[ViewBatch]],
        *,
        batch_size: int = 1000,
        poll_interval: float = 0.2,
        new_events: NewEventSignal | None = None,
        parallel: bool = False,
    ) -> None:
        self.log = log
        self.store = store
        self.projections = {projection.name: projection for projection in projections}
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._new_events = new_events
        self.parallel = parallel
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _selected(self, names: Iterable[str] | None) -> list[Projection[ViewBatch]]:
        if names is None:
            return list(self.projections.values())
        selected = []
        for name in names:
            if name not in self.projections:
                known = ", ".join(self.projections)
                raise UnknownProjection(f"no projection named {name!r} (known: {known})")
            selected.append(self.projections[name])
        return selected

    def catch_up(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Apply every event not yet applied; returns how many log events were read."""
        projections = self._selected(names)
        positions = {p.name: self.store.position(p.name) for p in projections}
        target = self.log.last_position()
        read = 0
        # The next page is read (and decoded) while this one is applied: reading mostly
        # waits on the database, so the two overlap rather than take turns.
        # With a database server, the projections' batches run side by side: each mostly
        # waits on its own connection, so one's Python work fills another's wait.
        appliers = len(projections) if self.parallel and len(projections) > 1 else 0
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="log-reader") as reader,
            ThreadPoolExecutor(max_workers=max(appliers, 1), thread_name_prefix="views") as views,
        ):
            start = min(positions.values(), default=target)
            pending = reader.submit(self.log.read, start, self.batch_size)
            while True:
                page = pending.result()
                if not page:
                    return read
                pending = reader.submit(self.log.read, page[-1].position, self.batch_size)
                read += len(page)
                if appliers:
                    applied = {
                        p.name: views.submit(self._apply, p, positions[p.name], page)
                        for p in projections
                    }
                    wait(applied.values())
                    for name, batch in applied.items():
                        positions[name] = batch.result()
                else:
                    for projection in projections:
                        positions[projection.name] = self._apply(
                            projection, positions[projection.name], page
                        )
                if progress is not None:
                    progress(page[-1].position, max(target, page[-1].position))
                if min(positions.values()) != page[-1].position:
                    # Another runner moved a projection on: read from where we now stand.
                    pending.cancel()
                    pending = reader.submit(self.log.read, min(positions.values()), self.batch_size)

    def _apply(
        self, projection: Projection[ViewBatch], position: int, page: Sequence[LoggedEvent]
    ) -> int:
        """Apply the unseen part of a page in one batch; returns the projection's new position."""
        unseen = [logged for logged in page if logged.position > position]
        if not unseen:
            return position
        try:
            with self.store.batch(projection.name, position) as batch:
                projection.apply(unseen, batch)
                batch.advance_to(unseen[-1].position)
        except TrackingConflict:
            # Another runner applied these events first; carry on from where it got to.
            return self.store.position(projection.name)
        return unseen[-1].position

    def rebuild(self, name: str, progress: Progress | None = None) -> int:
        """Empty one projection and apply the whole log to it again."""
        return self.rebuild_all([name], progress)

    def rebuild_all(
        self, names: Iterable[str] | None = None, progress: Progress | None = None
    ) -> int:
        """Empty projections (default: all) and apply the log to them again, reading it once."""
        projections = self._selected(names)
        for projection in projections:
            self.store.reset(projection.name, projection.tables)
        return self.catch_up([projection.name for projection in projections], progress)

    def status(self) -> list[ProjectionPosition]:
        """Each projection's position and the log's."""
        last = self.log.last_position()
        return [
            ProjectionPosition(name=name, position=self.store.position(name), log_position=last)
            for name in self.projections
        ]

    def reached(self, position: int) -> bool:
        """True when every projection has applied the log up to a position."""
        return all(self.store.position(name) >= position for name in self.projections)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Wait (bounded) until every projection has reached a position."""
        deadline = time.monotonic() + timeout
        self.nudge()
        while not self.reached(position):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    # -- following the log in the background --------------------------------------------

    def nudge(self) -> None:
        """New events were stored: look now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        """Follow the log in a background thread until stop()."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._follow, name="projections", daemon=True)
        self._thread.start()
        if self._new_events is not None:
            self._new_events.start(self.nudge)

    def stop(self) -> None:
        """Stop following (the batch in hand is finished first)."""
        if self._new_events is not None:
            self._new_events.stop()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _follow(self) -> None:
        while not self._stop.is_set():
            try:
                self.catch_up()
            except Exception:  # keep following: a view that stops updating is worse
                log.exception("projection batch failed; retrying after a pause")
                self._stop.wait(1.0)
            self._wake.wait(self.poll_interval)
            self._wake.clear()
