"""The hash chains' canonical encoding, and how the check classifies each kind of tampering."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

import pytest

from services.integrity import (
    GENESIS,
    Anchor,
    BreakKind,
    ChainedLog,
    ChainedRow,
    NewEvent,
    aggregate_hash,
    chain,
    encode_content,
    log_hash,
    verify_log,
)

ALICE = UUID("6f1c9a4e-3c1e-4b5e-9a43-2f8f0e0d5a11")
BOB = UUID("0b7e2c1d-9a8f-4e3d-8c2b-1a0f9e8d7c6b")


@dataclass(frozen=True)
class Stored:
    """A row of a fake events table: the columns the recorders write."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes
    aggregate_hash: bytes | None
    log_hash: bytes | None


class FakeLog(ChainedLog):
    """The rows in memory, joined with their previous versions as the SQL readers do."""

    def __init__(self, rows: Sequence[Stored]) -> None:
        self.table = sorted(rows, key=lambda row: row.position)

    def rows(self, after: int, limit: int) -> Sequence[ChainedRow]:
        by_key = {(row.originator_id, row.originator_version): row for row in self.table}
        found = []
        for row in [row for row in self.table if row.position > after][:limit]:
            previous = by_key.get((row.originator_id, row.originator_version - 1))
            found.append(
                ChainedRow(
                    position=row.position,
                    originator_id=row.originator_id,
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=row.state,
                    aggregate_hash=row.aggregate_hash,
                    log_hash=row.log_hash,
                    previous_position=previous.position if previous else None,
                    previous_aggregate_hash=previous.aggregate_hash if previous else None,
                )
            )
        return found

    def last_position(self) -> int:
        return self.table[-1].position if self.table else 0


def written(events: Sequence[tuple[UUID, int]], step: int = 1) -> list[Stored]:
    """Events stored as the recorders store them, at positions step, 2 * step, ..."""
    new = [
        NewEvent(id_, version, f"domain.t:E{version}", b"s%d" % i)
        for i, (id_, version) in enumerate(events)
    ]
    positions = [step * (i + 1) for i in range(len(new))]
    hashes = chain(new, positions, None, lambda _id, _version: None)
    return [
        Stored(
            p, e.originator_id, e.originator_version, e.topic, e.state, h.aggregate_hash, h.log_hash
        )
        for p, e, h in zip(positions, new, hashes, strict=True)
    ]


EVENTS = [(ALICE, 1), (BOB, 1), (ALICE, 2), (BOB, 2), (ALICE, 3), (BOB, 3), (ALICE, 4)]


def test_the_content_encoding_is_length_prefixed_big_endian_as_documented() -> None:
    expected = (
        bytes.fromhex("6f1c9a4e3c1e4b5e9a432f8f0e0d5a11")
        + (7).to_bytes(8, "big")
        + (3).to_bytes(8, "big")
        + b"a:B"
        + (2).to_bytes(8, "big")
        + b"{}"
    )
    assert encode_content(ALICE, 7, "a:B", b"{}") == expected


def test_moving_bytes_between_topic_and_state_changes_the_encoding() -> None:
    assert encode_content(ALICE, 1, "ab", b"c") != encode_content(ALICE, 1, "a", b"bc")


def test_the_hashes_are_sha256_of_a_tag_the_previous_hash_and_the_content() -> None:
    content = encode_content(ALICE, 1, "a:B", b"{}")
    linked = hashlib.sha256(b"A" + GENESIS + content).digest()
    assert aggregate_hash(GENESIS, ALICE, 1, "a:B", b"{}") == linked
    assert (
        log_hash(GENESIS, 5, linked)
        == hashlib.sha256(b"L" + GENESIS + (5).to_bytes(8, "big") + linked).digest()
    )


def test_an_aggregates_later_event_chains_to_its_previous_version_in_the_same_batch() -> None:
    rows = written([(ALICE, 1), (ALICE, 2)])
    assert rows[1].aggregate_hash == aggregate_hash(
        rows[0].aggregate_hash or b"", ALICE, 2, rows[1].topic, rows[1].state
    )


def test_an_untouched_log_verifies_and_reports_its_head() -> None:
    rows = written(EVENTS)
    report = verify_log(FakeLog(rows), page_size=2)
    assert report.intact
    assert (report.checked_events, report.head_position) == (7, 7)
    assert report.head_hash == rows[-1].log_hash


def test_an_empty_log_verifies_with_no_head() -> None:
    report = verify_log(FakeLog([]))
    assert report.intact
    assert (report.checked_events, report.head_position, report.head_hash) == (0, 0, None)


