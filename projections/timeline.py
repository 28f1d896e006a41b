"""The caseworker timeline: every event of a customer, in log order, with who caused it and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.customer import Customer
from domain.decisions import Decision, decisions_in
from domain.obligations import implications_of
from domain.values import Actor
from projections.model import DecisionSummary, TimelineEntry
from projections.projection import (
    LoggedEvent,
    OwnersBatch,
    Projection,
    as_erased,
    effective_date_of,
    event_kind,
    owner_of,
    prefetch_owners,
)


def actor_label(actor: Actor) -> str:
    """kind:identifier, e.g. caseworker:CW-104 or system:journeys."""
    return f"{actor.kind.value}:{actor.identifier}" if actor.identifier else actor.kind.value


def decision_summary(decision: Decision) -> DecisionSummary:
    """A decision as the timeline shows it: rule, version, outcome and reasons."""
    return DecisionSummary(
        rule_id=decision.rule_id,
        rule_version=decision.rule_version,
        outcome=decision.effective_outcome,
        reasons=tuple(decision.reasons),
        automated=decision.automated,
        overridden_by=actor_label(decision.override.by) if decision.override else None,
    )


def summarise(event: JourneyAggregate.Event) -> str:
    """One line saying what happened, as the event's class declares (or the class it redefines)."""
    implied = implications_of(type(event))
    label = implied.timeline_label(event) if implied is not None else None
    return event_kind(event) if label is None else label


def timeline_entry(logged: LoggedEvent, customer_id: Any) -> TimelineEntry:
    """The timeline row for one event."""
    event = logged.event
    return TimelineEntry(
        position=logged.position,
        customer_id=customer_id,
        aggregate_id=event.originator_id,
        aggregate_version=event.originator_version,
        kind=event_kind(event),
        effective_date=effective_date_of(event),
        recorded_at=event.timestamp,
        caused_by=actor_label(event.caused_by),
        summary=summarise(event),
        decisions=tuple(decision_summary(d) for d in decisions_in(event)),
    )


def erasable_entry(logged: LoggedEvent, entry: TimelineEntry) -> TimelineEntry | None:
    """How a row reads once its customer's personal data is erased (None: no differently)."""
    erased_logged = as_erased(logged)
    if erased_logged is logged:
        return None
    erased = timeline_entry(erased_logged, entry.customer_id)
    return erased if erased != entry else None


class TimelineBatch(OwnersBatch, Protocol):
    """What the timeline projection asks of a view batch: its own table, and owners."""

    def add_timeline_entries(self, entries: Sequence[TimelineEntry]) -> None:
        """Append timeline rows."""
        ...

    def add_erasable_timeline_entries(self, erased: Sequence[TimelineEntry]) -> None:
        """How timeline rows added in this batch read once their customer's data is erased."""
        ...

    def erase_timeline(self, customer_id: UUID) -> None:
        """Make the customer's timeline rows read as erased (their erasable forms)."""
        ...


class TimelineProjection(Projection[TimelineBatch]):
    """One row per event, keyed by log position (rows read as erased once their customer is)."""

    name = "timeline"
    tables = ("view_timeline",)

    def apply(self, events: Sequence[LoggedEvent], batch: TimelineBatch) -> None:
        """Add a row for every event whose customer is known."""
        entries = []
        erasable = []
        erased_customers = []
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            if customer_id is not None:
                entry = timeline_entry(logged, customer_id)
                entries.append(entry)
                erased = erasable_entry(logged, entry)
                if erased is not None:
                    erasable.append(erased)
                if isinstance(logged.event, Customer.PersonalDataErased):
                    erased_customers.append(customer_id)
        batch.add_timeline_entries(entries)
        batch.add_erasable_timeline_entries(erasable)
        for customer_id in erased_customers:
            batch.erase_timeline(customer_id)
