"""Views in an embedded SQLite file (the default when no database server is configured)."""

from __future__ import annotations

import queue
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.views.sql import Cursor, SqlViewStore


class SQLiteViewStore(SqlViewStore):
    """Connections kept open and reused; WAL lets readers carry on while a batch is written.

    Opening a connection per transaction cost about a millisecond of processor each time (and
    the last one to close checkpoints the write-ahead log): more than most batches. A
    transaction takes an idle connection or opens one, and gives it back when it ends, so there
    are never more than the most transactions that ran at once.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self.create_tables()

    def _open(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN ourselves, so that writers take the write lock
        # at the start (BEGIN IMMEDIATE) and tracking checks cannot race. A connection serves
        # one transaction at a time, whichever thread runs it.
        connection = sqlite3.connect(
            self.path, timeout=30, isolation_level=None, check_same_thread=False
        )
        # Views can always be rebuilt from the log and each batch commits its rows with its
        # tracking position: in WAL mode NORMAL loses no commit when the process dies, only
        # (on power loss) the last ones, which are then applied again.
        connection.execute("PRAGMA journal_mode=WAL")  # kept by the file: a no-op after the first
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Cursor]:
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._open()
        cursor = connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield cursor
                connection.commit()
            except BaseException:
                # A failed commit too: the connection is reused, so no transaction stays open.
                connection.rollback()
                raise
            finally:
                cursor.close()
        except BaseException:
            connection.close()  # not reused after a failure: a fresh one costs little then
            raise
        self._idle.put(connection)

    def _sql(self, statement: str) -> str:
        return statement

    def close(self) -> None:
        """Close the idle connections (a later transaction opens a new one)."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
