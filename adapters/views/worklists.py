"""The claim worklists' SQL: one row per claim on a list, by due date."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.model import Page, Worklist, WorklistItem

TABLES = ("view_worklist",)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_worklist ("
    " claim_id TEXT PRIMARY KEY, worklist TEXT NOT NULL, due_on TEXT NOT NULL,"
    " item TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_worklist_by_due_date ON {p}view_worklist"
    " (worklist, due_on, claim_id)",
)

WORKLIST_COLUMNS: tuple[Column, ...] = (
    ("claim_id", "TEXT"),
    ("worklist", "TEXT"),
    ("due_on", "TEXT"),
    ("item", "TEXT"),
)


class WorklistReads(SqlStoreBase):
    """The store's reads of worklists."""

    def read_worklist(
        self, worklist: Worklist, due_before: date | None, page: Page
    ) -> tuple[list[WorklistItem], int]:
        """A worklist's items by due date (only those due before a date, if given)."""
        where = "worklist = ?"
        params: list[Any] = [worklist.value]
        if due_before is not None:
            where += " AND due_on < ?"
            params.append(due_before.isoformat())
        rows, total = self._page("view_worklist", where, params, "due_on, claim_id", "item", page)
        return [WorklistItem.model_validate_json(row) for row in rows], total


class WorklistBatch(SqlBatchBase):
    """A batch's worklist changes (the last change to a claim wins), written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._worklist: dict[UUID, WorklistItem | None] = {}

    def put_worklist_item(self, item: WorklistItem) -> None:
        """Buffer a worklist item (the last change to a claim wins)."""
        self._worklist[item.claim_id] = item

    def remove_worklist_item(self, claim_id: UUID) -> None:
        """Buffer a removal."""
        self._worklist[claim_id] = None

    def _flush_worklist(self) -> None:
        store, cursor = self._store, self._cursor
        removed = [str(claim_id) for claim_id, item in self._worklist.items() if item is None]
        if removed:
            store.delete_rows(cursor, "view_worklist", "claim_id", removed)
        kept = [item for item in self._worklist.values() if item is not None]
        if kept:
            store.insert_rows(
                cursor,
                "view_worklist",
                WORKLIST_COLUMNS,
                [
                    (str(i.claim_id), i.worklist.value, i.due_on.isoformat(), i.model_dump_json())
                    for i in kept
                ],
                "ON CONFLICT (claim_id) DO UPDATE SET worklist = excluded.worklist,"
                " due_on = excluded.due_on, item = excluded.item",
            )
