"""The clock port: services ask it for 'now' so tests, replays and the demo are deterministic."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, date, datetime, timedelta


class Clock(ABC):
    """Tells the current time in UTC."""

    @abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""

    def today(self) -> date:
        """The current date in UTC."""
        return self.now().date()


class SystemClock(Clock):
    """The machine's clock."""

    def now(self) -> datetime:
        """The machine's current UTC time."""
        return datetime.now(tz=UTC)


class SimulatedClock(Clock):
    """A clock that only moves when told to: for tests, replays and the synthetic demo."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a simulated clock starts at a timezone-aware time")
        self._now = start.astimezone(UTC)

    @classmethod
    def on(cls, day: date, hour: int = 9) -> SimulatedClock:
        """A clock set to the given day at the given hour (UTC)."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))

    def now(self) -> datetime:
        """The simulated time."""
        return self._now

    def advance(self, by: timedelta) -> None:
        """Move time forward."""
        if by < timedelta(0):
            raise ValueError("time does not go backwards")
        self._now += by

    def set(self, moment: datetime) -> None:
        """Jump to a later moment."""
        if moment.astimezone(UTC) < self._now:
            raise ValueError("time does not go backwards")
        self._now = moment.astimezone(UTC)
