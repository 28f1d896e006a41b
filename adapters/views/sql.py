"""The view store over SQL: one schema and one set of statements for SQLite and PostgreSQL."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

from projections.model import (
    CaseItem,
    CaseItemKind,
    CaseItemQuery,
    DeadlineEntry,
    DeadlineQuery,
    DeadlineStatus,
    DisclosureEntry,
    DisclosureQuery,
    LedgerEntry,
    LedgerQuery,
    Page,
    SelfServiceView,
    TimelineEntry,
    TimelineQuery,
    TransitionCase,
    TransitionWorklist,
    TransitionWorklistItem,
    Worklist,
    WorklistItem,
)
from projections.store import ClaimOwner, TrackingConflict, ViewBatch, ViewStore
from projections.transitions import WORKLIST_COLUMN, worklist_columns, worklist_item

TABLES = (
    "view_tracking",
    "view_claim_owner",
    "view_self_service",
    "view_timeline",
    "view_worklist",
    "view_ledger",
    "view_ledger_outcome",
    "view_deadline",
    "view_transition",
    "view_case_item",
    "view_disclosure",
)

# Portable types: TEXT for ids, dates (ISO, so they sort) and JSON documents; BIGINT positions.
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {p}view_tracking ("
    " projection TEXT PRIMARY KEY, position BIGINT NOT NULL)",
    # Kafka mode (adapters/kafka/tracking.py): each worker partition's place, and the offset
    # after the relay's last acknowledged record; beside the views, so they commit together.
    "CREATE TABLE IF NOT EXISTS {p}view_partition_tracking ("
    " projection_set TEXT NOT NULL, topic TEXT NOT NULL, partition_no INTEGER NOT NULL,"
    " next_offset BIGINT NOT NULL, position BIGINT NOT NULL,"
    " PRIMARY KEY (projection_set, topic, partition_no))",
    "CREATE TABLE IF NOT EXISTS {p}relay_partition_offsets ("
    " topic TEXT NOT NULL, partition_no INTEGER NOT NULL, next_offset BIGINT NOT NULL,"
    " PRIMARY KEY (topic, partition_no))",
    "CREATE TABLE IF NOT EXISTS {p}view_claim_owner ("
    " claim_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, benefit TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}view_self_service ("
    " customer_id TEXT PRIMARY KEY, document TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {p}view_timeline ("
    " position BIGINT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " effective_date TEXT, recorded_at TEXT NOT NULL, entry TEXT NOT NULL, erased_entry TEXT)",
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
    # The entry is the deadline as it stands; status, closed_on and note repeat it for queries.
    "CREATE TABLE IF NOT EXISTS {p}view_deadline ("
    " deadline_id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, customer_id TEXT NOT NULL,"
    " status TEXT NOT NULL, fires_on TEXT NOT NULL, closed_on TEXT, note TEXT,"
    " entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_deadline_due ON {p}view_deadline"
    " (status, fires_on, aggregate_id, deadline_id)",
    "CREATE INDEX IF NOT EXISTS view_deadline_by_customer ON {p}view_deadline"
    " (customer_id, fires_on)",
    # One row per transition; the worklist columns are NULL when the case is not on that list.
    "CREATE TABLE IF NOT EXISTS {p}view_transition ("
    " transition_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, stage TEXT NOT NULL,"
    " invite_on TEXT, window_closes_on TEXT, appointee_due_on TEXT, review_due_on TEXT,"
    " document TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_transition_by_customer ON {p}view_transition (customer_id)",
    "CREATE INDEX IF NOT EXISTS view_transition_invite ON {p}view_transition (invite_on)",
    "CREATE INDEX IF NOT EXISTS view_transition_window ON {p}view_transition (window_closes_on)",
    # due_key is due_on, or a far date when there is none, so items without one sort last.
    "CREATE TABLE IF NOT EXISTS {p}view_case_item ("
    " item_id TEXT PRIMARY KEY, kind TEXT NOT NULL, customer_id TEXT, is_open INTEGER NOT NULL,"
    " due_key TEXT NOT NULL, opened_on TEXT NOT NULL, document TEXT NOT NULL,"
    " erased_document TEXT)",
    "CREATE INDEX IF NOT EXISTS view_case_item_worklist ON {p}view_case_item"
    " (kind, is_open, due_key, opened_on, item_id)",
    "CREATE INDEX IF NOT EXISTS view_case_item_by_customer ON {p}view_case_item (customer_id)",
    # One row per staff read; customer_id is NULL for a read of a list of many customers.
    "CREATE TABLE IF NOT EXISTS {p}view_disclosure ("
    " position BIGINT PRIMARY KEY, customer_id TEXT, subject TEXT NOT NULL,"
    " role TEXT NOT NULL, read_at TEXT NOT NULL, entry TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS view_disclosure_by_customer ON {p}view_disclosure"
    " (customer_id, position)",
    "CREATE INDEX IF NOT EXISTS view_disclosure_by_subject ON {p}view_disclosure"
    " (subject, position)",
)


Column = tuple[str, str]
"""A column's name and SQL type, as the set-based writes of a dialect may need them."""

