"""Views in an embedded SQLite file (the default when no database server is configured)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.views.sql import Cursor, SqlViewStore


class SQLiteViewStore(SqlViewStore):
    """One connection per transaction; WAL lets readers carry on while a batch is written."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        self.create_tables()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN ourselves, so that writers take the write
        # lock at the start (BEGIN IMMEDIATE) and tracking checks cannot race.
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Cursor]:
        connection = self._connect()
        try:
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield cursor
            except BaseException:
                connection.rollback()
                raise
            connection.commit()
        finally:
            connection.close()

    def _sql(self, statement: str) -> str:
        return statement

    def close(self) -> None:
        """Nothing is held open between transactions."""
