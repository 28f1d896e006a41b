"""The view store over SQL: one schema and one set of statements for SQLite and PostgreSQL."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

from projections.model import (
    LedgerEntry,
    LedgerQuery,
    Page,
    SelfServiceView,
    TimelineEntry,
    TimelineQuery,
    Worklist,
    WorklistItem,
)
from projections.store import ClaimOwner, TrackingConflict, ViewBatch, ViewStore

TABLES = (
    "view_tracking",
    "view_claim_owner",
    "view_self_service",
    "view_timeline",
    "view_worklist",
    "view_ledger",
    "view_ledger_outcome",
)

# Portable types: TEXT for ids, dates (ISO, so they sort) and JSON documents; BIGINT positions.
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_tracking ("
    " projection TEXT PRIMARY KEY, position BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}view_claim_owner ("
    " claim_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, benefit TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}view_self_service ("
    " customer_id TEXT PRIMARY KEY, document TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}view_timeline ("
    " position BIGINT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " effective_date TEXT, recorded_at TEXT NOT NULL, entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_timeline_by_customer ON {p}view_timeline"
    " (customer_id, position)",
    "CREATE TABLE IF NOT EXISTS {p}view_worklist ("
    " claim_id TEXT PRIMARY KEY, worklist TEXT NOT NULL, due_on TEXT NOT NULL,"
    " item TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_worklist_by_due_date ON {p}view_worklist"
    " (worklist, due_on, claim_id)",
    "CREATE TABLE IF NOT EXISTS {p}view_ledger ("
    " position BIGINT NOT NULL, idx INTEGER NOT NULL, rule_id TEXT NOT NULL,"
    " rule_version INTEGER NOT NULL, decided_on TEXT, customer_id TEXT NOT NULL,"
    " automated INTEGER NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (position, idx))",
    "CREATE INDEX IF NOT EXISTS view_ledger_by_rule ON {p}view_ledger"
    " (rule_id, rule_version, decided_on)",
    "CREATE INDEX IF NOT EXISTS view_ledger_by_customer ON {p}view_ledger (customer_id, position)",
    "CREATE TABLE IF NOT EXISTS {p}view_ledger_outcome ("
    " position BIGINT NOT NULL, idx INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (position, idx, field))",
    "CREATE INDEX IF NOT EXISTS view_ledger_outcome_by_value ON {p}view_ledger_outcome"
    " (field, value)",
)


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any:
        """Run one statement."""
        ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]], /) -> Any:
        """Run one statement for many parameter rows."""
        ...

    def fetchone(self) -> Any:
        """The next row."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        ...