CLAIM_OWNER_COLUMNS: tuple[Column, ...] = (
    ("claim_id", "TEXT"),
    ("customer_id", "TEXT"),
    ("benefit", "TEXT"),
)
SELF_SERVICE_COLUMNS: tuple[Column, ...] = (("customer_id", "TEXT"), ("document", "TEXT"))
TIMELINE_COLUMNS: tuple[Column, ...] = (
    ("position", "BIGINT"),
    ("customer_id", "TEXT"),
    ("kind", "TEXT"),
    ("effective_date", "TEXT"),
    ("recorded_at", "TEXT"),
    ("entry", "TEXT"),
    ("erased_entry", "TEXT"),  # the entry once its customer is erased (None: no difference)
)
WORKLIST_COLUMNS: tuple[Column, ...] = (
    ("claim_id", "TEXT"),
    ("worklist", "TEXT"),
    ("due_on", "TEXT"),
    ("item", "TEXT"),
)
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
DISCLOSURE_COLUMNS: tuple[Column, ...] = (
    ("position", "BIGINT"),
    ("customer_id", "TEXT"),
    ("subject", "TEXT"),
    ("role", "TEXT"),
    ("read_at", "TEXT"),
    ("entry", "TEXT"),
)
NO_DUE_DATE = "9999-12-31"
"""The due_key of an item without a due date: after every real one."""

