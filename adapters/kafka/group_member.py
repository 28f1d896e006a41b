"""What every Journeys consumer-group member does alike: report lag, drain, follow."""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from kafka import KafkaConsumer

log = logging.getLogger(__name__)

# Back off after a failure, but poll again within the group's max poll interval (5 s), or the
# group would hand the partitions to another member meanwhile.
MAX_BACKOFF = 4.0


class HasLag(Protocol):
    """A tally that records the lag last seen."""

    lag: int


TallyT = TypeVar("TallyT", bound=HasLag)


class GroupMember(ABC, Generic[TallyT]):
    """A consumer in a group whose `poll` handles one batch; the loops around it are shared."""

    _consumer: KafkaConsumer
    tally: TallyT
    name = "consumer"

    @abstractmethod
    def poll(self, timeout_ms: int = 500) -> int:
        """Handle one polled batch; how many records it handled."""

    def lag(self) -> int:
        """Records on the assigned partitions not yet read (as of the broker's ends now)."""
        assigned = list(self._consumer.assignment())
        if not assigned:
            self.tally.lag = 0
            return 0
        ends = self._consumer.end_offsets(assigned)
        self.tally.lag = sum(max(ends[p] - self._consumer.position(p), 0) for p in assigned)
        return self.tally.lag

    def drain(
        self, join_timeout: float = 30.0, on_batch: Callable[[TallyT], None] | None = None
    ) -> TallyT:
        """Join the group and handle everything on its partitions now; return the tally."""
        give_up = time.monotonic() + join_timeout
        while True:
            handled = self.poll(timeout_ms=200)
            if handled and on_batch is not None:
                self.lag()
                on_batch(self.tally)
            if not self._consumer.assignment():
                if time.monotonic() > give_up:
                    raise TimeoutError(f"no partitions assigned within {join_timeout:g} s")
                continue
            if not handled and self.lag() == 0:
                return self.tally

    def follow(
        self,
        stop: threading.Event,
        on_batch: Callable[[TallyT], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        pause: float = 1.0,
    ) -> None:
        """Handle records as they arrive until `stop` is set; failures wait and try again."""
        wait = pause
        while not stop.is_set():
            try:
                handled = self.poll(timeout_ms=500)
            except Exception as error:  # transient by the handlers' contract
                if on_error is not None:
                    on_error(error)
                else:
                    log.error("%s: %r; trying again", self.name, error)
                stop.wait(wait)
                wait = min(wait * 2, MAX_BACKOFF)
                continue
            wait = pause
            if handled and on_batch is not None:
                self.lag()
                on_batch(self.tally)