def recorded_text(moment: datetime) -> str:
    """A UTC time as fixed-width ISO text, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


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


class SqlViewStore(ViewStore):
    """Views in SQL tables; subclasses supply connections and the placeholder style."""

    def __init__(self, table_prefix: str = "") -> None:
        self.prefix = table_prefix

    # -- what a dialect supplies --------------------------------------------------------

    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Cursor]:
        """A cursor in a transaction; writers hold the write lock from the start."""

    @abstractmethod
    def _sql(self, statement: str) -> str:
        """The statement with ? placeholders in the dialect's style and tables prefixed."""

    # -- set-up -------------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create the view tables if they do not exist."""
        with self._transaction(write=True) as cursor:
            for statement in SCHEMA:
                cursor.execute(statement.format(p=self.prefix))

    def t(self, statement: str) -> str:
        """Prefix {table} references with the schema."""
        return self._sql(statement.replace("{p}", self.prefix))

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def batch(self, projection: str, expected_position: int) -> Iterator[ViewBatch]:
        """Buffered changes written with the tracking position in one transaction."""
        with self._transaction(write=True) as cursor:
            cursor.execute(
                self.t(
                    "INSERT INTO {p}view_tracking (projection, position) VALUES (?, 0)"
                    " ON CONFLICT (projection) DO NOTHING"
                ),
                (projection,),
            )
            cursor.execute(
                self.t(f"SELECT position FROM {{p}}view_tracking WHERE projection = ?{self._lock}"),
                (projection,),
            )
            (position,) = cursor.fetchone()
            if position != expected_position:
                raise TrackingConflict(
                    f"{projection} is at {position}, not {expected_position}: another runner "
                    "applied these events"
                )
            batch = SqlViewBatch(self, cursor)
            yield batch
            batch.flush(projection)

    _lock = ""
    """Appended to the tracking read in a writing transaction (FOR UPDATE where supported)."""

    def position(self, projection: str) -> int:
        """The projection's tracking position."""
        with self._transaction(write=False) as cursor:
            cursor.execute(
                self.t("SELECT position FROM {p}view_tracking WHERE projection = ?"), (projection,)
            )
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def reset(self, projection: str, tables: Sequence[str]) -> None:
        """Empty the projection's tables and its position together."""
        with self._transaction(write=True) as cursor:
            # The tracking row first: it waits for a batch that holds the row's lock, so the
            # tables are emptied after that batch commits, not before (which kept its rows).
            cursor.execute(
                self.t("DELETE FROM {p}view_tracking WHERE projection = ?"), (projection,)
            )
            for table in tables:
                if table not in TABLES:
                    raise ValueError(f"not a view table: {table}")
                cursor.execute(self.t(f"DELETE FROM {{p}}{table}"))

    # -- reading ------------------------------------------------------------------------------

    def read_self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """A customer's self-service document."""
        with self._transaction(write=False) as cursor:
            return self._self_service(cursor, customer_id)

    def _self_service(self, cursor: Cursor, customer_id: UUID) -> SelfServiceView | None:
        cursor.execute(
            self.t("SELECT document FROM {p}view_self_service WHERE customer_id = ?"),
            (str(customer_id),),
        )
        row = cursor.fetchone()
        return SelfServiceView.model_validate_json(row[0]) if row else None

    def read_timeline(self, query: TimelineQuery, page: Page) -> tuple[list[TimelineEntry], int]:
        """Filtered timeline rows in log order."""
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
        rows, total = self._page(
            "view_timeline", " AND ".join(where), params, "position", "entry", page
        )
        return [TimelineEntry.model_validate_json(row) for row in rows], total

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

    def _page(
        self,
        table: str,
        where: str,
        params: list[Any],
        order: str,
        column: str,
        page: Page,
    ) -> tuple[list[str], int]:
        with self._transaction(write=False) as cursor:
            cursor.execute(self.t(f"SELECT COUNT(*) FROM {{p}}{table} WHERE {where}"), params)
            (total,) = cursor.fetchone()
            cursor.execute(
                self.t(
                    f"SELECT {column} FROM {{p}}{table} WHERE {where}"
                    f" ORDER BY {order} LIMIT ? OFFSET ?"
                ),
                [*params, page.limit, page.offset],
            )
            return [row[0] for row in cursor.fetchall()], int(total)

    def count_rows(self, table: str) -> int:
        """How many rows a view table holds."""
        if table not in TABLES:
            raise ValueError(f"not a view table: {table}")
        with self._transaction(write=False) as cursor:
            cursor.execute(self.t(f"SELECT COUNT(*) FROM {{p}}{table}"))
            return int(cursor.fetchone()[0])


