"""The six-point plan for a statement of suicide or self-harm, each step recorded in order.

RULES.md section 6: take it seriously, summon a colleague, gather information (what, when,
means), then give referral advice (not urgent) or call emergency help (urgent), and review
it with a line manager afterwards. Each step says who did it, when, and a note; the plan is
complete when every step that applies is done.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate, acting_actor
from domain.errors import (
    PlanStepAlreadyRecorded,
    PlanStepNotApplicable,
    PlanStepOutOfOrder,
    StatementDetailsMissing,
)
from domain.obligations import STAFF_ID, implies
from domain.safeguarding_checks import named_owner, not_before, required_text
from domain.values import Actor, ValueObject
from domain.wording import SAFEGUARDING_WORK


class PlanStep(Enum):
    """A step of the six-point plan."""

    TAKEN_SERIOUSLY = "taken_seriously"
    COLLEAGUE_SUMMONED = "colleague_summoned"
    INFORMATION_GATHERED = "information_gathered"
    REFERRAL_ADVICE_GIVEN = "referral_advice_given"
    EMERGENCY_HELP_CALLED = "emergency_help_called"
    LINE_MANAGER_REVIEW = "line_manager_review"


FIRST_STEPS = (
    PlanStep.TAKEN_SERIOUSLY,
    PlanStep.COLLEAGUE_SUMMONED,
    PlanStep.INFORMATION_GATHERED,
)
ACTION_STEPS = (PlanStep.REFERRAL_ADVICE_GIVEN, PlanStep.EMERGENCY_HELP_CALLED)


class StatementDetails(ValueObject):
    """What was gathered: what the person means to do, when, by what means, and how urgent."""

    what: str
    when: str
    means: str
    urgent: bool


class StepRecord(ValueObject):
    """One step as done: by whom, on what day, with a note (and details when gathering)."""

    step: PlanStep
    done_by: Annotated[str, STAFF_ID]
    done_on: date
    note: str
    details: StatementDetails | None = None


def applicable_steps(urgent: bool | None) -> tuple[PlanStep, ...]:
    """The steps that apply, in order (the action step is known once urgency is)."""
    if urgent is None:
        return FIRST_STEPS
    action = PlanStep.EMERGENCY_HELP_CALLED if urgent else PlanStep.REFERRAL_ADVICE_GIVEN
    return (*FIRST_STEPS, action, PlanStep.LINE_MANAGER_REVIEW)


class SixPointPlan(JourneyAggregate):
    """The plan followed after a customer's statement of suicide or self-harm."""

    noun = "six-point plan"

    @implies(
        timeline=lambda e: "Six-point plan started: statement of suicide or self-harm",
        letter=SAFEGUARDING_WORK,
    )
    class Opened(JourneyAggregate.Created):
        """A customer made a statement of suicide or self-harm; the plan starts."""

        customer_id: UUID
        statement: str
        opened_by: Actor
        effective_date: date

    @classmethod
    def open(cls, *, customer_id: UUID, statement: str, made_on: date) -> SixPointPlan:
        """Start the plan for a statement made on a day."""
        return cls(
            customer_id=customer_id,
            statement=required_text(statement, "statement"),
            opened_by=acting_actor(),
            effective_date=made_on,
        )

    @event(Opened)
    def __init__(
        self, customer_id: UUID, statement: str, opened_by: Actor, effective_date: date
    ) -> None:
        self.customer_id = customer_id
        self.statement = statement
        self.opened_by = opened_by
        self.made_on = effective_date
        self.steps: dict[PlanStep, StepRecord] = {}
        self.completed_on: date | None = None

    @property
    def urgent(self) -> bool | None:
        """Whether the gathered information made it urgent (None until it is gathered)."""
        gathered = self.steps.get(PlanStep.INFORMATION_GATHERED)
        return gathered.details.urgent if gathered and gathered.details else None

    @property
    def complete(self) -> bool:
        """True when every step that applies is done."""
        return self.completed_on is not None

    def outstanding(self) -> tuple[PlanStep, ...]:
        """The steps still to do, in order (the action step only once urgency is known)."""
        steps = applicable_steps(self.urgent)
        if self.urgent is None:
            steps = (*steps, PlanStep.LINE_MANAGER_REVIEW)
        return tuple(step for step in steps if step not in self.steps)

    @implies(
        timeline=lambda e: (
            f"Six-point plan: {e.record.step.value.replace('_', ' ')} "
            f"({e.record.done_by}, {e.record.done_on.isoformat()})"
        ),
        letter=SAFEGUARDING_WORK,
    )
    class StepRecorded(JourneyAggregate.Event):
        """A step of the plan was done."""

        effective_date: date
        record: StepRecord

    def record_step(
        self,
        step: PlanStep,
        *,
        done_by: str,
        done_on: date,
        note: str,
        details: StatementDetails | None = None,
    ) -> None:
        """Record a step; out of order, repeated or inapplicable steps are refused."""
        self._check_step(step)
        if (step is PlanStep.INFORMATION_GATHERED) != (details is not None):
            raise StatementDetailsMissing(
                "details: gathering information records what, when and means "
                "(and no other step takes them)"
            )
        if details is not None:
            details = StatementDetails(
                what=required_text(details.what, "details.what"),
                when=required_text(details.when, "details.when"),
                means=required_text(details.means, "details.means"),
                urgent=details.urgent,
            )
        latest = max((record.done_on for record in self.steps.values()), default=self.made_on)
        not_before(done_on, latest, "done_on", "the statement or the step before")
        record = StepRecord(
            step=step,
            done_by=named_owner(done_by, "done_by"),
            done_on=done_on,
            note=required_text(note, "note"),
            details=details,
        )
        self._step_recorded(effective_date=done_on, record=record)
        if not self.outstanding():
            self._completed(effective_date=done_on)

    def _check_step(self, step: PlanStep) -> None:
        if step in self.steps:
            raise PlanStepAlreadyRecorded(
                f"step: {step.value} was recorded on {self.steps[step].done_on.isoformat()}"
            )
        urgent = self.urgent
        if step in ACTION_STEPS and urgent is not None and step not in applicable_steps(urgent):
            kind = "urgent" if urgent else "not urgent"
            raise PlanStepNotApplicable(f"step: {step.value} does not apply, the plan is {kind}")
        remaining = self.outstanding()
        if not remaining:
            raise PlanStepNotApplicable(f"step: {step.value} does not apply, the plan is complete")
        expected = remaining[0]
        if step is not expected:
            raise PlanStepOutOfOrder(f"step: {step.value} comes later; next is {expected.value}")

    @event(StepRecorded)
    def _step_recorded(self, effective_date: date, record: StepRecord) -> None:
        self.steps[record.step] = record

    @implies(
        timeline=lambda e: "Six-point plan complete",
        letter=SAFEGUARDING_WORK,
    )
    class Completed(JourneyAggregate.Event):
        """Every step that applies is done."""

        effective_date: date

    @event(Completed)
    def _completed(self, effective_date: date) -> None:
        self.completed_on = effective_date
