"""Early warning: a colleague's concern about a customer, or about a policy or procedure.

RULES.md section 6. A concern has a named owner and a due date from the day it is raised;
the owner can change; recording its outcome closes it. Concerns are caseworker business
only: nothing about them reaches the customer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate, acting_actor
from domain.errors import ConcernClosed, ConcernSubjectUnclear
from domain.obligations import STAFF_ID, implies
from domain.safeguarding_checks import due_not_before, named_owner, not_before, required_text
from domain.values import Actor
from domain.wording import SAFEGUARDING_WORK


class Concern(JourneyAggregate):
    """An early-warning concern: who raised it, about whom or what, its owner and outcome."""

    @implies(
        timeline=lambda e: f"Concern raised, owner {e.owner}, due {e.due_on.isoformat()}",
        letter=SAFEGUARDING_WORK,
    )
    class Raised(JourneyAggregate.Created):
        """A colleague raised a concern (customer_id None: it is about a policy or procedure)."""

        customer_id: UUID | None
        policy: str | None
        description: str
        owner: Annotated[str, STAFF_ID]
        due_on: date
        raised_by: Actor
        effective_date: date

    @classmethod
    def raise_concern(
        cls,
        *,
        customer_id: UUID | None,
        policy: str | None,
        description: str,
        owner: str,
        due_on: date,
        raised_on: date,
    ) -> Concern:
        """Raise a concern about exactly one customer or one policy, owned and due."""
        policy_text = policy.strip() if policy is not None else None
        if (customer_id is None) == (not policy_text):
            raise ConcernSubjectUnclear(
                "policy: a concern is about one customer or one policy or procedure, "
                "not both or neither",
                field="policy",
            )
        return cls(
            customer_id=customer_id,
            policy=policy_text or None,
            description=required_text(description, "description"),
            owner=named_owner(owner),
            due_on=due_not_before(due_on, raised_on),
            raised_by=acting_actor(),
            effective_date=raised_on,
        )

    @event(Raised)
    def __init__(
        self,
        customer_id: UUID | None,
        policy: str | None,
        description: str,
        owner: str,
        due_on: date,
        raised_by: Actor,
        effective_date: date,
    ) -> None:
        self.customer_id = customer_id
        self.policy = policy
        self.description = description
        self.owner = owner
        self.due_on = due_on
        self.raised_by = raised_by
        self.raised_on = effective_date
        self.outcome: str | None = None
        self.closed_on: date | None = None

    @property
    def closed(self) -> bool:
        """True once the outcome is recorded."""
        return self.closed_on is not None

    def _refuse_if_closed(self, action: str) -> None:
        if self.closed_on is not None:
            raise ConcernClosed(
                f"cannot {action}: the concern was closed on {self.closed_on.isoformat()}"
            )

    @implies(
        timeline=lambda e: f"Concern reassigned to {e.owner}: {e.reason}",
        letter=SAFEGUARDING_WORK,
    )
    class OwnerReassigned(JourneyAggregate.Event):
        """Someone else owns the concern from now on."""

        effective_date: date
        owner: Annotated[str, STAFF_ID]
        previous_owner: Annotated[str, STAFF_ID]
        reason: str

    def reassign(self, owner: str, reason: str, reassigned_on: date) -> None:
        """Give the concern a new named owner."""
        self._refuse_if_closed("reassign the owner")
        not_before(reassigned_on, self.raised_on, "reassigned_on", "the day it was raised")
        self._owner_reassigned(
            effective_date=reassigned_on,
            owner=named_owner(owner),
            previous_owner=self.owner,
            reason=required_text(reason, "reason"),
        )

    @event(OwnerReassigned)
    def _owner_reassigned(
        self, effective_date: date, owner: str, previous_owner: str, reason: str
    ) -> None:
        self.owner = owner

    @implies(
        timeline=lambda e: f"Concern closed: {e.outcome}",
        letter=SAFEGUARDING_WORK,
    )
    class OutcomeRecorded(JourneyAggregate.Event):
        """The concern's outcome was recorded, which closes it."""

        effective_date: date
        outcome: str

    def record_outcome(self, outcome: str, recorded_on: date) -> None:
        """Record what came of the concern; it closes."""
        self._refuse_if_closed("record another outcome")
        not_before(recorded_on, self.raised_on, "recorded_on", "the day it was raised")
        self._outcome_recorded(
            effective_date=recorded_on, outcome=required_text(outcome, "outcome")
        )

    @event(OutcomeRecorded)
    def _outcome_recorded(self, effective_date: date, outcome: str) -> None:
        self.outcome = outcome
        self.closed_on = effective_date
