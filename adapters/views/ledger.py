"""The decision ledger's SQL: one row per recorded decision, and its outcome's fields to filter."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.model import LedgerEntry, LedgerQuery, Page

TABLES = ("view_ledger", "view_ledger_outcome")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_ledger ("
    " position BIGINT NOT NULL, idx INTEGER NOT NULL, rule_id TEXT NOT NULL,"
    " rule_version INTEGER NOT NULL, decided_on TEXT, customer_id TEXT NOT NULL,"
    " automated INTEGER NOT NULL, entry TEXT NOT NULL, erased_entry TEXT,"
    " PRIMARY KEY (position, idx))",
    "CREATE INDEX IF NOT EXISTS view_ledger_by_rule ON {p}view_ledger"
    " (rule_id, rule_version, decided_on)",
    "CREATE INDEX IF NOT EXISTS view_ledger_by_customer ON {p}view_ledger (customer_id, position)",
    "CREATE TABLE IF NOT EXISTS {p}view_ledger_outcome ("
    " position BIGINT NOT NULL, idx INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (position, idx, field))",
    "CREATE INDEX IF NOT EXISTS view_ledger_outcome_by_value ON {p}view_ledger_outcome"
    " (field, value)",
)

ADDED_COLUMNS = (("view_ledger", "erased_entry"),)
"""Columns newer than the table: views made before them get them added (rebuild to fill)."""

LEDGER_COLUMNS: tuple[Column, ...] = (
    ("position", "BIGINT"),
    ("idx", "INTEGER"),
    ("rule_id", "TEXT"),
    ("rule_version", "INTEGER"),
    ("decided_on", "TEXT"),
    ("customer_id", "TEXT"),
    ("automated", "INTEGER"),
    ("entry", "TEXT"),
    ("erased_entry", "TEXT"),
)
LEDGER_OUTCOME_COLUMNS: tuple[Column, ...] = (
    ("position", "BIGINT"),
    ("idx", "INTEGER"),
    ("field", "TEXT"),
    ("value", "TEXT"),
)


def outcome_fields(outcome: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Flatten an outcome to (dotted field, text value) pairs for filtering."""
    for key, value in outcome.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from outcome_fields(value, f"{name}.")
        elif isinstance(value, str):
            yield name, value
        else:
            yield name, json.dumps(value)


class LedgerReads(SqlStoreBase):
    """The store's reads of the ledger."""

    def read_ledger(self, query: LedgerQuery, page: Page) -> tuple[list[LedgerEntry], int]:
        """Recorded decisions matching every given filter, in log order."""
        where = ["1 = 1"]
        params: list[Any] = []
        for column, operator, value in (
            ("rule_id", "=", query.rule_id),
            ("rule_version", "=", query.rule_version),
            ("decided_on", ">=", query.decided_from.isoformat() if query.decided_from else None),
            ("decided_on", "<=", query.decided_to.isoformat() if query.decided_to else None),
            ("customer_id", "=", str(query.customer_id) if query.customer_id else None),
            ("automated", "=", int(query.automated) if query.automated is not None else None),
        ):
            if value is not None:
                where.append(f"{column} {operator} ?")
                params.append(value)
        for field, value in sorted(query.outcome.items()):
            where.append(
                "EXISTS (SELECT 1 FROM {p}view_ledger_outcome o WHERE o.position ="
                " {p}view_ledger.position AND o.idx = {p}view_ledger.idx"
                " AND o.field = ? AND o.value = ?)"
            )
            params.extend((field, value))
        rows, total = self._page(
            "view_ledger", " AND ".join(where), params, "position, idx", "entry", page
        )
        return [LedgerEntry.model_validate_json(row) for row in rows], total


class LedgerBatch(SqlBatchBase):
    """A batch's ledger rows, their erased forms and erasures, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._ledger: list[LedgerEntry] = []
        self._erasable_ledger: dict[tuple[int, int], str] = {}
        self._erased_ledgers: list[UUID] = []

    def add_ledger_entries(self, entries: Sequence[LedgerEntry]) -> None:
        """Buffer ledger rows."""
        self._ledger.extend(entries)

    def add_erasable_ledger_entries(self, erased: Sequence[LedgerEntry]) -> None:
        """Buffer the erased forms of rows added in this batch."""
        self._erasable_ledger.update(((e.position, e.index), e.model_dump_json()) for e in erased)

    def erase_ledger(self, customer_id: UUID) -> None:
        """Buffer an erasure (applied after this batch's rows are written)."""
        self._erased_ledgers.append(customer_id)

    def _flush_ledger(self) -> None:
        if not self._ledger:
            return
        store, cursor = self._store, self._cursor
        store.insert_rows(
            cursor,
            "view_ledger",
            LEDGER_COLUMNS,
            [
                (
                    e.position,
                    e.index,
                    e.rule_id,
                    e.rule_version,
                    e.decided_on.isoformat() if e.decided_on else None,
                    str(e.customer_id),
                    int(e.automated),
                    e.model_dump_json(),
                    self._erasable_ledger.get((e.position, e.index)),
                )
                for e in self._ledger
            ],
        )
        outcomes = [
            (e.position, e.index, field, value)
            for e in self._ledger
            for field, value in outcome_fields(e.outcome)
        ]
        if outcomes:
            store.insert_rows(cursor, "view_ledger_outcome", LEDGER_OUTCOME_COLUMNS, outcomes)

    def _flush_ledger_erasures(self) -> None:
        self._apply_erasures("view_ledger", "entry", self._erased_ledgers)
