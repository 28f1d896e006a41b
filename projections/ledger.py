"""The audit ledger: every recorded decision, whom it concerns, queryable by rule and outcome."""

from __future__ import annotations

from collections.abc import Sequence

from domain.decisions import decisions_in
from projections.model import LedgerEntry
from projections.projection import (
    LoggedEvent,
    Projection,
    effective_date_of,
    event_kind,
    owner_of,
    prefetch_owners,
)
from projections.store import ViewBatch
from projections.timeline import actor_label


class DecisionLedgerProjection(Projection):
    """One row per recorded decision (an event may record more than one)."""

    name = "decision_ledger"
    tables = ("view_ledger", "view_ledger_outcome")

    def apply(self, events: Sequence[LoggedEvent], batch: ViewBatch) -> None:
        """Add a row for each decision an event records."""
        entries = []
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            event = logged.event
            if customer_id is None:
                continue
            for index, decision in enumerate(decisions_in(event)):
                entries.append(
                    LedgerEntry(
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
                )
        batch.add_ledger_entries(entries)
