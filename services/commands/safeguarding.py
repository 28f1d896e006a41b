"""Safeguarding commands (caseworkers send them): concerns, plans, lump sums, serious cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field

from domain.six_point_plan import PlanStep, StatementDetails
from services.commands import Command, NonBlank

StaffName = Annotated[
    str, Field(min_length=1, max_length=100, pattern=r"\S", description="a colleague's staff id")
]


class RaiseConcern(Command):
    """An early-warning concern about a customer, or (without customer_id) a policy."""

    customer_id: UUID | None = Field(default=None, description="the customer it is about")
    policy: NonBlank | None = Field(default=None, description="the policy or procedure instead")
    description: NonBlank
    owner: StaffName
    due_on: date
    raised_on: date


class ReassignConcern(Command):
    """Give a concern a new owner."""

    owner: StaffName
    reason: NonBlank
    reassigned_on: date


class RecordConcernOutcome(Command):
    """What came of the concern (closes it)."""

    outcome: NonBlank
    recorded_on: date


class OpenSixPointPlan(Command):
    """A customer made a statement of suicide or self-harm."""

    statement: NonBlank = Field(description="what the customer said, in brief")
    made_on: date


class GatheredDetails(Command):
    """What was gathered: what they mean to do, when, by what means, and whether it is urgent."""

    what: NonBlank
    when: NonBlank
    means: NonBlank
    urgent: bool


class RecordPlanStep(Command):
    """One step of the six-point plan, by whom, when, with a note."""

    as_domain = {"details": StatementDetails}

    step: PlanStep
    done_by: StaffName
    done_on: date
    note: NonBlank
    details: GatheredDetails | None = Field(
        default=None, description="only and always with information_gathered"
    )


class ProposeLumpSum(Command):
    """An arrears payment on a claim."""

    amount_pence: int = Field(gt=0, description="the amount in pence")
    period_from: date
    period_to: date
    proposed_on: date


class ReleaseLumpSum(Command):
    """A second colleague's check of a held lump sum."""

    check_note: NonBlank
    released_on: date


class ReferSeriousCase(Command):
    """Refer the customer's case to the Serious Case Panel."""

    reason: NonBlank
    referred_on: date


class RecordRecommendation(Command):
    """One of the panel's recommendations."""

    text: NonBlank
    owner: StaffName
    due_on: date
    made_on: date


class CompleteRecommendation(Command):
    """A recommendation's outcome."""

    outcome: NonBlank
    completed_on: date


class CloseSeriousCase(Command):
    """Close a referral whose recommendations are all completed."""

    summary: NonBlank
    closed_on: date


class NotifyDeath(Command):
    """A death notified through Tell Us Once (or otherwise), with its reference."""

    date_of_death: date
    reference: NonBlank = Field(description="the Tell Us Once reference (or another source's)")
