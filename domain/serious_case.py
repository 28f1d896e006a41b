"""Serious case referrals: a case sent to the Serious Case Panel and the panel's recommendations.

RULES.md section 6. Each recommendation has an owner and a due date and is completed with an
outcome; the referral closes only when every recommendation is completed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate, acting_actor
from domain.errors import (
    RecommendationAlreadyCompleted,
    RecommendationNotFound,
    RecommendationsOutstanding,
    SeriousCaseClosed,
)
from domain.obligations import STAFF_ID, implies
from domain.safeguarding_checks import due_not_before, named_owner, not_before, required_text
from domain.values import Actor, ValueObject
from domain.wording import SAFEGUARDING_WORK


class Recommendation(ValueObject):
    """One of the panel's recommendations, with its owner, due date and (once done) outcome."""

    number: int
    text: str
    owner: Annotated[str, STAFF_ID]
    due_on: date
    made_on: date
    outcome: str | None = None
    completed_on: date | None = None

    @property
    def done(self) -> bool:
        """True once its outcome is recorded."""
        return self.completed_on is not None


class SeriousCaseReferral(JourneyAggregate):
    """A customer's case referred to the Serious Case Panel."""

    noun = "serious case referral"

    @implies(
        timeline=lambda e: f"Referred to the Serious Case Panel: {e.reason}",
        letter=SAFEGUARDING_WORK,
    )
    class Referred(JourneyAggregate.Created):
        """A colleague referred the case to the Serious Case Panel, saying why."""

        customer_id: UUID
        reason: str
        referred_by: Actor
        effective_date: date

    @classmethod
    def refer(cls, *, customer_id: UUID, reason: str, referred_on: date) -> SeriousCaseReferral:
        """Refer a customer's case to the panel."""
        return cls(
            customer_id=customer_id,
            reason=required_text(reason, "reason"),
            referred_by=acting_actor(),
            effective_date=referred_on,
        )

    @event(Referred)
    def __init__(
        self, customer_id: UUID, reason: str, referred_by: Actor, effective_date: date
    ) -> None:
        self.customer_id = customer_id
        self.reason = reason
        self.referred_by = referred_by
        self.referred_on = effective_date
        self.recommendations: dict[int, Recommendation] = {}
        self.closed_on: date | None = None
        self.summary: str | None = None

    def open_recommendations(self) -> list[Recommendation]:
        """The recommendations still without an outcome, by number."""
        return [r for _, r in sorted(self.recommendations.items()) if not r.done]

    def _refuse_if_closed(self, action: str) -> None:
        if self.closed_on is not None:
            raise SeriousCaseClosed(
                f"cannot {action}: the referral was closed on {self.closed_on.isoformat()}"
            )

    @implies(
        timeline=lambda e: (
            f"Panel recommendation {e.recommendation.number} for {e.recommendation.owner}, due "
            f"{e.recommendation.due_on.isoformat()}: {e.recommendation.text}"
        ),
        letter=SAFEGUARDING_WORK,
    )
    class RecommendationMade(JourneyAggregate.Event):
        """The panel made a recommendation, with an owner and a due date."""

        effective_date: date
        recommendation: Recommendation

    def record_recommendation(self, *, text: str, owner: str, due_on: date, made_on: date) -> int:
        """Record a panel recommendation; returns its number within the referral."""
        self._refuse_if_closed("record a recommendation")
        not_before(made_on, self.referred_on, "made_on", "the referral")
        number = len(self.recommendations) + 1
        self._recommendation_made(
            effective_date=made_on,
            recommendation=Recommendation(
                number=number,
                text=required_text(text, "text"),
                owner=named_owner(owner),
                due_on=due_not_before(due_on, made_on),
                made_on=made_on,
            ),
        )
        return number

    @event(RecommendationMade)
    def _recommendation_made(self, effective_date: date, recommendation: Recommendation) -> None:
        self.recommendations[recommendation.number] = recommendation

    @implies(
        timeline=lambda e: f"Panel recommendation {e.number} completed: {e.outcome}",
        letter=SAFEGUARDING_WORK,
    )
    class RecommendationCompleted(JourneyAggregate.Event):
        """A recommendation was carried out; its outcome is recorded."""

        effective_date: date
        number: int
        outcome: str

    def complete_recommendation(self, number: int, outcome: str, completed_on: date) -> None:
        """Record a recommendation's outcome."""
        self._refuse_if_closed("complete a recommendation")
        recommendation = self.recommendations.get(number)
        if recommendation is None:
            raise RecommendationNotFound(f"number: the referral has no recommendation {number}")
        if recommendation.done:
            raise RecommendationAlreadyCompleted(
                f"number: recommendation {number} was completed on {recommendation.completed_on}"
            )
        not_before(completed_on, recommendation.made_on, "completed_on", "the recommendation")
        self._recommendation_completed(
            effective_date=completed_on, number=number, outcome=required_text(outcome, "outcome")
        )

    @event(RecommendationCompleted)
    def _recommendation_completed(self, effective_date: date, number: int, outcome: str) -> None:
        done = self.recommendations[number]
        self.recommendations[number] = done.model_copy(
            update={"outcome": outcome, "completed_on": effective_date}
        )

    @implies(
        timeline=lambda e: f"Serious case referral closed: {e.summary}",
        letter=SAFEGUARDING_WORK,
    )
    class Closed(JourneyAggregate.Event):
        """Every recommendation is done; the referral is closed with a summary."""

        effective_date: date
        summary: str

    def close(self, summary: str, closed_on: date) -> None:
        """Close the referral once every recommendation is completed."""
        self._refuse_if_closed("close it again")
        outstanding = self.open_recommendations()
        if outstanding:
            numbers = ", ".join(str(r.number) for r in outstanding)
            raise RecommendationsOutstanding(
                f"cannot close: recommendation(s) {numbers} have no outcome yet"
            )
        latest = max(
            (r.completed_on for r in self.recommendations.values() if r.completed_on),
            default=self.referred_on,
        )
        not_before(closed_on, latest, "closed_on", "the last step of the referral")
        self._closed(effective_date=closed_on, summary=required_text(summary, "summary"))

    @event(Closed)
    def _closed(self, effective_date: date, summary: str) -> None:
        self.closed_on = effective_date
        self.summary = summary
