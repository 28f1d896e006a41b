"""The disclosures view's SQL: one row per staff read of a customer's data, in log order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase, recorded_text
from projections.model import DisclosureEntry, DisclosureQuery, Page

TABLES = ("view_disclosure",)

SCHEMA = (
    # One row per staff read; customer_id is NULL for a read of a list of many customers.
    "CREATE TABLE IF NOT EXISTS {p}view_disclosure ("
    " position BIGINT PRIMARY KEY, customer_id TEXT, subject TEXT NOT NULL,"
    " role TEXT NOT NULL, read_at TEXT NOT NULL, entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_disclosure_by_customer ON {p}view_disclosure"
    " (customer_id, position)",
    "CREATE INDEX IF NOT EXISTS view_disclosure_by_subject ON {p}view_disclosure"
    " (subject, position)",
)

DISCLOSURE_COLUMNS: tuple[Column, ...] = (
    ("position", "BIGINT"),
    ("customer_id", "TEXT"),
    ("subject", "TEXT"),
    ("role", "TEXT"),
    ("read_at", "TEXT"),
    ("entry", "TEXT"),
)


class DisclosureReads(SqlStoreBase):
    """The store's reads of disclosures."""

    def read_disclosures(
        self, query: DisclosureQuery, page: Page
    ) -> tuple[list[DisclosureEntry], int]:
        """Disclosures of a customer and/or by a colleague, in log order."""
        where = ["1 = 1"]
        params: list[Any] = []
        if query.customer_id is not None:
            where.append("customer_id = ?")
            params.append(str(query.customer_id))
        if query.subject is not None:
            where.append("subject = ?")
            params.append(query.subject)
        rows, total = self._page(
            "view_disclosure", " AND ".join(where), params, "position", "entry", page
        )
        return [DisclosureEntry.model_validate_json(row) for row in rows], total


class DisclosureBatch(SqlBatchBase):
    """A batch's disclosure rows, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._disclosures: list[DisclosureEntry] = []

    def add_disclosures(self, entries: Sequence[DisclosureEntry]) -> None:
        """Buffer disclosure rows."""
        self._disclosures.extend(entries)

    def _flush_disclosures(self) -> None:
        if not self._disclosures:
            return
        self._store.insert_rows(
            self._cursor,
            "view_disclosure",
            DISCLOSURE_COLUMNS,
            [
                (
                    e.position,
                    str(e.customer_id) if e.customer_id else None,
                    e.subject,
                    e.role,
                    recorded_text(e.read_at),
                    e.model_dump_json(),
                )
                for e in self._disclosures
            ],
        )
