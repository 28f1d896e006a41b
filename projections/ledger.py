"""The audit ledger: every recorded decision, whom it concerns, queryable by rule and outcome."""

from __future__ import annotations

from collections.abc import Sequence

from domain.customer import Customer
from domain.decisions import decisions_in
from domain.personal_data import ERASED, PERSONAL_DECISION_INPUTS
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
        erasable = []
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            event = logged.event
            if customer_id is None:
                continue
            if isinstance(event, Customer.PersonalDataErased):
                batch.erase_ledger(customer_id)
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
                erased = _erased_inputs(entries[-1].inputs)
                if erased != entries[-1].inputs:
                    erasable.append(entries[-1].model_copy(update={"inputs": erased}))
        batch.add_ledger_entries(entries)
        batch.add_erasable_ledger_entries(erasable)


def _erased_inputs(inputs: dict[str, object]) -> dict[str, object]:
    """A decision's inputs as they read once the customer's personal data is erased."""
    if not PERSONAL_DECISION_INPUTS.intersection(inputs):
        return inputs
    return {k: ERASED if k in PERSONAL_DECISION_INPUTS else v for k, v in inputs.items()}
