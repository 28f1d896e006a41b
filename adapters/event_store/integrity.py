"""The hash-chained log of whichever store the application uses, for the integrity check."""

from __future__ import annotations

from eventsourcing.persistence import Recorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from adapters.event_store.postgres import PostgresChainedLog
from adapters.event_store.sqlite import SQLiteChainedLog
from services.integrity import ChainedLog


class UnchainedStore(TypeError):
    """The application's event store is not one whose events are hash-chained."""


def chained_log(recorder: Recorder) -> ChainedLog:
    """The stored events with their hashes, read from the application's recorder's tables."""
    if isinstance(recorder, PostgresApplicationRecorder):
        return PostgresChainedLog(recorder)
    if isinstance(recorder, SQLiteApplicationRecorder):
        return SQLiteChainedLog(recorder)
    raise UnchainedStore(f"no integrity check for a {type(recorder).__name__}")
