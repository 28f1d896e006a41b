"""The view batch: one transaction of view changes, made of what each projection asks of it.

Each projection declares the small interface it writes through beside itself (its own tables'
methods, and whose each claim or journey is); a store's batch provides all of them and the
tracking position, committed together or not at all. mypy checks that every projection's
interface is part of it where the projections are assembled (adapters/bootstrap.py).
"""

from __future__ import annotations

from typing import Protocol

from projections.case_items.batch import CaseItemBatch
from projections.deadlines import DeadlineBatch
from projections.disclosures import DisclosureBatch
from projections.ledger import LedgerBatch
from projections.self_service import SelfServiceBatch
from projections.timeline import TimelineBatch
from projections.transitions import TransitionBatch
from projections.worklists import WorklistBatch


class ViewBatch(
    SelfServiceBatch,
    TimelineBatch,
    WorklistBatch,
    LedgerBatch,
    DeadlineBatch,
    TransitionBatch,
    CaseItemBatch,
    DisclosureBatch,
    Protocol,
):
    """One transaction of view changes; committed with the new tracking position or not at all.

    Reads see the rows as they stand in the transaction; writes are buffered and sent
    together when the batch commits, so a batch costs a handful of round trips.
    """

    def advance_to(self, position: int) -> None:
        """Set the position this batch brings the projection to."""
        ...
