"""The deadlines view's SQL: each deadline as it stands, for the scheduler and for staff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.model import DeadlineEntry, DeadlineQuery, DeadlineStatus, Page

TABLES = ("view_deadline",)

SCHEMA = (
    # The entry is the deadline as it stands; status, closed_on and note repeat it for queries.
    "CREATE TABLE IF NOT EXISTS {p}view_deadline ("
    " deadline_id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, customer_id TEXT NOT NULL,"
    " status TEXT NOT NULL, fires_on TEXT NOT NULL, closed_on TEXT, note TEXT,"
    " entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_deadline_due ON {p}view_deadline"
    " (status, fires_on, aggregate_id, deadline_id)",
    "CREATE INDEX IF NOT EXISTS view_deadline_by_customer ON {p}view_deadline"
    " (customer_id, fires_on)",
)

DEADLINE_COLUMNS: tuple[Column, ...] = (
    ("deadline_id", "TEXT"),
    ("aggregate_id", "TEXT"),
    ("customer_id", "TEXT"),
    ("status", "TEXT"),
    ("fires_on", "TEXT"),
    ("closed_on", "TEXT"),
    ("note", "TEXT"),
    ("entry", "TEXT"),
)


class DeadlineReads(SqlStoreBase):
    """The store's reads of deadlines."""

    def read_due_deadlines(self, on: date, limit: int) -> list[DeadlineEntry]:
        """Pending deadlines due by `on`, in the order the scheduler fires them."""
        with self._reading() as cursor:
            cursor.execute(
                self.t(
                    "SELECT entry FROM {p}view_deadline WHERE status = ? AND fires_on <= ?"
                    " ORDER BY fires_on, aggregate_id, deadline_id LIMIT ?"
                ),
                (DeadlineStatus.PENDING.value, on.isoformat(), limit),
            )
            rows = cursor.fetchall()
        return [DeadlineEntry.model_validate_json(row[0]) for row in rows]

    def read_deadlines(self, query: DeadlineQuery, page: Page) -> tuple[list[DeadlineEntry], int]:
        """Deadlines matching the query, by day; each with its current status."""
        where = ["1 = 1"]
        params: list[Any] = []
        if query.customer_id is not None:
            where.append("customer_id = ?")
            params.append(str(query.customer_id))
        if query.status is not None:
            where.append("status = ?")
            params.append(query.status.value)
        if query.due_before is not None:
            where.append("fires_on < ?")
            params.append(query.due_before.isoformat())
        rows, total = self._page(
            "view_deadline", " AND ".join(where), params, "fires_on, deadline_id", "entry", page
        )
        return [DeadlineEntry.model_validate_json(row) for row in rows], total


class DeadlineBatch(SqlBatchBase):
    """A batch's new and closed deadlines, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._deadlines: dict[UUID, DeadlineEntry] = {}
        self._closed_deadlines: dict[UUID, tuple[DeadlineStatus, date, str | None]] = {}

    def add_deadlines(self, entries: Sequence[DeadlineEntry]) -> None:
        """Buffer newly set deadlines."""
        for entry in entries:
            self._deadlines[entry.deadline_id] = entry

    def close_deadline(
        self,
        deadline_id: UUID,
        status: DeadlineStatus,
        closed_on: date,
        cancel_reason: str | None = None,
    ) -> None:
        """Buffer a deadline's closing (applied to the entry, wherever it was set)."""
        entry = self._deadlines.get(deadline_id)
        if entry is not None:
            self._deadlines[deadline_id] = _closed(entry, status, closed_on, cancel_reason)
        else:
            self._closed_deadlines[deadline_id] = (status, closed_on, cancel_reason)

    def _flush_deadlines(self) -> None:
        store, cursor = self._store, self._cursor
        entries = dict(self._deadlines)
        if self._closed_deadlines:
            # Closed here, set in an earlier batch: read those entries and close them.
            ids = [str(deadline_id) for deadline_id in self._closed_deadlines]
            condition, params = store.in_list("deadline_id", ids)
            cursor.execute(
                store.t(f"SELECT entry FROM {{p}}view_deadline WHERE {condition}"), params
            )
            for (text,) in cursor.fetchall():
                entry = DeadlineEntry.model_validate_json(text)
                status, closed_on, reason = self._closed_deadlines[entry.deadline_id]
                entries[entry.deadline_id] = _closed(entry, status, closed_on, reason)
        if not entries:
            return
        store.insert_rows(
            cursor,
            "view_deadline",
            DEADLINE_COLUMNS,
            [
                (
                    str(e.deadline_id),
                    str(e.aggregate_id),
                    str(e.customer_id),
                    e.status.value,
                    e.fires_on.isoformat(),
                    e.closed_on.isoformat() if e.closed_on else None,
                    e.cancel_reason,
                    e.model_dump_json(),
                )
                for e in entries.values()
            ],
            "ON CONFLICT (deadline_id) DO UPDATE SET status = excluded.status,"
            " closed_on = excluded.closed_on, note = excluded.note, entry = excluded.entry",
        )


def _closed(
    entry: DeadlineEntry, status: DeadlineStatus, closed_on: date, reason: str | None
) -> DeadlineEntry:
    return entry.model_copy(
        update={"status": status, "closed_on": closed_on, "cancel_reason": reason}
    )
