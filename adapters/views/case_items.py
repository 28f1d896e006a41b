"""The case items view's SQL: staff work items (open or closed), soonest due first."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page

TABLES = ("view_case_item",)

SCHEMA = (
    # due_key is due_on, or a far date when there is none, so items without one sort last.
    "CREATE TABLE IF NOT EXISTS {p}view_case_item ("
    " item_id TEXT PRIMARY KEY, kind TEXT NOT NULL, customer_id TEXT, is_open INTEGER NOT NULL,"
    " due_key TEXT NOT NULL, opened_on TEXT NOT NULL, document TEXT NOT NULL,"
    " erased_document TEXT)",
    "CREATE INDEX IF NOT EXISTS view_case_item_worklist ON {p}view_case_item"
    " (kind, is_open, due_key, opened_on, item_id)",
    "CREATE INDEX IF NOT EXISTS view_case_item_by_customer ON {p}view_case_item (customer_id)",
)

ADDED_COLUMNS = (("view_case_item", "erased_document"),)
"""Columns newer than the table: views made before them get them added (rebuild to fill)."""

CASE_ITEM_COLUMNS: tuple[Column, ...] = (
    ("item_id", "TEXT"),
    ("kind", "TEXT"),
    ("customer_id", "TEXT"),
    ("is_open", "INTEGER"),
    ("due_key", "TEXT"),
    ("opened_on", "TEXT"),
    ("document", "TEXT"),
    ("erased_document", "TEXT"),
)
NO_DUE_DATE = "9999-12-31"
"""The due_key of an item without a due date: after every real one."""


class CaseItemReads(SqlStoreBase):
    """The store's reads of case items."""

    def read_case_item(self, item_id: UUID) -> CaseItem | None:
        """One case item."""
        with self._reading() as cursor:
            cursor.execute(
                self.t("SELECT document FROM {p}view_case_item WHERE item_id = ?"),
                (str(item_id),),
            )
            row = cursor.fetchone()
        return CaseItem.model_validate_json(row[0]) if row else None

    def read_case_items(self, query: CaseItemQuery, page: Page) -> tuple[list[CaseItem], int]:
        """Case items matching the query, soonest due first."""
        where = ["1 = 1"]
        params: list[Any] = []
        if query.kind is not None:
            where.append("kind = ?")
            params.append(query.kind.value)
        if query.customer_id is not None:
            where.append("customer_id = ?")
            params.append(str(query.customer_id))
        if query.open is not None:
            where.append("is_open = ?")
            params.append(int(query.open))
        if query.due_before is not None:
            where.append("due_key < ?")
            params.append(query.due_before.isoformat())
        rows, total = self._page(
            "view_case_item",
            " AND ".join(where),
            params,
            "due_key, opened_on, item_id",
            "document",
            page,
        )
        return [CaseItem.model_validate_json(row) for row in rows], total


class CaseItemBatch(SqlBatchBase):
    """A batch's case items, their erased forms and erasures: read through, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._case_items: dict[UUID, CaseItem] = {}
        self._stored_case_items: dict[UUID, CaseItem | None] = {}
        self._erasable_case_items: dict[UUID, CaseItem] = {}
        self._stored_erasable_case_items: dict[UUID, CaseItem | None] = {}
        self._erased_case_items: list[UUID] = []

    def case_item(self, item_id: UUID) -> CaseItem | None:
        """The item as this batch last put it, else as stored."""
        if item_id in self._case_items:
            return self._case_items[item_id]
        if item_id not in self._stored_case_items:
            self._cursor.execute(
                self._store.t("SELECT document FROM {p}view_case_item WHERE item_id = ?"),
                (str(item_id),),
            )
            row = self._cursor.fetchone()
            self._stored_case_items[item_id] = CaseItem.model_validate_json(row[0]) if row else None
        return self._stored_case_items[item_id]

    def put_case_item(self, item: CaseItem) -> None:
        """Buffer an item."""
        self._case_items[item.item_id] = item

    def erasable_case_item(self, item_id: UUID) -> CaseItem | None:
        """The item's erased form as this batch last put it, else as stored."""
        if item_id in self._erasable_case_items:
            return self._erasable_case_items[item_id]
        if item_id not in self._stored_erasable_case_items:
            self._cursor.execute(
                self._store.t("SELECT erased_document FROM {p}view_case_item WHERE item_id = ?"),
                (str(item_id),),
            )
            row = self._cursor.fetchone()
            stored = CaseItem.model_validate_json(row[0]) if row and row[0] else None
            self._stored_erasable_case_items[item_id] = stored
        return self._stored_erasable_case_items[item_id]

    def put_erasable_case_item(self, item: CaseItem) -> None:
        """Buffer an item's erased form (written with the item)."""
        self._erasable_case_items[item.item_id] = item

    def erase_case_items(self, customer_id: UUID) -> None:
        """Buffer an erasure (applied after this batch's rows are written)."""
        self._erased_case_items.append(customer_id)

    def customer_case_items(self, customer_id: UUID, kind: CaseItemKind) -> list[CaseItem]:
        """The stored items, overlaid with this batch's, by item id."""
        self._cursor.execute(
            self._store.t(
                "SELECT document FROM {p}view_case_item WHERE customer_id = ? AND kind = ?"
            ),
            (str(customer_id), kind.value),
        )
        items = {
            item.item_id: item
            for item in (CaseItem.model_validate_json(row[0]) for row in self._cursor.fetchall())
        }
        for item in self._case_items.values():
            if item.customer_id == customer_id and item.kind is kind:
                items[item.item_id] = item
        return sorted(items.values(), key=lambda item: str(item.item_id))

    def _flush_case_items(self) -> None:
        if not self._case_items:
            return
        self._store.insert_rows(
            self._cursor,
            "view_case_item",
            CASE_ITEM_COLUMNS,
            [
                (
                    str(item.item_id),
                    item.kind.value,
                    str(item.customer_id) if item.customer_id else None,
                    int(item.open),
                    item.due_on.isoformat() if item.due_on else NO_DUE_DATE,
                    item.opened_on.isoformat(),
                    item.model_dump_json(),
                    self._erasable_document(item),
                )
                for item in self._case_items.values()
            ],
            "ON CONFLICT (item_id) DO UPDATE SET kind = excluded.kind,"
            " customer_id = excluded.customer_id, is_open = excluded.is_open,"
            " due_key = excluded.due_key, opened_on = excluded.opened_on,"
            " document = excluded.document, erased_document = excluded.erased_document",
        )

    def _erasable_document(self, item: CaseItem) -> str | None:
        # None when it would read the same (no erased form is then kept: a later event with
        # personal data starts one from the item itself).
        erasable = self._erasable_case_items.get(item.item_id)
        return erasable.model_dump_json() if erasable and erasable != item else None

    def _flush_case_item_erasures(self) -> None:
        self._apply_erasures("view_case_item", "document", self._erased_case_items)
