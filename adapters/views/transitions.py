"""The DLA-to-PIP transitions view's SQL: one row per case, with its worklists' due dates."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.model import Page, TransitionCase, TransitionWorklist, TransitionWorklistItem
from projections.transitions import WORKLIST_COLUMN, worklist_columns, worklist_item

TABLES = ("view_transition",)

SCHEMA = (
    # One row per transition; the worklist columns are NULL when the case is not on that list.
    "CREATE TABLE IF NOT EXISTS {p}view_transition ("
    " transition_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, stage TEXT NOT NULL,"
    " invite_on TEXT, window_closes_on TEXT, appointee_due_on TEXT, review_due_on TEXT,"
    " document TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_transition_by_customer ON {p}view_transition (customer_id)",
    "CREATE INDEX IF NOT EXISTS view_transition_invite ON {p}view_transition (invite_on)",
    "CREATE INDEX IF NOT EXISTS view_transition_window ON {p}view_transition (window_closes_on)",
)

TRANSITION_COLUMNS: tuple[Column, ...] = (
    ("transition_id", "TEXT"),
    ("customer_id", "TEXT"),
    ("stage", "TEXT"),
    ("invite_on", "TEXT"),
    ("window_closes_on", "TEXT"),
    ("appointee_due_on", "TEXT"),
    ("review_due_on", "TEXT"),
    ("document", "TEXT"),
)


class TransitionReads(SqlStoreBase):
    """The store's reads of transition cases and their worklists."""

    def read_transition(self, customer_id: UUID) -> TransitionCase | None:
        """The customer's transition case."""
        with self._reading() as cursor:
            cursor.execute(
                self.t("SELECT document FROM {p}view_transition WHERE customer_id = ?"),
                (str(customer_id),),
            )
            row = cursor.fetchone()
        return TransitionCase.model_validate_json(row[0]) if row else None

    def read_transition_worklist(
        self, worklist: TransitionWorklist, due_before: date | None, page: Page
    ) -> tuple[list[TransitionWorklistItem], int]:
        """Transitions on a worklist, soonest due first."""
        column = WORKLIST_COLUMN[worklist]
        where = f"{column} IS NOT NULL"
        params: list[Any] = []
        if worklist is TransitionWorklist.DLA_SUSPENDED:
            where += " AND stage = ?"
            params.append("dla_suspended")
        if due_before is not None:
            where += f" AND {column} < ?"
            params.append(due_before.isoformat())
        rows, total = self._page(
            "view_transition", where, params, f"{column}, transition_id", "document", page
        )
        return [
            worklist_item(TransitionCase.model_validate_json(row), worklist) for row in rows
        ], total


class TransitionBatch(SqlBatchBase):
    """A batch's transition cases: read through the transaction, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._transitions: dict[UUID, TransitionCase] = {}
        self._stored_transitions: dict[UUID, TransitionCase | None] = {}

    def transition_case(self, transition_id: UUID) -> TransitionCase | None:
        """The case as this batch last put it, else as stored."""
        if transition_id in self._transitions:
            return self._transitions[transition_id]
        if transition_id not in self._stored_transitions:
            self._cursor.execute(
                self._store.t("SELECT document FROM {p}view_transition WHERE transition_id = ?"),
                (str(transition_id),),
            )
            row = self._cursor.fetchone()
            self._stored_transitions[transition_id] = (
                TransitionCase.model_validate_json(row[0]) if row else None
            )
        return self._stored_transitions[transition_id]

    def put_transition_case(self, case: TransitionCase) -> None:
        """Buffer a case."""
        self._transitions[case.transition_id] = case

    def _flush_transitions(self) -> None:
        if not self._transitions:
            return
        self._store.insert_rows(
            self._cursor,
            "view_transition",
            TRANSITION_COLUMNS,
            [
                (
                    str(case.transition_id),
                    str(case.customer_id),
                    case.stage,
                    *(day.isoformat() if day else None for day in worklist_columns(case)),
                    case.model_dump_json(),
                )
                for case in self._transitions.values()
            ],
            "ON CONFLICT (transition_id) DO UPDATE SET stage = excluded.stage,"
            " invite_on = excluded.invite_on, window_closes_on = excluded.window_closes_on,"
            " appointee_due_on = excluded.appointee_due_on,"
            " review_due_on = excluded.review_due_on, document = excluded.document",
        )
