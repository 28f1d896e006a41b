"""The view store over SQL: one schema and one set of statements for SQLite and PostgreSQL.

Each view's SQL (its tables, reads and batch writes) is in its own module beside this one:
claim_owner, self_service, timeline, worklists, ledger, deadlines, transitions, case_items
and disclosures; base holds the helpers they share. This module keeps the tracking tables,
assembles the schema, and composes the views' mixins into SqlViewStore and SqlViewBatch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from adapters.views import (
    case_items,
    claim_owner,
    deadlines,
    disclosures,
    ledger,
    self_service,
    timeline,
    transitions,
    worklists,
)
from adapters.views.base import (
    KNOWN_OWNERS_LIMIT,
    Column,
    Cursor,
    recorded_text,
)
from adapters.views.case_items import (
    CASE_ITEM_COLUMNS,
    NO_DUE_DATE,
    CaseItemBatch,
    CaseItemReads,
)
from adapters.views.claim_owner import CLAIM_OWNER_COLUMNS, ClaimOwnerBatch
from adapters.views.deadlines import DEADLINE_COLUMNS, DeadlineBatch, DeadlineReads
from adapters.views.disclosures import DISCLOSURE_COLUMNS, DisclosureBatch, DisclosureReads
from adapters.views.ledger import (
    LEDGER_COLUMNS,
    LEDGER_OUTCOME_COLUMNS,
    LedgerBatch,
    LedgerReads,
    outcome_fields,
)
from adapters.views.self_service import SELF_SERVICE_COLUMNS, SelfServiceBatch, SelfServiceReads
from adapters.views.timeline import TIMELINE_COLUMNS, TimelineBatch, TimelineReads
from adapters.views.transitions import TRANSITION_COLUMNS, TransitionBatch, TransitionReads
from adapters.views.worklists import WORKLIST_COLUMNS, WorklistBatch, WorklistReads
from projections.batch import ViewBatch
from projections.store import TrackingConflict, ViewStore

__all__ = [
    "CASE_ITEM_COLUMNS",
    "CLAIM_OWNER_COLUMNS",
    "DEADLINE_COLUMNS",
    "DISCLOSURE_COLUMNS",
    "KNOWN_OWNERS_LIMIT",
    "LEDGER_COLUMNS",
    "LEDGER_OUTCOME_COLUMNS",
    "NO_DUE_DATE",
    "SCHEMA",
    "SELF_SERVICE_COLUMNS",
    "TABLES",
    "TIMELINE_COLUMNS",
    "TRANSITION_COLUMNS",
    "WORKLIST_COLUMNS",
    "Column",
    "Cursor",
    "SqlViewBatch",
    "SqlViewStore",
    "outcome_fields",
    "recorded_text",
]

TABLES = (
    "view_tracking",
    *claim_owner.TABLES,
    *self_service.TABLES,
    *timeline.TABLES,
    *worklists.TABLES,
    *ledger.TABLES,
    *deadlines.TABLES,
    *transitions.TABLES,
    *case_items.TABLES,
    *disclosures.TABLES,
)
"""Every view table, in the order they are created (reset and count_rows accept only these)."""

TRACKING_SCHEMA = (
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
)

# Portable types: TEXT for ids, dates (ISO, so they sort) and JSON documents; BIGINT positions.
SCHEMA = (
    *TRACKING_SCHEMA,
    *claim_owner.SCHEMA,
    *self_service.SCHEMA,
    *timeline.SCHEMA,
    *worklists.SCHEMA,
    *ledger.SCHEMA,
    *deadlines.SCHEMA,
    *transitions.SCHEMA,
    *case_items.SCHEMA,
    *disclosures.SCHEMA,
)

ADDED_COLUMNS = (*timeline.ADDED_COLUMNS, *ledger.ADDED_COLUMNS, *case_items.ADDED_COLUMNS)
"""(table, column) pairs newer than their tables, added to views made before them."""


class SqlViewStore(
    SelfServiceReads,
    TimelineReads,
    WorklistReads,
    LedgerReads,
    DeadlineReads,
    TransitionReads,
    CaseItemReads,
    DisclosureReads,
    ViewStore,
):
    """Views in SQL tables; subclasses supply connections and the placeholder style."""

    # -- set-up -------------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create the view tables if they do not exist."""
        with self._transaction(write=True) as cursor:
            for statement in SCHEMA:
                cursor.execute(statement.format(p=self.prefix))
            for table, column in ADDED_COLUMNS:
                # Views made before erasure existed lack the column (rebuild them to fill it).
                cursor.execute(self.t(f"SELECT * FROM {{p}}{table} LIMIT 0"))
                names = {column[0] for column in getattr(cursor, "description", None) or ()}
                if column not in names:
                    cursor.execute(self.t(f"ALTER TABLE {{p}}{table} ADD COLUMN {column} TEXT"))

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

    def count_rows(self, table: str) -> int:
        """How many rows a view table holds."""
        if table not in TABLES:
            raise ValueError(f"not a view table: {table}")
        with self._transaction(write=False) as cursor:
            cursor.execute(self.t(f"SELECT COUNT(*) FROM {{p}}{table}"))
            return int(cursor.fetchone()[0])


class SqlViewBatch(
    ClaimOwnerBatch,
    SelfServiceBatch,
    TimelineBatch,
    WorklistBatch,
    LedgerBatch,
    DeadlineBatch,
    TransitionBatch,
    CaseItemBatch,
    DisclosureBatch,
    ViewBatch,
):
    """Reads go to the open transaction; writes wait in buffers until flush()."""

    def __init__(self, store: SqlViewStore, cursor: Cursor) -> None:
        super().__init__(store, cursor)
        self._position: int | None = None

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
        self._flush_claim_owners()
        self._flush_self_service()
        self._flush_timeline()
        self._flush_worklist()
        self._flush_ledger()
        self._flush_deadlines()
        self._flush_transitions()
        self._flush_case_items()
        self._flush_disclosures()
        # Erasures last: they turn this batch's rows, as well as stored ones, to erased forms.
        self._flush_timeline_erasures()
        self._flush_ledger_erasures()
        self._flush_case_item_erasures()
