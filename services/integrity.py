"""Tamper evidence for the event log: two hash chains over every stored event, and their check.

Every stored event carries two SHA-256 hashes, written with it in the same transaction
under the store's table lock (PostgreSQL: columns of the events table, computed by the
insert function or by the bulk COPY writer; SQLite: the same columns, computed in Python):

- ``aggregate_hash`` chains the events of one aggregate, version by version::

      aggregate_hash = SHA-256( b"A" || previous_aggregate_hash || content )

  where ``previous_aggregate_hash`` is the ``aggregate_hash`` of the same aggregate's event
  at version - 1, or 32 zero bytes (GENESIS) when there is none (version 1).

- ``log_hash`` chains every event in log order (notification id)::

      log_hash = SHA-256( b"L" || previous_log_hash || int64(notification_id) || aggregate_hash )

  where ``previous_log_hash`` is the ``log_hash`` of the event with the next lower
  notification id, or GENESIS for the first event. Notification ids may have gaps (a
  rolled-back transaction uses ids); only the order counts, so a gap is not a break.

``content`` is, byte for byte (all integers big-endian two's complement, as PostgreSQL's
``int8send``; strings UTF-8; every variable-length field prefixed by its length)::

      uuid(originator_id)        16 bytes (RFC 4122 byte order, PostgreSQL's uuid_send)
      int64(originator_version)   8 bytes
      int64(len(topic)) || topic
      int64(len(state)) || state  (the stored bytes exactly: compressed/encrypted as stored)

The log hash commits to the aggregate hash, so it covers the content as well; the aggregate
chain alone lets an auditor check one customer's stream without reading the whole log.

What the chains prove, and what they do not: the chains are unkeyed. Someone who can write
to the database can change an event and then recompute every later hash; the check finds
any change that does not rewrite all hashes after it. Against a full rewrite, and against
truncation of the newest events (which leaves a shorter log whose chains are intact), the
defence is an anchor: a (position, log hash) pair that an auditor copied somewhere else
earlier. ``verify_log`` reports the head (last position, its hash, the number of events) for
that purpose and checks a given anchor.
"""

from __future__ import annotations

import hashlib
import struct
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple
from uuid import UUID

GENESIS = bytes(32)
"""The 'previous hash' of the first event of the log and of every aggregate's first event."""

AGGREGATE_TAG = b"A"
LOG_TAG = b"L"

_INT64 = struct.Struct(">q")
_TWO_INT64 = struct.Struct(">qq")


def encode_content(originator_id: UUID, originator_version: int, topic: str, state: bytes) -> bytes:
    """The canonical, unambiguous bytes of one event's content (see the module docstring)."""
    topic_bytes = topic.encode("utf-8")
    return b"".join(
        (
            originator_id.bytes,
            _INT64.pack(originator_version),
            _INT64.pack(len(topic_bytes)),
            topic_bytes,
            _INT64.pack(len(state)),
            state,
        )
    )


