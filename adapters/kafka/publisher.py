"""The publisher port: records out to a topic, returning only once every one is acknowledged."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from adapters.kafka.envelope import Publication


class PublishFailed(RuntimeError):
    """The broker did not acknowledge every record of a batch (some may have been stored)."""


class EventPublisher(ABC):
    """Sends records to one topic; publish returns only once every record is acknowledged."""

    topic: str

    @abstractmethod
    def publish(self, records: Sequence[Publication]) -> Mapping[int, int]:
        """Send the records in order; raise PublishFailed unless the broker acknowledged all.

        Returns, for each partition written to, the offset after its last record.
        """

    @abstractmethod
    def close(self) -> None:
        """Send what is buffered and release the connection."""