def test_a_gap_in_positions_is_not_a_break() -> None:
    first = written(EVENTS[:2])
    new = [NewEvent(ALICE, 2, "domain.t:E2", b"later")]
    hashes = chain(new, [10], first[-1].log_hash, lambda _i, _v: first[0].aggregate_hash)
    later = Stored(
        10, ALICE, 2, "domain.t:E2", b"later", hashes[0].aggregate_hash, hashes[0].log_hash
    )
    assert verify_log(FakeLog([*first, later])).intact


def tampered(rows: list[Stored], position: int, **changes: object) -> list[Stored]:
    return [replace(row, **changes) if row.position == position else row for row in rows]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"state": b"forged"}, BreakKind.CONTENT_CHANGED),
        ({"topic": "domain.t:Other"}, BreakKind.CONTENT_CHANGED),
        ({"originator_version": 9}, BreakKind.CONTENT_CHANGED),
        ({"log_hash": bytes(32)}, BreakKind.HASH_CHANGED),
        ({"aggregate_hash": bytes(32)}, BreakKind.HASH_CHANGED),
        ({"log_hash": None}, BreakKind.HASH_MISSING),
    ],
)
def test_a_changed_row_is_the_first_break(change: dict[str, object], kind: BreakKind) -> None:
    report = verify_log(FakeLog(tampered(written(EVENTS), 4, **change)))
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (kind, 4)
    assert report.checked_events == 3
    assert report.head_position == 3


def test_a_deleted_row_breaks_the_chain_at_the_next_row() -> None:
    rows = [row for row in written(EVENTS) if row.position != 4]
    report = verify_log(FakeLog(rows))
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.ROW_MISSING, 5)


def test_a_deleted_previous_version_is_reported_as_missing_at_the_next_version() -> None:
    rows = [row for row in written(EVENTS) if row.position != 6]  # BOB v3, before ALICE v4
    report = verify_log(FakeLog(rows))
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.ROW_MISSING, 7)


def test_a_forged_row_with_a_plausible_hash_is_found_where_it_was_inserted() -> None:
    rows = written(EVENTS, step=10)  # gaps, as rolled-back transactions leave
    # The forger adds BOB's next version at 65 (after his version 3 at 60), chained to it.
    forged_event = NewEvent(BOB, 4, "domain.t:E4", b"forged")
    hashes = chain([forged_event], [65], rows[5].log_hash, lambda _i, _v: rows[5].aggregate_hash)
    forged = Stored(
        65, BOB, 4, "domain.t:E4", b"forged", hashes[0].aggregate_hash, hashes[0].log_hash
    )
    report = verify_log(FakeLog([*rows, forged]))
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.ROW_INSERTED, 65)
    assert (report.checked_events, report.head_position) == (6, 60)


def test_a_forged_row_with_a_made_up_hash_is_found_where_it_was_inserted() -> None:
    rows = written(EVENTS, step=10)
    forged = Stored(25, BOB, 9, "domain.t:E9", b"forged", bytes(32), bytes(32))
    report = verify_log(FakeLog([*rows, forged]))
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.ROW_INSERTED, 25)


def test_two_rows_swapping_positions_are_out_of_order() -> None:
    rows = written(EVENTS)
    swapped = [replace(row, position={2: 6, 6: 2}.get(row.position, row.position)) for row in rows]
    report = verify_log(FakeLog(swapped))
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.OUT_OF_ORDER, 2)


def test_truncating_the_newest_events_is_found_only_against_an_anchor() -> None:
    rows = written(EVENTS)
    anchor = Anchor(7, rows[-1].log_hash or b"")
    assert verify_log(FakeLog(rows[:-1])).intact
    report = verify_log(FakeLog(rows[:-1]), anchor=anchor)
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.TRUNCATED, 7)
    assert report.head_position == 6


def test_a_rewritten_history_does_not_match_the_anchor() -> None:
    rows = written(EVENTS)
    anchor = Anchor(5, rows[4].log_hash or b"")
    # Every hash recomputed over another history: the chains hold, the anchor does not.
    other = written([(BOB, 1), (ALICE, 1), (BOB, 2), (ALICE, 2), (ALICE, 3), (BOB, 3)])
    report = verify_log(FakeLog(other), anchor=anchor)
    assert report.first_break is not None
    assert (report.first_break.kind, report.first_break.position) == (BreakKind.ANCHOR_MISMATCH, 5)
    assert verify_log(FakeLog(rows), anchor=anchor).intact
