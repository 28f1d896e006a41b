"""The timeline view's SQL: one row per event a customer can see, in log order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase, recorded_text
from projections.model import Page, TimelineEntry, TimelineQuery

TABLES = ("view_timeline",)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_timeline ("
    " position BIGINT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " effective_date TEXT, recorded_at TEXT NOT NULL, entry TEXT NOT NULL, erased_entry TEXT)",
    "CREATE INDEX IF NOT EXISTS view_timeline_by_customer ON {p}view_timeline"
    " (customer_id, position)",
)

ADDED_COLUMNS = (("view_timeline", "erased_entry"),)
"""Columns newer than the table: views made before them get them added (rebuild to fill)."""

TIMELINE_COLUMNS: tuple[Column, ...] = (
    ("position", "BIGINT"),
    ("customer_id", "TEXT"),
    ("kind", "TEXT"),
    ("effective_date", "TEXT"),
    ("recorded_at", "TEXT"),
    ("entry", "TEXT"),
    ("erased_entry", "TEXT"),  # the entry once its customer is erased (None: no difference)
)


class TimelineReads(SqlStoreBase):
    """The store's reads of timelines."""

    def read_timeline(self, query: TimelineQuery, page: Page) -> tuple[list[TimelineEntry], int]:
        """Filtered timeline rows in log order."""
        rows, total = self.read_timeline_json(query, page)
        return [TimelineEntry.model_validate_json(row) for row in rows], total

    def read_timeline_json(self, query: TimelineQuery, page: Page) -> tuple[list[str], int]:
        """Filtered timeline rows in log order, as their stored JSON text, and the total."""
        where = ["customer_id = ?"]
        params: list[Any] = [str(query.customer_id)]
        if query.kinds:
            where.append(f"kind IN ({', '.join('?' * len(query.kinds))})")
            params.extend(query.kinds)
        for column, operator, value in (
            ("effective_date", ">=", query.effective_from),
            ("effective_date", "<=", query.effective_to),
            ("recorded_at", ">=", query.recorded_from),
            ("recorded_at", "<=", query.recorded_to),
        ):
            if value is not None:
                where.append(f"{column} {operator} ?")
                params.append(
                    recorded_text(value) if isinstance(value, datetime) else value.isoformat()
                )
        return self._page("view_timeline", " AND ".join(where), params, "position", "entry", page)


class TimelineBatch(SqlBatchBase):
    """A batch's timeline rows, their erased forms and erasures, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._timeline: list[TimelineEntry] = []
        self._erasable_timeline: dict[int, str] = {}
        self._erased_timelines: list[UUID] = []

    def add_timeline_entries(self, entries: Sequence[TimelineEntry]) -> None:
        """Buffer timeline rows."""
        self._timeline.extend(entries)

    def add_erasable_timeline_entries(self, erased: Sequence[TimelineEntry]) -> None:
        """Buffer the erased forms of rows added in this batch."""
        self._erasable_timeline.update((e.position, e.model_dump_json()) for e in erased)

    def erase_timeline(self, customer_id: UUID) -> None:
        """Buffer an erasure (applied after this batch's rows are written)."""
        self._erased_timelines.append(customer_id)

    def _flush_timeline(self) -> None:
        if self._timeline:
            self._store.insert_rows(
                self._cursor,
                "view_timeline",
                TIMELINE_COLUMNS,
                [
                    (
                        e.position,
                        str(e.customer_id),
                        e.kind,
                        e.effective_date.isoformat() if e.effective_date else None,
                        recorded_text(e.recorded_at),
                        e.model_dump_json(),
                        self._erasable_timeline.get(e.position),
                    )
                    for e in self._timeline
                ],
            )

    def _flush_timeline_erasures(self) -> None:
        self._apply_erasures("view_timeline", "entry", self._erased_timelines)
