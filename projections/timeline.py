"""The caseworker timeline: every event of a customer, in log order, with who caused it and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.customer import Customer
from domain.decisions import Decision, decisions_in
from domain.values import Actor
from projections.model import DecisionSummary, TimelineEntry
from projections.projection import (
    LoggedEvent,
    Projection,
    effective_date_of,
    event_kind,
    owner_of,
    pounds,
    prefetch_owners,
)
from projections.store import ViewBatch


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


def _rates(award: Any) -> str:
    if not award.entitled:
        return "not entitled"
    return f"entitled (daily living {award.daily_living.value}, mobility {award.mobility.value})"


_SUMMARIES: dict[type[Any], Callable[[Any], str]] = {
    Customer.Registered: lambda e: f"Registered (date of birth {e.date_of_birth.isoformat()})",
    Customer.ContactPreferencesChanged: lambda e: (
        f"Contact preferences: {e.preferences.channel.value}"
        + (", large print" if e.preferences.large_print else "")
        + f", language {e.preferences.language}"
    ),
    Customer.AppointeeAppointed: lambda e: (
        f"Appointee appointed: {e.appointee.name} ({e.appointee.relationship})"
    ),
    Customer.AppointeeEnded: lambda e: f"Appointee ended: {e.reason}",
    Customer.SupportMarkerAdded: lambda e: (
        f"Support marker added: {e.marker.need.value} ({e.marker.duration.value})"
        + (f": {e.marker.details}" if e.marker.details else "")
    ),
    Customer.SupportMarkerRemoved: lambda e: f"Support marker removed: {e.need.value}",
    Customer.CircumstancesChanged: lambda e: f"Change of circumstances: {e.description}",
    Customer.DeathNotified: lambda e: f"Death notified (reference {e.reference})",
    Customer.ClaimOpened: lambda e: f"{e.benefit.value} claim opened",
    Claim.Started: lambda e: (
        f"{e.benefit.value} claim made by {e.claimant_role.value} via {e.channel.value}"
    ),
    Claim.QuestionnaireIssued: lambda e: f"PIP2 issued, due back by {e.due_on.isoformat()}",
    Claim.QuestionnaireReturned: lambda e: "PIP2 returned" + (" late" if e.late else ""),
    Claim.Disallowed: lambda e: f"Claim disallowed ({e.grounds.value})",
    Claim.AssessmentRecorded: lambda e: (
        f"Assessment recorded: daily living {sum(e.points.daily_living.values())} points, "
        f"mobility {sum(e.points.mobility.values())} points"
    ),
    Claim.AwardDecided: lambda e: f"Decided: {_rates(e.award)}",
    Claim.Withdrawn: lambda e: f"Claim withdrawn: {e.reason}",
    Claim.StatementOfReasonsRequested: lambda e: "Statement of reasons asked for",
    Claim.ReconsiderationRequested: lambda e: f"Mandatory reconsideration asked for: {e.grounds}",
    Claim.ReconsiderationDecided: lambda e: (
        f"Reconsidered: {'revised' if e.revised else 'not revised'}, now {_rates(e.award)}"
    ),
    Claim.AppealLodged: lambda e: "Appeal lodged with the tribunal",
    Claim.AwardUprated: lambda e: (
        f"Uprated from {e.effective_date.isoformat()}: "
        f"daily living {pounds(e.weekly_amounts.daily_living_pence)}, "
        f"mobility {pounds(e.weekly_amounts.mobility_pence)} a week "
        f"({pounds(e.weekly_amounts.total_pence)})"
    ),
    Claim.RevisedDuringAppeal: lambda e: f"Revised during the appeal: now {_rates(e.award)}",
    Claim.AppealDecided: lambda e: (
        f"Tribunal {'allowed' if e.allowed else 'dismissed'} the appeal: now {_rates(e.award)}"
    ),
}


def summarise(event: JourneyAggregate.Event) -> str:
    """One line saying what happened."""
    summary = _SUMMARIES.get(type(event))
    return summary(event) if summary is not None else event_kind(event)


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


class TimelineProjection(Projection):
    """One row per event, keyed by log position."""

    name = "timeline"
    tables = ("view_timeline",)

    def apply(self, events: Sequence[LoggedEvent], batch: ViewBatch) -> None:
        """Add a row for every event whose customer is known."""
        entries = []
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            if customer_id is not None:
                entries.append(timeline_entry(logged, customer_id))
        batch.add_timeline_entries(entries)
