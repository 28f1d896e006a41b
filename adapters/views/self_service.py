"""The self-service view's SQL: one JSON document per customer."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from adapters.views.base import Column, Cursor, SqlBatchBase, SqlStoreBase
from projections.model import SelfServiceView

TABLES = ("view_self_service",)

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_self_service ("
    " customer_id TEXT PRIMARY KEY, document TEXT NOT NULL)",
)

SELF_SERVICE_COLUMNS: tuple[Column, ...] = (("customer_id", "TEXT"), ("document", "TEXT"))


class SelfServiceReads(SqlStoreBase):
    """The store's reads of self-service documents."""

    def read_self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """A customer's self-service document."""
        document = self.read_self_service_json(customer_id)
        return SelfServiceView.model_validate_json(document) if document is not None else None

    def read_self_service_json(self, customer_id: UUID) -> str | None:
        """The document's JSON text as stored (one statement, nothing parsed)."""
        with self._reading() as cursor:
            cursor.execute(
                self.t("SELECT document FROM {p}view_self_service WHERE customer_id = ?"),
                (str(customer_id),),
            )
            row = cursor.fetchone()
        return str(row[0]) if row else None


class SelfServiceBatch(SqlBatchBase):
    """A batch's self-service documents: read through the transaction, written on flush."""

    def __init__(self, store: SqlStoreBase, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._documents: dict[UUID, SelfServiceView] = {}
        self._stored_documents: dict[UUID, SelfServiceView | None] = {}

    def self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """The document as this batch last put it, else as stored."""
        if customer_id in self._documents:
            return self._documents[customer_id]
        if customer_id not in self._stored_documents:
            self.prefetch_self_service((customer_id,))
        return self._stored_documents.get(customer_id)

    def prefetch_self_service(self, customer_ids: Iterable[UUID]) -> None:
        """One query for every document this batch has not read or written yet."""
        wanted = [
            c for c in customer_ids if c not in self._documents and c not in self._stored_documents
        ]
        if not wanted:
            return
        condition, params = self._store.in_list("customer_id", [str(c) for c in wanted])
        self._cursor.execute(
            self._store.t(
                f"SELECT customer_id, document FROM {{p}}view_self_service WHERE {condition}"
            ),
            params,
        )
        self._stored_documents.update(dict.fromkeys(wanted))
        for customer_id, document in self._cursor.fetchall():
            self._stored_documents[UUID(customer_id)] = SelfServiceView.model_validate_json(
                document
            )

    def put_self_service(self, view: SelfServiceView) -> None:
        """Buffer a document."""
        self._documents[view.customer_id] = view

    def _flush_self_service(self) -> None:
        if self._documents:
            self._store.insert_rows(
                self._cursor,
                "view_self_service",
                SELF_SERVICE_COLUMNS,
                [(str(c), d.model_dump_json()) for c, d in self._documents.items()],
                "ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document",
            )
