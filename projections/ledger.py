"""The audit ledger: every recorded decision, whom it concerns, queryable by rule and outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from domain.customer import Customer
from domain.decisions import Decision, decisions_in
from domain.personal_data import erased_copy
from projections.model import LedgerEntry
from projections.projection import (
    LoggedEvent,
    OwnersBatch,
    Projection,
    effective_date_of,
    event_kind,
    owner_of,
    prefetch_owners,
)
from projections.timeline import actor_label


class LedgerBatch(OwnersBatch, Protocol):
    """What the decision ledger projection asks of a view batch: its own table, and owners."""

    def add_ledger_entries(self, entries: Sequence[LedgerEntry]) -> None:
        """Append decision ledger rows."""
        ...

    def add_erasable_ledger_entries(self, erased: Sequence[LedgerEntry]) -> None:
        """How ledger rows added in this batch read once their customer's data is erased."""
        ...

    def erase_ledger(self, customer_id: UUID) -> None:
        """Make the customer's ledger rows read as erased (their erasable forms)."""
        ...


class DecisionLedgerProjection(Projection[LedgerBatch]):
    """One row per recorded decision (an event may record more than one)."""

    name = "decision_ledger"
    tables = ("view_ledger", "view_ledger_outcome")

    def apply(self, events: Sequence[LoggedEvent], batch: LedgerBatch) -> None:
        """Add a row for each decision an event records (and how it reads once erased)."""
        entries = []
        erasable = []
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            event = logged.event
            if customer_id is None:
                continue
            if isinstance(event, Customer.PersonalDataErased):
                batch.erase_ledger(customer_id)
            recorded = list(decisions_in(event))
            # The same rows from the event as it reads once erased: what a rebuild then gives.
            erased = list(decisions_in(erased_copy(event)))
            for index, (decision, erased_decision) in enumerate(zip(recorded, erased, strict=True)):
                entry = _entry(logged, index, decision, customer_id)
                entries.append(entry)
                erased_entry = _entry(logged, index, erased_decision, customer_id)
                if erased_entry != entry:
                    erasable.append(erased_entry)
        batch.add_ledger_entries(entries)
        batch.add_erasable_ledger_entries(erasable)


def _entry(logged: LoggedEvent, index: int, decision: Decision, customer_id: UUID) -> LedgerEntry:
    event = logged.event
    return LedgerEntry(
        position=logged.position,
        index=index,
        rule_id=decision.rule_id,
        rule_version=decision.rule_version,
        outcome=decision.effective_outcome,
        inputs=decision.inputs,
        reasons=tuple(decision.reasons),
        made_by=actor_label(decision.made_by),
        automated=decision.automated,
        customer_id=customer_id,
        aggregate_id=event.originator_id,
        event_type=event_kind(event),
        decided_on=effective_date_of(event),
        recorded_at=event.timestamp,
    )