class SqlViewBatch(ViewBatch):
    """Reads go to the open transaction; writes wait in buffers until flush()."""

    def __init__(self, store: SqlViewStore, cursor: Cursor) -> None:
        self._store = store
        self._cursor = cursor
        self._owners: dict[UUID, ClaimOwner] = {}
        self._new_owners: dict[UUID, ClaimOwner] = {}
        self._documents: dict[UUID, SelfServiceView] = {}
        self._timeline: list[TimelineEntry] = []
        self._worklist: dict[UUID, WorklistItem | None] = {}
        self._ledger: list[LedgerEntry] = []
        self._position: int | None = None

    def claim_owner(self, claim_id: UUID) -> ClaimOwner | None:
        """Whose claim it is (this batch's new claims first, then the table)."""
        if claim_id in self._owners:
            return self._owners[claim_id]
        self._cursor.execute(
            self._store.t(
                "SELECT customer_id, benefit FROM {p}view_claim_owner WHERE claim_id = ?"
            ),
            (str(claim_id),),
        )
        row = self._cursor.fetchone()
        if row is None:
            return None
        owner = ClaimOwner(customer_id=UUID(row[0]), benefit=row[1])
        self._owners[claim_id] = owner
        return owner

    def record_claim_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Remember the claim's owner (written once, whichever projection sees it first)."""
        self._owners[claim_id] = owner
        self._new_owners[claim_id] = owner

    def self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """The document as this batch last put it, else as stored."""
        if customer_id in self._documents:
            return self._documents[customer_id]
        return self._store._self_service(self._cursor, customer_id)

    def put_self_service(self, view: SelfServiceView) -> None:
        """Buffer a document."""
        self._documents[view.customer_id] = view

    def add_timeline_entries(self, entries: Sequence[TimelineEntry]) -> None:
        """Buffer timeline rows."""
        self._timeline.extend(entries)

    def put_worklist_item(self, item: WorklistItem) -> None:
        """Buffer a worklist item (the last change to a claim wins)."""
        self._worklist[item.claim_id] = item

    def remove_worklist_item(self, claim_id: UUID) -> None:
        """Buffer a removal."""
        self._worklist[claim_id] = None

    def add_ledger_entries(self, entries: Sequence[LedgerEntry]) -> None:
        """Buffer ledger rows."""
        self._ledger.extend(entries)

    def advance_to(self, position: int) -> None:
        """The position to record with this batch."""
        self._position = position

    def flush(self, projection: str) -> None:
        """Write every buffer and the tracking position (inside the open transaction)."""
        if self._position is None:
            raise ValueError("a batch must say which position it brings the projection to")
        t, cursor = self._store.t, self._cursor
        if self._new_owners:
            cursor.executemany(
                t(
                    "INSERT INTO {p}view_claim_owner (claim_id, customer_id, benefit)"
                    " VALUES (?, ?, ?) ON CONFLICT (claim_id) DO NOTHING"
                ),
                [(str(c), str(o.customer_id), o.benefit) for c, o in self._new_owners.items()],
            )
        if self._documents:
            cursor.executemany(
                t(
                    "INSERT INTO {p}view_self_service (customer_id, document) VALUES (?, ?)"
                    " ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document"
                ),
                [(str(c), d.model_dump_json()) for c, d in self._documents.items()],
            )
        if self._timeline:
            cursor.executemany(
                t(
                    "INSERT INTO {p}view_timeline"
                    " (position, customer_id, kind, effective_date, recorded_at, entry)"
                    " VALUES (?, ?, ?, ?, ?, ?)"
                ),
                [
                    (
                        e.position,
                        str(e.customer_id),
                        e.kind,
                        e.effective_date.isoformat() if e.effective_date else None,
                        recorded_text(e.recorded_at),
                        e.model_dump_json(),
                    )
                    for e in self._timeline
                ],
            )
        self._flush_worklist()
        self._flush_ledger()
        cursor.execute(
            t("UPDATE {p}view_tracking SET position = ? WHERE projection = ?"),
            (self._position, projection),
        )

    def _flush_worklist(self) -> None:
        t, cursor = self._store.t, self._cursor
        removed = [(str(claim_id),) for claim_id, item in self._worklist.items() if item is None]
        if removed:
            cursor.executemany(t("DELETE FROM {p}view_worklist WHERE claim_id = ?"), removed)
        kept = [item for item in self._worklist.values() if item is not None]
        if kept:
            cursor.executemany(
                t(
                    "INSERT INTO {p}view_worklist (claim_id, worklist, due_on, item)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET"
                    " worklist = excluded.worklist, due_on = excluded.due_on,"
                    " item = excluded.item"
                ),
                [
                    (str(i.claim_id), i.worklist.value, i.due_on.isoformat(), i.model_dump_json())
                    for i in kept
                ],
            )

    def _flush_ledger(self) -> None:
        if not self._ledger:
            return
        t, cursor = self._store.t, self._cursor
        cursor.executemany(
            t(
                "INSERT INTO {p}view_ledger (position, idx, rule_id, rule_version, decided_on,"
                " customer_id, automated, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ),
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
            cursor.executemany(
                t(
                    "INSERT INTO {p}view_ledger_outcome (position, idx, field, value)"
                    " VALUES (?, ?, ?, ?)"
                ),
                outcomes,
            )