def aggregate_hash(
    previous: bytes, originator_id: UUID, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The event's link in its aggregate's chain."""
    # encode_content's bytes, fed piece by piece (bulk writes hash a row in a few µs).
    topic_bytes = topic.encode("utf-8")
    digest = hashlib.sha256(AGGREGATE_TAG)
    digest.update(previous)
    digest.update(originator_id.bytes)
    digest.update(_TWO_INT64.pack(originator_version, len(topic_bytes)))
    digest.update(topic_bytes)
    digest.update(_INT64.pack(len(state)))
    digest.update(state)
    return digest.digest()


def log_hash(previous: bytes, notification_id: int, aggregate: bytes) -> bytes:
    """The event's link in the log's chain."""
    return hashlib.sha256(LOG_TAG + previous + _INT64.pack(notification_id) + aggregate).digest()


@dataclass(frozen=True)
class NewEvent:
    """An event about to be stored: what the writers hash."""

    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class Hashes(NamedTuple):
    """The two hashes written with one event."""

    aggregate_hash: bytes
    log_hash: bytes


def chain(
    events: Sequence[NewEvent],
    positions: Sequence[int],
    log_head: bytes | None,
    stored_previous: Callable[[UUID, int], bytes | None],
) -> list[Hashes]:
    """The hashes of events about to be stored at those positions, after the log's head.

    stored_previous(originator_id, version) gives the stored aggregate hash of that version
    (None when there is none or it has no hash); earlier events of the same batch come first.
    """
    in_batch: dict[tuple[UUID, int], bytes] = {}
    head = log_head or GENESIS
    hashes = []
    for event, position in zip(events, positions, strict=True):
        key = (event.originator_id, event.originator_version - 1)
        previous = in_batch.get(key) or stored_previous(*key) or GENESIS
        linked = aggregate_hash(
            previous, event.originator_id, event.originator_version, event.topic, event.state
        )
        head = log_hash(head, position, linked)
        in_batch[(event.originator_id, event.originator_version)] = linked
        hashes.append(Hashes(linked, head))
    return hashes


# -- verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainedRow:
    """A stored event as the check reads it, with its predecessor in its aggregate (if any)."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes
    aggregate_hash: bytes | None
    log_hash: bytes | None
    previous_position: int | None
    """The position of the same aggregate's event at version - 1 (None when there is none)."""
    previous_aggregate_hash: bytes | None


class ChainedLog(ABC):
    """The stored events with their hashes, read in log order (a port: one per store)."""

    @abstractmethod
    def rows(self, after: int, limit: int) -> Sequence[ChainedRow]:
        """Up to `limit` stored events after a position, in log order."""

    @abstractmethod
    def last_position(self) -> int:
        """The newest event's position (0 when the log is empty)."""


class BreakKind(StrEnum):
    """What the check found at the first position where the chains do not hold."""

    CONTENT_CHANGED = "content_changed"
    """The event's content is not what was hashed when it was stored."""
    HASH_CHANGED = "hash_changed"
    """The content is intact but a stored hash was changed."""
    HASH_MISSING = "hash_missing"
    """The event has no hashes (stored by a path that does not chain, or before chaining)."""
    ROW_MISSING = "row_missing"
    """One or more events before this one were deleted."""
    ROW_INSERTED = "row_inserted"
    """This event was not stored by the application: the log continues without it."""
    OUT_OF_ORDER = "out_of_order"
    """The event is intact but not where it was stored (rows reordered or renumbered)."""
    VERSION_GAP = "version_gap"
    """The aggregate's previous version is missing, though the log chain holds."""
    TRUNCATED = "truncated"
    """The log ends before the anchor's position: newest events were removed."""
    ANCHOR_MISMATCH = "anchor_mismatch"
    """The event at the anchor's position does not have the anchor's hash: history rewritten."""


@dataclass(frozen=True)
class Break:
    """The first place where the log is not what was stored."""

    kind: BreakKind
    position: int
    originator_id: UUID | None
    originator_version: int | None
    detail: str


@dataclass(frozen=True)
class Anchor:
    """A log position and the log hash an auditor recorded for it earlier."""

    position: int
    log_hash: bytes


@dataclass(frozen=True)
class IntegrityReport:
    """The outcome of a check: intact or the first break, and the head for anchoring."""

    checked_events: int
    head_position: int
    head_hash: bytes | None
    first_break: Break | None

    @property
    def intact(self) -> bool:
        """True when both chains hold over the whole log (and the anchor, if one was given)."""
        return self.first_break is None


Progress = Callable[[int, int], None]
"""Called after each page with the position reached and the last position of the log."""


def _links(row: ChainedRow, previous_log: bytes) -> bool:
    """Whether the row's stored log hash follows from the given previous log hash."""
    return (
        row.aggregate_hash is not None
        and row.log_hash is not None
        and log_hash(previous_log, row.position, row.aggregate_hash) == row.log_hash
    )


def _lookahead(rows: Iterator[ChainedRow]) -> Iterator[tuple[ChainedRow, ChainedRow | None]]:
    current = next(rows, None)
    while current is not None:
        following = next(rows, None)
        yield current, following
        current = following


def _read(
    log: ChainedLog, page_size: int, progress: Progress | None, last: int
) -> Iterator[ChainedRow]:
    after = 0
    while True:
        page = log.rows(after, page_size)
        if not page:
            return
        yield from page
        after = page[-1].position
        if progress is not None:
            progress(after, max(last, after))


def _break(kind: BreakKind, row: ChainedRow, detail: str) -> Break:
    return Break(kind, row.position, row.originator_id, row.originator_version, detail)


def _first_break(
    row: ChainedRow,
    following: ChainedRow | None,
    previous: ChainedRow | None,
    previous_log: bytes,
    before_previous_log: bytes,
) -> Break | None:
    """The break at this row, if any, classified by what the neighbouring rows show."""
    if row.aggregate_hash is None or row.log_hash is None:
        return _break(BreakKind.HASH_MISSING, row, "the event has no stored hashes")
    if row.previous_position is not None and row.previous_position > row.position:
        return _break(
            BreakKind.OUT_OF_ORDER,
            row,
            f"version {row.originator_version - 1} of the aggregate is later in the log,"
            f" at position {row.previous_position}",
        )
    gap = row.originator_version > 1 and row.previous_position is None
    recomputed = aggregate_hash(
        row.previous_aggregate_hash or GENESIS,
        row.originator_id,
        row.originator_version,
        row.topic,
        row.state,
    )
    content_holds = recomputed == row.aggregate_hash
    if _links(row, previous_log):
        if not content_holds:
            return _break(
                BreakKind.CONTENT_CHANGED,
                row,
                "the event is not what was hashed when it was stored",
            )
        if gap:
            # Stored like this (its hashes follow from genesis): the writer skipped a version.
            return _break(
                BreakKind.VERSION_GAP,
                row,
                f"version {row.originator_version - 1} of the aggregate is not in the log",
            )
        return None
    # The log link is broken: the neighbours tell a deletion from an insertion or a move.
    heals = following is not None and _links(following, row.log_hash)
    skipped = following is not None and _links(following, previous_log)
    if content_holds:
        if previous is not None and _links(row, before_previous_log):
            return _break(
                BreakKind.ROW_INSERTED,
                previous,
                "the log continues as if this event were not there",
            )
        if heals or following is None or gap:
            return _break(
                BreakKind.ROW_MISSING, row, "the event before this one in the log was removed"
            )
        if following is not None and _links(
            following, log_hash(previous_log, row.position, recomputed)
        ):
            return _break(BreakKind.HASH_CHANGED, row, "the stored log hash was changed")
        return _break(
            BreakKind.OUT_OF_ORDER, row, "the event is intact but was not stored at this position"
        )
    if log_hash(previous_log, row.position, recomputed) == row.log_hash:
        return _break(BreakKind.HASH_CHANGED, row, "the stored aggregate hash was changed")
    if skipped:
        return _break(
            BreakKind.ROW_INSERTED, row, "the log continues as if this event were not there"
        )
    if gap:
        return _break(
            BreakKind.ROW_MISSING,
            row,
            f"version {row.originator_version - 1} of the aggregate was removed",
        )
    return _break(
        BreakKind.CONTENT_CHANGED, row, "the event is not what was hashed when it was stored"
    )


def verify_log(
    log: ChainedLog,
    *,
    anchor: Anchor | None = None,
    page_size: int = 1000,
    progress: Progress | None = None,
) -> IntegrityReport:
    """Re-compute both chains from the stored events in log order; report the first break.

    Reads the log in pages (memory stays bounded by the page size) and stops at the first
    break. Where the chains first fail is exact; what happened there (deleted, inserted,
    moved, changed) is inferred from the neighbouring rows and is a best reading. The
    report's head is the last event whose links were verified: for an intact log, the newest
    event, whose log hash an auditor can keep as an anchor for the next check.
    """
    last = log.last_position()
    # The last two verified events (position, log hash): an insertion is found one row late.
    verified: list[tuple[int, bytes]] = []
    previous: ChainedRow | None = None
    anchor_seen = False

    checked = 0

    def report(found: Break | None) -> IntegrityReport:
        head_position, head_hash = verified[-1] if verified else (0, None)
        return IntegrityReport(checked, head_position, head_hash, found)

    for row, following in _lookahead(_read(log, page_size, progress, last)):
        previous_log = verified[-1][1] if verified else GENESIS
        before_previous_log = verified[-2][1] if len(verified) > 1 else GENESIS
        found = _first_break(row, following, previous, previous_log, before_previous_log)
        if found is not None:
            if found.position != row.position:
                # The previous event, counted as verified, is the one that was inserted.
                verified.pop()
                checked -= 1
            return report(found)
        assert row.log_hash is not None  # _first_break reports a missing hash
        if anchor is not None and row.position == anchor.position:
            anchor_seen = True
            if row.log_hash != anchor.log_hash:
                return report(
                    _break(
                        BreakKind.ANCHOR_MISMATCH,
                        row,
                        f"the log hash here is {row.log_hash.hex()}, the anchor says"
                        f" {anchor.log_hash.hex()}",
                    )
                )
        checked += 1
        verified = [*verified[-1:], (row.position, row.log_hash)]
        previous = row
    if anchor is not None and not anchor_seen:
        head_position = verified[-1][0] if verified else 0
        if anchor.position > head_position:
            kind = BreakKind.TRUNCATED
            detail = (
                f"the log ends at position {head_position}, before the anchor's {anchor.position}"
            )
        else:
            kind = BreakKind.ANCHOR_MISMATCH
            detail = f"there is no event at the anchor's position {anchor.position}"
        return report(Break(kind, anchor.position, None, None, detail))
    return report(None)