KNOWN_OWNERS_LIMIT = 1_000_000
"""Claim owners remembered between batches (a claim's owner never changes)."""


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
        self.known_owners: dict[UUID, ClaimOwner] = {}

    def remember_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Keep a claim's owner for later batches (forgetting all, now and then, to stay small)."""
        if len(self.known_owners) >= KNOWN_OWNERS_LIMIT:
            self.known_owners.clear()
        self.known_owners[claim_id] = owner

    # -- set-based statements (a dialect may do each in one statement) ------------------------

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A condition that `column` is one of values, and its parameters."""
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    def insert_rows(
        self,
        cursor: Cursor,
        table: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Any]],
        conflict: str = "",
    ) -> None:
        """Insert many rows (with an ON CONFLICT clause, if given)."""
        names = ", ".join(name for name, _ in columns)
        marks = ", ".join("?" * len(columns))
        cursor.executemany(
            self.t(f"INSERT INTO {{p}}{table} ({names}) VALUES ({marks}) {conflict}"), rows
        )

    def delete_rows(self, cursor: Cursor, table: str, column: str, values: Sequence[Any]) -> None:
        """Delete the rows whose column holds any of values."""
        cursor.executemany(
            self.t(f"DELETE FROM {{p}}{table} WHERE {column} = ?"), [(v,) for v in values]
        )

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
            for table, column in (
                ("view_timeline", "erased_entry"),
                ("view_ledger", "erased_entry"),
                ("view_case_item", "erased_document"),
            ):
                # Views made before erasure existed lack the column (rebuild them to fill it).
                cursor.execute(self.t(f"SELECT * FROM {{p}}{table} LIMIT 0"))
                names = {column[0] for column in getattr(cursor, "description", None) or ()}
                if column not in names:
                    cursor.execute(self.t(f"ALTER TABLE {{p}}{table} ADD COLUMN {column} TEXT"))

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

    def _reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads of one statement each (a dialect may run them without BEGIN)."""
        return self._transaction(write=False)

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
        # One statement, so one round trip and one snapshot: the count joined to the page.
        # The count is always there (one row with a NULL column when the page is empty).
        chosen = ", ".join(f"chosen.{name.strip()}" for name in order.split(","))
        statement = (
            f"SELECT matching.total, chosen.{column}"
            f" FROM (SELECT COUNT(*) AS total FROM {{p}}{table} WHERE {where}) AS matching"
            f" LEFT JOIN (SELECT {column}, {order} FROM {{p}}{table} WHERE {where}"
            f" ORDER BY {order} LIMIT ? OFFSET ?) AS chosen ON 1 = 1"
            f" ORDER BY {chosen}"
        )
        with self._reading() as cursor:
            cursor.execute(self.t(statement), [*params, *params, page.limit, page.offset])
            rows = cursor.fetchall()
        total = int(rows[0][0]) if rows else 0
        return [row[1] for row in rows if row[1] is not None], total

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
        self._new_owners: dict[UUID, ClaimOwner] = {}
        self._documents: dict[UUID, SelfServiceView] = {}
        self._stored_documents: dict[UUID, SelfServiceView | None] = {}
        self._timeline: list[TimelineEntry] = []
        self._worklist: dict[UUID, WorklistItem | None] = {}
        self._ledger: list[LedgerEntry] = []
        self._deadlines: dict[UUID, DeadlineEntry] = {}
        self._closed_deadlines: dict[UUID, tuple[DeadlineStatus, date, str | None]] = {}
        self._transitions: dict[UUID, TransitionCase] = {}
        self._stored_transitions: dict[UUID, TransitionCase | None] = {}
        self._case_items: dict[UUID, CaseItem] = {}
        self._stored_case_items: dict[UUID, CaseItem | None] = {}
        self._disclosures: list[DisclosureEntry] = []
        self._erasable_timeline: dict[int, str] = {}
        self._erasable_case_items: dict[UUID, CaseItem] = {}
        self._stored_erasable_case_items: dict[UUID, CaseItem | None] = {}
        self._erased_case_items: list[UUID] = []
        self._erasable_ledger: dict[tuple[int, int], str] = {}
        self._erased_timelines: list[UUID] = []
        self._erased_ledgers: list[UUID] = []
        self._position: int | None = None

    def claim_owner(self, claim_id: UUID) -> ClaimOwner | None:
        """Whose claim it is (remembered by the store, else from the table)."""
        owner = self._store.known_owners.get(claim_id)
        if owner is None:
            self.prefetch_claim_owners((claim_id,))
            owner = self._store.known_owners.get(claim_id)
        return owner

    def prefetch_claim_owners(self, claim_ids: Iterable[UUID]) -> None:
        """One query for every owner the store does not remember yet."""
        unknown = [c for c in claim_ids if c not in self._store.known_owners]
        if not unknown:
            return
        condition, params = self._store.in_list("claim_id", [str(c) for c in unknown])
        self._cursor.execute(
            self._store.t(
                "SELECT claim_id, customer_id, benefit FROM {p}view_claim_owner"
                f" WHERE {condition}"
            ),
            params,
        )
        for claim_id, customer_id, benefit in self._cursor.fetchall():
            self._store.remember_owner(UUID(claim_id), ClaimOwner(UUID(customer_id), benefit))

    def record_claim_owner(self, claim_id: UUID, owner: ClaimOwner) -> None:
        """Remember the claim's owner (written once, whichever projection sees it first)."""
        self._store.remember_owner(claim_id, owner)
        self._new_owners[claim_id] = owner

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

    def add_erasable_timeline_entries(self, erased: Sequence[TimelineEntry]) -> None:
        """Buffer the erased forms of rows added in this batch."""
        self._erasable_timeline.update((e.position, e.model_dump_json()) for e in erased)

    def erase_timeline(self, customer_id: UUID) -> None:
        """Buffer an erasure (applied after this batch's rows are written)."""
        self._erased_timelines.append(customer_id)

    def add_erasable_ledger_entries(self, erased: Sequence[LedgerEntry]) -> None:
        """Buffer the erased forms of rows added in this batch."""
        self._erasable_ledger.update(((e.position, e.index), e.model_dump_json()) for e in erased)

    def erase_ledger(self, customer_id: UUID) -> None:
        """Buffer an erasure (applied after this batch's rows are written)."""
        self._erased_ledgers.append(customer_id)

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

    def _flush_erasures(self) -> None:
        for table, column, customers in (
            ("view_timeline", "entry", self._erased_timelines),
            ("view_ledger", "entry", self._erased_ledgers),
            ("view_case_item", "document", self._erased_case_items),
        ):
            for customer_id in customers:
                self._cursor.execute(
                    self._store.t(
                        f"UPDATE {{p}}{table} SET {column} = erased_{column},"
                        f" erased_{column} = NULL"
                        f" WHERE customer_id = ? AND erased_{column} IS NOT NULL"
                    ),
                    (str(customer_id),),
                )

    def add_disclosures(self, entries: Sequence[DisclosureEntry]) -> None:
        """Buffer disclosure rows."""
        self._disclosures.extend(entries)

    def advance_to(self, position: int) -> None:
        """The position to record with this batch."""
        self._position = position

    def flush(self, projection: str) -> None:
        """Write every buffer and the tracking position (inside the open transaction)."""
        if self._position is None:
            raise ValueError("a batch must say which position it brings the projection to")
        self.flush_rows()
        self._cursor.execute(
            self._store.t("UPDATE {p}view_tracking SET position = ? WHERE projection = ?"),
            (self._position, projection),
        )

    def flush_rows(self) -> None:
        """Write every buffer (inside the open transaction) and no tracking position.

        The Kafka projection workers call this: they track partitions' offsets instead.
        """
        store, cursor = self._store, self._cursor
        if self._new_owners:
            store.insert_rows(
                cursor,
                "view_claim_owner",
                CLAIM_OWNER_COLUMNS,
                [(str(c), str(o.customer_id), o.benefit) for c, o in self._new_owners.items()],
                "ON CONFLICT (claim_id) DO NOTHING",
            )
        if self._documents:
            store.insert_rows(
                cursor,
                "view_self_service",
                SELF_SERVICE_COLUMNS,
                [(str(c), d.model_dump_json()) for c, d in self._documents.items()],
                "ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document",
            )
        if self._timeline:
            store.insert_rows(
                cursor,
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
        self._flush_worklist()
        self._flush_ledger()
        self._flush_deadlines()
        self._flush_transitions()
        self._flush_case_items()
        self._flush_disclosures()
        self._flush_erasures()

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


def _closed(
    entry: DeadlineEntry, status: DeadlineStatus, closed_on: date, reason: str | None
) -> DeadlineEntry:
    return entry.model_copy(
        update={"status": status, "closed_on": closed_on, "cancel_reason": reason}
    )
