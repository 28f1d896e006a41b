"""Commands of the move from child DLA to PIP (caseworkers send them)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from domain.rules.dla_child import DisablingCondition
from domain.values import Appointee, Region
from services.commands import Command, Text


class StartTransition(Command):
    """Start a young person's move from child DLA to PIP."""

    dla_claim_id: UUID = Field(description="the customer's DLA claim with a child award")
    dla_weekly_pence: int = Field(gt=0, description="what DLA pays a week, in pence")
    special_rules: bool = Field(description="DLA was awarded under the Special Rules")
    condition: DisablingCondition = Field(description="the award's main disabling condition")
    region: Region = Region.GREAT_BRITAIN


class HospitalAdmission(Command):
    """The young person went into hospital."""

    admitted_on: date


class HospitalDischarge(Command):
    """The young person left hospital."""

    discharged_on: date


class PipAppointeeDetails(Command):
    """Who is appointed, and how they are related to the young person."""

    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=100)


class AppointPipAppointee(Command):
    """Appoint someone to act for the young person for PIP (from the 16th birthday)."""

    as_domain = {"appointee": Appointee}

    appointee: PipAppointeeDetails
    effective_date: date


class NoAppointeeNeeded(Command):
    """The young person will deal with PIP themselves."""

    reason: str = Text
    effective_date: date


class CompleteAgeReview(Command):
    """The outcome of the DLA award's review at an age."""

    completed_on: date
    outcome: str = Text
